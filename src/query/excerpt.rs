//! Excerpts: a rationale and the byte ranges a query highlights in it →
//! whole sentences around them, to quote; or, when the query matched no
//! word of it, the rationale's conclusion. Pure. Sentences start and end
//! where `crate::sentence::spans` says.

use crate::sentence;

/// About how many characters an excerpt holds: two or three sentences.
const BUDGET: usize = 300;

/// The most characters of one sentence an excerpt keeps: a sentence
/// longer than the budget is kept whole up to this, and cut at a word
/// only beyond it (a rationale without full stops is one "sentence").
const MAX_SENTENCE: usize = 900;

/// Between sentences that are not adjacent in the text.
const GAP: &str = " … ";

/// Whole sentences of `text` holding the highlighted ranges (byte ranges
/// into `text`), about 300 characters: the sentence with the most
/// highlights first chosen, then further matching sentences (and, if room,
/// neighbours) while the total stays within about 300 characters; always
/// at least one whole sentence; sentences kept in text order, joined with a
/// single space (or " … " between sentences that are not adjacent).
/// Returns the excerpt and the highlight ranges rebased onto it. None when
/// `highlights` is empty.
pub fn around(text: &str, highlights: &[(usize, usize)]) -> Option<(String, Vec<(usize, usize)>)> {
    let highlights: Vec<(usize, usize)> = highlights
        .iter()
        .copied()
        .filter(|&(a, b)| {
            a < b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b)
        })
        .collect();
    let spans = sentence::spans(text);
    let counts: Vec<usize> = spans
        .iter()
        .map(|&(a, b)| highlights.iter().filter(|h| a <= h.0 && h.0 < b).count())
        .collect();
    // The most highlights; the earliest among equals.
    let best = (0..spans.len())
        .filter(|&i| counts[i] > 0)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))?;
    let mut chosen = vec![best];
    let mut matching: Vec<usize> = (0..spans.len())
        .filter(|&i| i != best && counts[i] > 0)
        .collect();
    matching.sort_by_key(|&i| (std::cmp::Reverse(counts[i]), i));
    for i in matching {
        add_if_room(text, &spans, &mut chosen, i);
    }
    // Neighbours, nearest first, the next sentence (which often gives the
    // reason) before the previous one; until none fits.
    loop {
        let mut next: Vec<usize> = chosen
            .iter()
            .flat_map(|&i| [i + 1, i.wrapping_sub(1)])
            .filter(|&j| j < spans.len() && !chosen.contains(&j))
            .collect();
        next.sort_by_key(|&j| (j.abs_diff(best), j < best));
        next.dedup();
        if !next
            .into_iter()
            .any(|j| add_if_room(text, &spans, &mut chosen, j))
        {
            break;
        }
    }
    chosen.sort_unstable();
    if let [only] = chosen[..]
        && chars(text, spans[only]) > MAX_SENTENCE
    {
        return Some(cut_around(text, spans[only], &highlights));
    }
    let mut excerpt = String::new();
    let mut rebased = Vec::new();
    for (k, &i) in chosen.iter().enumerate() {
        if k > 0 {
            excerpt.push_str(if chosen[k - 1] + 1 == i { " " } else { GAP });
        }
        let (a, b) = spans[i];
        let base = excerpt.len();
        excerpt.push_str(&text[a..b]);
        rebased.extend(
            highlights
                .iter()
                .filter(|h| a <= h.0 && h.0 < b)
                .map(|&(s, e)| (s - a + base, e.min(b) - a + base)),
        );
    }
    rebased.sort_unstable();
    rebased.dedup();
    Some((excerpt, rebased))
}

/// The rationale's conclusion, for hits whose query matched no rationale
/// words: its last sentences, the ones that give the reason — the closing
/// "Therefore, the request … is not medically necessary." and the
/// sentence(s) before it — within about 300 characters; at least the last
/// sentence; never the item.
pub fn conclusion(text: &str) -> String {
    let spans = sentence::spans(text);
    let Some(last) = spans.len().checked_sub(1) else {
        return String::new();
    };
    let mut first = last;
    while first > 0 && chars(text, (spans[first - 1].0, spans[last].1)) <= BUDGET {
        first -= 1;
    }
    let (a, b) = (spans[first].0, spans[last].1);
    if chars(text, (a, b)) <= MAX_SENTENCE {
        return joined(text, &spans[first..=last]);
    }
    // One sentence too long to quote: its end, which concludes.
    let from = word_after(text, char_back(text, b, MAX_SENTENCE).max(a));
    format!("…{}", &text[from..b])
}

