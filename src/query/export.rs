//! Export: a query (every decision when none) and filters → each matching
//! record, letter by letter in the order of their paths, each letter's
//! decisions in order, handed on as soon as it is read: memory stays flat
//! however large the index.

use tantivy::query::EnableScoring;
use tantivy::schema::IndexRecordOption;
use tantivy::termdict::TermMerger;
use tantivy::{BitSet, DocAddress, DocSet, TERMINATED};

use super::search::{Filters, filtered, index_error};
use crate::error::Result;
use crate::index::{Opened, record};
use crate::record::Record;

/// Hands `each` every record that matches `query` (every decision when
/// `None` or `*`) and `filters`: letters in the byte order of their
/// paths (`source`), a letter's decisions in order. The order depends on
/// the paths alone, not on how or when ingest added the letters: the
/// `source` term dictionaries of the segments are walked together, and
/// ingest stores a letter's decisions together and in order in one
/// segment. Returns how many records `each` was given; stops at the first
/// error, its own included.
///
/// What it holds: a term dictionary cursor per segment, and a bit per
/// decision for the matches.
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
        let segments = searcher.segment_readers();
        let mut matches = Vec::with_capacity(segments.len());
        for segment in segments {
            let mut matched = BitSet::with_max_value(segment.max_doc());
            let alive = segment.alive_bitset();
            let mut docs = weight.scorer(segment, 1.0).map_err(err)?;
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    matched.insert(doc);
                }
                doc = docs.advance();
            }
            matches.push(matched);
        }
        let paths = segments
            .iter()
            .map(|s| s.inverted_index(index.fields.source))
            .collect::<tantivy::Result<Vec<_>>>()
            .map_err(err)?;
        let streams = paths
            .iter()
            .map(|p| p.terms().stream())
            .collect::<std::io::Result<Vec<_>>>()
            .map_err(|e| err(e.into()))?;
        let mut letters = TermMerger::new(streams);
        let mut count = 0;
        while letters.advance() {
            // The segments holding the path, in the searcher's order; only
            // one holds its live decisions.
            let mut held: Vec<_> = letters.current_segment_ords_and_term_infos().collect();
            held.sort_unstable_by_key(|(ord, _)| *ord);
            for (ord, info) in held {
                let postings = paths[ord]
                    .read_postings_from_terminfo(&info, IndexRecordOption::Basic)
                    .map_err(|e| err(e.into()))?;
                let mut docs = postings;
                let mut doc = docs.doc();
                while doc != TERMINATED {
                    if matches[ord].contains(doc) {
                        let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
                        each(record(&searcher, index, DocAddress::new(segment_ord, doc))?)?;
                        count += 1;
                    }
                    doc = docs.advance();
                }
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
    fn every_decision_letter_by_letter_in_the_order_of_their_paths() {
        let index = sample();
        let all = exported(&index, None, &Filters::default());
        let letters = [
            ("000_e9bf73e65e666cd1", 2),
            ("001_9643e271e3338345", 1),
            ("002_fdf6e10f2920473d", 2),
            ("003_7836691e6d3f4cd1", 6),
            ("004_7763e284d3bf24d4", 1),
        ];
        let expected: Vec<String> = letters
            .iter()
            .flat_map(|(name, n)| (1..=*n).map(move |k| format!("data/letters/{name}.txt#{k}")))
            .collect();
        assert_eq!(all, expected);
        assert_eq!(exported(&index, Some("*"), &Filters::default()), all);
    }

    #[test]
    fn the_query_and_filters_narrow() {
        let index = sample();
        let on_capsaicin = Filters {
            drug: Some("capsaicin".into()),
            ..Filters::default()
        };
        let capsaicin = exported(&index, None, &on_capsaicin);
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
