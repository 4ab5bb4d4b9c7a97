//! The citator: which guideline pages and sections reviewers cite, how
//! the decisions citing each came out, and, for one page or section, the
//! decisions themselves with the passage that cites it.
//!
//! A page belongs to the reviewer's citation that lists it; a page found
//! only in the rationale's prose belongs to the one guideline document the
//! reviewer cites, and to no document ("(not stated)") when there are
//! several. The pairing of page and document is in the stored records
//! only, so the citation index reads the records of the matches.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query};

use super::search::{Builder, Filters, Sort, by_date, filtered, index_error, record};
use super::stats::{Counts, natural, round4};
use crate::citation::{By, Citation, Source, prose_pages};
use crate::error::Result;
use crate::index::Opened;
use crate::record::Record;

/// A page or section, as cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cited {
    Page(u32),
    Section(String),
}

#[derive(Debug, Clone)]
pub struct Request {
    /// Every decision when `None`.
    pub query: Option<String>,
    pub filters: Filters,
    /// One page or section: its decisions. None: the citation index.
    pub cited: Option<Cited>,
    /// Words of the guideline document ("chronic pain", "ODG").
    pub document: Option<String>,
    pub limit: usize,
    /// The citing decisions' order: `Relevance` keeps letter then
    /// decision order.
    pub sort: Sort,
}

/// Label of a page whose document the reviewer does not state.
pub const NOT_STATED: &str = "(not stated)";

/// One row of the citation index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// "page" or "section".
    pub kind: &'static str,
    /// The page number or the section's name.
    pub cited: String,
    /// "MTUS: Chronic Pain Medical Treatment Guidelines".
    pub document: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Rounded to 4 places; null when no outcome is known.
    pub overturn_rate: Option<f64>,
}

/// Every page and section cited by the matching decisions, most cited first.
#[derive(Debug, Clone, Serialize)]
pub struct CitationIndex {
    pub query: Option<String>,
    pub document: Option<String>,
    /// The matching decisions.
    pub total: u64,
    /// How many rows there are; `rows` holds the first `limit`.
    pub row_count: usize,
    pub rows: Vec<Row>,
}

/// A decision citing the page or section, with the passage that cites it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citing {
    pub reference: String,
    pub source: String,
    pub case_number: Option<String>,
    pub decision: u32,
    pub outcome: crate::decision::Outcome,
    pub item: String,
    pub dated: Option<String>,
    /// The guideline document the page or section is cited from.
    pub document: String,
    /// The rationale's sentence naming it, else the guideline basis.
    pub passage: String,
}

/// The decisions citing one page or section.
#[derive(Debug, Clone, Serialize)]
pub struct Citings {
    /// "page 111" or "section Topical Analgesics".
    pub cited: String,
    pub query: Option<String>,
    pub document: Option<String>,
    /// Every citing decision; `decisions` holds the first `limit`.
    pub total: Counts,
    pub decisions: Vec<Citing>,
}

/// The citation index of the decisions matching the request.
pub fn index(index: &Opened, request: &Request) -> Result<CitationIndex> {
    index.guard(|| index_unguarded(index, request))
}

fn index_unguarded(index: &Opened, request: &Request) -> Result<CitationIndex> {
    let records = matching(index, request, &request.filters)?;
    let mut rows: BTreeMap<(&'static str, String, String), (String, Counts)> = BTreeMap::new();
    for r in &records {
        let mut seen = BTreeSet::new();
        for (kind, cited, document) in citations(&r.pages, &r.guidelines) {
            if !document_matches(&document, request.document.as_deref()) {
                continue;
            }
            let key = (kind, cited.to_lowercase(), document);
            if seen.insert(key.clone()) {
                let row = rows
                    .entry(key)
                    .or_insert_with(|| (cited.clone(), Counts::default()));
                // The same section may be written in several cases; show one.
                if cited < row.0 {
                    row.0 = cited;
                }
                row.1.add(r.outcome);
            }
        }
    }
    let mut rows: Vec<Row> = rows
        .into_iter()
        .map(|((kind, _, document), (cited, counts))| Row {
            kind,
            cited,
            document,
            counts,
            overturn_rate: counts.overturn_rate().map(round4),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.counts
            .decisions
            .cmp(&a.counts.decisions)
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| natural(&a.cited).cmp(&natural(&b.cited)))
            .then_with(|| a.document.cmp(&b.document))
    });
    let row_count = rows.len();
    rows.truncate(request.limit);
    Ok(CitationIndex {
        query: request.query.clone(),
        document: request.document.clone(),
        total: records.len() as u64,
        row_count,
        rows,
    })
}

