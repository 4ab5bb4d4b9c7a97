//! The query set, run the same way through every system: imr in a fresh
//! process and warm in this one, FTS5 in this process, ripgrep over the
//! letter files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};
use imr::query::{FACETS, Filters, Request};

use crate::baseline::Fts5;
use crate::child;

/// How ripgrep answers a query with `rg -l -i`.
pub enum Rg {
    /// Files matching any of the patterns (`-e` each).
    Any(&'static [&'static str]),
    /// Files matching the first, then of those the ones matching the second.
    Both(&'static str, &'static str),
    /// Files matching the first, then of those the ones without the second.
    Without(&'static str, &'static str),
}

/// One query in each system's language.
pub struct Query {
    pub name: &'static str,
    pub imr: &'static str,
    pub outcome: Option<&'static str>,
    pub fts5: &'static str,
    pub rg: Rg,
    /// Where the baselines' answer differs from imr's.
    pub differs: &'static str,
}

pub const QUERIES: [Query; 7] = [
    Query {
        name: "drug word",
        imr: "cyclobenzaprine",
        outcome: None,
        fts5: "cyclobenzaprine",
        rg: Rg::Any(&["cyclobenzaprine"]),
        differs: "imr also finds the decisions on Flexeril and Fexmid (its drug table); the baselines find the word only",
    },
    Query {
        name: "phrase",
        imr: "\"topical analgesics\"",
        outcome: None,
        fts5: "\"topical analgesics\"",
        rg: Rg::Any(&["topical analgesics"]),
        differs: "imr searches items, rationales and summaries, not the guideline lines that name the MTUS topic \"Topical Analgesics\"; ripgrep misses the phrase where a line break falls between its words",
    },
    Query {
        name: "OR",
        imr: "tramadol OR gabapentin",
        outcome: None,
        fts5: "tramadol OR gabapentin",
        rg: Rg::Any(&["tramadol", "gabapentin"]),
        differs: "imr's drug words also match brands (Ultram, Neurontin…)",
    },
    Query {
        name: "AND",
        imr: "gabapentin AND neuropathic",
        outcome: None,
        fts5: "gabapentin AND neuropathic",
        rg: Rg::Both("gabapentin", "neuropathic"),
        differs: "imr matches within one decision (item, rationale, the letter's summary); the baselines anywhere in the letter",
    },
    Query {
        name: "NOT",
        imr: "opioids NOT tramadol",
        outcome: None,
        fts5: "opioids NOT tramadol",
        rg: Rg::Without("opioids", "tramadol"),
        differs: "per decision for imr, per letter for the baselines; FTS5's porter stemmer also matches \"opioid\"",
    },
    Query {
        name: "page filter",
        imr: "page:111",
        outcome: None,
        fts5: "NEAR(page 111, 2)",
        rg: Rg::Any(&[r"page\S*\s+111\b"]),
        differs: "imr reads the pages the reviewer cites (lists, ranges, \"pg.\"); the baselines find \"page\" next to 111",
    },
    Query {
        name: "outcome facet",
        imr: "\"physical therapy\"",
        outcome: Some("overturned"),
        fts5: "\"physical therapy\" AND overturned",
        rg: Rg::Both("physical therapy", "overturned"),
        differs: "imr: decisions on physical therapy that were overturned; the baselines: letters with the phrase and the word anywhere",
    },
];

/// Latencies (ms) of each query over the rounds, and its hit count.
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    pub per_query: Vec<Vec<f64>>,
    pub hits: Vec<u64>,
}

impl Latencies {
    pub fn all(&self) -> Vec<f64> {
        self.per_query.iter().flatten().copied().collect()
    }
}

/// Runs every query once untimed (its hits kept), then `rounds` timed
/// rounds of all of them. `one` returns (seconds, hits).
fn measure(rounds: usize, mut one: impl FnMut(&Query) -> Result<(f64, u64)>) -> Result<Latencies> {
    let mut latencies = Latencies::default();
    for q in &QUERIES {
        latencies.hits.push(one(q)?.1);
        latencies.per_query.push(Vec::with_capacity(rounds));
    }
    for _ in 0..rounds {
        for (k, q) in QUERIES.iter().enumerate() {
            latencies.per_query[k].push(one(q)?.0 * 1000.0);
        }
    }
    Ok(latencies)
}

