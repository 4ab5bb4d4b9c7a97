//! Alerts: a run's reports (each alert's new decisions, as `imr search`
//! prints hits) and the list of saved alerts, as text or JSON.

use std::io::Write;

use serde::Serialize;

use super::Style;
use super::json::json_line;
use super::stats::{Align, Table};
use super::text::hit_block;
use crate::query::Filters;
use crate::query::alert::{Report, Saved};

/// Per alert: its name and how many decisions are new, then each as
/// `imr search` prints a hit.
pub fn report(report: &Report, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let new = match report.total {
        0 => "no new decisions".to_owned(),
        1 => "1 new decision".to_owned(),
        n => format!("{n} new decisions"),
    };
    writeln!(
        out,
        "alert {}: {new} ({})",
        report.alert,
        command_line(&report.query, &report.filters)
    )?;
    for (n, hit) in report.hits.iter().enumerate() {
        hit_block(n + 1, hit, style, out)?;
    }
    Ok(())
}

/// One JSON object per alert on its own line: `{"alert", "query",
/// "filters", "total", "hits"}`, the hits as `imr search --format json`
/// gives them.
pub fn report_json(report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    json_line(report, out)
}

/// The saved alerts as a table: name, search, when each last ran and how
/// many decisions it has reported.
pub fn list(saved: &[Saved], style: Style, out: &mut impl Write) -> std::io::Result<()> {
    if saved.is_empty() {
        return writeln!(out, "no alerts; add one with `imr alert add NAME QUERY`");
    }
    let mut table = Table::new(&[
        ("name", Align::Left),
        ("search", Align::Left),
        ("last run", Align::Left),
        ("reported", Align::Right),
    ]);
    for s in saved {
        table.push(match s {
            Saved::Alert(a) => vec![
                a.name.clone(),
                command_line(&a.query, &a.filters),
                a.last_run.clone().unwrap_or_else(|| "never".to_owned()),
                a.reported.len().to_string(),
            ],
            Saved::Unreadable { name, reason, .. } => {
                vec![
                    name.clone(),
                    format!("(unreadable: {reason})"),
                    String::new(),
                    String::new(),
                ]
            }
        });
    }
    table.write(style, out)
}

/// An alert as `imr alert list --format json` gives it.
#[derive(Serialize)]
#[serde(untagged)]
enum Listed<'a> {
    Alert {
        name: &'a str,
        query: &'a str,
        filters: &'a Filters,
        created: &'a str,
        last_run: Option<&'a str>,
        /// How many decisions it has reported.
        reported: usize,
    },
    Unreadable {
        name: &'a str,
        error: &'a str,
    },
}

/// One JSON object per alert, on its own line.
pub fn list_json(saved: &[Saved], out: &mut impl Write) -> std::io::Result<()> {
    for s in saved {
        let listed = match s {
            Saved::Alert(a) => Listed::Alert {
                name: &a.name,
                query: &a.query,
                filters: &a.filters,
                created: &a.created,
                last_run: a.last_run.as_deref(),
                reported: a.reported.len(),
            },
            Saved::Unreadable { name, reason, .. } => Listed::Unreadable {
                name,
                error: reason,
            },
        };
        json_line(&listed, out)?;
    }
    Ok(())
}

/// A search as `imr search` takes it, quoted for a shell:
/// `MRI --outcome overturned`, `'"topical analgesics"' --page 111`.
pub fn command_line(query: &str, filters: &Filters) -> String {
    let mut words = vec![quoted(query)];
    let flags = [
        ("outcome", filters.outcome.clone()),
        ("drug", filters.drug.clone()),
        ("class", filters.class.clone()),
        ("category", filters.category.clone()),
        ("guideline", filters.guideline.clone()),
        ("page", filters.page.map(|p| p.to_string())),
        ("specialty", filters.specialty.clone()),
        ("state", filters.state.clone()),
        ("since", filters.since.clone()),
        ("until", filters.until.clone()),
    ];
    for (flag, value) in flags {
        if let Some(v) = value {
            words.push(format!("--{flag} {}", quoted(&v)));
        }
    }
    words.join(" ")
}

/// A word as a POSIX shell reads it back: as it is when it holds nothing
/// a shell would read otherwise, else in single quotes.
fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:/@%+=".contains(c));
    match plain {
        true => word.to_owned(),
        false => format!("'{}'", word.replace('\'', r"'\''")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_is_written_as_a_command_line_would_take_it() {
        let filters = Filters {
            outcome: Some("overturned".into()),
            drug: Some("methyl salicylate".into()),
            page: Some(111),
            ..Filters::default()
        };
        assert_eq!(
            command_line("MRI", &filters),
            "MRI --outcome overturned --drug 'methyl salicylate' --page 111"
        );
        assert_eq!(command_line("*", &Filters::default()), "'*'");
        assert_eq!(
            command_line(
                "\"topical analgesics\" AND drug:capsaicin",
                &Filters::default()
            ),
            "'\"topical analgesics\" AND drug:capsaicin'"
        );
        assert_eq!(command_line("it's", &Filters::default()), r"'it'\''s'");
    }
}
