//! Read stage, the edge where files come in: paths → letter files (walked
//! recursively) → bytes → text (PDFs extracted here). Everything after
//! this stage is pure.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::decode::{self, NotText};

/// Files larger than this are not letters (a letter is 3–10 KB of text,
/// its PDF 20–40 KB) and are skipped, bounding time and memory per file.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// Why a file gave no letter text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    NotText,
    TooLarge(u64),
    Unreadable(String),
    /// A PDF with no extractable text: damaged, or a scan.
    PdfNoText(String),
    /// The parser failed on it: a bug, kept from stopping the batch.
    Unparsable(String),
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Empty => f.write_str("empty"),
            Skip::NotText => f.write_str("not text (binary)"),
            Skip::TooLarge(n) => write!(f, "too large: {} bytes, larger than 2 MB", n),
            Skip::Unreadable(e) => write!(f, "unreadable: {e}"),
            Skip::PdfNoText(e) => write!(f, "PDF with no extractable text: {e}"),
            Skip::Unparsable(e) => write!(
                f,
                "could not be parsed (internal error: {e}); please report it with the file"
            ),
        }
    }
}

/// A file found by the walk, or a problem found on the way.
pub type Found = Result<PathBuf, (PathBuf, Skip)>;

/// The letter files under `paths`: each file given, and every `*.txt` and
/// `*.pdf` below each folder given, in sorted order. Symlink loops and
/// unreadable entries come back as problems, not failures. Lazy, so that
/// ingest reads the first letters while the walk goes on.
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Found> + '_ {
    paths
        .iter()
        .flat_map(|path| -> Box<dyn Iterator<Item = Found>> {
            if path.is_file() {
                return Box::new(std::iter::once(Ok(path.clone())));
            }
            if !path.exists() {
                let gone = Skip::Unreadable("no such file or folder".into());
                return Box::new(std::iter::once(Err((path.clone(), gone))));
            }
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name();
            Box::new(walker.into_iter().filter_map(move |entry| match entry {
                Ok(e) if e.file_type().is_file() && is_letter_file(e.path()) => {
                    Some(Ok(e.into_path()))
                }
                Ok(_) => None,
                Err(err) => {
                    let at = err.path().map_or_else(|| path.clone(), Path::to_path_buf);
                    let why = if err.loop_ancestor().is_some() {
                        "symlink loop".to_owned()
                    } else {
                        err.io_error().map_or_else(|| err.to_string(), io_reason)
                    };
                    Some(Err((at, Skip::Unreadable(why))))
                }
            }))
        })
}

fn is_letter_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("pdf"))
}

/// A file's bytes, refusing what is too large to be a letter. Reads at
/// most `MAX_BYTES` and one more; only a file found too large is asked its
/// size, for the report (a size asked of every file was a fifth of the
/// system calls of reading a letter).
pub fn bytes(path: &Path) -> Result<Vec<u8>, Skip> {
    let unreadable = |e: std::io::Error| Skip::Unreadable(io_reason(&e));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(READ_AHEAD);
    (&file)
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BYTES {
        let size = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(Skip::TooLarge(size));
    }
    Ok(bytes)
}

/// What re-ingest compares to tell a file unchanged without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Bytes.
    pub size: u64,
    /// Modification time, nanoseconds since 1970.
    pub modified: u64,
}

/// The file's size and modification time; None when it cannot be asked
/// (gone, unreadable) or has no modification time after 1970, so that
/// ingest reads it.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let since = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH);
    Some(Stamp {
        size: meta.len(),
        modified: u64::try_from(since.ok()?.as_nanos()).ok()?,
    })
}

/// The first read's buffer: a text letter, which is 4 KB or so, in one.
const READ_AHEAD: usize = 16 * 1024;

/// What went wrong, in the user's terms where the cause is common.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "gone: deleted, or a broken link".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// The clean text of a letter's bytes, whatever the file is named: a PDF
/// is read as the PDF it is.
pub fn text(bytes: &[u8]) -> Result<String, Skip> {
    match decode::decode(bytes) {
        Ok(text) => Ok(text),
        Err(NotText::Pdf) => pdf_text(bytes),
        Err(NotText::Empty) => Err(Skip::Empty),
        Err(NotText::Binary) => Err(Skip::NotText),
    }
}

/// Extracts a PDF's text layer. The extractor can panic on damaged files;
/// that is caught and reported as the file's problem.
fn pdf_text(bytes: &[u8]) -> Result<String, Skip> {
    let extracted = std::panic::catch_unwind(|| pdf_pages(bytes));
    let pages = match extracted {
        Ok(Ok(pages)) => pages,
        Ok(Err(e)) => return Err(Skip::PdfNoText(e)),
        Err(_) => return Err(Skip::PdfNoText("damaged PDF".into())),
    };
    // A form feed on a line of its own at each page break, as pdftotext
    // writes them, so that the decoder trims each page's running header
    // and footer (a form feed ending a line is trimmed with its spaces).
    let pages: Vec<&str> = pages.iter().map(|p| p.trim_start_matches('\n')).collect();
    let text = decode::clean_pdf_text(&pages.join("\n\u{c}"));
    if text.trim().is_empty() {
        return Err(Skip::PdfNoText("no text layer (a scan?)".into()));
    }
    Ok(text)
}

/// The text of each page of a PDF (encrypted with an empty password, as
/// posted letters are). pdf-extract's own page-by-page reading stops
/// silently at a page it cannot read; here that page fails the file.
fn pdf_pages(bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| e.to_string())?;
    }
    let count = u32::try_from(doc.get_pages().len()).unwrap_or(u32::MAX);
    (1..=count)
        .map(|n| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, n)
                .map_err(|e| format!("page {n}: {e}"))?;
            Ok(text)
        })
        .collect()
}
