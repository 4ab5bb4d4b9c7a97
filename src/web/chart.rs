//! Charts as SVG, drawn on the server: statistics' groups and a search's
//! months → the coordinates and words the chart templates
//! (`templates/chart_*.html`) write out. Pure: no index, no I/O; every
//! label is escaped by the template.

use crate::query::stats::{Counts, Stats, round4};
use crate::query::timeline::Timeline;

/// A point on an axis and its label.
pub struct Tick {
    pub at: String,
    pub label: String,
}

/// Overturn rates with their 95% intervals, a row per group.
pub struct RateChart {
    pub title: String,
    pub desc: String,
    pub height: String,
    /// Where the axis runs, below the rows.
    pub axis: String,
    pub ticks: Vec<Tick>,
    /// The rate over every decision: a dashed line across the rows.
    pub overall: Option<Tick>,
    pub rows: Vec<RateRow>,
}

pub struct RateRow {
    /// The group's name, cut to fit; `full` whole, shown on hover.
    pub label: String,
    pub full: String,
    pub y: String,
    /// The interval's ends and the rate; none where no outcome is known.
    pub interval: Option<(String, String)>,
    pub rate: Option<String>,
    /// "n=12".
    pub n: String,
}

/// The charts are 760 SVG units wide (scaled to the page). Where the
/// rates' plot starts and ends: group names to its left, the
/// counts to its right.
const PLOT_LEFT: f64 = 230.0;
const PLOT_RIGHT: f64 = 690.0;
const ROW: f64 = 22.0;
const TOP: f64 = 8.0;
/// Characters of a group's name shown before "…".
const LABEL_CHARS: usize = 34;

/// The overturn rate of each group of `stats`, with its interval, and the
/// rate over all of them.
pub fn rates(stats: &Stats) -> RateChart {
    let x = |rate: f64| PLOT_LEFT + rate * (PLOT_RIGHT - PLOT_LEFT);
    let rows: Vec<RateRow> = stats
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| RateRow {
            label: cut(&g.group),
            full: g.group.clone(),
            y: fixed(TOP + ROW * (i as f64 + 0.5)),
            interval: g
                .ci_low
                .zip(g.ci_high)
                .map(|(lo, hi)| (fixed(x(lo)), fixed(x(hi)))),
            rate: g.overturn_rate.map(|r| fixed(x(r))),
            n: format!("n={}", g.counts.decisions),
        })
        .collect();
    let axis = TOP + ROW * rows.len() as f64 + 4.0;
    let overall = stats.total.overturn_rate().map(|r| Tick {
        at: fixed(x(r)),
        label: format!("all: {}", percent(r)),
    });
    RateChart {
        title: format!("Overturn rate by {}, with 95% intervals", stats.by),
        desc: rates_desc(stats),
        height: fixed(axis + 34.0),
        axis: fixed(axis),
        ticks: (0..=4)
            .map(|k| Tick {
                at: fixed(x(f64::from(k) / 4.0)),
                label: format!("{}%", k * 25),
            })
            .collect(),
        overall,
        rows,
    }
}

/// The chart in words, for a screen reader.
fn rates_desc(stats: &Stats) -> String {
    let mut desc = format!(
        "For each {} shown, a dot at the share of its decisions with a known outcome that were overturned, and a line across the 95% Wilson interval of that share",
        stats.by
    );
    if let Some(r) = stats.total.overturn_rate() {
        desc.push_str(&format!(
            "; the dashed line is the rate over all {} decisions, {}",
            stats.total.decisions,
            percent(r)
        ));
    }
    desc.push('.');
    for g in &stats.groups {
        match (g.overturn_rate, g.ci_low, g.ci_high) {
            (Some(r), Some(lo), Some(hi)) => desc.push_str(&format!(
                " {}: {} overturned ({}–{}) of {}.",
                g.group,
                percent(r),
                percent(lo),
                percent(hi),
                g.counts.decisions
            )),
            _ => desc.push_str(&format!(
                " {}: no known outcome among {}.",
                g.group, g.counts.decisions
            )),
        }
    }
    desc
}

/// Decisions and the overturn rate per month (per year when the months
/// span more than twenty years), for one search.
pub struct MonthChart {
    pub title: String,
    pub desc: String,
    /// Where the bars stand.
    pub base: String,
    pub bars: Vec<MonthBar>,
    /// The overturn rate's line, as SVG polyline points, and its dots.
    pub line: String,
    pub dots: Vec<(String, String)>,
    /// Decisions on the left axis, rates on the right, periods below.
    pub counts: Vec<Tick>,
    pub rates: Vec<Tick>,
    pub periods: Vec<Tick>,
}

