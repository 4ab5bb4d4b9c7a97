//! `--scale` (issue 22): imr alone on 100,000 and 1,000,000 generated
//! letters — fresh ingest, unchanged re-ingest, and the wall time and
//! peak RSS of every reading command — with how each grows from the one
//! to the other, and the targets.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, ensure};

use crate::child::{self, Run};
use crate::corpus::{self, Corpus};
use crate::report::{Setup, median, thousands};

/// The two sizes measured; the smaller is the larger's first folders.
pub const SIZES: [u64; 2] = [100_000, 1_000_000];

const MIB: f64 = 1024.0;

/// A reading command as the report names it, and its arguments after
/// `imr`; `--index` is added.
struct Read {
    name: &'static str,
    args: &'static [&'static str],
}

/// Letter 10 is in both corpora (and so are its decisions).
const READS: [Read; 11] = [
    Read {
        name: "export",
        args: &["export"],
    },
    Read {
        name: "cites",
        args: &["cites"],
    },
    Read {
        name: "cites --page 111",
        args: &["cites", "--page", "111"],
    },
    Read {
        name: "check",
        args: &["check"],
    },
    Read {
        name: "show 0000010#1",
        args: &["show", "0000010#1"],
    },
    Read {
        name: "stats --by drug",
        args: &["stats", "--by", "drug"],
    },
    Read {
        name: "similar 0000010#1",
        args: &["similar", "0000010#1"],
    },
    Read {
        name: "where",
        args: &["where"],
    },
    Read {
        name: "search cyclobenzaprine",
        args: &["search", "cyclobenzaprine"],
    },
    Read {
        name: "search \"topical analgesics\"",
        args: &["search", "\"topical analgesics\""],
    },
    Read {
        name: "search \"physical therapy\" --outcome overturned",
        args: &["search", "\"physical therapy\"", "--outcome", "overturned"],
    },
];

/// The letters of one size: folders of the generated corpus.
struct Part {
    dirs: Vec<PathBuf>,
    letters: u64,
    bytes: u64,
}

/// Everything measured at one size.
struct Measured {
    part: Part,
    decisions: u64,
    index_bytes: u64,
    ingests: Vec<Run>,
    reingests: Vec<Run>,
    /// Per command of `READS`, its runs.
    reads: Vec<Vec<Run>>,
    /// Seconds to the export's first line, per run.
    first_lines: Vec<f64>,
}

