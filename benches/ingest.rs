//! End-to-end ingest through the real release binary: `imr ingest --json
//! --quiet` on 20,000 and 100,000 generated letters (read, decode, parse,
//! index, commit), and on the twenty real PDFs copied 50 times. Reports the
//! median throughput of several runs, the child's peak RSS (wait4) and the
//! index's size against the letters' bytes, as a markdown table.
//!
//! Run with `cargo bench --bench ingest`. Generated corpora are kept under
//! `target/bench-corpus/` (by seed and count) so reruns skip generating.
//! Environment: `IMR_BENCH_RUNS` (default 3), `IMR_BENCH_LETTERS` (default
//! `20000,100000`), `IMR_BENCH_PDF_COPIES` (default 50; 0 skips the PDFs).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use imr::generate;

const SEED: u64 = 2013;
const MB: f64 = 1_000_000.0;
const MIB: f64 = 1024.0 * 1024.0;

/// One ingest of a corpus into a fresh index.
struct Run {
    secs: f64,
    /// User and system CPU time of the child.
    cpu_secs: f64,
    peak_rss_kib: i64,
    index_bytes: u64,
    report: serde_json::Value,
}

/// A measured corpus: its name, letters and bytes, and its runs.
struct Measured {
    name: String,
    letters: u64,
    bytes: u64,
    runs: Vec<Run>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The target folder: this bench runs from `target/<profile>/deps/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("bench executable path");
    exe.ancestors()
        .nth(3)
        .expect("target/<profile>/deps/<bench>")
        .to_path_buf()
}

/// Generated letters `0..count` of `SEED`, written once and reused.
fn corpus(count: u64) -> (PathBuf, u64) {
    let dir = target_dir()
        .join("bench-corpus")
        .join(format!("seed{SEED}-{count}"));
    let done = dir.join("complete");
    if let Ok(bytes) = std::fs::read_to_string(&done) {
        return (
            dir.join("letters"),
            bytes.trim().parse().expect("byte count"),
        );
    }
    eprintln!("generating {count} letters under {}", dir.display());
    let _ = std::fs::remove_dir_all(&dir);
    let stats = generate::write_corpus(&dir.join("letters"), count, SEED).expect("corpus written");
    std::fs::write(&done, stats.bytes.to_string()).expect("marker written");
    (dir.join("letters"), stats.bytes)
}

/// The real PDFs, each copied `copies` times with a distinct trailing
/// comment so that every copy is a letter of its own (not a duplicate).
fn pdf_corpus(copies: usize) -> (PathBuf, u64, u64) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/real/pdf");
    let dir = target_dir()
        .join("bench-corpus")
        .join(format!("pdf-x{copies}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("PDF folder");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&source)
        .expect("data/real/pdf")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    pdfs.sort();
    let (mut letters, mut bytes) = (0, 0);
    for pdf in &pdfs {
        let original = std::fs::read(pdf).expect("PDF read");
        let stem = pdf.file_stem().and_then(|s| s.to_str()).expect("name");
        for k in 0..copies {
            let mut copy = original.clone();
            copy.extend_from_slice(format!("\n%imr-bench copy {k}\n").as_bytes());
            std::fs::write(dir.join(format!("{stem}-{k:03}.pdf")), &copy).expect("copy");
            letters += 1;
            bytes += copy.len() as u64;
        }
    }
    (dir, letters, bytes)
}

/// Reads every file once so that each run starts from a warm page cache.
fn warm(dir: &Path) {
    for entry in walk(dir) {
        let _ = std::fs::read(entry);
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

fn size_of(dir: &Path) -> u64 {
    walk(dir)
        .iter()
        .filter_map(|p| p.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Ingests `corpus` into a new index; waits with wait4 for the child's
/// own peak RSS.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reports its peak RSS"
)]
fn ingest(corpus: &Path, index: &Path) -> Run {
    let _ = std::fs::remove_dir_all(index);
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["ingest", "--json", "--quiet", "--index"])
        .arg(index)
        .arg(corpus)
        .env_remove("IMR_INDEX")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("imr ingest starts");
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("piped stdout")
        .read_to_string(&mut out)
        .expect("report read");
    let (code, usage) = wait4(child.id());
    let secs = started.elapsed().as_secs_f64();
    assert!(code == 0 || code == 1, "imr ingest exited {code}");
    let cpu = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Run {
        secs,
        cpu_secs: cpu(usage.ru_utime) + cpu(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
        index_bytes: size_of(index),
        report: serde_json::from_str(&out).expect("JSON report"),
    }
}

/// The exit code and resource use of the child `pid`, once it ends.
fn wait4(pid: u32) -> (i32, libc::rusage) {
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    let mut status: libc::c_int = 0;
    // SAFETY: a plain struct of integers, filled in by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; the pointers
    // are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage)
}

fn measure(name: String, corpus: &Path, letters: u64, bytes: u64, runs: usize) -> Measured {
    warm(corpus);
    let index = target_dir().join("bench-corpus").join("index");
    let runs: Vec<Run> = (0..runs)
        .map(|k| {
            let run = ingest(corpus, &index);
            assert_eq!(run.report["letters_indexed"], letters, "{name}: letters");
            assert_eq!(run.report["skipped"].as_array().map(Vec::len), Some(0));
            eprintln!("{name} run {}: {:.2} s", k + 1, run.secs);
            run
        })
        .collect();
    let _ = std::fs::remove_dir_all(&index);
    Measured {
        name,
        letters,
        bytes,
        runs,
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn row(m: &Measured) -> String {
    let secs = median(m.runs.iter().map(|r| r.secs).collect());
    let rates: Vec<f64> = m
        .runs
        .iter()
        .map(|r| m.bytes as f64 / MB / r.secs)
        .collect();
    let (lo, hi) = rates
        .iter()
        .fold((f64::MAX, 0.0_f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    let rss = m.runs.iter().map(|r| r.peak_rss_kib).max().unwrap_or(0) as f64 * 1024.0 / MIB;
    let index = median(m.runs.iter().map(|r| r.index_bytes as f64).collect());
    let cpu = median(m.runs.iter().map(|r| r.cpu_secs).collect());
    let decisions = &m.runs[0].report["decisions_indexed"];
    format!(
        "| {} | {} | {decisions} | {:.1} | {} | {:.1} ({:.1}–{:.1}) | {:.1} | {:.0} | {:.0} | {:.1} | {:.2} |",
        m.name,
        m.letters,
        m.bytes as f64 / MB,
        m.runs.len(),
        median(rates.clone()),
        lo,
        hi,
        m.bytes as f64 / MB / cpu,
        m.letters as f64 / secs,
        rss,
        index / MB,
        index / m.bytes as f64,
    )
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {threads} threads")
}

fn main() {
    let runs: usize = env_or("IMR_BENCH_RUNS", 3).max(1);
    let sizes: Vec<u64> = std::env::var("IMR_BENCH_LETTERS")
        .unwrap_or_else(|_| "20000,100000".to_owned())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let copies: usize = env_or("IMR_BENCH_PDF_COPIES", 50);
    let mut measured = Vec::new();
    for &count in &sizes {
        let (dir, bytes) = corpus(count);
        measured.push(measure(
            format!("generated {count}"),
            &dir,
            count,
            bytes,
            runs,
        ));
    }
    if copies > 0 {
        let (dir, letters, bytes) = pdf_corpus(copies);
        measured.push(measure(
            format!("real PDFs ×{copies}"),
            &dir,
            letters,
            bytes,
            runs,
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!(
        "\nimr ingest, end to end (release binary), {}:\n",
        machine()
    );
    println!(
        "| corpus | letters | decisions | MB | runs | median MB/s (min–max) | MB per CPU-second | letters/s | peak RSS MiB | index MB | index / bytes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for m in &measured {
        println!("{}", row(m));
    }
    println!(
        "\nTargets: ≥ 75 MB/s of letter text, peak RSS ≤ 300 MiB, index ≤ 0.6 × the letters' bytes. \
         For PDFs, MB is of PDF bytes; letters/s is the figure that matters. \
         MB per CPU-second (user + system) is steadier than wall time on a shared machine."
    );
}
