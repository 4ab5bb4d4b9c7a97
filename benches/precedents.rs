//! Precedent queries on a larger index: the 25 bundled letters
//! (data/letters and data/real/txt) written COPIES times under other paths
//! and ids. Times the citation index, stats by drug, a page's decisions
//! and similar decisions, in process (the library, warm) and in a cold
//! process (the release binary, as a user runs it); prints medians.
//!
//! Run with `cargo bench --bench precedents` (IMR_BENCH_COPIES=N to change
//! the number of copies).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use imr::query::Filters;
use imr::query::cites::{self, Cited};
use imr::query::similar::{self, Like};
use imr::query::stats::{self, By};

const RUNS: usize = 11;
const DEFAULT_COPIES: usize = 400;

/// (source, bytes) of every bundled text letter.
fn letters() -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for dir in ["data/letters", "data/real/txt"] {
        let mut paths: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.expect("directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().expect("a file").to_string_lossy();
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
            all.push((format!("{dir}/{name}"), bytes));
        }
    }
    all
}

/// Writes `copies` of every letter; returns the number of decisions.
fn build(dir: &Path, copies: usize) -> usize {
    let parsed: Vec<_> = letters()
        .iter()
        .map(|(source, bytes)| imr::ingest::parse(source, bytes).expect("a bundled letter parses"))
        .collect();
    let mut writer = imr::index::Writer::open_or_create(dir).expect("index");
    let mut decisions = 0;
    for copy in 0..copies {
        for letter in &parsed {
            let records: Vec<_> = letter
                .records
                .iter()
                .map(|r| imr::Record {
                    source: format!("copy{copy:04}/{}", r.source),
                    letter: format!("{}-{copy}", r.letter),
                    ..r.clone()
                })
                .collect();
            decisions += records.len();
            writer
                .add_letter(records, &letter.summary, None)
                .expect("add");
        }
    }
    writer.finish().expect("commit");
    decisions
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn in_process(name: &str, mut f: impl FnMut() -> usize) {
    let expected = f();
    let times = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            assert_eq!(black_box(f()), expected);
            start.elapsed()
        })
        .collect();
    println!("  {name:<34} {:>9.2} ms", ms(median(times)));
}

fn cold_process(index: &Path, args: &[&str]) {
    let times = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_imr"))
                .args(args)
                .arg("--index")
                .arg(index)
                .output()
                .expect("imr runs");
            let elapsed = start.elapsed();
            assert!(out.status.success(), "imr {args:?}: {:?}", out.status);
            elapsed
        })
        .collect();
    println!("  imr {:<30} {:>9.2} ms", args.join(" "), ms(median(times)));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let copies = std::env::var("IMR_BENCH_COPIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_COPIES);
    let dir = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let decisions = build(dir.path(), copies);
    println!(
        "index: {copies} copies of 25 letters, {decisions} decisions, built in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let index = imr::index::open(dir.path()).expect("open");
    let request = cites::Request {
        query: None,
        filters: Filters::default(),
        cited: None,
        document: None,
        limit: 20,
        sort: imr::query::Sort::Relevance,
    };
    println!("in process, median of {RUNS}:");
    in_process("cites (citation index)", || {
        cites::index(&index, &request).expect("cites").row_count
    });
    in_process("cites --page 111", || {
        let page = Cited::Page(111);
        cites::citing(&index, &request, &page)
            .expect("cites")
            .total
            .decisions as usize
    });
    in_process("stats --by drug", || {
        let r = stats::Request {
            by: By::Drug,
            query: None,
            filters: Filters::default(),
            limit: 20,
        };
        stats::stats(&index, &r).expect("stats").group_count
    });
    in_process("similar data/letters/003…#6", || {
        let r = similar::Request {
            like: Like::Decision("copy0000/data/letters/003_7836691e6d3f4cd1.txt#6".into()),
            filters: Filters::default(),
            limit: 10,
            sort: imr::query::Sort::Relevance,
        };
        similar::similar(&index, &r).expect("similar").total
    });
    println!("cold process (the release binary), median of {RUNS}:");
    cold_process(dir.path(), &["cites"]);
    cold_process(dir.path(), &["cites", "--page", "111"]);
    cold_process(dir.path(), &["stats", "--by", "drug"]);
    cold_process(
        dir.path(),
        &[
            "similar",
            "copy0000/data/letters/003_7836691e6d3f4cd1.txt#6",
        ],
    );
}
