//! `imr serve`: the web pages over an index, on localhost until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Serve search pages over the index in a web browser, until Ctrl-C.
///
/// Pages: / (the search box and what the index holds), /search (hits
/// with highlighted excerpts, a sidebar of facet counts, every filter a
/// link, a chart by month), /decision/CASE_NUMBER/N (a whole decision
/// with its "Cite as" line, its letter's other decisions, similar
/// decisions and the original file), /letter/CASE_NUMBER (a whole
/// letter; a letter without a case number goes by its id), /cites (the
/// citator), /stats?by=drug (overturn rates with their 95% intervals as
/// charts). /api/search, /api/decision/…, /api/letter/…, /api/cites and
/// /api/stats answer with the JSON of `imr search`, `imr show`, `imr
/// cites` and `imr stats` with --format json. Every state is in the URL,
/// so every page can be bookmarked or sent. The server only reads;
/// decisions an ingest commits show from the next request on. Prints
/// "listening on http://ADDRESS" once it takes requests.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr serve\n  imr serve --index /tmp/imr-tour --addr 127.0.0.1:8081\n  imr serve --addr 127.0.0.1:0"
)]
pub struct Args {
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// The address to listen on; port 0 picks a free port. Another
    /// machine can reach the pages only at a non-loopback address such
    /// as 0.0.0.0:8080
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    imr::web::serve(index, args.addr, |bound| {
        println!("listening on http://{bound}");
    })
    .map_err(|e| anyhow::anyhow!("cannot serve at {}: {e}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
