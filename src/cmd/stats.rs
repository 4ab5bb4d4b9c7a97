//! `imr stats`: per drug, item, guideline, page, specialty, state or year,
//! how the decisions came out, with the overturn rate's 95% interval.
//! Also the filter flags and output formats the precedent commands share.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::filters::FilterArgs;
use super::found;
use clap::ValueEnum;
use imr::query::stats::{By, Request};
use imr::render::Style;

/// Count outcomes per drug, item, guideline, page, specialty, state or year.
///
/// Per group: decisions, upheld, overturned, the overturn rate (among
/// decisions with a known outcome) and its 95% Wilson interval, largest
/// groups first. Drugs count by generic name: Norco and hydrocodone
/// together, a compound for each of its ingredients.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr stats --by drug\n  imr stats --by page capsaicin\n  imr stats --by specialty --drug cyclobenzaprine --format csv"
)]
pub struct Args {
    /// What to group by
    #[arg(long, default_value = "drug", value_parser = By::ALL.map(By::as_str))]
    by: String,
    /// Only decisions matching this query (the language of `imr search`)
    #[arg(allow_hyphen_values = true)]
    query: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many groups to show
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    filters: FilterArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(args: Args, style: Style) -> anyhow::Result<ExitCode> {
    let index = super::open_for_reading(args.index)?;
    let by =
        By::from_name(&args.by).ok_or_else(|| anyhow::anyhow!("cannot group by `{}`", args.by))?;
    let request = Request {
        by,
        query: args.query,
        filters: args.filters.into(),
        limit: args.limit,
    };
    let stats = imr::query::stats::stats(&index, &request)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Text => imr::render::stats::text(&stats, style, &mut out)?,
        Format::Json => imr::render::stats::json(&stats, &mut out)?,
        Format::Csv => imr::render::stats::csv(&stats, &mut out)?,
    }
    out.flush()?;
    Ok(found(stats.total.decisions > 0))
}
