//! The handlers: URL parameters → a typed request → the query stage's
//! typed result → a page (askama templates in `templates/`, checked at
//! compile time) or the command line's JSON.

use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use super::chart::{MonthChart, RateChart};
use super::params::{BadParam, Params, decision_url};
use crate::citation::{By as CitedBy, Citation, Source};
use crate::error::Error;
use crate::index::Opened;
use crate::query::cites::{Cited, Citing, Request as CitesRequest};
use crate::query::stats::{By, Request as StatsRequest};
use crate::query::{ReferenceError, Request, Results};
use crate::record::Record;
use crate::render::show;

pub(super) type Shared = Arc<Opened>;
/// A page's URL parameters, or why they could not be read.
pub(super) type Asked = Result<Query<Params>, QueryRejection>;

/// Hits per page of results.
const PER_PAGE: usize = 20;
/// Facet values shown before "more".
const FACET_VALUES: usize = 8;
/// The sidebar's facets, with their headings and the parameter each
/// value's link sets (`year` sets `since` and `until`).
const SIDEBAR: [(&str, &str, &str); 8] = [
    ("outcome", "Outcome", "outcome"),
    ("category", "Category", "category"),
    ("class", "Drug class", "class"),
    ("drug", "Drug", "drug"),
    ("guideline", "Guideline", "guideline"),
    ("page", "Page cited", "page"),
    ("specialty", "Reviewer's specialty", "specialty"),
    ("year", "Year", "year"),
];
/// `imr search`'s facets, which `/api/search` counts unless told.
const CLI_FACETS: [&str; 8] = [
    "outcome",
    "category",
    "drug",
    "source",
    "guideline",
    "page",
    "specialty",
    "year",
];
/// The most hits, rows or groups one request returns.
pub(super) const MAX_LIMIT: usize = 1000;
/// The deepest a search pages: each page beyond ranks every hit before
/// it, so that a deep page costs as much as a long list.
const MAX_OFFSET: usize = 10_000;
/// What `/search` and `/api/search` say with neither a query nor a
/// filter (the command line's message, in the page's words).
pub(super) const NOTHING_ASKED: &str =
    "give a query, `*` for every decision, or a filter such as drug or outcome";

/// What every page shows around its content.
pub(super) struct Layout {
    pub(super) title: String,
    /// The search box's text.
    pub(super) q: String,
    /// Which index the server reads.
    pub(super) index: String,
}

impl Layout {
    pub(super) fn new(index: &Opened, title: impl Into<String>, q: &str) -> Layout {
        Layout {
            title: title.into(),
            q: q.to_owned(),
            index: index.path.display().to_string(),
        }
    }
}

pub(super) struct Link {
    pub(super) label: String,
    pub(super) url: String,
}

struct Choice {
    label: String,
    url: String,
    selected: bool,
}

