//! The citator: which guideline pages and sections reviewers cite, how
//! the decisions citing each came out, and, for one page or section, the
//! decisions themselves with the passage that cites it.
//!
//! A page belongs to the reviewer's citation that lists it; a page found
//! only in the rationale's prose belongs to the one guideline document the
//! reviewer cites, and to no document ("(not stated)") when there are
//! several (`citation::cited`). Ingest indexes each pairing as a facet of
//! the `cited` field, so the citation index is a tally of those facets and
//! the outcome column over the matches, as `stats` counts, and a page's or
//! section's decisions are counted the same way and ordered by the source
//! and decision columns: stored records are read only for the decisions
//! listed.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::search::{Builder, Filters, Sort, filtered, index_error};
use super::stats::{Counts, OutcomeColumn, natural, round4};
use crate::citation::{
    Citation, by_reviewer, document_label, page_documents, prose_pages, sections,
};
use crate::decision::Outcome;
use crate::error::Result;
use crate::index::{Opened, record};
use crate::record::Record;

pub use crate::citation::NOT_STATED;

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
    let tallied = tally(index, request, &request.filters, Want::Rows)?;
    let mut rows: Vec<Row> = tallied
        .rows
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
        total: tallied.total.decisions,
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
    let mut hits = tally(index, request, &filters, Want::Cited(cited))?.hits;
    hits.sort_by(|a, b| a.source.cmp(&b.source).then(a.decision.cmp(&b.decision)));
    by_day(&mut hits, request.sort);
    let mut total = Counts::default();
    for hit in &hits {
        total.add(hit.outcome);
    }
    hits.truncate(request.limit);
    let searcher = index.reader.searcher();
    let records: Vec<Record> = hits
        .par_iter()
        .map(|hit| record(&searcher, index, hit.address))
        .collect::<Result<_>>()?;
    let decisions = records
        .into_iter()
        .filter_map(|r| {
            let (document, passage) = cites(&r, cited, request.document.as_deref())?;
            Some(Citing {
                reference: r.reference(),
                source: r.source,
                case_number: r.case_number,
                decision: r.decision,
                outcome: r.outcome,
                item: r.item,
                dated: r.cover.dated,
                document,
                passage,
            })
        })
        .collect();
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

/// Newest or oldest first by the date column, as `search::by_date` orders
/// by the record's date (an ISO date, which orders as the day does);
/// stable, so ties keep letter then decision order.
fn by_day(hits: &mut [Hit], sort: Sort) {
    match sort {
        Sort::Relevance => {}
        Sort::Newest => hits.sort_by_key(|h| std::cmp::Reverse(h.dated)),
        Sort::Oldest => hits.sort_by(|a, b| match (a.dated, b.dated) {
            (Some(x), Some(y)) => x.cmp(&y),
            (a, b) => a.is_none().cmp(&b.is_none()),
        }),
    }
}

/// What the pass over the matches counts: the citation index's rows, or
/// the decisions citing one page or section.
#[derive(Clone, Copy)]
enum Want<'a> {
    Rows,
    Cited(&'a Cited),
}

/// Counts the decisions matching the query and filters, narrowed in the
/// index by the section and document words, from the index's columns.
fn tally(index: &Opened, request: &Request, filters: &Filters, want: Want) -> Result<Citations> {
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
    let schema = searcher.schema();
    let name = |field| schema.get_field_name(field).to_owned();
    let fields = &index.fields;
    let collector = Citator {
        want,
        document: request.document.as_deref(),
        cited_field: name(fields.cited),
        outcome_field: name(fields.outcome),
        source_field: name(fields.source),
        decision_field: name(fields.decision),
        dated_field: name(fields.dated),
    };
    searcher
        .search(&query, &collector)
        .map_err(|e| index_error(index, e))
}

