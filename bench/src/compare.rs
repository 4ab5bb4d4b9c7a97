//! `--compare BIN[,BIN...]`: this build's `imr ingest` against other imr
//! binaries (builds of other branches, say) on the same generated letters,
//! their runs interleaved, to tell whether a change pays for itself end to
//! end. Writes `target/bench-compare-report.md`.

use std::fmt::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};

use crate::Bench;
use crate::corpus::{self, Corpus};
use crate::report::{Ingest, Setup, median, thousands};

const MB: f64 = 1e6;

/// A binary under measurement, as the report names it.
struct Binary {
    label: String,
    bench: Bench,
}

impl Binary {
    /// The report's name for it: the path it ran from.
    fn cell(&self) -> String {
        let path = self.bench.imr.display();
        match self.label.as_str() {
            "this build" => format!("this build, `{path}`"),
            _ => format!("`{path}`"),
        }
    }
}

/// One binary's ingests of one corpus.
#[derive(Default)]
struct Measured {
    ingest: Ingest,
    decisions: u64,
}

impl Measured {
    fn secs(&self) -> f64 {
        let secs: Vec<f64> = self.ingest.samples.iter().map(|x| x.run.secs).collect();
        median(&secs)
    }

    /// Of the median wall time, so that it agrees with it when the runs
    /// are even in number (the median of the rates would pick another run).
    fn mb_s(&self, bytes: u64) -> f64 {
        bytes as f64 / MB / self.secs()
    }
}

/// One corpus and what each binary's ingests of it measured, in order.
struct Size {
    corpus: Corpus,
    measured: Vec<Measured>,
}

/// The report of this build (`bench.imr`) and then `others` ingesting
/// each size of `letters`.
pub fn run(
    bench: &Bench,
    others: &[PathBuf],
    cache: &Path,
    letters: &[u64],
    setup: &Setup,
) -> Result<String> {
    let mut binaries = vec![binary(bench, "this build".to_owned(), bench.imr.clone())];
    for bin in others {
        binaries.push(binary(bench, bin.display().to_string(), executable(bin)?));
    }
    let before = load();
    let sizes = letters
        .iter()
        .map(|&count| measure(&binaries, &corpus::generated(cache, count)?))
        .collect::<Result<Vec<_>>>()?;
    let _ = std::fs::remove_dir_all(&bench.work);
    Ok(render(setup, &binaries, &sizes, &before, &load()))
}

fn binary(bench: &Bench, label: String, imr: PathBuf) -> Binary {
    let bench = Bench {
        imr,
        work: bench.work.clone(),
        runs: bench.runs,
        rounds: bench.rounds,
    };
    Binary { label, bench }
}

/// `bin` made absolute (so that a bare name is not looked up on the PATH),
/// when it is an executable file.
fn executable(bin: &Path) -> Result<PathBuf> {
    let path = std::fs::canonicalize(bin)
        .with_context(|| format!("--compare {}: cannot find it", bin.display()))?;
    let mode = path
        .metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
    ensure!(
        mode.unwrap_or(false),
        "--compare {}: not an executable file",
        bin.display()
    );
    Ok(path)
}

/// Each run of every binary in turn before the next run, so that drift of
/// the machine (a neighbour's load, heat) hits them alike.
fn measure(binaries: &[Binary], corpus: &Corpus) -> Result<Size> {
    corpus::warm(&corpus.dir);
    let mut measured: Vec<Measured> = binaries.iter().map(|_| Measured::default()).collect();
    let runs = binaries.first().map_or(0, |b| b.bench.runs);
    for k in 1..=runs {
        let mut line = format!("{} letters, run {k}:", corpus.letters);
        for (b, m) in binaries.iter().zip(&mut measured) {
            let index = b.bench.work.join("compare-imr");
            let ingested = b.bench.imr_ingest(corpus, &index);
            let _ = std::fs::remove_dir_all(&index);
            let (sample, report) = ingested.with_context(|| format!("ingest by {}", b.label))?;
            let _ = write!(line, " {} {:.2} s;", b.label, sample.run.secs);
            m.decisions = report["decisions_indexed"].as_u64().unwrap_or(0);
            m.ingest.samples.push(sample);
        }
        eprintln!("{}", line.trim_end_matches(';'));
    }
    Ok(Size {
        corpus: corpus.clone(),
        measured,
    })
}

/// The 1, 5 and 15 minute load averages.
fn load() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let fields: Vec<&str> = text.split_whitespace().take(3).collect();
    match fields.len() {
        3 => fields.join(" "),
        _ => "unknown".to_owned(),
    }
}

fn render(setup: &Setup, binaries: &[Binary], sizes: &[Size], before: &str, after: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### `imr ingest`: this build against other binaries\n");
    let _ = writeln!(out, "Measured {} on {}.  ", setup.date, setup.machine);
    let _ = writeln!(out, "Command: `{}`.  ", setup.command);
    let _ = writeln!(
        out,
        "Load average (1, 5, 15 min): {before} before the ingests, {after} after.  "
    );
    let _ = writeln!(
        out,
        "Each binary: `BIN ingest --json --quiet --index <new folder> <letters>`, a child process, the letters in the page cache; \
         {} run(s) each, interleaved (run 1 of every binary, then run 2, ...). Wall time is the median, MB/s the letters' bytes ÷ that time, MB per CPU-s the bytes ÷ the median CPU time, peak RSS the highest; \
         the ratio is a binary's median MB/s ÷ this build's (above 1: faster than this build).\n",
        setup.runs
    );
    for size in sizes {
        size_section(&mut out, binaries, size);
    }
    out
}

fn size_section(out: &mut String, binaries: &[Binary], s: &Size) {
    let bytes = s.corpus.bytes;
    let _ = writeln!(
        out,
        "#### {} generated letters ({:.1} MB)\n",
        thousands(s.corpus.letters),
        bytes as f64 / MB
    );
    let _ = writeln!(
        out,
        "| binary | decisions | wall s | MB/s (min–max) | MB per CPU-s | peak RSS MiB | MB/s ÷ this build |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|");
    let base = s.measured.first().map_or(0.0, |m| m.mb_s(bytes));
    for (b, m) in binaries.iter().zip(&s.measured) {
        let (rate, (_, lo, hi)) = (m.mb_s(bytes), m.ingest.mb_s(bytes));
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {rate:.1} ({lo:.1}–{hi:.1}) | {:.1} | {:.0} | {:.3} |",
            b.cell(),
            thousands(m.decisions),
            m.secs(),
            m.ingest.mb_per_cpu_s(bytes),
            m.ingest.rss_mib(),
            rate / base
        );
    }
    let _ = writeln!(out);
}
