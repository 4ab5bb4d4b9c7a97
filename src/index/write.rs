//! Writing: records → tantivy documents, added a whole letter at a time,
//! committed with imr's payload (the schema version).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use rustc_hash::{FxBuildHasher, FxHashSet};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{Document, Facet, IndexRecordOption, Value};
use tantivy::{DateTime, Index, IndexReader, IndexWriter, TantivyDocument, Term};

use super::Payload;
use super::schema::{Fields, SchemaFile};
use crate::citation::By;
use crate::error::{Error, Result};
use crate::record::Record;

/// The writer's memory budget: bounded whatever the corpus size, and
/// large enough that a commit of `ingest::Options`' 200,000 letters makes
/// one segment per indexing thread.
pub const MEMORY_BUDGET: usize = 512 * 1024 * 1024;

/// Segments of fewer decisions than this are merged (by tantivy's log
/// merge policy); larger ones are never rewritten, nor the space of their
/// replaced records reclaimed. With the default policy a 1,000,000-letter
/// ingest merged decisions it had written and ran at 78% of its speed at
/// 100,000 letters; the large segments that big commits make cost
/// searches little (README, "At a million letters").
const MERGE_BELOW: usize = 25_000;

/// Documents handed to tantivy and not yet indexed, at most. tantivy
/// queues up to 10,000 letters; at several KiB a document that held
/// about a hundred MiB whenever parsing outran indexing.
const IN_FLIGHT: usize = 2048;

/// A letter key's or a source path's 64-bit hash: what an ingest
/// remembers of each it added, rather than the strings.
fn hashed(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

/// What the index already holds of a letter about to be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    New,
    /// The same bytes at the same path: nothing to do.
    Unchanged,
    /// The same bytes already indexed from another path.
    Duplicate {
        of: String,
    },
    /// Other bytes were indexed from this path: they are replaced.
    Changed,
}

pub struct Writer {
    path: PathBuf,
    writer: IndexWriter<Queued>,
    in_flight: Arc<InFlight>,
    reader: IndexReader,
    fields: Fields,
    version: u64,
    /// Letters and paths added since the last commit (not yet searchable).
    pending_letters: HashMap<String, String>,
    pending_sources: HashSet<String>,
    /// Whether the index held documents when this writer opened it.
    held: bool,
    /// Hashes of every letter id and path this writer added. In an index
    /// that held nothing, a letter or path not among them is not indexed,
    /// and is not looked up: after the first commit of a new index, the
    /// lookups were a tenth of ingest (each reads a block of a term
    /// dictionary in every segment).
    added_letters: FxHashSet<u64>,
    added_sources: FxHashSet<u64>,
    /// imr's lock on the index folder, held while the writer lives; none
    /// in memory.
    lock: Option<IngestLock>,
    /// The ingest time given to the last letter added, or the latest the
    /// index held when opened (`ingested` field).
    last_ingested: u64,
    /// The last commit's file sizes and times, opened when first asked.
    stamps: OnceCell<Vec<SegmentStamps>>,
}

/// A segment, its columns of file sizes and modification times, and its
/// dictionary of paths.
type SegmentStamps = (
    tantivy::SegmentReader,
    tantivy::columnar::Column<u64>,
    tantivy::columnar::Column<u64>,
    Arc<tantivy::InvertedIndexReader>,
);

