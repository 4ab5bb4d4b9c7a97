//! `imr similar`: the decisions most like an existing one or a described
//! request.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use imr::query::similar::{Like, Request};
use imr::render::Style;

use super::filters::{FilterArgs, SortArg};
use super::found;
use super::stats::Format;

/// Find the decisions most like a decision or a described request.
///
/// Likeness is by the distinctive words of the item and the rationale and
/// by the drugs named; each hit has its outcome and the passage sharing
/// the most of those words. The decision itself is left out; filters
/// apply, so "similar and overturned" is one command.
///
/// A decision is SOURCE#N (the path as ingested, its end, or the start of
/// its file name) or CASE_NUMBER#N.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr similar 003#6\n  imr similar --text \"Dendracin lotion for neck pain\" --limit 3\n  imr similar 000_e9bf73e65e666cd1.txt#2 --outcome upheld --format json"
)]
pub struct Args {
    /// The decision to find others like
    #[arg(required_unless_present = "text", conflicts_with = "text")]
    reference: Option<String>,
    /// A described request to find decisions like
    #[arg(long)]
    text: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many decisions to show
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Order of the decisions listed: relevance, or by decision date (ties by relevance)
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    #[command(flatten)]
    filters: FilterArgs,
}

pub fn run(args: Args, style: Style) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    let like = match (args.reference, args.text) {
        (Some(reference), _) => Like::Decision(reference),
        (None, text) => Like::Text(text.unwrap_or_default()),
    };
    let request = Request {
        like,
        filters: args.filters.into(),
        limit: args.limit,
        sort: args.sort.into(),
    };
    let similar = imr::query::similar::similar(&index, &request)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Text => imr::render::cites::similar_text(&similar, style, &mut out)?,
        Format::Json => imr::render::cites::similar_json(&similar, &mut out)?,
        Format::Csv => imr::render::cites::similar_csv(&similar, &mut out)?,
    }
    out.flush()?;
    Ok(found(similar.total > 0))
}
