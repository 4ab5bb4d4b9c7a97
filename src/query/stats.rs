//! Outcome statistics: per group (drug, item, guideline, page, specialty,
//! state, year) the decisions, how many were upheld and overturned, the
//! overturn rate and its 95% Wilson interval. Groups come from the index's
//! facets and the outcome's fast field in one pass over the matches, not
//! from the stored records (state, which has no facet, excepted).

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::search::{Filters, facet_label, filtered, index_error};
use crate::decision::Outcome;
use crate::error::Result;
use crate::index::Opened;

/// What decisions are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Generic name: a brand counts as its generics, a compound for each.
    Drug,
    /// The state's drug classes of the products named.
    Class,
    /// The state's treatment category, and category: subcategory.
    Category,
    Item,
    /// The reviewer's guideline documents.
    Guideline,
    Page,
    Specialty,
    /// States the reviewer is licensed in.
    State,
    Year,
}

impl By {
    pub const ALL: [By; 9] = [
        By::Drug,
        By::Class,
        By::Category,
        By::Item,
        By::Guideline,
        By::Page,
        By::Specialty,
        By::State,
        By::Year,
    ];

    /// The grouping named "drug", "item", …
    pub fn from_name(name: &str) -> Option<By> {
        By::ALL.into_iter().find(|b| b.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            By::Drug => "drug",
            By::Class => "class",
            By::Category => "category",
            By::Item => "item",
            By::Guideline => "guideline",
            By::Page => "page",
            By::Specialty => "specialty",
            By::State => "state",
            By::Year => "year",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub by: By,
    /// Every decision when `None`.
    pub query: Option<String>,
    pub filters: Filters,
    /// Groups to return, largest first.
    pub limit: usize,
}

/// Decisions by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub decisions: u64,
    pub upheld: u64,
    pub overturned: u64,
    pub unknown: u64,
}

impl Counts {
    pub fn add(&mut self, outcome: Outcome) {
        self.decisions += 1;
        match outcome {
            Outcome::Upheld => self.upheld += 1,
            Outcome::Overturned => self.overturned += 1,
            Outcome::Unknown => self.unknown += 1,
        }
    }

    pub(crate) fn merge(&mut self, other: Counts) {
        self.decisions += other.decisions;
        self.upheld += other.upheld;
        self.overturned += other.overturned;
        self.unknown += other.unknown;
    }

    /// Overturned among the decisions with a known outcome.
    pub fn overturn_rate(&self) -> Option<f64> {
        let decided = self.upheld + self.overturned;
        (decided > 0).then(|| self.overturned as f64 / decided as f64)
    }

