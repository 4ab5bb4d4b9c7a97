//! `imr search`: ranked decisions with highlighted excerpts and facet counts.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use imr::query::Request;
use imr::render::Style;

use super::filters::{FilterArgs, SortArg};

/// Search decisions: ranked excerpts, then facet counts.
///
/// A query is words (all must match), "phrases", AND / OR / NOT (or + / -),
/// parentheses, prefix* and field:value with the fields item, rationale,
/// summary, drug, class, category, guideline, page, specialty, state,
/// outcome and year. A word matches a decision's own words, its item and
/// rationale; the letter's case summary only when asked (summary:). A drug
/// named by brand, generic or compound also finds the decisions on it
/// under its other names. With no query (or `*`), the filters alone choose.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr search cyclobenzaprine\n  imr search '\"topical analgesics\" AND page:111' --outcome upheld\n  imr search --category acupuncture --format json\n  imr search --drug capsaicin --sort newest --facets outcome,page --format csv"
)]
pub struct Args {
    /// The query [default: every decision the filters keep, as `*`]
    #[arg(allow_hyphen_values = true)]
    query: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many hits to show
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip before the first shown
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// text for people; json: one object with hits and facets; jsonl and
    /// csv: one hit per line
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Facets to count over all matches, comma-separated, or `none`
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "outcome,category,drug,source,guideline,page,specialty,year",
        value_parser = ["outcome", "category", "class", "drug", "source", "guideline", "page", "specialty", "year", "none"]
    )]
    facets: Vec<String>,
    /// Order of the hits: relevance, or by decision date (ties by relevance)
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    #[command(flatten)]
    filters: FilterArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
    Csv,
}

pub fn run(args: Args, style: Style) -> anyhow::Result<ExitCode> {
    if args.query.is_none() && !args.filters.any() {
        anyhow::bail!(
            "give a query, `*` for every decision, or a filter such as --drug or --outcome (see `imr search --help`)"
        );
    }
    let index = super::open_for_reading(args.index)?;
    let request = Request {
        query: args.query.unwrap_or_else(|| "*".to_owned()),
        filters: args.filters.into(),
        limit: args.limit,
        offset: args.offset,
        sort: args.sort.into(),
        facets: args.facets.into_iter().filter(|f| f != "none").collect(),
    };
    let results = imr::query::search(&index, &request)?;
    for s in &results.suggestions {
        eprintln!(
            "imr: no decisions match \"{}\"; did you mean \"{}\"?",
            s.word, s.suggestion
        );
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Text => imr::render::text::search(&results, style, &mut out)?,
        Format::Json => imr::render::json::search(&results, &mut out)?,
        Format::Jsonl => imr::render::json::hits(&results, &mut out)?,
        Format::Csv => imr::render::csv::search(&results, &mut out)?,
    }
    out.flush()?;
    Ok(super::found(results.total > 0))
}
