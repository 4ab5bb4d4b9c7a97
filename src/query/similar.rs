//! Similar decisions: those most like an existing decision or a described
//! request, by the distinctive words of the item and the rationale
//! (tantivy's more-like-this) and by the drugs named, with the passage
//! that shares the most of those words. Filters apply.

use std::collections::BTreeSet;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, MoreLikeThisQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::reference::{ReferenceError, lookup};
use super::search::{Excerpts, Filters, Hit, Sort, date_key, exact, filtered, index_error, window};
use crate::drug::DrugTable;
use crate::index::{Opened, record};

/// What to find decisions like.
#[derive(Debug, Clone)]
pub enum Like {
    /// A decision's reference: "SOURCE#N" or "CASE_NUMBER#N".
    Decision(String),
    /// A described request.
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Request {
    pub like: Like,
    pub filters: Filters,
    pub limit: usize,
    pub sort: Sort,
}

#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    /// The decision's reference, or the text.
    pub like: String,
    /// The decision's item and outcome, when it is a decision.
    pub item: Option<String>,
    pub outcome: Option<crate::decision::Outcome>,
    /// Decisions at least `FLOOR` as similar as the closest one.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// The similarity floor: a decision counts, and is shown, when its score
/// is at least this share of the closest decision's. Sharing one common
/// word with the decision is not being like it: without a floor, nearly
/// every decision of an index matched.
pub const FLOOR: f32 = 0.25;

/// No cap on the words the query is built from: more-like-this breaks
/// ties at its cap in hash order, which would make results vary from run
/// to run; the document-frequency bounds keep the query to distinctive
/// words instead.
const QUERY_TERMS: usize = usize::MAX;
/// Words shorter than this say little ("mg", "of").
const MIN_WORD: usize = 3;
/// Weights: an item like this one's counts above a rationale like it; a
/// shared drug, above both.
const ITEM_BOOST: f32 = 3.0;
const DRUG_BOOST: f32 = 2.0;

/// The text a search starts from.
struct Source {
    item: String,
    rationale: String,
    drugs: Vec<String>,
    /// The decision itself, left out of the results.
    exclude: Option<(String, u32)>,
}

pub fn similar(index: &Opened, request: &Request) -> Result<Similar, ReferenceError> {
    index.guard(|| Ok(similar_unguarded(index, request)))?
}

fn similar_unguarded(index: &Opened, request: &Request) -> Result<Similar, ReferenceError> {
    let (source, mut similar) = match &request.like {
        Like::Decision(reference) => {
            let r = lookup(index, reference)?;
            let like = Similar {
                like: r.reference(),
                item: Some(r.item.clone()),
                outcome: Some(r.outcome),
                total: 0,
                hits: Vec::new(),
            };
            let source = Source {
                exclude: Some((r.source, r.decision)),
                item: r.item,
                rationale: r.rationale,
                drugs: r.drugs,
            };
            (source, like)
        }
        Like::Text(text) => {
            let source = Source {
                item: text.clone(),
                rationale: text.clone(),
                drugs: DrugTable::bundled().find(text),
                exclude: None,
            };
            let like = Similar {
                like: text.clone(),
                item: None,
                outcome: None,
                total: 0,
                hits: Vec::new(),
            };
            (source, like)
        }
    };
    let searcher = index.reader.searcher();
    let err = |e| index_error(index, e);
    let (filters, _) = filtered(index, None, &request.filters)?;
    let query = BooleanQuery::new(vec![
        (Occur::Must, like_query(index, &source)),
        (Occur::Must, Box::new(ConstScoreQuery::new(filters, 0.0))),
    ]);
    let closest = searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())
        .map_err(err)?;
    let floor = closest
        .first()
        .map_or(f32::INFINITY, |(score, _)| score * FLOOR);
    let mut found = searcher.search(&query, &AtLeast(floor)).map_err(err)?;
    similar.total = found.len();
    let (limit, _) = window(&searcher, request.limit, 0);
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    if request.sort != Sort::Relevance {
        // Dates from the index's column, not the records: only the
        // decisions shown are read. Stable: by score within a date.
        let dated = searcher.schema().get_field_name(index.fields.dated);
        let key = date_key(dated.to_owned(), request.sort);
        let mut keys: Vec<_> = searcher.segment_readers().iter().map(&key).collect();
        found
            .sort_by_cached_key(|(_, a)| std::cmp::Reverse(keys[a.segment_ord as usize](a.doc_id)));
    }
    found.truncate(limit);
    let highlight = shared_words(index, &searcher, &source);
    let excerpts = Excerpts::new(&searcher, &highlight, &index.fields).map_err(err)?;
    similar.hits = found
        .into_iter()
        .map(|(score, address)| {
            let r = record(&searcher, index, address)?;
            Ok(excerpts.hit(score, r, &source.drugs))
        })
        .collect::<crate::Result<Vec<Hit>>>()?;
    Ok(similar)
}

