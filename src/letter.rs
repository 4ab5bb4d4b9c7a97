//! Letter stage: clean text → `Letter` (cover block, reviewer, case
//! summary, decisions). Pure, no I/O.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::decision::{self, Decision};
use crate::decode::CASE_NUMBER;
use crate::drug::DrugTable;

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

/// "01/06/2017", "1-6-2017" or "January 6, 2017" → "2017-01-06". Digits
/// are ASCII: a date written in other digits is no date.
pub fn iso_date(s: &str) -> Option<String> {
    let (y, m, d) = date_parts(s)?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1990..=2100).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// (year, month, day) as written, in range or not.
fn date_parts(s: &str) -> Option<(u32, u32, u32)> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4}|[0-9]{2})\b").expect("valid regex")
    });
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b([a-z]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})\b").expect("valid regex")
    });
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
/// the whole section: squeezing and searching all of it was 2% of ingest.
fn reviewer_sentence(text: &str) -> Option<Reviewer> {
    static PROSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)Board\s+Certified\s+in\s+(.+?)(?:,\s*(?:and\s+)?has\s+a\s+subspecialty\s+in\s+(.+?))?,?\s+and\s+is\s+licensed\s+to\s+practice\s+in\s+(.+?)\.",
        )
        .expect("valid regex")
    });
    let lower = text.to_ascii_lowercase();
    memchr::memmem::find_iter(lower.as_bytes(), "certified").find_map(|at| {
        let start = text.floor_char_boundary(at.saturating_sub(SENTENCE_LEAD));
        let end = text.ceil_char_boundary(at + SENTENCE_SPAN);
        let flat = crate::decode::squeeze_space(&text[start..end]);
        let c = PROSE.captures(&flat)?;
        Some(Reviewer {
            specialty: Some(c[1].trim().to_owned()),
            subspecialty: c.get(2).map(|m| m.as_str().trim().to_owned()),
            licensed_in: split_list(&c[3]),
        })
    })
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
