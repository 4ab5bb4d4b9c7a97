//! Decode stage: a letter's raw bytes → clean text. Pure, no I/O.
//!
//! Undoes what PDF extraction and old tooling did to the letters: encodings
//! (UTF-8, UTF-16 with a BOM, Windows-1252), mojibake from double decoding,
//! CRLF, form feeds and the page furniture they bring, the blank line after
//! every line that one extractor writes, and words hyphenated across lines.
//!
//! Lines stay borrowed from the input until a stage has to change one:
//! most letters are copied once, into the clean text.

use std::borrow::Cow;

/// Why bytes could not be decoded as a letter's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotText {
    /// No bytes, or only whitespace.
    Empty,
    /// A PDF file (whatever its name says).
    Pdf,
    /// Binary data: NUL bytes or control characters that text never holds.
    Binary,
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotText::Empty => "empty",
            NotText::Pdf => "a PDF",
            NotText::Binary => "not text (binary)",
        })
    }
}

/// Bytes → clean text, or why these bytes are not a letter's text.
pub fn decode(bytes: &[u8]) -> Result<String, NotText> {
    if bytes.starts_with(b"%PDF-") {
        return Err(NotText::Pdf);
    }
    let text = to_unicode(bytes)?;
    let text = clean(&text);
    if text.trim().is_empty() {
        return Err(NotText::Empty);
    }
    Ok(text)
}

/// Text extracted from a PDF → clean text, joining words at line-end
/// hyphens as pdftotext does, so that a PDF and its pdftotext twin read
/// the same.
pub fn clean_pdf_text(text: &str) -> String {
    static HYPHEN_BREAK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"-[ \t]*\r?\n([a-z0-9])").expect("valid regex")
    });
    clean(&HYPHEN_BREAK.replace_all(text, "$1"))
}

/// Text already in Unicode → clean text.
pub fn clean(text: &str) -> String {
    let text = fix_mojibake(text);
    let text = if has_byte(&text, b'\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    let lines = undouble(&text);
    let lines = remove_page_furniture(&lines, has_byte(&text, 0x0c));
    let lines = join_split_paragraphs(&lines);
    let lines = rejoin_hyphenated(lines);
    let mut out = String::with_capacity(text.len() + 1);
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    if lines.is_empty() {
        out.push('\n');
    }
    out
}

fn to_unicode(bytes: &[u8]) -> Result<Cow<'_, str>, NotText> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return to_unicode(rest);
    }
    if let Some(text) = utf16(bytes) {
        return check_textual(Cow::Owned(text));
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NotText::Empty);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| cp1252(b)).collect()),
    };
    check_textual(text)
}

fn utf16(bytes: &[u8]) -> Option<String> {
    let (le, rest) = if let Some(r) = bytes.strip_prefix(b"\xFF\xFE") {
        (true, r)
    } else if let Some(r) = bytes.strip_prefix(b"\xFE\xFF") {
        (false, r)
    } else {
        return None;
    };
    let units = rest.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Whether `text` holds the ASCII `byte`: a vectorised search, where std's
/// `contains` reads a word at a time (four scans of each letter were 1.2%
/// of ingest).
fn has_byte(text: &str, byte: u8) -> bool {
    memchr::memchr(byte, text.as_bytes()).is_some()
}

/// Rejects text with NULs or many control characters: a letter has neither.
fn check_textual(text: Cow<'_, str>) -> Result<Cow<'_, str>, NotText> {
    if has_byte(&text, 0) || control_chars(&text) * 100 > text.len().max(1) {
        return Err(NotText::Binary);
    }
    if text.trim().is_empty() {
        return Err(NotText::Empty);
    }
    Ok(text)
}

/// Control characters other than line layout (tab, line and page breaks),
/// counted on the UTF-8 bytes: C0 and DEL are single bytes, C1 is 0xC2
/// followed by 0x80–0x9F.
fn control_chars(text: &str) -> usize {
    // Without short-circuits, so that the compiler can run it many bytes
    // at a time.
    let is_c0 = |b: u8| {
        ((b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c)) | (b == 0x7f)
    };
    // A byte-wide count per 128 bytes.
    let c0: usize = text
        .as_bytes()
        .chunks(128)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(is_c0(b)))))
        .sum();
    if text.is_ascii() {
        return c0;
    }
    // Each 0xC2 found by a vectorised search, not every pair of bytes
    // compared: letters hold many (® is 0xC2 0xAE) but no C1 control.
    let bytes = text.as_bytes();
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&at| bytes.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b)))
        .count();
    c0 + c1
}