/// The decisions citing `cited`, in letter then decision order.
pub fn citing(index: &Opened, request: &Request, cited: &Cited) -> Result<Citings> {
    index.guard(|| citing_unguarded(index, request, cited))
}

fn citing_unguarded(index: &Opened, request: &Request, cited: &Cited) -> Result<Citings> {
    let mut filters = request.filters.clone();
    if let Cited::Page(p) = cited {
        filters.page = Some(*p);
    }
    let mut records = matching(index, request, &filters)?;
    records.sort_by(|a, b| a.source.cmp(&b.source).then(a.decision.cmp(&b.decision)));
    by_date(&mut records, request.sort, |r| r.cover.dated.as_deref());
    let mut total = Counts::default();
    let mut decisions = Vec::new();
    for r in records {
        let Some((document, passage)) = cites(&r, cited, request.document.as_deref()) else {
            continue;
        };
        total.add(r.outcome);
        if decisions.len() < request.limit {
            decisions.push(Citing {
                reference: r.reference(),
                source: r.source,
                case_number: r.case_number,
                decision: r.decision,
                outcome: r.outcome,
                item: r.item,
                dated: r.cover.dated,
                document,
                passage,
            });
        }
    }
    let cited = match cited {
        Cited::Page(p) => format!("page {p}"),
        Cited::Section(s) => format!("section {s}"),
    };
    Ok(Citings {
        cited,
        query: request.query.clone(),
        document: request.document.clone(),
        total,
        decisions,
    })
}

