//! References to one decision, "SOURCE#N" or "CASE_NUMBER#N", or to a whole
//! letter, "SOURCE" or "CASE_NUMBER", where SOURCE is the path as
//! ingested, a trailing part of it, the start of its file name ("003#6",
//! "003"), or the letter's id (the hash of its bytes, "a45f54df42937b01"). Looking one up gives its record, or the letter's records, or an
//! error that names the reference and, when it is ambiguous, the
//! candidates.

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::search::index_error;
use crate::index::{Opened, record};
use crate::letter::{Cover, Reviewer};
use crate::record::{Record, file_name};

/// A parsed reference: which letter, and which of its decisions (none for
/// the whole letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub letter: String,
    pub decision: Option<u32>,
}

/// A whole letter: what its decisions share, and its decisions in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRecords {
    pub source: String,
    pub case_number: Option<String>,
    pub cover: Cover,
    pub reviewer: Reviewer,
    pub decisions: Vec<Record>,
}

/// Why a reference names no decision.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("`{0}` is not a decision reference: write SOURCE#N or CASE_NUMBER#N, e.g. 003#6")]
    Malformed(String),

    #[error("`{0}`: no letter in the index has this path, case number or file name")]
    NotFound(String),

    #[error("`{reference}` names {count} letters: {}; give more of the path", list(candidates, *count))]
    Ambiguous {
        reference: String,
        /// How many letters it names.
        count: usize,
        /// Some of them, sorted.
        candidates: Vec<String>,
    },

    #[error(
        "`{reference}`: {source_path} has no decision {decision} (it has {})",
        numbers(have)
    )]
    NoSuchDecision {
        reference: String,
        source_path: String,
        decision: u32,
        have: Vec<u32>,
    },

    #[error(transparent)]
    Index(#[from] crate::Error),
}

/// Candidates named in an ambiguity error.
const LISTED: usize = 10;

fn list(candidates: &[String], count: usize) -> String {
    let shown: Vec<&str> = candidates.iter().take(LISTED).map(String::as_str).collect();
    match count.saturating_sub(shown.len()) {
        0 => shown.join(", "),
        more => format!("{}, and {more} more", shown.join(", ")),
    }
}

fn numbers(have: &[u32]) -> String {
    let all: Vec<String> = have.iter().map(u32::to_string).collect();
    match all.len() {
        0 => "none".to_owned(),
        1 => format!("decision {}", all[0]),
        _ => format!("decisions {}", all.join(", ")),
    }
}

impl Reference {
    /// Splits "SOURCE#N" at its last `#`; a name without one, "SOURCE",
    /// is the whole letter.
    pub fn parse(text: &str) -> Result<Reference, ReferenceError> {
        let malformed = || ReferenceError::Malformed(text.to_owned());
        let (letter, decision) = match text.trim().rsplit_once('#') {
            Some((letter, number)) => (letter, Some(number.parse().map_err(|_| malformed())?)),
            None => (text.trim(), None),
        };
        if letter.is_empty() {
            return Err(malformed());
        }
        Ok(Reference {
            letter: letter.to_owned(),
            decision,
        })
    }
}

/// The record a reference names; a reference without `#N` names no
/// decision and is refused as malformed.
pub fn lookup(index: &Opened, text: &str) -> Result<Record, ReferenceError> {
    index.guard(|| Ok(lookup_unguarded(index, text)))?
}

/// The whole letter a reference without `#N` names ("003", a path, a
/// case number), its decisions in order; one with `#N` is refused as
/// malformed.
pub fn lookup_letter(index: &Opened, text: &str) -> Result<LetterRecords, ReferenceError> {
    index.guard(|| Ok(letter_unguarded(index, text)))?
}

