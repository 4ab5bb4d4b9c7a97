//! A query on a letter's summary → a match on all its decisions where the
//! first decision, which holds the summary, matches.
//!
//! The case summary belongs to the letter, not to one decision, so it is
//! indexed once, with the letter's first decision: indexed with each of
//! them it was over a tenth of ingest. A query on the summary is wrapped in
//! [`WholeLetter`], which extends each match to the letter's other
//! decisions, with the same score.
//!
//! Finding them needs no lookup, because of how ingest writes a letter: its
//! decisions go to tantivy as one batch, which tantivy keeps in one segment
//! with consecutive document ids, in decision order (1, 2, …, or a single
//! 0); merges keep that order, and deletes remove a letter whole. So the
//! letter of document `d` begins at `d - (decision(d) - 1)` and runs on
//! while the decision numbers count up from 2. `imr check` verifies this.

use std::fmt;

use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

/// Every decision of each letter whose first decision `inner` matches.
pub struct WholeLetter {
    inner: Box<dyn Query>,
    decision: Field,
}

impl WholeLetter {
    /// `decision` is the fast field of 1-based decision numbers.
    pub fn new(inner: Box<dyn Query>, decision: Field) -> WholeLetter {
        WholeLetter { inner, decision }
    }
}

impl Clone for WholeLetter {
    fn clone(&self) -> Self {
        WholeLetter {
            inner: self.inner.box_clone(),
            decision: self.decision,
        }
    }
}

impl fmt::Debug for WholeLetter {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "WholeLetter({:?})", self.inner)
    }
}

