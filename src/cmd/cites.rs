//! `imr cites`: the citation index of guideline pages and sections, or the
//! decisions citing one of them with the passage that cites it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use imr::query::cites::{Cited, Request};
use imr::render::Style;

use super::filters::{FilterArgs, SortArg};
use super::found;
use super::stats::Format;

/// Rank the guideline pages and sections reviewers cite, with outcomes.
///
/// With neither --page nor --section: the citation index, every page and
/// section ranked by how many decisions' reviewers cite it, with its
/// document, upheld and overturned counts and overturn rate. With --page N
/// or --section TEXT: the decisions whose reviewer cites it, each with its
/// outcome, item and the passage that cites it (the rationale's sentence
/// naming it, else the guideline basis). A query and the filters narrow
/// either, as in `imr search`.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr cites\n  imr cites --page 111\n  imr cites --section \"topical analgesics\" --document \"chronic pain\" --format csv"
)]
pub struct Args {
    /// Only decisions matching this query (the language of `imr search`)
    #[arg(allow_hyphen_values = true)]
    query: Option<String>,
    /// The decisions citing this section (its words, any case)
    #[arg(long, conflicts_with = "page")]
    section: Option<String>,
    /// Only pages and sections of this guideline document (its words, e.g. "chronic pain", ODG)
    #[arg(long)]
    document: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// How many rows or decisions to show
    #[arg(long, default_value_t = 20)]
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
    let cited = match (args.filters.page, args.section) {
        (Some(page), _) => Some(Cited::Page(page)),
        (None, Some(section)) => Some(Cited::Section(section)),
        (None, None) => None,
    };
    let request = Request {
        query: args.query,
        filters: args.filters.into(),
        cited,
        document: args.document,
        limit: args.limit,
        sort: args.sort.into(),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let any = match &request.cited {
        None => {
            let cites = imr::query::cites::index(&index, &request)?;
            match args.format {
                Format::Text => imr::render::cites::index_text(&cites, style, &mut out)?,
                Format::Json => imr::render::cites::index_json(&cites, &mut out)?,
                Format::Csv => imr::render::cites::index_csv(&cites, &mut out)?,
            }
            cites.row_count > 0
        }
        Some(cited) => {
            let citing = imr::query::cites::citing(&index, &request, cited)?;
            match args.format {
                Format::Text => imr::render::cites::citing_text(&citing, style, &mut out)?,
                Format::Json => imr::render::cites::citing_json(&citing, &mut out)?,
                Format::Csv => imr::render::cites::citing_csv(&citing, &mut out)?,
            }
            citing.total.decisions > 0
        }
    };
    out.flush()?;
    Ok(found(any))
}