fn letter_unguarded(index: &Opened, text: &str) -> Result<LetterRecords, ReferenceError> {
    let reference = Reference::parse(text)?;
    if reference.decision.is_some() {
        return Err(ReferenceError::Malformed(text.to_owned()));
    }
    let source = letter_source(index, text, &reference.letter)?;
    let searcher = index.reader.searcher();
    let fields = &index.fields;
    // One decision by its path, then all of them by the letter's id.
    let in_source = term(Term::from_field_text(fields.source, &source));
    let address =
        first(index, &*in_source)?.ok_or_else(|| ReferenceError::NotFound(text.to_owned()))?;
    let id = record(&searcher, index, address)?.letter;
    let mut decisions = matching(index, &*term(Term::from_field_text(fields.letter, &id)))?;
    decisions.sort_by_key(|r| r.decision);
    let Some(first) = decisions.first() else {
        return Err(ReferenceError::NotFound(text.to_owned()));
    };
    Ok(LetterRecords {
        source: first.source.clone(),
        case_number: first.case_number.clone(),
        cover: first.cover.clone(),
        reviewer: first.reviewer.clone(),
        decisions,
    })
}

fn lookup_unguarded(index: &Opened, text: &str) -> Result<Record, ReferenceError> {
    let reference = Reference::parse(text)?;
    let Some(number) = reference.decision else {
        return Err(ReferenceError::Malformed(text.to_owned()));
    };
    let source = letter_source(index, text, &reference.letter)?;
    let searcher = index.reader.searcher();
    let fields = &index.fields;
    let in_letter = term(Term::from_field_text(fields.source, &source));
    let decision = term(Term::from_field_u64(fields.decision, u64::from(number)));
    let both = BooleanQuery::new(vec![(Occur::Must, in_letter), (Occur::Must, decision)]);
    if let Some(address) = first(index, &both)? {
        return Ok(record(&searcher, index, address)?);
    }
    let mut have: Vec<u32> = decisions_of(index, &source)?
        .iter()
        .map(|r| r.decision)
        .collect();
    have.sort_unstable();
    Err(ReferenceError::NoSuchDecision {
        reference: text.to_owned(),
        source_path: source,
        decision: number,
        have,
    })
}

/// The one ingested path that `name` stands for: the path itself, a
/// letter's id, a case number, a trailing part of the path, or the start
/// of a file name, in that order of preference. Each is a lookup of the index's terms (the
/// source, case number and file name fields), never a read of every path.
fn letter_source(index: &Opened, text: &str, name: &str) -> Result<String, ReferenceError> {
    let f = &index.fields;
    if count(index, &*term(Term::from_field_text(f.source, name)))? > 0 {
        return Ok(name.to_owned());
    }
    if let Some(source) = by_letter_id(index, name)? {
        return Ok(source);
    }
    let by_case = by_case_number(index, name)?;
    if !by_case.is_empty() {
        return one_of(text, by_case.len(), by_case);
    }
    // "letters/003_x.txt": the letters with that file name whose path ends so.
    let file = term(Term::from_field_text(f.file, file_name(name)));
    let suffix = format!("/{name}");
    let ends: BTreeSet<String> = matching(index, &*letters(index, file))?
        .into_iter()
        .map(|r| r.source)
        .filter(|s| s.ends_with(&suffix))
        .collect();
    if !ends.is_empty() {
        return one_of(text, ends.len(), ends.into_iter().collect());
    }
    if name.contains(['/', '\\']) {
        return Err(ReferenceError::NotFound(text.to_owned()));
    }
    // "003": the letters whose file name starts so.
    let pattern = format!("{}.*", regex::escape(name));
    let starting = RegexQuery::from_pattern(&pattern, f.file)
        .map_err(|e| ReferenceError::Index(index_error(index, e)))?;
    let starting = letters(index, Box::new(starting));
    let n = count(index, &*starting)?;
    let listed = first_sources(index, &*starting)?;
    one_of(text, n, listed)
}

