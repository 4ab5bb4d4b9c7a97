//! A page's URL parameters → the typed requests the query stage takes, and
//! back: links that add or remove one filter keep the rest of the URL.
//! Pure: no index, no I/O.

use serde::Deserialize;

use crate::query::{Filters, Sort};
use crate::record::Record;

/// Every parameter any page reads, named like the command line's flags;
/// each page uses its own share and ignores the rest.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Params {
    pub q: Option<String>,
    pub outcome: Option<String>,
    pub drug: Option<String>,
    pub class: Option<String>,
    pub category: Option<String>,
    pub guideline: Option<String>,
    pub page: Option<String>,
    pub specialty: Option<String>,
    pub state: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub sort: Option<String>,
    pub offset: Option<String>,
    pub limit: Option<String>,
    pub facets: Option<String>,
    /// `/stats`: what to group by.
    pub by: Option<String>,
    /// `/cites`: the section whose citing decisions to list.
    pub section: Option<String>,
    /// `/cites`: words of the guideline document.
    pub document: Option<String>,
    /// `/decision`: SOURCE#N, CASE_NUMBER#N, SOURCE or CASE_NUMBER.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

/// The filter parameters, in the order links write them, with their
/// labels on the page.
pub const FILTERS: [(&str, &str); 10] = [
    ("outcome", "outcome"),
    ("drug", "drug"),
    ("class", "class"),
    ("category", "category"),
    ("guideline", "guideline"),
    ("page", "page"),
    ("specialty", "specialty"),
    ("state", "state"),
    ("since", "since"),
    ("until", "until"),
];

/// What a bad parameter is; its text is shown on a 400 page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadParam(pub String);

impl std::fmt::Display for BadParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A parameter's value, trimmed; an empty one (a form's empty field) is
/// no value.
fn value(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Params {
    /// The value of the parameter `name`, when set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        value(self.slot(name)?)
    }

    fn slot(&self, name: &str) -> Option<&Option<String>> {
        Some(match name {
            "q" => &self.q,
            "outcome" => &self.outcome,
            "drug" => &self.drug,
            "class" => &self.class,
            "category" => &self.category,
            "guideline" => &self.guideline,
            "page" => &self.page,
            "specialty" => &self.specialty,
            "state" => &self.state,
            "since" => &self.since,
            "until" => &self.until,
            "sort" => &self.sort,
            "offset" => &self.offset,
            "limit" => &self.limit,
            "facets" => &self.facets,
            "by" => &self.by,
            "section" => &self.section,
            "document" => &self.document,
            "ref" => &self.reference,
            _ => return None,
        })
    }

    fn slot_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "q" => &mut self.q,
            "outcome" => &mut self.outcome,
            "drug" => &mut self.drug,
            "class" => &mut self.class,
            "category" => &mut self.category,
            "guideline" => &mut self.guideline,
            "page" => &mut self.page,
            "specialty" => &mut self.specialty,
            "state" => &mut self.state,
            "since" => &mut self.since,
            "until" => &mut self.until,
            "sort" => &mut self.sort,
            "offset" => &mut self.offset,
            "limit" => &mut self.limit,
            "facets" => &mut self.facets,
            "by" => &mut self.by,
            "section" => &mut self.section,
            "document" => &mut self.document,
            "ref" => &mut self.reference,
            _ => return None,
        })
    }

    /// These parameters with `name` set to `to` (or removed for `None`),
    /// from the first page of results.
    pub fn with(&self, name: &str, to: Option<&str>) -> Params {
        let mut next = self.clone();
        if let Some(slot) = next.slot_mut(name) {
            *slot = to.map(str::to_owned);
        }
        if name != "offset" {
            next.offset = None;
        }
        next
    }

    /// Whether any filter is set.
    pub fn any_filter(&self) -> bool {
        FILTERS.iter().any(|(name, _)| self.get(name).is_some())
    }

    /// The filters as the query stage takes them; a value no filter can
    /// take is refused with what to write instead.
    pub fn filters(&self) -> Result<Filters, BadParam> {
        let outcome = match self.get("outcome").map(str::to_ascii_lowercase) {
            Some(o) if ["upheld", "overturned", "unknown"].contains(&o.as_str()) => Some(o),
            Some(_) => {
                return Err(BadParam(format!(
                    "`{}` is not an outcome: choose upheld, overturned or unknown",
                    self.get("outcome").unwrap_or_default()
                )));
            }
            None => None,
        };
        let owned = |name: &str| self.get(name).map(str::to_owned);
        Ok(Filters {
            outcome,
            drug: owned("drug"),
            guideline: owned("guideline"),
            page: self.number("page", "a page number")?,
            specialty: owned("specialty"),
            state: owned("state"),
            category: owned("category"),
            class: owned("class"),
            since: owned("since"),
            until: owned("until"),
        })
    }

    /// `sort`: relevance (the default), newest or oldest.
    pub fn sort(&self) -> Result<Sort, BadParam> {
        match self.get("sort") {
            None | Some("relevance") => Ok(Sort::Relevance),
            Some("newest") => Ok(Sort::Newest),
            Some("oldest") => Ok(Sort::Oldest),
            Some(other) => Err(BadParam(format!(
                "`{other}` is not a sort order: choose relevance, newest or oldest"
            ))),
        }
    }

    /// The parameter `name` as a whole number, when set.
    pub fn number<T: std::str::FromStr>(
        &self,
        name: &str,
        what: &str,
    ) -> Result<Option<T>, BadParam> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| BadParam(format!("{name}: `{v}` is not {what}"))),
        }
    }

    /// `path?name=value&…` of the parameters set, in a fixed order.
    pub fn url(&self, path: &str) -> String {
        const ORDER: [&str; 19] = [
            "q",
            "ref",
            "by",
            "section",
            "document",
            "outcome",
            "drug",
            "class",
            "category",
            "guideline",
            "page",
            "specialty",
            "state",
            "since",
            "until",
            "sort",
            "limit",
            "facets",
            "offset",
        ];
        let pairs: Vec<String> = ORDER
            .iter()
            .filter_map(|name| Some(format!("{name}={}", encode(self.get(name)?))))
            .collect();
        match pairs.is_empty() {
            true => path.to_owned(),
            false => format!("{path}?{}", pairs.join("&")),
        }
    }
}

