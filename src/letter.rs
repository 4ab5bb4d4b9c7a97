//! Letter stage: clean text → `Letter` (cover block, reviewer, case
//! summary, decisions). Pure, no I/O.

use serde::{Deserialize, Serialize};

use crate::decision::{self, Decision};
use crate::decode::CASE_NUMBER;
use crate::drug::DrugTable;
use crate::pattern::{word_ends, word_starts};

/// One final determination letter, as read from its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Letter {
    pub cover: Cover,
    pub reviewer: Reviewer,
    pub summary: String,
    pub decisions: Vec<Decision>,
    /// Letter-level problems: "no_decisions", "other_layout".
    pub flags: Vec<String>,
}

/// The optional cover block: case number and dates, as ISO dates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub case_number: Option<String>,
    /// When the determination was made ("Dated", "Decision Date").
    pub dated: Option<String>,
    pub date_assigned: Option<String>,
    pub date_of_injury: Option<String>,
    /// "Date of UR Decision" (2013) or "UR Denial Date" (2016-17).
    pub ur_decision_date: Option<String>,
    pub application_received: Option<String>,
    pub priority: Option<String>,
    /// "UPHOLD" / "OVERTURN" and its sentence, when the cover states it.
    pub final_determination: Option<String>,
}

/// Who decided: the reviewer's board certification and licences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reviewer {
    pub specialty: Option<String>,
    pub subspecialty: Option<String>,
    pub licensed_in: Vec<String>,
}

const HOW: &str = "HOW THE IMR FINAL DETERMINATION WAS MADE";
const SUMMARY: &str = "CLINICAL CASE SUMMARY";
const ISSUES: [&str; 3] = [
    "IMR ISSUES, DECISIONS AND RATIONALES",
    "DECISION AND RATIONALE",
    "IMR ISSUES AND DECISIONS",
];

/// Parses a letter's clean text (see `decode`).
pub fn parse(text: &str, drugs: &DrugTable) -> Letter {
    let [how, summary_at, issues] = find_headings(text, [&[HOW], &[SUMMARY], &ISSUES]);
    let cover_end = [how, summary_at, issues]
        .into_iter()
        .flatten()
        .map(|(start, _)| start)
        .min()
        .unwrap_or(0);
    let cover = parse_cover(&text[..cover_end], text);
    let reviewer_text = section(text, how, &[summary_at, issues]);
    let reviewer = parse_reviewer(reviewer_text);
    let summary = section(text, summary_at, &[issues]);
    // Kept as written: it is only tokenized, never shown.
    let summary = strip_summary_preamble(summary).trim().to_owned();
    let decisions_text = match issues {
        Some((_, end)) => &text[end..],
        None => &text[summary_at.or(how).map_or(0, |(_, e)| e)..],
    };
    let ours = [how, summary_at, issues].iter().any(Option::is_some);
    let other = !ours && is_other_layout(text);
    let decisions = match other {
        true => Vec::new(),
        false => decision::parse_all(decisions_text, drugs),
    };
    let flags = match (other, decisions.is_empty()) {
        (true, _) => vec!["other_layout".to_owned()],
        (false, true) => vec!["no_decisions".to_owned()],
        (false, false) => Vec::new(),
    };
    Letter {
        cover,
        reviewer,
        summary,
        decisions,
        flags,
    }
}

/// A letter in a layout of other years that imr does not read (FORMAT.md,
/// "Other layouts"): its text is indexed whole and flagged, never read as
/// decisions.
fn is_other_layout(text: &str) -> bool {
    const MARKERS: [&str; 6] = [
        "MEDICAL PROFESSIONAL REVIEW",
        "ISSUE AT DISPUTE:",
        "MEDICAL REVIEWER QUALIFICATIONS:",
        "IMR DECISION(S) AND RATIONALE(S)",
        "DOCUMENTS REVIEWED",
        "Notice of Independent Medical Review Determination",
    ];
    MARKERS.iter().any(|m| text.contains(m))
}

