//! Parse throughput on one core: `decode` + `letter::parse` over every
//! letter under data/letters and data/real/txt, repeated until at least
//! 50 MB of input has gone through per run; 7 runs, median, min and max
//! MB/s (on a shared machine the max shows what the code can do).
//!
//! Run with `cargo bench --bench parse`.

use std::hint::black_box;

/// The allocator the `imr` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::Path;
use std::time::Instant;

const RUNS: usize = 7;
const MIN_BYTES_PER_RUN: usize = 50_000_000;
const MB: f64 = 1_000_000.0;

fn letters() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let mut paths = Vec::new();
    for dir in ["letters", "real/txt"] {
        let dir = root.join(dir);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|x| x == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// One pass over the set: the number of decisions found.
fn pass(letters: &[Vec<u8>]) -> usize {
    let drugs = imr::DrugTable::bundled();
    letters
        .iter()
        .filter_map(|bytes| imr::decode::decode(black_box(bytes)).ok())
        .map(|text| black_box(imr::letter::parse(&text, drugs)).decisions.len())
        .sum()
}

fn main() {
    let letters = letters();
    assert!(!letters.is_empty(), "no letters under data/");
    let set_bytes: usize = letters.iter().map(Vec::len).sum();
    let passes = MIN_BYTES_PER_RUN.div_ceil(set_bytes);
    let run_bytes = passes * set_bytes;

    // Warm up: lazy regexes, the drug table, caches.
    let decisions = pass(&letters);

    let mut rates: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..passes {
                assert_eq!(pass(&letters), decisions);
            }
            run_bytes as f64 / MB / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    let median = rates[RUNS / 2];
    let (min, max) = (rates[0], rates[RUNS - 1]);
    println!(
        "parse: median {median:.1} MB/s (min {min:.1}, max {max:.1}) over {RUNS} runs of {:.1} MB; \
         {:.1} decisions per letter ({decisions} decisions in {} letters, {:.3} MB per pass)",
        run_bytes as f64 / MB,
        decisions as f64 / letters.len() as f64,
        letters.len(),
        set_bytes as f64 / MB,
    );
}