pub struct MonthBar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    /// "2017-02: 3 decisions, 1 overturned".
    pub label: String,
}

const MONTH_LEFT: f64 = 48.0;
const MONTH_RIGHT: f64 = 712.0;
const MONTH_TOP: f64 = 24.0;
const MONTH_BASE: f64 = 150.0;
/// Months shown one by one; a longer span is shown by year.
const MAX_MONTHS: i64 = 240;

/// The chart of `timeline`, gaps between its months drawn as empty
/// periods; none when no matching decision is dated.
pub fn months(timeline: &Timeline, what: &str) -> Option<MonthChart> {
    let (first, last) = (timeline.months.first()?, timeline.months.last()?);
    let index = |year: i32, month: u8| i64::from(year) * 12 + i64::from(month) - 1;
    let span = index(last.year, last.month) - index(first.year, first.month) + 1;
    let by_year = span > MAX_MONTHS;
    let key = |year: i32, month: u8| match by_year {
        true => i64::from(year),
        false => index(year, month),
    };
    let start = key(first.year, first.month);
    let periods = usize::try_from(key(last.year, last.month) - start + 1).ok()?;
    let mut counts = vec![Counts::default(); periods];
    for m in &timeline.months {
        let at = usize::try_from(key(m.year, m.month) - start).ok()?;
        counts[at].merge(m.counts);
    }
    let name = |at: usize| {
        let k = start + at as i64;
        match by_year {
            true => k.to_string(),
            false => format!("{}-{:02}", k.div_euclid(12), k.rem_euclid(12) + 1),
        }
    };
    let most = counts.iter().map(|c| c.decisions).max().unwrap_or(0);
    let step = nice_step(most);
    let top = (most.div_ceil(step) * step).max(step) as f64;
    let slot = (MONTH_RIGHT - MONTH_LEFT) / periods as f64;
    let height = MONTH_BASE - MONTH_TOP;
    let y_of_count = |n: u64| MONTH_BASE - n as f64 / top * height;
    let y_of_rate = |r: f64| MONTH_BASE - r * height;
    let centre = |at: usize| MONTH_LEFT + slot * (at as f64 + 0.5);
    let bars = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.decisions > 0)
        .map(|(at, c)| MonthBar {
            x: fixed(MONTH_LEFT + slot * at as f64 + slot * 0.1),
            y: fixed(y_of_count(c.decisions)),
            width: fixed(slot * 0.8),
            height: fixed(MONTH_BASE - y_of_count(c.decisions)),
            label: period_words(&name(at), c),
        })
        .collect();
    let points: Vec<(String, String)> = counts
        .iter()
        .enumerate()
        .filter_map(|(at, c)| Some((fixed(centre(at)), fixed(y_of_rate(c.overturn_rate()?)))))
        .collect();
    let line = points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let unit = if by_year { "year" } else { "month" };
    let total: Counts = counts.iter().fold(Counts::default(), |mut all, c| {
        all.merge(*c);
        all
    });
    Some(MonthChart {
        title: format!("{what}: decisions and overturn rate by {unit}"),
        desc: format!(
            "Bars: the {} dated decisions per {unit}, from {} to {}, on the left axis; line: the share of each {unit}'s decisions with a known outcome that were overturned, on the right axis.{}",
            total.decisions,
            name(0),
            name(periods - 1),
            match timeline.undated {
                0 => String::new(),
                n => format!(" {n} undated decisions are not shown."),
            }
        ),
        base: fixed(MONTH_BASE),
        bars,
        line,
        dots: points,
        counts: (0..)
            .map(|k| k * step)
            .take_while(|&n| n as f64 <= top)
            .map(|n| Tick {
                at: fixed(y_of_count(n)),
                label: n.to_string(),
            })
            .collect(),
        rates: [0u32, 50, 100]
            .iter()
            .map(|&p| Tick {
                at: fixed(y_of_rate(f64::from(p) / 100.0)),
                label: format!("{p}%"),
            })
            .collect(),
        periods: period_ticks(periods, slot, &name, by_year),
    })
}

