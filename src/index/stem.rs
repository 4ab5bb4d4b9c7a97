//! The `en_stem` analyzer with a memo of word → stem: tantivy's own chain
//! (`SimpleTokenizer`, `RemoveLongFilter` at 40 bytes, `LowerCaser`), its
//! English `Stemmer` behind a table of the stems already computed.
//! Letters repeat a small vocabulary, and stemming every word of every
//! rationale, item and case summary anew made ingest about 17% slower
//! (`imr-bench --compare`, README "Hand-written code"). It emits exactly
//! the tokens of tantivy's `en_stem`, so indexes and queries are
//! unchanged; it is registered under that name on every index imr creates
//! or opens.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// The tokenizer name the schema's stemmed fields use.
pub const NAME: &str = "en_stem";

/// Words remembered before the memo starts afresh (about 1 MiB): English
/// letters use a few thousand words.
const MEMO_LIMIT: usize = 1 << 14;

/// Registers the memoised `en_stem` on `index`, for writing and searching.
pub fn register(index: &Index) {
    index.tokenizers().register(NAME, analyzer(MEMO_LIMIT));
}

/// tantivy's `en_stem` chain, with the stemmer memoised.
fn analyzer(limit: usize) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer { limit })
        .build()
}

/// The English stemmer, remembering up to `limit` words.
#[derive(Clone, Copy)]
struct MemoStemmer {
    limit: usize,
}

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner,
            memo: Memo::new(self.limit),
        }
    }
}

struct MemoStemmerFilter<T> {
    inner: T,
    memo: Memo,
}

/// A clone starts with an empty memo: tantivy clones an analyzer for each
/// field and indexing thread.
impl<T: Clone> Clone for MemoStemmerFilter<T> {
    fn clone(&self) -> Self {
        MemoStemmerFilter {
            inner: self.inner.clone(),
            memo: Memo::new(self.memo.limit),
        }
    }
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
        }
    }
}

struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut Memo,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// tantivy's stemmer applied to a whole (lower-cased) word.
type PlainStemmer = <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>;

struct Memo {
    stems: FxHashMap<Box<str>, Box<str>>,
    stemmer: PlainStemmer,
    limit: usize,
}

impl Memo {
    fn new(limit: usize) -> Memo {
        Memo {
            stems: FxHashMap::default(),
            stemmer: Stemmer::new(Language::English).transform(RawTokenizer::default()),
            limit,
        }
    }

    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        // A word with a digit (a date, a dose, a case number) rarely
        // recurs, so it is not remembered; a number is its own stem, as
        // the stemmer's rules all read letters.
        if word.bytes().any(|b| b.is_ascii_digit()) {
            if !word.bytes().all(|b| b.is_ascii_digit()) {
                *word = self.plain(word);
            }
            return;
        }
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let stem = self.plain(word);
        if self.stems.len() >= self.limit {
            self.stems.clear();
        }
        self.stems.insert(word.as_str().into(), stem.as_str().into());
        *word = stem;
    }

    /// tantivy's stem of `word`.
    fn plain(&mut self, word: &str) -> String {
        let mut stream = self.stemmer.token_stream(word);
        if stream.advance() {
            std::mem::take(&mut stream.token_mut().text)
        } else {
            word.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| out.push(t.clone()));
        out
    }

    fn real_letters() -> Vec<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/real/txt");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    }

    /// Same text, positions and offsets as tantivy's `en_stem`, token for
    /// token: the real letters twice (the second time from the memo), with
    /// the memo kept whole and with one that starts afresh often.
    #[test]
    fn memoised_stems_equal_tantivys() {
        let letters = real_letters();
        assert_eq!(letters.len(), 20);
        let mut plain = TokenizerManager::default().get(NAME).unwrap();
        for limit in [MEMO_LIMIT, 7] {
            let mut memoised = analyzer(limit);
            for text in letters.iter().chain(&letters) {
                let expected = tokens(&mut plain, text);
                assert!(expected.len() > 300);
                assert_eq!(tokens(&mut memoised, text), expected);
            }
        }
    }

    /// Text where the memo could part from tantivy: ASCII letters, digits
    /// and punctuation, letters whose lower case is longer or several
    /// characters ("İ"), non-ASCII digits and letters, a combining mark
    /// (not alphanumeric), and a run long enough to be dropped.
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "a",
            "Z",
            "q",
            "7",
            " ",
            ".",
            "-",
            "'",
            "\n",
            "É",
            "é",
            "ß",
            "İ",
            "Σ",
            "ſ",
            "K",
            "中",
            "٣",
            "\u{301}",
            "ﬁ",
            "Running",
            "STUDIES",
            "ibuprofen's",
            "12mg",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijabcdefghijabcdefghijabcdefghi",
            "ÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉÉ",
        ]);
        prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn tokens_equal_tantivys_on_any_text(text in pieces(), unicode in ".{0,80}") {
            let mut plain = TokenizerManager::default().get(NAME).unwrap();
            let mut memoised = analyzer(3);
            for text in [&text, &unicode, &format!("{text}{unicode}")] {
                prop_assert_eq!(tokens(&mut memoised, text), tokens(&mut plain, text));
            }
        }
    }

    #[test]
    fn stems_words_and_keeps_the_rest() {
        let mut memoised = analyzer(MEMO_LIMIT);
        let texts: Vec<String> = tokens(&mut memoised, "Running runs; RAN 12mg Ibuprofen's 2017")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            texts,
            ["run", "run", "ran", "12mg", "ibuprofen", "s", "2017"]
        );
    }
}
