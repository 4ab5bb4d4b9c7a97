//! The report: per system throughput, peak RSS, index size and query
//! latency, imr's ratio to each baseline, the targets of issue 9, as
//! markdown.

use std::fmt::Write;

use crate::child::Run;
use crate::corpus::Corpus;
use crate::queries::{Latencies, QUERIES, Rg};

const MB: f64 = 1e6;

/// One ingest run and the size of what it wrote.
#[derive(Debug, Clone)]
pub struct Sample {
    pub run: Run,
    pub index_bytes: u64,
}

/// The runs of one system over one corpus.
#[derive(Debug, Clone, Default)]
pub struct Ingest {
    pub samples: Vec<Sample>,
}

impl Ingest {
    /// Median, min and max MB/s of `bytes`.
    pub fn mb_s(&self, bytes: u64) -> (f64, f64, f64) {
        let rates: Vec<f64> = self
            .samples
            .iter()
            .map(|s| bytes as f64 / MB / s.run.secs)
            .collect();
        let lo = rates.iter().copied().fold(f64::MAX, f64::min);
        let hi = rates.iter().copied().fold(0.0, f64::max);
        (median(&rates), lo, hi)
    }

    pub fn mb_per_cpu_s(&self, bytes: u64) -> f64 {
        let cpu: Vec<f64> = self.samples.iter().map(|s| s.run.cpu_secs).collect();
        bytes as f64 / MB / median(&cpu)
    }

    pub fn rss_mib(&self) -> f64 {
        let kib = self.samples.iter().map(|s| s.run.peak_rss_kib).max();
        kib.unwrap_or(0) as f64 / 1024.0
    }

    fn index_ratio(&self, bytes: u64) -> f64 {
        let sizes: Vec<f64> = self.samples.iter().map(|s| s.index_bytes as f64).collect();
        median(&sizes) / bytes as f64
    }

    fn letters_s(&self, letters: u64) -> f64 {
        let secs: Vec<f64> = self.samples.iter().map(|s| s.run.secs).collect();
        letters as f64 / median(&secs)
    }
}

/// Everything measured on one generated corpus.
pub struct Size {
    pub corpus: Corpus,
    pub decisions: u64,
    pub imr: Ingest,
    pub tantivy: Ingest,
    pub fts5: Ingest,
    pub cold: Latencies,
    /// Cold with `--facets none`.
    pub cold_no_facets: Latencies,
    pub warm: Latencies,
    pub fts5_queries: Latencies,
    pub rg: Option<Latencies>,
}

/// The run's circumstances, printed above the tables.
pub struct Setup {
    pub date: String,
    pub machine: String,
    pub command: String,
    pub runs: usize,
    pub rounds: usize,
    pub threads: usize,
}

pub fn median(xs: &[f64]) -> f64 {
    percentile(xs, 0.5)
}

/// The nearest-rank percentile `p` (0–1] of `xs`; 0 when empty.
fn percentile(xs: &[f64], p: f64) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.saturating_sub(1)).copied().unwrap_or(0.0)
}

/// 100000 → "100,000".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn render(setup: &Setup, sizes: &[Size], pdfs: Option<&(Corpus, Ingest)>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Performance\n");
    let _ = writeln!(out, "Measured {} on {}.  ", setup.date, setup.machine);
    let _ = writeln!(out, "Command: `{}`.  ", setup.command);
    let _ = writeln!(
        out,
        "Ingest: median of {} runs per system, each a child process (peak RSS is its own); imr and bare tantivy both index with {} writer threads and a {} MiB budget. \
         Queries: {} timed rounds of the {} queries after one untimed round; median and p95 over all of them.\n",
        setup.runs,
        setup.threads,
        crate::baseline::WRITER_BUDGET >> 20,
        setup.rounds,
        QUERIES.len()
    );
    for size in sizes {
        size_section(&mut out, size);
    }
    if let Some((corpus, imr)) = pdfs {
        pdf_section(&mut out, corpus, imr);
    }
    equivalents(&mut out, sizes.iter().any(|s| s.rg.is_some()));
    targets(&mut out, sizes);
    out
}

