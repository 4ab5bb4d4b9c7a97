//! The JSON routes besides search: a decision or a letter, the citator
//! and the statistics, each the bytes the command line prints with
//! `--format json` for the same question (`imr show`, `imr cites`,
//! `imr stats`), with the command line's default limits.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::pages::{
    Asked, Shared, cites_request, grouping, json, json_error, read, reference_status, stats_request,
};
use crate::error::Error;
use crate::query::ReferenceError;
use crate::query::reference::Reference;
use crate::render::show;

/// Rows and groups when `limit` is not given, as `imr cites` and
/// `imr stats`.
const CLI_LIMIT: usize = 20;

/// `/api/decision?ref=REFERENCE`: a decision, or a whole letter.
pub(super) async fn decision_by_reference(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params {
        Ok(Query(p)) => p,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    match p.get("ref") {
        Some(text) => shown(&index, text.to_owned()).await,
        None => json_error(
            StatusCode::BAD_REQUEST,
            "name a decision: /api/decision/CASE_NUMBER/N, or /api/decision?ref=SOURCE%23N",
        ),
    }
}

/// `/api/decision/{letter}/{n}`.
pub(super) async fn decision(
    State(index): State<Shared>,
    Path((letter, number)): Path<(String, String)>,
) -> Response {
    match number.parse::<u32>() {
        Ok(n) => shown(&index, format!("{letter}#{n}")).await,
        Err(_) => json_error(
            StatusCode::NOT_FOUND,
            &format!("`{number}` is not a decision number: /api/decision/{letter}/N takes 1, 2, …"),
        ),
    }
}

/// `/api/letter/{letter}`: every decision of the letter.
pub(super) async fn letter(State(index): State<Shared>, Path(letter): Path<String>) -> Response {
    if letter.contains('#') {
        return json_error(
            StatusCode::NOT_FOUND,
            "a letter's name holds no `#`: /api/decision/LETTER/N names one decision",
        );
    }
    shown(&index, letter).await
}

/// As `imr show REFERENCE --format json`.
async fn shown(index: &Shared, text: String) -> Response {
    let shown = read(index, move |i| -> Result<Vec<u8>, ReferenceError> {
        let mut out = Vec::new();
        let written = match Reference::parse(&text)?.decision {
            Some(_) => show::json(&crate::query::lookup(i, &text)?, &mut out),
            None => show::letter_json(&crate::query::lookup_letter(i, &text)?, &mut out),
        };
        written.map_err(|e| unwritten(&e))?;
        Ok(out)
    })
    .await;
    match shown {
        Ok(Ok(out)) => json(StatusCode::OK, out),
        Ok(Err(e)) => json_error(reference_status(&e), &e.to_string()),
        Err(_) => stopped(),
    }
}

/// `/api/cites?…`: as `imr cites --format json`, or with `page` or
/// `section`, as `imr cites --page N --format json`.
pub(super) async fn cites(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params {
        Ok(Query(p)) => p,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let request = match cites_request(&p, CLI_LIMIT) {
        Ok(r) => r,
        Err(bad) => return json_error(StatusCode::BAD_REQUEST, &bad.0),
    };
    let written = read(&index, move |i| -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        match &request.cited {
            None => {
                let cites = crate::query::cites::index(i, &request)?;
                crate::render::cites::index_json(&cites, &mut out)
            }
            Some(cited) => {
                let citing = crate::query::cites::citing(i, &request, cited)?;
                crate::render::cites::citing_json(&citing, &mut out)
            }
        }
        .map_err(|e| unwritten(&e))?;
        Ok(out)
    })
    .await;
    answer(written)
}

/// `/api/stats?by=…`: as `imr stats --by … --format json`.
pub(super) async fn stats(State(index): State<Shared>, params: Asked) -> Response {
    let p = match params {
        Ok(Query(p)) => p,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let request = match grouping(&p).and_then(|by| stats_request(&p, by, CLI_LIMIT)) {
        Ok(r) => r,
        Err(bad) => return json_error(StatusCode::BAD_REQUEST, &bad.0),
    };
    let written = read(&index, move |i| -> Result<Vec<u8>, Error> {
        let stats = crate::query::stats::stats(i, &request)?;
        let mut out = Vec::new();
        crate::render::stats::json(&stats, &mut out).map_err(|e| unwritten(&e))?;
        Ok(out)
    })
    .await;
    answer(written)
}

fn answer(written: Result<Result<Vec<u8>, Error>, Response>) -> Response {
    match written {
        Ok(Ok(out)) => json(StatusCode::OK, out),
        Ok(Err(e)) => json_error(super::pages::status_of(&e), &e.to_string()),
        Err(_) => stopped(),
    }
}

fn unwritten(e: &std::io::Error) -> Error {
    Error::Usage(format!("the answer could not be written: {e}"))
}

fn stopped() -> Response {
    json_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the request stopped unexpectedly",
    )
}