/// Windows-1252's characters at 0x80–0x9F; other bytes are Latin-1.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The byte a character came from when UTF-8 was misread as Windows-1252.
fn cp1252_byte(c: char) -> Option<u8> {
    match u32::from(c) {
        n @ (0x80..=0xFF) => u8::try_from(n).ok(),
        _ => CP1252_HIGH
            .iter()
            .position(|&h| h == c)
            .and_then(|i| u8::try_from(i + 0x80).ok()),
    }
}

/// "FlexerilÂ®" → "Flexeril®": re-reads runs that are UTF-8 bytes
/// decoded one byte at a time.
fn fix_mojibake(text: &str) -> Cow<'_, str> {
    // Mojibake starts with a UTF-8 lead byte read as Latin-1 (Â … ô), all
    // of which UTF-8 writes as 0xC3 and a second byte.
    let Some(first) = next_lead(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(at) = next_lead(rest) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (c, used) = mojibake_at(rest).unwrap_or_else(|| {
            let c = rest.chars().next().unwrap_or_default();
            (c, c.len_utf8())
        });
        out.push(c);
        rest = &rest[used..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Where the next of Â … ô (U+00C2–U+00F4: 0xC3 0x82–0xB4) starts.
fn next_lead(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // A vectorised search for each 0xC3: most texts have none at all.
    memchr::memchr_iter(0xC3, bytes)
        .find(|&at| bytes.get(at + 1).is_some_and(|b| (0x82..=0xB4).contains(b)))
}

/// The character whose UTF-8 bytes, read one at a time as Windows-1252,
/// start `text`, and the length of that reading.
fn mojibake_at(text: &str) -> Option<(char, usize)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let lead = cp1252_byte(first)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    let mut used = first.len_utf8();
    for slot in bytes.iter_mut().take(len).skip(1) {
        let c = chars.next()?;
        *slot = cp1252_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        used += c.len_utf8();
    }
    let s = std::str::from_utf8(&bytes[..len]).ok()?;
    s.chars().next().map(|c| (c, used))
}

/// Lines with trailing space trimmed; the blank line that one extractor
/// writes after every line removed (a run of 2k+1 empty lines keeps k).
fn undouble(text: &str) -> Vec<&str> {
    let raw: Vec<&str> = split_lines(text).collect();
    let nonempty = raw.iter().filter(|l| !l.is_empty()).count();
    let followed = raw
        .windows(2)
        .filter(|w| !w[0].is_empty() && w[1].is_empty())
        .count();
    let doubled = nonempty >= 3 && followed * 10 >= nonempty * 8;
    let mut out = Vec::with_capacity(raw.len());
    let mut empties = 0;
    for line in raw {
        if line.is_empty() {
            empties += 1;
            continue;
        }
        let keep = if doubled { empties / 2 } else { empties };
        out.extend(std::iter::repeat_n("", keep));
        empties = 0;
        out.push(line.trim_end());
    }
    out
}

/// `text.split('\n')`, finding the line feeds many bytes at a time.
pub(crate) fn split_lines(text: &str) -> SplitLines<'_> {
    SplitLines {
        text,
        start: Some(0),
        feeds: memchr::memchr_iter(b'\n', text.as_bytes()),
    }
}