impl Writer {
    /// Opens the index at `path`, creating it (and the folder) if absent.
    /// Refused at once, naming the other ingest's pid, while another
    /// ingest writes it.
    pub fn open_or_create(path: &Path) -> Result<Writer> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(path).map_err(io)?;
        // Before the lock, which would leave its file in a folder that
        // is not an index. An ingest creates its lock file before any
        // other: files beside it are that ingest's.
        let foreign =
            !path.join("meta.json").exists() && has_files(path) && !path.join(LOCK_FILE).exists();
        if foreign {
            return Err(Error::Usage(format!(
                "{} is not an imr index and holds other files: name a new or empty folder for the index",
                path.display()
            )));
        }
        // Everything below happens to one ingest at a time.
        let lock = IngestLock::take(path)?;
        check_writable(path)?;
        let file = SchemaFile::bundled();
        let index = if path.join("meta.json").exists() {
            super::read::open_index(path, super::read::Access::Mapped)?.0
        } else {
            Index::create_in_dir(path, file.tantivy_schema())
                .map_err(|e| super::read::bad(path, &e))?
        };
        let mut writer = Writer::new(index, path, file.version)?;
        writer.lock = Some(lock);
        Ok(writer)
    }

    /// An index in memory (the bundled sample).
    pub fn in_ram() -> Result<Writer> {
        let file = SchemaFile::bundled();
        Writer::new(
            Index::create_in_ram(file.tantivy_schema()),
            Path::new("(memory)"),
            file.version,
        )
    }

    fn new(index: Index, path: &Path, version: u64) -> Result<Writer> {
        super::stem::register(&index);
        let path = path.to_path_buf();
        let writer = index.writer::<Queued>(MEMORY_BUDGET).map_err(|e| match e {
            // imr's lock was free: a writer that does not take it (an
            // older imr) holds tantivy's.
            tantivy::TantivyError::LockFailure(LockError::LockBusy, _) => Error::Locked {
                path: path.clone(),
                pid: None,
            },
            e => write_error(&path, &e),
        })?;
        let mut merges = LogMergePolicy::default();
        merges.set_max_docs_before_merge(MERGE_BELOW);
        writer.set_merge_policy(Box::new(merges));
        let reader = index.reader().map_err(|e| super::read::bad(&path, &e))?;
        let fields = Fields::resolve(&index.schema())?;
        let last_ingested = latest_ingested(&reader.searcher(), fields.ingested)
            .map_err(|e| super::read::bad(&path, &e))?
            .unwrap_or(0);
        Ok(Writer {
            path,
            writer,
            in_flight: Arc::default(),
            held: reader.searcher().num_docs() > 0,
            reader,
            fields,
            version,
            pending_letters: HashMap::new(),
            pending_sources: HashSet::new(),
            added_letters: FxHashSet::default(),
            added_sources: FxHashSet::default(),
            lock: None,
            last_ingested,
            stamps: OnceCell::new(),
        })
    }

    pub fn index(&self) -> &Index {
        self.writer.index()
    }

    fn tantivy<T>(&self, r: tantivy::Result<T>) -> Result<T> {
        r.map_err(|source| Error::Index {
            path: self.path.clone(),
            source,
        })
    }

    fn written<T>(&mut self, r: tantivy::Result<T>) -> Result<T> {
        r.map_err(|e| self.failure(e))
    }

    /// A failed write in the user's terms. When an indexing thread has
    /// died, tantivy says only that "an index writer was killed"; its
    /// cause (a full disk, most often) comes back when the threads are
    /// joined, which preparing a commit does.
    fn failure(&mut self, e: tantivy::TantivyError) -> Error {
        let cause = match e {
            tantivy::TantivyError::ErrorInThread(_) => match self.writer.prepare_commit() {
                Err(cause) => cause,
                Ok(_) => e,
            },
            e => e,
        };
        write_error(&self.path, &cause)
    }

    /// Ends a writer after `error`: stops tantivy's threads and removes
    /// the files of the commit that failed (a segment half-written to a
    /// full disk), so that the folder holds its last commit and nothing
    /// else. Returns `error`.
    pub fn abandon(self, error: Error) -> Error {
        let Writer {
            path, writer, lock, ..
        } = self;
        // Dropping the writer joins its indexing threads.
        drop(writer);
        if lock.is_some() {
            remove_orphans(&path);
        }
        drop(lock);
        error
    }

    /// How a letter with this id at this path relates to what is indexed.
    pub fn status(&self, letter: &str, source: &str) -> Result<Status> {
        if let Some(of) = self.pending_letters.get(letter) {
            return Ok(Status::Duplicate { of: of.clone() });
        }
        let searcher = self.reader.searcher();
        let may_hold =
            |added: &FxHashSet<u64>, key: &str| self.held || added.contains(&hashed(key));
        let letter_q = term_query(self.fields.letter, letter);
        let source_q = term_query(self.fields.source, source);
        if may_hold(&self.added_letters, letter)
            && self.tantivy(searcher.search(&letter_q, &Count))? > 0
        {
            let both = BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(letter_q.clone()) as Box<dyn tantivy::query::Query>,
                ),
                (Occur::Must, Box::new(source_q.clone())),
            ]);
            if self.tantivy(searcher.search(&both, &Count))? > 0 {
                return Ok(Status::Unchanged);
            }
            let top =
                self.tantivy(searcher.search(&letter_q, &TopDocs::with_limit(1).order_by_score()))?;
            let of = match top.first() {
                Some((_, address)) => {
                    let doc: TantivyDocument = self.tantivy(searcher.doc(*address))?;
                    // Only the source is read: the rationale is not needed.
                    let bytes = doc.get_first(self.fields.record).and_then(|v| v.as_bytes());
                    bytes
                        .and_then(|b| super::decode_record("", b).ok())
                        .map(|r| r.source)
                        .unwrap_or_default()
                }
                None => String::new(),
            };
            return Ok(Status::Duplicate { of });
        }
        if self.pending_sources.contains(source)
            || (may_hold(&self.added_sources, source)
                && self.tantivy(searcher.search(&source_q, &Count))? > 0)
        {
            return Ok(Status::Changed);
        }
        Ok(Status::New)
    }

    /// Which of `files`, sorted by path, the index holds from the same
    /// path with the same size and modification time: those re-ingest
    /// counts unchanged without reading them. One pass per segment over
    /// the range of paths the files span in the `source` term dictionary,
    /// merged with them, reading the sizes and times of the live
    /// documents it meets: not a query per file.
    pub fn unchanged(&self, files: &[(&str, Stamp)]) -> Result<Vec<bool>> {
        use tantivy::{DocSet, TERMINATED};
        let mut same = vec![false; files.len()];
        let (Some(first), Some(last)) = (files.first(), files.last()) else {
            return Ok(same);
        };
        // A path added since the last commit, or never, is not held.
        let may_hold = |source: &str| {
            !self.pending_sources.contains(source)
                && (self.held || self.added_sources.contains(&hashed(source)))
        };
        if !files.iter().any(|(source, _)| may_hold(source)) {
            return Ok(same);
        }
        let stamps = match self.stamps.get() {
            Some(stamps) => stamps,
            None => {
                let opened = self.open_stamps()?;
                self.stamps.get_or_init(|| opened)
            }
        };
        for (segment, sizes, times, paths) in stamps {
            let range = paths.terms().range().ge(first.0).le(last.0).into_stream();
            let mut terms = self.tantivy(range.map_err(tantivy::TantivyError::from))?;
            let mut at = 0;
            while terms.advance() {
                let key = terms.key();
                while at < files.len() && files[at].0.as_bytes() < key {
                    at += 1;
                }
                if at == files.len() {
                    break;
                }
                let matching = files[at..]
                    .iter()
                    .take_while(|&&(source, _)| source.as_bytes() == key)
                    .count();
                if matching == 0 {
                    continue;
                }
                let postings =
                    paths.read_postings_from_terminfo(terms.value(), IndexRecordOption::Basic);
                let mut postings = self.tantivy(postings.map_err(tantivy::TantivyError::from))?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if !segment.is_deleted(doc) {
                        let held = (sizes.first(doc), times.first(doc));
                        for (i, (source, stamp)) in files.iter().enumerate().skip(at).take(matching)
                        {
                            same[i] |= may_hold(source)
                                && held == (Some(stamp.size), Some(stamp.modified));
                        }
                        break;
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(same)
    }

    /// The columns of file sizes and times and the dictionary of paths of
    /// each segment of the last commit that has them. Opening a column
    /// reads its block index: once a batch, that grew with the index.
    fn open_stamps(&self) -> Result<Vec<SegmentStamps>> {
        let searcher = self.reader.searcher();
        let schema = searcher.schema();
        let size_name = schema.get_field_name(self.fields.file_size);
        let modified_name = schema.get_field_name(self.fields.file_modified);
        let mut stamps = Vec::new();
        for segment in searcher.segment_readers() {
            let columns = segment.fast_fields();
            if let (Some(sizes), Some(times)) = (
                self.tantivy(columns.column_opt::<u64>(size_name))?,
                self.tantivy(columns.column_opt::<u64>(modified_name))?,
            ) {
                let paths = self.tantivy(segment.inverted_index(self.fields.source))?;
                stamps.push((segment.clone(), sizes, times, paths));
            }
        }
        Ok(stamps)
    }

    /// Adds a letter's records; nothing is indexed from its path yet
    /// (`Status::New`). `stamp`: its file's, which re-ingest compares.
    pub fn add_letter(
        &mut self,
        records: Vec<Record>,
        summary: &str,
        stamp: Option<Stamp>,
    ) -> Result<()> {
        self.send(records, summary, stamp, false)
    }

    /// Adds a letter's records in place of whatever was indexed from the
    /// same path (`Status::Changed`).
    pub fn replace_letter(
        &mut self,
        records: Vec<Record>,
        summary: &str,
        stamp: Option<Stamp>,
    ) -> Result<()> {
        self.send(records, summary, stamp, true)
    }

    /// Rewrites the documents of a letter indexed from the same path with
    /// the same bytes (`Status::Unchanged`) to hold its file's new `stamp`.
    /// They keep their ingest time: the letter is not new, and alerts do
    /// not report it again.
    pub fn restamp_letter(
        &mut self,
        records: Vec<Record>,
        summary: &str,
        stamp: Option<Stamp>,
    ) -> Result<()> {
        let Some(first) = records.first() else {
            return Ok(());
        };
        let held = self.ingested_from(&first.source)?;
        self.write(records, summary, stamp, true, held)
    }

    /// The ingest time of the documents indexed from `source`, if any.
    fn ingested_from(&self, source: &str) -> Result<Option<u64>> {
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &term_query(self.fields.source, source),
            &TopDocs::with_limit(1).order_by_score(),
        );
        let Some(&(_, address)) = self.tantivy(top)?.first() else {
            return Ok(None);
        };
        let name = searcher.schema().get_field_name(self.fields.ingested);
        let column = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .column_opt::<u64>(name);
        Ok(self.tantivy(column)?.and_then(|c| c.first(address.doc_id)))
    }

    /// A new ingest time: now, in nanoseconds since 1970, and always later
    /// than the last one given (a clock set back, two letters in one
    /// nanosecond). So every letter is later than those committed before
    /// it, which is what lets an alert tell the new by one number.
    fn next_ingested(&mut self) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
        self.last_ingested = now.max(self.last_ingested.saturating_add(1));
        self.last_ingested
    }

    /// One batch: the delete of the path's old records when `replace`
    /// (a delete costs a lookup in every segment at each commit, so new
    /// paths go without), then the documents in decision order. tantivy
    /// indexes a batch into one segment with consecutive document ids,
    /// which searches of the summary rely on (`query::whole_letter`), and
    /// a letter's documents always land in the same commit.
    fn send(
        &mut self,
        records: Vec<Record>,
        summary: &str,
        stamp: Option<Stamp>,
        replace: bool,
    ) -> Result<()> {
        self.write(records, summary, stamp, replace, None)
    }

    /// `send`, with the ingest time given (`restamp_letter`), else a new one.
    fn write(
        &mut self,
        records: Vec<Record>,
        summary: &str,
        stamp: Option<Stamp>,
        replace: bool,
        ingested: Option<u64>,
    ) -> Result<()> {
        let Some(first) = records.first() else {
            return Ok(());
        };
        let ingested = match ingested {
            Some(t) => t,
            None => self.next_ingested(),
        };
        let (letter, source) = (first.letter.clone(), first.source.clone());
        let delete = replace
            .then(|| UserOperation::Delete(Term::from_field_text(self.fields.source, &source)));
        self.in_flight.wait_for_room();
        let operations: Vec<_> = delete
            .into_iter()
            .chain(records.into_iter().enumerate().map(|(i, r)| {
                UserOperation::Add(Queued {
                    doc: document(
                        &self.fields,
                        r,
                        (i == 0).then_some(summary),
                        stamp,
                        ingested,
                    ),
                    _ticket: Ticket::take(&self.in_flight),
                })
            }))
            .collect();
        let added = self.writer.run(operations).map(|_| ());
        self.written(added)?;
        self.added_letters.insert(hashed(&letter));
        self.added_sources.insert(hashed(&source));
        self.pending_sources.insert(source.clone());
        self.pending_letters.insert(letter, source);
        Ok(())
    }

    /// Makes everything added so far durable and searchable.
    pub fn commit(&mut self) -> Result<()> {
        let payload = Payload {
            schema_version: self.version,
            committed_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        let payload = serde_json::to_string(&payload).unwrap_or_default();
        let committed = match self.writer.prepare_commit() {
            Ok(mut prepared) => {
                prepared.set_payload(&payload);
                prepared.commit()
            }
            Err(e) => Err(e),
        };
        self.written(committed)?;
        let reloaded = self.reader.reload();
        self.tantivy(reloaded)?;
        self.stamps = OnceCell::new();
        self.pending_letters.clear();
        self.pending_sources.clear();
        Ok(())
    }

    /// Commits and waits for merges, ending the writer.
    pub fn finish(mut self) -> Result<Index> {
        if let Err(e) = self.commit() {
            return Err(self.abandon(e));
        }
        let index = self.index().clone();
        let path = self.path.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| write_error(&path, &e))?;
        Ok(index)
    }
}

