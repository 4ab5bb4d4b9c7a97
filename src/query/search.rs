//! Search: the parsed query (drug names expanded to their generics) and
//! filters → ranked hits with excerpts, and exact facet counts over every
//! match.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::SortBySimilarityScore;
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Order, Searcher, Term};

use super::parse::{self, Node};
use super::suggest::Suggestion;
use super::whole_letter::WholeLetter;
use crate::citation::Source;
use crate::drug::DrugTable;
use crate::error::{Error, Result};
use crate::index::{Fields, Opened, record};
use crate::record::Record;

/// Narrowing applied on top of the query; as alerts save it, too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    pub outcome: Option<String>,
    pub drug: Option<String>,
    pub guideline: Option<String>,
    pub page: Option<u32>,
    pub specialty: Option<String>,
    pub state: Option<String>,
    /// A category or subcategory of the state's taxonomy, any case.
    pub category: Option<String>,
    /// A drug class as the state names it, any case.
    pub class: Option<String>,
    /// ISO dates, inclusive.
    pub since: Option<String>,
    pub until: Option<String>,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// By the letter's decision date, latest first; ties by relevance;
    /// undated letters last.
    Newest,
    /// Earliest first; ties by relevance; undated letters last.
    Oldest,
}

#[derive(Debug, Clone)]
pub struct Request {
    /// The query; `*` or empty for every decision the filters keep.
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub sort: Sort,
    /// Facet roots to count, from [`FACETS`]; empty counts none.
    pub facets: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub record: Record,
    pub score: f32,
    pub excerpt: String,
    /// Byte ranges of `excerpt` to highlight.
    pub highlights: Vec<(usize, usize)>,
    /// Drugs of this decision that the query named by another name.
    pub matched_drugs: Vec<String>,
}

/// Facet name → value → count, over every match.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// When nothing matched: the query's words that find nothing, each
    /// with the nearest word that would.
    pub suggestions: Vec<Suggestion>,
}

/// The facets a search can count: "source" is the guideline source
/// (MTUS, ODG…), "guideline" the source and document.
pub const FACETS: [&str; 9] = [
    "outcome",
    "drug",
    "class",
    "category",
    "source",
    "guideline",
    "page",
    "specialty",
    "year",
];

/// Runs a search; the query string's errors carry their column.
pub fn search(index: &Opened, request: &Request) -> Result<Results> {
    index.guard(|| search_unguarded(index, request))
}

fn search_unguarded(index: &Opened, request: &Request) -> Result<Results> {
    if let Some(unknown) = request
        .facets
        .iter()
        .find(|f| !FACETS.iter().any(|k| k == f))
    {
        return Err(Error::Usage(format!(
            "no facet named `{unknown}`: choose from {}",
            FACETS.join(", ")
        )));
    }
    let (query, expanded) = filtered(index, Some(&request.query), &request.filters)?;
    let searcher = index.reader.searcher();
    let err = |e| index_error(index, e);
    let (limit, offset) = window(&searcher, request.limit, request.offset);
    let top = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    let plan = FacetPlan::new(&request.facets);
    let facet_field = searcher.schema().get_field_name(index.fields.facet);
    // One pass over the matches: count, rank and facets together.
    let (total, mut top, facet_counts) = match request.sort {
        Sort::Relevance => {
            let collectors = (Count, top.order_by_score(), plan.collectors(facet_field));
            searcher.search(&query, &collectors).map_err(err)?
        }
        Sort::Newest | Sort::Oldest => {
            let dated = searcher
                .schema()
                .get_field_name(index.fields.dated)
                .to_owned();
            let key = (
                date_key(dated, request.sort),
                (SortBySimilarityScore, Order::Desc),
            );
            let collectors = (Count, top.order_by(key), plan.collectors(facet_field));
            let (total, top, facets) = searcher.search(&query, &collectors).map_err(err)?;
            let top = top.into_iter().map(|((_, score), a)| (score, a)).collect();
            (total, top, facets)
        }
    };
    let records: Vec<(f32, Record)> = top
        .drain(..)
        .take(limit)
        .map(|(score, address)| Ok((score, record(&searcher, index, address)?)))
        .collect::<Result<_>>()?;
    let snippets = Excerpts::new(&searcher, &*query, &index.fields).map_err(err)?;
    // TopDocs breaks score ties by index order, the same on every page.
    let hits: Vec<Hit> = records
        .into_iter()
        .map(|(score, record)| snippets.hit(score, record, &expanded))
        .collect();
    let suggestions = match total == 0 && !is_everything(&request.query) {
        true => super::suggest::suggestions(index, &request.query)?,
        false => Vec::new(),
    };
    Ok(Results {
        query: request.query.clone(),
        total,
        hits,
        facets: plan.facets(facet_counts),
        suggestions,
    })
}

