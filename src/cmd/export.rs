//! `imr export`: the decisions a query matches (every one by default), as
//! JSON lines or CSV, streamed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use imr::query::Filters;
use imr::record::Record;

use super::filters::FilterArgs;

/// Print decisions for analysis: every one, or those a query and filters match.
///
/// The query language is search's (`imr search --help`); no query, or `*`,
/// is every decision. Records come letter by letter in the order of their
/// paths (source), each letter's decisions in order, whatever order ingest
/// added the letters in. Records are written as they are read: memory
/// stays flat however large the index.
///
/// jsonl: one export record per line (the README documents each field).
/// csv: a header row, then one row per decision with the columns
/// case_number, source, decision, decision_date (the letter's date),
/// outcome, item, category, subcategory, drugs, drug_classes, specialty,
/// licensed_in, guideline_documents ("SOURCE: document") and
/// guideline_sections (the reviewer's, once each in the order cited),
/// pages, rationale; lists are joined by "; ".
///
/// Exits 1 when nothing matched.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr export | head -1\n  imr export > decisions.jsonl\n  imr export 'drug:capsaicin' --format csv\n  imr export --outcome upheld --format csv > upheld.csv"
)]
pub struct Args {
    /// The query [default: every decision]
    #[arg(allow_hyphen_values = true)]
    query: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// jsonl: one JSON record per line; csv: one row per decision
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    #[command(flatten)]
    filters: FilterArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    let filters: Filters = args.filters.into();
    let query = args.query.as_deref();
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let count = match args.format {
        Format::Jsonl => {
            let mut out = out;
            let count = imr::query::export(&index, query, &filters, |r: Record| {
                imr::render::json::record(&r, &mut out).map_err(stdout_error)
            })?;
            out.flush()?;
            count
        }
        Format::Csv => {
            let mut csv = imr::render::csv::Export::new(out)?;
            let count = imr::query::export(&index, query, &filters, |r: Record| {
                csv.row(&r).map_err(stdout_error)
            })?;
            csv.finish()?.flush()?;
            count
        }
    };
    Ok(super::found(count > 0))
}

/// A failed write of the output, as the library's error.
fn stdout_error(source: std::io::Error) -> imr::Error {
    imr::Error::Io {
        path: PathBuf::from("standard output"),
        source,
    }
}