/// `imr search --format json` in a fresh process each time; with every
/// facet counted, or with `--facets none` to show what counting costs.
pub fn imr_cold(imr: &Path, index: &Path, rounds: usize, facets: bool) -> Result<Latencies> {
    measure(rounds, |q| {
        let mut search = Command::new(imr);
        search.args(["search", "--limit", "10", "--format", "json", "--index"]);
        search.arg(index).env_remove("IMR_INDEX");
        if !facets {
            search.args(["--facets", "none"]);
        }
        if let Some(outcome) = q.outcome {
            search.args(["--outcome", outcome]);
        }
        let run = child::run(search.arg(q.imr), &[0, 1])?;
        let json: serde_json::Value = serde_json::from_str(&run.stdout)
            .with_context(|| format!("imr search {}: not JSON", q.imr))?;
        Ok((run.secs, json["total"].as_u64().unwrap_or(0)))
    })
}

/// `imr::query::search` and its JSON rendering on an index opened once.
pub fn imr_warm(index: &Path, rounds: usize) -> Result<Latencies> {
    let opened = imr::index::open(index)?;
    measure(rounds, |q| {
        let started = Instant::now();
        let request = Request {
            query: q.imr.to_owned(),
            filters: Filters {
                outcome: q.outcome.map(str::to_owned),
                ..Filters::default()
            },
            limit: 10,
            offset: 0,
            facets: FACETS.iter().map(|f| (*f).to_owned()).collect(),
            sort: imr::query::Sort::Relevance,
        };
        let results = imr::query::search(&opened, &request)?;
        let mut json = Vec::new();
        imr::render::json::search(&results, &mut json)?;
        Ok((started.elapsed().as_secs_f64(), results.total as u64))
    })
}

/// FTS5's top ten with snippets; the hits are every matching letter.
pub fn fts5(db: &Path, rounds: usize) -> Result<Latencies> {
    let fts = Fts5::open(db)?;
    let mut latencies = measure(rounds, |q| {
        let started = Instant::now();
        fts.top10(q.fts5)?;
        Ok((started.elapsed().as_secs_f64(), 0))
    })?;
    latencies.hits = QUERIES
        .iter()
        .map(|q| fts.count(q.fts5))
        .collect::<Result<_>>()?;
    Ok(latencies)
}

/// `rg` on the PATH, if installed.
pub fn find_rg() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("rg"))
        .find(|rg| rg.is_file())
}

/// `rg -l -i` over the letters (`--no-ignore`: the corpus sits under the
/// git-ignored target folder); a second pass over the first's files for
/// AND and NOT, as `| xargs rg` would.
pub fn ripgrep(rg: &Path, corpus: &Path, rounds: usize) -> Result<Latencies> {
    measure(rounds, |q| {
        let started = Instant::now();
        let files = match q.rg {
            Rg::Any(patterns) => rg_files(rg, "-l", patterns, &[corpus.to_path_buf()])?,
            Rg::Both(first, second) => {
                let some = rg_files(rg, "-l", &[first], &[corpus.to_path_buf()])?;
                rg_files(rg, "-l", &[second], &some)?
            }
            Rg::Without(first, second) => {
                let some = rg_files(rg, "-l", &[first], &[corpus.to_path_buf()])?;
                rg_files(rg, "--files-without-match", &[second], &some)?
            }
        };
        Ok((started.elapsed().as_secs_f64(), files.len() as u64))
    })
}

/// Paths that ripgrep lists (`list`: `-l` or `--files-without-match`)
/// for `patterns` under `paths`, a few thousand
/// paths a process so that no command line grows too long.
fn rg_files(rg: &Path, list: &str, patterns: &[&str], paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for chunk in paths.chunks(4096) {
        let mut search = Command::new(rg);
        search.args([list, "-i", "--no-ignore"]);
        for pattern in patterns {
            search.args(["-e", pattern]);
        }
        let run = child::run(search.arg("--").args(chunk), &[0, 1])?;
        found.extend(run.stdout.lines().map(PathBuf::from));
    }
    Ok(found)
}
