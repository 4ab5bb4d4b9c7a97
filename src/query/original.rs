//! A letter's original file: its indexed path → the file on disk, only
//! when the file there is still the one ingest read (the size and
//! modification time it indexed). What a reader may open is thereby
//! always an ingested source, never a path a request names.

use std::path::PathBuf;

use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use super::search::index_error;
use crate::error::Result;
use crate::index::Opened;
use crate::read::{Stamp, stamp};

/// The file `source` was ingested from, when it is on disk unchanged;
/// `None` for a letter of the bundled sample, a file moved, removed or
/// changed since, or a path relative to another working folder.
pub fn ingested_file(index: &Opened, source: &str) -> Result<Option<PathBuf>> {
    index.guard(|| {
        let Some(indexed) = indexed_stamp(index, source)? else {
            return Ok(None);
        };
        let path = PathBuf::from(source);
        let on_disk = std::fs::metadata(&path).is_ok_and(|m| m.is_file());
        Ok((on_disk && stamp(&path) == Some(indexed)).then_some(path))
    })
}

/// The size and time indexed with `source`'s first document.
fn indexed_stamp(index: &Opened, source: &str) -> Result<Option<Stamp>> {
    let searcher = index.reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(index.fields.source, source),
        IndexRecordOption::Basic,
    );
    let top = TopDocs::with_limit(1).order_by_score();
    let found = searcher
        .search(&query, &top)
        .map_err(|e| index_error(index, e))?;
    let Some(&(_, address)) = found.first() else {
        return Ok(None);
    };
    let schema = searcher.schema();
    let columns = searcher.segment_reader(address.segment_ord).fast_fields();
    let column = |field| {
        columns
            .column_opt::<u64>(schema.get_field_name(field))
            .map_err(|e| index_error(index, e))
    };
    let (Some(sizes), Some(times)) = (
        column(index.fields.file_size)?,
        column(index.fields.file_modified)?,
    ) else {
        return Ok(None);
    };
    Ok(sizes
        .first(address.doc_id)
        .zip(times.first(address.doc_id))
        .map(|(size, modified)| Stamp { size, modified }))
}