/// The query (every decision when `None`), drug names expanded, narrowed
/// by the filters; with the generics that drug names expanded to.
pub(crate) fn filtered(
    index: &Opened,
    query: Option<&str>,
    filters: &Filters,
) -> Result<(Box<dyn Query>, Vec<String>)> {
    let builder = Builder::new(index);
    let mut expanded = Vec::new();
    let query = match query.filter(|q| !is_everything(q)) {
        Some(q) => builder.node(&parse::parse(q)?, &mut expanded)?,
        None => Box::new(AllQuery),
    };
    Ok((with_filters(&builder, query, filters)?, expanded))
}

/// A sort key of each document's decision date: later first for
/// `Newest`, earlier first for `Oldest`, undated last for both.
pub(crate) fn date_key(
    dated: String,
    sort: Sort,
) -> impl Fn(&tantivy::SegmentReader) -> Box<dyn FnMut(tantivy::DocId) -> i64> + Send + Sync + 'static
{
    move |segment: &tantivy::SegmentReader| {
        let column = segment.fast_fields().date(&dated).ok();
        Box::new(move |doc| {
            let date = column.as_ref().and_then(|c| c.first(doc));
            match (date, sort) {
                (None, _) => i64::MIN,
                (Some(d), Sort::Oldest) => -d.into_timestamp_secs(),
                (Some(d), _) => d.into_timestamp_secs(),
            }
        })
    }
}

/// `*`: every decision (the filters narrow it). An empty query is an
/// error, as a query the user wrote nothing in.
pub fn is_everything(query: &str) -> bool {
    query.trim() == "*"
}

/// `--limit` and `--offset` as far as the index reaches: no larger
/// request allocates or overflows.
pub(crate) fn window(searcher: &Searcher, limit: usize, offset: usize) -> (usize, usize) {
    let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    (limit.min(docs), offset.min(docs))
}

pub(crate) fn index_error(index: &Opened, source: tantivy::TantivyError) -> Error {
    Error::Index {
        path: index.path.clone(),
        source,
    }
}

/// Turns syntax into tantivy queries.
pub(crate) struct Builder<'a> {
    index: &'a Opened,
    drugs: &'a DrugTable,
}

/// How much a match in each text field counts.
const ITEM_BOOST: f32 = 3.0;

impl<'a> Builder<'a> {
    pub(crate) fn new(index: &'a Opened) -> Self {
        Builder {
            index,
            drugs: DrugTable::bundled(),
        }
    }

    fn node(&self, node: &Node, expanded: &mut Vec<String>) -> Result<Box<dyn Query>> {
        Ok(match node {
            Node::Word {
                field,
                text,
                prefix,
                column,
            } => {
                if *prefix {
                    self.check_prefix(field.as_deref(), text, *column)?;
                }
                self.word(field.as_deref(), text, *prefix, expanded)?
            }
            Node::Phrase { field, text } => self.phrase(field.as_deref(), text, expanded),
            Node::And(parts) | Node::Or(parts) => {
                let occur = if matches!(node, Node::And(_)) {
                    Occur::Must
                } else {
                    Occur::Should
                };
                let mut clauses = Vec::new();
                for part in parts {
                    match part {
                        Node::Not(inner) => {
                            clauses.push((Occur::MustNot, self.node(inner, expanded)?))
                        }
                        _ => clauses.push((occur, self.node(part, expanded)?)),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
                (Occur::MustNot, self.node(inner, expanded)?),
            ])),
        })
    }

