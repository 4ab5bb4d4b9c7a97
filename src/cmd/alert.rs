//! `imr alert`: saved searches, and what is new to each since it last ran.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use imr::index::Opened;
use imr::query::alert::{Alert, Alerts, Saved};
use imr::render::Style;

use super::Location;
use super::filters::FilterArgs;

/// Saved searches: what is new since each last ran.
///
/// `imr alert add NAME QUERY [filters]` saves a search (search's query and
/// filters) with the index, in DIR/alerts.json. `imr alert run` reports,
/// per alert, the decisions that match it and were ingested after it last
/// ran (after it was added, for its first run), then records the run; a
/// decision is reported once per alert, ever, whatever is re-ingested.
/// `imr serve` gives each alert an Atom feed at /alerts/NAME.atom.
///
/// `run` exits 0 when it reported a decision, 1 when nothing was new, and 2
/// when an alert could not run (its message names it; the others run).
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr alert add knee-mri MRI --outcome overturned\n  imr alert list\n  imr alert run knee-mri || echo 'nothing new'\n  imr alert remove knee-mri"
)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    Add(Box<AddArgs>),
    List(ListArgs),
    Remove(RemoveArgs),
    Run(RunArgs),
}

/// Save a search as an alert: it reports what is ingested from now on.
#[derive(Debug, clap::Args)]
struct AddArgs {
    /// The alert's name: letters, digits, `-` and `_`
    name: String,
    /// The query, as `imr search` takes it [default: every decision the filters keep, as `*`]
    #[arg(allow_hyphen_values = true)]
    query: Option<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    #[command(flatten)]
    filters: FilterArgs,
}

/// List the alerts: each one's search, when it last ran, and how many
/// decisions it has reported.
#[derive(Debug, clap::Args)]
struct ListArgs {
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// text: a table; json: one object per alert and line
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Remove an alert.
#[derive(Debug, clap::Args)]
struct RemoveArgs {
    name: String,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
}

/// Report each alert's new decisions, then record the run.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The alerts to run [default: every one]
    names: Vec<String>,
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// text: per alert its name and count, then hits as `imr search` prints
    /// them; json: one object per alert and line, hits as `search --format json`
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args, style: Style) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::Add(a) => add(*a),
        Action::List(a) => list(a, style),
        Action::Remove(a) => remove(a),
        Action::Run(a) => run_alerts(a, style),
    }
}

/// The index whose alerts a command reads or changes: one on disk, never
/// the bundled sample.
fn open(flag: Option<PathBuf>) -> anyhow::Result<Opened> {
    let location = Location::find(flag)?;
    if location.uses_sample() {
        anyhow::bail!(
            "alerts are kept in the index folder, and there is no index at {} yet: create one with `imr ingest LETTERS...`",
            location.path.display()
        );
    }
    Ok(imr::index::open(location.path())?)
}

fn add(args: AddArgs) -> anyhow::Result<ExitCode> {
    if args.query.is_none() && !args.filters.any() {
        anyhow::bail!(
            "give a query, `*` for every decision, or a filter such as --drug or --outcome (see `imr alert add --help`)"
        );
    }
    let index = open(args.index)?;
    let folder = Alerts::folder(&index)?;
    let query = args.query.unwrap_or_else(|| "*".to_owned());
    let alert = Alert::new(&index, &args.name, &query, args.filters.into())?;
    let search = imr::render::alert::command_line(&alert.query, &alert.filters);
    let mut alerts = Alerts::edit(folder)?;
    alerts.add(alert)?;
    alerts.save()?;
    println!(
        "saved alert {}: {search}; `imr alert run {}` reports the decisions ingested from now on",
        args.name, args.name
    );
    Ok(ExitCode::SUCCESS)
}

fn list(args: ListArgs, style: Style) -> anyhow::Result<ExitCode> {
    let index = open(args.index)?;
    let alerts = Alerts::read(Alerts::folder(&index)?)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Text => imr::render::alert::list(&alerts.saved, style, &mut out)?,
        Format::Json => imr::render::alert::list_json(&alerts.saved, &mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn remove(args: RemoveArgs) -> anyhow::Result<ExitCode> {
    let index = open(args.index)?;
    let mut alerts = Alerts::edit(Alerts::folder(&index)?)?;
    alerts.remove(&args.name)?;
    alerts.save()?;
    println!("removed alert {}", args.name);
    Ok(ExitCode::SUCCESS)
}

/// Runs the alerts named (or all), writes every report, and only once
/// they are written records the runs: a run stopped before then reports
/// the same decisions again next time. An alert that cannot run is named
/// on stderr, and the others run.
fn run_alerts(args: RunArgs, style: Style) -> anyhow::Result<ExitCode> {
    let index = open(args.index)?;
    // Held to the end: two runs at once would report the same decisions.
    let mut alerts = Alerts::edit(Alerts::folder(&index)?)?;
    let mut failed = false;
    let chosen: Vec<Saved> = match args.names.is_empty() {
        true => alerts.saved.clone(),
        false => args
            .names
            .iter()
            .filter_map(|name| match alerts.get(name) {
                Some(saved) => Some(saved.clone()),
                None => {
                    eprintln!("imr: {}", alerts.unknown(name));
                    failed = true;
                    None
                }
            })
            .collect(),
    };
    if chosen.is_empty() && !failed {
        eprintln!("imr: no alerts to run; add one with `imr alert add NAME QUERY`");
    }
    let mut reports = Vec::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for saved in &chosen {
        let report = match saved {
            Saved::Alert(alert) => imr::query::alert::run(&index, alert),
            Saved::Unreadable { name, reason, .. } => {
                eprintln!(
                    "imr: alert `{name}` cannot be read ({reason}): correct it in {}, or remove it with `imr alert remove {name}`",
                    index.path.join(imr::query::alert::FILE).display()
                );
                failed = true;
                continue;
            }
        };
        match report {
            Ok(report) => {
                match args.format {
                    Format::Text => imr::render::alert::report(&report, style, &mut out)?,
                    Format::Json => imr::render::alert::report_json(&report, &mut out)?,
                }
                reports.push(report);
            }
            Err(e) => {
                let name = saved.name();
                // What was saved no longer runs: it is to be saved anew.
                let hint = match e {
                    imr::Error::Query { .. } | imr::Error::Usage(_) => {
                        format!("; remove it (`imr alert remove {name}`) and add it again")
                    }
                    _ => String::new(),
                };
                eprintln!("imr: alert `{name}`: {e}{hint}");
                failed = true;
            }
        }
    }
    out.flush()?;
    drop(out);
    for report in &reports {
        if let Some(alert) = alerts.alert_mut(&report.alert) {
            alert.record(report);
        }
    }
    if !reports.is_empty() {
        alerts.save()?;
    }
    Ok(match (failed, reports.iter().any(|r| r.total > 0)) {
        (true, _) => ExitCode::from(2),
        (false, any) => super::found(any),
    })
}