/// A page's response: HTML with a status.
pub(super) fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the page could not be drawn: {e}"),
        )
            .into_response(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

pub(super) fn error_page(
    index: &Opened,
    status: StatusCode,
    heading: &str,
    message: String,
) -> Response {
    let layout = Layout::new(index, heading, "");
    let body = ErrorPage {
        layout,
        heading: heading.to_owned(),
        message,
    };
    page(status, &body)
}

pub(super) fn bad_request(index: &Opened, message: impl std::fmt::Display) -> Response {
    error_page(
        index,
        StatusCode::BAD_REQUEST,
        "Bad request",
        message.to_string(),
    )
}

/// The status a library error deserves: the user's mistakes are 400,
/// the index's troubles 500.
pub(super) fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Query { .. } | Error::Usage(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub(super) fn reference_status(e: &ReferenceError) -> StatusCode {
    match e {
        ReferenceError::NotFound(_) | ReferenceError::NoSuchDecision { .. } => {
            StatusCode::NOT_FOUND
        }
        ReferenceError::Malformed(_) | ReferenceError::Ambiguous { .. } => StatusCode::BAD_REQUEST,
        ReferenceError::Index(e) => status_of(e),
    }
}

/// The parameters, or a 400 page saying what is wrong with them.
pub(super) fn params_of(index: &Opened, params: Asked) -> Result<Params, Response> {
    params
        .map(|Query(p)| p)
        .map_err(|e| bad_request(index, e.body_text()))
}

/// Runs a read of the index off the server's thread, on its last commit.
pub(super) async fn read<T: Send + 'static>(
    index: &Shared,
    work: impl FnOnce(&Opened) -> T + Send + 'static,
) -> Result<T, Response> {
    let shared = Arc::clone(index);
    // Queued while the readers are busy: a flood of slow requests waits
    // its turn instead of taking every thread.
    let _permit = readers().acquire().await;
    tokio::task::spawn_blocking(move || {
        // A failed reload keeps the commit read before, which still
        // answers; the next request tries again.
        let _ = shared.reader.reload();
        work(&shared)
    })
    .await
    .map_err(|_| {
        error_page(
            index,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error",
            "the request stopped unexpectedly; please report it with its URL".to_owned(),
        )
    })
}

/// Reads of the index run at once: two per core, so that one slow
/// request leaves room for the others and many wait in turn.
fn readers() -> &'static tokio::sync::Semaphore {
    static READERS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    READERS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        tokio::sync::Semaphore::new(2 * cores)
    })
}

// ---- the home page ---------------------------------------------------

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    letters: usize,
    decisions: usize,
    examples: Vec<Link>,
}

pub(super) async fn home(State(index): State<Shared>) -> Response {
    let info = match read(&index, crate::index::info::info).await {
        Ok(Ok(info)) => info,
        Ok(Err(e)) => return error_page(&index, status_of(&e), "Error", e.to_string()),
        Err(r) => return r,
    };
    let examples = [
        ("acupuncture", "/search?q=acupuncture"),
        ("MRI, overturned", "/search?q=MRI&outcome=overturned"),
        (
            "\"topical analgesics\" citing page 111",
            "/search?q=%22topical%20analgesics%22&page=111",
        ),
        (
            "cyclobenzaprine, newest first",
            "/search?q=cyclobenzaprine&sort=newest",
        ),
        (
            "every pharmaceuticals decision",
            "/search?category=Pharmaceuticals",
        ),
        ("outcomes by drug", "/stats?by=drug"),
        ("the most cited guideline pages", "/cites"),
    ];
    let body = HomePage {
        layout: Layout::new(&index, "IMR decisions", ""),
        letters: info.letters,
        decisions: info.decisions,
        examples: examples
            .iter()
            .map(|(label, url)| Link {
                label: (*label).to_owned(),
                url: (*url).to_owned(),
            })
            .collect(),
    };
    page(StatusCode::OK, &body)
}

// ---- search ----------------------------------------------------------

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    message: Option<String>,
    /// "2 matching decisions".
    summary: String,
    /// "1–20 of 45".
    range: String,
    hits: Vec<HitView>,
    facets: Vec<FacetView>,
    /// The filters set, each with a link that removes it.
    active: Vec<Link>,
    suggestions: Vec<Link>,
    prev: Option<String>,
    next: Option<String>,
    sorts: Vec<Choice>,
    /// The form's hidden fields: the filters and order to keep when the
    /// query changes.
    hidden: Vec<(String, String)>,
    /// This search as JSON.
    api: String,
    /// Decisions and overturn rate by month, of every match.
    months: Option<MonthChart>,
    /// The date form's fields, and what it keeps of the rest.
    since: String,
    until: String,
    dates_hidden: Vec<(String, String)>,
}

struct HitView {
    url: String,
    item: String,
    reference: String,
    case_number: Option<String>,
    dated: Option<String>,
    outcome: &'static str,
    /// The excerpt as HTML, its matches in `<mark>`.
    excerpt: String,
    guidelines: Option<String>,
    matched_drugs: Option<String>,
    pages: Option<String>,
}

