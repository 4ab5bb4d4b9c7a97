//! CSV output for spreadsheets: one row per hit, with what is needed to
//! cite it.

use std::io::Write;

use crate::citation::By;
use crate::query::Results;

const HEADER: [&str; 11] = [
    "source",
    "case_number",
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

/// "MTUS: Chronic Pain Medical Treatment Guidelines", once each, as the
/// reviewer cited them.
fn reviewer_guidelines(r: &crate::record::Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in r.guidelines.iter().filter(|c| c.by == By::Reviewer) {
        let label = c.label();
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}
