//! Web stage: an opened index → a local HTTP server. Search, decision,
//! letter, citator and statistics pages in HTML with charts drawn as SVG,
//! alerts' Atom feeds, and the same questions as the command line's JSON,
//! all by GET with every state in the URL. The pages render the same typed
//! results the command line renders (`crate::query`); the server only
//! reads the index, and writes only its alerts file ("Save as alert",
//! `feeds`).

mod api;
mod chart;
mod feeds;
mod letter;
mod pages;
pub mod params;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;

use crate::index::Opened;

/// Serves `index` at `addr` until Ctrl-C. `ready` is told the address
/// bound (port 0 picks a free one) before the first request is taken.
/// Each request reads the index's last commit: an ingest's decisions show
/// from the next request on.
pub fn serve(
    index: Opened,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(index))
            .with_graceful_shutdown(interrupted())
            .await
    })
}

/// Resolves on Ctrl-C; never, where the signal cannot be watched.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Every route; unknown paths get a page that says where to go.
pub fn router(index: Opened) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(pages::search))
        .route("/cites", get(pages::cites))
        .route("/stats", get(pages::stats))
        // A decision or a letter by its case number or letter id; any
        // reference `imr show` takes redirects there.
        .route("/decision", get(letter::by_reference))
        .route("/decision/{letter}/{n}", get(letter::decision))
        .route("/letter/{letter}", get(letter::letter))
        .route("/letter/{letter}/original", get(letter::original))
        // JSON: the command line's `--format json`, byte for byte.
        .route("/api/search", get(pages::api_search))
        .route("/api/decision", get(api::decision_by_reference))
        .route("/api/decision/{letter}/{n}", get(api::decision))
        .route("/api/letter/{letter}", get(api::letter))
        .route("/api/cites", get(api::cites))
        .route("/api/stats", get(api::stats))
        .route("/alerts", get(feeds::list).post(feeds::save))
        .route("/alerts/{file}", get(feeds::feed))
        .route("/static/style.css", get(pages::style))
        .route("/static/copy.js", get(pages::script))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(stamped))
        .with_state(Arc::new(index))
}

/// Every response says how long the server took to make it
/// (`Server-Timing: total;dur=MS`, shown by a browser's developer tools
/// and read by the benchmark), and that its type is not to be guessed.
async fn stamped(request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let mut response = next.run(request).await;
    let took = started.elapsed().as_secs_f64() * 1000.0;
    let headers = response.headers_mut();
    if let Ok(timing) = HeaderValue::from_str(&format!("total;dur={took:.3}")) {
        headers.insert("server-timing", timing);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