struct FacetView {
    title: &'static str,
    values: Vec<FacetValue>,
    more: Vec<FacetValue>,
}

struct FacetValue {
    label: String,
    count: u64,
    url: String,
    selected: bool,
}

pub(super) async fn search(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params_of(&index, params) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let request = match search_request(&p, PER_PAGE, SIDEBAR.map(|f| f.0.to_owned()).to_vec()) {
        // Pages of 20, whatever `limit` says: the links step by 20.
        Ok(Some(r)) => Request {
            limit: PER_PAGE,
            ..r
        },
        Ok(None) => return search_page(&index, &p, None, Some(NOTHING_ASKED.to_owned())),
        Err(bad) => return search_error(&index, &p, StatusCode::BAD_REQUEST, bad.0),
    };
    let found = read(&index, move |i| {
        let results = crate::query::search(i, &request)?;
        let months = crate::query::timeline::by_month(i, Some(&request.query), &request.filters)?;
        Ok::<_, Error>((results, months))
    })
    .await;
    match found {
        Ok(Ok((results, months))) => {
            let what = match p.get("q") {
                Some(q) => format!("“{q}”"),
                None => "These decisions".to_owned(),
            };
            let chart = super::chart::months(&months, &what);
            search_page(&index, &p, Some((&results, chart)), None)
        }
        Ok(Err(e)) => search_error(&index, &p, status_of(&e), e.to_string()),
        Err(r) => r,
    }
}

/// The search request of the parameters; `None` when they ask nothing.
fn search_request(
    p: &Params,
    default_limit: usize,
    facets: Vec<String>,
) -> Result<Option<Request>, BadParam> {
    let filters = p.filters()?;
    let query = match (p.get("q"), p.any_filter()) {
        (Some(q), _) => q.to_owned(),
        (None, true) => "*".to_owned(),
        (None, false) => return Ok(None),
    };
    let limit = p
        .number("limit", "a number of hits")?
        .unwrap_or(default_limit)
        .min(MAX_LIMIT);
    let offset = p.number("offset", "a number of hits")?.unwrap_or(0);
    if offset > MAX_OFFSET {
        return Err(BadParam(format!(
            "offset: {offset} is past the first {MAX_OFFSET} hits; narrow the search with a filter, or sort by date"
        )));
    }
    Ok(Some(Request {
        query,
        filters,
        limit,
        offset,
        sort: p.sort()?,
        facets,
    }))
}

fn search_error(index: &Opened, p: &Params, status: StatusCode, message: String) -> Response {
    let mut response = search_page(index, p, None, Some(message));
    *response.status_mut() = status;
    response
}

