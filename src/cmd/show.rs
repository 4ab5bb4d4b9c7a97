//! `imr show`: one whole decision, with a citation line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use imr::render::Style;

/// Show one whole decision, with a citation line to quote.
///
/// Prints the item, outcome, reviewer, guideline citations and the full
/// rationale, ending with a citation line a brief can quote.
///
/// A decision is SOURCE#N (the path as ingested, its end, or the start of
/// its file name) or CASE_NUMBER#N; a name that fits several letters is
/// refused with the list of them.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr show 003#6\n  imr show data/letters/000_e9bf73e65e666cd1.txt#2\n  imr show 001_9643e271e3338345.txt#1 --format json"
)]
pub struct Args {
    /// The decision: SOURCE#N or CASE_NUMBER#N
    reference: String,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args, style: Style) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    let record = imr::query::lookup(&index, &args.reference)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Text => imr::render::show::text(&record, style, &mut out)?,
        Format::Json => imr::render::show::json(&record, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
