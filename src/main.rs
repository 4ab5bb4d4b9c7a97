//! The `imr` binary: parses arguments, dispatches to a subcommand, prints
//! errors and sets the exit code. The work is in the library.

mod cmd;

use std::process::ExitCode;

/// mimalloc: ingest and parsing allocate many small, short-lived strings,
/// and it serves them faster than the system allocator (see benches/parse.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Panics are reported once, below, as an internal error: no backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = cmd::parse();
    match std::panic::catch_unwind(|| cmd::run(cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("imr: {err:#}");
            ExitCode::from(2)
        }
        Err(panic) => {
            let what = imr::error::panic_message(&*panic);
            eprintln!("imr: internal error ({what}); please report it with the command you ran");
            ExitCode::from(2)
        }
    }
}

/// A closed pipe (`imr search … | head -1`) is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
