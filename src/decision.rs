//! Decision stage: the text of a letter's "IMR ISSUES, DECISIONS AND
//! RATIONALES" section → `Decision`s (item, outcome, citations, pages,
//! drugs, rationale). Pure, no I/O.
//!
//! A decision is anchored on its labels, in either layout:
//! titled ("Claims Administrator guideline:", "MAXIMUS guideline:",
//! "Decision rationale:") or numbered 2013 ("The Claims Administrator based
//! its decision on …", "The Expert Reviewer's decision rationale:"). The
//! title and outcome are the lines just before a decision's first label.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::category::{Category, CategoryTable};
use crate::citation::{self, By, Citation};
use crate::decode::Words;
use crate::drug::DrugTable;

/// How the reviewer ruled on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The denial stands: not medically necessary.
    Upheld,
    /// The item is medically necessary.
    Overturned,
    /// Not readable from the letter; never guessed.
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Upheld => "upheld",
            Outcome::Overturned => "overturned",
            Outcome::Unknown => "unknown",
        }
    }

    fn from_word(word: &str) -> Outcome {
        if word.to_ascii_lowercase().starts_with("overturn") {
            Outcome::Overturned
        } else {
            Outcome::Upheld
        }
    }
}

/// One disputed item and the reviewer's decision on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// 1-based position in the letter.
    pub number: u32,
    /// The disputed item, on one line (for a partial authorisation, the
    /// remaining IMR-eligible portion).
    pub item: String,
    pub outcome: Outcome,
    pub citations: Vec<Citation>,
    /// Every page the reviewer cites: its basis and its rationale's prose.
    pub pages: Vec<u32>,
    /// Generic names of the drugs in the item.
    pub drugs: Vec<String>,
    /// The state's classes of the drug products in the item.
    pub drug_classes: Vec<String>,
    /// The state's treatment category of the item; None when the table
    /// cannot place it (never guessed).
    pub category: Option<Category>,
    pub rationale: String,
    /// What could not be read: "no_outcome", "truncated".
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    ClaimsAdministrator,
    Reviewer,
    Rationale,
}

static TITLED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:claims\s+administrator|maximus|expert\s+reviewer|reviewer)\s+guidelines?\s*:|^\s*decision\s+rationale\s*:")
        .expect("valid regex")
});

static NUMBERED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:the\s+claims\s+administrator\s+based\s+its\s+decision\s+on|the\s+expert\s+reviewer\s+based\s+(?:his/her|his|her|their)\s+decision\s+on|the\s+expert\s+reviewer'?s\s+decision\s+rationale\s*:)")
        .expect("valid regex")
});

/// The words an outcome is written with, in any case.
const OUTCOME_WORDS: [&str; 4] = ["upheld", "overturned", "uphold", "overturn"];

/// A line ending with an outcome word (and perhaps a full stop): what
/// comes before the word, and the word.
fn ends_with_outcome(line: &str) -> Option<(&str, Outcome)> {
    let t = line.trim_end();
    let t = t.strip_suffix('.').unwrap_or(t).trim_end();
    OUTCOME_WORDS.iter().find_map(|word| {
        let at = t.len().checked_sub(word.len())?;
        let tail = t.get(at..).filter(|tail| tail.eq_ignore_ascii_case(word))?;
        Some((&t[..at], Outcome::from_word(tail)))
    })
}

/// "Upheld" alone on its line.
fn outcome_alone(line: &str) -> Option<Outcome> {
    ends_with_outcome(line)
        .and_then(|(before, outcome)| before.trim().is_empty().then_some(outcome))
}

/// "Norco 10/325mg #90: Upheld": the title and its outcome.
fn title_outcome(line: &str) -> Option<(&str, Outcome)> {
    let (before, outcome) = ends_with_outcome(line)?;
    let title = before.trim_end().strip_suffix(':')?.trim_end();
    Some((title, outcome))
}

static NUMBERED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,2}[.)]\s+\S").expect("valid regex"));

static NECESSITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:is|are)\s+(not\s+)?medically\s+necessary").expect("valid regex")
});

/// A label found at the start of a line.
#[derive(Debug, Clone, Copy)]
struct Found {
    label: Label,
    line: usize,
    /// Where the label's own words end on that line.
    content: usize,
}

/// The lines before a decision's labels that name it.
struct Title {
    start: usize,
    /// Where on line `start` the title begins: after the previous
    /// rationale's last sentence when it ends on the same line.
    column: usize,
    item: String,
    outcome: Outcome,
}

