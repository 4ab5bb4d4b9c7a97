//! Ingest: files → parsed letters (in parallel) → the index, committed
//! periodically and a whole letter at a time, with a report.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::decode::{self, NotText};
use crate::drug::DrugTable;
use crate::error::Result;
use crate::index::write::{Status, Writer};
use crate::index::{self, Opened};
use crate::read::pdf_worker::{self, Pool};
use crate::read::{self, Skip, Stamp};
use crate::record::{self, Record};

/// A letter read and parsed, ready to index.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The letter's id: a hash of its bytes.
    pub letter: String,
    pub records: Vec<Record>,
    pub summary: String,
    /// Its file's size and modification time, when ingest asked them:
    /// indexed with each decision, not part of the record.
    pub stamp: Option<Stamp>,
}

/// The letter's id: the 64-bit XXH3 hash of its bytes, in 16 hex digits.
/// An id needs a good spread, not resistance to forgery: letters come from
/// the state, and a forged collision would only have ingest skip a letter
/// as a duplicate. BLAKE3 was 3% of ingest's time, XXH3 a fraction of it.
pub fn letter_id(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// A letter giving more decisions than this is skipped, not indexed: real
/// letters hold 1 to about 10 (the 25 in `data/` at most 6), so a file
/// giving more is not a letter, and one giving thousands would flood
/// every search with its records.
pub const MAX_DECISIONS: usize = 50;

/// The five sample letters, parsed and indexed in memory.
pub fn open_sample() -> Result<Opened> {
    let mut writer = Writer::in_ram()?;
    for (source, bytes) in crate::sample::LETTERS {
        if let Ok(parsed) = parse(source, bytes) {
            writer.add_letter(parsed.records, &parsed.summary, None)?;
        }
    }
    index::in_memory(writer.finish()?)
}

/// Bytes of the file at `source` → its records. Pure but for PDF text
/// extraction, which happens in memory.
pub fn parse(source: &str, bytes: &[u8]) -> std::result::Result<Parsed, Skip> {
    parse_by(source, bytes, None)
}

/// A PDF's clean text, extracted by `pool`'s workers when given; a PDF
/// without a text layer, or whose text is only page furniture, has none.
fn pdf_letter_text(bytes: &[u8], pool: Option<&Pool>) -> std::result::Result<String, Skip> {
    let raw = match pool {
        Some(pool) => pool.text(bytes)?,
        None => read::pdf_text(bytes)?,
    };
    let text = decode::clean_pdf_text(&raw);
    match text.trim().is_empty() {
        true => Err(Skip::PdfNoText("no text layer (a scan?)".into())),
        false => Ok(text),
    }
}

/// As [`parse`], with a PDF's text extracted by `pool`'s workers when
/// given.
fn parse_by(source: &str, bytes: &[u8], pool: Option<&Pool>) -> std::result::Result<Parsed, Skip> {
    let text = match decode::decode(bytes) {
        Ok(text) => text,
        Err(NotText::Pdf) => pdf_letter_text(bytes, pool)?,
        Err(NotText::Empty) => return Err(Skip::Empty),
        Err(NotText::Binary) => return Err(Skip::NotText),
    };
    // A parser bug on one letter must not stop the batch.
    let letter = std::panic::catch_unwind(|| crate::letter::parse(&text, DrugTable::bundled()))
        .map_err(|panic| Skip::Unparsable(crate::error::panic_message(&*panic)))?;
    if letter.decisions.len() > MAX_DECISIONS {
        return Err(Skip::TooManyDecisions {
            found: letter.decisions.len(),
            limit: MAX_DECISIONS,
        });
    }
    let id = letter_id(bytes);
    Ok(Parsed {
        records: record::from_letter(source, &id, &letter, &text),
        summary: letter.summary,
        letter: id,
        stamp: None,
    })
}

/// When to commit (whichever comes first), how to read PDFs, and how to
/// tell a file unchanged.
#[derive(Debug, Clone)]
pub struct Options {
    pub commit_every_letters: usize,
    pub commit_every: Duration,
    /// PDF text extraction in worker processes, bounded in memory and
    /// time; `None` extracts in this process, where a hostile PDF can
    /// abort or hang the whole ingest.
    pub pdf_workers: Option<pdf_worker::Config>,
    /// Read and hash every file: one is unchanged when its bytes are those
    /// indexed from its path. Otherwise a file whose size and modification
    /// time are those indexed from its path is unchanged, and not read.
    pub verify: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            // Each commit flushes every indexing thread's segment, and
            // small segments are merged again: at 10,000 letters a
            // 100,000-letter ingest took a fifth longer. Commits of
            // 200,000 letters make segments too large to merge again
            // (`index::write::MERGE_BELOW`).
            commit_every_letters: 200_000,
            commit_every: Duration::from_secs(30),
            pdf_workers: None,
            verify: false,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub index: String,
    pub files: usize,
    pub letters_read: usize,
    pub letters_indexed: usize,
    pub decisions_indexed: usize,
    /// Letters already indexed from the same path: the same size and
    /// modification time, or (with `verify`, or when those differ) the
    /// same bytes.
    pub unchanged: usize,
    /// Paths whose earlier records were replaced by changed bytes.
    pub replaced: usize,
    pub duplicates: Vec<Duplicate>,
    pub skipped: Vec<Skipped>,
    pub flagged: Vec<Flagged>,
    /// Words of the indexed items that look like drug names the drug table
    /// does not know, most frequent first: what the table should learn.
    pub unknown_drug_words: Vec<WordCount>,
    /// Their counts as ingest goes.
    #[serde(skip)]
    drug_words: FxHashMap<String, usize>,
    pub bytes: u64,
    pub elapsed_secs: f64,
    pub mb_per_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub path: String,
    pub of: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordCount {
    pub word: String,
    /// Decisions whose item holds it.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Flagged {
    pub path: String,
    pub flags: Vec<String>,
}

impl Report {
    /// Whether a file was skipped or a letter flagged (any flag: a
    /// letter imr could not read whole is one to look at).
    pub fn has_unreadable(&self) -> bool {
        !self.skipped.is_empty() || !self.flagged.is_empty()
    }
}

/// Progress as files are done: (files done, files in all, bytes done).
pub type Progress<'a> = &'a (dyn Fn(usize, usize, u64) + Sync);

/// Files handled in parallel between two chances to commit.
const BATCH: usize = 256;

/// Ingests the letters under `paths` into the index at `index_path`.
pub fn run(
    index_path: &Path,
    paths: &[PathBuf],
    options: Options,
    progress: Progress,
) -> Result<Report> {
    let started = Instant::now();
    let mut writer = Writer::open_or_create(index_path)?;
    let mut report = Report {
        index: index_path.display().to_string(),
        ..Report::default()
    };
    // The walk runs beside ingest, not before it: on 100,000 letters it
    // took a sixtieth of the run, one core busy and the other idle. It
    // runs ahead unbounded (a path is small), so the progress bar soon
    // has its total.
    let found_files = AtomicUsize::new(0);
    let walked = std::thread::scope(|scope| {
        let (found_tx, found) = std::sync::mpsc::channel();
        let counted = &found_files;
        scope.spawn(move || {
            for f in read::walk(paths) {
                counted.fetch_add(usize::from(f.is_ok()), Ordering::Relaxed);
                if found_tx.send(f).is_err() {
                    return;
                }
            }
        });
        let mut walk = Walk {
            found,
            found_files: &found_files,
            skips: Vec::new(),
            files: 0,
        };
        let pool = options.pdf_workers.clone().map(Pool::new);
        let pool = pool.as_ref();
        ingest_walked(
            &mut writer,
            &mut report,
            &mut walk,
            &options,
            pool,
            progress,
        )?;
        Ok::<_, crate::error::Error>(walk.skips)
    });
    // A failed write leaves the index as its last commit left it.
    let walk_skips = match walked {
        Ok(skips) => skips,
        Err(e) => return Err(writer.abandon(e)),
    };
    // Problems the walk met are listed first, as before it ran beside.
    report.skipped.splice(0..0, walk_skips);
    report.unknown_drug_words = most_frequent(std::mem::take(&mut report.drug_words));
    writer.finish()?;
    report.elapsed_secs = started.elapsed().as_secs_f64();
    report.mb_per_s = report.bytes as f64 / 1e6 / report.elapsed_secs.max(1e-9);
    Ok(report)
}

/// What the walk has sent so far.
struct Walk<'w> {
    found: std::sync::mpsc::Receiver<read::Found>,
    /// Letter files the walk has found, some not yet received.
    found_files: &'w AtomicUsize,
    skips: Vec<Skipped>,
    /// Letter files received.
    files: usize,
}

impl Walk<'_> {
    /// Up to `BATCH` more files, waiting for the walk; empty once it ends.
    fn next_batch(&mut self) -> Vec<PathBuf> {
        let mut batch = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match self.found.recv() {
                Ok(Ok(path)) => batch.push(path),
                Ok(Err((path, skip))) => self.skips.push(skipped(&path, &skip)),
                Err(_) => break,
            }
        }
        self.files += batch.len();
        batch
    }
}

