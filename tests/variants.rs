//! Every variant of FORMAT.md's "More of what the 2016-17 letters hold" and
//! "Other layouts", as tables of (wording, expected fields), through the
//! pure parser: text in, records out.

mod common;

use common::letters::{
    MTUS_DOCUMENTS, NUMBERED_SECTIONS, OPIOID_SECTION, OPIOID_SPELLINGS, OTHER_LAYOUTS,
    SEVERAL_DOCUMENTS, TITLE_BOUNDARIES, partial_authorisations, rationale_after_form_feed,
    title_boundary,
};
use imr::citation::{By, Source, parse_basis};
use imr::{DrugTable, Outcome, Record};

/// (source, document, section, pages) of each citation of a basis.
type Cited = (Source, Option<String>, Option<String>, Vec<u32>);

fn cited(basis: &str) -> Vec<Cited> {
    parse_basis(By::Reviewer, basis)
        .into_iter()
        .map(|c| (c.source, c.document, c.section, c.pages))
        .collect()
}

fn mtus(document: &str, section: Option<&str>, pages: &[u32]) -> Cited {
    (
        Source::Mtus,
        Some(document.to_owned()),
        section.map(str::to_owned),
        pages.to_vec(),
    )
}

#[test]
fn the_fourteen_mtus_documents_of_2016_17() {
    for (written, canonical) in MTUS_DOCUMENTS {
        assert_eq!(
            cited(&format!("Decision based on MTUS {written}.")),
            [mtus(canonical, None, &[])],
            "{written}"
        );
        assert_eq!(
            cited(&format!(
                "Decision based on MTUS {written}, Section(s): Introduction, Page(s): 12."
            )),
            [mtus(canonical, Some("Introduction"), &[12])],
            "{written}, with a section and a page"
        );
    }
}

#[test]
fn the_opioid_guideline_under_its_spellings_is_one_document() {
    for written in OPIOID_SPELLINGS {
        let c = cited(&format!(
            "Decision based on {written}, Section(s): {OPIOID_SECTION}."
        ));
        assert_eq!(
            c,
            [mtus(
                "Opioid Treatment Guidelines",
                Some(OPIOID_SECTION),
                &[]
            )],
            "{written}"
        );
    }
}

#[test]
fn numbered_sections_are_kept_as_written() {
    // Each is kept exactly as written.
    for sections in NUMBERED_SECTIONS {
        assert_eq!(
            cited(&format!(
                "Decision based on MTUS Opioid Treatment 2016, Section(s): {sections}."
            )),
            [mtus("Opioid Treatment Guidelines", Some(sections), &[])],
            "{sections}"
        );
    }
}

#[test]
fn several_documents_in_one_basis_are_several_citations() {
    let [
        chronic_and_opioid,
        opioid_and_chronic,
        odg_and_fda,
        knee_and_postsurgical,
    ] = SEVERAL_DOCUMENTS;
    assert_eq!(
        cited(chronic_and_opioid),
        [
            mtus(
                "Chronic Pain Medical Treatment Guidelines",
                Some("Compound drugs"),
                &[]
            ),
            mtus(
                "Opioid Treatment Guidelines",
                Some("3.3 Opioids for Chronic Pain"),
                &[]
            ),
        ]
    );
    assert_eq!(
        cited(opioid_and_chronic),
        [
            mtus(
                "Opioid Treatment Guidelines",
                Some("3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment"),
                &[]
            ),
            mtus(
                "Chronic Pain Medical Treatment Guidelines",
                Some("Topical Analgesics"),
                &[111, 112, 113]
            ),
        ]
    );
    assert_eq!(
        cited(odg_and_fda),
        [
            (
                Source::Odg,
                Some("Official Disability Guidelines".to_owned()),
                Some("Low Back".to_owned()),
                vec![]
            ),
            (Source::Other, Some("FDA".to_owned()), None, vec![]),
        ]
    );
    assert_eq!(
        cited(knee_and_postsurgical),
        [
            mtus(
                "ACOEM Practice Guidelines, Chapter 13 Knee Complaints",
                Some("Special Studies"),
                &[]
            ),
            mtus("Postsurgical Treatment Guidelines", Some("Knee"), &[24]),
        ]
    );
}

fn records(text: &str) -> Vec<Record> {
    let clean = imr::decode::clean(text);
    let letter = imr::letter::parse(&clean, DrugTable::bundled());
    imr::record::from_letter("variant.txt", "0", &letter, &clean)
}

/// (item, outcome, rationale, flags) of each decision.
fn decisions(text: &str) -> Vec<(String, Outcome, String, Vec<String>)> {
    records(text)
        .into_iter()
        .map(|r| (r.item, r.outcome, r.rationale, r.flags))
        .collect()
}

fn decision(
    item: &str,
    outcome: Outcome,
    rationale: &str,
) -> (String, Outcome, String, Vec<String>) {
    (item.to_owned(), outcome, rationale.to_owned(), Vec::new())
}

#[test]
fn partial_authorisations_in_both_wordings() {
    let text = partial_authorisations();
    assert_eq!(
        decisions(&text),
        [
            decision(
                "Norco 10/325mg #30",
                Outcome::Upheld,
                "Not supported. The request is not medically necessary."
            ),
            decision(
                "Percocet 5/325 mg. #60",
                Outcome::Overturned,
                "Supported. The request is medically necessary."
            ),
            decision(
                "Physical therapy x 6 for the lumbar spine",
                Outcome::Upheld,
                "Not supported. The request is not medically necessary."
            ),
        ]
    );
}

#[test]
fn title_boundaries() {
    for case in TITLE_BOUNDARIES {
        let text = title_boundary(case);
        let got = decisions(&text);
        let first_rationale = match case.contains("necessary\n") {
            true => {
                "Functional improvement is not documented. The request is not medically necessary"
            }
            false => {
                "Functional improvement is not documented. The request is not medically necessary."
            }
        };
        assert_eq!(
            got,
            [
                decision("Norco 10/325mg #90", Outcome::Upheld, first_rationale),
                decision(
                    "Terocin patches #30",
                    Outcome::Upheld,
                    "Not recommended. The request is not medically necessary."
                ),
            ],
            "{case:?}"
        );
    }
}

#[test]
fn a_rationale_ending_after_a_form_feed_keeps_its_last_line() {
    let text = rationale_after_form_feed();
    assert_eq!(
        decisions(&text),
        [decision(
            "Norco 10/325mg #90",
            Outcome::Upheld,
            "Functional improvement is not documented. The request is not medically necessary."
        )]
    );
}

#[test]
fn other_layouts_are_indexed_whole_and_flagged() {
    for text in OTHER_LAYOUTS {
        let got = records(text);
        assert_eq!(got.len(), 1, "{text}");
        assert_eq!(
            (got[0].decision, got[0].outcome, got[0].flags.clone()),
            (0, Outcome::Unknown, vec!["other_layout".to_owned()]),
            "{text}"
        );
        assert!(got[0].rationale.contains("Norco 10/325mg #90"), "{text}");
    }
}