/// Parses a decisions section into decisions, in letter order.
pub fn parse_all(section: &str, drugs: &DrugTable) -> Vec<Decision> {
    let lines: Vec<&str> = crate::decode::lines(section).collect();
    let labels = find_labels(&lines);
    let blocks = group(&labels);
    let mut titles: Vec<Title> = Vec::with_capacity(blocks.len());
    for (n, block) in blocks.iter().enumerate() {
        // From where the previous block's last label's text begins: its
        // rationale's last sentence may share a line with this title.
        let floor = match n {
            0 => (0, 0),
            _ => blocks[n - 1].last().map_or((0, 0), |f| (f.line, f.content)),
        };
        titles.push(title_between(&lines, floor, block[0].line));
    }
    let mut decisions = Vec::with_capacity(blocks.len());
    for (n, (block, title)) in blocks.iter().zip(&titles).enumerate() {
        let end = titles
            .get(n + 1)
            .map_or((lines.len(), 0), |t| (t.start, t.column));
        let number = u32::try_from(n + 1).unwrap_or(u32::MAX);
        decisions.push(build(&lines, block, title, end, number, drugs));
    }
    if let Some(last) = decisions.last_mut()
        && is_truncated(last, blocks.last())
    {
        last.flags.push("truncated".to_owned());
    }
    decisions
}

fn find_labels(lines: &[&str]) -> Vec<Found> {
    // How each layout's labels can start, in lower case without "k" or
    // "s" (`pattern::Hinted` says why).
    const TITLED_FIRST: &[&str] = &["clai", "maxi", "expe", "revi", "deci"];
    const NUMBERED_FIRST: &[&str] = &["the"];
    let opens = |line: &str, firsts: &[&str]| {
        let line = line.trim_start();
        firsts.iter().any(|f| {
            line.get(..f.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(f))
        })
    };
    let titled = lines
        .iter()
        .any(|l| opens(l, TITLED_FIRST) && TITLED_LABEL.is_match(l));
    let (pattern, firsts): (&Regex, _) = if titled {
        (&TITLED_LABEL, TITLED_FIRST)
    } else {
        (&NUMBERED_LABEL, NUMBERED_FIRST)
    };
    lines
        .iter()
        .enumerate()
        .filter(|(_, text)| opens(text, firsts))
        .filter_map(|(line, text)| {
            let found = pattern.find(text)?;
            let label = label_of(found.as_str());
            // The numbered layout's basis sentence is itself the citation.
            let content = match (titled, label) {
                (false, Label::ClaimsAdministrator | Label::Reviewer) => 0,
                _ => found.end(),
            };
            Some(Found {
                label,
                line,
                content,
            })
        })
        .collect()
}

/// Which label a match of `TITLED_LABEL` or `NUMBERED_LABEL` is: only the
/// rationale's names "rationale", only the claims administrator's "clai…".
fn label_of(found: &str) -> Label {
    let found = found.to_ascii_lowercase();
    if found.contains("rationale") {
        Label::Rationale
    } else if found.contains("clai") {
        Label::ClaimsAdministrator
    } else {
        Label::Reviewer
    }
}

/// A new decision starts at a label that does not follow the previous one
/// in the order claims administrator → reviewer → rationale.
fn group(labels: &[Found]) -> Vec<Vec<Found>> {
    let mut blocks: Vec<Vec<Found>> = Vec::new();
    for &found in labels {
        match blocks.last_mut() {
            Some(block) if block.last().is_some_and(|l| l.label < found.label) => {
                block.push(found);
            }
            _ => blocks.push(vec![found]),
        }
    }
    blocks
}

/// The title in the lines from `floor` (line, column) up to line `head`.
fn title_between(lines: &[&str], floor: (usize, usize), head: usize) -> Title {
    let (line, column) = floor;
    let mut segment: Vec<&str> = lines.get(line..head).unwrap_or(&[]).to_vec();
    if let Some(first) = segment.first_mut() {
        *first = first.get(column..).unwrap_or("");
    }
    let mut title = find_title(&segment, 0, segment.len());
    if title.start == 0 {
        title.column += column;
    }
    title.start += line;
    title
}