/// The one letter of `count`, or why not.
fn one_of(text: &str, count: usize, mut listed: Vec<String>) -> Result<String, ReferenceError> {
    match count {
        0 => Err(ReferenceError::NotFound(text.to_owned())),
        1 if listed.len() == 1 => Ok(listed.remove(0)),
        _ => Err(ReferenceError::Ambiguous {
            reference: text.to_owned(),
            count,
            candidates: listed,
        }),
    }
}

/// One document per letter among those `query` matches: its decision
/// numbered 1, or 0 for a letter with none readable.
fn letters(index: &Opened, query: Box<dyn Query>) -> Box<dyn Query> {
    let numbered = |n: u64| term(Term::from_field_u64(index.fields.decision, n));
    let first = BooleanQuery::new(vec![
        (Occur::Should, numbered(0)),
        (Occur::Should, numbered(1)),
    ]);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(first)),
    ]))
}

fn count(index: &Opened, query: &dyn Query) -> Result<usize, ReferenceError> {
    let searcher = index.reader.searcher();
    Ok(searcher
        .search(query, &tantivy::collector::Count)
        .map_err(|e| index_error(index, e))?)
}

/// The sources of the first few documents `query` matches, sorted.
fn first_sources(index: &Opened, query: &dyn Query) -> Result<Vec<String>, ReferenceError> {
    let searcher = index.reader.searcher();
    let top = TopDocs::with_limit(LISTED).order_by_score();
    let found = searcher
        .search(query, &top)
        .map_err(|e| index_error(index, e))?;
    let mut sources = found
        .into_iter()
        .map(|(_, address)| Ok(record(&searcher, index, address)?.source))
        .collect::<Result<Vec<String>, ReferenceError>>()?;
    sources.sort();
    Ok(sources)
}

/// The path of the letter whose id is `name`: a letter is indexed once,
/// whatever the paths it was found under.
fn by_letter_id(index: &Opened, name: &str) -> Result<Option<String>, ReferenceError> {
    if name.len() != 16 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let id = term(Term::from_field_text(
        index.fields.letter,
        &name.to_ascii_lowercase(),
    ));
    let Some(address) = first(index, &*id)? else {
        return Ok(None);
    };
    let searcher = index.reader.searcher();
    Ok(Some(record(&searcher, index, address)?.source))
}

/// Paths of the letters with this case number.
fn by_case_number(index: &Opened, name: &str) -> Result<Vec<String>, ReferenceError> {
    let upper = name.to_ascii_uppercase();
    if !crate::decode::is_case_number(&upper) {
        return Ok(Vec::new());
    }
    let case = Term::from_field_text(index.fields.case_number, &upper);
    let records = matching(index, &*term(case))?;
    let paths: BTreeSet<String> = records.into_iter().map(|r| r.source).collect();
    Ok(paths.into_iter().collect())
}

fn decisions_of(index: &Opened, source: &str) -> Result<Vec<Record>, ReferenceError> {
    matching(
        index,
        &*term(Term::from_field_text(index.fields.source, source)),
    )
}

/// Records of every decision matching `query`: a letter's few, or a case's.
fn matching(index: &Opened, query: &dyn Query) -> Result<Vec<Record>, ReferenceError> {
    let searcher = index.reader.searcher();
    let err = |e| index_error(index, e);
    let total = searcher
        .search(query, &tantivy::collector::Count)
        .map_err(err)?;
    let top = TopDocs::with_limit(total.max(1)).order_by_score();
    let found = searcher.search(query, &top).map_err(err)?;
    Ok(found
        .into_iter()
        .map(|(_, address)| record(&searcher, index, address))
        .collect::<crate::Result<_>>()?)
}

