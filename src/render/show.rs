//! One whole decision, or a whole letter: item, outcome, reviewer,
//! citations and the full rationale, each decision ending with a citation
//! line a brief can quote.

use std::io::Write;

use serde::Serialize;

use super::Style;
use crate::citation::{By, Citation, Source};
use crate::decision::Outcome;
use crate::letter::{Cover, Reviewer};
use crate::query::LetterRecords;
use crate::record::Record;

/// One decision with what its letter says of it: case number, date and
/// reviewer.
pub fn text(r: &Record, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    decision(r, true, style, out)
}

/// A whole letter: its source, case number, cover dates and reviewer
/// once, then each decision in order, with its own citation line.
pub fn letter_text(l: &LetterRecords, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let c = &l.cover;
    let rows = [
        ("Letter", Some(l.source.clone())),
        ("Case number", l.case_number.clone()),
        ("Dated", c.dated.clone()),
        ("Assigned", c.date_assigned.clone()),
        ("Injured", c.date_of_injury.clone()),
        ("UR decision", c.ur_decision_date.clone()),
        ("Received", c.application_received.clone()),
        ("Reviewer", reviewer(&l.reviewer)),
        ("Decisions", Some(l.decisions.len().to_string())),
    ];
    write_rows(&rows, style, out)?;
    for r in &l.decisions {
        writeln!(out)?;
        decision(r, false, style, out)?;
    }
    Ok(())
}

/// A decision's lines; its letter's case number, date and reviewer only
/// when `with_letter`.
fn decision(
    r: &Record,
    with_letter: bool,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let heading = |name: &str| style.bold(name);
    let of_letter = |value: Option<String>| value.filter(|_| with_letter);
    let rows = [
        ("Decision", Some(r.reference())),
        ("Item", Some(item(r).to_owned())),
        ("Outcome", Some(outcome_words(r.outcome).to_owned())),
        ("Case number", of_letter(r.case_number.clone())),
        ("Dated", of_letter(r.cover.dated.clone())),
        ("Reviewer", of_letter(reviewer(&r.reviewer))),
        ("Drugs", list(&r.drugs)),
        ("Pages cited", list(&r.pages)),
        ("Flags", list(&r.flags)),
    ];
    write_rows(&rows, style, out)?;
    for (by, title) in [
        (By::Reviewer, "Reviewer's guideline basis"),
        (
            By::ClaimsAdministrator,
            "Claims administrator's guideline basis",
        ),
    ] {
        let cited: Vec<&Citation> = r.guidelines.iter().filter(|c| c.by == by).collect();
        if cited.is_empty() {
            continue;
        }
        writeln!(out, "{}", heading(title))?;
        for c in cited {
            writeln!(out, "  {}", describe(c))?;
            writeln!(out, "    \"{}\"", c.text)?;
        }
    }
    writeln!(out, "{}", heading("Rationale"))?;
    for line in wrap(&r.rationale, WIDTH) {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "{}", heading("Cite as"))?;
    writeln!(out, "  {}", citation_line(r))
}

/// "Label       value" lines, in bold on a terminal, for the rows that
/// have a value.
fn write_rows(
    rows: &[(&str, Option<String>)],
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for (name, value) in rows {
        if let Some(value) = value {
            writeln!(out, "{}{value}", style.bold(&format!("{name:<12}")))?;
        }
    }
    Ok(())
}

/// The record with how to name and cite it.
#[derive(Serialize)]
struct Shown<'a> {
    reference: String,
    citation: String,
    #[serde(flatten)]
    record: &'a Record,
}

impl<'a> Shown<'a> {
    fn new(r: &'a Record) -> Self {
        Shown {
            reference: r.reference(),
            citation: citation_line(r),
            record: r,
        }
    }
}

pub fn json(r: &Record, out: &mut impl Write) -> std::io::Result<()> {
    super::json::json_line(&Shown::new(r), out)
}

/// A letter as JSON: what its decisions share, then each decision as
/// `json` shows it.
#[derive(Serialize)]
struct ShownLetter<'a> {
    source: &'a str,
    case_number: Option<&'a str>,
    cover: &'a Cover,
    reviewer: &'a Reviewer,
    decisions: Vec<Shown<'a>>,
}

/// `{"source", "case_number", "cover", "reviewer", "decisions": [...]}` on
/// one line.
pub fn letter_json(l: &LetterRecords, out: &mut impl Write) -> std::io::Result<()> {
    let shown = ShownLetter {
        source: &l.source,
        case_number: l.case_number.as_deref(),
        cover: &l.cover,
        reviewer: &l.reviewer,
        decisions: l.decisions.iter().map(Shown::new).collect(),
    };
    super::json::json_line(&shown, out)
}

