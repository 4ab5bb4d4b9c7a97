//! Opening an index to read: checks that it is an imr index of this schema
//! version, or builds the bundled sample in memory.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader};

use super::schema::{Fields, SchemaFile};
use super::{Payload, Writer};
use crate::error::{Error, Result};

/// An index ready for searching.
pub struct Opened {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Where it is; "(bundled sample)" for the sample.
    pub path: PathBuf,
    pub payload: Option<Payload>,
}

pub(crate) fn bad(path: &Path, reason: &dyn std::fmt::Display) -> Error {
    Error::BadIndex {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Opens the index at `path` for reading.
pub fn open(path: &Path) -> Result<Opened> {
    if !path.exists() {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    // tantivy can panic on damaged files instead of returning an error.
    std::panic::catch_unwind(|| open_checked(path))
        .unwrap_or_else(|_| Err(bad(path, &"its files are damaged")))
}

pub(crate) fn open_checked(path: &Path) -> Result<Opened> {
    if !path.join("meta.json").is_file() {
        return Err(bad(path, &"no meta.json: not an index"));
    }
    let index = Index::open_in_dir(path).map_err(|e| bad(path, &e))?;
    let metas = index.load_metas().map_err(|e| bad(path, &e))?;
    let payload: Option<Payload> = metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok());
    let expected = SchemaFile::bundled().version;
    match &payload {
        Some(p) if p.schema_version == expected => {}
        Some(p) => {
            let why = format!(
                "built with schema version {}; this imr reads version {expected}",
                p.schema_version
            );
            return Err(bad(path, &why));
        }
        None if metas.segments.is_empty() => {}
        None => return Err(bad(path, &"not written by imr (no schema version)")),
    }
    if index.schema() != SchemaFile::bundled().tantivy_schema() {
        return Err(bad(path, &"its fields differ from this imr's schema"));
    }
    let fields = Fields::resolve(&index.schema())?;
    let reader = index.reader().map_err(|e| bad(path, &e))?;
    Ok(Opened {
        index,
        reader,
        fields,
        path: path.to_path_buf(),
        payload,
    })
}

/// The five sample letters, parsed and indexed in memory.
pub fn open_sample() -> Result<Opened> {
    let mut writer = Writer::in_ram()?;
    for (source, bytes) in crate::sample::LETTERS {
        if let Ok(parsed) = crate::ingest::parse(source, bytes) {
            writer.add_letter(&parsed.records, &parsed.summary)?;
        }
    }
    let index = writer.finish()?;
    let path = PathBuf::from("(bundled sample)");
    let reader = index.reader().map_err(|e| bad(&path, &e))?;
    Ok(Opened {
        fields: Fields::resolve(&index.schema())?,
        index,
        reader,
        path,
        payload: None,
    })
}