/// For each group of headings, (start, end) of the first line holding
/// one of them.
fn find_headings<const N: usize>(text: &str, groups: [&[&str]; N]) -> [Option<(usize, usize)>; N] {
    let mut found = [None; N];
    let mut offset = 0;
    for line in crate::decode::split_lines(text) {
        // The line with its line feed, if it has one.
        let end = (offset + line.len() + 1).min(text.len());
        let t = line.trim();
        for (group, at) in groups.iter().zip(found.iter_mut()) {
            if at.is_none() && group.iter().any(|h| t.eq_ignore_ascii_case(h)) {
                *at = Some((offset, end));
            }
        }
        offset = end;
    }
    found
}

/// The text after a heading up to the next heading found.
fn section<'t>(
    text: &'t str,
    start: Option<(usize, usize)>,
    next: &[Option<(usize, usize)>],
) -> &'t str {
    let Some((_, from)) = start else { return "" };
    let to = next
        .iter()
        .flatten()
        .map(|(s, _)| *s)
        .filter(|&s| s >= from)
        .min()
        .unwrap_or(text.len());
    &text[from..to]
}

fn strip_summary_preamble(summary: &str) -> &str {
    const PREAMBLE: &str = "including all medical records:";
    match summary.find(PREAMBLE) {
        Some(i) if i < 200 => &summary[i + PREAMBLE.len()..],
        _ => summary,
    }
}

/// Reads the cover's `label: value` rows, or pdftotext's column of labels
/// followed by a column of values.
fn parse_cover(cover_text: &str, letter: &str) -> Cover {
    let mut cover = Cover::default();
    let mut pending: std::collections::VecDeque<String> = Default::default();
    let lines: Vec<&str> = crate::decode::lines(cover_text)
        .flat_map(cells)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some((label, value)) = line.split_once(':').filter(|(l, _)| is_label(l)) {
            let value = value.trim();
            if value.is_empty() {
                pending.push_back(label.to_owned());
            } else {
                set_cover_field(&mut cover, label, value);
            }
        } else if let Some(joined) = wrapped_label(line, lines.get(i + 1)) {
            pending.push_back(joined);
            i += 1;
        } else if let Some(label) = pending.pop_front() {
            set_cover_field(&mut cover, &label, line);
        }
        i += 1;
    }
    if cover.case_number.is_none() {
        cover.case_number = CASE_NUMBER.find(letter).map(|m| m.as_str().to_owned());
    }
    cover
}

/// A line's cells: one extractor puts two "label: value" pairs on a line,
/// apart by a tab or a run of two or more spaces.
fn cells(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (cell, gap_end) = next_gap(rest).unwrap_or((rest.len(), rest.len()));
        let found = &rest[..cell];
        rest = &rest[gap_end..];
        Some(found)
    })
}

/// Where the first gap between cells starts and ends.
fn next_gap(text: &str) -> Option<(usize, usize)> {
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut run = 1;
        while let Some(&(i, next)) = chars.peek().filter(|(_, n)| n.is_whitespace()) {
            end = i + next.len_utf8();
            run += 1;
            chars.next();
        }
        if run >= 2 || c == '\t' {
            return Some((start, end));
        }
    }
    None
}

/// A label wrapped over two lines: "Application" / "Received:".
fn wrapped_label(line: &str, next: Option<&&str>) -> Option<String> {
    let next = next?.strip_suffix(':')?;
    let joined = format!("{line} {next}");
    (is_label(line) && field_of(&joined).is_some()).then_some(joined)
}

fn is_label(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.len() <= 30
        && s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_alphabetic() || " ()/".contains(c))
}

#[derive(Clone, Copy)]
enum CoverField {
    CaseNumber,
    Dated,
    DateAssigned,
    DateOfInjury,
    UrDecisionDate,
    ApplicationReceived,
    Priority,
    FinalDetermination,
}

fn field_of(label: &str) -> Option<CoverField> {
    use CoverField::*;
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "case number" | "imr case number" => CaseNumber,
        "dated" | "decision date" | "date" => Dated,
        "date assigned" => DateAssigned,
        "date of injury" => DateOfInjury,
        "date of ur decision" | "ur denial date" => UrDecisionDate,
        "application received" => ApplicationReceived,
        "priority" => Priority,
        "final determination" => FinalDetermination,
        _ => return None,
    })
}