impl Query for WholeLetter {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let name = scoring.schema().get_field_name(self.decision).to_owned();
        Ok(Box::new(WholeLetterWeight {
            inner: self.inner.weight(scoring)?,
            decision: name,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct WholeLetterWeight {
    inner: Box<dyn Weight>,
    decision: String,
}

impl WholeLetterWeight {
    fn letters(&self, reader: &SegmentReader) -> tantivy::Result<Letters> {
        Ok(Letters {
            decision: reader.fast_fields().u64(&self.decision)?,
            max_doc: reader.max_doc(),
        })
    }
}

impl Weight for WholeLetterWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(WholeLetterScorer::new(
            inner,
            self.letters(reader)?,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let first = self.letters(reader)?.first(doc);
        let inner = self.inner.explain(reader, first)?;
        let mut explanation = Explanation::new_with_string(
            format!("the match on document {first}, the letter's first decision"),
            inner.value(),
        );
        explanation.add_detail(inner);
        Ok(explanation)
    }
}

/// Where a segment's letters begin and end, from the decision numbers.
struct Letters {
    decision: Column<u64>,
    max_doc: DocId,
}

impl Letters {
    fn number(&self, doc: DocId) -> u64 {
        self.decision.first(doc).unwrap_or(0)
    }

    /// The first document of the letter holding `doc`.
    fn first(&self, doc: DocId) -> DocId {
        let before = self.number(doc).saturating_sub(1);
        doc.saturating_sub(u32::try_from(before).unwrap_or(u32::MAX))
    }

    /// One past the last document of the letter beginning at `first`.
    fn end(&self, first: DocId) -> DocId {
        let mut previous = self.number(first);
        let mut end = first + 1;
        while end < self.max_doc {
            let number = self.number(end);
            if number < 2 || number != previous + 1 {
                break;
            }
            previous = number;
            end += 1;
        }
        end
    }
}

/// Walks the inner scorer's matches, each the first document of a letter,
/// and yields every document of that letter with the match's score.
struct WholeLetterScorer {
    inner: Box<dyn Scorer>,
    letters: Letters,
    doc: DocId,
    /// One past the current letter's last document.
    end: DocId,
    score: Score,
}

impl WholeLetterScorer {
    fn new(inner: Box<dyn Scorer>, letters: Letters) -> WholeLetterScorer {
        let mut scorer = WholeLetterScorer {
            inner,
            letters,
            doc: TERMINATED,
            end: TERMINATED,
            score: 0.0,
        };
        scorer.enter_letter();
        scorer
    }

    /// Moves onto the letter of the inner scorer's current match.
    fn enter_letter(&mut self) -> DocId {
        self.doc = self.inner.doc();
        if self.doc == TERMINATED {
            self.end = TERMINATED;
        } else {
            self.score = self.inner.score();
            self.end = self.letters.end(self.doc);
        }
        self.doc
    }
}

impl DocSet for WholeLetterScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if self.doc + 1 < self.end {
            self.doc += 1;
            return self.doc;
        }
        self.inner.advance();
        self.enter_letter()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target < self.end {
            self.doc = target.max(self.doc);
            return self.doc;
        }
        // The letter holding `target` begins after the current one ends.
        let first = if target < self.letters.max_doc {
            self.letters.first(target).max(self.end)
        } else {
            TERMINATED
        };
        if self.inner.doc() < first {
            self.inner.seek(first);
        }
        self.enter_letter();
        if self.doc < target && target < self.end {
            self.doc = target;
        }
        // Only an index that broke the layout above could get here.
        while self.doc < target {
            self.advance();
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for WholeLetterScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{DocSetCollector, TopDocs};
    use tantivy::indexer::UserOperation;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{FAST, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT, Value};
    use tantivy::{DocAddress, Index, IndexWriter, TantivyDocument};

    use super::*;

    /// A letter: its name, decision numbers, summary and each decision's tag.
    type Spec<'a> = (&'a str, &'a [u64], &'a str, &'a [&'a str]);

    struct Fixture {
        index: Index,
        writer: IndexWriter,
        letter: Field,
        decision: Field,
        summary: Field,
        tag: Field,
    }

    impl Fixture {
        fn new() -> Fixture {
            let mut schema = Schema::builder();
            let letter = schema.add_text_field("letter", STRING | STORED);
            let decision = schema.add_u64_field("decision", INDEXED | FAST | STORED);
            let summary = schema.add_text_field("summary", TEXT);
            let tag = schema.add_text_field("tag", STRING);
            let index = Index::create_in_ram(schema.build());
            let writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
            Fixture {
                index,
                writer,
                letter,
                decision,
                summary,
                tag,
            }
        }

        /// Adds letters as ingest does (one batch each, the summary with
        /// the first decision) and commits: one segment per call.
        fn add(&mut self, letters: &[Spec]) {
            for (name, numbers, summary, tags) in letters {
                let batch = numbers.iter().zip(*tags).enumerate().map(|(i, (&n, tag))| {
                    let mut doc = TantivyDocument::default();
                    doc.add_text(self.letter, name);
                    doc.add_u64(self.decision, n);
                    doc.add_text(self.tag, tag);
                    if i == 0 {
                        doc.add_text(self.summary, summary);
                    }
                    UserOperation::Add(doc)
                });
                self.writer.run(batch.collect::<Vec<_>>()).unwrap();
            }
            self.writer.commit().unwrap();
        }

        fn summary(&self, word: &str) -> Box<dyn Query> {
            let term = Term::from_field_text(self.summary, word);
            let term = TermQuery::new(term, IndexRecordOption::WithFreqs);
            Box::new(WholeLetter::new(Box::new(term), self.decision))
        }

        fn tag(&self, tag: &str) -> Box<dyn Query> {
            let term = Term::from_field_text(self.tag, tag);
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        }

        fn both(&self, a: Box<dyn Query>, b: Box<dyn Query>) -> BooleanQuery {
            BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)])
        }

        /// "letter#decision" of each document `query` matches, in index order.
        fn matches(&self, query: &dyn Query) -> Vec<String> {
            let searcher = self.index.reader().unwrap().searcher();
            let mut found: Vec<DocAddress> = searcher
                .search(query, &DocSetCollector)
                .unwrap()
                .into_iter()
                .collect();
            found.sort();
            found.into_iter().map(|a| self.name(a)).collect()
        }

