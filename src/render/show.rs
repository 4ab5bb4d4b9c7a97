//! One whole decision: item, outcome, reviewer, citations and the full
//! rationale, ending with a citation line a brief can quote.

use std::io::Write;

use serde::Serialize;

use super::Style;
use crate::citation::{By, Citation, Source};
use crate::decision::Outcome;
use crate::record::Record;

pub fn text(r: &Record, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let heading = |name: &str| style.bold(name);
    let label = |name: &str| heading(&format!("{name:<12}"));
    writeln!(out, "{}{}", label("Decision"), r.reference())?;
    let rows = [
        ("Item", Some(item(r).to_owned())),
        ("Outcome", Some(outcome_words(r.outcome).to_owned())),
        ("Case number", r.case_number.clone()),
        ("Dated", r.cover.dated.clone()),
        ("Reviewer", reviewer(r)),
        ("Drugs", list(&r.drugs)),
        ("Pages cited", list(&r.pages)),
        ("Flags", list(&r.flags)),
    ];
    for (name, value) in rows {
        if let Some(value) = value {
            writeln!(out, "{}{value}", label(name))?;
        }
    }
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

/// The record with how to name and cite it.
#[derive(Serialize)]
struct Shown<'a> {
    reference: String,
    citation: String,
    #[serde(flatten)]
    record: &'a Record,
}

pub fn json(r: &Record, out: &mut impl Write) -> std::io::Result<()> {
    let shown = Shown {
        reference: r.reference(),
        citation: citation_line(r),
        record: r,
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

fn item(r: &Record) -> &str {
    if r.item.is_empty() {
        "(no decision read)"
    } else {
        &r.item
    }
}

fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Upheld => "upheld (the denial stands: not medically necessary)",
        Outcome::Overturned => "overturned (medically necessary)",
        Outcome::Unknown => "unknown (the letter does not state it readably)",
    }
}

fn reviewer(r: &Record) -> Option<String> {
    let v = &r.reviewer;
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
fn describe(c: &Citation) -> String {
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
