//! Checking an index end to end: that it is imr's, of this schema
//! version; that every file of every segment is there with the checksum
//! tantivy wrote in its footer; that every stored record reads back; and
//! that every letter's decisions are whole and stored in order.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashSet;
use tantivy::Directory;
use tantivy::directory::error::OpenReadError;
use tantivy::directory::footer::Footer;
use tantivy::index::SegmentComponent;
use tantivy::{DocAddress, HasLen, Index, Searcher};

use super::read::{Access, Folder, Opened, bad, file_problem, guarded, open_in, open_index};
use crate::error::{Error, Result};

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub path: PathBuf,
    pub schema_version: Option<u64>,
    pub files: usize,
    pub letters: usize,
    pub decisions: usize,
    /// Each problem found, in words; none when the index is sound.
    pub problems: Vec<String>,
}

/// Problems named in the verdict before "and N more".
const SHOWN: usize = 3;

impl Check {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }

    /// One line: sound, or not and what to do.
    pub fn verdict(&self) -> String {
        let path = self.path.display();
        if self.is_sound() {
            let version = self
                .schema_version
                .map_or(String::new(), |v| format!(", schema version {v}"));
            return format!(
                "{path}: sound ({} files checked, {} letters, {} decisions{version})",
                self.files, self.letters, self.decisions
            );
        }
        let mut shown = self.problems[..self.problems.len().min(SHOWN)].join("; ");
        if self.problems.len() > SHOWN {
            shown.push_str(&format!("; and {} more", self.problems.len() - SHOWN));
        }
        format!(
            "{path}: not sound: {shown}; rebuild it with `imr ingest --index NEW_FOLDER LETTERS...`"
        )
    }
}

/// Checks the index at `path`. An error means it is not an imr index of
/// this version at all; anything else found comes back as a problem.
///
/// One commit is checked, the last when the check began: its segments are
/// held open from start to end, so that their files stay readable while
/// an ingest commits and removes the files of segments it merged.
///
/// Its files are read a piece at a time, none mapped, and its records a
/// letter at a time: its memory does not grow with the index's size but
/// by 8 bytes a letter.
pub fn check(path: &Path) -> Result<Check> {
    if !path.exists() {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    let (index, payload) = guarded(path, || open_index(path, Access::Pieces))?;
    let mut check = Check {
        path: path.to_path_buf(),
        schema_version: payload.map(|p| p.schema_version),
        files: 0,
        letters: 0,
        decisions: 0,
        problems: Vec::new(),
    };
    let folder = Folder::new(path, Access::Pieces)?;
    let opened = match open_in(path, folder.clone()) {
        Ok(opened) => opened,
        // Not readable as it is: which files are damaged, as the commit
        // on disk names them.
        Err(Error::ReadDenied { path }) => return Err(Error::ReadDenied { path }),
        Err(e) => {
            for file in segment_files(path, &index)? {
                check.files += 1;
                if let Some(problem) = verify_file(path, &folder, &file) {
                    check.problems.push(problem);
                }
            }
            if check.is_sound() {
                check
                    .problems
                    .push(format!("its records cannot be read ({e})"));
            }
            return Ok(check);
        }
    };
    let searcher = opened.reader.searcher();
    check.schema_version = opened.payload.as_ref().map(|p| p.schema_version);
    for file in opened_files(&searcher) {
        check.files += 1;
        if let Some(problem) = verify_file(path, &folder, &file) {
            check.problems.push(problem);
        }
    }
    if check.is_sound() {
        read_records(&opened, &mut check);
    }
    Ok(check)
}

/// Every file the segments a searcher opened are read from: as tantivy
/// names them (`SegmentMeta::relative_path`), the delete file only for a
/// segment with deletes. The searcher's segments hold these files open,
/// so they are read from the commit it opened even once removed.
fn opened_files(searcher: &Searcher) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for segment in searcher.segment_readers() {
        let id = segment.segment_id().uuid_string();
        for ext in ["idx", "pos", "term", "store", "fast", "fieldnorm"] {
            files.push(PathBuf::from(format!("{id}.{ext}")));
        }
        if let Some(opstamp) = segment.delete_opstamp().filter(|_| segment.has_deletes()) {
            files.push(PathBuf::from(format!("{id}.{opstamp}.del")));
        }
    }
    files.sort();
    files
}

