//! Sentences: text → where its sentences start, and their spans. Pure.
//! The decision stage uses it to tell a rationale's last sentence from the
//! next title, and excerpts to start and end where a sentence does.
//!
//! A sentence ends at ".", "!" or "?" (with any closing quotes or
//! brackets) followed by white space, unless the word before is an
//! abbreviation ("mg.", "Dr.", "p.o.", a single letter) or the next word
//! starts in lower case.

/// Abbreviations that end with a full stop inside a sentence, lower case.
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "bid", "cap", "caps", "co", "corp", "dr", "etc", "fig", "inc", "jr", "mg",
    "mr", "mrs", "ms", "no", "nos", "pg", "pgs", "pp", "qty", "sr", "st", "tab", "tabs", "tid",
    "vs",
];

/// Byte offsets where the sentences of `text` start: 0, then the first
/// non-space character after each sentence's end.
pub fn starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()).filter_map(|at| ends_at(text, at)),
    );
    starts
}

/// The sentences of `text` as byte ranges without the white space around
/// them, empty ones left out: where `starts` divides it, and also at a
/// blank line, where a paragraph or a list's item ends without its full
/// stop ("… 3 - 6 treatments and\n\nAcupuncture …"). Excerpts quote these.
pub fn spans(text: &str) -> Vec<(usize, usize)> {
    let mut cuts = starts(text);
    for (at, _) in text.match_indices('\n') {
        let rest = text[at + 1..].trim_start_matches([' ', '\t', '\r']);
        if rest.starts_with('\n') {
            cuts.push(text.len() - rest.len());
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let ends = cuts.iter().skip(1).copied().chain([text.len()]);
    cuts.iter()
        .zip(ends)
        .filter_map(|(&a, b)| {
            let piece = &text[a..b];
            let start = a + (piece.len() - piece.trim_start().len());
            let end = a + piece.trim_end().len();
            (start < end).then_some((start, end))
        })
        .collect()
}

/// When the full stop (or "!", "?") at `at` ends a sentence, where the
/// next one starts.
fn ends_at(text: &str, at: usize) -> Option<usize> {
    let after = &text[at + 1..];
    let closers = after.len()
        - after
            .trim_start_matches(['"', '\'', ')', ']', '”', '’'])
            .len();
    let rest = &after[closers..];
    let spaces = rest.len() - rest.trim_start().len();
    if spaces == 0 || spaces == rest.len() {
        return None;
    }
    let next = rest[spaces..].chars().next()?;
    if next.is_lowercase() || (text.as_bytes()[at] == b'.' && is_abbreviation(&text[..at])) {
        return None;
    }
    Some(at + 1 + closers + spaces)
}

/// Whether the word ending `before` (just before a full stop) is an
/// abbreviation: a single letter, a dotted form ("p.o", "e.g") or a
/// listed word.
fn is_abbreviation(before: &str) -> bool {
    let word_start = before
        .rfind(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    // A stop after a quote or bracket ("…anticonvulsants".) ends a sentence.
    if word.is_empty() {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if word.contains('.') || (letters == 1 && word.chars().count() == 1) {
        return true;
    }
    ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let s = starts(text);
        s.iter()
            .zip(s.iter().skip(1).chain([&text.len()]))
            .map(|(&a, &b)| text[a..b].trim_end())
            .collect()
    }

    #[test]
    fn sentences_end_at_stops_before_a_capital() {
        assert_eq!(
            split("It is not medically necessary. Terocin patches #30: Upheld"),
            [
                "It is not medically necessary.",
                "Terocin patches #30: Upheld"
            ]
        );
        assert_eq!(
            split("Page 41 says \"not recommended.\" Therefore, it is not.\nNorco"),
            [
                "Page 41 says \"not recommended.\"",
                "Therefore, it is not.",
                "Norco"
            ]
        );
        assert_eq!(split("Why? Because."), ["Why?", "Because."]);
        assert_eq!(
            split("They are \"not recommended\". The worker (see above). Norco"),
            [
                "They are \"not recommended\".",
                "The worker (see above).",
                "Norco"
            ]
        );
    }

    #[test]
    fn abbreviations_numbers_and_lower_case_do_not_end_one() {
        for text in [
            "Norco 10/325 mg. #90 was the original request.",
            "Seen by Dr. Smith on 7.10.15 for pain.",
            "Take 1 tab p.o. Daily as needed.",
            "Ibuprofen, e.g. Motrin, is an NSAID.",
            "The patient, i.e. the worker, improved.",
            "See ODG vs. ACOEM for the criteria.",
            "It was noted on p. 41 of the guideline.",
            "The dose was lowered. the next visit showed no change.",
        ] {
            assert_eq!(split(text), [text], "{text}");
        }
        assert_eq!(
            split("It is cited on page 41. Norco 10/325mg"),
            ["It is cited on page 41.", "Norco 10/325mg"]
        );
    }

    #[test]
    fn spans_end_at_sentences_and_blank_lines() {
        fn spans(text: &str) -> Vec<&str> {
            super::spans(text)
                .iter()
                .map(|&(a, b)| &text[a..b])
                .collect()
        }
        let cases: &[(&str, &[&str])] = &[
            (
                "The time is 3 - 6 treatments and\n\nAcupuncture may be extended. Dr. Lee agreed",
                &[
                    "The time is 3 - 6 treatments and",
                    "Acupuncture may be extended.",
                    "Dr. Lee agreed",
                ],
            ),
            (
                "  Wrapped over\na line.\n \n\n Next. ",
                &["Wrapped over\na line.", "Next."],
            ),
            (
                "It is not medically necessary.",
                &["It is not medically necessary."],
            ),
            (" \n\n ", &[]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(spans(text), *expected, "{text:?}");
        }
    }
}
