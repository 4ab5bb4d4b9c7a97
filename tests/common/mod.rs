//! Shared by the integration tests: the real binary run from the crate
//! root with a home that holds no index, and readers of its output.
//! `bound` runs it as a user whom file permissions bind; `letters` holds
//! FORMAT.md's letter variants as text; `pdf` writes text as a PDF;
//! `hostile_pdf` writes PDFs that harm a reader.
// Each test crate uses its own share of these helpers.
#![allow(dead_code)]

pub mod bound;
pub mod hostile_pdf;
pub mod letters;
pub mod pdf;
pub mod web;

use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

pub const SEEDS: [&str; 5] = [
    "000_e9bf73e65e666cd1",
    "001_9643e271e3338345",
    "002_fdf6e10f2920473d",
    "003_7836691e6d3f4cd1",
    "004_7763e284d3bf24d4",
];

/// The binary, run from the crate root with a home that holds no index.
pub fn imr(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("imr").expect("binary built");
    in_home(&mut cmd, home);
    cmd
}

/// Run from the crate root, with `home` as the user's home and no index
/// named by the environment.
pub fn in_home(cmd: &mut Command, home: &Path) {
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("IMR_INDEX")
        .env_remove("NO_COLOR")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"));
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("imr runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn ingest(home: &Path, index: &Path, paths: &[&str]) -> Run {
    let (r, _) = ingest_by(imr(home), index, paths);
    assert!(r.code == 0 || r.code == 1, "ingest failed: {}", r.stderr);
    r
}

/// `imr ingest --json` of `paths` into `index`, run by `cmd`: the run and
/// its report.
pub fn ingest_by(
    mut cmd: Command,
    index: &Path,
    paths: &[impl AsRef<std::ffi::OsStr>],
) -> (Run, Value) {
    let r = run(cmd
        .arg("ingest")
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(paths));
    let report = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r, report)
}

pub fn export(home: &Path, index: &Path) -> Vec<Value> {
    export_by(imr(home), index)
}

/// Every record of the index as `imr export`, run by `cmd`, gives them:
/// by source, then decision. The export must succeed.
pub fn export_by(mut cmd: Command, index: &Path) -> Vec<Value> {
    let r = run(cmd.arg("export").arg("--index").arg(index));
    assert_eq!(r.code, 0, "export: {}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

pub fn search(home: &Path, index: &Path, args: &[&str]) -> (Run, Value) {
    search_by(imr(home), index, args)
}

/// `imr search --format json` on `index`, run by `cmd`.
pub fn search_by(mut cmd: Command, index: &Path, args: &[&str]) -> (Run, Value) {
    let r = run(cmd
        .arg("search")
        .arg("--index")
        .arg(index)
        .args(["--format", "json"])
        .args(args));
    let v = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r, v)
}

/// "003#6" for each hit, in rank order.
pub fn refs(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(short)
        .collect()
}

pub fn short(record: &Value) -> String {
    let source = record["source"].as_str().expect("source");
    let name = Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    format!("{}#{}", name.get(..3).unwrap_or(name), record["decision"])
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
