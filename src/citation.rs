//! Citation stage: a guideline basis as written ("Decision based on MTUS
//! Chronic Pain Treatment Guidelines Cyclobenzaprine topic. Page(s): 41.")
//! → `Citation`s (source, document, section, pages); and pages cited in
//! prose. Pure.

use std::sync::LazyLock;

use regex::Regex;
use regex_automata::{Anchored, Input, meta};
use serde::{Deserialize, Serialize};

use crate::pattern::Hinted;

/// Who cited it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum By {
    Reviewer,
    ClaimsAdministrator,
}

/// The family a cited guideline belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Source {
    /// Part of the MTUS, MTUS-adopted ACOEM chapters included.
    #[serde(rename = "MTUS")]
    Mtus,
    #[serde(rename = "ODG")]
    Odg,
    /// ACOEM cited outside the MTUS.
    #[serde(rename = "ACOEM")]
    Acoem,
    /// Any other evidence: drugs.com, PDR, FDA, articles.
    #[serde(rename = "other")]
    Other,
    /// No evidence cited.
    #[serde(rename = "none")]
    None,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Mtus,
        Source::Odg,
        Source::Acoem,
        Source::Other,
        Source::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Mtus => "MTUS",
            Source::Odg => "ODG",
            Source::Acoem => "ACOEM",
            Source::Other => "other",
            Source::None => "none",
        }
    }
}

/// One guideline basis: what was cited, and the text as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub by: By,
    pub source: Source,
    pub document: Option<String>,
    pub section: Option<String>,
    pub pages: Vec<u32>,
    pub text: String,
}

impl Citation {
    /// "MTUS: Chronic Pain Medical Treatment Guidelines", or the source
    /// alone when no document is named: how facets and tables name it.
    pub fn label(&self) -> String {
        match &self.document {
            Some(d) => format!("{}: {d}", self.source.as_str()),
            None => self.source.as_str().to_owned(),
        }
    }
}

/// The ACOEM Practice Guidelines (2nd edition) chapters the MTUS adopted.
const ACOEM_CHAPTERS: [(u32, &str); 16] = [
    (1, "Prevention"),
    (
        2,
        "General Approach to Initial Assessment and Documentation",
    ),
    (3, "Initial Approaches to Treatment"),
    (4, "Work-Relatedness"),
    (5, "Cornerstones of Disability Prevention and Management"),
    (6, "Pain, Suffering, and the Restoration of Function"),
    (7, "Independent Medical Examinations and Consultations"),
    (8, "Neck and Upper Back Complaints"),
    (9, "Shoulder Complaints"),
    (10, "Elbow Complaints"),
    (11, "Forearm, Wrist, and Hand Complaints"),
    (12, "Low Back Complaints"),
    (13, "Knee Complaints"),
    (14, "Ankle and Foot Complaints"),
    (15, "Stress-Related Conditions"),
    (16, "Eye"),
];

const CHRONIC_PAIN: &str = "Chronic Pain Medical Treatment Guidelines";
const ODG: &str = "Official Disability Guidelines";
/// The MTUS Opioid Treatment Guidelines (2016), a document of their own.
const OPIOID: &str = "Opioid Treatment Guidelines";

/// A recognised document: the pattern that names it, its source and name.
struct Known {
    pattern: &'static str,
    source: Source,
    document: &'static str,
}

const fn k(pattern: &'static str, source: Source, document: &'static str) -> Known {
    Known {
        pattern,
        source,
        document,
    }
}

/// The documents a basis may name, the first named first where two match
/// at one place.
const KNOWN: [Known; 8] = [
    k(
        r"(?i)chronic\s+pain(\s+medical)?(\s+treatment)?(\s+guidelines)?",
        Source::Mtus,
        CHRONIC_PAIN,
    ),
    k(
        r"(?i)\bopioids?\s+treatment(\s+guidelines?)?",
        Source::Mtus,
        OPIOID,
    ),
    k(
        r"(?i)acupuncture(\s+medical)?\s+treatment(\s+guidelines)?",
        Source::Mtus,
        "Acupuncture Medical Treatment Guidelines",
    ),
    k(
        r"(?i)post-?\s?surgical(\s+treatment)?(\s+guidelines)?",
        Source::Mtus,
        "Postsurgical Treatment Guidelines",
    ),
    k(
        r"(?i)official\s+disability\s+guidelines?(?:,?\s*\(ODG\))?|\bODG\b",
        Source::Odg,
        ODG,
    ),
    k(r"(?i)\bdrugs\.com\b", Source::Other, "drugs.com"),
    k(
        r"(?i)\bPDR\b(\s*\(physician'?s'?\s+desk\s+reference\))?|physician'?s'?\s+desk\s+reference",
        Source::Other,
        "Physicians' Desk Reference",
    ),
    k(r"(?i)\bFDA\b", Source::Other, "FDA"),
];

