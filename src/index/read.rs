//! Opening an index to read: checks that it is an imr index of this schema
//! version, or builds the bundled sample in memory. Reads of a damaged
//! index, errors and tantivy's panics alike, come back as `BadIndex`.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, Searcher, TantivyDocument};

use super::Payload;
use super::schema::{Fields, SchemaFile};
use crate::error::{Error, Result};
use crate::record::Record;

/// An index ready for searching.
pub struct Opened {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Where it is; "(bundled sample)" for the sample.
    pub path: PathBuf,
    pub payload: Option<Payload>,
}

impl Opened {
    /// Runs a read of this index. tantivy reports some damage as errors
    /// and panics on other damage; both become `BadIndex`, which says to
    /// rebuild.
    pub fn guard<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        guarded(&self.path, read)
    }
}

/// `read`, with tantivy's errors and panics turned into `BadIndex` for
/// the index at `path`.
pub(crate) fn guarded<T>(path: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(read)) {
        Ok(Err(Error::Index { path, source })) => Err(read_error(&path, &source)),
        Ok(result) => result,
        Err(panic) => {
            let what = crate::error::panic_message(&*panic);
            Err(bad(path, &format!("its files are damaged: {what}")))
        }
    }
}

/// The index at `path` cannot be read; the reason is kept to one line.
pub(crate) fn bad(path: &Path, reason: &dyn std::fmt::Display) -> Error {
    let reason = reason.to_string();
    Error::BadIndex {
        path: path.to_path_buf(),
        reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The index at `path` cannot be read for `e`: permission denied, which
/// its owner can fix, or damage, for which it is rebuilt.
pub(crate) fn read_error(path: &Path, e: &tantivy::TantivyError) -> Error {
    if is_denied(e) {
        return Error::ReadDenied {
            path: path.to_path_buf(),
        };
    }
    bad(path, &reason(e))
}

/// Whether `e` is a permission denied, however tantivy wraps it.
fn is_denied(e: &tantivy::TantivyError) -> bool {
    use std::io::ErrorKind::PermissionDenied;
    match e {
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => {
            io_error.kind() == PermissionDenied
        }
        tantivy::TantivyError::IoError(io_error) => io_error.kind() == PermissionDenied,
        // Wrapped in text by the other variants.
        e => {
            let text = e.to_string();
            text.contains("PermissionDenied") || text.contains("(os error 13)")
        }
    }
}

/// A tantivy error in the user's terms where it concerns one file.
fn reason(e: &tantivy::TantivyError) -> String {
    match e {
        tantivy::TantivyError::OpenReadError(e) => file_problem(e),
        e => e.to_string(),
    }
}

/// What is wrong with a file tantivy could not open.
pub(crate) fn file_problem(e: &OpenReadError) -> String {
    match e {
        OpenReadError::FileDoesNotExist(file) => format!("{} is missing", file.display()),
        OpenReadError::IoError { io_error, filepath }
            if io_error.kind() == std::io::ErrorKind::InvalidData =>
        {
            format!("{} is damaged or cut short", filepath.display())
        }
        OpenReadError::IoError { io_error, filepath } => {
            format!("{}: {io_error}", filepath.display())
        }
        e => e.to_string(),
    }
}

/// Opens the index at `path` for reading.
pub fn open(path: &Path) -> Result<Opened> {
    if !path.exists() {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    guarded(path, || {
        let (index, payload) = open_index(path)?;
        let fields = Fields::resolve(&index.schema())?;
        let reader = open_reader(path, &index)?;
        Ok(Opened {
            index,
            reader,
            fields,
            path: path.to_path_buf(),
            payload,
        })
    })
}

/// A reader of the index's last commit, its segments open. An ingest
/// may commit meanwhile and remove the files of segments it merged: a
/// file missing that the new commit no longer names is no damage, and
/// the reader opens that commit instead. The reader stays on the commit
/// it opened: a command reads one commit from start to end.
fn open_reader(path: &Path, index: &Index) -> Result<IndexReader> {
    let mut tries = 0;
    loop {
        let opened = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into();
        match opened {
            Ok(reader) => return Ok(reader),
            Err(e) if tries < 20 && superseded(index, &e) => tries += 1,
            Err(e) => return Err(read_error(path, &e)),
        }
    }
}

/// Whether `e` is a missing file that the index's last commit, read
/// again, no longer names.
fn superseded(index: &Index, e: &tantivy::TantivyError) -> bool {
    let tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(file)) = e else {
        return false;
    };
    index
        .load_metas()
        .is_ok_and(|metas| !metas.list_segment_files().contains(file))
}

/// The index at `path` with its commit's payload, once checked to be an
/// imr index of this schema version; its segments are not opened yet.
pub(crate) fn open_index(path: &Path) -> Result<(Index, Option<Payload>)> {
    match std::fs::metadata(path.join("meta.json")) {
        Ok(meta) if meta.is_file() => {}
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Error::ReadDenied {
                path: path.to_path_buf(),
            });
        }
        _ => return Err(bad(path, &"no meta.json: not an index")),
    }
    let folder = MmapDirectory::open(path).map_err(|e| bad(path, &e))?;
    let index = Index::open(Folder(folder)).map_err(|e| read_error(path, &e))?;
    super::stem::register(&index);
    let metas = index.load_metas().map_err(|e| read_error(path, &e))?;
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
    Ok((index, payload))
}

