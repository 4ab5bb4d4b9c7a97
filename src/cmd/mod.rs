//! Subcommands: one module each, its arguments (the doc comments are the
//! help) beside its `run`.

mod check;
mod export;
mod ingest;
mod search;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Search California workers' compensation Independent Medical Review
/// decisions: how reviewers ruled on a treatment, and on what guideline page.
#[derive(Debug, Parser)]
#[command(name = "imr", version, propagate_version = true)]
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
    Search(search::Args),
    Export(export::Args),
    Check(check::Args),
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
        Command::Search(args) => search::run(args, style),
        Command::Export(args) => export::run(args),
        Command::Check(args) => check::run(args),
    }
}

/// Bold and colour on a terminal, unless NO_COLOR or `--color never`.
fn style(color: Color) -> imr::render::Style {
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    if on {
        imr::render::Style::Color
    } else {
        imr::render::Style::Plain
    }
}

/// Which index a command uses, and why.
#[derive(Debug, Clone)]
pub enum Location {
    /// Named with `--index` or `IMR_INDEX`: must exist to be read.
    Named(PathBuf),
    /// The user's data directory.
    Default(PathBuf),
}

impl Location {
    fn find(flag: Option<PathBuf>) -> anyhow::Result<Location> {
        if let Some(path) = flag.or_else(|| std::env::var_os("IMR_INDEX").map(PathBuf::from)) {
            return Ok(Location::Named(path));
        }
        let data = dirs::data_dir().ok_or_else(|| {
            anyhow::anyhow!("no data directory found: name an index with --index DIR")
        })?;
        Ok(Location::Default(data.join("imr").join("index")))
    }

    fn path(&self) -> &PathBuf {
        match self {
            Location::Named(p) | Location::Default(p) => p,
        }
    }
}

/// The index to read: the one named, the default one, or else the bundled
/// sample (with a note on stderr).
fn open_for_reading(flag: Option<PathBuf>) -> anyhow::Result<imr::index::Opened> {
    let location = Location::find(flag)?;
    if let Location::Default(path) = &location
        && !path.exists()
    {
        eprintln!(
            "imr: note: no index at {}; searching the bundled sample letters (create one with `imr ingest LETTERS...`)",
            path.display()
        );
        return Ok(imr::index::open_sample()?);
    }
    Ok(imr::index::open(location.path())?)
}
