//! Outcome statistics: an aligned table with a small bar per group for
//! people, JSON and CSV for analysis elsewhere. Also the table, bar and
//! percentage helpers the citator's output shares.

use std::io::Write;

use super::json::json_line;

use super::Style;
use crate::query::stats::{Counts, Group, Stats};

pub fn text(stats: &Stats, style: Style, out: &mut impl Write) -> std::io::Result<()> {
    let mut table = Table::new(&[
        (stats.by, Align::Left),
        ("decisions", Align::Right),
        ("upheld", Align::Right),
        ("overturned", Align::Right),
        ("rate", Align::Right),
        ("95% CI", Align::Right),
        ("", Align::Left),
    ]);
    for g in &stats.groups {
        // Names are never cut: a column widens to its longest.
        let mut row = vec![g.group.clone(), g.counts.decisions.to_string()];
        row.extend(outcome_cells(&g.counts));
        row.push(interval(g));
        row.push(bar(&g.counts, style));
        table.push(row);
    }
    table.write(style, out)?;
    let t = &stats.total;
    let without = match stats.without {
        0 => String::new(),
        n => format!("; {n} with no {}", stats.by),
    };
    writeln!(
        out,
        "{} decisions: {} upheld, {} overturned{without}; {} of {} groups shown",
        t.decisions,
        t.upheld,
        t.overturned,
        stats.groups.len(),
        stats.group_count
    )
}

pub fn json(stats: &Stats, out: &mut impl Write) -> std::io::Result<()> {
    json_line(stats, out)
}

pub fn csv(stats: &Stats, out: &mut impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        stats.by,
        "decisions",
        "upheld",
        "overturned",
        "unknown",
        "overturn_rate",
        "ci_low",
        "ci_high",
    ])?;
    for g in &stats.groups {
        let c = &g.counts;
        w.write_record([
            g.group.clone(),
            c.decisions.to_string(),
            c.upheld.to_string(),
            c.overturned.to_string(),
            c.unknown.to_string(),
            optional(g.overturn_rate),
            optional(g.ci_low),
            optional(g.ci_high),
        ])?;
    }
    w.flush()
}

/// The bar's width in cells.
const BAR_CELLS: usize = 10;

pub(crate) fn optional(x: Option<f64>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

/// Upheld, overturned and the overturn rate as table cells.
pub(crate) fn outcome_cells(c: &Counts) -> [String; 3] {
    [
        c.upheld.to_string(),
        c.overturned.to_string(),
        c.overturn_rate().map_or_else(|| "–".to_owned(), percent),
    ]
}

pub(crate) fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn interval(g: &Group) -> String {
    match g.counts.interval() {
        Some((low, high)) => format!("{:.0}–{}", low * 100.0, percent(high)),
        None => "–".to_owned(),
    }
}

/// The overturn rate as a filled bar, shaded on to the interval's upper
/// bound: `███▍░░░   ` is 34%, plausibly up to 70%.
fn bar(c: &Counts, style: Style) -> String {
    const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let (Some(rate), Some((_, high))) = (c.overturn_rate(), c.interval()) else {
        return String::new();
    };
    let eighths = (rate * (BAR_CELLS * 8) as f64).round() as usize;
    let mut filled = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        filled.push(EIGHTHS[eighths % 8]);
    }
    let used = filled.chars().count();
    let shaded_to = ((high * BAR_CELLS as f64).round() as usize).max(used);
    let shade = "░".repeat(shaded_to - used);
    match style {
        Style::Color => format!("\x1b[33m{filled}\x1b[2m{shade}\x1b[0m"),
        Style::Plain => format!("{filled}{shade}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// Columns aligned on their widest cell; the last column is not padded,
/// so it may hold long text or colour codes.
pub(crate) struct Table {
    headers: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub(crate) fn new(headers: &[(&'static str, Align)]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub(crate) fn write(&self, style: Style, out: &mut impl Write) -> std::io::Result<()> {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                let cells = self.rows.iter().filter_map(|r| r.get(i));
                cells
                    .map(|c| c.chars().count())
                    .chain([self.headers[i].0.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let headers: Vec<String> = self.headers.iter().map(|h| h.0.to_owned()).collect();
        let header = self.line(&headers, &widths);
        writeln!(out, "{}", style.bold(&header))?;
        for row in &self.rows {
            writeln!(out, "{}", self.line(row, &widths))?;
        }
        Ok(())
    }

    fn line(&self, cells: &[String], widths: &[usize]) -> String {
        let last = cells.len().saturating_sub(1);
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = widths[i].saturating_sub(cell.chars().count());
                match self.headers[i].1 {
                    Align::Right => format!("{}{cell}", " ".repeat(pad)),
                    Align::Left if i == last => cell.clone(),
                    Align::Left => format!("{cell}{}", " ".repeat(pad)),
                }
            })
            .collect();
        padded.join("  ").trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(upheld: u64, overturned: u64) -> Counts {
        Counts {
            decisions: upheld + overturned,
            upheld,
            overturned,
            unknown: 0,
        }
    }

    #[test]
    fn bars_fill_to_the_rate_and_shade_to_the_upper_bound() {
        // 5 of 10: 50%, interval 24–76%.
        assert_eq!(bar(&counts(5, 5), Style::Plain), "█████░░░");
        // None of 3: 0%, up to 56%.
        assert_eq!(bar(&counts(3, 0), Style::Plain), "░░░░░░");
        assert_eq!(bar(&counts(0, 0), Style::Plain), "");
        assert_eq!(
            bar(&counts(5, 5), Style::Color),
            "\x1b[33m█████\x1b[2m░░░\x1b[0m"
        );
    }

    #[test]
    fn tables_align_and_leave_the_last_column_unpadded() {
        let mut t = Table::new(&[
            ("drug", Align::Left),
            ("n", Align::Right),
            ("", Align::Left),
        ]);
        t.push(vec!["capsaicin".into(), "5".into(), "██".into()]);
        t.push(vec!["omeprazole".into(), "12".into(), String::new()]);
        let mut out = Vec::new();
        t.write(Style::Plain, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "drug         n\ncapsaicin    5  ██\nomeprazole  12\n"
        );
    }
}
