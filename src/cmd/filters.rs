//! The filters every searching command takes (`search`, `cites`, `stats`,
//! `similar`), as flags.

use clap::ValueEnum;
use imr::query::{Filters, Sort};

/// Narrowing on top of the query.
#[derive(Debug, Clone, clap::Args)]
pub(super) struct FilterArgs {
    /// Only decisions with this outcome
    #[arg(long, value_parser = ["upheld", "overturned", "unknown"])]
    outcome: Option<String>,
    /// Only decisions on this drug (any name)
    #[arg(long)]
    drug: Option<String>,
    /// Only decisions on drugs of this class, as the state names it (e.g. opioids, "proton pump inhibitors")
    #[arg(long)]
    class: Option<String>,
    /// Only decisions in this treatment category or subcategory of the state's (e.g. acupuncture, pharmaceuticals)
    #[arg(long)]
    category: Option<String>,
    /// Only decisions whose reviewer cites this guideline (source, document or section words)
    #[arg(long)]
    guideline: Option<String>,
    /// Only decisions whose reviewer cites this page
    #[arg(long)]
    pub(super) page: Option<u32>,
    /// Only decisions by a reviewer of this specialty
    #[arg(long)]
    specialty: Option<String>,
    /// Only decisions by a reviewer licensed in this state
    #[arg(long)]
    state: Option<String>,
    /// Only letters dated on or after this day (YYYY-MM-DD)
    #[arg(long)]
    since: Option<String>,
    /// Only letters dated on or before this day (YYYY-MM-DD)
    #[arg(long)]
    until: Option<String>,
}

impl FilterArgs {
    /// Whether any filter is set.
    pub(super) fn any(&self) -> bool {
        [
            &self.outcome,
            &self.drug,
            &self.class,
            &self.category,
            &self.guideline,
            &self.specialty,
            &self.state,
            &self.since,
            &self.until,
        ]
        .iter()
        .any(|f| f.is_some())
            || self.page.is_some()
    }
}

impl From<FilterArgs> for Filters {
    fn from(a: FilterArgs) -> Filters {
        Filters {
            outcome: a.outcome,
            drug: a.drug,
            guideline: a.guideline,
            page: a.page,
            specialty: a.specialty,
            state: a.state,
            category: a.category,
            class: a.class,
            since: a.since,
            until: a.until,
        }
    }
}

/// `--sort`, shared by the commands that list decisions.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Newest => Sort::Newest,
            SortArg::Oldest => Sort::Oldest,
        }
    }
}