/// A document on its way through tantivy's queue, holding a ticket that
/// tantivy gives back by dropping it once indexed.
pub struct Queued {
    doc: TantivyDocument,
    _ticket: Ticket,
}

impl Document for Queued {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// How many documents tantivy holds; the writer waits while it is full.
#[derive(Default)]
struct InFlight {
    count: Mutex<usize>,
    indexed: Condvar,
}

/// Where a full queue has drained enough to take more: waking the writer
/// at each document indexed was a system call a document.
const REFILL_AT: usize = IN_FLIGHT / 2;

impl InFlight {
    /// When `IN_FLIGHT` documents are queued, waits until no more than
    /// `REFILL_AT` are. Never more than a second: were tantivy's threads
    /// gone, its own errors must surface rather than this wait hang.
    fn wait_for_room(&self) {
        let count = self.count.lock().unwrap_or_else(PoisonError::into_inner);
        if *count < IN_FLIGHT {
            return;
        }
        let waited = self
            .indexed
            .wait_timeout_while(count, Duration::from_secs(1), |n| *n > REFILL_AT);
        drop(waited);
    }
}

struct Ticket(Arc<InFlight>);

impl Ticket {
    fn take(in_flight: &Arc<InFlight>) -> Ticket {
        *in_flight
            .count
            .lock()
            .unwrap_or_else(PoisonError::into_inner) += 1;
        Ticket(Arc::clone(in_flight))
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut count = self.0.count.lock().unwrap_or_else(PoisonError::into_inner);
        *count -= 1;
        if *count == REFILL_AT {
            self.0.indexed.notify_one();
        }
    }
}

/// imr's lock file in an index folder: an ingest holds an advisory lock
/// on it (flock) while it writes, taken before tantivy's own, and writes
/// its pid in it for the ingest refused to name.
pub const LOCK_FILE: &str = ".imr-ingest.lock";

/// The lock an ingest holds on an index folder; released when dropped
/// (or when the process ends, however it ends).
struct IngestLock {
    /// Held for its lock, which closing it releases.
    _file: std::fs::File,
}

impl IngestLock {
    fn take(path: &Path) -> Result<IngestLock> {
        use std::io::Write;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path.join(LOCK_FILE))
            .map_err(|e| write_error(path, &e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked {
                    path: path.to_path_buf(),
                    pid: holder(path),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(write_error(path, &e)),
        }
        file.set_len(0)
            .and_then(|()| writeln!(&file, "{}", std::process::id()))
            .map_err(|e| write_error(path, &e))?;
        Ok(IngestLock { _file: file })
    }
}

/// The pid of the ingest holding the lock on the index at `path`. It
/// writes it just after taking the lock: a refused ingest may look in
/// between, and waits a little for it.
fn holder(path: &Path) -> Option<u32> {
    for _ in 0..50 {
        let written = std::fs::read_to_string(path.join(LOCK_FILE)).ok();
        if let Some(pid) = written.and_then(|w| w.trim().parse().ok()) {
            return Some(pid);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// Removes the segment files of the index at `path` that its meta.json
/// does not name: what a failed commit wrote. Only files named as tantivy
/// names segment files are touched.
fn remove_orphans(path: &Path) {
    let Ok(metas) = tantivy::Index::open_in_dir(path).and_then(|i| i.load_metas()) else {
        return;
    };
    let kept: HashSet<PathBuf> = metas.list_segment_files();
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = PathBuf::from(entry.file_name());
        if is_segment_file(&name) && !kept.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A segment file's name: the segment's id in 32 hex digits, a dot, and
/// the component ("idx", "store", "7.del", …).
fn is_segment_file(name: &Path) -> bool {
    let name = name.to_string_lossy();
    name.split_once('.').is_some_and(|(id, rest)| {
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) && !rest.is_empty()
    })
}

/// Fails, naming the cause, when files cannot be created in the index
/// folder: tantivy would only say that its writer thread died.
fn check_writable(path: &Path) -> Result<()> {
    let probe = path.join(".imr-write-check");
    std::fs::write(&probe, b"")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| write_error(path, &e))
}

/// Whether the folder holds anything.
fn has_files(path: &Path) -> bool {
    std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some())
}

/// A failed write, named by its cause where the system gave one: a full
/// disk (or quota) and permissions have their own messages.
fn write_error(path: &Path, cause: &dyn std::fmt::Display) -> Error {
    let path = path.to_path_buf();
    let reason = cause.to_string();
    // An OS error's text ends "(os error N)" however tantivy wraps it.
    let os_error = |n: i32| reason.contains(&format!("(os error {n})"));
    if os_error(ENOSPC) || os_error(EDQUOT) {
        Error::NoSpace { path }
    } else if os_error(EACCES) || os_error(EPERM) {
        Error::WriteDenied { path }
    } else {
        Error::Write { path, reason }
    }
}

/// Linux's numbers of the errors `write_error` names.
const EPERM: i32 = 1;
const EACCES: i32 = 13;
const ENOSPC: i32 = 28;
const EDQUOT: i32 = 122;

fn term_query(field: tantivy::schema::Field, value: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )
}

/// A file's size and modification time, indexed with its letter.
pub use crate::read::Stamp;

/// The latest ingest time of the documents `searcher` reads (a column's
/// largest value, deleted documents' included: a letter replaced is
/// replaced in the same commit by one ingested later, or as late); `None`
/// for an empty index.
pub fn latest_ingested(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
) -> tantivy::Result<Option<u64>> {
    let name = searcher.schema().get_field_name(field);
    let mut latest = None;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().column_opt::<u64>(name)?;
        if let Some(column) = column.filter(|c| c.values.num_vals() > 0) {
            latest = latest.max(Some(column.max_value()));
        }
    }
    Ok(latest)
}

/// The tantivy document for one record; `summary`, the letter's clinical
/// case summary, goes with its first decision only, and searches extend a
/// match on it to the others (`query::whole_letter`). `stamp`, the size
/// and modification time of the letter's file, and `ingested`, when ingest
/// added the letter, go with every decision.
pub fn document(
    f: &Fields,
    r: Record,
    summary: Option<&str>,
    stamp: Option<Stamp>,
    ingested: u64,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.letter, &r.letter);
    doc.add_text(f.source, &r.source);
    doc.add_u64(f.ingested, ingested);
    if let Some(stamp) = stamp {
        doc.add_u64(f.file_size, stamp.size);
        doc.add_u64(f.file_modified, stamp.modified);
    }
    doc.add_text(f.file, crate::record::file_name(&r.source));
    if let Some(case) = &r.case_number {
        doc.add_text(f.case_number, case);
    }
    doc.add_u64(f.decision, u64::from(r.decision));
    doc.add_text(f.item, &r.item);
    if let Some(summary) = summary {
        doc.add_text(f.summary, summary);
    }
    doc.add_text(f.outcome, r.outcome.as_str());
    doc.add_facet(f.facet, facet(&["outcome", r.outcome.as_str()]));
    if !r.item.is_empty() {
        doc.add_facet(f.item_facet, facet(&["item", &r.item.to_lowercase()]));
    }
    for drug in &r.drugs {
        doc.add_text(f.drug, drug);
        doc.add_facet(f.facet, facet(&["drug", drug]));
    }
    for class in &r.drug_classes {
        doc.add_text(f.class, class.to_lowercase());
        doc.add_facet(f.facet, facet(&["class", class]));
    }
    add_category(f, &r, &mut doc);
    for page in &r.pages {
        doc.add_u64(f.page, u64::from(*page));
        doc.add_facet(f.facet, facet(&["page", &page.to_string()]));
    }
    // The reviewer's citations: what the decision rests on, and what the
    // guideline facet counts (the claims administrator's stay in the record).
    for c in r.guidelines.iter().filter(|c| c.by == By::Reviewer) {
        let words = [
            Some(c.source.as_str()),
            c.document.as_deref(),
            c.section.as_deref(),
        ];
        doc.add_text(
            f.guideline,
            words.into_iter().flatten().collect::<Vec<_>>().join(" "),
        );
        // Source, then document: counts per source and per document.
        let source = c.source.as_str();
        let path = match &c.document {
            Some(d) => facet(&["guideline", source, d]),
            None => facet(&["guideline", source]),
        };
        doc.add_facet(f.facet, path);
    }
    // Each page and section with its document, as the citator pairs them,
    // whole: the steps are read back as written.
    for (kind, cited, document) in crate::citation::cited(&r.pages, &r.guidelines) {
        doc.add_facet(f.cited, Facet::from_path([kind, &document, &cited]));
    }
    if let Some(s) = &r.reviewer.specialty {
        doc.add_text(f.specialty, s);
        // Letters write "Physical Medicine & Rehabilitation" and "… and …":
        // one specialty, counted once.
        doc.add_facet(f.facet, facet(&["specialty", &s.replace(" & ", " and ")]));
    }
    if let Some(s) = &r.reviewer.subspecialty {
        doc.add_text(f.specialty, s);
    }
    for state in &r.reviewer.licensed_in {
        doc.add_text(f.state, state);
        doc.add_facet(f.facet, facet(&["state", state]));
    }
    if let Some(year) = r.year() {
        doc.add_u64(f.year, year);
        doc.add_facet(f.facet, facet(&["year", &year.to_string()]));
    }
    if let Some(date) = r.cover.dated.as_deref().and_then(date_time) {
        doc.add_date(f.dated, date);
    }
    let (rationale, record) = super::encode_record(r);
    doc.add_text(f.rationale, rationale);
    doc.add_bytes(f.record, &record);
    doc
}