/// Every known document's pattern searched at once: one pass over a basis
/// rather than a search per document. The match says which document
/// (`KNOWN`'s index).
static DOCUMENTS: LazyLock<meta::Regex> =
    LazyLock::new(|| meta::Regex::new_many(&KNOWN.map(|k| k.pattern)).expect("valid regexes"));

/// The MTUS documents and the ACOEM chapters by title, searched where a
/// document may be joined on with "and".
static JOINED: LazyLock<meta::Regex> = LazyLock::new(|| {
    let mtus = KNOWN.iter().filter(|k| k.source == Source::Mtus);
    let patterns: Vec<&str> = mtus
        .map(|k| k.pattern)
        .chain([ACOEM_TITLE.regex.as_str()])
        .collect();
    meta::Regex::new_many(&patterns).expect("valid regexes")
});

static ACOEM_TITLE: LazyLock<Hinted> = LazyLock::new(|| {
    Hinted::new(
        r"(?i)\b(neck\s+and\s+upper\s+back|shoulder|elbow|forearm,?\s+wrist,?\s+and\s+hand|low\s+back|knee|ankle\s+and\s+foot|stress[\s-]related)\s+(complaints|conditions|disorders)(\s+\d{4})?|\bgeneral\s+approach(es)?(\s+\d{4})?|\beye(\s+complaints)?\s+(19|20)\d\d\b",
        &["complaint", "condition", "order", "general", "eye"],
    )
});

static ACOEM_CHAPTER: LazyLock<Hinted> = LazyLock::new(|| {
    Hinted::new(
        r"(?i)\bACOEM\b[^.;]*?\b(?:chapter|ch\.?)\s*(\d{1,2})\b|\bACOEM\b",
        &["acoem"],
    )
});

static BASIS_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bdecision\s+based\s+on\b").expect("valid regex"));

/// "Page(s): 47,Chronic Pain …": a page list followed by another document.
static NEXT_DOCUMENT: LazyLock<Hinted> = LazyLock::new(|| {
    Hinted::new(
        r"(?i)page\(s\):\s*[\d\s,\-–]*\d\s*[.,;]\s*([A-Z][a-z])",
        &["page("],
    )
});

static NO_EVIDENCE: LazyLock<Hinted> = LazyLock::new(|| {
    Hinted::new(
        r"(?i)did\s+not\s+cite\s+any\s+(medical\s+)?evidence|no\s+(medical\s+)?evidence\s+(was\s+)?cited",
        &["evidence"],
    )
});

/// Parses one party's guideline basis into citations, one per document.
pub fn parse_basis(by: By, text: &str) -> Vec<Citation> {
    let text = crate::decode::squeeze_space(text);
    if text.is_empty() {
        return Vec::new();
    }
    let lower = text.to_ascii_lowercase();
    let mut citations: Vec<Citation> = split_documents(&text, &lower)
        .into_iter()
        .filter_map(|(piece, lower)| parse_piece(by, piece, lower))
        .collect();
    if citations.is_empty() {
        let none = NO_EVIDENCE.is_match(&text, &lower);
        citations.push(Citation {
            by,
            source: if none { Source::None } else { Source::Other },
            document: None,
            section: None,
            pages: Vec::new(),
            text,
        });
    }
    citations
}