/// Stored records of the decisions matching the query and filters,
/// narrowed in the index by the section and document words; read on every
/// core.
fn matching(index: &Opened, request: &Request, filters: &Filters) -> Result<Vec<Record>> {
    let (query, _) = filtered(index, request.query.as_deref(), filters)?;
    let builder = Builder::new(index);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let section = match &request.cited {
        Some(Cited::Section(s)) => Some(s),
        _ => None,
    };
    for words in [section, request.document.as_ref()].into_iter().flatten() {
        clauses.push((
            Occur::Must,
            builder.in_text(index.fields.guideline, words, false),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let searcher = index.reader.searcher();
    let addresses = searcher
        .search(&query, &DocSetCollector)
        .map_err(|e| index_error(index, e))?;
    let mut addresses: Vec<_> = addresses.into_iter().collect();
    addresses.sort_unstable();
    addresses
        .par_iter()
        .map(|a| record(&searcher, index, *a))
        .collect()
}

/// A citation's document as the index's guideline facet names it.
fn label(c: &Citation) -> String {
    format!(
        "{}: {}",
        c.source.as_str(),
        c.document.as_deref().unwrap_or("(none)")
    )
}

fn reviewer(guidelines: &[Citation]) -> impl Iterator<Item = &Citation> {
    guidelines.iter().filter(|c| c.by == By::Reviewer)
}

/// The documents a cited page belongs to.
fn page_documents(guidelines: &[Citation], page: u32) -> Vec<String> {
    let listing: BTreeSet<String> = reviewer(guidelines)
        .filter(|c| c.pages.contains(&page))
        .map(label)
        .collect();
    if !listing.is_empty() {
        return listing.into_iter().collect();
    }
    let documents: BTreeSet<String> = reviewer(guidelines)
        .filter(|c| matches!(c.source, Source::Mtus | Source::Odg | Source::Acoem))
        .map(label)
        .collect();
    match documents.len() {
        1 => documents.into_iter().collect(),
        _ => vec![NOT_STATED.to_owned()],
    }
}

/// The sections of a citation: "Topical Salicylate, Topical Analgesics"
/// names two.
fn sections(c: &Citation) -> impl Iterator<Item = &str> {
    c.section
        .as_deref()
        .unwrap_or("")
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Every (kind, cited, document) the reviewer cites in a decision.
fn citations(pages: &[u32], guidelines: &[Citation]) -> Vec<(&'static str, String, String)> {
    let mut all = Vec::new();
    for &page in pages {
        for document in page_documents(guidelines, page) {
            all.push(("page", page.to_string(), document));
        }
    }
    for c in reviewer(guidelines) {
        for section in sections(c) {
            all.push(("section", section.to_owned(), label(c)));
        }
    }
    all
}

/// Lower-case words, single-spaced: how names are compared.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains_words(text: &str, wanted: &str) -> bool {
    format!(" {} ", words(text)).contains(&format!(" {} ", words(wanted)))
}

fn document_matches(document: &str, wanted: Option<&str>) -> bool {
    wanted.is_none_or(|w| contains_words(document, w))
}

/// Whether the decision's reviewer cites `cited` (from the wanted
/// document): its document and the passage that cites it.
fn cites(r: &Record, cited: &Cited, document: Option<&str>) -> Option<(String, String)> {
    match cited {
        Cited::Page(page) => {
            let from = page_documents(&r.guidelines, *page)
                .into_iter()
                .find(|d| document_matches(d, document))?;
            let passage = sentences(&r.rationale)
                .find(|s| prose_pages(s).contains(page))
                .map(str::to_owned)
                .or_else(|| basis(r, |c| c.pages.contains(page)))
                .unwrap_or_default();
            Some((from, passage))
        }
        Cited::Section(name) => {
            let c = reviewer(&r.guidelines).find(|c| {
                document_matches(&label(c), document)
                    && sections(c).any(|s| contains_words(s, name))
            })?;
            let passage = sentences(&r.rationale)
                .find(|s| contains_words(s, name))
                .map_or_else(|| c.text.clone(), str::to_owned);
            Some((label(c), passage))
        }
    }
}

/// The reviewer's guideline basis as written, for the first citation that
/// `pick`s; else the first.
fn basis(r: &Record, pick: impl Fn(&Citation) -> bool) -> Option<String> {
    reviewer(&r.guidelines)
        .find(|c| pick(c))
        .or_else(|| reviewer(&r.guidelines).next())
        .map(|c| c.text.clone())
}

/// The sentences of a text, as `sentence::spans` divides it.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    crate::sentence::spans(text)
        .into_iter()
        .map(move |(start, end)| &text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_full_stops_not_abbreviations() {
        let text = "As noted on p. 41 of the MTUS, it is not recommended. Flexeril 7.5 mg is \
                    requested. See Dr. Smith! Per page 111 \"not recommended.\" Pages 111-113 apply.";
        let all: Vec<&str> = sentences(text).collect();
        assert_eq!(
            all,
            [
                "As noted on p. 41 of the MTUS, it is not recommended.",
                "Flexeril 7.5 mg is requested.",
                "See Dr. Smith!",
                "Per page 111 \"not recommended.\"",
                "Pages 111-113 apply."
            ]
        );
    }

    #[test]
    fn words_compare_whole_words() {
        assert!(contains_words(
            "MTUS: Chronic Pain Medical Treatment Guidelines",
            "chronic pain"
        ));
        assert!(contains_words("ODG: Official Disability Guidelines", "odg"));
        assert!(!contains_words("MTUS: Chronic Pain", "chron"));
    }
}
