//! Text output for people: hits with highlighted excerpts, then facet
//! counts on a few compact lines.

use std::io::Write;

use super::Style;
use crate::query::{FACETS, Hit, Results};

/// Facet values shown per facet line.
const FACET_VALUES: usize = 8;

pub fn search(results: &Results, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    for (n, hit) in results.hits.iter().enumerate() {
        hit_block(n + 1, hit, style, out)?;
    }
    let shown = results.hits.len();
    writeln!(out, "{shown} of {} matching decisions shown", results.total)?;
    let named = FACETS
        .iter()
        .filter_map(|n| Some((*n, results.facets.get(*n)?)));
    for (name, values) in named {
        if values.is_empty() {
            continue;
        }
        let mut values: Vec<(&String, &u64)> = values.iter().collect();
        values.sort_by(|a, b| b.1.cmp(a.1).then_with(|| natural(a.0).cmp(&natural(b.0))));
        let listed: Vec<String> = values
            .iter()
            .take(FACET_VALUES)
            .map(|(v, c)| format!("{v} {c}"))
            .collect();
        let more = values.len().saturating_sub(FACET_VALUES);
        let more = if more > 0 {
            format!(", +{more} more")
        } else {
            String::new()
        };
        writeln!(out, "  {name}: {}{more}", listed.join(", "))?;
    }
    Ok(())
}

/// Numbers sort as numbers ("41" before "111").
fn natural(s: &str) -> (usize, &str) {
    (
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.len()
        } else {
            usize::MAX
        },
        s,
    )
}

pub(crate) fn hit_block(
    n: usize,
    hit: &Hit,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let r = &hit.record;
    let case = r
        .case_number
        .as_deref()
        .map(|c| format!("  {c}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{n}. {}{case}  {}  score {:.2}",
        r.reference(),
        r.outcome.as_str(),
        hit.score
    )?;
    writeln!(
        out,
        "   {}",
        if r.item.is_empty() {
            "(no decision read)"
        } else {
            &r.item
        }
    )?;
    if !hit.matched_drugs.is_empty() {
        writeln!(out, "   matched drug: {}", hit.matched_drugs.join(", "))?;
    }
    if !r.pages.is_empty() {
        let pages: Vec<String> = r.pages.iter().map(u32::to_string).collect();
        writeln!(out, "   pages cited: {}", pages.join(", "))?;
    }
    writeln!(
        out,
        "   {}",
        highlight(&hit.excerpt, &hit.highlights, style)
    )?;
    writeln!(out)
}

/// The excerpt with its highlighted ranges in bold (or unmarked when plain).
pub fn highlight(text: &str, ranges: &[(usize, usize)], style: Style) -> String {
    if style == Style::Plain {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(before);
        out.push_str(&style.bold(word));
        at = end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_only_when_coloured() {
        assert_eq!(
            highlight("as noted on page 41", &[(3, 8)], Style::Color),
            "as \x1b[1mnoted\x1b[0m on page 41"
        );
        assert_eq!(
            highlight("as noted on page 41", &[(3, 8)], Style::Plain),
            "as noted on page 41"
        );
    }
}