fn first(index: &Opened, query: &dyn Query) -> Result<Option<DocAddress>, ReferenceError> {
    let searcher = index.reader.searcher();
    let top = TopDocs::with_limit(1).order_by_score();
    let found = searcher
        .search(query, &top)
        .map_err(|e| index_error(index, e))?;
    Ok(found.first().map(|(_, address)| *address))
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_last_hash() {
        assert_eq!(
            Reference::parse("data/letters/003_x.txt#6").unwrap(),
            Reference {
                letter: "data/letters/003_x.txt".into(),
                decision: Some(6)
            }
        );
        assert_eq!(Reference::parse("a#b#2").unwrap().letter, "a#b");
        assert_eq!(
            Reference::parse(" CM17-0019120 ").unwrap(),
            Reference {
                letter: "CM17-0019120".into(),
                decision: None
            }
        );
    }

    #[test]
    fn refuses_what_is_not_a_reference() {
        for bad in ["", " ", "003#", "#2", "003#two", "003#-1"] {
            assert!(
                matches!(Reference::parse(bad), Err(ReferenceError::Malformed(_))),
                "{bad}"
            );
        }
    }

    fn sample() -> Opened {
        crate::ingest::open_sample().expect("sample index")
    }

    #[test]
    fn finds_by_path_suffix_and_file_name_start() {
        let index = sample();
        for name in [
            "data/letters/003_7836691e6d3f4cd1.txt#6",
            "003_7836691e6d3f4cd1.txt#6",
            "letters/003_7836691e6d3f4cd1.txt#6",
            "003#6",
        ] {
            let r = lookup(&index, name).unwrap();
            assert_eq!(r.reference(), "data/letters/003_7836691e6d3f4cd1.txt#6");
            assert_eq!(r.item, "Flexeril");
        }
    }

    #[test]
    fn ambiguity_lists_the_candidates() {
        let err = lookup(&sample(), "00#1").unwrap_err();
        let ReferenceError::Ambiguous { candidates, .. } = &err else {
            panic!("{err}");
        };
        assert_eq!(candidates.len(), 5);
        assert!(err.to_string().starts_with(
            "`00#1` names 5 letters: data/letters/000_e9bf73e65e666cd1.txt, data/letters/001_"
        ));
    }

    #[test]
    fn a_missing_decision_lists_those_there_are() {
        let err = lookup(&sample(), "002#3").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`002#3`: data/letters/002_fdf6e10f2920473d.txt has no decision 3 (it has decisions 1, 2)"
        );
        let err = lookup(&sample(), "nosuch.txt#1").unwrap_err();
        assert!(matches!(err, ReferenceError::NotFound(_)), "{err}");
    }

    #[test]
    fn a_decision_needs_its_number() {
        let err = lookup(&sample(), "003").unwrap_err();
        assert!(matches!(err, ReferenceError::Malformed(_)), "{err}");
    }

    #[test]
    fn a_letter_is_every_decision_in_order() {
        let index = sample();
        let letter = lookup_letter(&index, "003").unwrap();
        assert_eq!(letter.source, "data/letters/003_7836691e6d3f4cd1.txt");
        let items: Vec<&str> = letter.decisions.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(
            items,
            [
                "Acupuncture two (2) times a week for four (4) weeks",
                "Terocin",
                "Dendracin",
                "Cymbalta",
                "Omeprazole",
                "Flexeril"
            ]
        );
        let numbers: Vec<u32> = letter.decisions.iter().map(|r| r.decision).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
        assert_eq!(
            lookup_letter(&index, "data/letters/002_fdf6e10f2920473d.txt")
                .unwrap()
                .decisions
                .len(),
            2
        );
    }

    #[test]
    fn a_letter_reference_keeps_the_errors_of_a_decision_s() {
        let index = sample();
        let err = lookup_letter(&index, "nosuch").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`nosuch`: no letter in the index has this path, case number or file name"
        );
        let err = lookup_letter(&index, "00").unwrap_err();
        assert!(matches!(err, ReferenceError::Ambiguous { .. }), "{err}");
        let err = lookup_letter(&index, "003#6").unwrap_err();
        assert!(matches!(err, ReferenceError::Malformed(_)), "{err}");
    }
}
