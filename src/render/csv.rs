//! CSV output for spreadsheets and data frames (RFC 4180, a header row):
//! search hits, one row each with what is needed to cite it; exported
//! records, one row per decision in a fixed column order.

use std::io::Write;

use crate::citation::By;
use crate::query::Results;
use crate::record::Record;

const HEADER: [&str; 12] = [
    "source",
    "case_number",
    "decision_date",
    "decision",
    "item",
    "outcome",
    "pages",
    "guidelines",
    "drugs",
    "specialty",
    "score",
    "excerpt",
];

pub fn search(results: &Results, out: &mut impl Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for hit in &results.hits {
        let r = &hit.record;
        let pages: Vec<String> = r.pages.iter().map(u32::to_string).collect();
        writer.write_record([
            r.source.as_str(),
            r.case_number.as_deref().unwrap_or(""),
            r.cover.dated.as_deref().unwrap_or(""),
            &r.decision.to_string(),
            &r.item,
            r.outcome.as_str(),
            &pages.join(" "),
            &reviewer_guidelines(r).join("; "),
            &r.drugs.join("; "),
            r.reviewer.specialty.as_deref().unwrap_or(""),
            &format!("{:.3}", hit.score),
            &hit.excerpt,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// The columns of `imr export --format csv`, in order. A list is joined
/// by "; "; a missing value is an empty field.
pub const EXPORT_COLUMNS: [&str; 16] = [
    "case_number",
    "source",
    "decision",
    // The letter's date (its cover's "Dated").
    "decision_date",
    "outcome",
    "item",
    "category",
    "subcategory",
    "drugs",
    "drug_classes",
    "specialty",
    "licensed_in",
    // The documents the reviewer cites, as "SOURCE: document", once each
    // in the order cited.
    "guideline_documents",
    // The sections the reviewer cites, as written, once each in the order
    // cited.
    "guideline_sections",
    "pages",
    "rationale",
];

/// The header row of the export CSV.
pub fn export_header() -> [&'static str; 16] {
    EXPORT_COLUMNS
}

/// One record as a row of the export CSV, its fields in the order of
/// [`EXPORT_COLUMNS`].
pub fn export_row(r: &Record) -> [String; 16] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let joined = |v: &[String]| v.join("; ");
    let pages: Vec<String> = r.pages.iter().map(u32::to_string).collect();
    let mut sections: Vec<String> = Vec::new();
    let cited = r.guidelines.iter().filter(|c| c.by == By::Reviewer);
    for section in cited.filter_map(|c| c.section.as_ref()) {
        if !sections.contains(section) {
            sections.push(section.clone());
        }
    }
    [
        opt(&r.case_number),
        r.source.clone(),
        r.decision.to_string(),
        opt(&r.cover.dated),
        r.outcome.as_str().to_owned(),
        r.item.clone(),
        opt(&r.category),
        opt(&r.subcategory),
        joined(&r.drugs),
        joined(&r.drug_classes),
        opt(&r.reviewer.specialty),
        joined(&r.reviewer.licensed_in),
        joined(&reviewer_guidelines(r)),
        joined(&sections),
        joined(&pages),
        r.rationale.clone(),
    ]
    .map(|field| {
        // A NUL byte stops some readers short; letters never need one.
        if field.contains('\0') {
            field.replace('\0', "")
        } else {
            field
        }
    })
}

/// Writes exported records as CSV, a row at a time: the header first,
/// then each record as it comes.
pub struct Export<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> Export<W> {
    /// Writes the header row.
    pub fn new(out: W) -> std::io::Result<Export<W>> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(export_header())?;
        Ok(Export { writer })
    }

    pub fn row(&mut self, r: &Record) -> std::io::Result<()> {
        Ok(self.writer.write_record(export_row(r))?)
    }

    /// Flushes what is buffered and gives the writer back.
    pub fn finish(self) -> std::io::Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| std::io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

/// "MTUS: Chronic Pain Medical Treatment Guidelines", once each, as the
/// reviewer cited them.
fn reviewer_guidelines(r: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in r.guidelines.iter().filter(|c| c.by == By::Reviewer) {
        let label = c.label();
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terocin() -> Record {
        let text = std::fs::read_to_string("data/letters/003_7836691e6d3f4cd1.txt").unwrap();
        let mut parsed = crate::ingest::parse("003.txt", text.as_bytes()).unwrap();
        parsed.records.remove(1)
    }

    #[test]
    fn an_export_row_has_a_field_per_column() {
        let r = terocin();
        let row = export_row(&r);
        assert_eq!(row.len(), EXPORT_COLUMNS.len());
        let field = |name: &str| {
            let at = EXPORT_COLUMNS.iter().position(|c| *c == name).unwrap();
            row[at].as_str()
        };
        assert_eq!(field("item"), "Terocin");
        assert_eq!(field("decision"), "2");
        assert_eq!(field("pages"), "105; 111; 112");
        assert_eq!(
            field("drugs"),
            "capsaicin; lidocaine; menthol; methyl salicylate"
        );
        assert_eq!(
            field("guideline_documents"),
            "MTUS: Chronic Pain Medical Treatment Guidelines; other: drugs.com"
        );
    }

    #[test]
    fn export_rows_read_back_as_written() {
        let mut r = terocin();
        r.item = "a \"quoted\", item\nand\0 more".into();
        let mut csv = Export::new(Vec::new()).unwrap();
        csv.row(&r).unwrap();
        let bytes = csv.finish().unwrap();
        assert!(!bytes.contains(&0));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, EXPORT_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][5], "a \"quoted\", item\nand more");
    }
}
