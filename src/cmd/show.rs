//! `imr show`: one whole decision, or a whole letter, with citation lines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use imr::query::reference::Reference;
use imr::render::{Style, show};

/// Show one whole decision, or a whole letter, with citation lines to quote.
///
/// Prints the item, outcome, reviewer, guideline citations and the full
/// rationale, ending with a citation line a brief can quote.
///
/// A decision is SOURCE#N (the path as ingested, its end, the start of
/// its file name, or the letter's id) or CASE_NUMBER#N; a name that fits several letters is
/// refused with the list of them. SOURCE or CASE_NUMBER alone is the whole
/// letter: its source, case number, dates and reviewer once, then every
/// decision in order, each with its own citation line. As JSON, a letter
/// is {"source", "case_number", "cover", "reviewer", "decisions"}, the
/// decisions as a decision shows them.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr show 003#6\n  imr show 003\n  imr show data/letters/000_e9bf73e65e666cd1.txt#2\n  imr show 001_9643e271e3338345.txt --format json"
)]
pub struct Args {
    /// The decision, SOURCE#N or CASE_NUMBER#N, or the letter, SOURCE or CASE_NUMBER
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let reference = Reference::parse(&args.reference)?;
    if reference.decision.is_some() {
        let record = imr::query::lookup(&index, &args.reference)?;
        match args.format {
            Format::Text => show::text(&record, style, &mut out)?,
            Format::Json => show::json(&record, &mut out)?,
        }
    } else {
        let letter = imr::query::lookup_letter(&index, &args.reference)?;
        match args.format {
            Format::Text => show::letter_text(&letter, style, &mut out)?,
            Format::Json => show::letter_json(&letter, &mut out)?,
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
