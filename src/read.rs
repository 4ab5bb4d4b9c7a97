//! Read stage, the edge where files come in: paths → letter files (walked
//! recursively) → bytes → text (PDFs extracted here). Everything after
//! this stage is pure.

use std::io::Read;
use std::path::{Path, PathBuf};

pub mod pdf_worker;

/// Files larger than this are not letters (a letter is 3–10 KB of text,
/// its PDF 20–40 KB) and are skipped, bounding time and memory per file.
pub const MAX_BYTES: u64 = 2 * 1024 * 1024;

/// Extracted text longer than this skips the file: a letter is 3–10 KB of
/// text and the longest real one under 40 KB, while a PDF of a few
/// hundred bytes can draw gigabytes of text (a loop of forms, a stream
/// that inflates without end). A text file needs no such bound: its text
/// is its bytes, which `MAX_BYTES` bounds.
pub const MAX_TEXT: usize = 1024 * 1024;

/// Why a file gave no letter text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Empty,
    NotText,
    TooLarge(u64),
    Unreadable(String),
    /// A FIFO, device or socket: never opened (a FIFO's open blocks).
    NotRegular(&'static str),
    /// A symlink whose target lies outside the folders and files given.
    Outside(PathBuf),
    /// A PDF with no extractable text: damaged, or a scan.
    PdfNoText(String),
    /// The parser failed on it: a bug, kept from stopping the batch.
    Unparsable(String),
    /// A PDF whose text is longer than `MAX_TEXT`: the length extracted.
    TextTooLarge(usize),
    /// The PDF reader's process ran out of memory: its limit, in MiB.
    PdfOutOfMemory(u64),
    /// The PDF reader's process overran its time: the limit, in seconds.
    PdfTimeout(u64),
    /// The PDF reader's process died otherwise: how (a signal, a status).
    PdfCrashed(String),
    /// No PDF reader process could be started.
    PdfReaderFailed(String),
    /// More decisions than any letter holds: the number found, the limit.
    TooManyDecisions {
        found: usize,
        limit: usize,
    },
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Empty => f.write_str("empty"),
            Skip::NotText => f.write_str("not text (binary)"),
            Skip::TooLarge(n) => write!(f, "too large: {} bytes, larger than 2 MB", n),
            Skip::Unreadable(e) => write!(f, "unreadable: {e}"),
            Skip::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            Skip::Outside(target) => write!(
                f,
                "symlink to {}, outside the folders given",
                target.display()
            ),
            Skip::PdfNoText(e) => write!(f, "PDF with no extractable text: {e}"),
            Skip::Unparsable(e) => write!(
                f,
                "could not be parsed (internal error: {e}); please report it with the file"
            ),
            Skip::TextTooLarge(n) => write!(
                f,
                "too much text: {n} bytes extracted from the PDF, more than {} (1 MiB)",
                MAX_TEXT
            ),
            Skip::PdfOutOfMemory(mib) => {
                write!(f, "PDF reader ran out of memory (limit {mib} MiB)")
            }
            Skip::PdfTimeout(s) => write!(f, "PDF reader took longer than {s} s"),
            Skip::PdfCrashed(how) => write!(f, "PDF reader crashed ({how})"),
            Skip::PdfReaderFailed(e) => write!(f, "PDF reader could not start: {e}"),
            Skip::TooManyDecisions { found, limit } => write!(
                f,
                "too many decisions: {found}, more than any letter holds (limit {limit})"
            ),
        }
    }
}

/// A file found by the walk, or a problem found on the way.
pub type Found = Result<PathBuf, (PathBuf, Skip)>;

/// The letter files under `paths`: each file given, and every `*.txt` and
/// `*.pdf` below each folder given, in sorted order. Regular files only: a
/// FIFO, device or socket, and a symlink whose target lies outside the
/// folders and files given, come back as problems, as do symlink loops and
/// unreadable entries; none of them is opened. Lazy, so that ingest reads
/// the first letters while the walk goes on.
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Found> + '_ {
    // Where a symlink may lead: the paths given, resolved.
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    paths
        .iter()
        .flat_map(move |path| -> Box<dyn Iterator<Item = Found>> {
            // A path given is the user's choice, a link or not; its type is
            // asked before anything opens it.
            let kind = match std::fs::metadata(path) {
                Ok(meta) => meta.file_type(),
                Err(e) => {
                    let why = match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
                        _ => io_reason(&e),
                    };
                    return Box::new(std::iter::once(Err((path.clone(), Skip::Unreadable(why)))));
                }
            };
            if kind.is_file() {
                return Box::new(std::iter::once(Ok(path.clone())));
            }
            if !kind.is_dir() {
                let skip = Skip::NotRegular(special(&kind));
                return Box::new(std::iter::once(Err((path.clone(), skip))));
            }
            Box::new(Folder {
                root: path.clone(),
                roots: roots.clone(),
                walker: walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter(),
            })
        })
}