fn find_title(lines: &[&str], floor: usize, head: usize) -> Title {
    let Some(last) = (floor..head).rev().find(|&i| !lines[i].trim().is_empty()) else {
        return Title {
            start: head,
            column: 0,
            item: String::new(),
            outcome: Outcome::Unknown,
        };
    };
    if let Some(outcome) = outcome_alone(lines[last]) {
        let before = (floor..last).rev().find(|&i| !lines[i].trim().is_empty());
        return match before {
            Some(end) => titled(lines, floor, end, lines[end], outcome),
            None => Title {
                start: last,
                column: 0,
                item: String::new(),
                outcome,
            },
        };
    }
    if let Some((text, outcome)) = title_outcome(lines[last]) {
        return titled(lines, floor, last, text, outcome);
    }
    if let Some(title) = numbered(lines, floor, last) {
        return title;
    }
    titled(lines, floor, last, lines[last], Outcome::Unknown)
}

/// Lines a title may take; a longer run holds a previous rationale's
/// end that lacks its full stop.
const TITLE_LINES: usize = 4;

/// Lines a partial authorisation's story may take: it can run to a
/// hundred words, and a long item is told three times over (requested,
/// authorized, remaining).
const PARTIAL_STORY_LINES: usize = 14;

/// A title ending on line `end` (whose text without the outcome is
/// `last_text`). It begins after the sentence that ends the previous
/// rationale, which may end on the title's own first line, and may wrap
/// over several lines and a page break. A partial authorisation's story
/// ("… was the original request. …") is taken whole; its item is what
/// follows the last "original request,".
fn titled(lines: &[&str], floor: usize, end: usize, last_text: &str, outcome: Outcome) -> Title {
    // Most titles lie within TITLE_LINES; the longer region, which costs
    // its sentence scan, is read only for a story or a title without a
    // sentence start nearby (the parse bench: about a tenth faster).
    let near = floor.max(end.saturating_sub(TITLE_LINES));
    let region = Region::new(&lines[near..end], last_text);
    let starts = region.sentence_starts(near == floor);
    let (lo, region, starts) = if near == floor || (starts[0] > 0 && !region.tells_of_request()) {
        (near, region, starts)
    } else {
        let lo = floor.max(end.saturating_sub(PARTIAL_STORY_LINES - 1));
        let region = Region::new(&lines[lo..end], last_text);
        let starts = region.sentence_starts(lo == floor);
        (lo, region, starts)
    };
    // The title is the last sentence that holds any text.
    let last = starts
        .iter()
        .rposition(|&at| at < region.text.trim_end().len())
        .unwrap_or(0);
    let mut first = last;
    let partial = region.text[starts[last]..]
        .to_ascii_lowercase()
        .contains("original request");
    if partial {
        while first > 0 && tells_story(&region.text[starts[first - 1]..starts[first]]) {
            first -= 1;
        }
    }
    let (mut line, mut column) = region.position(starts[first]);
    if !partial && end - (lo + line) >= TITLE_LINES {
        (line, column) = (fallback_start(lines, floor, end) - lo, 0);
    }
    let start = region.offset(line, column);
    let text = crate::decode::squeeze_space(&region.text[start..]);
    Title {
        start: lo + line,
        column,
        item: item_of(&text),
        outcome,
    }
}

/// The item a title names: after the last "original request," of a
/// partial authorisation, without a trailing " is" or ":".
fn item_of(title: &str) -> String {
    static ORIGINAL_REQUEST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\boriginal\s+request\s*,").expect("valid regex"));
    let item = match ORIGINAL_REQUEST.find_iter(title).last() {
        Some(m) => &title[m.end()..],
        None => title,
    };
    let item = item.trim().trim_end_matches(':').trim_end();
    let item = ["is", "are"]
        .iter()
        .find_map(|w| {
            let at = item.len().checked_sub(w.len() + 1)?;
            let tail = item.get(at..)?;
            (tail.starts_with(' ') && tail[1..].eq_ignore_ascii_case(w)).then(|| &item[..at])
        })
        .unwrap_or(item);
    item.trim_end_matches([',', ':']).trim().to_owned()
}

/// A sentence of a partial authorisation's story ("X was the original
/// request.", "The Claims Administrator authorized Y."), not a reason.
fn tells_story(sentence: &str) -> bool {
    let l = sentence.to_ascii_lowercase();
    let story = [
        "original request",
        "requested",
        "authorized",
        "authorised",
        "certified",
        "modified",
        "approved",
        "eligible",
        "claims administrator",
    ];
    let reason = [
        "necessary",
        "recommend",
        "guideline",
        "indicated",
        "supported",
        "warranted",
        "appropriate",
        "therefore",
        "not certified",
        "non-certified",
    ];
    story.iter().any(|w| l.contains(w)) && !reason.iter().any(|w| l.contains(w))
}