fn search_page(
    index: &Opened,
    p: &Params,
    results: Option<(&Results, Option<MonthChart>)>,
    message: Option<String>,
) -> Response {
    let q = p.get("q").unwrap_or_default();
    let (results, months) = match results {
        Some((r, chart)) => (Some(r), chart),
        None => (None, None),
    };
    let title = match q {
        "" => "Search".to_owned(),
        q => format!("{q} — search"),
    };
    let offset = p.number::<usize>("offset", "").ok().flatten().unwrap_or(0);
    let (summary, range, hits, facets, suggestions, prev, next) = match results {
        None => Default::default(),
        Some(r) => {
            let shown = r.hits.len();
            let range = match shown {
                0 => String::new(),
                n => format!("{}–{} of {}", offset + 1, offset + n, r.total),
            };
            let prev = (offset > 0).then(|| {
                let back = offset.saturating_sub(PER_PAGE);
                let to = (back > 0).then(|| back.to_string());
                p.with("offset", to.as_deref()).url("/search")
            });
            let next = (offset + shown < r.total && offset + shown <= MAX_OFFSET).then(|| {
                p.with("offset", Some(&(offset + shown).to_string()))
                    .url("/search")
            });
            let suggestions = r
                .suggestions
                .iter()
                .map(|s| Link {
                    label: q.replace(&s.word, &s.suggestion),
                    url: p
                        .with("q", Some(&q.replace(&s.word, &s.suggestion)))
                        .url("/search"),
                })
                .collect();
            (
                decisions(
                    u64::try_from(r.total).unwrap_or(u64::MAX),
                    "matching decision",
                ),
                range,
                r.hits.iter().map(hit_view).collect(),
                facet_views(p, r),
                suggestions,
                prev,
                next,
            )
        }
    };
    let sorts = ["relevance", "newest", "oldest"]
        .iter()
        .map(|s| Choice {
            label: (*s).to_owned(),
            url: p
                .with("sort", (*s != "relevance").then_some(*s))
                .url("/search"),
            selected: p.get("sort").unwrap_or("relevance") == *s,
        })
        .collect();
    let hidden = super::params::FILTERS
        .iter()
        .map(|(name, _)| *name)
        .chain(["sort"])
        .filter_map(|name| Some((name.to_owned(), p.get(name)?.to_owned())))
        .collect();
    let dates_hidden = ["q"]
        .into_iter()
        .chain(super::params::FILTERS.iter().map(|(name, _)| *name))
        .chain(["sort"])
        .filter(|name| !["since", "until"].contains(name))
        .filter_map(|name| Some((name.to_owned(), p.get(name)?.to_owned())))
        .collect();
    let body = SearchPage {
        months,
        since: p.get("since").unwrap_or_default().to_owned(),
        until: p.get("until").unwrap_or_default().to_owned(),
        dates_hidden,
        layout: Layout::new(index, title, q),
        message,
        summary,
        range,
        hits,
        facets,
        active: active_filters(p),
        suggestions,
        prev,
        next,
        sorts,
        hidden,
        api: Params {
            limit: Some(PER_PAGE.to_string()),
            ..p.clone()
        }
        .url("/api/search"),
    };
    page(StatusCode::OK, &body)
}

/// "1 matching decision", "45 matching decisions".
pub(super) fn decisions(n: u64, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

fn hit_view(hit: &crate::query::Hit) -> HitView {
    let r = &hit.record;
    let joined = |v: &[String]| (!v.is_empty()).then(|| v.join(", "));
    let pages: Vec<String> = r.pages.iter().map(u32::to_string).collect();
    let guidelines: Vec<String> = reviewer_citations(r).map(show::describe).collect();
    HitView {
        url: super::params::address(r),
        item: show::item(r).to_owned(),
        reference: r.reference(),
        case_number: r.case_number.clone(),
        dated: r.cover.dated.clone(),
        outcome: r.outcome.as_str(),
        excerpt: marked(&hit.excerpt, &hit.highlights),
        guidelines: (!guidelines.is_empty()).then(|| guidelines.join("; ")),
        matched_drugs: joined(&hit.matched_drugs),
        pages: joined(&pages),
    }
}

/// The reviewer's own citations of a guideline.
pub(super) fn reviewer_citations(r: &Record) -> impl Iterator<Item = &Citation> {
    r.guidelines
        .iter()
        .filter(|c| c.by == CitedBy::Reviewer && c.source != Source::None)
}

/// `text` as HTML with the byte ranges `ranges` in `<mark>`; a range
/// that does not fall on characters is left unmarked.
pub(super) fn marked(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(word)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        out.push_str(&escape(before));
        out.push_str("<mark>");
        out.push_str(&escape(word));
        out.push_str("</mark>");
        at = end;
    }
    out.push_str(&escape(text.get(at..).unwrap_or_default()));
    out
}

