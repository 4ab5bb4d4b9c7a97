//! The `en_stem` analyzer, in one pass and with a memo of word → stem.
//! Stemming every word of every rationale, item and case summary was a
//! quarter of ingest; letters repeat a small vocabulary, so each analyzer
//! (tantivy clones one per field and indexing thread) remembers the stems
//! it has computed. Splitting and lower-casing words read ASCII through a
//! byte table. It emits exactly the tokens of tantivy's own `en_stem`, so
//! indexes and queries are unchanged; it is registered under that name on
//! every index imr creates or opens.

use tantivy::Index;

use crate::hash::FastMap;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The tokenizer name the schema's stemmed fields use.
pub const NAME: &str = "en_stem";

/// Words remembered before the memo starts afresh, about 2 MiB: English
/// letters use a few thousand words.
const MEMO_LIMIT: usize = 1 << 14;

/// Registers the memoised `en_stem` on `index`, for writing and searching.
pub fn register(index: &Index) {
    index.tokenizers().register(NAME, analyzer(MEMO_LIMIT));
}

/// tantivy's `en_stem`, in one pass with the stemmer memoised.
fn analyzer(limit: usize) -> TextAnalyzer {
    TextAnalyzer::from(EnStem {
        memo: Memo::new(limit),
        token: Token::default(),
        lowered: String::new(),
    })
}

/// tantivy's `en_stem` chain (`SimpleTokenizer`, `RemoveLongFilter` at 40
/// bytes, `LowerCaser`, the English `Stemmer`) as one tokenizer. Letters
/// are nearly all ASCII: it reads them a byte at a time through a table,
/// decoding characters only where a byte starts a longer one; the chain
/// decoded and classified every character, in three stages.
struct EnStem {
    memo: Memo,
    token: Token,
    /// Lower case of a word beyond ASCII, as `LowerCaser` makes it.
    lowered: String,
}

/// Words of this many bytes or more are dropped (`RemoveLongFilter`).
const LONG: usize = 40;

/// What a byte is to the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An ASCII letter or digit.
    Word,
    /// Any other ASCII character: a separator.
    Other,
    /// Part of a character beyond ASCII, to be decoded.
    Wide,
}

static CLASSES: [Class; 256] = {
    let mut classes = [Class::Wide; 256];
    let mut byte = 0;
    while byte < 128 {
        classes[byte] = if (byte as u8).is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        };
        byte += 1;
    }
    classes
};

/// A clone starts with an empty memo: clones serve other threads.
impl Clone for EnStem {
    fn clone(&self) -> Self {
        EnStem {
            memo: Memo::new(self.memo.limit),
            token: Token::default(),
            lowered: String::new(),
        }
    }
}

impl Tokenizer for EnStem {
    type TokenStream<'a> = EnStemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EnStemStream<'a> {
        self.token.reset();
        EnStemStream {
            text,
            next: 0,
            token: &mut self.token,
            memo: &mut self.memo,
            lowered: &mut self.lowered,
        }
    }
}

struct EnStemStream<'a> {
    text: &'a str,
    /// Where the search for the next word starts.
    next: usize,
    token: &'a mut Token,
    memo: &'a mut Memo,
    lowered: &'a mut String,
}

impl EnStemStream<'_> {
    /// The next run of alphanumeric characters: its byte range and
    /// whether it is all ASCII.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let bytes = self.text.as_bytes();
        let mut at = self.next;
        loop {
            while at < bytes.len() && CLASSES[usize::from(bytes[at])] == Class::Other {
                at += 1;
            }
            match self.char_at(at) {
                None => {
                    self.next = at;
                    return None;
                }
                Some((true, _)) => break,
                Some((false, width)) => at += width,
            }
        }
        let start = at;
        let mut ascii = true;
        loop {
            while at < bytes.len() && CLASSES[usize::from(bytes[at])] == Class::Word {
                at += 1;
            }
            match self.char_at(at) {
                Some((true, width)) => {
                    ascii = false;
                    at += width;
                }
                _ => break,
            }
        }
        self.next = at;
        Some((start, at, ascii))
    }

    /// Whether the character at `at` is alphanumeric, and its width; None
    /// at the end of the text.
    fn char_at(&self, at: usize) -> Option<(bool, usize)> {
        let c = self.text.get(at..)?.chars().next()?;
        Some((c.is_alphanumeric(), c.len_utf8()))
    }
}

impl TokenStream for EnStemStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end, ascii)) = self.next_word() {
            // A dropped long word still takes its position.
            self.token.position = self.token.position.wrapping_add(1);
            if end - start >= LONG {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            let word = &self.text[start..end];
            let text = &mut self.token.text;
            text.clear();
            if ascii {
                text.push_str(word);
                text.make_ascii_lowercase();
            } else {
                self.lowered.clear();
                self.lowered
                    .extend(word.chars().flat_map(char::to_lowercase));
                std::mem::swap(text, self.lowered);
            }
            self.memo.stem(text);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// tantivy's stemmer applied to a whole (lowercased) word.
type PlainStemmer = <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>;

struct Memo {
    /// Packed word → packed stem (see `pack`).
    stems: FastMap<u128, u128>,
    stemmer: PlainStemmer,
    limit: usize,
}

impl Memo {
    fn new(limit: usize) -> Memo {
        Memo {
            stems: FastMap::default(),
            stemmer: Stemmer::new(Language::English).transform(RawTokenizer::default()),
            limit,
        }
    }

    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        let Some(key) = pack(word) else {
            // A number is its own stem (the stemmer's rules all read
            // letters); dates and page numbers are many and rarely recur.
            if !word.bytes().all(|b| b.is_ascii_digit()) {
                *word = self.plain(word);
            }
            return;
        };
        if let Some(&stem) = self.stems.get(&key) {
            if stem != key {
                unpack(stem, word);
            }
            return;
        }
        let stem = self.plain(word);
        if let Some(packed) = pack(&stem) {
            if self.stems.len() >= self.limit {
                self.stems.clear();
            }
            self.stems.insert(key, packed);
        }
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

/// A word of one to sixteen bytes, none of them zero, as one number (its
/// bytes, zero-padded): held in the memo's table itself, compared at
/// once. Longer words, and words with digits (dates, case and claim
/// numbers, which rarely recur), are not remembered.
fn pack(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    // Checked and copied in one loop: a slice copy of a few bytes was a
    // call to memmove per token.
    let mut packed = [0; 16];
    for (to, &byte) in packed.iter_mut().zip(bytes) {
        if byte == 0 || byte.is_ascii_digit() {
            return None;
        }
        *to = byte;
    }
    Some(u128::from_le_bytes(packed))
}

/// The word `pack` made `packed` from, into `word`.
fn unpack(packed: u128, word: &mut String) {
    let bytes = packed.to_le_bytes();
    // No byte of a word is zero: the zero bytes at the top are padding.
    let len = bytes.len() - (packed.leading_zeros() / 8) as usize;
    word.clear();
    // A whole string's bytes, so valid UTF-8.
    word.push_str(std::str::from_utf8(&bytes[..len]).unwrap_or_default());
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