/// Adds sentence `i` to `chosen` when the excerpt stays within the
/// budget; whether it did.
fn add_if_room(text: &str, spans: &[(usize, usize)], chosen: &mut Vec<usize>, i: usize) -> bool {
    chosen.push(i);
    let mut sorted = chosen.clone();
    sorted.sort_unstable();
    let picked: Vec<(usize, usize)> = sorted.iter().map(|&k| spans[k]).collect();
    let length: usize = picked.iter().map(|&s| chars(text, s)).sum::<usize>()
        + sorted
            .windows(2)
            .map(|w| if w[0] + 1 == w[1] { 1 } else { 3 })
            .sum::<usize>();
    if length <= BUDGET {
        return true;
    }
    chosen.pop();
    false
}

/// Adjacent sentences joined by a single space.
fn joined(text: &str, spans: &[(usize, usize)]) -> String {
    spans
        .iter()
        .map(|&(a, b)| &text[a..b])
        .collect::<Vec<_>>()
        .join(" ")
}

fn chars(text: &str, (a, b): (usize, usize)) -> usize {
    text[a..b].chars().count()
}

/// A sentence longer than `MAX_SENTENCE` characters, cut at words to that
/// length around its first highlight, with "…" where it was cut.
fn cut_around(
    text: &str,
    (a, b): (usize, usize),
    highlights: &[(usize, usize)],
) -> (String, Vec<(usize, usize)>) {
    let first = highlights
        .iter()
        .filter(|h| a <= h.0 && h.0 < b)
        .map(|h| h.0)
        .min()
        .unwrap_or(a);
    // From the sentence's start when the highlight lies in its first
    // part; else from a word a third of the length before it.
    let from = if chars(text, (a, first)) < MAX_SENTENCE * 2 / 3 {
        a
    } else {
        word_after(text, char_back(text, first, MAX_SENTENCE / 3))
    };
    let to = word_before(text, char_forward(text, from, MAX_SENTENCE).min(b), from);
    let (lead, tail) = (
        if from > a { "…" } else { "" },
        if to < b { "…" } else { "" },
    );
    let excerpt = format!("{lead}{}{tail}", &text[from..to]);
    let rebased = highlights
        .iter()
        .filter(|h| from <= h.0 && h.1 <= to)
        .map(|&(s, e)| (s - from + lead.len(), e - from + lead.len()))
        .collect();
    (excerpt, rebased)
}

