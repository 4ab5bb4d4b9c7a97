//! The library's one error type: a variant per stage, each naming the file,
//! index or query position it concerns.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // Display leaves out `source`: `{:#}` at the binary's edge appends it.
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("schema file: {0}")]
    Schema(String),

    #[error("no index at {path}: create one with `imr ingest --index {path} LETTERS...`")]
    NoIndex { path: PathBuf },

    #[error(
        "{path} is not a readable imr index ({reason}); rebuild it with `imr ingest --index NEW_FOLDER LETTERS...`"
    )]
    BadIndex { path: PathBuf, reason: String },

    #[error(
        "another ingest{} is writing {}; wait for it to finish",
        pid.map_or(String::new(), |p| format!(" (pid {p})")),
        path.display()
    )]
    Locked { path: PathBuf, pid: Option<u32> },

    #[error("permission denied reading {path}: make the folder and its files readable by you")]
    ReadDenied { path: PathBuf },

    #[error("index {path}")]
    Index {
        path: PathBuf,
        #[source]
        source: tantivy::TantivyError,
    },

    /// Writing failed part-way (disk full, permission lost): tantivy's
    /// commits are atomic, so the index keeps its last commit.
    #[error(
        "cannot write to the index {path} ({reason}); it keeps its last commit: free disk space or fix the folder's permissions, then run `imr ingest` again"
    )]
    Write { path: PathBuf, reason: String },

    #[error(
        "cannot write to the index {path}: no space left on device; it keeps its last commit: free disk space, then run `imr ingest` again"
    )]
    NoSpace { path: PathBuf },

    #[error(
        "cannot write to the index {path}: permission denied; it keeps its last commit: make the folder and its files writable by you, then run `imr ingest` again"
    )]
    WriteDenied { path: PathBuf },

    #[error("query: column {column}: {message}")]
    Query { column: usize, message: String },

    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The message a panic carried, if it was a string.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
