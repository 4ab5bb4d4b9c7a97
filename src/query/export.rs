//! Export: a query (every decision when none) and filters → each matching
//! record, in index order, handed on as soon as it is read: memory stays
//! flat however large the index.

use tantivy::query::EnableScoring;
use tantivy::{DocAddress, DocSet, TERMINATED};

use super::search::{Filters, filtered, index_error};
use crate::error::Result;
use crate::index::{Opened, record};
use crate::record::Record;

/// Hands `each` every record that matches `query` (every decision when
/// `None` or `*`) and `filters`, in index order: segment by segment as the
/// searcher lists them, each in document order. Ingest adds a letter's
/// decisions together and in order, so they come out together and in
/// order, letters in the order ingest added them. Returns how many
/// records `each` was given; stops at the first error, its own included.
pub fn export(
    index: &Opened,
    query: Option<&str>,
    filters: &Filters,
    mut each: impl FnMut(Record) -> Result<()>,
) -> Result<usize> {
    index.guard(|| {
        let query = query.filter(|q| q.trim() != "*");
        let (query, _) = filtered(index, query, filters)?;
        let searcher = index.reader.searcher();
        let err = |e| index_error(index, e);
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .map_err(err)?;
        let mut count = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
            let alive = segment.alive_bitset();
            // The matches of one segment, a document at a time: nothing
            // gathers them.
            let mut docs = weight.scorer(segment, 1.0).map_err(err)?;
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    each(record(&searcher, index, DocAddress::new(segment_ord, doc))?)?;
                    count += 1;
                }
                doc = docs.advance();
            }
        }
        Ok(count)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Opened {
        crate::ingest::open_sample().expect("sample index")
    }

    fn exported(index: &Opened, query: Option<&str>, filters: &Filters) -> Vec<String> {
        let mut got = Vec::new();
        let count = export(index, query, filters, |r| {
            got.push(r.reference());
            Ok(())
        })
        .unwrap();
        assert_eq!(count, got.len());
        got
    }

    #[test]
    fn every_decision_with_a_letter_s_decisions_together_and_in_order() {
        let index = sample();
        let all = exported(&index, None, &Filters::default());
        assert_eq!(all.len(), 12);
        assert_eq!(exported(&index, Some("*"), &Filters::default()), all);
        let start = all.iter().position(|r| r.contains("/003_")).unwrap();
        let letter_003: Vec<String> = (1..=6)
            .map(|n| format!("data/letters/003_7836691e6d3f4cd1.txt#{n}"))
            .collect();
        assert_eq!(all[start..start + 6], letter_003);
    }

    #[test]
    fn the_query_and_filters_narrow() {
        let index = sample();
        let on_capsaicin = Filters {
            drug: Some("capsaicin".into()),
            ..Filters::default()
        };
        let mut capsaicin = exported(&index, None, &on_capsaicin);
        capsaicin.sort();
        let short: Vec<&str> = capsaicin.iter().map(|r| &r[13..]).collect();
        assert_eq!(
            short,
            [
                "000_e9bf73e65e666cd1.txt#2",
                "001_9643e271e3338345.txt#1",
                "002_fdf6e10f2920473d.txt#2",
                "003_7836691e6d3f4cd1.txt#2",
                "003_7836691e6d3f4cd1.txt#3"
            ]
        );
        let overturned = Filters {
            outcome: Some("overturned".into()),
            ..Filters::default()
        };
        assert!(exported(&index, None, &overturned).is_empty());
    }

    #[test]
    fn a_malformed_query_names_its_column() {
        let err = export(
            &sample(),
            Some("topical AND ("),
            &Filters::default(),
            |_| Ok(()),
        )
        .unwrap_err();
        assert!(err.to_string().contains("column 14"), "{err}");
    }

    #[test]
    fn the_callback_s_error_stops_the_export() {
        let mut seen = 0;
        let err = export(&sample(), None, &Filters::default(), |_| {
            seen += 1;
            Err(crate::Error::Usage("stop".into()))
        })
        .unwrap_err();
        assert_eq!((seen, err.to_string()), (1, "stop".to_owned()));
    }
}