/// `str::lines` by `split_lines`: no last empty line, and a line feed's
/// `\r` dropped.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let (body, last) = match text.rsplit_once('\n') {
        Some((body, last)) => (Some(body), last),
        None => (None, text),
    };
    body.into_iter()
        .flat_map(split_lines)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .chain((!last.is_empty()).then_some(last))
}

pub(crate) struct SplitLines<'t> {
    text: &'t str,
    start: Option<usize>,
    feeds: memchr::Memchr<'t>,
}

impl<'t> Iterator for SplitLines<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let start = self.start?;
        let end = self.feeds.next();
        self.start = end.map(|e| e + 1);
        self.text.get(start..end.unwrap_or(self.text.len()))
    }
}

fn is_page_number(line: &str) -> bool {
    // Most lines fail here, without splitting.
    let Some(rest) = line.trim_start().strip_prefix("Page") else {
        return false;
    };
    let mut words = rest.split_whitespace();
    if !rest.starts_with(char::is_whitespace) || !words.next().is_some_and(is_num) {
        return false;
    }
    match (words.next(), words.next(), words.next()) {
        (None, _, _) => true,
        (Some("of"), Some(m), None) => is_num(m),
        _ => false,
    }
}

/// Words separated by single spaces: every run of whitespace (newlines
/// included) becomes one space, and the ends are trimmed.
pub(crate) fn squeeze_space(text: &str) -> String {
    let mut words = Words::with_capacity(text.len());
    // A line at a time: most lines are already squeezed and copied whole,
    // where a text of several lines was read a byte at a time.
    for line in split_lines(text) {
        words.push(line);
    }
    words.finish()
}

/// Lines joined with single spaces; paragraphs (split by empty lines) kept,
/// one blank line apart.
pub(crate) fn normalize_space(text: &str) -> String {
    let mut words = Words::with_capacity(text.len());
    for line in split_lines(text) {
        words.push_line(line);
    }
    words.finish()
}

/// Text built a word at a time: one space between words, one blank line
/// between paragraphs, nothing at the ends.
pub(crate) struct Words {
    out: String,
    gap: &'static str,
}

impl Words {
    pub(crate) fn with_capacity(capacity: usize) -> Words {
        Words {
            out: String::with_capacity(capacity),
            gap: " ",
        }
    }

    /// Appends the words of `text`.
    pub(crate) fn push(&mut self, text: &str) {
        // Spaces at the ends go in any case: without them, the lines of
        // layouts that indent every line are copied whole too.
        let text = text.trim_matches(' ');
        if is_squeezed(text) {
            // Most lines: words already one space apart, copied whole.
            self.word(text);
        } else if text.is_ascii() {
            self.push_ascii(text);
        } else {
            text.split_whitespace().for_each(|w| self.word(w));
        }
    }

