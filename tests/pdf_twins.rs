//! FORMAT.md's letter variants in text and in PDF: each letter written as
//! a `.txt` and as a `.pdf` (`common::pdf::pdf_of`), each folder ingested
//! by the binary into its own index; both exports must hold the same
//! records, with the expected items and guidelines.

mod common;

use std::path::Path;

use serde_json::{Value, json};

use common::letters::{
    MTUS_DOCUMENTS, NUMBERED_SECTIONS, OPIOID_SECTION, OPIOID_SPELLINGS, OTHER_LAYOUTS,
    SEVERAL_DOCUMENTS, TITLE_BOUNDARIES, partial_authorisations, rationale_after_form_feed,
    title_boundary, with_bases,
};
use common::pdf::{pages, pdf_of};
use common::{export, imr, run, temp};

/// The records of `letters` (file stem, text), read from their text and
/// from their PDF twins: equal field for field, source and letter id set
/// aside. `code` is what ingest must exit with: 1 when letters are flagged.
fn twins(letters: &[(String, String)], code: i32) -> Vec<Value> {
    let dir = temp();
    let mut exports = Vec::new();
    for kind in ["txt", "pdf"] {
        let folder = dir.path().join(kind);
        std::fs::create_dir(&folder).expect("folder");
        for (stem, text) in letters {
            let bytes = match kind {
                "txt" => text.as_bytes().to_vec(),
                _ => pdf_of(text),
            };
            std::fs::write(folder.join(format!("{stem}.{kind}")), bytes).expect("letter written");
        }
        let index = dir.path().join(format!("{kind}-index"));
        exports.push(ingested(dir.path(), &index, &folder, letters.len(), code));
    }
    let pdf = exports.pop().expect("PDF records");
    let txt = exports.pop().expect("text records");
    assert_eq!(pdf.len(), txt.len(), "records from PDFs and from texts");
    let differences: Vec<String> = txt
        .iter()
        .zip(&pdf)
        .flat_map(|(t, p)| {
            let at = format!("{}#{}", t["source"], t["decision"]);
            let fields = t.as_object().expect("a record").keys();
            fields
                .filter(|&f| f != "source" && f != "letter" && t[f] != p[f])
                .map(|f| format!("{at} {f}: text {} ≠ PDF {}", t[f], p[f]))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(differences, Vec::<String>::new());
    txt
}

/// `imr ingest --json --quiet` of `folder` into `index`, which must index
/// each of its `letters` and skip none, then the index's export.
fn ingested(home: &Path, index: &Path, folder: &Path, letters: usize, code: i32) -> Vec<Value> {
    let r = run(imr(home)
        .args(["ingest", "--json", "--quiet", "--index"])
        .arg(index)
        .arg(folder));
    assert_eq!(r.code, code, "ingest of {}: {}", folder.display(), r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).expect("a JSON report");
    assert_eq!(report["letters_indexed"], letters, "{report}");
    assert_eq!(report["skipped"], json!([]), "{report}");
    export(home, index)
}

/// The value of `field` in each record.
fn each(records: &[Value], field: &str) -> Vec<Value> {
    records.iter().map(|r| r[field].clone()).collect()
}

/// (source, document, section, pages) of each citation the reviewer made.
fn reviewer_cites(record: &Value) -> Vec<Value> {
    record["guidelines"]
        .as_array()
        .expect("guidelines")
        .iter()
        .filter(|c| c["by"] == "reviewer")
        .map(|c| json!([c["source"], c["document"], c["section"], c["pages"]]))
        .collect()
}

fn mtus(document: &str, section: Option<&str>, pages: &[u32]) -> Value {
    json!(["MTUS", document, section, pages])
}

fn named(stem: &str, text: String) -> (String, String) {
    (stem.to_owned(), text)
}

#[test]
fn the_writer_pages_at_form_feeds_and_every_fifty_lines() {
    let long: String = (1..=120).map(|n| format!("line {n}\n")).collect();
    let sizes = |text: &str| pages(text).iter().map(Vec::len).collect::<Vec<_>>();
    assert_eq!(sizes(&long), [50, 50, 20]);
    assert_eq!(pages(&long)[2][0], "line 101");
    assert_eq!(
        pages("one\ntwo\n\u{c}three\n\u{c}"),
        [vec!["one", "two"], vec!["three"]]
    );
    assert_eq!(
        pages("one\n\u{c}\u{c}two"),
        [vec!["one"], vec![], vec!["two"]]
    );
    assert_eq!(sizes(""), [0]);
}

/// What pdf-extract reads from the writer's PDF: the lines, in order, a
/// blank line where the text has one, and the characters WinAnsiEncoding
/// holds; the first page and each page break read as a blank line, with
/// no form feed.
#[test]
fn pdf_extract_reads_the_writers_lines_back() {
    let text = "Norco (hydrocodone) 10\\325mg\nunbalanced ) and (\n\ncafé “quoted” – ‘x’ — 5€ ©\nα\n\u{c}next page\n";
    let pdf = pdf_of(text);
    assert!(pdf.starts_with(b"%PDF-1.4"));
    let read = pdf_extract::extract_text_from_mem(&pdf).expect("pdf-extract reads it");
    assert_eq!(
        read,
        "\n\nNorco (hydrocodone) 10\\325mg\nunbalanced ) and (\n\ncafé “quoted” – ‘x’ — 5€ ©\n?\n\nnext page"
    );
}

#[test]
fn partial_authorisations_in_both_wordings() {
    let records = twins(&[named("partial", partial_authorisations())], 0);
    assert_eq!(
        each(&records, "item"),
        [
            "Norco 10/325mg #30",
            "Percocet 5/325 mg. #60",
            "Physical therapy x 6 for the lumbar spine"
        ]
    );
    assert_eq!(
        each(&records, "outcome"),
        [json!("upheld"), json!("overturned"), json!("upheld")]
    );
}

/// The records of the two-decision letters of `boundaries`, checked.
fn title_boundary_twins(boundaries: &[&str]) {
    let letters: Vec<_> = boundaries
        .iter()
        .enumerate()
        .map(|(n, case)| named(&format!("title_{n}"), title_boundary(case)))
        .collect();
    let records = twins(&letters, 0);
    assert_eq!(records.len(), 2 * boundaries.len());
    for (pair, case) in records.chunks(2).zip(boundaries) {
        assert_eq!(
            each(pair, "item"),
            ["Norco 10/325mg #90", "Terocin patches #30"],
            "{case:?}"
        );
        assert_eq!(
            pair[1]["rationale"], "Not recommended. The request is not medically necessary.",
            "{case:?}"
        );
    }
}

#[test]
fn title_boundaries() {
    let on_one_page: Vec<&str> = TITLE_BOUNDARIES
        .into_iter()
        .filter(|case| !case.contains('\u{c}'))
        .collect();
    assert_eq!(on_one_page.len(), 3);
    title_boundary_twins(&on_one_page);
}

/// From the PDF the title reads "Terocin CM16-0123456 patches #30": what
/// pdf-extract gives has no form feed, so the running header at the top
/// of page 2 is not trimmed as page furniture (read.rs, decode.rs).
#[test]
fn a_title_wrapped_over_a_page_break() {
    let over_a_break: Vec<&str> = TITLE_BOUNDARIES
        .into_iter()
        .filter(|case| case.contains('\u{c}'))
        .collect();
    assert_eq!(over_a_break.len(), 1);
    title_boundary_twins(&over_a_break);
}

#[test]
fn a_rationale_ending_after_a_page_break_keeps_its_last_line() {
    let records = twins(&[named("form_feed", rationale_after_form_feed())], 0);
    assert_eq!(
        each(&records, "rationale"),
        ["Functional improvement is not documented. The request is not medically necessary."]
    );
}

#[test]
fn the_fourteen_mtus_documents_of_2016_17() {
    let letters: Vec<_> = MTUS_DOCUMENTS
        .iter()
        .enumerate()
        .map(|(n, (written, _))| {
            let bases = [
                format!("Decision based on MTUS {written}."),
                format!("Decision based on MTUS {written}, Section(s): Introduction, Page(s): 12."),
            ];
            named(&format!("mtus_{n:02}"), with_bases(&bases))
        })
        .collect();
    let records = twins(&letters, 0);
    assert_eq!(records.len(), 28);
    for (pair, (written, canonical)) in records.chunks(2).zip(MTUS_DOCUMENTS) {
        assert_eq!(
            [reviewer_cites(&pair[0]), reviewer_cites(&pair[1])],
            [
                [mtus(canonical, None, &[])],
                [mtus(canonical, Some("Introduction"), &[12])]
            ],
            "{written}"
        );
    }
}

#[test]
fn the_opioid_guideline_under_its_spellings_is_one_document() {
    let bases: Vec<String> = OPIOID_SPELLINGS
        .iter()
        .map(|written| format!("Decision based on {written}, Section(s): {OPIOID_SECTION}."))
        .collect();
    let records = twins(&[named("opioid", with_bases(&bases))], 0);
    assert_eq!(
        records.iter().map(reviewer_cites).collect::<Vec<_>>(),
        vec![
            vec![mtus(
                "Opioid Treatment Guidelines",
                Some(OPIOID_SECTION),
                &[]
            )];
            OPIOID_SPELLINGS.len()
        ]
    );
}

#[test]
fn numbered_sections_are_kept_as_written() {
    let bases: Vec<String> = NUMBERED_SECTIONS
        .iter()
        .map(|s| format!("Decision based on MTUS Opioid Treatment 2016, Section(s): {s}."))
        .collect();
    let records = twins(&[named("sections", with_bases(&bases))], 0);
    assert_eq!(
        records.iter().map(reviewer_cites).collect::<Vec<_>>(),
        NUMBERED_SECTIONS
            .iter()
            .map(|s| vec![mtus("Opioid Treatment Guidelines", Some(s), &[])])
            .collect::<Vec<_>>()
    );
    assert_eq!(
        each(&records, "item"),
        [
            "Norco 10/325mg #10",
            "Norco 10/325mg #20",
            "Norco 10/325mg #30",
            "Norco 10/325mg #40"
        ]
    );
}

#[test]
fn several_documents_in_one_basis_are_several_citations() {
    let bases = SEVERAL_DOCUMENTS.map(str::to_owned);
    let records = twins(&[named("several", with_bases(&bases))], 0);
    assert_eq!(
        records.iter().map(reviewer_cites).collect::<Vec<_>>(),
        [
            vec![
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
            ],
            vec![
                mtus("Opioid Treatment Guidelines", Some(OPIOID_SECTION), &[]),
                mtus(
                    "Chronic Pain Medical Treatment Guidelines",
                    Some("Topical Analgesics"),
                    &[111, 112, 113]
                ),
            ],
            vec![
                json!(["ODG", "Official Disability Guidelines", "Low Back", []]),
                json!(["other", "FDA", null, []]),
            ],
            vec![
                mtus(
                    "ACOEM Practice Guidelines, Chapter 13 Knee Complaints",
                    Some("Special Studies"),
                    &[]
                ),
                mtus("Postsurgical Treatment Guidelines", Some("Knee"), &[24]),
            ],
        ]
    );
}

#[test]
fn other_layouts_are_indexed_whole_and_flagged() {
    let letters: Vec<_> = OTHER_LAYOUTS
        .iter()
        .enumerate()
        .map(|(n, text)| named(&format!("layout_{n}"), (*text).to_owned()))
        .collect();
    // Flagged letters make ingest exit 1.
    let records = twins(&letters, 1);
    assert_eq!(records.len(), 3);
    for record in &records {
        assert_eq!(
            [&record["decision"], &record["outcome"], &record["flags"]],
            [&json!(0), &json!("unknown"), &json!(["other_layout"])]
        );
        let rationale = record["rationale"].as_str().expect("rationale");
        assert!(rationale.contains("Norco 10/325mg #90"), "{rationale}");
    }
}
