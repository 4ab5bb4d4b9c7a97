//! Did you mean: a query's words and an opened index → for each word that
//! finds nothing, or that names a drug the table does not know, the
//! nearest drug-table name or word of the index's items.

use std::cmp::Reverse;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::parse::{self, Node};
use crate::drug::DrugTable;
use crate::error::Result;
use crate::index::Opened;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub word: String,
    pub suggestion: String,
}

/// For each plain word of `query` (no field, or the fields item,
/// rationale, drug) that matches no decision in the index — no term in the
/// item, rationale or summary field after the field's analysis, and not a
/// name in the drug table — the closest drug-table name (brand, generic,
/// alias) or whole word of the index's items: drug names first, then the
/// nearer, then the more frequent. Also, for a word the table does not
/// know that matches only through a drug name's stem ("cyclobenzaprin"
/// finds the text "cyclobenzaprine" but not the decisions on Flexeril,
/// which the name would), that name.
///
/// Near is a Damerau-Levenshtein distance of 2 (1 for words of four or
/// five letters) with the same first letter: few misspell a word's first
/// letter, and many English words lie two edits from some name ("hours",
/// "four"). Words shorter than four letters, words with digits or marks,
/// prefixes and phrases get none.
pub fn suggestions(index: &Opened, query: &str) -> Result<Vec<Suggestion>> {
    let node = parse::parse(query)?;
    index.guard(|| {
        let mut words = Vec::new();
        plain_words(&node, &mut words);
        let searcher = index.reader.searcher();
        let table = DrugTable::bundled();
        let drugs = drug_names(index, table);
        let mut vocabulary: Option<Vec<(String, u64)>> = None;
        let mut found = Vec::new();
        for word in words {
            let lower = word.to_lowercase();
            if found.iter().any(|s: &Suggestion| s.word == word)
                || lower.chars().count() < 4
                || !lower.chars().all(char::is_alphabetic)
                || table.generics_of(&lower).is_some()
            {
                continue;
            }
            let f = &index.fields;
            let matched = [f.item, f.rationale, f.summary].into_iter().any(|field| {
                let term = Term::from_field_text(field, &stem(index, field, &lower));
                searcher.doc_freq(&term).unwrap_or(0) > 0
            });
            let suggestion = if matched {
                let word_stem = stem(index, f.item, &lower);
                drugs
                    .iter()
                    .filter(|name| name.stem == word_stem)
                    .min_by_key(|name| (distance(&lower, &name.text), name.alias, &name.text))
                    .map(|name| name.text.clone())
            } else {
                let limit = if lower.chars().count() <= 5 { 1 } else { 2 };
                let near = |candidate: &str| {
                    let d = distance(&lower, candidate);
                    let same_start = candidate.chars().next() == lower.chars().next();
                    (d <= limit && same_start).then_some(d)
                };
                let drug = drugs
                    .iter()
                    .filter_map(|name| near(&name.text).map(|d| (d, name.alias, &name.text)))
                    .min()
                    .map(|(_, _, text)| text.clone());
                match drug {
                    Some(name) => Some(name),
                    None => {
                        let words = match &mut vocabulary {
                            Some(v) => v,
                            None => vocabulary.insert(item_words(index, &searcher)?),
                        };
                        words
                            .iter()
                            .filter_map(|(w, n)| near(w).map(|d| (d, Reverse(*n), w)))
                            .min()
                            .map(|(_, _, w)| w.clone())
                    }
                }
            };
            if let Some(suggestion) = suggestion.filter(|s| *s != lower) {
                found.push(Suggestion { word, suggestion });
            }
        }
        Ok(found)
    })
}

fn distance(a: &str, b: &str) -> usize {
    strsim::damerau_levenshtein(a, b)
}

/// The words of `node` a suggestion may be for, in order.
fn plain_words(node: &Node, words: &mut Vec<String>) {
    match node {
        Node::Word {
            field,
            text,
            prefix: false,
            ..
        } if matches!(field.as_deref(), None | Some("item" | "rationale" | "drug")) => {
            words.push(text.clone())
        }
        Node::And(parts) | Node::Or(parts) => {
            for part in parts {
                plain_words(part, words);
            }
        }
        Node::Not(inner) => plain_words(inner, words),
        Node::Word { .. } | Node::Phrase { .. } => {}
    }
}