/// The matches scoring at least a floor, with their scores.
struct AtLeast(f32);

struct SegmentAtLeast {
    floor: f32,
    segment: SegmentOrdinal,
    found: Vec<(f32, DocAddress)>,
}

impl Collector for AtLeast {
    type Fruit = Vec<(f32, DocAddress)>;
    type Child = SegmentAtLeast;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(SegmentAtLeast {
            floor: self.0,
            segment,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentAtLeast {
    type Fruit = Vec<(f32, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if score >= self.floor {
            self.found.push((score, DocAddress::new(self.segment, doc)));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.found
    }
}

/// Bounds on how many decisions a word may occur in to count: in another
/// decision than the one we start from, and in at most half of them.
fn doc_frequency_bounds(searcher: &Searcher, source: &Source) -> (u64, u64) {
    let min = if source.exclude.is_some() { 2 } else { 1 };
    (min, (searcher.num_docs() / 2).max(2))
}

fn like_query(index: &Opened, source: &Source) -> Box<dyn Query> {
    let searcher = index.reader.searcher();
    let (min_df, max_df) = doc_frequency_bounds(&searcher, source);
    let f = &index.fields;
    let more_like = |field: Field, text: &str| -> Box<dyn Query> {
        Box::new(
            MoreLikeThisQuery::builder()
                .with_min_doc_frequency(min_df)
                .with_max_doc_frequency(max_df)
                .with_min_term_frequency(1)
                .with_min_word_length(MIN_WORD)
                .with_max_query_terms(QUERY_TERMS)
                .with_document_fields(vec![(field, vec![OwnedValue::Str(text.to_owned())])]),
        )
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if !source.item.trim().is_empty() {
        let item = BoostQuery::new(more_like(f.item, &source.item), ITEM_BOOST);
        clauses.push((Occur::Should, Box::new(item)));
    }
    if !source.rationale.trim().is_empty() {
        clauses.push((Occur::Should, more_like(f.rationale, &source.rationale)));
    }
    for drug in &source.drugs {
        let q = BoostQuery::new(exact(f.drug, drug), DRUG_BOOST);
        clauses.push((Occur::Should, Box::new(q)));
    }
    if let Some((path, decision)) = &source.exclude {
        let itself = BooleanQuery::new(vec![
            (Occur::Must, term(Term::from_field_text(f.source, path))),
            (
                Occur::Must,
                term(Term::from_field_u64(f.decision, u64::from(*decision))),
            ),
        ]);
        clauses.push((Occur::MustNot, Box::new(itself)));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

/// The source's distinctive words, as a query the excerpts highlight.
fn shared_words(index: &Opened, searcher: &Searcher, source: &Source) -> BooleanQuery {
    let (min_df, max_df) = doc_frequency_bounds(searcher, source);
    let f = &index.fields;
    let mut terms = BTreeSet::new();
    for (field, text) in [(f.rationale, &source.rationale), (f.item, &source.item)] {
        let Ok(mut analyzer) = index.index.tokenizer_for_field(field) else {
            continue;
        };
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.len() >= MIN_WORD {
                terms.insert(Term::from_field_text(field, &token.text));
            }
        }
    }
    let clauses = terms
        .into_iter()
        .filter(|t| {
            searcher
                .doc_freq(t)
                .is_ok_and(|df| (min_df..=max_df).contains(&df))
        })
        .map(|t| (Occur::Should, term(t)))
        .collect();
    BooleanQuery::new(clauses)
}