/// Text as HTML text or an attribute's value.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The sidebar: each facet's values, most frequent first, each a link
/// that adds its filter, or removes it when it is set.
fn facet_views(p: &Params, r: &Results) -> Vec<FacetView> {
    SIDEBAR
        .iter()
        .filter_map(|&(name, title, param)| {
            let counts = r.facets.get(name)?;
            let mut values: Vec<(&String, &u64)> = counts.iter().collect();
            values.sort_by(|a, b| {
                b.1.cmp(a.1).then_with(|| {
                    crate::query::stats::natural(a.0).cmp(&crate::query::stats::natural(b.0))
                })
            });
            let mut views: Vec<FacetValue> = values
                .into_iter()
                .map(|(label, &count)| {
                    let selected = is_selected(p, param, label);
                    let url = match (param, selected) {
                        ("year", true) => p.with("since", None).with("until", None),
                        ("year", false) => p
                            .with("since", Some(&format!("{label}-01-01")))
                            .with("until", Some(&format!("{label}-12-31"))),
                        (_, true) => p.with(param, None),
                        (_, false) => p.with(param, Some(label)),
                    };
                    FacetValue {
                        label: label.clone(),
                        count,
                        url: url.url("/search"),
                        selected,
                    }
                })
                .collect();
            if views.is_empty() {
                return None;
            }
            let more = views.split_off(views.len().min(FACET_VALUES));
            Some(FacetView {
                title,
                values: views,
                more,
            })
        })
        .collect()
}

fn is_selected(p: &Params, param: &str, label: &str) -> bool {
    match param {
        "year" => {
            p.get("since") == Some(&format!("{label}-01-01"))
                && p.get("until") == Some(&format!("{label}-12-31"))
        }
        _ => p.get(param).is_some_and(|v| v.eq_ignore_ascii_case(label)),
    }
}

/// The filters set, as "drug: capsaicin" links that remove them.
fn active_filters(p: &Params) -> Vec<Link> {
    super::params::FILTERS
        .iter()
        .filter_map(|(name, label)| {
            let value = p.get(name)?;
            Some(Link {
                label: format!("{label}: {value}"),
                url: p.with(name, None).url("/search"),
            })
        })
        .collect()
}

// ---- the citator -----------------------------------------------------

#[derive(Template)]
#[template(path = "cites.html")]
struct CitesPage {
    layout: Layout,
    message: Option<String>,
    /// "page 111: 5 decisions, 5 upheld, 0 overturned" or the index's
    /// summary.
    heading: String,
    summary: String,
    rows: Vec<CiteRow>,
    citing: Vec<CitingView>,
    document: String,
    back: Option<String>,
    /// What the form keeps: the page or section listed, and the filters.
    hidden: Vec<(String, String)>,
}

struct CiteRow {
    kind: &'static str,
    cited: String,
    url: String,
    document: String,
    decisions: u64,
    upheld: u64,
    overturned: u64,
    rate: String,
}

struct CitingView {
    url: String,
    reference: String,
    case_number: Option<String>,
    dated: Option<String>,
    outcome: &'static str,
    item: String,
    document: String,
    passage: String,
}

