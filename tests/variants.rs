//! Every variant of FORMAT.md's "More of what the 2016-17 letters hold" and
//! "Other layouts", as tables of (wording, expected fields), through the
//! pure parser: text in, records out.

use imr::citation::{By, Source, parse_basis};
use imr::{DrugTable, Outcome, Record};

/// (document as a basis names it, canonical document).
const MTUS_DOCUMENTS: [(&str, &str); 14] = [
    (
        "Chronic Pain Medical Treatment 2009",
        "Chronic Pain Medical Treatment Guidelines",
    ),
    ("Opioid Treatment 2016", "Opioid Treatment Guidelines"),
    (
        "Acupuncture Treatment 2007",
        "Acupuncture Medical Treatment Guidelines",
    ),
    (
        "Postsurgical Treatment 2009",
        "Postsurgical Treatment Guidelines",
    ),
    (
        "General Approaches 2004",
        "ACOEM Practice Guidelines, General Approaches",
    ),
    (
        "Neck and Upper Back Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 8 Neck and Upper Back Complaints",
    ),
    (
        "Shoulder Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 9 Shoulder Complaints",
    ),
    (
        "Elbow Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 10 Elbow Complaints",
    ),
    (
        "Forearm, Wrist, and Hand Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 11 Forearm, Wrist, and Hand Complaints",
    ),
    (
        "Low Back Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 12 Low Back Complaints",
    ),
    (
        "Knee Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 13 Knee Complaints",
    ),
    (
        "Ankle and Foot Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 14 Ankle and Foot Complaints",
    ),
    (
        "Stress-Related Conditions 2004",
        "ACOEM Practice Guidelines, Chapter 15 Stress-Related Conditions",
    ),
    ("Eye 2004", "ACOEM Practice Guidelines, Chapter 16 Eye"),
];

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
    for written in [
        "MTUS Opioid Treatment 2016",
        "MTUS Opioids Treatment 2016",
        "MTUS Opioid Treatment Guidelines 2016",
        "MTUS Opioid Treatment Guideline",
        "MTUS 2016 Opioid Treatment Guidelines",
    ] {
        let c = cited(&format!(
            "Decision based on {written}, Section(s): 3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment."
        ));
        assert_eq!(
            c,
            [mtus(
                "Opioid Treatment Guidelines",
                Some("3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment"),
                &[]
            )],
            "{written}"
        );
    }
}

#[test]
fn numbered_sections_are_kept_as_written() {
    for (sections, expected) in [
        (
            "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment, 3.3.10 Opioids, Dosing",
            "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment, 3.3.10 Opioids, Dosing",
        ),
        (
            "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain",
            "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain",
        ),
        (
            "2. Opioids for Subacute Pain",
            "2. Opioids for Subacute Pain",
        ),
        (
            "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain; 2. Opioids for Subacute Pain",
            "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain; 2. Opioids for Subacute Pain",
        ),
    ] {
        assert_eq!(
            cited(&format!(
                "Decision based on MTUS Opioid Treatment 2016, Section(s): {sections}."
            )),
            [mtus("Opioid Treatment Guidelines", Some(expected), &[])],
            "{sections}"
        );
    }
}

#[test]
fn several_documents_in_one_basis_are_several_citations() {
    assert_eq!(
        cited(
            "Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Compound drugs, and Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain."
        ),
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
        cited(
            "Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment, and Chronic Pain Medical Treatment 2009, Section(s): Topical Analgesics, Page(s): 111-113."
        ),
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
        cited(
            "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back and Other Medical Treatment Guideline or Medical Evidence: http://www.fda.gov/drugs/drugsafety/ucm.htm."
        ),
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
        cited(
            "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies, and Postsurgical Treatment 2009, Section(s): Knee, Page(s): 24."
        ),
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

/// A 2016-17 letter around `decisions` (the text after "set forth below:").
fn letter(decisions: &str) -> String {
    format!(
        "Case Number:\nDecision Date:\n\nCM16-0123456\n01/06/2017\n\nHOW THE IMR FINAL DETERMINATION WAS MADE\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: California\nCertification(s)/Specialty: Family Practice\nCLINICAL CASE SUMMARY\nThe injured worker is a 50 year old male with low back pain.\n\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n{decisions}"
    )
}

const LABELS: &str = "Claims Administrator guideline: Decision based on MTUS Opioid Treatment 2016.\nMAXIMUS guideline: Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain.\nDecision rationale: ";

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
    let first = "Norco 10/325mg #90 was the original request. The Claims Administrator authorized Norco\n10/325mg #60. The remaining IMR eligible portion of the original request, Norco 10/325mg #30\nis: Upheld\n";
    let second = "Percocet 5/325 mg. #60 was requested. The Claims Administrator authorized an Evaluation only\nfor Percocet 5/325 mg. #60, leaving the original request IMR eligible. The original request,\nPercocet 5/325 mg. #60 is: Overturned\n";
    let second_alone = "The Claims Administrator authorized an Evaluation only for Physical therapy x 6 for the\nlumbar spine, leaving the original request IMR eligible. The original request, Physical\ntherapy x 6 for the lumbar spine is:\nUpheld\n";
    let text = letter(&format!(
        "{first}{LABELS}Not supported. The request is not medically necessary.\n{second}{LABELS}Supported. The request is medically necessary.\n{second_alone}{LABELS}Not supported. The request is not medically necessary.\n"
    ));
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
    let cases = [
        // On the same line as the rationale's last sentence.
        "Functional improvement is not documented. The request is not medically necessary. Terocin\npatches #30: Upheld\n",
        // With no blank line, the last sentence ending mid-line.
        "Functional improvement is not documented. The request is not medically\nnecessary.\nTerocin patches #30: Upheld\n",
        // Wrapped over a page break, with its running header.
        "Functional improvement is not documented. The request is not medically necessary.\nTerocin\n\u{c}Page 2 of 3\nCM16-0123456\npatches #30: Upheld\n",
        // The last sentence without its full stop.
        "Functional improvement is not documented. The request is not medically necessary\nTerocin patches #30: Upheld\n",
    ];
    for case in cases {
        let text = letter(&format!(
            "Norco 10/325mg #90: Upheld\n{LABELS}{case}{LABELS}Not recommended. The request is not medically necessary.\n"
        ));
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
    let text = letter(&format!(
        "Norco 10/325mg #90: Upheld\n{LABELS}Functional improvement is not documented. The request is not medically\n\u{c}necessary.\n\u{c}"
    ));
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
    let layouts = [
        "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nDOCUMENTS REVIEWED\nProgress notes.\nIMR DECISION(S) AND RATIONALE(S)\n1. Norco 10/325mg #90\nThe Claims Administrator based its decision on the Chronic Pain Medical Treatment Guidelines.\nThe Expert Reviewer's decision rationale:\nNot medically necessary.\n",
        "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\nNorco 10/325mg #90: Upheld\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\nDecision rationale: Not medically necessary.\nMEDICAL REVIEWER QUALIFICATIONS:\nBoard certified.\n",
        "Notice of Independent Medical Review Determination\n1) MAXIMUS Federal Services, Inc. has determined the request for Norco 10/325mg #90 is not medically necessary and appropriate.\n",
    ];
    for text in layouts {
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