/// Reads, parses and indexes the walked files a batch at a time,
/// committing when `options` say, a PDF's text extracted by `pool` when
/// given.
fn ingest_walked(
    writer: &mut Writer,
    report: &mut Report,
    walk: &mut Walk<'_>,
    options: &Options,
    pool: Option<&Pool>,
    progress: Progress,
) -> Result<()> {
    let mut since_commit = 0;
    let mut last_commit = Instant::now();
    loop {
        let batch = walk.next_batch();
        if batch.is_empty() {
            break;
        }
        report.files = walk.files;
        let stamps: Vec<Option<Stamp>> = batch.par_iter().map(|p| read::stamp(p)).collect();
        let sources: Vec<String> = batch.iter().map(|p| p.display().to_string()).collect();
        let same = same_stamps(writer, &sources, &stamps)?;
        let skip_unread = !options.verify;
        let parsed: Vec<(u64, Option<std::result::Result<Parsed, Skip>>)> = batch
            .par_iter()
            .zip(&sources)
            .zip(&stamps)
            .zip(&same)
            .map(|(((path, source), stamp), &same)| match stamp {
                Some(stamp) if same && skip_unread => (stamp.size, None),
                _ => match read::bytes(path) {
                    Ok(bytes) => (
                        bytes.len() as u64,
                        Some(parse_by(source, &bytes, pool).map(|p| Parsed { stamp: *stamp, ..p })),
                    ),
                    Err(skip) => (0, Some(Err(skip))),
                },
            })
            .collect();
        for ((source, (size, result)), same) in sources.into_iter().zip(parsed).zip(same) {
            report.bytes += size;
            match result {
                // The size and modification time indexed from its path.
                None => {
                    report.letters_read += 1;
                    report.unchanged += 1;
                }
                Some(Ok(letter)) => {
                    let added = index_letter(writer, report, &source, letter, !same)?;
                    since_commit += usize::from(added);
                }
                Some(Err(skip)) => report.skipped.push(Skipped {
                    path: source,
                    reason: skip.to_string(),
                }),
            }
        }
        progress(
            report.letters_read + report.skipped.len(),
            walk.found_files.load(Ordering::Relaxed),
            report.bytes,
        );
        if since_commit >= options.commit_every_letters
            || last_commit.elapsed() >= options.commit_every
        {
            writer.commit()?;
            since_commit = 0;
            last_commit = Instant::now();
        }
    }
    Ok(())
}