/// Where a title starts when no sentence end marks it: up to three lines
/// back, to the first line after a blank line or a finished sentence.
fn fallback_start(lines: &[&str], floor: usize, end: usize) -> usize {
    let opens_title = |i: usize| {
        let prev = lines[i - 1].trim();
        prev.is_empty()
            || prev.ends_with(['.', '!', '?', '"', '”'])
            || ends_decision(prev)
            || introduces(prev)
    };
    let mut start = end;
    while start > floor && end - start < TITLE_LINES - 2 && !opens_title(start) {
        start -= 1;
    }
    start
}

/// The lines a title may take, joined by line feeds, with where each
/// line starts.
struct Region {
    text: String,
    line_starts: Vec<usize>,
}

impl Region {
    fn new(before: &[&str], last_text: &str) -> Region {
        let mut text = String::with_capacity(
            before.iter().map(|l| l.len() + 1).sum::<usize>() + last_text.len(),
        );
        let mut line_starts = Vec::with_capacity(before.len() + 1);
        for line in before.iter().chain([&last_text]) {
            line_starts.push(text.len());
            text.push_str(line);
            text.push('\n');
        }
        Region { text, line_starts }
    }

    /// Where sentences start: after a sentence's end, and after a line
    /// that ends a rationale without its full stop or opens the list of
    /// decisions. `from_floor`: the region's first line opens a block.
    fn sentence_starts(&self, from_floor: bool) -> Vec<usize> {
        let mut starts = crate::sentence::starts(&self.text);
        if !from_floor {
            starts.retain(|&at| at > 0);
        }
        for (n, &at) in self.line_starts.iter().enumerate().skip(1) {
            let prev = self.text[self.line_starts[n - 1]..at].trim();
            if ends_decision(prev) || introduces(prev) || prev.ends_with(['.', '!', '?']) {
                starts.push(at);
            }
        }
        starts.sort_unstable();
        starts.dedup();
        if starts.is_empty() {
            starts.push(0);
        }
        starts
    }

    /// Whether the region names an "original request": a partial
    /// authorisation's story, which may begin before it.
    fn tells_of_request(&self) -> bool {
        self.text.to_ascii_lowercase().contains("original request")
    }

    /// (line, column) of a byte offset, the line counted from the region's first.
    fn position(&self, at: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= at) - 1;
        (line, at - self.line_starts[line])
    }

    fn offset(&self, line: usize, column: usize) -> usize {
        self.line_starts[line] + column
    }
}

/// "… set forth below:": the line that opens the list of decisions. A title
/// line may end with a colon too ("DOS:"), so only this one counts.
fn introduces(line: &str) -> bool {
    line.ends_with(':') && line.to_ascii_lowercase().contains("below")
}

/// A rationale's last sentence, even without its full stop.
fn ends_decision(line: &str) -> bool {
    let l = line.trim_end().as_bytes();
    ["necessary", "appropriate"]
        .iter()
        .any(|w| l.len() >= w.len() && l[l.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes()))
}

/// "1. Fexmid 7.5mg is not medically necessary and appropriate."
fn numbered(lines: &[&str], floor: usize, last: usize) -> Option<Title> {
    let start = (floor..=last)
        .rev()
        .take(6)
        .find(|&i| NUMBERED_ITEM.is_match(lines[i]))?;
    let mut words = Words::with_capacity(80 * (last - start + 1));
    lines[start..=last].iter().for_each(|l| words.push(l));
    let text = words.finish();
    let text = text
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['.', ')'])
        .trim();
    let (item, outcome) = match NECESSITY.captures(text) {
        Some(c) => {
            let whole = c.get(0)?;
            let outcome = if c.get(1).is_some() {
                Outcome::Upheld
            } else {
                Outcome::Overturned
            };
            (text[..whole.start()].to_owned(), outcome)
        }
        None => (
            text.trim_end_matches(['.', '?']).to_owned(),
            Outcome::Unknown,
        ),
    };
    Some(Title {
        start,
        column: 0,
        item,
        outcome,
    })
}

