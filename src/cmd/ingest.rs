//! `imr ingest`: letters (text or PDF, files or folders) → the index.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr::ingest::{Options, Report};
use imr::read::pdf_worker::{Config, Limits};
use indicatif::{ProgressBar, ProgressStyle};

/// Read letters (*.txt, *.pdf, folders) into the index.
///
/// Folders are searched recursively. Re-running is safe: unchanged letters
/// are skipped, changed files replace their records, the same letter under
/// a second path is reported as a duplicate. A file is unchanged when its
/// size and modification time are those indexed from its path, and then it
/// is not read; with --verify, when its bytes are those indexed from its
/// path. Exit 1 when a file was skipped or a letter flagged.
///
/// PDFs are read in separate processes, each limited in memory
/// (--pdf-memory) and time per file (--pdf-timeout): a PDF that crashes
/// its reader, runs it out of memory or takes too long is skipped with
/// the cause, and the rest are read.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr ingest data/letters\n  imr ingest --index ./my-index data/letters data/real/txt\n  imr ingest --json --quiet --index ./pdf-index data/real/pdf\n  imr ingest --pdf-timeout 5 --pdf-memory 512 --index ./pdf-index data/real/pdf"
)]
pub struct Args {
    /// Letter files or folders
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The index folder, created if absent [default: $IMR_INDEX, else the data directory's imr/index]
    #[arg(long)]
    index: Option<PathBuf>,
    /// Print the report as one JSON object on stdout
    #[arg(long)]
    json: bool,
    /// No progress bar
    #[arg(long, short)]
    quiet: bool,
    /// Memory each PDF reader process may use, in MiB; a PDF that needs more is skipped
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().memory_mib,
          value_parser = clap::value_parser!(u64).range(64..))]
    pdf_memory: u64,
    /// Seconds one PDF may take to read; a PDF that takes longer is skipped
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().timeout.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pdf_timeout: u64,
    /// Read every file and compare its bytes' hash with the letter indexed
    /// from its path, rather than trust its size and modification time
    #[arg(long, alias = "hash")]
    verify: bool,
    /// Commit after this many letters (and at least every 30 seconds)
    #[arg(long, default_value_t = Options::default().commit_every_letters, hide = true)]
    commit_every: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let location = super::Location::find(args.index)?;
    let bar = progress_bar(args.quiet);
    let tick = |done: usize, total: usize, bytes: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(format!("{:.1} MB", bytes as f64 / 1e6));
        }
    };
    // PDFs are read by this binary's hidden worker mode, in processes
    // whose crash, overrun or exhausted memory costs one file.
    let program = std::env::current_exe().context("finding imr's own executable")?;
    let options = Options {
        commit_every_letters: args.commit_every.max(1),
        pdf_workers: Some(Config {
            program,
            limits: Limits {
                memory_mib: args.pdf_memory,
                timeout: std::time::Duration::from_secs(args.pdf_timeout),
            },
        }),
        verify: args.verify,
        ..Options::default()
    };
    let report = imr::ingest::run(location.path(), &args.paths, options, &tick)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&report, &mut out)?;
    }
    out.flush()?;
    Ok(if report.has_unreadable() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A bar on a terminal only: files, MB/s, ETA.
fn progress_bar(quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template(
        "{bar:30} {pos}/{len} files  {msg}  {binary_bytes_per_sec}  eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

fn print_report(r: &Report, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "index: {}", r.index)?;
    writeln!(
        out,
        "{} files, {} letters read, {} indexed ({} decisions), {} unchanged, {} replaced, {} duplicates, {} skipped, {} flagged",
        r.files,
        r.letters_read,
        r.letters_indexed,
        r.decisions_indexed,
        r.unchanged,
        r.replaced,
        r.duplicates.len(),
        r.skipped.len(),
        r.flagged.len()
    )?;
    writeln!(out, "{:.2} s, {:.1} MB/s", r.elapsed_secs, r.mb_per_s)?;
    for d in &r.duplicates {
        writeln!(out, "duplicate: {} (same letter as {})", d.path, d.of)?;
    }
    for s in &r.skipped {
        writeln!(out, "skipped: {}: {}", s.path, s.reason)?;
    }
    for f in &r.flagged {
        writeln!(out, "flagged: {}: {}", f.path, f.flags.join(", "))?;
    }
    if !r.unknown_drug_words.is_empty() {
        let words: Vec<String> = r
            .unknown_drug_words
            .iter()
            .take(10)
            .map(|w| format!("{} ({})", w.word, w.count))
            .collect();
        let more = r.unknown_drug_words.len().saturating_sub(words.len());
        let more = match more {
            0 => String::new(),
            n => format!(", and {n} more (--json lists all)"),
        };
        writeln!(
            out,
            "drug-like words the drug table does not know, with the decisions naming each: {}{more}",
            words.join(", ")
        )?;
    }
    if r.has_unreadable() {
        writeln!(
            out,
            "some files could not be read: see the skipped and flagged lines above"
        )?;
    }
    Ok(())
}