/// Splits at each "Decision based on" and after a page list that runs into
/// the next document's name.
/// Each piece comes with its lower-case twin, cut from `lower`.
fn split_documents<'t, 'l>(text: &'t str, lower: &'l str) -> Vec<(&'t str, &'l str)> {
    let mut cuts: Vec<usize> = BASIS_SPLIT.find_iter(text).map(|m| m.start()).collect();
    if NEXT_DOCUMENT.may_match(lower) {
        cuts.extend(
            NEXT_DOCUMENT
                .regex
                .captures_iter(text)
                .filter_map(|c| c.get(1).map(|m| m.start())),
        );
    }
    cuts.extend(second_documents(text));
    cuts.extend(further_evidence(text, lower));
    cuts.push(0);
    cuts.push(text.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| {
            let raw = &text[w[0]..w[1]];
            let piece = raw.trim();
            let piece = piece.strip_suffix("and").unwrap_or(piece).trim_end();
            let piece = piece.trim_end_matches(',').trim();
            // Only the end is cut after the first trim: the start stays put.
            let start = w[0] + raw.len() - raw.trim_start().len();
            let lower = lower.get(start..start + piece.len())?;
            (!piece.is_empty()).then_some((piece, lower))
        })
        .collect()
}

/// "MTUS Postsurgical Treatment 2009, and Chronic Pain Medical Treatment
/// 2016": where a further MTUS document is joined on with "and" or a comma.
fn second_documents(text: &str) -> Vec<usize> {
    memchr::memmem::find_iter(text.as_bytes(), " and")
        .filter(|&at| !text[..at].ends_with("Chapter"))
        .filter_map(|at| {
            let after = &text[at + " and".len()..];
            let start = text.len() - after.trim_start().len();
            let input = Input::new(text)
                .span(start..text.len())
                .anchored(Anchored::Yes);
            let m = JOINED.find(input)?;
            names_document(&text[m.range()], &text[m.end()..]).then_some(start)
        })
        .collect()
}

/// Whether a document's name, followed by `after`, is written as a
/// document is cited ("Opioid Treatment 2016", "… Guidelines",
/// "…, Section(s):") and not as words of a section ("Opioids for Chronic
/// Pain and Chronic Opioid Treatment, 3.3.10 …").
fn names_document(name: &str, after: &str) -> bool {
    let after = after.trim_start().trim_start_matches(',').trim_start();
    let year = |s: &str| {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        digits == 4 && (s.starts_with("19") || s.starts_with("20"))
    };
    let lower = name.to_ascii_lowercase();
    lower.contains("guideline")
        || name.len() > 4 && year(&name[name.len() - 4..])
        || year(after)
        || after
            .get(..10)
            .is_some_and(|w| w.eq_ignore_ascii_case("section(s)"))
}

/// "… and Other Medical Treatment Guideline or Medical Evidence: <a web
/// address>", "…, and Non-MTUS Citation …": further evidence joined on.
fn further_evidence(text: &str, lower: &str) -> Vec<usize> {
    static FURTHER: LazyLock<Hinted> = LazyLock::new(|| {
        Hinted::new(
            r"(?i)(?:\band|,)\s+(other\s+medical\s+treatment\s+guidelines?\s+or\s+medical\s+evidence|non-mtus\s+citation)",
            &["other medical", "non-mtu"],
        )
    });
    if !FURTHER.may_match(lower) {
        return Vec::new();
    }
    FURTHER
        .regex
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.start()))
        .collect()
}

/// Preambles that carry no citation of their own.
fn is_preamble(piece: &str) -> bool {
    static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^the\s+(claims\s+administrator|expert\s+reviewer)\s+(did\s+not\s+base|based)\s+(their|its|his/her|his|her)\s+decision\s+on\s+(the\s+MTUS|recommendation\(s\)\s+outside\s+of\s+the\s+MTUS(\s+guidelines)?)\.?$",
        )
        .expect("valid regex")
    });
    // Every preamble starts with "the" (no character beyond ASCII folds
    // to t, h or e): most pieces fail here, without the regex.
    let piece = piece.trim();
    piece
        .get(..3)
        .is_some_and(|w| w.eq_ignore_ascii_case("the"))
        && PREAMBLE.is_match(piece)
}

