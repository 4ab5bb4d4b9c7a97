//! `kill -9` in the middle of an ingest, through the real binary, on
//! generated letters: the index opens, holds whole letters only, and the
//! same command run again completes it exactly.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use imr_generate as generate;
use serde_json::Value;

const SEED: u64 = 5;
/// Enough that the ingest is still running at the last kill; a release
/// build ingests several times faster.
const LETTERS: u64 = if cfg!(debug_assertions) { 1500 } else { 8000 };
/// Small enough that every batch of files ends in a commit.
const COMMIT_EVERY: &str = "100";
const PATIENCE: Duration = Duration::from_secs(60);

struct Setup {
    home: PathBuf,
    corpus: PathBuf,
    index: PathBuf,
    /// Decisions each letter holds, by letter id.
    expected: HashMap<String, usize>,
}

fn imr(setup: &Setup) -> Command {
    let mut cmd = Command::cargo_bin("imr").expect("binary built");
    cmd.env_remove("IMR_INDEX")
        .env("HOME", &setup.home)
        .env("XDG_DATA_HOME", setup.home.join("data"));
    cmd
}

fn spawn_ingest(setup: &Setup) -> Child {
    imr(setup)
        .args([
            "ingest",
            "--quiet",
            "--json",
            "--commit-every",
            COMMIT_EVERY,
        ])
        .arg("--index")
        .arg(&setup.index)
        .arg(&setup.corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("imr ingest starts")
}

/// The index's commit counter (tantivy's opstamp), 0 before any commit.
fn opstamp(index: &Path) -> u64 {
    std::fs::read_to_string(index.join("meta.json"))
        .ok()
        .and_then(|m| serde_json::from_str::<Value>(&m).ok())
        .and_then(|m| m["opstamp"].as_u64())
        .unwrap_or(0)
}

/// Waits until the index has a commit newer than `after`, then `linger`
/// more; kills the ingest, which must still be running.
fn kill_after_commit(setup: &Setup, after: u64, linger: Duration) -> u64 {
    let mut child = spawn_ingest(setup);
    let started = Instant::now();
    while opstamp(&setup.index) <= after {
        assert!(
            child.try_wait().expect("ingest status").is_none(),
            "ingest ended before a new commit: make the corpus larger"
        );
        assert!(started.elapsed() < PATIENCE, "no commit within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(linger);
    assert!(
        child.try_wait().expect("ingest status").is_none(),
        "ingest ended before the kill: make the corpus larger"
    );
    child.kill().expect("SIGKILL sent");
    child.wait().expect("ingest reaped");
    opstamp(&setup.index)
}

/// (letter, decision) of every exported record; export must succeed.
fn export(setup: &Setup) -> Vec<(String, u64)> {
    let out = imr(setup)
        .arg("export")
        .arg("--index")
        .arg(&setup.index)
        .output()
        .expect("imr export runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "export after a kill: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8 export")
        .lines()
        .map(|line| {
            let r: Value = serde_json::from_str(line).expect("JSON record");
            let letter = r["letter"].as_str().expect("letter id").to_owned();
            (letter, r["decision"].as_u64().expect("decision number"))
        })
        .collect()
}

/// Every letter in the index is whole: all its decisions, each once.
/// Returns how many letters it holds.
fn assert_whole_letters(setup: &Setup, records: &[(String, u64)]) -> usize {
    let mut by_letter: HashMap<&str, Vec<u64>> = HashMap::new();
    for (letter, decision) in records {
        by_letter.entry(letter).or_default().push(*decision);
    }
    let letters = by_letter.len();
    for (letter, mut decisions) in by_letter {
        let want = setup.expected.get(letter).copied().unwrap_or(0);
        decisions.sort_unstable();
        let whole: Vec<u64> = (1..=want as u64).collect();
        assert_eq!(decisions, whole, "letter {letter} is not whole");
    }
    letters
}

#[test]
fn a_killed_ingest_keeps_whole_letters_and_a_rerun_completes_it_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("letters");
    let stats = generate::write_corpus(&corpus, LETTERS, SEED).expect("corpus written");
    let expected: HashMap<String, usize> = (0..LETTERS)
        .map(|n| {
            let g = generate::letter(SEED, n);
            (imr::ingest::letter_id(&g.bytes), g.expected.decisions.len())
        })
        .collect();
    assert_eq!(expected.len() as u64, LETTERS, "generated letters repeat");
    let setup = Setup {
        home: dir.path().join("home"),
        corpus,
        index: dir.path().join("index"),
        expected,
    };

    // Killed just after its first commit, then mid-batch after later ones.
    let mut seen = 0;
    let mut held = 0;
    for linger in [0, 40, 150] {
        seen = kill_after_commit(&setup, seen, Duration::from_millis(linger));
        let now = assert_whole_letters(&setup, &export(&setup));
        assert!(now > held, "a kill after a new commit kept no new letter");
        held = now;
    }

    let out = spawn_ingest(&setup)
        .wait_with_output()
        .expect("ingest ends");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["letters_read"], LETTERS);
    assert_eq!(report["unchanged"], held as u64);
    assert_eq!(report["letters_indexed"], LETTERS - held as u64);
    assert_eq!(report["duplicates"], Value::Array(Vec::new()));

    let records = export(&setup);
    assert_eq!(records.len() as u64, stats.decisions);
    let unique: HashSet<&(String, u64)> = records.iter().collect();
    assert_eq!(unique.len(), records.len(), "a decision is indexed twice");
    assert_eq!(
        assert_whole_letters(&setup, &records),
        LETTERS as usize,
        "letters missing after the rerun"
    );

    // Each letter's decisions lie together and in order, as searches of
    // the case summary need, through kills, commits and merges.
    let check = imr(&setup)
        .arg("check")
        .arg("--index")
        .arg(&setup.index)
        .output()
        .expect("imr check runs");
    let verdict = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{verdict}");
    let counts = format!(
        "{LETTERS} letters, {} decisions, schema version 8)",
        stats.decisions
    );
    assert!(verdict.contains(&counts), "{verdict}");
}

/// `imr check` run again and again while an ingest commits every 10
/// letters (and merges segments, removing their files): it checks the
/// commit it opened, and never takes a file the ingest removed meanwhile
/// for damage.
#[test]
fn check_during_an_ingest_checks_the_commit_it_opened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("letters");
    generate::write_corpus(&corpus, LETTERS, SEED + 1).expect("corpus written");
    let setup = Setup {
        home: dir.path().join("home"),
        corpus,
        index: dir.path().join("index"),
        expected: HashMap::new(),
    };
    let mut ingest = imr(&setup)
        .args(["ingest", "--quiet", "--commit-every", "10"])
        .arg("--index")
        .arg(&setup.index)
        .arg(&setup.corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("imr ingest starts");
    let started = Instant::now();
    while opstamp(&setup.index) == 0 {
        assert!(started.elapsed() < PATIENCE, "no commit within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut rounds = 0;
    let mut during = 0;
    while rounds < 200 && started.elapsed() < Duration::from_secs(20) {
        let running = ingest.try_wait().expect("ingest status").is_none();
        let out = imr(&setup)
            .arg("check")
            .arg("--index")
            .arg(&setup.index)
            .output()
            .expect("imr check runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "round {rounds}: {stderr}");
        let verdict = String::from_utf8_lossy(&out.stdout);
        assert!(verdict.contains(": sound ("), "round {rounds}: {verdict}");
        rounds += 1;
        during += usize::from(running);
    }
    let out = ingest.wait_with_output().expect("ingest ends");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(during >= 5, "only {during} checks ran during the ingest");
}
