//! Decisions by month: a query and filters → for each month a letter is
//! dated in, its decisions by outcome and the overturn rate, in one pass
//! over the matches' date and outcome columns (no stored record read).

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::search::{Filters, filtered, index_error};
use super::stats::{Counts, OutcomeColumn};
use crate::error::Result;
use crate::index::Opened;

/// One month's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    pub counts: Counts,
}

/// Every month with a matching decision, earliest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub months: Vec<Month>,
    /// Matching decisions of undated letters.
    pub undated: u64,
}

/// The decisions `query` (every decision for `None`) and `filters` match,
/// by the month their letter is dated.
pub fn by_month(index: &Opened, query: Option<&str>, filters: &Filters) -> Result<Timeline> {
    index.guard(|| {
        let (query, _) = filtered(index, query, filters)?;
        let searcher = index.reader.searcher();
        let schema = searcher.schema();
        let collector = Tally {
            dated: schema.get_field_name(index.fields.dated).to_owned(),
            outcome: schema.get_field_name(index.fields.outcome).to_owned(),
        };
        let tallied = searcher
            .search(&*query, &collector)
            .map_err(|e| index_error(index, e))?;
        Ok(Timeline {
            months: tallied
                .months
                .into_iter()
                .map(|((year, month), counts)| Month {
                    year,
                    month,
                    counts,
                })
                .collect(),
            undated: tallied.undated,
        })
    })
}

#[derive(Debug, Default)]
struct Tallied {
    months: BTreeMap<(i32, u8), Counts>,
    undated: u64,
}

struct Tally {
    dated: String,
    outcome: String,
}

struct SegmentTally {
    dated: Option<Column<DateTime>>,
    outcomes: OutcomeColumn,
    tallied: Tallied,
}

impl Collector for Tally {
    type Fruit = Tallied;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        Ok(SegmentTally {
            dated: segment.fast_fields().date(&self.dated).ok(),
            outcomes: OutcomeColumn::open(segment, &self.outcome)?,
            tallied: Tallied::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallied>) -> tantivy::Result<Tallied> {
        let mut merged = Tallied::default();
        for fruit in fruits {
            merged.undated += fruit.undated;
            for (month, counts) in fruit.months {
                merged.months.entry(month).or_default().merge(counts);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallied;

    fn collect(&mut self, doc: DocId, _: Score) {
        let outcome = self.outcomes.get(doc);
        match self.dated.as_ref().and_then(|c| c.first(doc)) {
            Some(date) => {
                let utc = date.into_utc();
                let month = (utc.year(), u8::from(utc.month()));
                self.tallied.months.entry(month).or_default().add(outcome);
            }
            None => self.tallied.undated += 1,
        }
    }

    fn harvest(self) -> Tallied {
        self.tallied
    }
}
