//! Web stage: an opened index → a local HTTP server. Search, decision,
//! citator and statistics pages in HTML, and the search and a decision as
//! JSON, all by GET with every state in the URL. The pages render the
//! same typed results the command line renders (`crate::query`); the
//! server only reads the index, and writes only its alerts file ("Save as
//! alert", `feeds`).

mod feeds;
mod pages;
pub mod params;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
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
        .route("/decision", get(pages::decision))
        .route("/cites", get(pages::cites))
        .route("/stats", get(pages::stats))
        .route("/api/search", get(pages::api_search))
        .route("/api/decision", get(pages::api_decision))
        .route("/alerts", get(feeds::list).post(feeds::save))
        .route("/alerts/{file}", get(feeds::feed))
        .route("/static/style.css", get(pages::style))
        .route("/static/copy.js", get(pages::script))
        .fallback(pages::not_found)
        .with_state(Arc::new(index))
}