/// `lower` is `piece` in ASCII lower case.
fn parse_piece(by: By, piece: &str, lower: &str) -> Option<Citation> {
    if is_preamble(piece) || NO_EVIDENCE.is_match(piece, lower) {
        return None;
    }
    let body = strip_lead(piece, lower);
    if body.trim_matches(|c: char| !c.is_alphanumeric()).is_empty() {
        return None;
    }
    let pages = basis_pages(body);
    let (source, document, rest) = identify(lower, body);
    let section = match is_web_address(body) {
        true => None,
        false => section_of(rest, lower),
    };
    Some(Citation {
        by,
        source,
        document,
        section,
        pages,
        text: piece.to_owned(),
    })
}

/// Drops "Decision based on", "Non-MTUS Citation", "the", and the 2013
/// phrasing's ", which is part of the MTUS".
fn strip_lead<'p>(piece: &'p str, lower_piece: &str) -> &'p str {
    static LEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(the\s+(claims\s+administrator|expert\s+reviewer)\s+based\s+(its|their|his/her|his|her)\s+decision\s+on\s+)?(decision\s+based\s+on\s+)?(non-mtus\s+citation:?\s+)?(other\s+medical\s+treatment\s+guidelines?(\s+or\s+medical\s+evidence)?:?\s+)?(the\s+)?")
            .expect("valid regex")
    });
    static TAIL: LazyLock<Hinted> = LazyLock::new(|| {
        Hinted::new(
            r"(?i),?\s*which\s+(is|are)\s+(not\s+)?(a\s+)?part\s+of\s+the\s+MTUS\.?$",
            &["which"],
        )
    });
    // Every lead starts with one of these (lower case, as `(?i)` reads them).
    let led = ["the", "deci", "non-mtu", "other"].iter().any(|w| {
        piece
            .get(..w.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(w))
    });
    let body = match led {
        true => LEAD.find(piece).map_or(piece, |m| &piece[m.end()..]),
        false => piece,
    };
    TAIL.find(body, lower_piece)
        .map_or(body, |m| &body[..m.start()])
}

/// Source, canonical document, and the text left for the section.
/// `lower_piece` is the whole piece, which holds `body`, in lower case.
/// The document is the one named first, before any "Section(s):": the
/// section "3.3.9 Opioids for Chronic Pain" does not make the Opioid
/// Treatment guideline the Chronic Pain one.
fn identify(lower_piece: &str, body: &str) -> (Source, Option<String>, String) {
    let non_mtus = lower_piece.contains("non-mtus");
    let head = &body[..section_label(body, lower_piece).unwrap_or(body.len())];
    let acoem = acoem_document(head, lower_piece).map(|(document, range)| {
        let source = match head.contains("MTUS") || !non_mtus {
            true => Source::Mtus,
            false => Source::Acoem,
        };
        (range, source, document)
    });
    let known = DOCUMENTS.find(head).map(|m| {
        let k = &KNOWN[m.pattern().as_usize()];
        (m.range(), k.source, k.document.to_owned())
    });
    if let Some((range, source, document)) =
        acoem.into_iter().chain(known).min_by_key(|(r, ..)| r.start)
    {
        return (source, Some(document), remove(body, range));
    }
    let mtus = !non_mtus && body.trim_start().starts_with("MTUS");
    let source = if mtus { Source::Mtus } else { Source::Other };
    let document = other_document(head);
    (source, document, String::new())
}

/// Where "Section(s)" starts in `body`, when the piece has one.
fn section_label(body: &str, lower_piece: &str) -> Option<usize> {
    const LABEL: &str = "section(s)";
    if !lower_piece.contains(LABEL) {
        return None;
    }
    body.to_ascii_lowercase().find(LABEL)
}