    /// `push` for ASCII text, a byte at a time rather than a character.
    fn push_ascii(&mut self, text: &str) {
        let mut start = None;
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            // Whitespace as `char::is_whitespace` reads ASCII: with the
            // vertical tab, which `u8::is_ascii_whitespace` leaves out.
            let space = matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
            match (space, start) {
                (true, Some(from)) => {
                    self.word(&text[from..at]);
                    start = None;
                }
                (false, None) => start = Some(at),
                _ => {}
            }
        }
        if let Some(from) = start {
            self.word(&text[from..]);
        }
    }

    /// Appends a line: an empty one ends the paragraph.
    pub(crate) fn push_line(&mut self, line: &str) {
        if line.is_empty() {
            self.gap = "\n\n";
        } else {
            self.push(line);
        }
    }

    fn word(&mut self, word: &str) {
        if !self.out.is_empty() {
            self.out.push_str(self.gap);
        }
        self.gap = " ";
        self.out.push_str(word);
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Non-empty ASCII with single spaces between words and none at the ends:
/// already what `Words` makes of it.
fn is_squeezed(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Without early exits the scan runs many bytes at a time.
    let odd = bytes.iter().fold(false, |odd, &b| {
        // Tab, line feed, vertical tab, form feed, carriage return; non-ASCII.
        odd | (b.wrapping_sub(9) < 5) | (b >= 0x80)
    });
    // Two spaces in a row, as the same kind of scan over byte pairs:
    // `contains("  ")` set up a substring search for each line.
    let double = bytes
        .iter()
        .zip(bytes.iter().skip(1))
        .fold(false, |double, (&a, &b)| double | (a == b' ' && b == b' '));
    !odd && !double && !bytes.is_empty() && bytes[0] != b' ' && bytes[bytes.len() - 1] != b' '
}

fn is_num(s: &str) -> bool {
    !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A line that only names the case: "CM13-0046424", "IMR Case Number: CM13-0046424".
fn is_case_header(line: &str) -> bool {
    let t = line.trim();
    let t = t
        .strip_prefix("IMR Case Number:")
        .or_else(|| t.strip_prefix("Case Number:"))
        .unwrap_or(t)
        .trim();
    is_case_number(t)
}

/// A case number anywhere in a text: page furniture here, the cover's
/// case number in `letter`.
pub(crate) static CASE_NUMBER: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\bCM\d{2}-\d{5,7}\b").expect("valid regex"));

/// "CM13-0046424": CM, the year opened, a serial number.
pub fn is_case_number(s: &str) -> bool {
    CASE_NUMBER
        .find(s)
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

/// Drops form feeds and what page breaks bring: "Page 2 of 4", a case
/// number or a header repeated at the top or bottom of pages.
fn remove_page_furniture<'t>(lines: &[&'t str], paged: bool) -> Vec<Cow<'t, str>> {
    let pages = if paged {
        split_pages(lines)
    } else {
        vec![lines.to_vec()]
    };
    let repeated = repeated_edges(&pages);
    let many = pages.len() > 1;
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for (n, page) in pages.into_iter().enumerate() {
        let lines = trim_furniture(page, &repeated, many && n > 0);
        if n > 0 && !lines.is_empty() {
            join_across_break(&mut out, lines[0]);
        }
        out.extend(lines);
    }
    out.into_iter()
        .filter(|l| !is_page_number(l))
        .map(strip_inline_page_number)
        .collect()
}

/// Lines → pages, at the form feeds inside them.
fn split_pages<'t>(lines: &[&'t str]) -> Vec<Vec<&'t str>> {
    let mut pages: Vec<Vec<&str>> = vec![Vec::new()];
    for line in lines {
        // Most lines have none: a vectorised search says so fastest.
        if memchr::memchr(0x0c, line.as_bytes()).is_none() {
            push_line(&mut pages, line);
            continue;
        }
        let mut parts = line.split('\u{c}');
        if let Some(first) = parts.next() {
            push_line(&mut pages, first);
        }
        for part in parts {
            pages.push(Vec::new());
            push_line(&mut pages, part);
        }
    }
    pages
}

fn push_line<'t>(pages: &mut [Vec<&'t str>], text: &'t str) {
    if let Some(page) = pages.last_mut() {
        page.push(text.trim_end());
    }
}

/// Lines at a page's first or last non-blank position that recur on other
/// pages: running headers and footers.
fn repeated_edges<'t>(pages: &[Vec<&'t str>]) -> Vec<&'t str> {
    // One page has two edges: nothing can recur three times.
    if pages.len() < 2 {
        return Vec::new();
    }
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for page in pages {
        let mut nonblank = page.iter().filter(|l| !l.trim().is_empty());
        let first = nonblank.next();
        // A page of one line has one edge, counted once.
        let edges = [first, nonblank.next_back()];
        for &line in edges.into_iter().flatten() {
            match seen.iter_mut().find(|(l, _)| *l == line) {
                Some((_, count)) => *count += 1,
                None => seen.push((line, 1)),
            }
        }
    }
    seen.into_iter()
        .filter(|(l, count)| *count >= 3 && l.len() < 120 && !is_decision_line(l) && !runs_on(l))
        .map(|(l, _)| l)
        .collect()
}