/// The category and subcategory as terms (a filter names either) and as
/// one facet path; "none" for a decision the table cannot place, which
/// `imr where` counts.
fn add_category(f: &Fields, r: &Record, doc: &mut TantivyDocument) {
    match (&r.category, &r.subcategory) {
        (Some(category), subcategory) => {
            doc.add_text(f.category, category.to_lowercase());
            let mut path = vec!["category", category.as_str()];
            if let Some(sub) = subcategory {
                doc.add_text(f.category, sub.to_lowercase());
                path.push(sub);
            }
            doc.add_facet(f.facet, facet(&path));
        }
        (None, _) if r.decision > 0 => doc.add_text(f.category, UNPLACED),
        (None, _) => {}
    }
}

/// The `category` term of a decision the category table cannot place.
pub const UNPLACED: &str = "none";

fn facet(path: &[&str]) -> Facet {
    // A slash would split the step: it becomes the division slash. Steps
    // rarely hold one, so most are not copied.
    Facet::from_path(path.iter().map(|&p| match p.contains('/') {
        true => Cow::Owned(p.replace('/', "∕")),
        false => Cow::Borrowed(p),
    }))
}

/// "2017-01-06" → a tantivy date (midnight UTC); None unless the year,
/// month and day are in range. tantivy counts nanoseconds in an i64,
/// which holds the years 1678 to 2261 whole; past them it overflows.
pub fn date_time(iso: &str) -> Option<DateTime> {
    let mut parts = iso.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let in_range = (1678..=2261).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d);
    if parts.next().is_some() || !in_range {
        return None;
    }
    Some(DateTime::from_timestamp_secs(
        days_from_civil(y, m, d) * 86_400,
    ))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_count_the_documents_tantivy_holds() {
        let in_flight = Arc::new(InFlight::default());
        let count = || *in_flight.count.lock().unwrap();
        let tickets: Vec<Ticket> = (0..3).map(|_| Ticket::take(&in_flight)).collect();
        assert_eq!(count(), 3);
        let queued = Queued {
            doc: TantivyDocument::default(),
            _ticket: Ticket::take(&in_flight),
        };
        assert_eq!(count(), 4);
        drop(queued);
        drop(tickets);
        assert_eq!(count(), 0);
        in_flight.wait_for_room();
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2017, 1, 6), 17_172);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn dates_out_of_range_are_not_dates() {
        let day = |iso| date_time(iso).map(|d| d.into_timestamp_secs() / 86_400);
        assert_eq!(day("2017-01-06"), Some(17_172));
        assert_eq!(day("99999999999999999-01-01"), None);
        assert_eq!(day("2017-13-01"), None);
        assert_eq!(day("2017-01-32"), None);
        assert_eq!(day("2017-01-06-1"), None);
        assert_eq!(day("1677-12-31"), None);
        assert_eq!(day("2262-01-01"), None);
        assert_eq!(day("2261-12-31"), Some(106_650));
    }
}
