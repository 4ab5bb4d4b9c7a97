//! `imr pdf-worker` (hidden): PDFs' bytes on stdin → their text on
//! stdout, in the protocol of `imr::read::pdf_worker`; `imr ingest` runs
//! it, one process per core, so that a hostile PDF costs only its worker.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;

/// Read PDFs for `imr ingest` (not for use by hand).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> anyhow::Result<ExitCode> {
    // A worker busy on a file when its ingest is killed would otherwise
    // run on (an endless file, for ever): it ends once its parent has.
    let parent = std::os::unix::process::parent_id();
    std::thread::Builder::new()
        .name("orphan-watch".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(1));
                if std::os::unix::process::parent_id() != parent {
                    std::process::exit(3);
                }
            }
        })
        .context("starting the worker")?;
    imr::read::pdf_worker::serve(std::io::stdin().lock(), std::io::stdout().lock())
        .context("serving ingest")?;
    Ok(ExitCode::SUCCESS)
}