/// Which files the index holds from the same path with the same size and
/// modification time, asked of the index once for the batch, in path
/// order; false for a file whose size and time could not be asked.
fn same_stamps(writer: &Writer, sources: &[String], stamps: &[Option<Stamp>]) -> Result<Vec<bool>> {
    let mut order: Vec<usize> = (0..sources.len())
        .filter(|&i| stamps[i].is_some())
        .collect();
    order.sort_unstable_by(|&a, &b| sources[a].cmp(&sources[b]));
    let files: Vec<(&str, Stamp)> = order
        .iter()
        .filter_map(|&i| Some((sources[i].as_str(), stamps[i]?)))
        .collect();
    let found = writer.unchanged(&files)?;
    let mut same = vec![false; sources.len()];
    for (i, found) in order.into_iter().zip(found) {
        same[i] = found;
    }
    Ok(same)
}

/// Adds one parsed letter unless it is already indexed; true if added
/// (or its documents rewritten). `restamp`: whether the index holds
/// another size or modification time for its path, which an unchanged
/// letter's documents are rewritten to hold, so that the next ingest
/// need not read it.
fn index_letter(
    writer: &mut Writer,
    report: &mut Report,
    source: &str,
    letter: Parsed,
    restamp: bool,
) -> Result<bool> {
    report.letters_read += 1;
    let replaces = match writer.status(&letter.letter, source)? {
        Status::Unchanged if restamp && letter.stamp.is_some() => {
            report.unchanged += 1;
            writer.restamp_letter(letter.records, &letter.summary, letter.stamp)?;
            return Ok(true);
        }
        Status::Unchanged => {
            report.unchanged += 1;
            return Ok(false);
        }
        Status::Duplicate { of } => {
            report.duplicates.push(Duplicate {
                path: source.to_owned(),
                of,
            });
            return Ok(false);
        }
        Status::Changed => {
            report.replaced += 1;
            true
        }
        Status::New => false,
    };
    let mut flags: Vec<String> = letter
        .records
        .iter()
        .flat_map(|r| r.flags.clone())
        .collect();
    flags.sort_unstable();
    flags.dedup();
    if !flags.is_empty() {
        report.flagged.push(Flagged {
            path: source.to_owned(),
            flags,
        });
    }
    for record in &letter.records {
        for word in DrugTable::bundled().unknown_words(&record.item) {
            *report.drug_words.entry(word).or_default() += 1;
        }
    }
    let decisions = letter.records.len();
    if replaces {
        writer.replace_letter(letter.records, &letter.summary, letter.stamp)?;
    } else {
        writer.add_letter(letter.records, &letter.summary, letter.stamp)?;
    }
    report.letters_indexed += 1;
    report.decisions_indexed += decisions;
    Ok(true)
}

/// Counted words, most frequent first, then alphabetical.
fn most_frequent(counts: FxHashMap<String, usize>) -> Vec<WordCount> {
    let mut words: Vec<WordCount> = counts
        .into_iter()
        .map(|(word, count)| WordCount { word, count })
        .collect();
    words.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    words
}

fn skipped(path: &Path, skip: &Skip) -> Skipped {
    Skipped {
        path: path.display().to_string(),
        reason: skip.to_string(),
    }
}
