//! `imr man`: the roff man page, from the same definitions as the parser.

use std::io::Write;
use std::process::ExitCode;

/// Print imr's man page (roff), listing every subcommand.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr man > imr.1\n  imr man | head -3"
)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    clap_mangen::Man::new(super::command()).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