/// Every file the last commit's segments need, as its meta.json names
/// them.
fn segment_files(path: &Path, index: &Index) -> Result<Vec<PathBuf>> {
    let metas = index.load_metas().map_err(|e| bad(path, &e))?;
    let mut files = metas.list_segment_files();
    // The listing names a delete file and a temporary store for every
    // segment; only segments with deletes have the first, none the second.
    for segment in &metas.segments {
        if !segment.has_deletes() {
            files.remove(&segment.relative_path(SegmentComponent::Delete));
        }
        files.remove(&segment.relative_path(SegmentComponent::TempStore));
    }
    let mut files: Vec<PathBuf> = files.into_iter().collect();
    files.sort();
    Ok(files)
}

/// The problem with one file, if any.
fn verify_file(path: &Path, folder: &Folder, file: &Path) -> Option<String> {
    let name = file.display();
    let verified = guarded(path, || Ok(checksum_matches(folder, file)));
    match verified {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some(format!("{name} is damaged (checksum mismatch)")),
        Ok(Err(e)) => Some(file_problem(&e)),
        Err(e) => Some(format!("{name} cannot be read ({e})")),
    }
}

/// Bytes of a file hashed at a time.
const PIECE: usize = 1 << 20;

/// Whether the CRC32 of a file's body is the one tantivy wrote in its
/// footer, as `ManagedDirectory::validate_checksum` asks, but hashed a
/// piece at a time rather than the whole file read at once.
fn checksum_matches(folder: &Folder, file: &Path) -> std::result::Result<bool, OpenReadError> {
    let failed = |e| OpenReadError::wrap_io_error(e, file.to_path_buf());
    let (footer, body) = Footer::extract_footer(folder.open_read(file)?).map_err(failed)?;
    let mut hasher = crc32fast::Hasher::new();
    let mut at = 0;
    while at < body.len() {
        let end = body.len().min(at + PIECE);
        hasher.update(body.slice(at..end).read_bytes().map_err(failed)?.as_slice());
        at = end;
    }
    Ok(footer.crc == hasher.finalize())
}

/// Reads every stored record back and checks that each letter's decisions
/// are numbered 1 to n, or are the single 0 of a letter with none readable,
/// and lie together in that order in one segment: searches of the case
/// summary rely on it (`query::whole_letter`), and so does export's order.
fn read_records(opened: &Opened, check: &mut Check) {
    let mut letters = Letters::default();
    if let Err(e) = opened.guard(|| stream_records(opened, &mut letters)) {
        check
            .problems
            .push(format!("its records cannot be read ({e})"));
        return;
    }
    check.letters = letters.met.len();
    check.decisions = letters.decisions;
    check.problems.append(&mut letters.problems);
}

/// `read_records`, a segment at a time in document order: a record at a
/// time, never held.
fn stream_records(opened: &Opened, letters: &mut Letters) -> Result<()> {
    let searcher = opened.reader.searcher();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let segment_ord = u32::try_from(ord).unwrap_or(u32::MAX);
        let alive = segment.alive_bitset();
        for doc in (0..segment.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))) {
            let address = DocAddress::new(segment_ord, doc);
            let r = super::record(&searcher, opened, address)?;
            letters.record(r.letter, r.source, r.decision);
        }
        letters.end_segment();
    }
    Ok(())
}

/// The letters met so far, as records come segment by segment in
/// document order, and what is wrong with them. It holds the letter being
/// read and the id of each letter met (8 bytes a letter), never the
/// records.
#[derive(Default)]
struct Letters {
    met: FxHashSet<u64>,
    /// The letter being read, its decisions so far.
    current: Option<Letter>,
    decisions: usize,
    problems: Vec<String>,
}

/// One letter's decisions as they lie together in a segment.
struct Letter {
    letter: String,
    source: String,
    numbers: Vec<u32>,
}

