//! `imr completions`: a shell completion script, from the same definitions
//! as the parser.

use std::process::ExitCode;

use clap_complete::Shell;

/// Print a completion script for a shell.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr completions bash > imr.bash\n  imr completions zsh > _imr\n  imr completions fish > imr.fish"
)]
pub struct Args {
    /// The shell
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut command = super::command();
    clap_complete::generate(args.shell, &mut command, "imr", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