fn build(
    lines: &[&str],
    block: &[Found],
    title: &Title,
    end: (usize, usize),
    number: u32,
    drugs: &DrugTable,
) -> Decision {
    let mut citations = Vec::new();
    let mut rationale = String::new();
    for (k, found) in block.iter().enumerate() {
        let until = block.get(k + 1).map_or(end, |next| (next.line, 0));
        let text = label_text(lines, found, until);
        match found.label {
            Label::ClaimsAdministrator => {
                citations.extend(citation::parse_basis(By::ClaimsAdministrator, &text));
            }
            Label::Reviewer => citations.extend(citation::parse_basis(By::Reviewer, &text)),
            Label::Rationale => rationale = text,
        }
    }
    let mut pages: Vec<u32> = citations
        .iter()
        .filter(|c| c.by == By::Reviewer)
        .flat_map(|c| c.pages.iter().copied())
        .chain(citation::prose_pages(&rationale))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let mut flags = Vec::new();
    if title.outcome == Outcome::Unknown {
        flags.push("no_outcome".to_owned());
    }
    let products = drugs.products(&title.item);
    let first_class = products.classes.first().map(String::as_str);
    Decision {
        number,
        category: CategoryTable::bundled().classify(&title.item, first_class),
        drugs: products.generics,
        drug_classes: products.classes,
        item: title.item.clone(),
        outcome: title.outcome,
        citations,
        pages,
        rationale,
        flags,
    }
}

/// A label's text: the rest of its line and the lines up to `until`
/// (line, column), where the next label or title begins.
fn label_text(lines: &[&str], found: &Found, until: (usize, usize)) -> String {
    let (until, column) = until;
    let line = lines[found.line];
    let first = match until == found.line && column > found.content {
        true => line.get(found.content..column),
        false => line.get(found.content..),
    };
    let first = first.unwrap_or("");
    let rest = lines
        .get(found.line + 1..until.max(found.line + 1))
        .unwrap_or(&[]);
    let head = match until > found.line {
        true => lines.get(until).and_then(|l| l.get(..column)).unwrap_or(""),
        false => "",
    };
    let size = first.len() + head.len() + rest.iter().map(|l| l.len() + 1).sum::<usize>();
    let mut words = Words::with_capacity(size);
    words.push_line(first);
    rest.iter().for_each(|l| words.push_line(l));
    words.push_line(head);
    words.finish()
}