/// A line that starts in lower case ("necessary.") ends a sentence begun
/// on the page before: text, however often a page break lands before it.
fn runs_on(line: &str) -> bool {
    line.trim_start().starts_with(|c: char| c.is_lowercase())
}

/// Lines that recur because every decision has them ("Upheld", "Decision
/// rationale: …"), which a page edge can catch as often as a header.
fn is_decision_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_end_matches([':', '.'])
        .to_ascii_lowercase();
    matches!(t.as_str(), "upheld" | "overturned" | "uphold" | "overturn")
        || [
            "claims administrator guideline",
            "maximus guideline",
            "decision rationale",
        ]
        .iter()
        .any(|label| t.starts_with(label))
}

fn trim_furniture<'t>(mut page: Vec<&'t str>, repeated: &[&str], head: bool) -> Vec<&'t str> {
    let is_furniture = |l: &&str| {
        let t = l.trim();
        t.is_empty() || is_page_number(t) || repeated.contains(l)
    };
    while page
        .last()
        .is_some_and(|l| is_furniture(l) || is_case_header(l))
    {
        page.pop();
    }
    if head {
        let cut = page
            .iter()
            .take_while(|l| is_furniture(l) || is_case_header(l))
            .count();
        page.drain(..cut);
    }
    page
}

/// At a page break, keeps one blank line only where the text before it
/// ended a sentence; a sentence cut by the break runs on.
fn join_across_break(out: &mut Vec<&str>, next: &str) {
    let continues = out.last().is_some_and(|prev| !ends_sentence(prev)) && !is_heading(next);
    if !continues && out.last().is_some_and(|l| !l.is_empty()) {
        out.push("");
    }
}

fn strip_inline_page_number(line: &str) -> Cow<'_, str> {
    static PAGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\s*\bPage \d{1,3} of \d{1,3}\b\s*").unwrap()
    });
    // A searcher built once: `contains` built one for every line.
    static PAGE_WORD: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("Page "));
    if PAGE_WORD.find(line.as_bytes()).is_none() {
        return Cow::Borrowed(line);
    }
    match PAGE.replace_all(line, " ") {
        Cow::Borrowed(_) => Cow::Borrowed(line),
        Cow::Owned(s) => Cow::Owned(s.trim_end().to_owned()),
    }
}

pub(crate) fn ends_sentence(line: &str) -> bool {
    let t = line.trim_end();
    t.is_empty() || t.ends_with(['.', '!', '?', ':', '"', '”']) || is_heading(t)
}

/// An upper-case line such as "CLINICAL CASE SUMMARY".
pub(crate) fn is_heading(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 8
        && t.chars().any(|c| c.is_alphabetic())
        && !t.chars().any(|c| c.is_lowercase())
        && t.chars().filter(|c| c.is_alphabetic()).count() * 2 > t.len()
}

/// A blank line inside a sentence (the previous line runs on into a lower
/// case word) is a page break's residue, not a paragraph break.
fn join_split_paragraphs<'t>(lines: &[Cow<'t, str>]) -> Vec<Cow<'t, str>> {
    let mut out: Vec<Cow<str>> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.is_empty() {
            let next = lines[i..].iter().find(|l| !l.is_empty());
            let prev = out.iter().rev().find(|l| !l.is_empty());
            let runs_on = match (prev, next) {
                (Some(p), Some(n)) => {
                    !ends_sentence(p) && n.trim_start().starts_with(|c: char| c.is_lowercase())
                }
                _ => false,
            };
            let blank_before = out.last().is_some_and(|l| l.is_empty());
            if !runs_on && !blank_before && !out.is_empty() {
                out.push(Cow::Borrowed(""));
            }
        } else {
            out.push(line.clone());
        }
        i += 1;
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Prefixes whose hyphen is part of the word ("post-laminectomy").
const HYPHEN_PREFIXES: &[&str] = &[
    "anti", "co", "cross", "de", "ex", "extra", "first", "follow", "high", "inter", "intra",
    "long", "low", "mid", "multi", "non", "one", "over", "peer", "post", "pre", "re", "self",
    "semi", "short", "sub", "three", "two", "under", "well", "x",
];

