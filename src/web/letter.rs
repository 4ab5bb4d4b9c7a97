//! A decision's page and a whole letter's, by path
//! (`/decision/CM17-0019120/2`, `/letter/CM17-0019120`), with the
//! letter's other decisions, similar decisions and the original file;
//! `/decision?ref=` sends any reference `imr show` takes to its path.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::pages::{
    Asked, Layout, Link, Shared, bad_request, error_page, page, params_of, read, reference_status,
};
use super::params::{address, decision_path, letter_key, letter_path};
use crate::citation::By as CitedBy;
use crate::index::Opened;
use crate::query::reference::Reference;
use crate::query::similar::{Like, Request as SimilarRequest};
use crate::query::{LetterRecords, ReferenceError, Sort};
use crate::record::Record;
use crate::render::show;

/// Similar decisions listed on a decision's page.
const SIMILAR: usize = 5;

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    layout: Layout,
    /// A whole letter's heading rows; none for one decision.
    letter: Option<Vec<(String, String)>>,
    decisions: Vec<DecisionView>,
    /// The whole letter's page; none on it.
    letter_url: Option<String>,
    /// The letter's decisions, this one marked; empty for a letter of one.
    siblings: Vec<Sibling>,
    similar: Vec<SimilarView>,
    /// The original file's address, when it is on disk as ingested.
    original: Option<Link>,
}

struct DecisionView {
    number: u32,
    reference: String,
    url: String,
    item: String,
    outcome: &'static str,
    outcome_words: &'static str,
    rows: Vec<(String, String)>,
    pages: Vec<Link>,
    reviewer_basis: Vec<(String, String)>,
    administrator_basis: Vec<(String, String)>,
    rationale: String,
    citation: String,
}

struct Sibling {
    item: String,
    url: String,
    outcome: &'static str,
    current: bool,
}

struct SimilarView {
    item: String,
    url: String,
    outcome: &'static str,
    case_number: Option<String>,
    dated: Option<String>,
}

/// What a decision's page shows besides the decision.
struct Around {
    letter: LetterRecords,
    similar: Vec<Record>,
    original: bool,
}

/// `/decision?ref=REFERENCE`: the path form's address of the decision or
/// letter, as a redirect.
pub(super) async fn by_reference(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params_of(&index, params) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(text) = p.get("ref").map(str::to_owned) else {
        return bad_request(
            &index,
            "name a decision: /decision/CASE_NUMBER/N, or /decision?ref=SOURCE%23N",
        );
    };
    let found = read(&index, move |i| -> Result<String, ReferenceError> {
        Ok(match Reference::parse(&text)?.decision {
            Some(_) => address(&crate::query::lookup(i, &text)?),
            None => {
                let letter = crate::query::lookup_letter(i, &text)?;
                letter_path(&key_of(&letter))
            }
        })
    })
    .await;
    match found {
        Ok(Ok(to)) => Redirect::to(&to).into_response(),
        Ok(Err(e)) => reference_error(&index, &e),
        Err(r) => r,
    }
}

/// `/decision/{letter}/{n}`: one decision with its letter's other
/// decisions, similar decisions and the original file.
pub(super) async fn decision(
    State(index): State<Shared>,
    Path((letter, number)): Path<(String, String)>,
) -> Response {
    let Ok(number) = number.parse::<u32>() else {
        return error_page(
            &index,
            StatusCode::NOT_FOUND,
            "No such decision",
            format!("`{number}` is not a decision number: /decision/{letter}/N takes 1, 2, …"),
        );
    };
    let text = format!("{letter}#{number}");
    let found = read(&index, move |i| -> Result<_, ReferenceError> {
        let record = crate::query::lookup(i, &text)?;
        let around = around(i, &record)?;
        Ok((record, around))
    })
    .await;
    let (record, around) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return reference_error(&index, &e),
        Err(r) => return r,
    };
    let key = key_of(&around.letter);
    let siblings = match around.letter.decisions.len() {
        1 => Vec::new(),
        _ => around
            .letter
            .decisions
            .iter()
            .map(|r| Sibling {
                item: show::item(r).to_owned(),
                url: decision_path(&key, r.decision),
                outcome: r.outcome.as_str(),
                current: r.decision == record.decision,
            })
            .collect(),
    };
    let body = DecisionPage {
        layout: Layout::new(
            &index,
            format!("{} — {}", show::item(&record), record.reference()),
            "",
        ),
        letter: None,
        decisions: vec![decision_view(&record, true)],
        letter_url: Some(letter_path(&key)),
        siblings,
        similar: around.similar.iter().map(similar_view).collect(),
        original: original_link(&around.letter, &key, around.original),
    };
    page(StatusCode::OK, &body)
}

