//! `imr where`: which index commands would use, why, and what it holds.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::Location;

/// Show which index commands use, why, and what it holds.
///
/// The index is the one named by --index, else by IMR_INDEX, else the data
/// directory's, else the bundled sample letters. Prints its letter and
/// decision counts, how many decisions have no category, schema version, size on disk and last ingest time.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr where\n  imr info"
)]
pub struct Args {
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let location = Location::find(args.index)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let path = location.path.display();
    let opened = if location.uses_sample() {
        writeln!(
            out,
            "index: bundled sample letters, in memory (no index yet at {path}, {})",
            location.why.as_str()
        )?;
        imr::ingest::open_sample()?
    } else if !location.path.exists() {
        writeln!(out, "index: {path} ({})", location.why.as_str())?;
        writeln!(
            out,
            "no index there yet: `imr ingest --index {path} LETTERS...` creates it"
        )?;
        out.flush()?;
        return Ok(ExitCode::from(1));
    } else {
        writeln!(out, "index: {path} ({})", location.why.as_str())?;
        imr::index::open(&location.path)?
    };
    let info = imr::index::info::info(&opened)?;
    writeln!(out, "letters: {}", info.letters)?;
    writeln!(out, "decisions: {}", info.decisions)?;
    writeln!(
        out,
        "decisions without a category: {} (items the category table cannot place)",
        info.uncategorized
    )?;
    writeln!(out, "schema version: {}", info.schema_version)?;
    if !location.uses_sample() {
        writeln!(out, "size on disk: {}", human(info.bytes))?;
        let last = info.last_ingest.as_deref().unwrap_or("never");
        writeln!(out, "last ingest: {last}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// "48.2 KB", "1.3 GB".
fn human(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit + 1 < UNITS.len() {
        size /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}