/// A row's key: kind, the cited page or section in lower case (a section
/// written in several cases is one row), document.
type RowKey = (&'static str, String, String);

/// What the pass counted.
#[derive(Debug, Default)]
struct Citations {
    /// Every matching decision.
    total: Counts,
    /// Per row: the cited page or section as shown (of the cases it is
    /// written in, the first in byte order), and its decisions.
    rows: BTreeMap<RowKey, (String, Counts)>,
    /// The decisions citing the wanted page or section.
    hits: Vec<Hit>,
}

/// A decision citing the wanted page or section, with what orders it.
#[derive(Debug)]
struct Hit {
    source: String,
    decision: u64,
    dated: Option<DateTime>,
    address: DocAddress,
    outcome: Outcome,
}

/// Counts the `cited` facets of the matches with their outcomes.
struct Citator<'a> {
    want: Want<'a>,
    /// Words of the wanted document.
    document: Option<&'a str>,
    cited_field: String,
    outcome_field: String,
    source_field: String,
    decision_field: String,
    dated_field: String,
}

struct SegmentCitator {
    segment: SegmentOrdinal,
    facets: FacetReader,
    outcomes: OutcomeColumn,
    /// `cited` facet ordinal → the row it counts in (`Want::Rows`), or
    /// whether it is the page or section wanted (`Want::Cited`, row 0).
    row_of: Vec<Option<u32>>,
    /// The rows' keys and shown names, by row number.
    keys: Vec<(RowKey, String)>,
    counts: Vec<Counts>,
    /// The rows of the document being counted: a decision counts once in
    /// each.
    seen: Vec<u32>,
    total: Counts,
    /// `Want::Cited`: the matches citing it, and the columns ordering them.
    cited: bool,
    hits: Vec<(DocId, Outcome)>,
    sources: Option<StrColumn>,
    decisions: Option<Column<u64>>,
    dated: Option<Column<DateTime>>,
}