fn size_section(out: &mut String, s: &Size) {
    let bytes = s.corpus.bytes;
    let _ = writeln!(
        out,
        "### {} generated letters ({:.1} MB, {} decisions)\n",
        thousands(s.corpus.letters),
        bytes as f64 / MB,
        thousands(s.decisions)
    );
    let _ = writeln!(
        out,
        "| system | ingest MB/s (min–max) | MB per CPU-s | letters/s | peak RSS MiB | index / letter bytes | query median ms | query p95 ms |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|");
    let ingest_cells = |i: &Ingest| {
        let (rate, lo, hi) = i.mb_s(bytes);
        format!(
            "{rate:.1} ({lo:.1}–{hi:.1}) | {:.1} | {:.0} | {:.0} | {:.2}",
            i.mb_per_cpu_s(bytes),
            i.letters_s(s.corpus.letters),
            i.rss_mib(),
            i.index_ratio(bytes)
        )
    };
    let query_cells = |l: &Latencies| {
        let all = l.all();
        format!("{:.1} | {:.1}", median(&all), percentile(&all, 0.95))
    };
    let none = "— | — | — | — | —";
    let rows = [
        (
            "imr: `imr ingest`, cold `imr search`",
            ingest_cells(&s.imr),
            query_cells(&s.cold),
        ),
        (
            "imr cold, `--facets none`",
            none.to_owned(),
            query_cells(&s.cold_no_facets),
        ),
        (
            "imr warm: in-process `imr::query::search`",
            none.to_owned(),
            query_cells(&s.warm),
        ),
        (
            "bare tantivy (one text field, no parsing)",
            ingest_cells(&s.tantivy),
            "— | —".to_owned(),
        ),
        (
            "SQLite FTS5 (porter, one transaction)",
            ingest_cells(&s.fts5),
            query_cells(&s.fts5_queries),
        ),
        (
            "ripgrep `rg -l -i`",
            none.to_owned(),
            s.rg.as_ref()
                .map_or("not installed | not installed".to_owned(), query_cells),
        ),
    ];
    for (system, ingest, queries) in rows {
        let _ = writeln!(out, "| {system} | {ingest} | {queries} |");
    }
    ratios(out, s);
    per_query(out, s);
}

/// imr's ratio to each baseline: > 1 means imr is faster (speeds) or
/// larger (RSS, index).
fn ratios(out: &mut String, s: &Size) {
    let bytes = s.corpus.bytes;
    let cold = median(&s.cold.all());
    let warm = median(&s.warm.all());
    let _ = writeln!(
        out,
        "\nimr against each baseline (speeds: imr ÷ baseline, higher is better; sizes: imr ÷ baseline, lower is better):\n"
    );
    let _ = writeln!(
        out,
        "| baseline | ingest speed | peak RSS | index size | cold query speed | warm query speed |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|");
    for (name, ingest) in [("bare tantivy", &s.tantivy), ("SQLite FTS5", &s.fts5)] {
        let speed = s.imr.mb_s(bytes).0 / ingest.mb_s(bytes).0;
        let rss = s.imr.rss_mib() / ingest.rss_mib();
        let index = s.imr.index_ratio(bytes) / ingest.index_ratio(bytes);
        let queries = if name == "SQLite FTS5" {
            let fts = median(&s.fts5_queries.all());
            format!("{:.1}× | {:.1}×", fts / cold, fts / warm)
        } else {
            "— | —".to_owned()
        };
        let _ = writeln!(
            out,
            "| {name} | {speed:.2}× | {rss:.2}× | {index:.2}× | {queries} |"
        );
    }
    let rg =
        s.rg.as_ref()
            .map_or("not installed | not installed".to_owned(), |rg| {
                let rg = median(&rg.all());
                format!("{:.0}× | {:.0}×", rg / cold, rg / warm)
            });
    let _ = writeln!(out, "| ripgrep | — | — | — | {rg} |");
}

fn per_query(out: &mut String, s: &Size) {
    let _ = writeln!(
        out,
        "\nPer query: median ms, and hits (imr: decisions; FTS5 and ripgrep: letters):\n"
    );
    let _ = writeln!(
        out,
        "| query | imr | imr cold | imr cold, no facets | imr warm | FTS5 | ripgrep | hits imr / FTS5 / rg |"
    );
    let _ = writeln!(out, "|---|---|--:|--:|--:|--:|--:|--:|");
    for (k, q) in QUERIES.iter().enumerate() {
        let imr = match q.outcome {
            Some(o) => format!("`{} --outcome {o}`", q.imr),
            None => format!("`{}`", q.imr),
        };
        let rg_ms = s.rg.as_ref().map_or("—".to_owned(), |l| {
            format!("{:.0}", median(&l.per_query[k]))
        });
        let rg_hits =
            s.rg.as_ref()
                .map_or("—".to_owned(), |l| l.hits[k].to_string());
        let _ = writeln!(
            out,
            "| {} | {imr} | {:.1} | {:.1} | {:.1} | {:.1} | {rg_ms} | {} / {} / {rg_hits} |",
            q.name,
            median(&s.cold.per_query[k]),
            median(&s.cold_no_facets.per_query[k]),
            median(&s.warm.per_query[k]),
            median(&s.fts5_queries.per_query[k]),
            s.cold.hits[k],
            s.fts5_queries.hits[k],
        );
    }
    let _ = writeln!(out);
}