/// "http://www.drugs.com/pro/terocin.html": a basis that is a web address
/// names its document and has no section.
fn is_web_address(body: &str) -> bool {
    let t = body.trim_start();
    ["http://", "https://", "www."]
        .iter()
        .any(|p| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
}

/// An ACOEM chapter, named by number ("ACOEM Chapter 12") or by title
/// ("Low Back Complaints 2004").
fn acoem_document(body: &str, lower_piece: &str) -> Option<(String, std::ops::Range<usize>)> {
    let name = |n: u32| {
        ACOEM_CHAPTERS
            .iter()
            .find(|(c, _)| *c == n)
            .map(|(c, t)| format!("ACOEM Practice Guidelines, Chapter {c} {t}"))
    };
    if let Some(m) = ACOEM_TITLE.find(body, lower_piece) {
        let title = m.as_str().to_ascii_lowercase().replace(',', "");
        // The chapter whose title's first word the match starts with.
        let chapter = ACOEM_CHAPTERS.iter().find(|(_, t)| {
            let first = t.split_whitespace().next().unwrap_or("");
            let first = first.trim_end_matches(',');
            title
                .get(..first.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(first))
        });
        let document = match chapter {
            Some((n, _)) if !title.starts_with("general") => name(*n)?,
            _ => "ACOEM Practice Guidelines, General Approaches".to_owned(),
        };
        return Some((document, m.range()));
    }
    if !ACOEM_CHAPTER.may_match(lower_piece) {
        return None;
    }
    let c = ACOEM_CHAPTER.regex.captures(body)?;
    let whole = c.get(0)?;
    let chapter = c.get(1).and_then(|n| n.as_str().parse::<u32>().ok());
    let Some((n, title)) = chapter.and_then(|n| ACOEM_CHAPTERS.iter().find(|(c, _)| *c == n))
    else {
        return Some(("ACOEM Practice Guidelines".to_owned(), whole.range()));
    };
    // "ACOEM Chapter 3 Initial Approaches to Treatment": the title is the document's.
    let after = &body[whole.end()..];
    let lead = after.len() - after.trim_start().len();
    let titled = after
        .trim_start()
        .get(..title.len())
        .is_some_and(|t| t.eq_ignore_ascii_case(title));
    let end = whole.end() + if titled { lead + title.len() } else { 0 };
    Some((name(*n)?, whole.start()..end))
}

fn remove(body: &str, range: std::ops::Range<usize>) -> String {
    format!("{} {}", &body[..range.start], &body[range.end..])
}

/// A document no table names: its text up to the first full stop.
fn other_document(body: &str) -> Option<String> {
    let cut = body.find(". ").unwrap_or(body.len());
    let doc = body[..cut].trim().trim_end_matches(['.', ',']).trim();
    let doc = doc
        .strip_prefix("MTUS")
        .unwrap_or(doc)
        .trim_start_matches([':', ' ']);
    (!doc.is_empty()).then(|| doc.to_owned())
}

/// The topic or sections cited: "Section(s): Topical Analgesics" or what
/// is left once the document, years, regulations and pages are gone.
fn section_of(rest: String, lower_piece: &str) -> Option<String> {
    static PAGES: LazyLock<Hinted> = LazyLock::new(|| {
        Hinted::new(
            r"(?i)\bpage\(s\):?[\s\d,\-–and]*|\bpages?\s+[\d\-–, ]+|\bpg\.?\s*\d+|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
            &["page", "pg", "/"],
        )
    });
    let no_pages = |text: &str| match PAGES.may_match(lower_piece) {
        true => PAGES.regex.replace_all(text, " ").into_owned(),
        false => text.to_owned(),
    };
    // ASCII classes (`-u`) run twice as fast, and differ from Unicode's
    // only beside non-ASCII letters and digits.
    static NOISE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i-u)\bMTUS\s*\d{4}\.\d+\w*\.?|\b(19|20)\d{2}\b|\(\s*\)|\bMTUS\b:?|\bguidelines?\b|\btopic\b|\bmedical\s+treatment\b|\btreatment\b|\bchapter\b:?")
            .expect("valid regex")
    });
    let text = match listed_sections(&rest, lower_piece) {
        Some(listed) => no_pages(listed),
        None => NOISE.replace_all(&no_pages(&rest), " ").into_owned(),
    };
    let mut cleaned = crate::decode::squeeze_space(&text);
    for (from, to) in [(" ,", ","), (" .", "."), (",,", ",")] {
        if cleaned.contains(from) {
            cleaned = cleaned.replace(from, to);
        }
    }
    let cleaned = cleaned.trim_matches(|c: char| c.is_whitespace() || ",.;:-".contains(c));
    (!cleaned.is_empty() && cleaned.chars().any(char::is_alphabetic)).then(|| cleaned.to_owned())
}

