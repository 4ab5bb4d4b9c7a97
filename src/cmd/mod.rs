//! Subcommands: one module each, its arguments (the doc comments are the
//! help) beside its `run`.

mod alert;
mod check;
mod cites;
mod completions;
mod export;
mod filters;
mod info;
mod ingest;
mod man;
mod pdf_worker;
mod search;
mod serve;
mod show;
mod similar;
mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Search California workers' compensation Independent Medical Review
/// decisions: how reviewers ruled on a treatment, and on what guideline page.
#[derive(Debug, Parser)]
#[command(name = "imr", propagate_version = true)]
pub struct Cli {
    /// When to colour and bold output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Ingest(ingest::Args),
    Search(Box<search::Args>),
    Show(show::Args),
    Cites(cites::Args),
    Stats(stats::Args),
    Similar(similar::Args),
    Export(export::Args),
    Alert(alert::Args),
    Serve(serve::Args),
    Check(check::Args),
    #[command(visible_alias = "info")]
    Where(info::Args),
    Completions(completions::Args),
    Man(man::Args),
    #[command(name = "pdf-worker", hide = true)]
    PdfWorker(pdf_worker::Args),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let style = style(cli.color);
    match cli.command {
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(*args, style),
        Command::Export(args) => export::run(args),
        Command::Alert(args) => alert::run(args, style),
        Command::Serve(args) => serve::run(args),
        Command::Where(args) => info::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
        Command::Cites(args) => cites::run(args, style),
        Command::Stats(args) => stats::run(args, style),
        Command::Similar(args) => similar::run(args, style),
        Command::Show(args) => show::run(args, style),
        Command::Check(args) => check::run(args),
        Command::PdfWorker(args) => pdf_worker::run(args),
    }
}

/// The command line's definition, with the version naming the index
/// schema version this imr reads and writes.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let version = format!(
        "{} (index schema version {})",
        env!("CARGO_PKG_VERSION"),
        imr::index::SchemaFile::bundled().version
    );
    Cli::command().version(version)
}

/// Parses the process's arguments (exits on `--help`, `--version` and
/// usage errors, as clap does).
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let matches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// Bold and colour on a terminal; NO_COLOR turns it off and
/// CLICOLOR_FORCE on, and `--color always|never` overrides both.
fn style(color: Color) -> imr::render::Style {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto if set("NO_COLOR") => false,
        Color::Auto => set("CLICOLOR_FORCE") || std::io::stdout().is_terminal(),
    };
    if on {
        imr::render::Style::Color
    } else {
        imr::render::Style::Plain
    }
}

/// Which index a command uses, and why.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// `--index`: must exist to be read.
    Flag,
    /// `IMR_INDEX`: must exist to be read.
    Env,
    /// The user's data directory; the bundled sample stands in until an
    /// ingest creates it.
    DataDir,
}

impl Why {
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Flag => "named by --index",
            Why::Env => "named by IMR_INDEX",
            Why::DataDir => "the data directory's default",
        }
    }
}

impl Location {
    fn find(flag: Option<PathBuf>) -> anyhow::Result<Location> {
        let named = |path, why| Ok(Location { path, why });
        if let Some(path) = flag {
            return named(path, Why::Flag);
        }
        if let Some(path) = std::env::var_os("IMR_INDEX").filter(|v| !v.is_empty()) {
            return named(PathBuf::from(path), Why::Env);
        }
        let data = dirs::data_dir().ok_or_else(|| {
            anyhow::anyhow!("no data directory found: name an index with --index DIR")
        })?;
        named(data.join("imr").join("index"), Why::DataDir)
    }

    fn path(&self) -> &PathBuf {
        &self.path
    }

    /// True when reading falls back to the bundled sample.
    fn uses_sample(&self) -> bool {
        self.why == Why::DataDir && !self.path.exists()
    }
}

/// The index to read: the one named, the default one, or else the bundled
/// sample (with a note on stderr).
fn open_for_reading(flag: Option<PathBuf>) -> anyhow::Result<imr::index::Opened> {
    let location = Location::find(flag)?;
    if location.uses_sample() {
        let path = &location.path;
        eprintln!(
            "imr: note: no index at {}; searching the bundled sample letters (create one with `imr ingest LETTERS...`)",
            path.display()
        );
        return Ok(imr::ingest::open_sample()?);
    }
    Ok(imr::index::open(location.path())?)
}

/// 0 when something matched, 1 when nothing did.
pub(super) fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
