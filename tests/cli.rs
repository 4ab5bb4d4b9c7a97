//! Through the real binary, on the real letters in `data/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

const SEEDS: [&str; 5] = [
    "000_e9bf73e65e666cd1",
    "001_9643e271e3338345",
    "002_fdf6e10f2920473d",
    "003_7836691e6d3f4cd1",
    "004_7763e284d3bf24d4",
];

/// The binary, run from the crate root with a home that holds no index.
fn imr(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("imr").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("IMR_INDEX")
        .env_remove("NO_COLOR")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"));
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("imr runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ingest(home: &Path, index: &Path, paths: &[&str]) -> Run {
    let r = run(imr(home)
        .arg("ingest")
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(paths));
    assert!(r.code == 0 || r.code == 1, "ingest failed: {}", r.stderr);
    r
}

fn export(home: &Path, index: &Path) -> Vec<Value> {
    let r = run(imr(home).arg("export").arg("--index").arg(index));
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn search(home: &Path, index: &Path, args: &[&str]) -> (Run, Value) {
    let r = run(imr(home)
        .arg("search")
        .arg("--index")
        .arg(index)
        .args(["--format", "json"])
        .args(args));
    let v = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r, v)
}

/// "003#6" for each hit, in rank order.
fn refs(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(short)
        .collect()
}

fn short(record: &Value) -> String {
    let source = record["source"].as_str().expect("source");
    let name = Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    format!("{}#{}", name.get(..3).unwrap_or(name), record["decision"])
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn export_gives_the_twelve_seed_decisions() {
    let dir = temp();
    let index = dir.path().join("index");
    let report = ingest(dir.path(), &index, &["data/letters"]);
    assert_eq!(report.code, 0, "{}", report.stdout);
    let records = export(dir.path(), &index);
    let got: Vec<(String, String, String)> = records
        .iter()
        .map(|r| {
            (
                short(r),
                r["item"].as_str().unwrap().to_owned(),
                r["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (
            "000#1",
            "RETROSPECTIVE REQUEST FOR FEXMID 7.5 MG DOS 11/1/13",
        ),
        (
            "000#2",
            "RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13",
        ),
        (
            "001#1",
            "Retrospective pharmacy purchase of Dendracin lotion 120ml",
        ),
        ("002#1", "Xanax 0.5mg #45"),
        ("002#2", "Dendracin cream #3 with 2 refills"),
        (
            "003#1",
            "Acupuncture two (2) times a week for four (4) weeks",
        ),
        ("003#2", "Terocin"),
        ("003#3", "Dendracin"),
        ("003#4", "Cymbalta"),
        ("003#5", "Omeprazole"),
        ("003#6", "Flexeril"),
        ("004#1", "Retro DOS: 7.10.15 Cyclobenzaprine 2% cream"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(r, i)| ((*r).to_owned(), (*i).to_owned(), "upheld".to_owned()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        records[0]["source"],
        "data/letters/000_e9bf73e65e666cd1.txt"
    );
    assert_eq!(records[0]["letter"], "6d1b035b75d2e58d");
}

/// Every field of every record of the 25 real letters, as reviewed by hand
/// in tests/golden/export.jsonl.
#[test]
fn export_matches_the_golden_records() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters", "data/real/txt"]);
    let got: Vec<Value> = export(dir.path(), &index);
    let golden = std::fs::read_to_string("tests/golden/export.jsonl").expect("golden file");
    let expected: Vec<Value> = golden
        .lines()
        .map(|l| serde_json::from_str(l).expect("golden JSON"))
        .collect();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e, "record {}", short(e));
    }
}

#[test]
fn pdf_and_text_twins_give_the_same_records() {
    let dir = temp();
    let (pdf, txt) = (dir.path().join("pdf"), dir.path().join("txt"));
    ingest(dir.path(), &pdf, &["data/real/pdf"]);
    ingest(dir.path(), &txt, &["data/real/txt"]);
    let strip = |mut records: Vec<Value>| {
        for r in &mut records {
            r["source"] = Value::Null;
            r["letter"] = Value::Null;
        }
        records
    };
    let (pdf, txt) = (
        strip(export(dir.path(), &pdf)),
        strip(export(dir.path(), &txt)),
    );
    assert_eq!(pdf.len(), 33);
    for (p, t) in pdf.iter().zip(&txt) {
        assert_eq!(p, t);
    }
}

#[test]
fn search_finds_cyclobenzaprine_by_every_name() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let (r, v) = search(dir.path(), &index, &["cyclobenzaprine"]);
    assert_eq!(r.code, 0);
    let hits = refs(&v);
    for want in ["000#1", "003#6", "004#1"] {
        assert!(hits.contains(&want.to_owned()), "{want} not in {hits:?}");
    }
    for hit in v["hits"].as_array().unwrap().iter().take(3) {
        let excerpt = hit["excerpt"].as_str().unwrap().to_lowercase();
        assert!(excerpt.contains("cyclobenzaprine"), "{excerpt}");
    }
    let drug_only = |q: &str| {
        let (_, v) = search(dir.path(), &index, &[&format!("drug:{q}")]);
        sorted(refs(&v))
    };
    assert_eq!(drug_only("cyclobenzaprine"), ["000#1", "003#6", "004#1"]);
    assert_eq!(drug_only("Flexeril"), ["000#1", "003#6", "004#1"]);
    assert_eq!(
        drug_only("capsaicin"),
        ["000#2", "001#1", "002#2", "003#2", "003#3"]
    );
    assert_eq!(drug_only("Xanax"), ["002#1"]);
    assert_eq!(drug_only("alprazolam"), ["002#1"]);
}

#[test]
fn filters_and_facets() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let (r, v) = search(dir.path(), &index, &["page:111"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        sorted(refs(&v)),
        ["000#2", "001#1", "003#2", "003#3", "004#1"]
    );
    assert_eq!(v["total"], 5);
    assert_eq!(v["facets"]["outcome"]["upheld"], 5);
    assert_eq!(v["facets"]["page"]["105"], 2);
    let (_, v) = search(dir.path(), &index, &["topical", "--page", "41"]);
    assert_eq!(refs(&v), ["000#1"]);
    let (r, v) = search(
        dir.path(),
        &index,
        &["cyclobenzaprine", "--outcome", "overturned"],
    );
    assert_eq!((r.code, v["total"].as_u64()), (1, Some(0)));
}

#[test]
fn exit_codes() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let (r, _) = search(dir.path(), &index, &["zzyzx"]);
    assert_eq!(r.code, 1);
    let (r, _) = search(dir.path(), &index, &["topical AND ("]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("column 14"), "{}", r.stderr);
    let (r, _) = search(dir.path(), &index, &["- *"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("column 3"), "{}", r.stderr);
    let missing = dir.path().join("missing");
    let r = run(imr(dir.path())
        .args(["search", "norco", "--index"])
        .arg(&missing));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&missing.display().to_string()),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("imr ingest"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn no_index_anywhere_searches_the_bundled_sample() {
    let dir = temp();
    let r = run(imr(dir.path()).args(["search", "cyclobenzaprine", "--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("bundled sample"), "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let hits = refs(&v);
    for want in ["000#1", "003#6", "004#1"] {
        assert!(hits.contains(&want.to_owned()), "{want} not in {hits:?}");
    }
}

#[test]
fn plain_output_when_piped_bold_when_forced() {
    let dir = temp();
    let r = run(imr(dir.path()).args(["search", "Terocin"]));
    assert!(!r.stdout.contains('\x1b'));
    assert!(
        r.stdout
            .starts_with("1. data/letters/003_7836691e6d3f4cd1.txt#2  upheld"),
        "{}",
        r.stdout
    );
    let r = run(imr(dir.path()).args(["--color", "always", "search", "Terocin"]));
    assert!(r.stdout.contains("\x1b[1mTerocin\x1b[0m"), "{}", r.stdout);
}

#[test]
fn reingest_is_idempotent_and_duplicates_are_reported() {
    let dir = temp();
    let index = dir.path().join("index");
    let first = ingest(dir.path(), &index, &["data/letters"]);
    let first: Value = serde_json::from_str(&first.stdout).unwrap();
    assert_eq!(
        (
            first["letters_indexed"].as_u64(),
            first["decisions_indexed"].as_u64()
        ),
        (Some(5), Some(12))
    );
    let again = ingest(dir.path(), &index, &["data/letters"]);
    let again: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(
        (
            again["letters_indexed"].as_u64(),
            again["unchanged"].as_u64()
        ),
        (Some(0), Some(5))
    );
    assert_eq!(export(dir.path(), &index).len(), 12);

    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(
        format!("data/letters/{}.txt", SEEDS[2]),
        copy.join("again.txt"),
    )
    .unwrap();
    let dup = ingest(dir.path(), &index, &[copy.to_str().unwrap()]);
    let dup: Value = serde_json::from_str(&dup.stdout).unwrap();
    assert_eq!(
        dup["duplicates"][0]["of"],
        format!("data/letters/{}.txt", SEEDS[2])
    );
    assert_eq!(export(dir.path(), &index).len(), 12);
}

#[test]
fn a_changed_file_replaces_its_records() {
    let dir = temp();
    let index = dir.path().join("index");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let path: PathBuf = letters.join("a.txt");
    std::fs::copy(format!("data/letters/{}.txt", SEEDS[3]), &path).unwrap();
    ingest(dir.path(), &index, &[letters.to_str().unwrap()]);
    assert_eq!(export(dir.path(), &index).len(), 6);
    std::fs::copy(format!("data/letters/{}.txt", SEEDS[0]), &path).unwrap();
    let r = ingest(dir.path(), &index, &[letters.to_str().unwrap()]);
    let r: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(r["replaced"], 1);
    let items: Vec<String> = export(dir.path(), &index)
        .iter()
        .map(|r| r["item"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        items,
        [
            "RETROSPECTIVE REQUEST FOR FEXMID 7.5 MG DOS 11/1/13",
            "RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13"
        ]
    );
}

#[test]
fn bad_files_are_reported_and_good_letters_kept() {
    let dir = temp();
    let index = dir.path().join("index");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::copy(
        format!("data/letters/{}.txt", SEEDS[1]),
        letters.join("good.txt"),
    )
    .unwrap();
    std::fs::write(letters.join("empty.txt"), b"").unwrap();
    std::fs::write(letters.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::copy(
        "data/real/pdf/CM16-0224814.pdf",
        letters.join("saved-as.txt"),
    )
    .unwrap();
    std::fs::write(
        letters.join("prose.txt"),
        b"Just a note with no decisions in it.\n",
    )
    .unwrap();
    let r = ingest(dir.path(), &index, &[letters.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let p = s["path"].as_str().unwrap();
            let name = Path::new(p)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            (name, s["reason"].as_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        skipped,
        [
            ("binary.txt".to_owned(), "not text (binary)".to_owned()),
            ("empty.txt".to_owned(), "empty".to_owned())
        ]
    );
    assert_eq!(report["flagged"][0]["flags"][0], "no_decisions");
    let records = export(dir.path(), &index);
    let got: Vec<String> = records
        .iter()
        .map(|r| {
            format!(
                "{}:{}:{}",
                Path::new(r["source"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_str()
                    .unwrap(),
                r["decision"],
                r["outcome"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "good.txt:1:upheld",
            "prose.txt:0:unknown",
            "saved-as.txt:1:upheld"
        ]
    );
}

#[test]
fn a_second_writer_is_refused() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let _writer = imr::index::Writer::open_or_create(&index).expect("first writer");
    let r = run(imr(dir.path())
        .arg("ingest")
        .arg("--index")
        .arg(&index)
        .arg("data/letters"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("index is being written by another ingest"),
        "{}",
        r.stderr
    );
}
