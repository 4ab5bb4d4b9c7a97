//! Opening an index to read: checks that it is an imr index of this schema
//! version, or builds the bundled sample in memory. Reads of a damaged
//! index, errors and tantivy's panics alike, come back as `BadIndex`.

use std::collections::HashMap;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, META_LOCK, MmapDirectory, OwnedBytes,
    WatchCallback, WatchHandle, WritePtr,
};
use tantivy::schema::Value;
use tantivy::{DocAddress, HasLen, Index, IndexReader, Searcher, TantivyDocument};

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

/// Opens the index at `path` for reading: its stored records read from
/// the file a block at a time, every other file mapped.
pub fn open(path: &Path) -> Result<Opened> {
    open_by(path, Access::Records)
}

/// Opens the index at `path` for reading, its files read as `access` says.
fn open_by(path: &Path, access: Access) -> Result<Opened> {
    open_in(path, Folder::new(path, access)?)
}

/// Opens the index at `path` for reading through `folder`.
pub(crate) fn open_in(path: &Path, folder: Folder) -> Result<Opened> {
    if !path.exists() {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    guarded(path, || {
        let (index, payload) = open_index_in(path, folder)?;
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
/// imr index of this schema version; its segments are not opened yet, and
/// will be read as `access` says.
pub(crate) fn open_index(path: &Path, access: Access) -> Result<(Index, Option<Payload>)> {
    open_index_in(path, Folder::new(path, access)?)
}

/// `open_index`, its files read through `folder`.
fn open_index_in(path: &Path, folder: Folder) -> Result<(Index, Option<Payload>)> {
    match std::fs::metadata(path.join("meta.json")) {
        Ok(meta) if meta.is_file() => {}
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(Error::ReadDenied {
                path: path.to_path_buf(),
            });
        }
        _ => return Err(bad(path, &"no meta.json: not an index")),
    }
    let index = Index::open(folder).map_err(|e| read_error(path, &e))?;
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

/// How the files of an index are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Every file mapped into memory (`mmap`): for a writer, whose merges
    /// read whole files.
    Mapped,
    /// The stored records (`.store`) read a block at a time, every other
    /// file mapped. The pages of a mapped file count in the process's
    /// memory once touched, until the kernel wants them back: an export
    /// of every record would have held the whole store, a gigabyte at a
    /// million letters. Searches read a few blocks either way.
    Records,
    /// Every file read a piece at a time, none mapped: for `check`, which
    /// reads every byte of every file.
    Pieces,
}

/// An index folder that can be read even when it cannot be written (a
/// read-only disk, another user's index): tantivy takes a lock file
/// before opening segments so that a writer does not delete them
/// meanwhile, and where that lock cannot be taken no writer can either.
/// Files are mapped, or read a piece at a time, as `access` says.
#[derive(Debug, Clone)]
pub(crate) struct Folder {
    mapped: MmapDirectory,
    root: PathBuf,
    access: Access,
    /// The files open to be read in pieces, by path: a file opened again
    /// while it is open is the same file, though an ingest may have
    /// removed its name meanwhile (as the mapped files are).
    read: Arc<Mutex<HashMap<PathBuf, Weak<Pieces>>>>,
}

impl Folder {
    /// The index folder at `path`, its files to be read as `access` says.
    pub(crate) fn new(path: &Path, access: Access) -> Result<Folder> {
        Ok(Folder {
            mapped: MmapDirectory::open(path).map_err(|e| bad(path, &e))?,
            root: path.to_path_buf(),
            access,
            read: Arc::default(),
        })
    }

    fn read_in_pieces(&self, path: &Path) -> bool {
        match self.access {
            Access::Mapped => false,
            Access::Records => path.extension().is_some_and(|x| x == "store"),
            Access::Pieces => true,
        }
    }

    /// The open file at `path`, or the file opened now.
    fn pieces(&self, path: &Path) -> Result<Arc<Pieces>, OpenReadError> {
        let mut open = self.read.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(file) = open.get(path).and_then(Weak::upgrade) {
            return Ok(file);
        }
        let full = self.root.join(path);
        let file = Arc::new(Pieces::open(&full)?);
        open.retain(|_, f| f.strong_count() > 0);
        open.insert(path.to_path_buf(), Arc::downgrade(&file));
        Ok(file)
    }
}

impl Directory for Folder {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if self.read_in_pieces(path) {
            return Ok(self.pieces(path)?);
        }
        self.mapped.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.mapped.sync_directory()
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(callback)
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.mapped.acquire_lock(lock) {
            Err(LockError::IoError(e)) if lock.filepath == META_LOCK.filepath && read_only(&e) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            taken => taken,
        }
    }
}

/// A file read a piece at a time (`pread`), each piece into memory of
/// its own that is freed once read.
#[derive(Debug)]
struct Pieces {
    file: std::fs::File,
    len: usize,
}

impl Pieces {
    /// Opens the file at `path`; its errors as tantivy's mapped folder
    /// gives them.
    fn open(path: &Path) -> Result<Pieces, OpenReadError> {
        let failed = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(e, path.to_path_buf()),
        };
        let file = std::fs::File::open(path).map_err(failed)?;
        let len = file.metadata().map_err(failed)?.len();
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        Ok(Pieces { file, len })
    }
}

impl HasLen for Pieces {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for Pieces {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        use std::os::unix::fs::FileExt;
        let mut bytes = vec![0; range.len()];
        self.file.read_exact_at(&mut bytes, range.start as u64)?;
        Ok(OwnedBytes::new(bytes))
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