/// The byte offset `n` characters before `at` (or 0).
fn char_back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` (or the end).
fn char_forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// The start of the first word at or after `at`.
fn word_after(text: &str, at: usize) -> usize {
    if at == 0 || text[..at].ends_with(char::is_whitespace) {
        return at;
    }
    match text[at..].find(char::is_whitespace) {
        Some(space) => {
            let rest = &text[at + space..];
            at + space + (rest.len() - rest.trim_start().len())
        }
        None => at,
    }
}

/// The end of the last word that ends at or before `at`, after `from`.
fn word_before(text: &str, at: usize, from: usize) -> usize {
    if at == text.len() || text[at..].starts_with(char::is_whitespace) {
        return at;
    }
    match text[from..at].rfind(char::is_whitespace) {
        Some(space) => from + text[from..from + space].trim_end().len(),
        None => at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// The ranges of `text` where `words` occur, in order.
    fn marks(text: &str, words: &[&str]) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = words
            .iter()
            .flat_map(|w| text.match_indices(w).map(|(i, m)| (i, i + m.len())))
            .collect();
        ranges.sort_unstable();
        ranges
    }

    /// The highlighted pieces of an excerpt.
    fn shown(excerpt: &str, ranges: &[(usize, usize)]) -> Vec<String> {
        ranges
            .iter()
            .map(|&(a, b)| excerpt[a..b].to_owned())
            .collect()
    }

    /// (name, text, words highlighted, excerpt, its highlighted words)
    type Case<'a> = (&'a str, &'a str, &'a [&'a str], &'a str, &'a [&'a str]);

    const LONG_A: &str = "The injured worker has been treated with physical therapy, acupuncture, \
        chiropractic care and several courses of oral anti-inflammatory medication since the date of injury.";
    const LONG_B: &str = "The guidelines recommend topical analgesics only as an option for \
        neuropathic pain when trials of antidepressants and anticonvulsants have failed to help.";
    const LONG_C: &str = "The treating physician documents ongoing pain at seven out of ten, \
        with no objective measure of functional improvement recorded at any of the recent visits.";

    #[test]
    fn excerpts_are_whole_sentences_around_the_highlights() {
        let three = format!("{LONG_A} {LONG_B} {LONG_C}");
        let far = format!("{LONG_A} {LONG_B} {LONG_C} Lidoderm is not medically necessary.");
        let short = "No trial of first-line agents is documented. Dr. Smith prescribed \
            Lidoderm 5% patches. Therefore, Lidoderm is not medically necessary.";
        let dosed = "Norco 10/325 mg. #90 was prescribed by Dr. Lee to be taken p.o. Every six \
            hours for the flare of low back pain that followed the lifting injury at work.";
        let cases: &[Case] = &[
            // A match in the middle sentence of three: that sentence.
            (
                "middle",
                &three,
                &["antidepressants"],
                LONG_B,
                &["antidepressants"],
            ),
            // Two matching sentences far apart: " … " between them.
            (
                "far apart",
                &far,
                &["acupuncture", "Lidoderm"],
                &format!("{LONG_A} … Lidoderm is not medically necessary."),
                &["acupuncture", "Lidoderm"],
            ),
            // Short sentences: the neighbours too, joined by a space.
            (
                "neighbours",
                short,
                &["Smith"],
                "No trial of first-line agents is documented. Dr. Smith prescribed \
                 Lidoderm 5% patches. Therefore, Lidoderm is not medically necessary.",
                &["Smith"],
            ),
            // "mg.", "p.o." and "Dr." end no sentence.
            (
                "abbreviations",
                &format!("{LONG_A} {dosed} {LONG_C}"),
                &["Lee"],
                dosed,
                &["Lee"],
            ),
        ];
        for (name, text, words, excerpt, highlighted) in cases {
            let (got, ranges) = around(text, &marks(text, words)).unwrap();
            assert_eq!(got, *excerpt, "{name}");
            assert_eq!(shown(&got, &ranges), *highlighted, "{name}");
        }
    }

    #[test]
    fn highlights_are_rebased_exactly() {
        let text = format!("{LONG_A} {LONG_B} {LONG_C} Lidoderm is not medically necessary.");
        let (excerpt, ranges) = around(&text, &marks(&text, &["acupuncture", "Lidoderm"])).unwrap();
        assert_eq!(ranges, [(59, 70), (177, 185)]);
        assert_eq!(&excerpt[59..70], "acupuncture");
        assert_eq!(&excerpt[177..185], "Lidoderm");
        assert_eq!(around(&text, &[]), None);
    }

    #[test]
    fn the_sentence_with_most_highlights_wins_the_budget() {
        let text = format!("{LONG_A} {LONG_B} {LONG_C}");
        let (excerpt, _) = around(&text, &marks(&text, &["physical", "pain"])).unwrap();
        // LONG_B and LONG_C hold "pain" once each, LONG_A "physical"
        // once: the earliest of equals first, then no room for more.
        assert_eq!(excerpt, LONG_A);
        let (excerpt, _) = around(&text, &marks(&text, &["pain", "ten"])).unwrap();
        assert_eq!(excerpt, LONG_C);
    }

    #[test]
    fn a_long_sentence_is_kept_whole() {
        let long = format!(
            "The request is for {} and it is denied.",
            "more therapy ".repeat(45)
        );
        assert!(long.len() > 600 && long.len() < MAX_SENTENCE);
        let text = format!("Short first. {long} Short last.");
        let (excerpt, ranges) = around(&text, &marks(&text, &["denied"])).unwrap();
        assert_eq!(excerpt, long);
        assert_eq!(shown(&excerpt, &ranges), ["denied"]);
        assert_eq!(conclusion(&format!("Short first. {long}")), long);
    }

    #[test]
    fn a_sentence_beyond_the_cap_is_cut_at_words() {
        let words = "word ".repeat(300);
        let text = format!("Start {words}needle {words}end");
        let (excerpt, ranges) = around(&text, &marks(&text, &["needle"])).unwrap();
        assert!(
            excerpt.starts_with("…word ") && excerpt.ends_with(" word…"),
            "{excerpt}"
        );
        assert!(excerpt.chars().count() <= MAX_SENTENCE + 2);
        assert_eq!(shown(&excerpt, &ranges), ["needle"]);
        let tail = conclusion(&text);
        assert!(
            tail.starts_with("…word ") && tail.ends_with("word end"),
            "{tail}"
        );
    }

    #[test]
    fn the_conclusion_is_the_last_sentences() {
        let cases: &[(&str, &str)] = &[
            (
                "The MTUS guidelines state that opioids should be continued only when there is \
                 documented functional improvement and a reduction in pain, and that the ongoing \
                 review of side effects and aberrant drug-taking behavior is required for every \
                 patient. In this case, there is no documentation of functional improvement. \
                 Therefore, the request for Norco is not medically necessary.",
                "In this case, there is no documentation of functional improvement. \
                 Therefore, the request for Norco is not medically necessary.",
            ),
            // A last sentence without its full stop ends at the text's end.
            (
                "Dr. Smith requested it. It is not medically necessary",
                "Dr. Smith requested it. It is not medically necessary",
            ),
            ("  Not necessary.\n", "Not necessary."),
            ("", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(conclusion(text), *expected, "{text}");
        }
    }

    /// Sentences of random words, some with abbreviations; the words to
    /// highlight picked by index.
    fn sentences() -> impl Strategy<Value = (String, Vec<usize>)> {
        let word = prop::sample::select(vec![
            "pain",
            "Norco",
            "the",
            "request",
            "mg.",
            "Dr.",
            "p.o.",
            "therapy",
            "is",
            "not",
            "documented",
            "functional",
            "improvement",
            "10/325",
            "e.g.",
            "knee",
        ]);
        let sentence = (
            prop::collection::vec(word, 1..30),
            prop::sample::select(vec![".", "?", "!"]),
        )
            .prop_map(|(words, stop)| {
                let mut s = words.join(" ");
                s[..1].make_ascii_uppercase();
                s + stop
            });
        (
            prop::collection::vec(sentence, 1..12),
            prop::collection::vec(0usize..400, 1..6),
        )
            .prop_map(|(sentences, picks)| (sentences.join(" "), picks))
    }

    proptest! {
        #[test]
        fn excerpts_start_and_end_where_sentences_do((text, picks) in sentences()) {
            let words: Vec<(usize, usize)> = text
                .split(' ')
                .scan(0, |at, w| {
                    let range = (*at, *at + w.len());
                    *at += w.len() + 1;
                    Some(range)
                })
                .collect();
            let highlights: Vec<(usize, usize)> =
                picks.iter().map(|&p| words[p % words.len()]).collect();
            let (excerpt, ranges) = around(&text, &highlights).unwrap();
            let starts = sentence::starts(&text);
            let ends: Vec<usize> = starts[1..]
                .iter()
                .map(|&s| text[..s].trim_end().len())
                .chain([text.len()])
                .collect();
            // Each run of adjacent sentences is a piece of the text from a
            // sentence's start to a sentence's end.
            for run in excerpt.split(GAP) {
                prop_assert!(
                    starts
                        .iter()
                        .any(|&s| text[s..].starts_with(run) && ends.contains(&(s + run.len()))),
                    "{run:?} of {excerpt:?} is no run of sentences of {text:?}"
                );
            }
            for &(a, b) in &ranges {
                prop_assert!(words.iter().any(|&(s, e)| text[s..e] == excerpt[a..b]));
            }
        }
    }
}