pub(super) async fn cites(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params_of(&index, params) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let request = match cites_request(&p, 50) {
        Ok(r) => r,
        Err(bad) => return bad_request(&index, bad),
    };
    let q = p.get("q").unwrap_or_default().to_owned();
    let layout = |title: String| Layout::new(&index, title, &q);
    let document = p.get("document").unwrap_or_default().to_owned();
    // `page` is among the filters: on the citator it names the page listed.
    let hidden: Vec<(String, String)> = ["section"]
        .into_iter()
        .chain(super::params::FILTERS.iter().map(|(name, _)| *name))
        .filter_map(|name| Some((name.to_owned(), p.get(name)?.to_owned())))
        .collect();
    let found = read(&index, move |i| match request.cited.clone() {
        None => crate::query::cites::index(i, &request).map(Ok),
        Some(cited) => crate::query::cites::citing(i, &request, &cited).map(Err),
    })
    .await;
    let body = match found {
        Err(r) => return r,
        Ok(Err(e)) => {
            let body = CitesPage {
                layout: layout("Citator".to_owned()),
                message: Some(e.to_string()),
                heading: "Guideline pages and sections cited".to_owned(),
                summary: String::new(),
                rows: Vec::new(),
                citing: Vec::new(),
                document,
                back: None,
                hidden,
            };
            return page(status_of(&e), &body);
        }
        Ok(Ok(Ok(index_rows))) => CitesPage {
            layout: layout("Citator".to_owned()),
            message: None,
            heading: "Guideline pages and sections cited".to_owned(),
            summary: format!(
                "{} by {}; {} of {} shown",
                decisions(
                    u64::try_from(index_rows.row_count).unwrap_or(u64::MAX),
                    "page or section",
                )
                .replace("page or sections", "pages and sections"),
                decisions(index_rows.total, "decision"),
                index_rows.rows.len(),
                index_rows.row_count
            ),
            rows: index_rows
                .rows
                .iter()
                .map(|row| CiteRow {
                    kind: row.kind,
                    cited: row.cited.clone(),
                    url: match row.kind {
                        "page" => p.with("page", Some(&row.cited)).url("/cites"),
                        _ => p.with("section", Some(&row.cited)).url("/cites"),
                    },
                    document: row.document.clone(),
                    decisions: row.counts.decisions,
                    upheld: row.counts.upheld,
                    overturned: row.counts.overturned,
                    rate: percent(row.overturn_rate),
                })
                .collect(),
            citing: Vec::new(),
            document,
            back: None,
            hidden,
        },
        Ok(Ok(Err(citings))) => {
            let t = citings.total;
            CitesPage {
                layout: layout(format!("Decisions citing {}", citings.cited)),
                message: None,
                heading: format!("Decisions citing {}", citings.cited),
                summary: format!(
                    "{}: {} upheld, {} overturned ({} overturned); {} shown",
                    decisions(t.decisions, "decision"),
                    t.upheld,
                    t.overturned,
                    percent(t.overturn_rate()),
                    citings.decisions.len()
                ),
                rows: Vec::new(),
                citing: citings.decisions.iter().map(citing_view).collect(),
                document,
                back: Some(p.with("page", None).with("section", None).url("/cites")),
                hidden,
            }
        }
    };
    page(StatusCode::OK, &body)
}

/// `by`: what `/stats` groups by, the drug unless told.
pub(super) fn grouping(p: &Params) -> Result<By, BadParam> {
    let name = p.get("by").unwrap_or("drug");
    By::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = By::ALL.iter().map(|b| b.as_str()).collect();
        BadParam(format!(
            "cannot group by `{name}`: choose {}",
            names.join(", ")
        ))
    })
}

/// `default_limit`: rows when `limit` is not given.
pub(super) fn cites_request(p: &Params, default_limit: usize) -> Result<CitesRequest, BadParam> {
    // `page` names the page whose decisions to list, as `imr cites --page`.
    let cited = match (p.number::<u32>("page", "a page number")?, p.get("section")) {
        (Some(n), _) => Some(Cited::Page(n)),
        (None, Some(s)) => Some(Cited::Section(s.to_owned())),
        (None, None) => None,
    };
    let mut filters = p.filters()?;
    filters.page = None;
    Ok(CitesRequest {
        query: p.get("q").map(str::to_owned),
        filters,
        cited,
        document: p.get("document").map(str::to_owned),
        limit: p
            .number("limit", "a number of rows")?
            .unwrap_or(default_limit)
            .min(MAX_LIMIT),
        sort: p.sort()?,
    })
}

fn citing_view(c: &Citing) -> CitingView {
    CitingView {
        url: match &c.case_number {
            Some(case) => super::params::decision_path(case, c.decision),
            None => decision_url(&c.reference),
        },
        reference: c.reference.clone(),
        case_number: c.case_number.clone(),
        dated: c.dated.clone(),
        outcome: c.outcome.as_str(),
        item: c.item.clone(),
        document: c.document.clone(),
        passage: c.passage.clone(),
    }
}