fn pdf_section(out: &mut String, corpus: &Corpus, imr: &Ingest) {
    let (rate, lo, hi) = imr.mb_s(corpus.bytes);
    let _ = writeln!(
        out,
        "### The 20 real PDFs copied to {} letters ({:.1} MB of PDF)\n",
        thousands(corpus.letters),
        corpus.bytes as f64 / MB
    );
    let _ = writeln!(
        out,
        "| system | letters/s | MB/s of PDF (min–max) | MB per CPU-s | peak RSS MiB | index / PDF bytes |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|");
    let _ = writeln!(
        out,
        "| imr: `imr ingest` | {:.0} | {rate:.1} ({lo:.1}–{hi:.1}) | {:.1} | {:.0} | {:.2} |\n",
        imr.letters_s(corpus.letters),
        imr.mb_per_cpu_s(corpus.bytes),
        imr.rss_mib(),
        imr.index_ratio(corpus.bytes)
    );
}

fn equivalents(out: &mut String, rg: bool) {
    let _ = writeln!(out, "Where the baselines' queries differ from imr's:\n");
    for q in &QUERIES {
        let rg = match q.rg {
            Rg::Any(patterns) => patterns.join("` or `"),
            Rg::Both(a, b) => format!("{a}` then `{b}"),
            Rg::Without(a, b) => format!("{a}` then without `{b}"),
        };
        let _ = writeln!(
            out,
            "- {}: FTS5 `{}`, ripgrep `{rg}`: {}.",
            q.name, q.fts5, q.differs
        );
    }
    if !rg {
        let _ = writeln!(out, "- ripgrep: not installed (no `rg` on the PATH).");
    }
    let _ = writeln!(out);
}

/// How far `value` is from a target it must reach (`at_least`) or stay under.
fn verdict(value: f64, target: f64, at_least: bool) -> String {
    let met = if at_least {
        value >= target
    } else {
        value <= target
    };
    if met {
        "met".to_owned()
    } else {
        format!("missed by {:.0}%", (value - target).abs() / target * 100.0)
    }
}

fn targets(out: &mut String, sizes: &[Size]) {
    let _ = writeln!(out, "Targets (issue 9):\n");
    for s in sizes {
        let bytes = s.corpus.bytes;
        let rate = s.imr.mb_s(bytes).0;
        let vs_tantivy = rate / s.tantivy.mb_s(bytes).0;
        let cold = median(&s.cold.all());
        let index = s.imr.index_ratio(bytes);
        let rss = s.imr.rss_mib();
        let rg =
            s.rg.as_ref()
                .map_or("ripgrep not installed".to_owned(), |rg| {
                    let x = median(&rg.all()) / cold;
                    format!("{x:.0}× ripgrep ({})", verdict(x, 50.0, true))
                });
        let _ = writeln!(
            out,
            "- {} letters: ingest {rate:.1} MB/s (≥ 75: {}), {vs_tantivy:.2}× bare tantivy (≥ 1.0: {}); \
             cold search {cold:.1} ms median (≤ 10{}: {}; {:.1} ms without facet counts), {rg}; index {index:.2}× the letters (≤ 0.6: {}); \
             peak RSS {rss:.0} MiB (≤ 300: {}).",
            thousands(s.corpus.letters),
            verdict(rate, 75.0, true),
            verdict(vs_tantivy, 1.0, true),
            if s.corpus.letters == 100_000 {
                ""
            } else {
                ", set for 100,000"
            },
            verdict(cold, 10.0, false),
            median(&s.cold_no_facets.all()),
            verdict(index, 0.6, false),
            verdict(rss, 300.0, false),
        );
    }
}