    /// The 95% Wilson interval of the overturn rate.
    pub fn interval(&self) -> Option<(f64, f64)> {
        wilson(self.overturned, self.upheld + self.overturned)
    }
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` of `trials` at 95%: unlike the
/// normal approximation it stays inside [0, 1] and is honest for the
/// small groups most drugs and pages make.
pub fn wilson(successes: u64, trials: u64) -> Option<(f64, f64)> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// One group's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub group: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Rounded to 4 places; null when no outcome is known.
    pub overturn_rate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

impl Group {
    pub fn new(group: String, counts: Counts) -> Group {
        let interval = counts.interval();
        Group {
            group,
            counts,
            overturn_rate: counts.overturn_rate().map(round4),
            ci_low: interval.map(|i| round4(i.0)),
            ci_high: interval.map(|i| round4(i.1)),
        }
    }
}

pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub by: &'static str,
    pub query: Option<String>,
    /// Every matching decision.
    pub total: Counts,
    /// Matching decisions with no value to group by (no drug, undated, …).
    pub without: u64,
    /// How many groups there are; `groups` holds the largest `limit`.
    pub group_count: usize,
    pub groups: Vec<Group>,
}

/// Groups the decisions matching the request, largest first.
pub fn stats(index: &Opened, request: &Request) -> Result<Stats> {
    index.guard(|| stats_unguarded(index, request))
}

fn stats_unguarded(index: &Opened, request: &Request) -> Result<Stats> {
    let (query, _) = filtered(index, request.query.as_deref(), &request.filters)?;
    let searcher = index.reader.searcher();
    let err = |e| index_error(index, e);
    let field = match request.by {
        By::Item => index.fields.item_facet,
        _ => index.fields.facet,
    };
    let collector = Tally {
        root: Facet::from_path([request.by.as_str()]),
        facet_field: searcher.schema().get_field_name(field).to_owned(),
        outcome_field: searcher
            .schema()
            .get_field_name(index.fields.outcome)
            .to_owned(),
    };
    let tally = searcher.search(&*query, &collector).map_err(err)?;
    let mut groups: Vec<Group> = tally
        .groups
        .into_iter()
        .map(|(name, counts)| Group::new(name, counts))
        .collect();
    sort_groups(&mut groups);
    let group_count = groups.len();
    groups.truncate(request.limit);
    Ok(Stats {
        by: request.by.as_str(),
        query: request.query.clone(),
        total: tally.total,
        without: tally.without,
        group_count,
        groups,
    })
}

/// Largest first; ties in natural order (page 41 before page 111).
pub(crate) fn sort_groups(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        b.counts
            .decisions
            .cmp(&a.counts.decisions)
            .then_with(|| natural(&a.group).cmp(&natural(&b.group)))
    });
}

/// Numbers order as numbers, before words.
pub(crate) fn natural(s: &str) -> (bool, usize, &str) {
    let numeric = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!numeric, if numeric { s.len() } else { 0 }, s)
}

/// What a pass over the matches counted.
#[derive(Debug, Default)]
pub(crate) struct Tallied {
    total: Counts,
    without: u64,
    groups: BTreeMap<String, Counts>,
}

/// Counts outcomes per child of one facet root, from the fast columns.
struct Tally {
    root: Facet,
    facet_field: String,
    outcome_field: String,
}

struct SegmentTally {
    facets: FacetReader,
    /// The facet ordinals under the root: children sort together.
    first: u64,
    end: u64,
    outcomes: OutcomeColumn,
    counts: Vec<Counts>,
    total: Counts,
    without: u64,
}

impl Collector for Tally {
    type Fruit = Tallied;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let facets = segment.facet_reader(&self.facet_field)?;
        let mut prefix = self.root.encoded_str().as_bytes().to_vec();
        prefix.push(0);
        let mut children = facets.facet_dict().prefix_range(&prefix).into_stream()?;
        let (mut first, mut end) = (0, 0);
        if children.advance() {
            first = children.term_ord();
            end = first + 1;
            while children.advance() {
                end = children.term_ord() + 1;
            }
        }
        Ok(SegmentTally {
            facets,
            first,
            end,
            outcomes: OutcomeColumn::open(segment, &self.outcome_field)?,
            counts: vec![Counts::default(); usize::try_from(end - first).unwrap_or(0)],
            total: Counts::default(),
            without: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallied>) -> tantivy::Result<Tallied> {
        let mut merged = Tallied::default();
        for fruit in fruits {
            merged.total.merge(fruit.total);
            merged.without += fruit.without;
            for (name, counts) in fruit.groups {
                merged.groups.entry(name).or_default().merge(counts);
            }
        }
        Ok(merged)
    }
}

/// A segment's outcomes, read from the outcome column.
pub(crate) struct OutcomeColumn {
    /// Column ordinal → outcome.
    outcomes: Vec<Outcome>,
    column: Option<StrColumn>,
}

impl OutcomeColumn {
    pub(crate) fn open(segment: &SegmentReader, field: &str) -> tantivy::Result<OutcomeColumn> {
        let column = segment.fast_fields().str(field)?;
        let mut outcomes = Vec::new();
        if let Some(column) = &column {
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                outcomes.push(outcome_of(terms.key()));
            }
        }
        Ok(OutcomeColumn { outcomes, column })
    }

    /// The document's outcome; unknown when it has none.
    pub(crate) fn get(&self, doc: DocId) -> Outcome {
        self.column
            .as_ref()
            .and_then(|c| c.ords().first(doc))
            .and_then(|ord| self.outcomes.get(usize::try_from(ord).ok()?))
            .copied()
            .unwrap_or(Outcome::Unknown)
    }
}

fn outcome_of(bytes: &[u8]) -> Outcome {
    match bytes {
        b"upheld" => Outcome::Upheld,
        b"overturned" => Outcome::Overturned,
        _ => Outcome::Unknown,
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallied;

    fn collect(&mut self, doc: DocId, _: Score) {
        let outcome = self.outcomes.get(doc);
        self.total.add(outcome);
        let mut grouped = false;
        for ord in self.facets.facet_ords(doc) {
            if (self.first..self.end).contains(&ord) {
                self.counts[(ord - self.first) as usize].add(outcome);
                grouped = true;
            }
        }
        if !grouped {
            self.without += 1;
        }
    }

    fn harvest(self) -> Tallied {
        let mut groups = BTreeMap::new();
        let mut facet = Facet::root();
        for (ord, counts) in (self.first..).zip(self.counts) {
            if counts.decisions > 0 && self.facets.facet_from_ord(ord, &mut facet).is_ok() {
                groups.insert(facet_label(&facet), counts);
            }
        }
        Tallied {
            total: self.total,
            without: self.without,
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<(f64, f64)>, expected: (f64, f64)) {
        let (low, high) = actual.expect("an interval");
        assert!(
            (low - expected.0).abs() < 5e-5 && (high - expected.1).abs() < 5e-5,
            "{low:.4}–{high:.4}, expected {:.4}–{:.4}",
            expected.0,
            expected.1
        );
    }

    #[test]
    fn wilson_matches_published_values() {
        // 5 of 10: the textbook example.
        close(wilson(5, 10), (0.2366, 0.7634));
        // None of 10: the upper bound is not 0, as the normal
        // approximation would claim.
        close(wilson(0, 10), (0.0, 0.2775));
        close(wilson(10, 10), (0.7225, 1.0));
        close(wilson(1, 1), (0.2065, 1.0));
        close(wilson(81, 263), (0.2553, 0.3662));
    }

    #[test]
    fn no_interval_without_trials() {
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(3, 2), None);
        let counts = Counts {
            decisions: 2,
            unknown: 2,
            ..Counts::default()
        };
        assert_eq!(counts.overturn_rate(), None);
    }

    #[test]
    fn groups_sort_by_size_then_naturally() {
        let row = |name: &str, n| {
            Group::new(
                name.into(),
                Counts {
                    decisions: n,
                    upheld: n,
                    ..Counts::default()
                },
            )
        };
        let mut groups = vec![row("111", 2), row("41", 2), row("Zoloft", 2), row("9", 3)];
        sort_groups(&mut groups);
        let names: Vec<&str> = groups.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(names, ["9", "41", "111", "Zoloft"]);
    }
}