/// Labels under the bars: every month where there is room, else the
/// first period and each year's start, none closer than 60 units to the
/// one before.
fn period_ticks(
    periods: usize,
    slot: f64,
    name: &dyn Fn(usize) -> String,
    by_year: bool,
) -> Vec<Tick> {
    let every_month = slot >= 60.0;
    let mut ticks = Vec::new();
    let mut last: Option<usize> = None;
    for at in 0..periods {
        let label = name(at);
        let shown = every_month || by_year || at == 0 || label.ends_with("-01");
        let clear = last.is_none_or(|l| (at - l) as f64 * slot >= 60.0);
        if shown && clear {
            ticks.push(Tick {
                at: fixed(MONTH_LEFT + slot * (at as f64 + 0.5)),
                label: match every_month {
                    true => label,
                    false => label.chars().take(4).collect(),
                },
            });
            last = Some(at);
        }
    }
    ticks
}

fn period_words(period: &str, c: &Counts) -> String {
    let decisions = match c.decisions {
        1 => "1 decision".to_owned(),
        n => format!("{n} decisions"),
    };
    match c.overturn_rate() {
        Some(r) => format!(
            "{period}: {decisions}, {} overturned ({})",
            c.overturned,
            percent(r)
        ),
        None => format!("{period}: {decisions}, no known outcome"),
    }
}

/// The step of at most five ticks up to `most`: 1, 2 or 5 times a power
/// of ten.
fn nice_step(most: u64) -> u64 {
    let mut power = 1u64;
    loop {
        for step in [power, power * 2, power * 5] {
            if most.div_ceil(step) <= 5 {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", round4(rate) * 100.0)
}

/// A coordinate to one decimal: short SVG, no visible loss.
fn fixed(v: f64) -> String {
    format!("{v:.1}")
}

/// A group's name cut to `LABEL_CHARS` characters.
fn cut(name: &str) -> String {
    match name.char_indices().nth(LABEL_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::stats::Group;
    use crate::query::timeline::Month;

    fn counts(upheld: u64, overturned: u64) -> Counts {
        Counts {
            decisions: upheld + overturned,
            upheld,
            overturned,
            unknown: 0,
        }
    }

    #[test]
    fn rates_place_dots_and_intervals_on_the_axis() {
        let stats = Stats {
            by: "drug",
            query: None,
            total: counts(8, 2),
            without: 0,
            group_count: 2,
            groups: vec![
                Group::new("capsaicin".into(), counts(5, 5)),
                Group::new("x".repeat(40), Counts::default()),
            ],
        };
        let chart = rates(&stats);
        assert_eq!(chart.title, "Overturn rate by drug, with 95% intervals");
        // 50% is half way along the plot, 230 to 690; its Wilson interval
        // for 5 of 10 is 23.66–76.34%.
        assert_eq!(chart.rows[0].rate.as_deref(), Some("460.0"));
        assert_eq!(
            chart.rows[0].interval,
            Some(("338.8".to_owned(), "581.2".to_owned()))
        );
        assert_eq!(chart.rows[0].y, "19.0");
        assert_eq!(chart.rows[1].rate, None);
        assert_eq!(chart.rows[1].label, format!("{}…", "x".repeat(34)));
        assert_eq!(
            chart.overall.as_ref().map(|o| o.label.as_str()),
            Some("all: 20%")
        );
        assert!(
            chart
                .desc
                .contains(" capsaicin: 50% overturned (24%–76%) of 10.")
        );
        assert!(chart.desc.contains("no known outcome among 0."));
    }

    #[test]
    fn months_fill_gaps_and_scale_to_the_busiest() {
        let month = |year, month, c| Month {
            year,
            month,
            counts: c,
        };
        let timeline = Timeline {
            months: vec![month(2016, 11, counts(3, 1)), month(2017, 2, counts(2, 0))],
            undated: 7,
        };
        let chart = months(&timeline, "MRI").expect("a chart");
        assert_eq!(chart.title, "MRI: decisions and overturn rate by month");
        // Four months, November to February; two with decisions.
        assert_eq!(chart.bars.len(), 2);
        assert_eq!(
            chart.bars[0].label,
            "2016-11: 4 decisions, 1 overturned (25%)"
        );
        assert_eq!(
            chart.bars[1].label,
            "2017-02: 2 decisions, 0 overturned (0%)"
        );
        // The busiest month fills the height: 4 of a scale to 4.
        assert_eq!(chart.bars[0].y, "24.0");
        assert_eq!(chart.dots.len(), 2);
        assert!(chart.desc.ends_with(" 7 undated decisions are not shown."));
        let labels: Vec<&str> = chart.periods.iter().map(|t| t.label.as_str()).collect();
        // Four months have room for a label each.
        assert_eq!(labels, ["2016-11", "2016-12", "2017-01", "2017-02"]);
        assert!(months(&Timeline::default(), "x").is_none());
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(9), 2);
        assert_eq!(nice_step(23), 5);
        assert_eq!(nice_step(4100), 1000);
    }
}