/// `/letter/{letter}`: every decision of a letter, its cover once.
pub(super) async fn letter(State(index): State<Shared>, Path(letter): Path<String>) -> Response {
    let found = read(&index, move |i| -> Result<_, ReferenceError> {
        let letter = crate::query::lookup_letter(i, &letter)?;
        let original = crate::query::original::ingested_file(i, &letter.source)?.is_some();
        Ok((letter, original))
    })
    .await;
    let (letter, original) = match found {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return reference_error(&index, &e),
        Err(r) => return r,
    };
    let key = key_of(&letter);
    let body = DecisionPage {
        layout: Layout::new(
            &index,
            letter
                .case_number
                .clone()
                .unwrap_or_else(|| letter.source.clone()),
            "",
        ),
        letter: Some(cover_rows(&letter)),
        decisions: letter
            .decisions
            .iter()
            .map(|r| decision_view(r, false))
            .collect(),
        letter_url: None,
        siblings: Vec::new(),
        similar: Vec::new(),
        original: original_link(&letter, &key, original),
    };
    page(StatusCode::OK, &body)
}

/// `/letter/{letter}/original`: the file the letter was ingested from,
/// as it is on disk, when it is still the file ingest read. The path
/// served is always one the index holds as a letter's source, never one
/// the request names.
pub(super) async fn original(State(index): State<Shared>, Path(letter): Path<String>) -> Response {
    let found = read(&index, move |i| -> Result<_, ReferenceError> {
        let letter = crate::query::lookup_letter(i, &letter)?;
        let Some(path) = crate::query::original::ingested_file(i, &letter.source)? else {
            return Ok(None);
        };
        // The file may change between the check and the read: a size
        // other than the one indexed shows in the bytes read.
        Ok(std::fs::read(&path).ok().map(|bytes| (path, bytes)))
    })
    .await;
    let (path, bytes) = match found {
        Ok(Ok(Some(file))) => file,
        Ok(Ok(None)) => {
            return error_page(
                &index,
                StatusCode::NOT_FOUND,
                "No original file",
                "the file this letter was ingested from is not on disk as it was ingested (moved, changed, or a letter of the bundled sample)".to_owned(),
            );
        }
        Ok(Err(e)) => return reference_error(&index, &e),
        Err(r) => return r,
    };
    let kind = match bytes.starts_with(b"%PDF-") {
        true => "application/pdf",
        false => "text/plain; charset=utf-8",
    };
    let name = crate::record::file_name(&path.to_string_lossy()).to_owned();
    let mut response = (
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response();
    // A name a header can carry as it is; any other is left out.
    let plain = |c: char| c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ';
    if name.chars().all(plain)
        && let Ok(value) = format!("inline; filename=\"{name}\"").parse()
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The letter of `record`, its similar decisions and whether its file is
/// on disk as ingested.
fn around(index: &Opened, record: &Record) -> Result<Around, ReferenceError> {
    let letter = crate::query::lookup_letter(index, &record.source)?;
    let request = SimilarRequest {
        like: Like::Decision(record.reference()),
        filters: Default::default(),
        limit: SIMILAR,
        sort: Sort::Relevance,
    };
    // A decision too short to find others by shows none.
    let similar = crate::query::similar::similar(index, &request)
        .map(|s| s.hits.into_iter().map(|h| h.record).collect())
        .unwrap_or_default();
    let original = crate::query::original::ingested_file(index, &record.source)?.is_some();
    Ok(Around {
        letter,
        similar,
        original,
    })
}

/// What names `letter` in a path.
fn key_of(letter: &LetterRecords) -> String {
    let id = letter.decisions.first().map_or("", |r| r.letter.as_str());
    letter_key(letter.case_number.as_deref(), id).to_owned()
}

fn original_link(letter: &LetterRecords, key: &str, on_disk: bool) -> Option<Link> {
    on_disk.then(|| Link {
        label: crate::record::file_name(&letter.source).to_owned(),
        url: format!("{}/original", letter_path(key)),
    })
}

fn reference_error(index: &Opened, e: &ReferenceError) -> Response {
    let status = reference_status(e);
    let heading = match status {
        StatusCode::NOT_FOUND => "No such decision",
        StatusCode::BAD_REQUEST => "Bad request",
        _ => "Error",
    };
    error_page(index, status, heading, e.to_string())
}

fn cover_rows(l: &LetterRecords) -> Vec<(String, String)> {
    let mut rows = vec![("Letter".to_owned(), l.source.clone())];
    let c = &l.cover;
    for (name, value) in [
        ("Case number", l.case_number.clone()),
        ("Dated", c.dated.clone()),
        ("Assigned", c.date_assigned.clone()),
        ("Injured", c.date_of_injury.clone()),
        ("UR decision", c.ur_decision_date.clone()),
        ("Received", c.application_received.clone()),
        ("Reviewer", show::reviewer(&l.reviewer)),
    ] {
        rows.extend(value.map(|v| (name.to_owned(), v)));
    }
    rows
}

fn similar_view(r: &Record) -> SimilarView {
    SimilarView {
        item: show::item(r).to_owned(),
        url: address(r),
        outcome: r.outcome.as_str(),
        case_number: r.case_number.clone(),
        dated: r.cover.dated.clone(),
    }
}

fn decision_view(r: &Record, with_letter: bool) -> DecisionView {
    let list = |v: Vec<String>| (!v.is_empty()).then(|| v.join(", "));
    let category = r.category.as_ref().map(|c| match &r.subcategory {
        Some(s) => format!("{c} › {s}"),
        None => c.clone(),
    });
    let of_letter = |v: Option<String>| v.filter(|_| with_letter);
    let rows = [
        ("Case number", of_letter(r.case_number.clone())),
        ("Dated", of_letter(r.cover.dated.clone())),
        ("Reviewer", of_letter(show::reviewer(&r.reviewer))),
        ("Category", category),
        ("Drugs", list(r.drugs.clone())),
        ("Drug classes", list(r.drug_classes.clone())),
        ("Flags", list(r.flags.clone())),
        ("Source", Some(r.source.clone())),
    ]
    .into_iter()
    .filter_map(|(name, v)| Some((name.to_owned(), v?)))
    .collect();
    let basis = |by: CitedBy| {
        r.guidelines
            .iter()
            .filter(|c| c.by == by)
            .map(|c| (show::describe(c), c.text.clone()))
            .collect()
    };
    DecisionView {
        number: r.decision,
        reference: r.reference(),
        url: address(r),
        item: show::item(r).to_owned(),
        outcome: r.outcome.as_str(),
        outcome_words: show::outcome_words(r.outcome),
        rows,
        pages: r
            .pages
            .iter()
            .map(|n| Link {
                label: n.to_string(),
                url: format!("/cites?page={n}"),
            })
            .collect(),
        reviewer_basis: basis(CitedBy::Reviewer),
        administrator_basis: basis(CitedBy::ClaimsAdministrator),
        rationale: r.rationale.clone(),
        citation: show::citation_line(r),
    }
}