/// The walk of one folder given.
struct Folder {
    root: PathBuf,
    roots: Vec<PathBuf>,
    walker: walkdir::IntoIter,
}

impl Iterator for Folder {
    type Item = Found;

    fn next(&mut self) -> Option<Found> {
        loop {
            let entry = match self.walker.next()? {
                Ok(entry) => entry,
                Err(err) => {
                    let at = err
                        .path()
                        .map_or_else(|| self.root.clone(), Path::to_path_buf);
                    let why = if err.loop_ancestor().is_some() {
                        "symlink loop".to_owned()
                    } else {
                        err.io_error().map_or_else(|| err.to_string(), io_reason)
                    };
                    return Some(Err((at, Skip::Unreadable(why))));
                }
            };
            let kind = entry.file_type();
            let outside = (entry.path_is_symlink() && entry.depth() > 0)
                .then(|| self.outside(entry.path()))
                .flatten();
            if let Some(target) = outside {
                if kind.is_dir() {
                    self.walker.skip_current_dir();
                } else if !is_letter_file(entry.path()) {
                    continue;
                }
                return Some(Err((entry.into_path(), Skip::Outside(target))));
            }
            if kind.is_dir() || !is_letter_file(entry.path()) {
                continue;
            }
            if kind.is_file() {
                return Some(Ok(entry.into_path()));
            }
            let skip = Skip::NotRegular(special(&kind));
            return Some(Err((entry.into_path(), skip)));
        }
    }
}

impl Folder {
    /// The target of the symlink at `link`, when it lies outside every
    /// folder and file given.
    fn outside(&self, link: &Path) -> Option<PathBuf> {
        // A link that cannot be resolved now (gone since the walk saw it)
        // fails when read, as a file deleted meanwhile does.
        let target = std::fs::canonicalize(link).ok()?;
        let inside = self.roots.iter().any(|root| target.starts_with(root));
        (!inside).then_some(target)
    }
}

/// What kind of file other than a regular file or a folder `kind` is.
fn special(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "FIFO"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_char_device() {
        "character device"
    } else if kind.is_block_device() {
        "block device"
    } else {
        "not a file or folder"
    }
}

fn is_letter_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("pdf"))
}

/// A file's bytes, refusing what is too large to be a letter and what is
/// not a regular file. The file is opened without blocking and asked its
/// type and size before anything is read: a file swapped for a FIFO or a
/// device since the walk looked at it is closed unread. Reads at most
/// `MAX_BYTES` and one more, whatever the size said.
pub fn bytes(path: &Path) -> Result<Vec<u8>, Skip> {
    use std::os::unix::fs::OpenOptionsExt;
    let unreadable = |e: std::io::Error| Skip::Unreadable(io_reason(&e));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.file_type().is_file() {
        return Err(Skip::NotRegular(special(&meta.file_type())));
    }
    if meta.len() > MAX_BYTES {
        return Err(Skip::TooLarge(meta.len()));
    }
    // Room for the whole file and the read that finds its end.
    let room = usize::try_from(meta.len()).map_or(READ_AHEAD, |n| n + 1);
    let mut bytes = Vec::with_capacity(room.max(READ_AHEAD));
    (&file)
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Skip::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// `O_NONBLOCK` of open(2): a FIFO opens at once rather than waiting for
/// a writer.
#[cfg(any(target_os = "linux", target_os = "android"))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const O_NONBLOCK: i32 = 0x4;

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

/// Extracts a PDF's text layer as written, its pages apart by form feeds
/// (`decode::clean_pdf_text` makes it a letter's text, and ingest skips a
/// PDF with none), in this process.
/// The extractor can panic on damaged files; that is caught and reported
/// as the file's problem. A stack overflow, a failed allocation or an
/// endless loop cannot be caught: [`pdf_worker`] runs this in a process of
/// its own.
pub fn pdf_text(bytes: &[u8]) -> Result<String, Skip> {
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
    let text = pages.join("\n\u{c}");
    if text.len() > MAX_TEXT {
        return Err(Skip::TextTooLarge(text.len()));
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
