//! imr-bench: one command that measures imr against bare tantivy, SQLite
//! FTS5 and ripgrep on the same generated letters (issue 9), and imr's
//! ingest of the real PDFs. Writes the markdown report to
//! `target/bench-report.md` and prints it.
//!
//! `cargo run --release -p imr-bench -- --letters 20000,100000`; the web
//! server: `cargo run --release -p imr-bench -- serve --letters 100000`
//!
//! `--scale` measures imr alone at 100,000 and 1,000,000 letters instead
//! (issue 22) and writes `target/bench-scale-report.md`.
//!
//! `--compare BIN[,BIN...]` measures this build's `imr ingest` against
//! other imr binaries instead and writes `target/bench-compare-report.md`.

mod baseline;
mod child;
mod compare;
mod corpus;
mod queries;
mod report;
mod scale;
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, ensure};
use clap::{Parser, Subcommand};

use corpus::Corpus;
use report::{Ingest, Sample, Setup, Size};

/// Measure imr's ingest and search against bare tantivy, SQLite FTS5 and
/// ripgrep on generated letters; write target/bench-report.md.
#[derive(Debug, Parser)]
struct Cli {
    /// Generated letters to measure, comma-separated
    #[arg(long, value_delimiter = ',', default_value = "20000,100000")]
    letters: Vec<u64>,
    /// Ingest runs per system and corpus (medians are reported)
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Timed rounds of the query set per system
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Copies of each real PDF for imr's PDF ingest (0 skips it)
    #[arg(long, default_value_t = 50)]
    pdf_copies: usize,
    /// Measure imr alone at 100,000 and 1,000,000 letters: ingest,
    /// unchanged re-ingest, and every reading command's time and peak RSS,
    /// with their growth (--letters and --pdf-copies are not used; --runs
    /// counts ingests and runs of each command)
    #[arg(long)]
    scale: bool,
    /// Measure this build's `imr ingest` against these imr binaries alone,
    /// runs interleaved, at each size of --letters (--rounds and
    /// --pdf-copies are not used)
    #[arg(
        long,
        value_name = "BIN",
        value_delimiter = ',',
        conflicts_with = "scale"
    )]
    compare: Vec<PathBuf>,
    /// Where generated letters are kept between runs (and, with --scale,
    /// its indexes) [default: target/bench-corpus]
    #[arg(long)]
    cache: Option<PathBuf>,
    #[command(subcommand)]
    child: Option<Baseline>,
}

/// A baseline's indexing, run as a child of the benchmark.
#[derive(Debug, Subcommand)]
enum Baseline {
    #[command(hide = true)]
    IndexTantivy { corpus: PathBuf, out: PathBuf },
    #[command(hide = true)]
    IndexFts5 { corpus: PathBuf, out: PathBuf },
    /// Measure `imr serve` (8 clients at once) beside the warm search;
    /// writes target/bench-server.md
    Serve(server::Args),
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("imr-bench: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match &cli.child {
        Some(Baseline::IndexTantivy { corpus, out }) => {
            return baseline::index_tantivy(corpus, out);
        }
        Some(Baseline::IndexFts5 { corpus, out }) => return baseline::index_fts5(corpus, out),
        Some(Baseline::Serve(args)) => return server::run(args),
        None => {}
    }
    ensure!(
        !cfg!(debug_assertions),
        "build the benchmark optimised: cargo run --release -p imr-bench"
    );
    ensure!(
        cli.runs > 0 && cli.rounds > 0,
        "--runs and --rounds take counts above zero"
    );
    let target = corpus::target_dir()?;
    let bench = Bench {
        imr: corpus::imr_binary(&target)?,
        work: target.join("bench-corpus").join("work"),
        runs: cli.runs,
        rounds: cli.rounds,
    };
    let setup = setup(&cli);
    let cache = cli
        .cache
        .clone()
        .unwrap_or_else(|| target.join("bench-corpus"));
    if cli.scale {
        let text = scale::run(&bench.imr, &cache, cli.runs, &setup)?;
        return write_report(&target.join("bench-scale-report.md"), &text);
    }
    if !cli.compare.is_empty() {
        let text = compare::run(&bench, &cli.compare, &cache, &cli.letters, &setup)?;
        return write_report(&target.join("bench-compare-report.md"), &text);
    }
    let sizes = cli
        .letters
        .iter()
        .map(|&count| bench.size(&corpus::generated(&cache, count)?))
        .collect::<Result<Vec<_>>>()?;
    let pdfs = match cli.pdf_copies {
        0 => None,
        copies => Some(bench.pdfs(&corpus::pdfs(&target, copies)?)?),
    };
    let text = report::render(&setup, &sizes, pdfs.as_ref());
    write_report(&target.join("bench-report.md"), &text)
}

/// Writes the report to `path` and prints it.
fn write_report(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    println!("{text}");
    eprintln!("written to {}", path.display());
    Ok(())
}

struct Bench {
    imr: PathBuf,
    /// Where the indexes under measurement are written, then removed.
    work: PathBuf,
    runs: usize,
    rounds: usize,
}

