//! `imr check`: verifies an index end to end and says in one line whether
//! it is sound.

use std::path::PathBuf;
use std::process::ExitCode;

/// Verify an index end to end and say whether it is sound.
///
/// Checks every file's checksum, the schema version, every stored record,
/// and that every letter's decisions are whole. Exits 0 when it is sound,
/// 2 when not, saying what to do.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr check\n  imr check --index ./my-index"
)]
pub struct Args {
    /// The index folder [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let location = super::Location::find(args.index)?;
    let check = imr::index::check::check(location.path())?;
    if check.is_sound() {
        println!("{}", check.verdict());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("imr: {}", check.verdict());
        Ok(ExitCode::from(2))
    }
}
