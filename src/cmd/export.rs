//! `imr export`: every decision as one JSON object per line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print every decision as one JSON object per line.
///
/// Records come in letter order, then decision order; the README documents
/// each field.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr export | head -1\n  imr export > decisions.jsonl"
)]
pub struct Args {
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    let records = imr::query::export(&index)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    imr::render::json::records(&records, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