        fn name(&self, address: DocAddress) -> String {
            let searcher = self.index.reader().unwrap().searcher();
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            let letter = doc.get_first(self.letter).and_then(|v| v.as_str()).unwrap();
            let number = doc
                .get_first(self.decision)
                .and_then(|v| v.as_u64())
                .unwrap();
            format!("{letter}#{number}")
        }
    }

    const FIRST: [Spec; 4] = [
        ("A", &[1, 2, 3], "knee pain", &["x", "y", "x"]),
        ("B", &[0], "knee", &["y"]),
        ("C", &[1, 2], "back pain", &["x", "y"]),
        ("D", &[1], "knee", &["y"]),
    ];
    const SECOND: [Spec; 2] = [
        ("E", &[1, 2], "knee", &["z", "x"]),
        ("F", &[1, 2], "shoulder", &["x", "x"]),
    ];

    #[test]
    fn a_summary_match_is_a_match_for_every_decision() {
        let mut f = Fixture::new();
        f.add(&FIRST);
        f.add(&SECOND);
        let knee = ["A#1", "A#2", "A#3", "B#0", "D#1", "E#1", "E#2"];
        assert_eq!(f.matches(&f.summary("knee")), knee);
        assert_eq!(
            f.matches(&f.summary("pain")),
            ["A#1", "A#2", "A#3", "C#1", "C#2"]
        );
        assert_eq!(f.matches(&f.summary("hip")), Vec::<String>::new());
    }

    /// An intersection seeks into letters, past them, and onto their last
    /// decision.
    #[test]
    fn seeking_lands_inside_letters() {
        let mut f = Fixture::new();
        f.add(&FIRST);
        f.add(&SECOND);
        let knee_x = f.both(f.summary("knee"), f.tag("x"));
        assert_eq!(f.matches(&knee_x), ["A#1", "A#3", "E#2"]);
        let knee_y = f.both(f.tag("y"), f.summary("knee"));
        assert_eq!(f.matches(&knee_y), ["A#2", "B#0", "D#1"]);
        let pain_not_x = BooleanQuery::new(vec![
            (Occur::Must, f.summary("pain")),
            (Occur::MustNot, f.tag("x")),
        ]);
        assert_eq!(f.matches(&pain_not_x), ["A#2", "C#2"]);
    }

    #[test]
    fn seek_and_advance() {
        let mut f = Fixture::new();
        f.add(&FIRST);
        let searcher = f.index.reader().unwrap().searcher();
        let scorer = || {
            let weight = f.summary("knee");
            let weight = weight.weight(EnableScoring::disabled_from_searcher(&searcher));
            weight
                .unwrap()
                .scorer(searcher.segment_reader(0), 1.0)
                .unwrap()
        };
        // Documents: A#1 A#2 A#3 B#0 C#1 C#2 D#1; "knee" is in A, B and D.
        let mut knee = scorer();
        assert_eq!(knee.doc(), 0);
        assert_eq!(knee.seek(1), 1);
        assert_eq!(knee.seek(2), 2);
        assert_eq!(knee.advance(), 3);
        assert_eq!(knee.seek(4), 6);
        assert_eq!(knee.advance(), TERMINATED);
        assert_eq!(knee.seek(TERMINATED), TERMINATED);
        let mut knee = scorer();
        assert_eq!(knee.seek(5), 6);
        let mut knee = scorer();
        assert_eq!(knee.seek(TERMINATED), TERMINATED);
        assert_eq!(knee.advance(), TERMINATED);
    }

    #[test]
    fn every_decision_scores_as_the_first() {
        let mut f = Fixture::new();
        f.add(&FIRST);
        let searcher = f.index.reader().unwrap().searcher();
        let top = searcher
            .search(
                &f.summary("pain"),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        let mut scores: Vec<(String, f32)> = top.iter().map(|(s, a)| (f.name(*a), *s)).collect();
        scores.sort_by(|a, b| a.0.cmp(&b.0));
        let score = |name: &str| scores.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(scores.len(), 5);
        assert!(score("A#1") > 0.0);
        assert_eq!(score("A#2"), score("A#1"));
        assert_eq!(score("A#3"), score("A#1"));
        assert_eq!(score("C#2"), score("C#1"));
    }

    /// Deleting a letter and merging segments keeps the others whole.
    #[test]
    fn letters_stay_whole_through_deletes_and_merges() {
        let mut f = Fixture::new();
        f.add(&FIRST);
        f.add(&SECOND);
        f.writer.delete_term(Term::from_field_text(f.letter, "A"));
        f.writer.commit().unwrap();
        assert_eq!(f.matches(&f.summary("knee")), ["B#0", "D#1", "E#1", "E#2"]);
        let segments = f.index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 2);
        f.writer.merge(&segments).wait().unwrap();
        let searcher = f.index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(f.matches(&f.summary("knee")), ["B#0", "D#1", "E#1", "E#2"]);
        assert_eq!(f.matches(&f.both(f.summary("knee"), f.tag("x"))), ["E#2"]);
    }
}