/// What follows "Section(s):" and the spaces after it, to the end of the
/// line. `lower_piece` holds the whole piece in lower case; `text` is
/// what is left of it.
fn listed_sections<'t>(text: &'t str, lower_piece: &str) -> Option<&'t str> {
    // The label found, then the line's rest taken: a capture group of the
    // rest made the regex crate run a slower engine over it.
    static LABEL: LazyLock<Hinted> =
        LazyLock::new(|| Hinted::new(r"(?i)section\(s\):\s*", &["ection("]));
    let rest = &text[LABEL.find(text, lower_piece)?.end()..];
    rest.split('\n').next()
}

/// Pages a basis cites: every "Page(s): …" / "page …" / "pg. …" form, and
/// the bare ", , 64" that a blank page label leaves.
pub fn basis_pages(text: &str) -> Vec<u32> {
    static BLANK_LABEL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r",\s*,\s*(\d{1,4})\b").expect("valid regex"));
    let mut pages = prose_pages(text);
    for c in BLANK_LABEL.captures_iter(text) {
        pages.extend(c[1].parse::<u32>().ok().filter(|&p| is_page(p)));
    }
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Pages cited in running text: "as noted on page 41", "pages 76-80",
/// "page 111-113", "Page(s): 105, 111, 112", "pg. 607". Never strengths,
/// quantities, years, scores or regulation numbers: a number counts only
/// after a page word.
pub fn prose_pages(text: &str) -> Vec<u32> {
    static PAGE_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bpage\(s\)\s*:?\s*|\b(?:pages?|pgs?|pp)\b\.?\s*:?\s*|\bp\.\s*")
            .expect("valid regex")
    });
    let mut pages: Vec<u32> = PAGE_WORD
        .find_iter(text)
        .flat_map(|m| page_list(&text[m.end()..]))
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages
}

/// Reads "105, 111-113 and 41" from the start of `s`, stopping at the
/// first thing that is not a page.
fn page_list(s: &str) -> Vec<u32> {
    let mut pages = Vec::new();
    let mut rest = s;
    while let Some((first, after)) = number(rest) {
        let (last, after) = match range_end(after) {
            Some((end, after)) => (end, after),
            None => (first, after),
        };
        if !is_page(first) || !is_page(last) || last < first || last - first > 100 {
            break;
        }
        pages.extend(first..=last);
        match list_separator(after) {
            Some(next) => rest = next,
            None => break,
        }
    }
    pages
}

/// A number that is a whole token: not "7.5", "2%", "7/10", "#90", "5mg".
fn number(s: &str) -> Option<(u32, &str)> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let after = &s[digits..];
    let next = after.chars().next();
    let next2 = after.chars().nth(1);
    let glued = match next {
        Some('.' | ',') => next2.is_some_and(|c| c.is_ascii_digit()),
        Some('%' | '/' | '#') => true,
        Some(c) => c.is_alphanumeric(),
        None => false,
    };
    if glued {
        return None;
    }
    let n = s[..digits].parse().ok()?;
    Some((n, after))
}

fn range_end(s: &str) -> Option<(u32, &str)> {
    let t = s.trim_start();
    let t = ["-", "–", "—", "to ", "through "]
        .iter()
        .find_map(|sep| t.strip_prefix(sep))?;
    number(t.trim_start())
}

fn list_separator(s: &str) -> Option<&str> {
    let t = s.trim_start();
    let t = [",", "and ", "&", ";"]
        .iter()
        .find_map(|sep| t.strip_prefix(sep))?;
    let t = t.trim_start();
    let t = t.strip_prefix("and ").map_or(t, str::trim_start);
    t.starts_with(|c: char| c.is_ascii_digit()).then_some(t)
}

/// Guideline pages run to a few hundred; years and large numbers are not pages.
fn is_page(n: u32) -> bool {
    (1..1900).contains(&n)
}

/// Label of a page whose document the reviewer does not state.
pub const NOT_STATED: &str = "(not stated)";