/// The letter stops inside its last decision: no rationale, or a
/// rationale cut mid-sentence.
fn is_truncated(last: &Decision, block: Option<&Vec<Found>>) -> bool {
    let has_rationale = block.is_some_and(|b| b.iter().any(|f| f.label == Label::Rationale));
    let r = last.rationale.trim_end();
    let finished = r.ends_with(['.', '!', '?', '"', '”', ')', '\'']) || ends_decision(r);
    !has_rationale || r.is_empty() || !finished
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Decision> {
        parse_all(text, DrugTable::bundled())
    }

    #[test]
    fn titled_with_wrapped_title() {
        let d = parse(
            "set forth below:\n\nRETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS\n11/1/13:  Upheld\n\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment\nGuidelines, , 111\n\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): 111.\n\nDecision rationale: As noted on page 111, not recommended. Therefore, the\nrequest is not medically necessary.\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].item,
            "RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13"
        );
        assert_eq!(d[0].outcome, Outcome::Upheld);
        assert_eq!(d[0].pages, [111]);
        assert_eq!(d[0].drugs, ["capsaicin", "menthol", "methyl salicylate"]);
        assert_eq!(d[0].citations.len(), 2);
        assert!(d[0].flags.is_empty());
    }

    #[test]
    fn outcome_on_the_next_line_and_second_title_after_rationale() {
        let d = parse(
            "Voltaren gel #60 grams with 1 refill, DOS: 11/11/2016:\nUpheld\nClaims Administrator guideline: Decision based on MTUS General Approaches 2004.\nMAXIMUS guideline: Decision based on Non-MTUS Citation ODG Pain.\nDecision rationale: Not indicated. The request is not medically necessary.\nLidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS:\n11/11/2016: Overturned\nClaims Administrator guideline: Decision based on ODG.\nMAXIMUS guideline: Decision based on ODG.\nDecision rationale: It is medically necessary.\n",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].item,
            "Voltaren gel #60 grams with 1 refill, DOS: 11/11/2016"
        );
        assert_eq!(d[0].drugs, ["diclofenac"]);
        assert_eq!(
            d[1].item,
            "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016"
        );
        assert_eq!(d[1].outcome, Outcome::Overturned);
        assert_eq!(
            d[0].rationale,
            "Not indicated. The request is not medically necessary."
        );
    }

    #[test]
    fn partial_authorisation_of_a_long_item() {
        let item = "Physical therapy two times a week for six weeks for the cervical spine, lumbar spine and bilateral shoulders, with home exercise instruction";
        let story = format!(
            "set forth below:\n{item} x 12 sessions was the original request. {item} x 6 sessions was authorized by the Claims Administrator. The remaining IMR eligible portion of the original request, {item} x 6 sessions is: Overturned\n"
        );
        let wrapped: String = story
            .split(' ')
            .collect::<Vec<_>>()
            .chunks(9)
            .map(|words| words.join(" "))
            .collect::<Vec<_>>()
            .join("\n");
        let d = parse(&format!(
            "{wrapped}\nClaims Administrator guideline: Decision based on MTUS.\nMAXIMUS guideline: Decision based on MTUS.\nDecision rationale: Medically necessary.\n"
        ));
        assert_eq!(d[0].item, format!("{item} x 6 sessions"));
        assert_eq!(d[0].outcome, Outcome::Overturned);
    }

    #[test]
    fn partial_authorisation_item() {
        let d = parse(
            "set forth below:\nAcupuncture for 8 sessions was the original request. Acupuncture for 6 sessions was\nauthorized by the Claims Administrator. The remaining IMR eligible portion of the\noriginal request, Acupuncture for 2 sessions is: Upheld\nClaims Administrator guideline: Decision based on MTUS Acupuncture Treatment 2007.\nMAXIMUS guideline: Decision based on MTUS Acupuncture Treatment 2007.\nDecision rationale: Not medically necessary.\n",
        );
        assert_eq!(d[0].item, "Acupuncture for 2 sessions");
        assert_eq!(d[0].outcome, Outcome::Upheld);
    }

    #[test]
    fn numbered_2013_layout() {
        let d = parse(
            "1. Retrospective request for Fexmid 7.5mg #60 is not medically necessary and\nappropriate.\nThe Claims Administrator based its decision on the Chronic Pain Medical Treatment\nGuidelines, page 41, which is part of the MTUS.\nThe Expert Reviewer based his/her decision on the Chronic Pain Medical Treatment Guidelines,\npages 41-42, which is part of the MTUS.\nThe Expert Reviewer's decision rationale:\nNot recommended for long-term use.\n2. Acupuncture six sessions is medically necessary and appropriate.\nThe Claims Administrator based its decision on the Acupuncture Medical Treatment Guidelines.\nThe Expert Reviewer based his/her decision on the Acupuncture Medical Treatment Guidelines.\nThe Expert Reviewer's decision rationale:\nThe guidelines support 3 to 6 treatments.\n",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].item, "Retrospective request for Fexmid 7.5mg #60");
        assert_eq!(d[0].outcome, Outcome::Upheld);
        assert_eq!(d[0].pages, [41, 42]);
        assert_eq!(d[0].drugs, ["cyclobenzaprine"]);
        assert_eq!(d[1].item, "Acupuncture six sessions");
        assert_eq!(d[1].outcome, Outcome::Overturned);
        assert_eq!(d[1].rationale, "The guidelines support 3 to 6 treatments.");
        assert_eq!(d[0].rationale, "Not recommended for long-term use.");
    }

    #[test]
    fn missing_outcome_is_flagged_not_guessed() {
        let d = parse(
            "set forth below:\nTerocin\nClaims Administrator guideline: Decision based on ODG.\nMAXIMUS guideline: Decision based on ODG.\nDecision rationale: It is not medically necessary.\n",
        );
        assert_eq!(d[0].item, "Terocin");
        assert_eq!(d[0].outcome, Outcome::Unknown);
        assert_eq!(d[0].flags, ["no_outcome"]);
    }

    #[test]
    fn truncated_mid_rationale() {
        let d = parse(
            "set forth below:\nTerocin: Upheld\nClaims Administrator guideline: Decision based on ODG.\nMAXIMUS guideline: Decision based on ODG.\nDecision rationale: Topical analgesics are largely experimental in\n",
        );
        assert_eq!(d[0].flags, ["truncated"]);
        let d = parse(
            "set forth below:\nTerocin: Upheld\nClaims Administrator guideline: Decision based on ODG.\n",
        );
        assert_eq!(d[0].flags, ["truncated"]);
    }

    #[test]
    fn no_labels_no_decisions() {
        assert!(parse("Nothing here but prose.\n").is_empty());
    }
}
