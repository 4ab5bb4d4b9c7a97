//! What an index holds: counts, schema version, size on disk and when it
//! was last written, for `imr where`.

use std::path::Path;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Term};

use super::Opened;
use crate::error::{Error, Result};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Info {
    pub letters: usize,
    pub decisions: usize,
    /// Decisions the category table could not place (`category: null`).
    pub uncategorized: usize,
    pub schema_version: u64,
    /// Bytes of the index's files; 0 for an index in memory.
    pub bytes: u64,
    /// "2026-11-24 03:12 UTC", from the last commit's payload.
    pub last_ingest: Option<String>,
}

pub fn info(index: &Opened) -> Result<Info> {
    let searcher = index.reader.searcher();
    let decisions = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    // Every letter has exactly one record numbered 1, or one numbered 0.
    let first = |n: u64| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(index.fields.decision, n),
            IndexRecordOption::Basic,
        ))
    };
    let firsts = BooleanQuery::new(vec![(Occur::Should, first(0)), (Occur::Should, first(1))]);
    let count = |query: &dyn Query| {
        searcher
            .search(query, &Count)
            .map_err(|source| Error::Index {
                path: index.path.clone(),
                source,
            })
    };
    let letters = count(&firsts)?;
    let unplaced = TermQuery::new(
        Term::from_field_text(index.fields.category, super::write::UNPLACED),
        IndexRecordOption::Basic,
    );
    Ok(Info {
        letters,
        decisions,
        uncategorized: count(&unplaced)?,
        schema_version: index
            .payload
            .as_ref()
            .map_or(super::SchemaFile::bundled().version, |p| p.schema_version),
        bytes: folder_bytes(&index.path),
        last_ingest: index.payload.as_ref().map(|p| utc(p.committed_at)),
    })
}

fn folder_bytes(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn utc(secs: u64) -> String {
    let t = DateTime::from_timestamp_secs(i64::try_from(secs).unwrap_or(i64::MAX)).into_utc();
    format!(
        "{}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_counts() {
        let sample = crate::ingest::open_sample().unwrap();
        let info = info(&sample).unwrap();
        assert_eq!(
            (info.letters, info.decisions, info.uncategorized, info.bytes),
            (5, 12, 0, 0)
        );
        assert_eq!(info.last_ingest, None);
    }

    #[test]
    fn utc_formats_epoch_seconds() {
        assert_eq!(utc(1_795_000_000), "2026-11-18 11:06 UTC");
    }
}