impl Bench {
    /// Ingest by each system (runs interleaved, so that a noisy neighbour
    /// hits them alike), then the query set on what they built.
    fn size(&self, corpus: &Corpus) -> Result<Size> {
        corpus::warm(&corpus.dir);
        let (imr_index, tantivy_index, db) = (
            self.work.join("imr"),
            self.work.join("tantivy"),
            self.work.join("fts5.db"),
        );
        let (mut imr, mut tantivy, mut fts5) =
            (Ingest::default(), Ingest::default(), Ingest::default());
        let mut decisions = 0;
        for k in 1..=self.runs {
            let (sample, report) = self.imr_ingest(corpus, &imr_index)?;
            decisions = report["decisions_indexed"].as_u64().unwrap_or(0);
            imr.samples.push(sample);
            tantivy
                .samples
                .push(baseline_ingest("index-tantivy", corpus, &tantivy_index)?);
            fts5.samples
                .push(baseline_ingest("index-fts5", corpus, &db)?);
            eprintln!(
                "{} letters, run {k}: imr {:.1} s, tantivy {:.1} s, FTS5 {:.1} s",
                corpus.letters,
                imr.samples[k - 1].run.secs,
                tantivy.samples[k - 1].run.secs,
                fts5.samples[k - 1].run.secs
            );
        }
        eprintln!("{} letters: queries", corpus.letters);
        let rg = queries::find_rg()
            .map(|rg| queries::ripgrep(&rg, &corpus.dir, self.rounds))
            .transpose()?;
        let size = Size {
            corpus: corpus.clone(),
            decisions,
            imr,
            tantivy,
            fts5,
            cold: queries::imr_cold(&self.imr, &imr_index, self.rounds, true)?,
            cold_no_facets: queries::imr_cold(&self.imr, &imr_index, self.rounds, false)?,
            warm: queries::imr_warm(&imr_index, self.rounds)?,
            fts5_queries: queries::fts5(&db, self.rounds)?,
            rg,
        };
        let _ = std::fs::remove_dir_all(&self.work);
        Ok(size)
    }

    fn pdfs(&self, corpus: &Corpus) -> Result<(Corpus, Ingest)> {
        let mut imr = Ingest::default();
        for k in 1..=self.runs {
            imr.samples
                .push(self.imr_ingest(corpus, &self.work.join("imr"))?.0);
            eprintln!("PDFs, run {k}: imr {:.1} s", imr.samples[k - 1].run.secs);
        }
        let _ = std::fs::remove_dir_all(&self.work);
        let _ = std::fs::remove_dir_all(&corpus.dir);
        Ok((corpus.clone(), imr))
    }

    /// `imr ingest --json --quiet` into a new index; checks that every
    /// letter was indexed and none skipped. Returns the run and the report.
    fn imr_ingest(&self, corpus: &Corpus, index: &Path) -> Result<(Sample, serde_json::Value)> {
        let _ = std::fs::remove_dir_all(index);
        let mut ingest = Command::new(&self.imr);
        ingest
            .args(["ingest", "--json", "--quiet", "--index"])
            .arg(index)
            .arg(&corpus.dir)
            .env_remove("IMR_INDEX");
        let run = child::run(&mut ingest, &[0, 1])?;
        let report: serde_json::Value =
            serde_json::from_str(&run.stdout).context("imr ingest --json: not JSON")?;
        let skipped = report["skipped"].as_array().map_or(0, Vec::len);
        ensure!(
            report["letters_indexed"].as_u64() == Some(corpus.letters) && skipped == 0,
            "imr ingest of {} indexed {} of {} letters and skipped {skipped}",
            corpus.dir.display(),
            report["letters_indexed"],
            corpus.letters
        );
        let index_bytes = corpus::size_of(index);
        Ok((Sample { run, index_bytes }, report))
    }
}

/// This benchmark re-run as the child `subcommand`, which indexes the
/// corpus into `out` and prints the letter count.
fn baseline_ingest(subcommand: &str, corpus: &Corpus, out: &Path) -> Result<Sample> {
    let exe = std::env::current_exe().context("the benchmark's own path")?;
    let mut index = Command::new(exe);
    index.arg(subcommand).arg(&corpus.dir).arg(out);
    let run = child::run(&mut index, &[0])?;
    ensure!(
        run.stdout.trim().parse::<u64>().ok() == Some(corpus.letters),
        "{subcommand} indexed {} of {} letters",
        run.stdout.trim(),
        corpus.letters
    );
    let index_bytes = corpus::size_of(out);
    Ok(Sample { run, index_bytes })
}

fn setup(cli: &Cli) -> Setup {
    let args: Vec<String> = std::env::args().skip(1).collect();
    Setup {
        date: utc_now(),
        machine: machine(),
        command: format!("cargo run --release -p imr-bench -- {}", args.join(" ")),
        runs: cli.runs,
        rounds: cli.rounds,
        threads: baseline::writer_threads(),
    }
}

fn utc_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "an unknown date".to_owned(), |d| d.trim().to_owned())
}

/// CPU model, threads, RAM and the load when the run began.
fn machine() -> String {
    let read = |path| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = field(&cpuinfo, "model name").unwrap_or("unknown CPU");
    let meminfo = read("/proc/meminfo");
    let ram_kib: f64 = field(&meminfo, "MemTotal")
        .and_then(|m| m.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    let load = read("/proc/loadavg");
    let load = load.split_whitespace().next().unwrap_or("?");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!(
        "{cpu}, {threads} threads (nproc), {:.1} GiB RAM, load average {load} at the start",
        ram_kib / 1024.0 / 1024.0
    )
}

/// The value of the first `name: value` line of a /proc file.
fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines()
        .find(|l| l.split(':').next().is_some_and(|k| k.trim() == name))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim())
}
