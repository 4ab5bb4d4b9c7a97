//! Precedents: the citation index, the decisions citing one page or
//! section, and similar decisions, as text, JSON and CSV.

use std::io::Write;

use super::Style;
use super::json::json_line;
use super::stats::{Align, Table, optional, outcome_cells, percent};
use crate::query::cites::{CitationIndex, Citings};
use crate::query::similar::Similar;
use crate::query::stats::Counts;

pub fn index_text(
    index: &CitationIndex,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut table = Table::new(&[
        ("#", Align::Right),
        ("decisions", Align::Right),
        ("upheld", Align::Right),
        ("overturned", Align::Right),
        ("rate", Align::Right),
        ("cited", Align::Left),
        ("document", Align::Left),
    ]);
    for (n, row) in index.rows.iter().enumerate() {
        let cited = match row.kind {
            "page" => format!("page {}", row.cited),
            _ => row.cited.clone(),
        };
        let mut cells = vec![(n + 1).to_string(), row.counts.decisions.to_string()];
        cells.extend(outcome_cells(&row.counts));
        cells.extend([cited, row.document.clone()]);
        table.push(cells);
    }
    table.write(style, out)?;
    writeln!(
        out,
        "{} of {} pages and sections shown, cited in {} decisions",
        index.rows.len(),
        index.row_count,
        index.total
    )
}

pub fn index_json(index: &CitationIndex, out: &mut impl Write) -> std::io::Result<()> {
    json_line(index, out)
}

pub fn index_csv(index: &CitationIndex, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "kind",
        "cited",
        "document",
        "decisions",
        "upheld",
        "overturned",
        "unknown",
        "overturn_rate",
    ])?;
    for row in &index.rows {
        let c = &row.counts;
        w.write_record([
            row.kind.to_owned(),
            row.cited.clone(),
            row.document.clone(),
            c.decisions.to_string(),
            c.upheld.to_string(),
            c.overturned.to_string(),
            c.unknown.to_string(),
            optional(row.overturn_rate),
        ])?;
    }
    w.flush()
}

pub fn citing_text(citings: &Citings, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let heading = format!("{}: {}", citings.cited, summary(&citings.total));
    writeln!(out, "{}", style.bold(&heading))?;
    writeln!(out)?;
    for (n, c) in citings.decisions.iter().enumerate() {
        let mut header = format!("{}. {}", n + 1, c.reference);
        for part in [&c.case_number, &c.dated].into_iter().flatten() {
            header.push_str("  ");
            header.push_str(part);
        }
        writeln!(out, "{header}  {}", c.outcome.as_str())?;
        writeln!(out, "   {}", c.item)?;
        writeln!(out, "   {}", c.document)?;
        writeln!(out, "   \"{}\"", c.passage)?;
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} of {} decisions shown",
        citings.decisions.len(),
        citings.total.decisions
    )
}

/// "5 decisions: 4 upheld, 1 overturned (20% overturned)".
fn summary(c: &Counts) -> String {
    let rate = c
        .overturn_rate()
        .map(|r| format!(" ({} overturned)", percent(r)))
        .unwrap_or_default();
    let plural = if c.decisions == 1 { "" } else { "s" };
    format!(
        "{} decision{plural}: {} upheld, {} overturned{rate}",
        c.decisions, c.upheld, c.overturned
    )
}

pub fn citing_json(citings: &Citings, out: &mut impl Write) -> std::io::Result<()> {
    json_line(citings, out)
}

pub fn citing_csv(citings: &Citings, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "reference",
        "source",
        "case_number",
        "decision",
        "outcome",
        "item",
        "dated",
        "document",
        "passage",
    ])?;
    for c in &citings.decisions {
        w.write_record([
            c.reference.clone(),
            c.source.clone(),
            c.case_number.clone().unwrap_or_default(),
            c.decision.to_string(),
            c.outcome.as_str().to_owned(),
            c.item.clone(),
            c.dated.clone().unwrap_or_default(),
            c.document.clone(),
            c.passage.clone(),
        ])?;
    }
    w.flush()
}

pub fn similar_text(similar: &Similar, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let like = match (&similar.item, similar.outcome) {
        (Some(item), Some(outcome)) => {
            format!("{} ({item}, {})", similar.like, outcome.as_str())
        }
        _ => format!("\"{}\"", similar.like),
    };
    writeln!(out, "{}", style.bold(&format!("Decisions like {like}")))?;
    writeln!(out)?;
    for (n, hit) in similar.hits.iter().enumerate() {
        super::text::hit_block(n + 1, hit, style, out)?;
    }
    writeln!(
        out,
        "{} of {} similar decisions shown (those scoring at least {:.0}% of the closest's score)",
        similar.hits.len(),
        similar.total,
        crate::query::similar::FLOOR * 100.0
    )
}

pub fn similar_json(similar: &Similar, out: &mut impl Write) -> std::io::Result<()> {
    json_line(similar, out)
}

pub fn similar_csv(similar: &Similar, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "rank",
        "reference",
        "case_number",
        "outcome",
        "score",
        "item",
        "excerpt",
    ])?;
    for (n, hit) in similar.hits.iter().enumerate() {
        let r = &hit.record;
        w.write_record([
            (n + 1).to_string(),
            r.reference(),
            r.case_number.clone().unwrap_or_default(),
            r.outcome.as_str().to_owned(),
            format!("{:.2}", hit.score),
            r.item.clone(),
            hit.excerpt.clone(),
        ])?;
    }
    w.flush()
}