/// `word` as `field` analyses it: its stem for the stemmed fields.
fn stem(index: &Opened, field: Field, word: &str) -> String {
    let Ok(mut analyzer) = index.index.tokenizer_for_field(field) else {
        return word.to_owned();
    };
    let mut stream = analyzer.token_stream(word);
    let mut stem = String::new();
    while let Some(token) = stream.next() {
        stem.push_str(&token.text);
    }
    stem
}

/// A drug-table name or alias, as a suggestion would give it.
struct Name {
    /// Lower case.
    text: String,
    /// Aliases are often misspellings ("flexaril"), suggested only when
    /// no name is as near.
    alias: bool,
    /// As the item field analyses it.
    stem: String,
}

/// The table's names and aliases of one word.
fn drug_names(index: &Opened, table: &DrugTable) -> Vec<Name> {
    table
        .drugs()
        .iter()
        .flat_map(|d| {
            let aliases = d.aliases.iter().map(|a| (true, a));
            std::iter::once((false, &d.name)).chain(aliases)
        })
        .map(|(alias, n)| (alias, n.to_lowercase()))
        .filter(|(_, n)| n.chars().all(char::is_alphabetic))
        .map(|(alias, text)| Name {
            stem: stem(index, index.fields.item, &text),
            text,
            alias,
        })
        .collect()
}

/// The whole words of the index's items with the number of decisions
/// whose item holds their stem. The item field holds stems
/// ("cyclobenzaprin"), which no one types: the words come from the items
/// as written, which the item facet keeps, and their counts from the item
/// field's term dictionary.
fn item_words(index: &Opened, searcher: &Searcher) -> Result<Vec<(String, u64)>> {
    let bad = |e: &dyn std::fmt::Display| crate::index::read::bad(&index.path, e);
    let mut stems: FxHashMap<String, u64> = FxHashMap::default();
    let mut written: FxHashSet<String> = FxHashSet::default();
    for segment in searcher.segment_readers() {
        let items = segment
            .inverted_index(index.fields.item)
            .map_err(|e| bad(&e))?;
        let mut terms = items.terms().stream().map_err(|e| bad(&e))?;
        while terms.advance() {
            if let Ok(term) = std::str::from_utf8(terms.key()) {
                *stems.entry(term.to_owned()).or_default() += u64::from(terms.value().doc_freq);
            }
        }
        let facets = segment
            .inverted_index(index.fields.item_facet)
            .map_err(|e| bad(&e))?;
        let mut facets = facets.terms().stream().map_err(|e| bad(&e))?;
        while facets.advance() {
            let Ok(facet) = std::str::from_utf8(facets.key()) else {
                continue;
            };
            // "item\0norco 10∕325 #90": the item after its root.
            let item = facet.split_once('\0').map_or("", |(_, item)| item);
            for word in item.split(|c: char| !c.is_alphabetic()) {
                if word.chars().count() >= 3 && !written.contains(word) {
                    written.insert(word.to_owned());
                }
            }
        }
    }
    let mut words: Vec<(String, u64)> = written
        .into_iter()
        .filter_map(|w| {
            let n = *stems.get(&stem(index, index.fields.item, &w))?;
            Some((w, n))
        })
        .collect();
    words.sort_unstable();
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_find_nothing_get_the_nearest_name() {
        let index = crate::ingest::open_sample().unwrap();
        let s = |word: &str, suggestion: &str| Suggestion {
            word: word.into(),
            suggestion: suggestion.into(),
        };
        let cases: &[(&str, &[Suggestion])] = &[
            ("tramadl", &[s("tramadl", "tramadol")]),
            // Found through the stem of "cyclobenzaprine", in the text
            // only, not as the drug: the name.
            ("cyclobenzaprin", &[s("cyclobenzaprin", "cyclobenzaprine")]),
            ("tramadols", &[s("tramadols", "tramadol")]),
            ("cyclobenzaprine", &[]),
            ("Norco", &[]),
            ("zzqqxx", &[]),
            // A name before its misspelt aliases ("flexaril").
            ("drug:flexril", &[s("flexril", "flexeril")]),
            (
                "item:tramadl OR -lidodrem",
                &[s("tramadl", "tramadol"), s("lidodrem", "lidoderm")],
            ),
            ("acupunture", &[s("acupunture", "acupuncture")]),
            // Words two edits from a name, in no letter: no guess.
            ("hours", &[]),
            ("items", &[]),
            ("some", &[]),
            // Prefixes, phrases, other fields, numbers: none.
            ("tramadl*", &[]),
            ("\"tramadl\"", &[]),
            ("guideline:tramadl", &[]),
            ("10/325", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(suggestions(&index, query).unwrap(), *expected, "{query}");
        }
    }
}