/// "12%", or "—" when no outcome is known.
pub(super) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.0}%", r * 100.0))
}

// ---- statistics ------------------------------------------------------

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    layout: Layout,
    message: Option<String>,
    by: &'static str,
    bys: Vec<Choice>,
    summary: String,
    groups: Vec<Bar>,
    hidden: Vec<(String, String)>,
    /// The groups' overturn rates with their intervals.
    rates: Option<RateChart>,
    /// The matching decisions by month.
    months: Option<MonthChart>,
}

struct Bar {
    group: String,
    /// The decisions of this group, as a search; none where no filter
    /// names the group.
    url: Option<String>,
    decisions: u64,
    upheld: u64,
    overturned: u64,
    unknown: u64,
    /// Widths in percent of the largest group's bar.
    upheld_width: String,
    overturned_width: String,
    unknown_width: String,
    rate: String,
    interval: String,
}

pub(super) async fn stats(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params_of(&index, params) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let by = match grouping(&p) {
        Ok(by) => by,
        Err(bad) => return bad_request(&index, bad),
    };
    let request = match stats_request(&p, by, 30) {
        Ok(r) => r,
        Err(bad) => return bad_request(&index, bad),
    };
    let q = p.get("q").unwrap_or_default();
    let bys = By::ALL
        .iter()
        .map(|b| Choice {
            label: b.as_str().to_owned(),
            url: p.with("by", Some(b.as_str())).url("/stats"),
            selected: *b == by,
        })
        .collect();
    let hidden = super::params::FILTERS
        .iter()
        .map(|(name, _)| *name)
        .chain(["by"])
        .filter_map(|name| Some((name.to_owned(), p.get(name)?.to_owned())))
        .collect();
    let mut body = StatsPage {
        layout: Layout::new(&index, format!("Outcomes by {}", by.as_str()), q),
        message: None,
        by: by.as_str(),
        bys,
        summary: String::new(),
        groups: Vec::new(),
        hidden,
        rates: None,
        months: None,
    };
    let found = read(&index, move |i| {
        let stats = crate::query::stats::stats(i, &request)?;
        let months =
            crate::query::timeline::by_month(i, request.query.as_deref(), &request.filters)?;
        Ok::<_, Error>((stats, months))
    })
    .await;
    let (stats, months) = match found {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            body.message = Some(e.to_string());
            return page(status_of(&e), &body);
        }
        Err(r) => return r,
    };
    let widest = stats
        .groups
        .iter()
        .map(|g| g.counts.decisions)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = |n: u64| format!("{:.1}%", n as f64 * 100.0 / widest);
    let t = &stats.total;
    let without = match stats.without {
        0 => String::new(),
        n => format!("; {n} with no {}", stats.by),
    };
    body.summary = format!(
        "{}: {} upheld, {} overturned{without}; {} of {} groups shown",
        decisions(t.decisions, "decision"),
        t.upheld,
        t.overturned,
        stats.groups.len(),
        stats.group_count
    );
    body.rates = (!stats.groups.is_empty()).then(|| super::chart::rates(&stats));
    let what = match q {
        "" => "Decisions".to_owned(),
        q => format!("“{q}”"),
    };
    body.months = super::chart::months(&months, &what);
    body.groups = stats
        .groups
        .iter()
        .map(|g| Bar {
            group: g.group.clone(),
            url: group_search(&p, by, &g.group),
            decisions: g.counts.decisions,
            upheld: g.counts.upheld,
            overturned: g.counts.overturned,
            unknown: g.counts.unknown,
            upheld_width: width(g.counts.upheld),
            overturned_width: width(g.counts.overturned),
            unknown_width: width(g.counts.unknown),
            rate: percent(g.overturn_rate),
            interval: match (g.ci_low, g.ci_high) {
                (Some(lo), Some(hi)) => {
                    format!("{:.0}–{:.0}%", lo * 100.0, hi * 100.0)
                }
                _ => "—".to_owned(),
            },
        })
        .collect();
    page(StatusCode::OK, &body)
}

