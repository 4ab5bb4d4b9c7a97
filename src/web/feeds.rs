//! Alerts on the web: each alert's Atom feed (`/alerts/NAME.atom`), the
//! list of alerts (`/alerts`), and "Save as alert" (a POST from the search
//! page): the one request that writes, and only the alerts file.

use askama::Template;
use atom_syndication::{
    Entry as AtomEntry, Feed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::{self, Layout, NOTHING_ASKED, Shared, error_page, status_of};
use super::params::{Params, address};
use crate::error::Error;
use crate::index::Opened;
use crate::query::Filters;
use crate::query::alert::{self, Alert, Alerts, Entry, Saved};
use crate::render::alert::command_line;
use crate::render::show;

/// Entries of a feed: the decisions ingested last.
const FEED_ENTRIES: usize = 50;

/// The tag URIs' authority and date (RFC 4151): entry and feed ids that
/// stay the same whatever the server's address.
const TAG: &str = "tag:imr,2026:";

// ---- the feed ----------------------------------------------------------

pub(super) async fn feed(
    State(index): State<Shared>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(name) = file.strip_suffix(".atom").map(str::to_owned) else {
        return no_alert(&index, &file);
    };
    let base = origin(&headers);
    let found = pages::read(&index, move |i| -> Result<Option<String>, Error> {
        let alerts = Alerts::read(Alerts::folder(i)?)?;
        let alert = match alerts.get(&name) {
            Some(Saved::Alert(a)) => a,
            Some(Saved::Unreadable { reason, .. }) => {
                return Err(Error::Usage(format!(
                    "the alert `{name}` cannot be read ({reason}): correct it in the alerts file, or remove it with `imr alert remove {name}`"
                )));
            }
            None => return Ok(None),
        };
        let entries = alert::latest(i, alert, FEED_ENTRIES)?;
        Ok(Some(atom(alert, &entries, &base)))
    })
    .await;
    match found {
        Ok(Ok(Some(xml))) => (
            [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Ok(Ok(None)) => no_alert(&index, &file),
        Ok(Err(e)) => error_page(&index, status_of(&e), "Feed", e.to_string()),
        Err(r) => r,
    }
}

fn no_alert(index: &Opened, file: &str) -> Response {
    error_page(
        index,
        StatusCode::NOT_FOUND,
        "No such alert",
        format!(
            "there is no feed /alerts/{file}: the alerts and their feeds are listed at /alerts"
        ),
    )
}

/// `http://HOST` of the request, which the feed's links start with (a
/// feed reader wants them whole); empty, for links from the root, when
/// the request names no host.
fn origin(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|host| format!("http://{host}"))
        .unwrap_or_default()
}

/// The alert's feed as Atom: entries with an id, a title (the item and the
/// outcome), when each was ingested, a link to the decision's page and the
/// excerpt as summary. The crate escapes every text.
fn atom(alert: &Alert, entries: &[Entry], base: &str) -> String {
    let search = command_line(&alert.query, &alert.filters);
    let link = |href: String, rel: &str, mime: &str| Link {
        href,
        rel: rel.to_owned(),
        mime_type: Some(mime.to_owned()),
        ..Link::default()
    };
    let updated = entries
        .iter()
        .map(|e| e.ingested)
        .max()
        .map(time)
        .or_else(|| FixedDateTime::parse_from_rfc3339(&alert.created).ok())
        .unwrap_or_default();
    let feed = Feed {
        id: format!("{TAG}alert:{}", alert.name),
        title: Text::plain(format!("imr alert {}: {search}", alert.name)),
        updated,
        authors: vec![Person {
            name: "imr".to_owned(),
            ..Person::default()
        }],
        generator: Some(Generator {
            value: "imr".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            ..Generator::default()
        }),
        links: vec![
            link(
                format!("{base}/alerts/{}.atom", alert.name),
                "self",
                "application/atom+xml",
            ),
            link(
                format!("{base}{}", search_url(&alert.query, &alert.filters)),
                "alternate",
                "text/html",
            ),
        ],
        entries: entries
            .iter()
            .map(|e| {
                let r = &e.hit.record;
                AtomEntry {
                    id: entry_id(r),
                    title: Text::plain(format!("{} — {}", show::item(r), r.outcome.as_str())),
                    updated: time(e.ingested),
                    links: vec![link(
                        format!("{base}{}", address(r)),
                        "alternate",
                        "text/html",
                    )],
                    summary: Some(Text::plain(e.hit.excerpt.clone())),
                    ..AtomEntry::default()
                }
            })
            .collect(),
        ..Feed::default()
    };
    let indented = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    // Writing to memory fails only on text that is not UTF-8, which a
    // `String` cannot hold.
    let xml = feed.write_with_config(Vec::new(), indented);
    String::from_utf8(xml.unwrap_or_default()).unwrap_or_default()
}

/// A decision's id for ever: its case number and number, or for a letter
/// without one its id (a hash of its bytes) and number.
fn entry_id(r: &crate::record::Record) -> String {
    match &r.case_number {
        Some(case) => format!("{TAG}decision:{case}:{}", r.decision),
        None => format!("{TAG}letter:{}:{}", r.letter, r.decision),
    }
}

/// An ingest time (nanoseconds since 1970) as Atom writes dates.
fn time(nanos: u64) -> FixedDateTime {
    chrono::DateTime::from_timestamp_nanos(i64::try_from(nanos).unwrap_or(i64::MAX)).fixed_offset()
}

/// The search page of a query and filters.
fn search_url(query: &str, filters: &Filters) -> String {
    let params = Params {
        q: (query != "*").then(|| query.to_owned()),
        outcome: filters.outcome.clone(),
        drug: filters.drug.clone(),
        class: filters.class.clone(),
        category: filters.category.clone(),
        guideline: filters.guideline.clone(),
        page: filters.page.map(|p| p.to_string()),
        specialty: filters.specialty.clone(),
        state: filters.state.clone(),
        since: filters.since.clone(),
        until: filters.until.clone(),
        ..Params::default()
    };
    params.url("/search")
}

// ---- the list ------------------------------------------------------------

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    layout: Layout,
    alerts: Vec<AlertView>,
}

struct AlertView {
    name: String,
    search: String,
    /// The search page; none for an alert that cannot be read.
    url: Option<String>,
    last_run: String,
    reported: String,
    feed: String,
}

pub(super) async fn list(State(index): State<Shared>) -> Response {
    let read = pages::read(&index, |i| Alerts::read(Alerts::folder(i)?)).await;
    let alerts = match read {
        Ok(Ok(alerts)) => alerts,
        Ok(Err(e)) => return error_page(&index, status_of(&e), "Alerts", e.to_string()),
        Err(r) => return r,
    };
    let views = alerts
        .saved
        .iter()
        .map(|s| match s {
            Saved::Alert(a) => AlertView {
                name: a.name.clone(),
                search: command_line(&a.query, &a.filters),
                url: Some(search_url(&a.query, &a.filters)),
                last_run: a.last_run.clone().unwrap_or_else(|| "never".to_owned()),
                reported: a.reported.len().to_string(),
                feed: format!("/alerts/{}.atom", a.name),
            },
            Saved::Unreadable { name, reason, .. } => AlertView {
                name: name.clone(),
                search: format!("(cannot be read: {reason})"),
                url: None,
                last_run: String::new(),
                reported: String::new(),
                feed: format!("/alerts/{name}.atom"),
            },
        })
        .collect();
    let body = AlertsPage {
        layout: Layout::new(&index, "Alerts", ""),
        alerts: views,
    };
    pages::page(StatusCode::OK, &body)
}

// ---- Save as alert ---------------------------------------------------------

/// The search page's "Save as alert" form: a name, and the page's query
/// and filters as its URL has them.
#[derive(Debug, Deserialize)]
pub(super) struct SaveForm {
    #[serde(default)]
    name: String,
    #[serde(flatten)]
    search: Params,
}

/// Saves the search as an alert, then sends the browser to the list of
/// alerts (303 See Other, so that reloading it does not post again).
pub(super) async fn save(
    State(index): State<Shared>,
    headers: HeaderMap,
    form: Result<Form<SaveForm>, FormRejection>,
) -> Response {
    let refuse = |status, message: String| error_page(&index, status, "Alert not saved", message);
    if !same_origin(&headers) {
        return refuse(
            StatusCode::FORBIDDEN,
            "alerts are saved from this server's own search page".to_owned(),
        );
    }
    let form = match form {
        Ok(Form(form)) => form,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let filters = match form.search.filters() {
        Ok(f) => f,
        Err(bad) => return refuse(StatusCode::BAD_REQUEST, bad.0),
    };
    let query = match (form.search.get("q"), form.search.any_filter()) {
        (Some(q), _) => q.to_owned(),
        (None, true) => "*".to_owned(),
        (None, false) => return refuse(StatusCode::BAD_REQUEST, NOTHING_ASKED.to_owned()),
    };
    let name = form.name.trim().to_owned();
    let to = format!("/alerts#{name}");
    let saved = pages::read(&index, move |i| -> Result<(), Error> {
        let folder = Alerts::folder(i)?;
        let alert = Alert::new(i, &name, &query, filters)?;
        let mut alerts = Alerts::edit(folder)?;
        alerts.add(alert)?;
        alerts.save()
    })
    .await;
    match saved {
        Ok(Ok(())) => Redirect::to(&to).into_response(),
        Ok(Err(e)) => refuse(status_of(&e), e.to_string()),
        Err(r) => r,
    }
}

/// Whether a form comes from a page of this server: a page elsewhere may
/// post to localhost too. A request without `Origin` (a script, an older
/// browser) is taken as it comes.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let from = origin.to_str().ok().and_then(|o| {
        o.strip_prefix("http://")
            .or_else(|| o.strip_prefix("https://"))
    });
    matches!((from, host), (Some(from), Some(host)) if from == host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(name, value.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_form_from_another_site_is_refused() {
        let host = (header::HOST, "127.0.0.1:8080");
        assert!(same_origin(&headers(std::slice::from_ref(&host))));
        assert!(same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://127.0.0.1:8080")
        ])));
        assert!(!same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://evil.example")
        ])));
        assert!(!same_origin(&headers(&[host, (header::ORIGIN, "null")])));
    }

    #[test]
    fn an_ingest_time_is_an_rfc_3339_date() {
        assert_eq!(
            time(1_796_642_728_155_399_730).to_rfc3339(),
            "2026-12-07T11:25:28.155399730+00:00"
        );
    }

    #[test]
    fn a_search_page_url_keeps_the_filters() {
        let filters = Filters {
            outcome: Some("overturned".into()),
            page: Some(111),
            ..Filters::default()
        };
        assert_eq!(
            search_url("knee MRI", &filters),
            "/search?q=knee%20MRI&outcome=overturned&page=111"
        );
        assert_eq!(search_url("*", &Filters::default()), "/search");
    }
}