impl Letters {
    /// The next record: decision `decision` of `letter`, read from `source`.
    fn record(&mut self, letter: String, source: String, decision: u32) {
        self.decisions += 1;
        let current = self.current.as_mut().filter(|l| l.letter == letter);
        let follows = current
            .as_ref()
            .is_some_and(|l| l.numbers.last().map(|n| n + 1) == Some(decision));
        if decision >= 2 && !follows {
            self.problems.push(format!(
                "{source}#{decision} is not stored right after the decision before it"
            ));
        }
        match current {
            Some(l) => l.numbers.push(decision),
            None => {
                self.end_letter();
                self.current = Some(Letter {
                    letter,
                    source,
                    numbers: vec![decision],
                });
            }
        }
    }

    fn end_segment(&mut self) {
        self.end_letter();
    }

    /// Counts the letter just read, and finds what is wrong with it: its
    /// decisions are not 1 to n, or some lie apart from the others.
    fn end_letter(&mut self) {
        let Some(mut done) = self.current.take() else {
            return;
        };
        if !self.met.insert(letter_key(&done.letter)) {
            // Decisions after the first are named as not stored after the
            // one before them; a first one met again is the letter stored
            // a second time.
            if done.numbers[0] < 2 {
                self.problems.push(format!(
                    "{} has decisions stored apart from the others",
                    done.source
                ));
            }
            return;
        }
        done.numbers.sort_unstable();
        if !is_whole(&done.numbers) {
            let got: Vec<String> = done.numbers.iter().map(u32::to_string).collect();
            self.problems.push(format!(
                "{} has decisions {}, not 1 to {}",
                done.source,
                got.join(", "),
                done.numbers.len()
            ));
        }
    }
}

/// A letter's id as a number: 16 hex digits (a 64-bit hash of its
/// bytes) are read as they are, exactly; anything else is hashed.
fn letter_key(letter: &str) -> u64 {
    u64::from_str_radix(letter, 16)
        .unwrap_or_else(|_| xxhash_rust::xxh3::xxh3_64(letter.as_bytes()))
}

/// 1..=n, or a single 0. `numbers` is sorted.
fn is_whole(numbers: &[u32]) -> bool {
    numbers == [0] || numbers.iter().zip(1..).all(|(&n, want)| n == want)
}

#[cfg(test)]
mod tests {
    use super::{Letters, is_whole};

    /// The problems found in records met in this order, segment by
    /// segment, as (letter, decision); the source is the letter's name.
    fn problems(segments: &[&[(&str, u32)]]) -> Vec<String> {
        let mut letters = Letters::default();
        for segment in segments {
            for &(letter, decision) in *segment {
                letters.record(letter.to_owned(), letter.to_owned(), decision);
            }
            letters.end_segment();
        }
        letters.problems
    }

    #[test]
    fn decisions_lie_together_in_order() {
        let after = "is not stored right after the decision before it";
        assert!(
            problems(&[&[("a", 1), ("a", 2), ("b", 0), ("c", 1), ("c", 2), ("c", 3)]]).is_empty()
        );
        assert_eq!(problems(&[&[("a", 2), ("a", 1)]]), [format!("a#2 {after}")]);
        assert_eq!(
            problems(&[&[("a", 1), ("b", 1), ("a", 2), ("b", 2)]]),
            [format!("a#2 {after}"), format!("b#2 {after}")]
        );
        assert_eq!(
            problems(&[&[("a", 0), ("a", 1), ("a", 2)]]),
            ["a has decisions 0, 1, 2, not 1 to 3"]
        );
        assert_eq!(
            problems(&[&[("a", 1), ("a", 3)]]),
            [
                format!("a#3 {after}"),
                "a has decisions 1, 3, not 1 to 2".to_owned()
            ]
        );
        // Split between two segments.
        assert_eq!(
            problems(&[&[("a", 1), ("a", 2)], &[("a", 3)]]),
            [format!("a#3 {after}")]
        );
        // Stored twice.
        assert_eq!(
            problems(&[&[("a", 1), ("b", 1), ("a", 1)]]),
            ["a has decisions stored apart from the others"]
        );
    }

    #[test]
    fn whole_decisions() {
        assert!(is_whole(&[0]));
        assert!(is_whole(&[1]));
        assert!(is_whole(&[1, 2, 3]));
        assert!(!is_whole(&[0, 1]));
        assert!(!is_whole(&[1, 3]));
        assert!(!is_whole(&[1, 1, 2]));
        assert!(!is_whole(&[2, 3]));
    }
}