pub(super) fn stats_request(
    p: &Params,
    by: By,
    default_limit: usize,
) -> Result<StatsRequest, BadParam> {
    Ok(StatsRequest {
        by,
        query: p.get("q").map(str::to_owned),
        filters: p.filters()?,
        limit: p
            .number("limit", "a number of groups")?
            .unwrap_or(default_limit)
            .min(MAX_LIMIT),
    })
}

/// The search for one group's decisions, with the page's query and
/// filters.
fn group_search(p: &Params, by: By, group: &str) -> Option<String> {
    let base = p.with("by", None).with("limit", None);
    let with = match by {
        By::Drug => base.with("drug", Some(group)),
        By::Class => base.with("class", Some(group)),
        // "Pharmaceuticals: Opioids": the subcategory names it.
        By::Category => base.with("category", group.rsplit(": ").next()),
        By::Guideline => base.with("guideline", Some(group)),
        By::Page => base.with("page", Some(group)),
        By::Specialty => base.with("specialty", Some(group)),
        By::State => base.with("state", Some(group)),
        By::Year => base
            .with("since", Some(&format!("{group}-01-01")))
            .with("until", Some(&format!("{group}-12-31"))),
        By::Item => return None,
    };
    Some(with.url("/search"))
}

// ---- JSON ------------------------------------------------------------

pub(super) fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `{"error": "..."}` with a status.
pub(super) fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    json(status, body.into_bytes())
}

/// The search as `imr search --format json` prints it.
pub(super) async fn api_search(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params {
        Ok(Query(p)) => p,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let facets = match p.get("facets") {
        None => CLI_FACETS.map(str::to_owned).to_vec(),
        Some("none") => Vec::new(),
        Some(list) => list.split(',').map(|f| f.trim().to_owned()).collect(),
    };
    let request = match search_request(&p, 10, facets) {
        Ok(Some(r)) => r,
        Ok(None) => return json_error(StatusCode::BAD_REQUEST, NOTHING_ASKED),
        Err(bad) => return json_error(StatusCode::BAD_REQUEST, &bad.0),
    };
    match read(&index, move |i| crate::query::search(i, &request)).await {
        Ok(Ok(results)) => {
            let mut out = Vec::new();
            match crate::render::json::search(&results, &mut out) {
                Ok(()) => json(StatusCode::OK, out),
                Err(e) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            }
        }
        Ok(Err(e)) => json_error(status_of(&e), &e.to_string()),
        Err(_) => json_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request stopped unexpectedly",
        ),
    }
}

// ---- the rest --------------------------------------------------------

pub(super) async fn not_found(State(index): State<Shared>, uri: Uri) -> Response {
    error_page(
        &index,
        StatusCode::NOT_FOUND,
        "No such page",
        format!(
            "there is no page at {}: search from the box above, or start from the home page, the citator or the statistics",
            uri.path()
        ),
    )
}

pub(super) async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("assets/style.css"))
}

pub(super) async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/copy.js"),
    )
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_escaped_and_their_matches_marked() {
        assert_eq!(
            marked("a <b> & \"MRI\"", &[(9, 12)]),
            "a &lt;b&gt; &amp; &quot;<mark>MRI</mark>&quot;"
        );
        // A range off the characters' boundaries marks nothing.
        assert_eq!(marked("é x", &[(1, 2)]), "é x");
        assert_eq!(marked("no match", &[]), "no match");
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(decisions(1, "matching decision"), "1 matching decision");
        assert_eq!(decisions(0, "matching decision"), "0 matching decisions");
        assert_eq!(percent(Some(0.125)), "12%");
        assert_eq!(percent(None), "—");
    }
}