pub fn run(imr: &Path, cache: &Path, runs: usize, setup: &Setup) -> Result<String> {
    let largest = SIZES[SIZES.len() - 1];
    let corpus = corpus::generated(cache, largest)?;
    let measured = SIZES
        .iter()
        .map(|&letters| {
            let part = part(&corpus, letters);
            let index = cache.join(format!("scale-index-{letters}"));
            measure(imr, part, &index, runs)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(render(setup, &corpus, cache, runs, &measured))
}

/// The first `letters` of the corpus: its first folders, which
/// `generate::write_corpus` fills `SHARD` letters each.
fn part(corpus: &Corpus, letters: u64) -> Part {
    if letters == corpus.letters {
        return Part {
            dirs: vec![corpus.dir.clone()],
            letters,
            bytes: corpus.bytes,
        };
    }
    let folders = letters.div_ceil(imr_generate::SHARD);
    let dirs: Vec<PathBuf> = (0..folders)
        .map(|n| {
            imr_generate::corpus_path(&corpus.dir, n * imr_generate::SHARD)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        })
        .collect();
    let bytes = dirs.iter().map(|d| corpus::size_of(d)).sum();
    Part {
        dirs,
        letters,
        bytes,
    }
}

fn measure(imr: &Path, part: Part, index: &Path, runs: usize) -> Result<Measured> {
    for dir in &part.dirs {
        corpus::warm(dir);
    }
    let mut m = Measured {
        decisions: 0,
        index_bytes: 0,
        ingests: Vec::new(),
        reingests: Vec::new(),
        reads: READS.iter().map(|_| Vec::new()).collect(),
        first_lines: Vec::new(),
        part,
    };
    for k in 1..=runs {
        let _ = std::fs::remove_dir_all(index);
        let (run, report) = ingest(imr, &m.part, index)?;
        ensure!(
            report["letters_indexed"].as_u64() == Some(m.part.letters),
            "imr ingest indexed {} of {} letters",
            report["letters_indexed"],
            m.part.letters
        );
        m.decisions = report["decisions_indexed"].as_u64().unwrap_or(0);
        m.ingests.push(run);
        let (again, report) = ingest(imr, &m.part, index)?;
        ensure!(
            report["unchanged"].as_u64() == Some(m.part.letters),
            "imr ingest again counted {} of {} letters unchanged",
            report["unchanged"],
            m.part.letters
        );
        m.reingests.push(again);
        eprintln!(
            "{} letters, run {k}: ingest {:.1} s, again {:.1} s",
            m.part.letters,
            m.ingests[k - 1].secs,
            m.reingests[k - 1].secs
        );
    }
    m.index_bytes = corpus::size_of(index);
    for k in 1..=runs {
        for (read, runs) in READS.iter().zip(&mut m.reads) {
            let mut command = Command::new(imr);
            command
                .args(read.args)
                .arg("--index")
                .arg(index)
                .env_remove("IMR_INDEX");
            let (run, drained) = child::drain(&mut command, &[0])?;
            if read.name == "export" {
                ensure!(
                    drained.lines == m.decisions,
                    "imr export wrote {} lines for {} decisions",
                    drained.lines,
                    m.decisions
                );
                m.first_lines
                    .push(drained.first_line_secs.unwrap_or(run.secs));
            }
            runs.push(run);
        }
        eprintln!("{} letters: reading commands, run {k}", m.part.letters);
    }
    Ok(m)
}

/// `imr ingest --json --quiet` of the part into `index`: the run and its
/// report.
fn ingest(imr: &Path, part: &Part, index: &Path) -> Result<(Run, serde_json::Value)> {
    let mut command = Command::new(imr);
    command
        .args(["ingest", "--json", "--quiet", "--index"])
        .arg(index)
        .args(&part.dirs)
        .env_remove("IMR_INDEX");
    let run = child::run(&mut command, &[0])?;
    let report = serde_json::from_str(&run.stdout).context("imr ingest --json: not JSON")?;
    Ok((run, report))
}

fn secs(runs: &[Run]) -> f64 {
    median(&runs.iter().map(|r| r.secs).collect::<Vec<_>>())
}

fn cpu_secs(runs: &[Run]) -> Vec<f64> {
    runs.iter().map(|r| r.cpu_secs).collect()
}

fn peak_mib(runs: &[Run]) -> f64 {
    runs.iter().map(|r| r.peak_rss_kib).max().unwrap_or(0) as f64 / MIB
}

impl Measured {
    fn mb_s(&self) -> f64 {
        self.part.bytes as f64 / 1e6 / secs(&self.ingests)
    }
}

/// A figure at each size and its growth, largest ÷ smallest.
fn row(out: &mut String, name: &str, values: &[f64], precision: usize) {
    let cells: Vec<String> = values.iter().map(|v| format!("{v:.precision$}")).collect();
    let growth = values[values.len() - 1] / values[0];
    let _ = writeln!(out, "| {name} | {} | {growth:.2} |", cells.join(" | "));
}

fn render(setup: &Setup, corpus: &Corpus, cache: &Path, runs: usize, ms: &[Measured]) -> String {
    let mut out = String::new();
    let (small, large) = (&ms[0], &ms[ms.len() - 1]);
    let _ = writeln!(out, "### At scale\n");
    let _ = writeln!(out, "Measured {} on {}.  ", setup.date, setup.machine);
    let _ = writeln!(out, "Command: `{}`.  ", setup.command);
    let _ = writeln!(
        out,
        "Corpus: {} generated letters ({:.1} MB, {} decisions) under `{}`; the {} are its first {} folders. \
         Each figure: a child process, the median wall time of {runs} run(s) and the highest peak RSS; \
         ingest into a new index, then again over the unchanged files; the reading commands on the index built, its files in the page cache. \
         A child's peak RSS includes the benchmark's own, {:.0} MiB at most, which it shares until it runs imr.\n",
        thousands(corpus.letters),
        corpus.bytes as f64 / 1e6,
        thousands(large.decisions),
        cache.display(),
        thousands(small.part.letters),
        small.part.dirs.len(),
        own_peak_mib(),
    );
    let sizes: Vec<String> = ms
        .iter()
        .map(|m| format!("{} letters", thousands(m.part.letters)))
        .collect();
    let _ = writeln!(out, "| ingest | {} | growth |", sizes.join(" | "));
    let _ = writeln!(out, "|---|--:|--:|--:|");
    let each = |f: &dyn Fn(&Measured) -> f64| ms.iter().map(f).collect::<Vec<f64>>();
    row(
        &mut out,
        "letter bytes, MB",
        &each(&|m| m.part.bytes as f64 / 1e6),
        1,
    );
    row(&mut out, "ingest, s", &each(&|m| secs(&m.ingests)), 1);
    row(&mut out, "ingest, MB/s", &each(&Measured::mb_s), 1);
    row(
        &mut out,
        "ingest, MB per CPU-second",
        &each(&|m| m.part.bytes as f64 / 1e6 / median(&cpu_secs(&m.ingests))),
        1,
    );
    row(
        &mut out,
        "ingest, peak RSS MiB",
        &each(&|m| peak_mib(&m.ingests)),
        0,
    );
    row(
        &mut out,
        "index, MB",
        &each(&|m| m.index_bytes as f64 / 1e6),
        1,
    );
    row(
        &mut out,
        "re-ingest unchanged, s",
        &each(&|m| secs(&m.reingests)),
        2,
    );
    row(
        &mut out,
        "re-ingest unchanged, peak RSS MiB",
        &each(&|m| peak_mib(&m.reingests)),
        0,
    );
    let _ = writeln!(
        out,
        "\n| command | {} s | {} MiB | growth of time | growth of peak RSS |",
        sizes.join(" s | "),
        sizes.join(" MiB | ")
    );
    let _ = writeln!(out, "|---|{}--:|--:|", "--:|".repeat(2 * ms.len()));
    let first_line = each(&|m| median(&m.first_lines));
    let _ = writeln!(
        out,
        "| `imr export`, first line | {} | {} | {:.2} | — |",
        first_line
            .iter()
            .map(|s| format!("{s:.3}"))
            .collect::<Vec<_>>()
            .join(" | "),
        vec!["—"; ms.len()].join(" | "),
        first_line[ms.len() - 1] / first_line[0]
    );
    for (k, read) in READS.iter().enumerate() {
        let times = each(&|m| secs(&m.reads[k]));
        let peaks = each(&|m| peak_mib(&m.reads[k]));
        let _ = writeln!(
            out,
            "| `imr {}` | {} | {} | {:.2} | {:.2} |",
            read.name,
            times
                .iter()
                .map(|s| format!("{s:.3}"))
                .collect::<Vec<_>>()
                .join(" | "),
            peaks
                .iter()
                .map(|p| format!("{p:.0}"))
                .collect::<Vec<_>>()
                .join(" | "),
            times[ms.len() - 1] / times[0],
            peaks[ms.len() - 1] / peaks[0],
        );
    }
    targets(&mut out, small, large);
    out
}

/// This process's peak RSS (`VmHWM`), in MiB.
fn own_peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kib.unwrap_or(0.0) / MIB
}

/// Whether a figure is within its target, in words.
fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

fn targets(out: &mut String, small: &Measured, large: &Measured) {
    let at = thousands(large.part.letters);
    let _ = writeln!(out, "\nTargets (issue 22), at {at} letters:\n");
    let kept = large.mb_s() / small.mb_s();
    let per_cpu = |m: &Measured| m.part.bytes as f64 / median(&cpu_secs(&m.ingests));
    let cpu_kept = per_cpu(large) / per_cpu(small);
    let _ = writeln!(
        out,
        "- ingest holds its speed: {:.1} MB/s, {:.0}% of its {:.1} MB/s at {} letters (≥ 90%: {}); per CPU-second, {:.0}% (≥ 90%: {})",
        large.mb_s(),
        kept * 100.0,
        small.mb_s(),
        thousands(small.part.letters),
        met(kept >= 0.9),
        cpu_kept * 100.0,
        met(cpu_kept >= 0.9)
    );
    let (again, fresh) = (secs(&large.reingests), secs(&large.ingests));
    let _ = writeln!(
        out,
        "- unchanged re-ingest: {again:.1} s, {:.3} of a fresh ingest's {fresh:.1} s (< 0.1: {})",
        again / fresh,
        met(again < fresh / 10.0)
    );
    let mut slow = Vec::new();
    let mut grown = Vec::new();
    for (name, small, large) in [
        ("ingest", &small.ingests, &large.ingests),
        ("re-ingest unchanged", &small.reingests, &large.reingests),
    ] {
        let growth = (secs(large) / secs(small)).max(peak_mib(large) / peak_mib(small));
        if growth > 11.0 {
            grown.push(format!("{name} ×{growth:.1}"));
        }
    }
    for (k, read) in READS.iter().enumerate() {
        let (t, mib) = (secs(&large.reads[k]), peak_mib(&large.reads[k]));
        let growth = (t / secs(&small.reads[k])).max(mib / peak_mib(&small.reads[k]));
        if growth > 11.0 {
            grown.push(format!("`{}` ×{growth:.1}", read.name));
        }
        match read.name {
            "export" => {
                let first = median(&large.first_lines);
                let _ = writeln!(
                    out,
                    "- `export`: first line {first:.3} s (< 1: {}), whole {t:.1} s (< 30: {}), {mib:.0} MiB (< 500: {})",
                    met(first < 1.0),
                    met(t < 30.0),
                    met(mib < 500.0)
                );
            }
            "check" => {
                let _ = writeln!(
                    out,
                    "- `check`: {t:.1} s, {mib:.0} MiB (< 1024: {})",
                    met(mib < 1024.0)
                );
            }
            _ if t >= 1.0 || mib >= 500.0 => {
                slow.push(format!("`{}` {t:.2} s, {mib:.0} MiB", read.name));
            }
            _ => {}
        }
    }
    let reads = READS.len() - 2;
    let _ = match slow.is_empty() {
        true => writeln!(
            out,
            "- every other reading command ({reads}) under 1 s and 500 MiB: met"
        ),
        false => writeln!(
            out,
            "- every other reading command ({reads}) under 1 s and 500 MiB: MISSED by {}",
            slow.join(", ")
        ),
    };
    let _ = match grown.is_empty() {
        true => writeln!(
            out,
            "- growth of each command's time and peak RSS (ingest and re-ingest too) ≤ 11 for {:.0}× the letters: met",
            large.part.letters as f64 / small.part.letters as f64
        ),
        false => writeln!(
            out,
            "- growth of each command's time and peak RSS ≤ 11: MISSED by {}",
            grown.join(", ")
        ),
    };
}
