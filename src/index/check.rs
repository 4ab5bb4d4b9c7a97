//! Checking an index end to end: that it is imr's, of this schema
//! version; that every file of every segment is there with the checksum
//! tantivy wrote in its footer; that every stored record reads back; and
//! that every letter's decisions are whole and stored in order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tantivy::index::SegmentComponent;
use tantivy::{Index, Searcher};

use super::read::{Opened, bad, file_problem, guarded, open, open_index};
use crate::error::{Error, Result};
use crate::record::Record;

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
pub fn check(path: &Path) -> Result<Check> {
    if !path.exists() {
        return Err(Error::NoIndex {
            path: path.to_path_buf(),
        });
    }
    let (index, payload) = guarded(path, || open_index(path))?;
    let mut check = Check {
        path: path.to_path_buf(),
        schema_version: payload.map(|p| p.schema_version),
        files: 0,
        letters: 0,
        decisions: 0,
        problems: Vec::new(),
    };
    let opened = match open(path) {
        Ok(opened) => opened,
        // Not readable as it is: which files are damaged, as the commit
        // on disk names them.
        Err(Error::ReadDenied { path }) => return Err(Error::ReadDenied { path }),
        Err(e) => {
            for file in segment_files(path, &index)? {
                check.files += 1;
                if let Some(problem) = verify_file(path, &index, &file) {
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
        if let Some(problem) = verify_file(path, &opened.index, &file) {
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
/// segment with deletes. The searcher's segments hold these files mapped,
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
fn verify_file(path: &Path, index: &Index, file: &Path) -> Option<String> {
    let name = file.display();
    let verified = guarded(path, || Ok(index.directory().validate_checksum(file)));
    match verified {
        Ok(Ok(true)) => None,
        Ok(Ok(false)) => Some(format!("{name} is damaged (checksum mismatch)")),
        Ok(Err(e)) => Some(file_problem(&e)),
        Err(e) => Some(format!("{name} cannot be read ({e})")),
    }
}

/// Reads every stored record back and checks that each letter's decisions
/// are numbered 1 to n, or are the single 0 of a letter with none readable,
/// and lie together in that order in one segment: searches of the case
/// summary rely on it (`query::whole_letter`).
fn read_records(opened: &Opened, check: &mut Check) {
    let segments = super::by_segment(opened);
    let segments = match segments {
        Ok(segments) => segments,
        Err(e) => {
            check
                .problems
                .push(format!("its records cannot be read ({e})"));
            return;
        }
    };
    let records: Vec<&Record> = segments.iter().flatten().collect();
    check.decisions = records.len();
    let mut letters: BTreeMap<&str, (&str, Vec<u32>)> = BTreeMap::new();
    for r in &records {
        let entry = letters
            .entry(r.letter.as_str())
            .or_insert((r.source.as_str(), Vec::new()));
        entry.1.push(r.decision);
    }
    check.letters = letters.len();
    for (source, mut numbers) in letters.into_values() {
        numbers.sort_unstable();
        if !is_whole(&numbers) {
            let got: Vec<String> = numbers.iter().map(u32::to_string).collect();
            check.problems.push(format!(
                "{source} has decisions {}, not 1 to {}",
                got.join(", "),
                numbers.len()
            ));
        }
    }
    for segment in &segments {
        for r in out_of_place(segment) {
            check.problems.push(format!(
                "{}#{} is not stored right after the decision before it",
                r.source, r.decision
            ));
        }
    }
}

/// Records of a segment (in document order) that do not directly follow
/// the same letter's previous decision.
fn out_of_place(segment: &[Record]) -> Vec<&Record> {
    let mut previous: Option<&Record> = None;
    let mut misplaced = Vec::new();
    for r in segment {
        let follows =
            previous.is_some_and(|p| p.letter == r.letter && p.decision + 1 == r.decision);
        if r.decision >= 2 && !follows {
            misplaced.push(r);
        }
        previous = Some(r);
    }
    misplaced
}

/// 1..=n, or a single 0. `numbers` is sorted.
fn is_whole(numbers: &[u32]) -> bool {
    numbers == [0] || numbers.iter().zip(1..).all(|(&n, want)| n == want)
}

#[cfg(test)]
mod tests {
    use super::{Record, is_whole, out_of_place};

    fn record(letter: &str, decision: u32) -> Record {
        Record {
            source: format!("{letter}.txt"),
            letter: letter.to_owned(),
            case_number: None,
            decision,
            item: String::new(),
            outcome: crate::decision::Outcome::Unknown,
            guidelines: Vec::new(),
            pages: Vec::new(),
            drugs: Vec::new(),
            drug_classes: Vec::new(),
            category: None,
            subcategory: None,
            reviewer: crate::letter::Reviewer::default(),
            rationale: String::new(),
            flags: Vec::new(),
            cover: crate::letter::Cover::default(),
        }
    }

    fn misplaced(segment: &[(&str, u32)]) -> Vec<(String, u32)> {
        let records: Vec<Record> = segment.iter().map(|&(l, d)| record(l, d)).collect();
        out_of_place(&records)
            .into_iter()
            .map(|r| (r.letter.clone(), r.decision))
            .collect()
    }

    #[test]
    fn decisions_lie_together_in_order() {
        assert!(
            misplaced(&[("a", 1), ("a", 2), ("b", 0), ("c", 1), ("c", 2), ("c", 3)]).is_empty()
        );
        assert_eq!(misplaced(&[("a", 2), ("a", 1)]), [("a".to_owned(), 2)]);
        assert_eq!(
            misplaced(&[("a", 1), ("b", 1), ("a", 2), ("b", 2)]),
            [("a".to_owned(), 2), ("b".to_owned(), 2)]
        );
        assert_eq!(misplaced(&[("a", 0), ("a", 1), ("a", 2)]), []);
        assert_eq!(misplaced(&[("a", 1), ("a", 3)]), [("a".to_owned(), 3)]);
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
