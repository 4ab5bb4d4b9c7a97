//! The `en_stem` analyzer, in one pass and with a memo of word → stem:
//! text → the tokens of tantivy's own `en_stem` (same text, positions and
//! offsets), so indexes and queries are unchanged; it is registered under
//! that name on every index imr creates or opens.
//!
//! Both are hand-written for ingest's speed, measured end to end with
//! `imr-bench --compare` (README, "Hand-written code"): letters repeat a
//! small vocabulary, and remembering stems makes ingest about 23% faster
//! than stemming every word anew; reading ASCII words eight bytes at a
//! time, in one pass rather than tantivy's chain of tokenizer and filters,
//! makes it about 6% faster again (with tantivy's chain and the memo,
//! ingest ran at 0.94× the MB/s).

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
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

/// Where a word ends and what it holds.
struct Word {
    start: usize,
    end: usize,
    /// Its bytes when it is ASCII letters only, at most sixteen of them,
    /// zero-padded: the memo's key. No word holds a zero byte (it is a
    /// separator), so no two words share a key.
    key: Option<u128>,
    /// Whether it is all ASCII (else it is lower-cased by character).
    ascii: bool,
    /// Whether it is all ASCII digits: a number is its own stem.
    number: bool,
}

impl EnStemStream<'_> {
    /// The next run of alphanumeric characters.
    fn next_word(&mut self) -> Option<Word> {
        let start = self.skip_to_word();
        match start < self.text.len() {
            true => Some(self.read_word(start)),
            false => {
                self.next = start;
                None
            }
        }
    }

    /// Where the next word starts, or the end of the text.
    fn skip_to_word(&self) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = self.next;
        loop {
            while at < bytes.len() && CLASSES[usize::from(bytes[at])] == Class::Other {
                at += 1;
            }
            match bytes.get(at).map(|&b| CLASSES[usize::from(b)]) {
                None | Some(Class::Word) => return at,
                _ => match self.char_at(at) {
                    Some((true, _)) => return at,
                    other => at += other.map_or(1, |(_, width)| width),
                },
            }
        }
    }

    /// The word at `start`. An ASCII word, as nearly all are, is read and
    /// packed into the memo's key in one pass.
    fn read_word(&mut self, start: usize) -> Word {
        let bytes = self.text.as_bytes();
        let ascii = AsciiRun::read(bytes, start);
        let mut at = start + ascii.len;
        // Only a character beyond ASCII can carry the word on.
        while at < bytes.len() && CLASSES[usize::from(bytes[at])] == Class::Wide {
            let Some((true, width)) = self.char_at(at) else {
                break;
            };
            at += width;
            while at < bytes.len() && CLASSES[usize::from(bytes[at])] == Class::Word {
                at += 1;
            }
        }
        self.next = at;
        let all_ascii = at == start + ascii.len;
        let len = at - start;
        Word {
            start,
            end: at,
            key: (all_ascii && ascii.digits == 0 && len <= 16).then_some(ascii.packed),
            ascii: all_ascii,
            number: all_ascii && ascii.digits == len,
        }
    }

    /// Whether the character at `at` is alphanumeric, and its width; None
    /// at the end of the text.
    fn char_at(&self, at: usize) -> Option<(bool, usize)> {
        let c = self.text.get(at..)?.chars().next()?;
        Some((c.is_alphanumeric(), c.len_utf8()))
    }

    /// The lower case of `word` into the token's text.
    fn lower(&mut self, word: &Word) {
        let source = &self.text[word.start..word.end];
        let text = &mut self.token.text;
        text.clear();
        if word.ascii {
            text.push_str(source);
            text.make_ascii_lowercase();
        } else {
            self.lowered.clear();
            self.lowered
                .extend(source.chars().flat_map(char::to_lowercase));
            std::mem::swap(text, self.lowered);
        }
    }
}