fn set_cover_field(cover: &mut Cover, label: &str, value: &str) {
    let date = || iso_date(value);
    match field_of(label) {
        Some(CoverField::CaseNumber) => {
            cover.case_number = CASE_NUMBER.find(value).map(|m| m.as_str().to_owned());
        }
        Some(CoverField::Dated) => cover.dated = date(),
        Some(CoverField::DateAssigned) => cover.date_assigned = date(),
        Some(CoverField::DateOfInjury) => cover.date_of_injury = date(),
        Some(CoverField::UrDecisionDate) => cover.ur_decision_date = date(),
        Some(CoverField::ApplicationReceived) => cover.application_received = date(),
        Some(CoverField::Priority) => cover.priority = Some(value.to_owned()),
        Some(CoverField::FinalDetermination) => {
            cover.final_determination = Some(value.to_owned());
        }
        None => {}
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "01/06/2017", "1-6-2017" or "January 6, 2017" → "2017-01-06". The
/// date is read by hand: regex captures were 1.4% of ingest, for a few
/// short fields a letter. `tests::dates_read_as_the_regexes_did` holds
/// the patterns this reads as, with one difference: digits are ASCII, so
/// a date written in other digits is passed over for a later one (the
/// regexes matched it, then gave no date).
pub fn iso_date(s: &str) -> Option<String> {
    let (y, m, d) = date_parts(s)?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1990..=2100).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// (year, month, day) as written, in range or not.
fn date_parts(s: &str) -> Option<(u32, u32, u32)> {
    let numeric = s.contains(['/', '-']).then(|| first_at(s, numeric_date_at));
    if let Some(date) = numeric.flatten() {
        return Some(date);
    }
    let (month, day, year) = first_at(s, worded_date_at)?;
    let month = month.to_ascii_lowercase();
    let m = MONTHS
        .iter()
        .position(|name| month.len() >= 3 && name.starts_with(&month))?;
    Some((year, u32::try_from(m + 1).ok()?, day))
}

/// The first match of `at` in `s`, tried where a word starts.
fn first_at<'s, T>(s: &'s str, at: impl Fn(&'s str, usize) -> Option<T>) -> Option<T> {
    s.char_indices()
        .filter(|&(i, _)| word_starts(s, i))
        .find_map(|(i, _)| at(s, i))
}

/// The number of `len` ASCII digits at `i`.
fn digits(s: &str, i: usize, len: usize) -> Option<u32> {
    let d = s.get(i..i + len)?;
    d.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| d.parse().ok())?
}

/// `(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b` at `i`, longer numbers
/// first: (year, month, day).
fn numeric_date_at(s: &str, i: usize) -> Option<(u32, u32, u32)> {
    let sep = |j: usize| matches!(s.as_bytes().get(j), Some(b'/' | b'-'));
    for m_len in [2, 1] {
        let Some(m) = digits(s, i, m_len).filter(|_| sep(i + m_len)) else {
            continue;
        };
        let j = i + m_len + 1;
        for d_len in [2, 1] {
            let Some(d) = digits(s, j, d_len).filter(|_| sep(j + d_len)) else {
                continue;
            };
            let k = j + d_len + 1;
            for y_len in [4, 2] {
                if let Some(y) = digits(s, k, y_len).filter(|_| word_ends(s, k + y_len)) {
                    return Some((if y_len == 2 { 2000 + y } else { y }, m, d));
                }
            }
        }
    }
    None
}

/// `([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b` at `i`, any case: (month
/// word, day, year).
fn worded_date_at(s: &str, i: usize) -> Option<(&str, u32, u32)> {
    let after = |j: usize, skip: fn(char) -> bool| {
        j + s[j..]
            .chars()
            .take_while(|&c| skip(c))
            .map(char::len_utf8)
            .sum::<usize>()
    };
    let word_end = after(i, |c| c.is_ascii_alphabetic());
    let mut j = word_end + usize::from(s[word_end..].starts_with('.'));
    let spaced = after(j, char::is_whitespace);
    if word_end == i || spaced == j {
        return None;
    }
    j = spaced;
    for d_len in [2, 1] {
        let Some(day) = digits(s, j, d_len) else {
            continue;
        };
        let k = j + d_len + usize::from(s[j + d_len..].starts_with(','));
        let spaced = after(k, char::is_whitespace);
        if spaced == k {
            continue;
        }
        if let Some(year) = digits(s, spaced, 4).filter(|_| word_ends(s, spaced + 4)) {
            return Some((&s[i..word_end], day, year));
        }
    }
    None
}

/// Bytes read before and after a "certified" for the reviewer's sentence:
/// "Board" and the spaces between it and "Certified", then the sentence,
/// which in posted letters runs to about 200 bytes. A sentence beyond
/// these bounds is not read as one (where the regex this replaced, run on
/// the whole section, did read it).
const SENTENCE_LEAD: usize = 32;
const SENTENCE_SPAN: usize = 1024;

/// The reviewer's specialty and licences, from the prose sentence or the
/// credentials block.
fn parse_reviewer(text: &str) -> Reviewer {
    if let Some(reviewer) = reviewer_sentence(text) {
        return reviewer;
    }
    let states = block_value(text, "State(s) of Licensure:");
    let specialties = block_value(text, "Certification(s)/Specialty:");
    let specialties = specialties.as_deref().map(split_list).unwrap_or_default();
    let mut specialties = specialties.into_iter();
    let specialty = specialties.next();
    let rest: Vec<String> = specialties.collect();
    Reviewer {
        specialty,
        subspecialty: (!rest.is_empty()).then(|| rest.join(", ")),
        licensed_in: states.as_deref().map(split_list).unwrap_or_default(),
    }
}

/// The reviewer's sentence, read around each "certified" rather than in
/// the whole section, and by hand: a regex's capture groups were 1.4% of
/// ingest.
fn reviewer_sentence(text: &str) -> Option<Reviewer> {
    let lower = text.to_ascii_lowercase();
    memchr::memmem::find_iter(lower.as_bytes(), "certified").find_map(|at| {
        let start = text.floor_char_boundary(at.saturating_sub(SENTENCE_LEAD));
        let end = text.ceil_char_boundary(at + SENTENCE_SPAN);
        prose_reviewer(&crate::decode::squeeze_space(&text[start..end]))
    })
}

/// "Board Certified in S[, [and ]has a subspecialty in U][,] and is
/// licensed to practice in L." in `flat`, whose spaces are single. Each
/// part is the shortest the rest allows, as `(.+?)` in
/// `(?i)Board Certified in (.+?)(?:, ?(?:and )?has a subspecialty in
/// (.+?))?,? and is licensed to practice in (.+?)\.` (test `PROSE`).
fn prose_reviewer(flat: &str) -> Option<Reviewer> {
    const CERTIFIED: &str = "board certified in ";
    const SUBSPECIALTY: &str = "has a subspecialty in ";
    // ASCII lower case keeps every byte where it was.
    let lower = flat.to_ascii_lowercase();
    let from = lower.find(CERTIFIED)? + CERTIFIED.len();
    let (plain_end, plain_states) = until_licensed(&lower, from)?;
    // A subspecialty clause counts where its comma comes before the licence.
    let with_subspecialty = lower[from..]
        .match_indices(SUBSPECIALTY)
        .map(|(at, _)| from + at)
        .take_while(|&clause| clause < plain_end)
        .filter_map(|clause| {
            let head = &lower[..clause];
            let head = head.strip_suffix("and ").unwrap_or(head);
            let head = head.strip_suffix(' ').unwrap_or(head);
            let comma = head.strip_suffix(',')?.len();
            let sub = clause + SUBSPECIALTY.len();
            (comma > from).then(|| {
                until_licensed(&lower, sub).map(|(end, states)| (comma, sub..end, states))
            })?
        })
        .next();
    let (specialty_end, subspecialty, states) = match with_subspecialty {
        Some((end, sub, states)) => (end, Some(flat[sub].trim().to_owned()), states),
        None => (plain_end, None, plain_states),
    };
    Some(Reviewer {
        specialty: Some(flat[from..specialty_end].trim().to_owned()),
        subspecialty,
        licensed_in: split_list(&flat[states]),
    })
}

/// The end of a part of at least one character starting at `at` that
/// runs until ",? and is licensed to practice in ", and the licence that
/// follows, up to its first full stop (at least one character).
fn until_licensed(lower: &str, at: usize) -> Option<(usize, std::ops::Range<usize>)> {
    const LICENSED: &str = " and is licensed to practice in ";
    let after_one = |i: usize| lower.get(i..)?.chars().next().map(|c| i + c.len_utf8());
    let next = after_one(at)?;
    let clause = next + lower[next..].find(LICENSED)?;
    let end = match clause > next && lower.as_bytes()[clause - 1] == b',' {
        true => clause - 1,
        false => clause,
    };
    let states = clause + LICENSED.len();
    let stop = after_one(states)?;
    let stop = stop + lower[stop..].find('.')?;
    Some((end, states..stop))
}

/// A credentials line's value, with a wrapped continuation line.
fn block_value(text: &str, label: &str) -> Option<String> {
    // A vectorised search: std's was 0.4% of ingest for this one label.
    let at = memchr::memmem::find(text.as_bytes(), label.as_bytes())?;
    let mut lines = text[at + label.len()..].lines();
    let mut value = lines.next()?.trim().to_owned();
    if let Some(next) = lines.next().map(str::trim) {
        let is_more = !next.is_empty() && !next.contains(':') && !crate::decode::is_heading(next);
        if is_more && (value.ends_with(',') || next.len() < 40) {
            value = format!("{value} {next}");
        }
    }
    let value = value.trim().trim_end_matches(['.', ',']).to_owned();
    (!value.is_empty()).then_some(value)
}

/// "Texas,New York and California" → ["Texas", "New York", "California"].
fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|p| p.trim().trim_end_matches('.').trim())
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use regex::Regex;

    use super::*;
    use crate::decision::Outcome;

    #[test]
    fn cover_cells_split_at_tabs_and_runs_of_spaces() {
        let line = "  Case Number:  CM16-0001\tDate: 5 May 2016 \u{a0}x";
        let found: Vec<&str> = cells(line).collect();
        assert_eq!(
            found,
            ["", "Case Number:", "CM16-0001", "Date: 5 May 2016", "x"]
        );
    }

    /// Bytes as a download gives them → decisions, through decode.
    fn decisions(bytes: &[u8]) -> Vec<crate::decision::Decision> {
        let text = crate::decode::decode(bytes).expect("text");
        parse(&text, DrugTable::bundled()).decisions
    }

    #[test]
    fn title_and_outcome_split_by_a_page_break() {
        let letter = "IMR Case Number: CM16-0224814\nIMR ISSUES, DECISIONS AND RATIONALES\nOne prescription of Norco 10/325mg #90 with\n\u{c}Page 2 of 3\nIMR Case Number: CM16-0224814\nthree refills: Overturned\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids, criteria for use, Page(s): 76-80.\nDecision rationale: Function improved and the request is medically necessary.\n\u{c}Page 3 of 3\nIMR Case Number: CM16-0224814\n";
        let d = decisions(letter.as_bytes());
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].item,
            "One prescription of Norco 10/325mg #90 with three refills"
        );
        assert_eq!(d[0].outcome, Outcome::Overturned);
        assert_eq!(d[0].pages, [76, 77, 78, 79, 80]);
        assert_eq!(d[0].drugs, ["acetaminophen", "hydrocodone"]);
        assert!(d[0].flags.is_empty(), "{:?}", d[0].flags);
    }

    #[test]
    fn crlf_windows_1252_compound_item() {
        let mut bytes = b"Terocin\xAE patch #30:\r\nUpheld\r\nClaims Administrator guideline: Decision based on MTUS.\r\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Topical Analgesics, pages 111-113.\r\n".to_vec();
        bytes.extend_from_slice(b"Decision rationale: The guidelines state \x93any compounded product that contains at least one drug that is not recommended is not recommended.\x94 Not medically necessary.\r\n");
        let d = decisions(&bytes);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].item, "Terocin® patch #30");
        assert_eq!(d[0].outcome, Outcome::Upheld);
        // The patch is lidocaine and menthol; the lotion adds capsaicin and
        // methyl salicylate.
        assert_eq!(d[0].drugs, ["lidocaine", "menthol"]);
        assert_eq!(d[0].pages, [111, 112, 113]);
        assert!(d[0].rationale.starts_with("The guidelines state “any"));
    }

    #[test]
    fn prose_reviewer_with_subspecialty() {
        let text = "The expert\nreviewer is Board Certified in Anesthesiology, has a subspecialty in Pain Management and is\nlicensed to practice in Texas. He/she has been";
        assert_eq!(
            parse_reviewer(text),
            Reviewer {
                specialty: Some("Anesthesiology".into()),
                subspecialty: Some("Pain Management".into()),
                licensed_in: vec!["Texas".into()],
            }
        );
    }

    #[test]
    fn prose_reviewer_with_and_in_specialty() {
        let text = "reviewer is Board Certified in Physical Medicine and Rehabilitation and is licensed to practice in\nCalifornia. He/she";
        let r = parse_reviewer(text);
        assert_eq!(
            r.specialty.as_deref(),
            Some("Physical Medicine and Rehabilitation")
        );
        assert_eq!(r.subspecialty, None);
        assert_eq!(r.licensed_in, vec!["California"]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Dates read by hand as the two regexes they replaced read them.
        #[test]
        fn dates_read_as_the_regexes_did(s in "[0-9/ ,.a-zA-Z_\\t²é\u{301}‿-]{0,24}|[x²‿]?(Jan|Sept|march|x|_)\\.?[ \\t]{0,2}[0-9]{0,3},?[ \\t]{0,2}[0-9]{0,5}[a ,²\u{301}]?|[x²‿]?[0-9]{0,3}[/-][0-9]{0,3}[/-][0-9]{0,5}[a/ 0²\u{301}‿]?") {
            proptest::prop_assert_eq!(date_parts(&s), date_parts_by_regex(&s));
        }
    }

    fn date_parts_by_regex(s: &str) -> Option<(u32, u32, u32)> {
        static NUMERIC: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b").unwrap());
        static WORDS: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?i)\b([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})\b").unwrap());
        let numeric = s.contains(['/', '-']).then(|| NUMERIC.captures(s));
        if let Some(c) = numeric.flatten() {
            let year: u32 = c[3].parse().ok()?;
            let year = if c[3].len() == 2 { 2000 + year } else { year };
            return Some((year, c[1].parse().ok()?, c[2].parse().ok()?));
        }
        let c = WORDS.captures(s)?;
        let month = c[1].to_ascii_lowercase();
        let m = MONTHS
            .iter()
            .position(|name| month.len() >= 3 && name.starts_with(&month))?;
        Some((
            c[3].parse().ok()?,
            u32::try_from(m + 1).ok()?,
            c[2].parse().ok()?,
        ))
    }

    /// The sentence read by hand as the regex it replaced read it, on
    /// every letter in data/ and on sentences at the edges of its form.
    #[test]
    fn reviewer_sentence_reads_as_the_regex_did() {
        let prose = Regex::new(r"(?i)Board\s+Certified\s+in\s+(.+?)(?:,\s*(?:and\s+)?has\s+a\s+subspecialty\s+in\s+(.+?))?,?\s+and\s+is\s+licensed\s+to\s+practice\s+in\s+(.+?)\.").unwrap();
        let by_regex = |text: &str| {
            let flat = crate::decode::squeeze_space(text);
            let c = prose.captures(&flat)?;
            Some(Reviewer {
                specialty: Some(c[1].trim().to_owned()),
                subspecialty: c.get(2).map(|m| m.as_str().trim().to_owned()),
                licensed_in: split_list(&c[3]),
            })
        };
        let mut texts: Vec<String> = [
            "Board Certified in A, has a subspecialty in B and is licensed to practice in C.",
            "board certified in A, and has a subspecialty in B, and is licensed to practice in C, D and E.",
            "Board  Certified\nin A,has a subspecialty in B and is licensed to practice in C. More.",
            "Board Certified in A and is licensed to practice in C",
            "Board Certified in , and is licensed to practice in C.",
            "Board Certified in , has a subspecialty in B and is licensed to practice in C.",
            "Board Certified in A and is licensed to practice in .",
            "Board Certified in A and is licensed to practice in .x.",
            "Board Certified in A, has a subspecialty in and is licensed to practice in C.",
            "Board Certified in A, has a subspecialty in B, has a subspecialty in D and is licensed to practice in C.",
            "Board Certified in X. Board Certified in Y and is licensed to practice in Z.",
            "Board Certified in M\u{e9}decine, has a subspecialty in \u{dc}n\u{ef} and is licensed to practice in Qu\u{e9}bec.",
            "BOARD CERTIFIED IN SURGERY AND IS LICENSED TO PRACTICE IN OHIO.",
            "is licensed to practice in C. Board Certified in A.",
            "Board Certified in A and is licensed to practice in C and is licensed to practice in D.",
            "Board Certified in Anesthesiology,and has a subspecialty in Pain Medicine, and is licensed to practice in Texas.",
            "Board Certified in \u{e9},has a subspecialty in and is licensed to practice in and is licensed to practice in \u{e9}.",
        ]
        .map(str::to_owned)
        .to_vec();
        for dir in ["data/letters", "data/real/txt"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).unwrap() {
                let bytes = std::fs::read(entry.unwrap().path()).unwrap();
                texts.push(crate::decode::decode(&bytes).unwrap());
            }
        }
        texts.extend(
            (0..400)
                .map(|n| String::from_utf8_lossy(&imr_generate::letter(7, n).bytes).into_owned()),
        );
        let found = texts.iter().filter(|t| by_regex(t).is_some()).count();
        assert_eq!(found, 189);
        for text in &texts {
            assert_eq!(reviewer_sentence(text), by_regex(text), "{text}");
        }
    }

    #[test]
    fn credentials_block_wrapped() {
        let text = "The Expert Reviewer has the following credentials:\nState(s) of Licensure: Texas,New York,\nCalifornia\nCertification(s)/Specialty: Preventive Medicine, Occupational Medicine\n";
        assert_eq!(
            parse_reviewer(text),
            Reviewer {
                specialty: Some("Preventive Medicine".into()),
                subspecialty: Some("Occupational Medicine".into()),
                licensed_in: vec!["Texas".into(), "New York".into(), "California".into()],
            }
        );
    }

    #[test]
    fn cover_in_columns() {
        let text = "Case Number:\nDate Assigned:\nDecision Date:\nPriority:\n\nCM16-0224814\n11/30/2016\n01/06/2017\nStandard\n\nDate of Injury:\nUR Denial Date:\nApplication\nReceived:\n\n10/11/2016\n11/04/2016\n11/21/2016\n";
        assert_eq!(
            parse_cover(text, text),
            Cover {
                case_number: Some("CM16-0224814".into()),
                dated: Some("2017-01-06".into()),
                date_assigned: Some("2016-11-30".into()),
                date_of_injury: Some("2016-10-11".into()),
                ur_decision_date: Some("2016-11-04".into()),
                application_received: Some("2016-11-21".into()),
                priority: Some("Standard".into()),
                final_determination: None,
            }
        );
    }

    #[test]
    fn cover_in_cells() {
        let text = "Case Number:  CM16-0233794\nDate Assigned:  12/08/2016  Date of Injury:   10/10/2016\nDecision Date:  01/06/2017  UR Denial Date:   11/18/2016\nPriority:   Standard  Application\nReceived:   12/05/2016\n";
        let cover = parse_cover(text, text);
        assert_eq!(cover.case_number.as_deref(), Some("CM16-0233794"));
        assert_eq!(cover.dated.as_deref(), Some("2017-01-06"));
        assert_eq!(cover.date_of_injury.as_deref(), Some("2016-10-10"));
        assert_eq!(cover.ur_decision_date.as_deref(), Some("2016-11-18"));
        assert_eq!(cover.application_received.as_deref(), Some("2016-12-05"));
        assert_eq!(cover.priority.as_deref(), Some("Standard"));
    }

    #[test]
    fn cover_2013_rows() {
        let text = "Dated: December 26, 2013\nIMR Case Number: CM13-0046424\nDate of Injury: 12/15/2011\nDate of UR Decision: 11/27/2013\nFinal Determination: UPHOLD\n";
        let cover = parse_cover(text, text);
        assert_eq!(cover.case_number.as_deref(), Some("CM13-0046424"));
        assert_eq!(cover.dated.as_deref(), Some("2013-12-26"));
        assert_eq!(cover.date_of_injury.as_deref(), Some("2011-12-15"));
        assert_eq!(cover.ur_decision_date.as_deref(), Some("2013-11-27"));
        assert_eq!(cover.final_determination.as_deref(), Some("UPHOLD"));
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("01/06/2017").as_deref(), Some("2017-01-06"));
        assert_eq!(iso_date("Sept 3, 2014").as_deref(), Some("2014-09-03"));
        assert_eq!(iso_date("13/45/2017"), None);
    }
}