/// An index folder that can be read even when it cannot be written (a
/// read-only disk, another user's index): tantivy takes a lock file
/// before opening segments so that a writer does not delete them
/// meanwhile, and where that lock cannot be taken no writer can either.
#[derive(Debug, Clone)]
struct Folder(MmapDirectory);

impl Directory for Folder {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.0.acquire_lock(lock) {
            Err(LockError::IoError(e)) if lock.filepath == META_LOCK.filepath && read_only(&e) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            taken => taken,
        }
    }
}

fn read_only(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// An index built in memory (the bundled sample), opened for reading.
pub fn in_memory(index: Index) -> Result<Opened> {
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

/// Every record in the index as it lies: segment by segment, in document
/// order.
pub fn by_segment(index: &Opened) -> Result<Vec<Vec<Record>>> {
    index.guard(|| {
        let searcher = index.reader.searcher();
        let mut segments = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
            let alive = segment.alive_bitset();
            let mut records = Vec::new();
            for doc in 0..segment.max_doc() {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    records.push(record(&searcher, index, DocAddress::new(segment_ord, doc))?);
                }
            }
            segments.push(records);
        }
        Ok(segments)
    })
}

/// The stored record of the document at `address`.
pub fn record(searcher: &Searcher, index: &Opened, address: DocAddress) -> Result<Record> {
    let bad = |reason: String| Error::BadIndex {
        path: index.path.clone(),
        reason,
    };
    let doc: TantivyDocument = searcher.doc(address).map_err(|e| bad(e.to_string()))?;
    let bytes = doc
        .get_first(index.fields.record)
        .and_then(|v| v.as_bytes())
        .ok_or_else(|| bad("a document has no record".into()))?;
    let rationale = doc
        .get_first(index.fields.rationale)
        .and_then(|v| v.as_str())
        .ok_or_else(|| bad("a document has no stored rationale".into()))?;
    super::decode_record(rationale, bytes).map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_errors_and_panics_while_reading_become_bad_index() {
        let path = Path::new("/idx");
        let panicked = guarded(path, || -> Result<()> { panic!("boom") });
        let failed = guarded(path, || -> Result<()> {
            Err(Error::Index {
                path: path.to_path_buf(),
                source: tantivy::TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(
                    "a.store".into(),
                )),
            })
        });
        let rebuild = "rebuild it with `imr ingest --index NEW_FOLDER LETTERS...`";
        assert_eq!(
            panicked.unwrap_err().to_string(),
            format!("/idx is not a readable imr index (its files are damaged: boom); {rebuild}")
        );
        assert_eq!(
            failed.unwrap_err().to_string(),
            format!("/idx is not a readable imr index (a.store is missing); {rebuild}")
        );
    }
}