/// "medica-\ntion" → "medication"; "post-\nlaminectomy" → "post-laminectomy".
fn rejoin_hyphenated(mut lines: Vec<Cow<'_, str>>) -> Vec<Cow<'_, str>> {
    for i in 0..lines.len().saturating_sub(1) {
        let Some(stem) = lines[i].strip_suffix('-') else {
            continue;
        };
        let left = stem
            .rsplit(|c: char| !c.is_alphabetic() && c != '-')
            .next()
            .unwrap_or("");
        let next = lines[i + 1].trim_start();
        let right_len = next
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(next.len());
        let right = &next[..right_len];
        if left.is_empty() || !right.starts_with(|c: char| c.is_lowercase()) {
            continue;
        }
        let keep = left.contains('-') || HYPHEN_PREFIXES.contains(&left.to_lowercase().as_str());
        let joined = if keep {
            format!("{}-{right}", stem)
        } else {
            format!("{stem}{right}")
        };
        let rest = next[right_len..].trim_start().to_owned();
        lines[i] = Cow::Owned(joined);
        lines[i + 1] = Cow::Owned(rest);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_labels_at_page_edges_are_not_headers() {
        let block = "Claims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS.\nDecision rationale: Not medically necessary.\n";
        let text = format!(
            "IMR ISSUES, DECISIONS AND RATIONALES\nNorco 10/325mg #90:\nUpheld\n\u{c}{block}Soma 350mg #60:\n\u{c}Upheld\n{block}Xanax 1mg #30:\n\u{c}Upheld\n{block}"
        );
        let clean = clean(&text);
        assert_eq!(clean.matches("Upheld").count(), 3, "{clean}");
        assert_eq!(clean.matches("Claims Administrator guideline").count(), 3);
    }

    #[test]
    fn a_sentence_ending_after_page_breaks_keeps_its_last_line() {
        let block = "Claims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS.\nDecision rationale: It is not medically\n";
        let text = format!(
            "IMR ISSUES, DECISIONS AND RATIONALES\nNorco: Upheld\n{block}\u{c}necessary.\nSoma: Upheld\n{block}\u{c}necessary.\nXanax: Upheld\n{block}\u{c}necessary.\n\u{c}"
        );
        let clean = clean(&text);
        assert_eq!(
            clean.matches("medically\nnecessary.\n").count(),
            3,
            "{clean}"
        );
    }

    /// Every text of up to `n` of `pieces`, with `seeds`.
    fn all_texts(seeds: &[&str], pieces: &[&str], n: usize) -> Vec<String> {
        let mut texts: Vec<String> = seeds.iter().map(|&s| s.to_owned()).collect();
        let mut last = vec![String::new()];
        for _ in 0..n {
            last = last
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        texts
    }

    #[test]
    fn control_chars_are_what_char_calls_control() {
        // C0, DEL and C1 among the line layout they must not count, and
        // characters whose UTF-8 starts as C1 does or lies beside it
        // (U+00A0, ®, Ã).
        let pieces = [
            "a", "\n", "\t", "\r", "\x0c", "\0", "\x1f", "\x7f", "\u{80}", "\u{85}", "\u{9f}",
            "\u{a0}", "®", "Ã",
        ];
        let texts = all_texts(&[], &pieces, 4);
        assert_eq!(texts.len(), 14 + 196 + 2744 + 38_416);
        for text in &texts {
            let layout = |c: &char| matches!(c, '\n' | '\r' | '\t' | '\x0c');
            let expected = text
                .chars()
                .filter(|c| c.is_control() && !layout(c))
                .count();
            assert_eq!(control_chars(text), expected, "{text:?}");
        }
    }

    #[test]
    fn squeeze_space_matches_split_whitespace() {
        let seeds = [
            "",
            "  ",
            "a",
            " Page  2\n of\t4 ",
            "\x0bword\x0b\x0c next\r\n",
            "caf\u{e9}\u{a0} na\u{ef}ve\u{2003}x ",
        ];
        // Every text of up to four of these, ASCII or not.
        let pieces = [
            "a", "bc", " ", "\t", "\n", "\x0b", "\x0c", "\r", "\u{a0}", "\u{85}",
        ];
        let texts = all_texts(&seeds, &pieces, 4);
        assert_eq!(texts.len(), 6 + 10 + 100 + 1000 + 10_000);
        for text in &texts {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(squeeze_space(text), words.join(" "), "{text:?}");
        }
    }

    #[test]
    fn line_splitting_matches_std() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\n\n",
            "\na\r\nb\r",
            "a\r\n\r\nb\n",
            "\r",
        ] {
            let split: Vec<&str> = split_lines(text).collect();
            assert_eq!(split, text.split('\n').collect::<Vec<_>>(), "{text:?}");
            let lines: Vec<&str> = lines(text).collect();
            assert_eq!(lines, text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn windows_1252_and_crlf() {
        let bytes = b"Flexeril\xae is \x93not\x94 recommended \x96 see page 41.\r\nNext line.\r\n";
        assert_eq!(
            decode(bytes).unwrap(),
            "Flexeril® is “not” recommended – see page 41.\nNext line.\n"
        );
    }

    #[test]
    fn double_decoded_utf8_is_repaired() {
        assert_eq!(clean("FlexerilÂ® and donâ€™t"), "Flexeril® and don’t\n");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Terocin: Upheld\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Terocin: Upheld\n");
    }

    #[test]
    fn not_text() {
        assert_eq!(decode(b""), Err(NotText::Empty));
        assert_eq!(decode(b"  \n\t\n"), Err(NotText::Empty));
        assert_eq!(decode(b"%PDF-1.5\n..."), Err(NotText::Pdf));
        assert_eq!(decode(b"abc\0\0def"), Err(NotText::Binary));
    }

    #[test]
    fn blank_line_after_every_line_is_collapsed() {
        let text = "First line \n\nsecond line. \n\n \n\nNew paragraph \n\n";
        assert_eq!(clean(text), "First line\nsecond line.\n\nNew paragraph\n");
    }

    #[test]
    fn page_break_inside_a_sentence_runs_on() {
        let text =
            "the request for acupuncture is\n\nPage 2 of 4\n\u{c}\nnot medically necessary.\n";
        assert_eq!(
            clean(text),
            "the request for acupuncture is\nnot medically necessary.\n"
        );
    }

    #[test]
    fn repeated_case_number_header_is_removed() {
        let text = "CM13-0046424\nIntro.\n\u{c}CM13-0046424\nMiddle of a\n\u{c}CM13-0046424\nsentence ends.\n";
        assert_eq!(
            clean(text),
            "CM13-0046424\nIntro.\n\nMiddle of a\nsentence ends.\n"
        );
    }

    #[test]
    fn page_number_inside_a_title_is_removed() {
        assert_eq!(
            clean("RETROSPECTIVE REQUEST FOR Page 2 of 3 FEXMID: Upheld\n"),
            "RETROSPECTIVE REQUEST FOR FEXMID: Upheld\n"
        );
    }

    #[test]
    fn hyphenation_rejoined_where_safe() {
        assert_eq!(
            clean("the medica-\ntion was stopped; lumbar post-\nlaminectomy syndrome\n"),
            "the medication\nwas stopped; lumbar post-laminectomy\nsyndrome\n"
        );
        assert_eq!(clean("Page(s): 111-\n113.\n"), "Page(s): 111-\n113.\n");
    }
}