/// A page or section as the citator counts it: "page" or "section", the
/// page number or the section's name, and its document.
pub type Cited = (&'static str, String, String);

/// A citation's document as the citator names it: "MTUS: Chronic Pain
/// Medical Treatment Guidelines", "ODG: (none)".
pub fn document_label(c: &Citation) -> String {
    format!(
        "{}: {}",
        c.source.as_str(),
        c.document.as_deref().unwrap_or("(none)")
    )
}

/// The reviewer's citations.
pub fn by_reviewer(guidelines: &[Citation]) -> impl Iterator<Item = &Citation> {
    guidelines.iter().filter(|c| c.by == By::Reviewer)
}

/// The documents a cited page belongs to: the reviewer's citations that
/// list it; else, for a page found only in the rationale's prose, the one
/// guideline document the reviewer cites, and `NOT_STATED` when there are
/// several or none.
pub fn page_documents(guidelines: &[Citation], page: u32) -> Vec<String> {
    let listing: std::collections::BTreeSet<String> = by_reviewer(guidelines)
        .filter(|c| c.pages.contains(&page))
        .map(document_label)
        .collect();
    if !listing.is_empty() {
        return listing.into_iter().collect();
    }
    let documents: std::collections::BTreeSet<String> = by_reviewer(guidelines)
        .filter(|c| matches!(c.source, Source::Mtus | Source::Odg | Source::Acoem))
        .map(document_label)
        .collect();
    match documents.len() {
        1 => documents.into_iter().collect(),
        _ => vec![NOT_STATED.to_owned()],
    }
}

/// The sections of a citation: "Topical Salicylate, Topical Analgesics"
/// names two.
pub fn sections(c: &Citation) -> impl Iterator<Item = &str> {
    c.section
        .as_deref()
        .unwrap_or("")
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Every page and section the reviewer cites in a decision, each with its
/// document: what the citator counts. Ingest indexes them (the `cited`
/// facet), so that the citator counts from the index's columns.
pub fn cited(pages: &[u32], guidelines: &[Citation]) -> Vec<Cited> {
    let mut all = Vec::new();
    for &page in pages {
        for document in page_documents(guidelines, page) {
            all.push(("page", page.to_string(), document));
        }
    }
    for c in by_reviewer(guidelines) {
        for section in sections(c) {
            all.push(("section", section.to_owned(), document_label(c)));
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(s: &str) -> Vec<u32> {
        prose_pages(s)
    }

    #[test]
    fn page_forms() {
        assert_eq!(pages("Page(s): 41."), [41]);
        assert_eq!(pages("pg. 607"), [607]);
        assert_eq!(pages("Page(s): 111-113."), [111, 112, 113]);
        assert_eq!(pages("Page(s): 105, 111, 112."), [105, 111, 112]);
        assert_eq!(pages("Page(s): 41 and 64."), [41, 64]);
        assert_eq!(
            pages("see pages 76-80 of the guidelines"),
            [76, 77, 78, 79, 80]
        );
        assert_eq!(pages("page 24"), [24]);
        assert_eq!(pages("Page(s): 113, 111-112, 60"), [60, 111, 112, 113]);
        assert_eq!(pages("As noted on page 41 of the MTUS"), [41]);
        assert_eq!(pages("page 111-113, Topical Analgesics"), [111, 112, 113]);
        assert_eq!(pages("ACOEM Chapter 12, Table 12-8, page 309"), [309]);
        assert_eq!(pages("Page(s): 111- 113"), [111, 112, 113]);
        assert_eq!(
            basis_pages("Chronic Pain Medical Treatment Guidelines, , 64"),
            [64]
        );
    }

    #[test]
    fn non_pages() {
        assert!(pages("MTUS 2009, 7.5 mg #90, 2% cream, pain 7/10, 9792.20f, 6 weeks").is_empty());
        assert!(pages("page 2009").is_empty());
        assert!(pages("page 7.5 mg").is_empty());
        assert!(pages("page 7/10").is_empty());
        assert_eq!(pages("page 41, 7.5 mg"), [41]);
        assert_eq!(pages("page 12, 2016"), [12]);
    }

    fn one(by: By, text: &str) -> Citation {
        let mut c = parse_basis(by, text);
        assert_eq!(c.len(), 1, "{c:?}");
        c.remove(0)
    }

    /// A further document is cut off where it is joined on with "and",
    /// never inside a section's words nor after "Chapter and".
    #[test]
    fn documents_joined_on_with_and() {
        let two = "MTUS Postsurgical Treatment 2009, and Chronic Pain Medical Treatment 2016";
        assert_eq!(second_documents(two), [two.find("Chronic").unwrap()]);
        let acoem = "MTUS Chronic Pain 2009 and Knee Complaints 2004, Section(s): Special Studies";
        assert_eq!(second_documents(acoem), [acoem.find("Knee").unwrap()]);
        let section = "MTUS Opioid Treatment 2016, Section(s): 3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment";
        assert_eq!(second_documents(section), Vec::<usize>::new());
        let chapter = "ACOEM Chapter and Knee Complaints 2004";
        assert_eq!(second_documents(chapter), Vec::<usize>::new());
    }

    #[test]
    fn topic_and_pages() {
        let c = one(
            By::Reviewer,
            "Decision based on MTUS Chronic Pain Treatment Guidelines Cyclobenzaprine topic. Page(s): 41.",
        );
        assert_eq!(c.source, Source::Mtus);
        assert_eq!(c.document.as_deref(), Some(CHRONIC_PAIN));
        assert_eq!(c.section.as_deref(), Some("Cyclobenzaprine"));
        assert_eq!(c.pages, [41]);
    }

    #[test]
    fn two_documents_in_one_basis() {
        let c = parse_basis(
            By::Reviewer,
            "Decision based on MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 47,Chronic Pain Treatment Guidelines Topical Analgesics topic. MTUS 9792.20f. Page(s): 111.",
        );
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].source, Source::Mtus);
        assert_eq!(
            c[0].document.as_deref(),
            Some("ACOEM Practice Guidelines, Chapter 3 Initial Approaches to Treatment")
        );
        assert_eq!(c[0].pages, [47]);
        assert_eq!(c[1].document.as_deref(), Some(CHRONIC_PAIN));
        assert_eq!(c[1].section.as_deref(), Some("Topical Analgesics"));
        assert_eq!(c[1].pages, [111]);
    }

    #[test]
    fn section_style() {
        let c = one(
            By::Reviewer,
            "Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Topical Analgesics, Page(s): 111-113.",
        );
        assert_eq!(c.section.as_deref(), Some("Topical Analgesics"));
        assert_eq!(c.pages, [111, 112, 113]);
        let c = one(
            By::Reviewer,
            "Decision based on MTUS Low Back Complaints 2004, Section(s): Physical Methods.",
        );
        assert_eq!(c.source, Source::Mtus);
        assert_eq!(
            c.document.as_deref(),
            Some("ACOEM Practice Guidelines, Chapter 12 Low Back Complaints")
        );
        assert_eq!(c.section.as_deref(), Some("Physical Methods"));
        assert!(c.pages.is_empty());
    }

    #[test]
    fn non_mtus_and_none() {
        let c = parse_basis(
            By::ClaimsAdministrator,
            "The Claims Administrator did not base their decision on the MTUS. Decision based on Non-MTUS Citation Official Disability Guidelines, (ODG) Pain.",
        );
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].source, Source::Odg);
        assert_eq!(c[0].document.as_deref(), Some(ODG));
        assert_eq!(c[0].section.as_deref(), Some("Pain"));
        let c = one(
            By::ClaimsAdministrator,
            "The Claims Administrator did not cite any medical evidence for its decision.",
        );
        assert_eq!(c.source, Source::None);
        assert_eq!(c.document, None);
        let c = one(
            By::Reviewer,
            "Decision based on Non-MTUS Citation PDR (physician's desk reference).",
        );
        assert_eq!(c.source, Source::Other);
        let c = one(
            By::Reviewer,
            "Decision based on Non-MTUS Citation ACOEM Chapter 6, page 115.",
        );
        assert_eq!(c.source, Source::Acoem);
        assert_eq!(c.pages, [115]);
    }

    #[test]
    fn numbered_layout_basis() {
        let c = one(
            By::ClaimsAdministrator,
            "The Claims Administrator based its decision on the Chronic Pain Medical Treatment Guidelines, pages 76-80, which is part of the MTUS.",
        );
        assert_eq!(c.source, Source::Mtus);
        assert_eq!(c.pages, [76, 77, 78, 79, 80]);
    }
}