impl Collector for Citator<'_> {
    type Fruit = Citations;
    type Child = SegmentCitator;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCitator> {
        let facets = reader.facet_reader(&self.cited_field)?;
        let mut row_of = Vec::with_capacity(facets.num_facets());
        let mut rows: BTreeMap<RowKey, u32> = BTreeMap::new();
        let mut keys: Vec<(RowKey, String)> = Vec::new();
        let mut terms = facets.facet_dict().stream()?;
        while terms.advance() {
            let row = std::str::from_utf8(terms.key())
                .ok()
                .and_then(|facet| self.row(facet))
                .map(|(key, cited)| match &self.want {
                    Want::Cited(_) => 0,
                    Want::Rows => {
                        let next = u32::try_from(keys.len()).unwrap_or(u32::MAX);
                        let row = *rows.entry(key.clone()).or_insert(next);
                        if row == next {
                            keys.push((key, cited));
                        } else if cited < keys[row as usize].1 {
                            keys[row as usize].1 = cited;
                        }
                        row
                    }
                });
            row_of.push(row);
        }
        let columns = reader.fast_fields();
        let cited = matches!(self.want, Want::Cited(_));
        Ok(SegmentCitator {
            segment,
            outcomes: OutcomeColumn::open(reader, &self.outcome_field)?,
            counts: vec![Counts::default(); keys.len()],
            facets,
            row_of,
            keys,
            seen: Vec::new(),
            total: Counts::default(),
            cited,
            hits: Vec::new(),
            sources: match cited {
                true => columns.str(&self.source_field)?,
                false => None,
            },
            decisions: match cited {
                true => columns.column_opt(&self.decision_field)?,
                false => None,
            },
            dated: match cited {
                true => columns.column_opt(&self.dated_field)?,
                false => None,
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Citations>) -> tantivy::Result<Citations> {
        let mut merged = Citations::default();
        for fruit in fruits {
            merged.total.merge(fruit.total);
            for (key, (cited, counts)) in fruit.rows {
                let row = merged
                    .rows
                    .entry(key)
                    .or_insert_with(|| (cited.clone(), Counts::default()));
                if cited < row.0 {
                    row.0 = cited;
                }
                row.1.merge(counts);
            }
            merged.hits.extend(fruit.hits);
        }
        Ok(merged)
    }
}

impl Citator<'_> {
    /// The row a `cited` facet ("page\0DOCUMENT\0111", encoded) counts in,
    /// and the page or section as written; None when it is not wanted.
    fn row(&self, facet: &str) -> Option<(RowKey, String)> {
        let mut steps = facet.splitn(3, '\0');
        let kind = match steps.next()? {
            "page" => "page",
            "section" => "section",
            _ => return None,
        };
        let (document, cited) = (steps.next()?, steps.next()?);
        if !document_matches(document, self.document) {
            return None;
        }
        let wanted = match self.want {
            Want::Rows => true,
            Want::Cited(Cited::Page(page)) => kind == "page" && cited == page.to_string(),
            Want::Cited(Cited::Section(name)) => kind == "section" && contains_words(cited, name),
        };
        wanted.then(|| {
            let key = (kind, cited.to_lowercase(), document.to_owned());
            (key, cited.to_owned())
        })
    }
}

impl SegmentCollector for SegmentCitator {
    type Fruit = Citations;

    fn collect(&mut self, doc: DocId, _: Score) {
        let outcome = self.outcomes.get(doc);
        self.total.add(outcome);
        self.seen.clear();
        for ord in self.facets.facet_ords(doc) {
            let row = usize::try_from(ord).ok().and_then(|o| self.row_of.get(o));
            if let Some(&Some(row)) = row {
                self.seen.push(row);
            }
        }
        if self.cited {
            if !self.seen.is_empty() {
                self.hits.push((doc, outcome));
            }
            return;
        }
        self.seen.sort_unstable();
        self.seen.dedup();
        for &row in &self.seen {
            self.counts[row as usize].add(outcome);
        }
    }

    fn harvest(self) -> Citations {
        let rows = self
            .keys
            .into_iter()
            .zip(self.counts)
            .filter(|(_, counts)| counts.decisions > 0)
            .map(|((key, cited), counts)| (key, (cited, counts)))
            .collect();
        // The sources of the hits, read from the column's dictionary in
        // one ordered pass.
        let ords: Vec<Option<u64>> = self
            .hits
            .iter()
            .map(|&(doc, _)| self.sources.as_ref()?.ords().first(doc))
            .collect();
        let mut sorted: Vec<u64> = ords.iter().flatten().copied().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut names = Vec::with_capacity(sorted.len());
        if let Some(sources) = &self.sources {
            let read = sources
                .dictionary()
                .sorted_ords_to_term_cb(&sorted, |bytes| {
                    names.push(String::from_utf8_lossy(bytes).into_owned());
                });
            if read.is_err() {
                names.clear();
            }
        }
        let hits = self
            .hits
            .iter()
            .zip(ords)
            .map(|(&(doc, outcome), ord)| Hit {
                source: ord
                    .and_then(|o| sorted.binary_search(&o).ok())
                    .and_then(|i| names.get(i).cloned())
                    .unwrap_or_default(),
                decision: self
                    .decisions
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .unwrap_or(0),
                dated: self.dated.as_ref().and_then(|c| c.first(doc)),
                address: DocAddress::new(self.segment, doc),
                outcome,
            })
            .collect();
        Citations {
            total: self.total,
            rows,
            hits,
        }
    }
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
            let c = by_reviewer(&r.guidelines).find(|c| {
                document_matches(&document_label(c), document)
                    && sections(c).any(|s| contains_words(s, name))
            })?;
            let passage = sentences(&r.rationale)
                .find(|s| contains_words(s, name))
                .map_or_else(|| c.text.clone(), str::to_owned);
            Some((document_label(c), passage))
        }
    }
}

/// The reviewer's guideline basis as written, for the first citation that
/// `pick`s; else the first.
fn basis(r: &Record, pick: impl Fn(&Citation) -> bool) -> Option<String> {
    by_reviewer(&r.guidelines)
        .find(|c| pick(c))
        .or_else(|| by_reviewer(&r.guidelines).next())
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