/// A URL query value: every byte percent-encoded but the unreserved ones
/// and the few a query may hold as they are (`*`, `:`, `/`, `,`, `@`),
/// which keep a link readable: `q=page:111`, `ref=data/letters/003.txt%236`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(char::from(b)),
            b'-' | b'_' | b'.' | b'~' | b'*' | b':' | b'/' | b',' | b'@' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The link to a decision (or a whole letter) by any reference `imr show`
/// takes; the server answers it with the path form's address.
pub fn decision_url(reference: &str) -> String {
    format!("/decision?ref={}", encode(reference))
}

/// What names a letter in a path: its case number, else its id (the hash
/// of its bytes), both a single path segment.
pub fn letter_key<'a>(case_number: Option<&'a str>, letter_id: &'a str) -> &'a str {
    case_number.unwrap_or(letter_id)
}

/// The path form's address of a decision.
pub fn address(r: &Record) -> String {
    decision_path(letter_key(r.case_number.as_deref(), &r.letter), r.decision)
}

/// `/decision/CM17-0019120/2`: a decision by its letter's key.
pub fn decision_path(key: &str, decision: u32) -> String {
    format!("/decision/{}/{decision}", segment(key))
}

/// `/letter/CM17-0019120`: a whole letter.
pub fn letter_path(key: &str) -> String {
    format!("/letter/{}", segment(key))
}

/// A path segment: as `encode`, with the `/` encoded too.
fn segment(text: &str) -> String {
    encode(text).replace('/', "%2F")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::default();
        for (name, value) in pairs {
            *p.slot_mut(name).unwrap() = Some((*value).to_owned());
        }
        p
    }

    #[test]
    fn empty_values_are_no_values() {
        let p = params(&[("q", " "), ("drug", ""), ("outcome", "upheld")]);
        assert_eq!(p.get("q"), None);
        assert_eq!(p.get("drug"), None);
        assert!(p.any_filter());
        assert_eq!(p.url("/search"), "/search?outcome=upheld");
    }

    #[test]
    fn links_encode_values_and_start_again_at_the_first_page() {
        let p = params(&[("q", "\"topical analgesics\" & more"), ("offset", "20")]);
        assert_eq!(
            p.with("drug", Some("methyl salicylate")).url("/search"),
            "/search?q=%22topical%20analgesics%22%20%26%20more&drug=methyl%20salicylate"
        );
        assert_eq!(
            p.with("offset", Some("40")).url("/search"),
            "/search?q=%22topical%20analgesics%22%20%26%20more&offset=40"
        );
        assert_eq!(
            decision_url("data/real/pdf/CM17-0019120.pdf#2"),
            "/decision?ref=data/real/pdf/CM17-0019120.pdf%232"
        );
        assert_eq!(decision_path("CM17-0019120", 2), "/decision/CM17-0019120/2");
        assert_eq!(letter_path("a/b c"), "/letter/a%2Fb%20c");
        assert_eq!(letter_key(None, "a45f54df42937b01"), "a45f54df42937b01");
    }

    #[test]
    fn bad_values_say_what_to_write() {
        let bad = |pairs: &[(&str, &str)]| params(pairs).filters().unwrap_err().0;
        assert_eq!(
            bad(&[("outcome", "maybe")]),
            "`maybe` is not an outcome: choose upheld, overturned or unknown"
        );
        assert_eq!(bad(&[("page", "x1")]), "page: `x1` is not a page number");
        assert_eq!(
            params(&[("sort", "best")]).sort().unwrap_err().0,
            "`best` is not a sort order: choose relevance, newest or oldest"
        );
        let ok = params(&[("outcome", "Overturned"), ("page", "111")]).filters();
        let ok = ok.unwrap();
        assert_eq!(ok.outcome.as_deref(), Some("overturned"));
        assert_eq!(ok.page, Some(111));
    }
}