/// Rationale lines are wrapped to this many characters.
const WIDTH: usize = 78;

/// One line to quote in a brief: the determination, the decision, the
/// date, the ruling on the item and the guidelines the reviewer relied on.
///
/// `IMR Final Determination No. CM17-0019120, decision 2 (Cal. Div.
/// Workers' Comp. Feb. 24, 2017) (overturning the denial of "MRI of the
/// right knee without contrast"; citing MTUS ACOEM Practice Guidelines,
/// Chapter 13 Knee Complaints, p. 343)`
pub fn citation_line(r: &Record) -> String {
    let letter = match &r.case_number {
        Some(case) => format!("No. {case}"),
        None => r.source.clone(),
    };
    let date = r
        .cover
        .dated
        .as_deref()
        .and_then(court_date)
        .map_or_else(|| ", undated".to_owned(), |d| format!(" {d}"));
    let ruling = match r.outcome {
        Outcome::Upheld => "upholding the denial of",
        Outcome::Overturned => "overturning the denial of",
        Outcome::Unknown => "outcome not stated, on",
    };
    let cited: Vec<String> = r
        .guidelines
        .iter()
        .filter(|c| c.by == By::Reviewer && c.source != Source::None)
        .map(describe)
        .collect();
    let citing = if cited.is_empty() {
        String::new()
    } else {
        format!("; citing {}", cited.join("; "))
    };
    format!(
        "IMR Final Determination {letter}, decision {} (Cal. Div. Workers' Comp.{date}) ({ruling} \"{}\"{citing})",
        r.decision,
        item(r)
    )
}

/// The decision's item, or a note that none was read.
pub fn item(r: &Record) -> &str {
    if r.item.is_empty() {
        "(no decision read)"
    } else {
        &r.item
    }
}

/// The outcome with what it means for the treatment.
pub fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Upheld => "upheld (the denial stands: not medically necessary)",
        Outcome::Overturned => "overturned (medically necessary)",
        Outcome::Unknown => "unknown (the letter does not state it readably)",
    }
}

/// "Family Practice; licensed in New Jersey", when the letter says.
pub fn reviewer(v: &Reviewer) -> Option<String> {
    let mut parts: Vec<String> = [&v.specialty, &v.subspecialty]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if !v.licensed_in.is_empty() {
        parts.push(format!("licensed in {}", v.licensed_in.join(", ")));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn list<T: ToString>(values: &[T]) -> Option<String> {
    let all: Vec<String> = values.iter().map(T::to_string).collect();
    (!all.is_empty()).then(|| all.join(", "))
}

/// "MTUS Chronic Pain Medical Treatment Guidelines, Topical Analgesics, p. 111".
pub fn describe(c: &Citation) -> String {
    let mut parts = Vec::new();
    let document = c.document.as_deref().unwrap_or("(document not named)");
    parts.push(match c.source {
        Source::Other | Source::None => document.to_owned(),
        source => format!("{} {document}", source.as_str()),
    });
    parts.extend(c.section.clone());
    parts.extend(pages(&c.pages));
    parts.join(", ")
}

/// "p. 47", "pp. 111-113", "pp. 41, 64".
fn pages(pages: &[u32]) -> Option<String> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &p in pages {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let written: Vec<String> = runs
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect();
    match pages.len() {
        0 => None,
        1 => Some(format!("p. {}", written[0])),
        _ => Some(format!("pp. {}", written.join(", "))),
    }
}

/// "2017-02-24" → "Feb. 24, 2017", as courts abbreviate months.
fn court_date(iso: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.",
    ];
    let mut parts = iso.split('-');
    let year = parts.next()?;
    let month: usize = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    Some(format!(
        "{} {day}, {year}",
        MONTHS.get(month.checked_sub(1)?)?
    ))
}

/// Lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_compress_runs() {
        assert_eq!(pages(&[47]).as_deref(), Some("p. 47"));
        assert_eq!(pages(&[111, 112, 113]).as_deref(), Some("pp. 111-113"));
        assert_eq!(pages(&[41, 64]).as_deref(), Some("pp. 41, 64"));
        assert_eq!(pages(&[]), None);
    }

    #[test]
    fn dates_as_courts_write_them() {
        assert_eq!(court_date("2017-02-24").as_deref(), Some("Feb. 24, 2017"));
        assert_eq!(court_date("2016-09-01").as_deref(), Some("Sept. 1, 2016"));
        assert_eq!(court_date("2016-13-01"), None);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