    fn word(
        &self,
        field: Option<&str>,
        text: &str,
        prefix: bool,
        expanded: &mut Vec<String>,
    ) -> Result<Box<dyn Query>> {
        let f = &self.index.fields;
        match field {
            None => {
                let mut clauses = self.text_clauses(text, prefix);
                if !prefix {
                    clauses.extend(self.drug_clauses(text, expanded));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
            Some("item") => Ok(self.in_text(f.item, text, prefix)),
            Some("rationale") => Ok(self.in_text(f.rationale, text, prefix)),
            Some("summary") => Ok(self.in_text(f.summary, text, prefix)),
            Some("guideline") => Ok(self.in_text(f.guideline, text, prefix)),
            Some("specialty") => Ok(self.in_text(f.specialty, text, prefix)),
            Some("state") => Ok(self.in_text(f.state, text, prefix)),
            Some("drug") => Ok(self.drug_anywhere(text, expanded)),
            Some("class") => Ok(exact(f.class, &text.to_lowercase())),
            Some("category") => Ok(exact(f.category, &text.to_lowercase())),
            Some("outcome") => Ok(exact(f.outcome, &text.to_ascii_lowercase())),
            Some("page") => Ok(number(f.page, text)),
            Some("year") => Ok(number(f.year, text)),
            Some(other) => Err(Error::Usage(format!("unknown field {other}"))),
        }
    }

    /// Refuses a prefix that matches more than `MAX_PREFIX_WORDS` words
    /// in the fields it is searched in, counted in the term dictionaries
    /// (and no further) before any query is built.
    fn check_prefix(&self, field: Option<&str>, text: &str, column: usize) -> Result<()> {
        let f = &self.index.fields;
        let fields = match field {
            None => vec![f.item, f.rationale],
            Some("item") => vec![f.item],
            Some("rationale") => vec![f.rationale],
            Some("summary") => vec![f.summary],
            Some("guideline") => vec![f.guideline],
            Some("specialty") => vec![f.specialty],
            Some("state") => vec![f.state],
            // The other fields take whole values, not prefixes.
            Some(_) => return Ok(()),
        };
        let (from, to) = prefix_range(text);
        let searcher = self.index.reader.searcher();
        let err = |e| index_error(self.index, e);
        let mut words: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
        for segment in searcher.segment_readers() {
            for &field in &fields {
                let inverted = segment.inverted_index(field).map_err(err)?;
                let mut range = inverted.terms().range().ge(&from);
                if let Some(to) = &to {
                    range = range.lt(to);
                }
                let mut terms = range.into_stream().map_err(|e| err(e.into()))?;
                while terms.advance() {
                    words.insert(terms.key().to_vec());
                    if words.len() > MAX_PREFIX_WORDS {
                        return Err(Error::Query {
                            column,
                            message: format!(
                                "the prefix \"{text}*\" matches more than {MAX_PREFIX_WORDS} words; make it longer"
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// A word in the decision's own words: its item (weighted) and its
    /// rationale. The letter's case summary only when asked (`summary:`):
    /// a summary match would count for every decision of the letter.
    fn text_clauses(&self, text: &str, prefix: bool) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.index.fields;
        [(f.item, ITEM_BOOST), (f.rationale, 1.0)]
            .into_iter()
            .map(|(field, boost)| {
                let q: Box<dyn Query> =
                    Box::new(BoostQuery::new(self.in_text(field, text, prefix), boost));
                (Occur::Should, q)
            })
            .collect()
    }

    /// A drug name anywhere in a decision: `drug_clauses` alone.
    fn drug_anywhere(&self, name: &str, expanded: &mut Vec<String>) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(self.drug_clauses(name, expanded)))
    }

    /// The decisions on a drug (its item names it by any name) and those
    /// whose item or rationale names the same product under another name
    /// (pregabalin finds "Lyrica" in a rationale). A product of several
    /// generics is named by the names of products holding them all: Norco
    /// finds "Vicodin", not every "acetaminophen".
    fn drug_clauses(&self, name: &str, expanded: &mut Vec<String>) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.index.fields;
        let mut clauses = vec![(Occur::Should, self.drug_query(name, expanded))];
        let Some(generics) = self.drugs.generics_of(name) else {
            return clauses;
        };
        for other in self.drugs.names_holding(generics) {
            for (field, boost) in [(f.item, ITEM_BOOST), (f.rationale, 1.0)] {
                let q: Box<dyn Query> =
                    Box::new(BoostQuery::new(self.analysed(field, &other, false), boost));
                clauses.push((Occur::Should, q));
            }
        }
        clauses
    }

    /// Decisions whose drugs include every generic a drug name stands for:
    /// "hydrocodone" finds Norco, "Norco" finds hydrocodone with
    /// acetaminophen, "Terocin" finds its four ingredients together.
    fn drug_query(&self, name: &str, expanded: &mut Vec<String>) -> Box<dyn Query> {
        let generics = match self.drugs.generics_of(name) {
            Some(g) => {
                expanded.extend(g.iter().cloned());
                g.to_vec()
            }
            None => vec![name.to_lowercase()],
        };
        let clauses = generics
            .iter()
            .map(|g| {
                let q = BoostQuery::new(exact(self.index.fields.drug, g), ITEM_BOOST);
                (Occur::Must, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// `text` in `field`; in the summary, which only a letter's first
    /// decision holds, a match for every decision of the letter.
    pub(crate) fn in_text(&self, field: Field, text: &str, prefix: bool) -> Box<dyn Query> {
        let f = &self.index.fields;
        let query = self.analysed(field, text, prefix);
        if field == f.summary {
            return Box::new(WholeLetter::new(query, f.decision));
        }
        query
    }

    /// `text` analysed as the field analyses it: a term, or a phrase when
    /// it splits into several tokens.
    fn analysed(&self, field: Field, text: &str, prefix: bool) -> Box<dyn Query> {
        if prefix {
            // The words that start with the prefix, as a range of the term
            // dictionary, read as the search goes: a regex query compiled
            // an automaton of a quarter MiB for each prefix.
            let (from, to) = prefix_range(text);
            let term = |t: &str| Term::from_field_text(field, t);
            return Box::new(RangeQuery::new(
                Bound::Included(term(&from)),
                to.as_deref()
                    .map_or(Bound::Unbounded, |to| Bound::Excluded(term(to))),
            ));
        }
        let terms = self.tokens(field, text);
        match terms.len() {
            0 => Box::new(BooleanQuery::new(Vec::new())),
            1 => Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            )),
            _ => Box::new(PhraseQuery::new(terms)),
        }
    }

    fn phrase(
        &self,
        field: Option<&str>,
        text: &str,
        expanded: &mut Vec<String>,
    ) -> Box<dyn Query> {
        let f = &self.index.fields;
        let fields: Vec<(Field, f32)> = match field {
            None => vec![(f.item, ITEM_BOOST), (f.rationale, 1.0)],
            Some("item") => vec![(f.item, 1.0)],
            Some("rationale") => vec![(f.rationale, 1.0)],
            Some("summary") => vec![(f.summary, 1.0)],
            Some("specialty") => vec![(f.specialty, 1.0)],
            Some("state") => vec![(f.state, 1.0)],
            Some("drug") => return self.drug_anywhere(text, expanded),
            Some("class") => return exact(f.class, &text.to_lowercase()),
            Some("category") => return exact(f.category, &text.to_lowercase()),
            Some("outcome") => return exact(f.outcome, &text.to_ascii_lowercase()),
            _ => vec![(f.guideline, 1.0)],
        };
        let clauses = fields
            .into_iter()
            .map(|(field, boost)| {
                let q: Box<dyn Query> =
                    Box::new(BoostQuery::new(self.in_text(field, text, false), boost));
                (Occur::Should, q)
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    fn tokens(&self, field: Field, text: &str) -> Vec<Term> {
        let Ok(mut analyzer) = self.index.index.tokenizer_for_field(field) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(field, &token.text));
        }
        terms
    }
}

/// The most words a prefix may stand for: past it, the prefix is too
/// short to say what it looks for, and its query too costly.
pub const MAX_PREFIX_WORDS: usize = 1_000;

/// The words a prefix stands for, as a range: from the prefix (lowercased,
/// as the fields index words) up to, not including, the prefix with its
/// last character the next one; without an end when there is none.
fn prefix_range(text: &str) -> (String, Option<String>) {
    let from = text.to_lowercase();
    let mut to: Vec<char> = from.chars().collect();
    while let Some(last) = to.pop() {
        let next = match last {
            '\u{d7ff}' => Some('\u{e000}'),
            c => char::from_u32(u32::from(c) + 1),
        };
        if let Some(next) = next {
            to.push(next);
            return (from, Some(to.into_iter().collect()));
        }
    }
    (from, None)
}

pub(crate) fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn number(field: Field, text: &str) -> Box<dyn Query> {
    match text.parse::<u64>() {
        Ok(n) => Box::new(TermQuery::new(
            Term::from_field_u64(field, n),
            IndexRecordOption::Basic,
        )),
        Err(_) => Box::new(BooleanQuery::new(Vec::new())),
    }
}

fn with_filters(b: &Builder, query: Box<dyn Query>, filters: &Filters) -> Result<Box<dyn Query>> {
    let f = &b.index.fields;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    let mut ignored = Vec::new();
    if let Some(o) = &filters.outcome {
        clauses.push((Occur::Must, exact(f.outcome, &o.to_ascii_lowercase())));
    }
    if let Some(d) = &filters.drug {
        clauses.push((Occur::Must, b.drug_query(d, &mut ignored)));
    }
    for (value, field) in [(&filters.category, f.category), (&filters.class, f.class)] {
        if let Some(v) = value {
            clauses.push((Occur::Must, exact(field, &v.trim().to_lowercase())));
        }
    }
    if let Some(p) = filters.page {
        clauses.push((Occur::Must, number(f.page, &p.to_string())));
    }
    for (value, field) in [
        (&filters.guideline, f.guideline),
        (&filters.specialty, f.specialty),
        (&filters.state, f.state),
    ] {
        if let Some(v) = value {
            clauses.push((Occur::Must, b.in_text(field, v, false)));
        }
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |d: &Option<String>| -> Result<std::ops::Bound<Term>> {
            match d {
                None => Ok(std::ops::Bound::Unbounded),
                Some(s) => {
                    let date = crate::index::write::date_time(s).ok_or_else(|| {
                        Error::Usage(format!("`{s}` is not a date: write it as YYYY-MM-DD"))
                    })?;
                    Ok(std::ops::Bound::Included(Term::from_field_date(
                        f.dated, date,
                    )))
                }
            }
        };
        let range = RangeQuery::new(bound(&filters.since)?, bound(&filters.until)?);
        clauses.push((Occur::Must, Box::new(range)));
    }
    Ok(if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    })
}

/// The facet collectors a search's facet names need, and how to read
/// their counts back under those names.
struct FacetPlan<'a> {
    names: &'a [String],
    /// (name, facet root whose children it counts)
    counted: Vec<(&'a str, String)>,
}

impl<'a> FacetPlan<'a> {
    fn new(names: &'a [String]) -> Self {
        let counted = names.iter().flat_map(|n| facet_roots(n)).collect();
        FacetPlan { names, counted }
    }

    /// One collector may not count a facet and its descendants: sources
    /// (/guideline) get their own beside the rest (/guideline/MTUS, …).
    fn collectors(&self, field: &str) -> (FacetCollector, FacetCollector) {
        let (mut sources, mut rest) = (
            FacetCollector::for_field(field),
            FacetCollector::for_field(field),
        );
        for (name, root) in &self.counted {
            let collector = if *name == "source" {
                &mut sources
            } else {
                &mut rest
            };
            collector.add_facet(root.as_str());
        }
        (sources, rest)
    }

    fn facets(&self, (sources, rest): (FacetCounts, FacetCounts)) -> Facets {
        let mut facets: Facets = self
            .names
            .iter()
            .map(|n| (n.clone(), BTreeMap::new()))
            .collect();
        for (name, root) in &self.counted {
            let counts = if *name == "source" { &sources } else { &rest };
            let values = facets.entry((*name).to_owned()).or_default();
            for (facet, count) in counts.get(root) {
                values.insert(facet_label(facet), count);
            }
        }
        facets
    }
}

/// The facet paths whose children a facet name counts: a guideline's
/// documents sit one level below its source.
fn facet_roots(name: &str) -> Vec<(&str, String)> {
    match name {
        "source" => vec![("source", "/guideline".to_owned())],
        "guideline" => Source::ALL
            .iter()
            .map(|s| ("guideline", format!("/guideline/{}", s.as_str())))
            .collect(),
        other => vec![(other, format!("/{other}"))],
    }
}

/// A facet's value below its root, as written: "/drug/x" → "x",
/// "/guideline/MTUS/Chronic…" → "MTUS: Chronic…".
pub(crate) fn facet_label(facet: &Facet) -> String {
    let label = facet
        .to_path()
        .get(1..)
        .map(|p| p.join(": "))
        .unwrap_or_default();
    label.replace('∕', "/")
}

/// Whole sentences of the rationale around the matches, else its
/// conclusion (`super::excerpt`).
pub(crate) struct Excerpts {
    rationale: SnippetGenerator,
}

impl Excerpts {
    pub(crate) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> tantivy::Result<Excerpts> {
        let mut rationale = SnippetGenerator::create(searcher, query, fields.rationale)?;
        // One fragment as long as any text: every match's range, which
        // `excerpt::around` picks sentences by.
        rationale.set_max_num_chars(usize::MAX);
        Ok(Excerpts { rationale })
    }

    pub(crate) fn hit(&self, score: f32, record: Record, expanded: &[String]) -> Hit {
        let snippet = self.rationale.snippet(&record.rationale);
        // The fragment starts at the text's start; its ranges are offsets
        // into the fragment, so they are moved by its start all the same.
        let start = snippet.fragment_range().start;
        let ranges: Vec<(usize, usize)> = snippet
            .highlighted()
            .iter()
            .map(|r| (start + r.start, start + r.end))
            .collect();
        let (excerpt, highlights) = super::excerpt::around(&record.rationale, &ranges)
            .unwrap_or_else(|| (super::excerpt::conclusion(&record.rationale), Vec::new()));
        let matched_drugs = record
            .drugs
            .iter()
            .filter(|d| expanded.contains(d))
            .cloned()
            .collect();
        Hit {
            record,
            score,
            excerpt,
            highlights,
            matched_drugs,
        }
    }
}