impl TokenStream for EnStemStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(word) = self.next_word() {
            // A dropped long word still takes its position.
            self.token.position = self.token.position.wrapping_add(1);
            if word.end - word.start >= LONG {
                continue;
            }
            self.token.offset_from = word.start;
            self.token.offset_to = word.end;
            if let Some(key) = word.key
                && self.memo.recall(key, &mut self.token.text)
            {
                return true;
            }
            self.lower(&word);
            if !word.number {
                let stem = self.memo.plain(&self.token.text);
                if let Some(key) = word.key {
                    self.memo.remember(key, &stem);
                }
                self.token.text = stem;
            }
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

/// The ASCII letters and digits from where a word starts.
struct AsciiRun {
    len: usize,
    digits: usize,
    /// The first sixteen of them, zero-padded.
    packed: u128,
}

impl AsciiRun {
    /// Reads eight bytes at a time, where a byte at a time mispredicted
    /// the end of nearly every word: most words end in their first eight.
    fn read(bytes: &[u8], start: usize) -> AsciiRun {
        let mut run = AsciiRun {
            len: 0,
            digits: 0,
            packed: 0,
        };
        loop {
            let x = load(bytes.get(start + run.len..).unwrap_or_default());
            // Bytes before the first that is no ASCII letter or digit.
            let n = (!alnum_bytes(x) & HIGH_BITS).trailing_zeros() as usize / 8;
            run.take(x & low_bytes(n), n);
            if n < 8 {
                return run;
            }
        }
    }

    /// Adds `n` bytes, the low ones of `part`.
    fn take(&mut self, part: u64, n: usize) {
        if self.len < 16 {
            self.packed |= u128::from(part) << (8 * self.len);
        }
        self.digits += (between(part, b'0' - 1, b'9' + 1) & HIGH_BITS).count_ones() as usize;
        self.len += n;
    }
}

/// The first eight bytes of `bytes`; the text's last few padded with
/// zeros, which end a word.
fn load(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => {
            let mut chunk = [0; 8];
            chunk[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(chunk)
        }
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The low `n` bytes of a word (0 to 8).
fn low_bytes(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0)
}

/// The high bit of each byte of `x` that is an ASCII letter or digit.
fn alnum_bytes(x: u64) -> u64 {
    between(x, b'0' - 1, b'9' + 1) | between(x, b'A' - 1, b'Z' + 1) | between(x, b'a' - 1, b'z' + 1)
}

/// The high bit of each byte `b` of `x` with `above < b < below`, for
/// bytes below 0x80 (the others never): byte by byte, no carry or borrow
/// crosses a byte ("has between" of the bit-twiddling hacks).
fn between(x: u64, above: u8, below: u8) -> u64 {
    let low = x & (LOW_BITS * 127);
    (LOW_BITS * (127 + u64::from(below)) - low)
        & !x
        & (low + LOW_BITS * (127 - u64::from(above)))
        & HIGH_BITS
}

/// tantivy's stemmer applied to a whole (lowercased) word.
type PlainStemmer = <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>;

/// Stems of the words met, by the word as the text writes it ("Pain" and
/// "pain" are two entries): a hit costs one lookup and one copy, with no
/// lower-casing. Words with digits (dates, case and claim numbers, which
/// rarely recur) and words over sixteen bytes are not remembered.
struct Memo {
    /// Packed word → where its stem lies in `stems_text`.
    stems: FxHashMap<u128, (usize, usize)>,
    /// The stems, one after another.
    stems_text: String,
    stemmer: PlainStemmer,
    limit: usize,
}

impl Memo {
    fn new(limit: usize) -> Memo {
        Memo {
            stems: FxHashMap::default(),
            stems_text: String::new(),
            stemmer: Stemmer::new(Language::English).transform(RawTokenizer::default()),
            limit,
        }
    }

    /// The remembered stem of the word packed as `key`, into `text`.
    fn recall(&self, key: u128, text: &mut String) -> bool {
        let Some(&(from, to)) = self.stems.get(&key) else {
            return false;
        };
        text.clear();
        text.push_str(&self.stems_text[from..to]);
        true
    }

    /// Remembers `stem` for the word packed as `key`, starting afresh
    /// once `limit` words are held.
    fn remember(&mut self, key: u128, stem: &str) {
        if self.stems.len() >= self.limit {
            self.stems.clear();
            self.stems_text.clear();
        }
        let from = self.stems_text.len();
        self.stems_text.push_str(stem);
        self.stems.insert(key, (from, self.stems_text.len()));
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

    /// Every pair of byte values side by side, in every position: no
    /// carry or borrow crosses a byte.
    #[test]
    fn alnum_bytes_are_ascii_alphanumeric_bytes() {
        for a in 0..=u8::MAX {
            for b in 0..=u8::MAX {
                let bytes = [a, b, a, b, b, a, 0xff, 0];
                let got = alnum_bytes(u64::from_le_bytes(bytes));
                for (k, byte) in bytes.iter().enumerate() {
                    let set = got & (0x80 << (8 * k)) != 0;
                    assert_eq!(set, byte.is_ascii_alphanumeric(), "{bytes:?} at {k}");
                }
                assert_eq!(got & !HIGH_BITS, 0);
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
