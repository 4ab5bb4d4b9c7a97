//! Through the real binary, on the real letters in `data/`.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

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
    assert_eq!(records[0]["letter"], "79fff5129579dd31");
}

/// The hand-reviewed records of tests/golden/export.jsonl, sorted by
/// source then decision.
fn golden() -> Vec<Value> {
    let golden = std::fs::read_to_string("tests/golden/export.jsonl").expect("golden file");
    let mut records: Vec<Value> = golden
        .lines()
        .map(|l| serde_json::from_str(l).expect("golden JSON"))
        .collect();
    records.sort_by_key(|r| {
        (
            r["source"].as_str().map(str::to_owned),
            r["decision"].as_u64(),
        )
    });
    records
}

/// The 25 letters of `data/` in a new index in `dir`.
fn all_letters(dir: &Path) -> PathBuf {
    let index = dir.join("index");
    ingest(dir, &index, &["data/letters", "data/real/txt"]);
    index
}

/// Every field of every record of the 25 real letters, as reviewed by hand
/// in tests/golden/export.jsonl, in export's order: by source, then
/// decision.
#[test]
fn export_matches_the_golden_records() {
    let dir = temp();
    let index = all_letters(dir.path());
    let got: Vec<Value> = export(dir.path(), &index);
    let expected = golden();
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e, "record {}", short(e));
    }
}

/// Export's order is the letters' paths, then their decisions, whatever
/// order ingest stored them in: letters a re-ingest replaced (their files
/// changed), which it stores after every other, come out in their paths'
/// places, and the index is still sound.
#[test]
fn export_order_is_by_path_then_decision_after_a_re_ingest_replaces_letters() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for seed in SEEDS {
        let name = format!("{seed}.txt");
        std::fs::copy(Path::new("data/letters").join(&name), letters.join(&name)).unwrap();
    }
    let index = dir.path().join("index");
    let paths = [letters.to_str().unwrap()];
    ingest(dir.path(), &index, &paths);
    for seed in [SEEDS[0], SEEDS[3]] {
        let path = letters.join(format!("{seed}.txt"));
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\n\n");
        std::fs::write(&path, text).unwrap();
    }
    let (r, report) = ingest_by(imr(dir.path()), &index, &paths);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        (&report["replaced"], &report["unchanged"]),
        (&2.into(), &3.into())
    );
    let got: Vec<String> = export(dir.path(), &index).iter().map(short).collect();
    let expected = [
        "000#1", "000#2", "001#1", "002#1", "002#2", "003#1", "003#2", "003#3", "003#4", "003#5",
        "003#6", "004#1",
    ];
    assert_eq!(got, expected);
    let check = run(imr(dir.path()).arg("check").arg("--index").arg(&index));
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains(": sound (") && check.stdout.contains(", 5 letters, 12 decisions,"),
        "{}",
        check.stdout
    );
}

/// `imr export QUERY --format csv` in `index`: the run and its rows,
/// header first, each row's fields.
fn export_csv(dir: &Path, index: &Path, args: &[&str]) -> (Run, Vec<Vec<String>>) {
    let r = run(imr(dir)
        .arg("export")
        .arg("--index")
        .arg(index)
        .args(["--format", "csv"])
        .args(args));
    // Not flexible: a row with another number of fields is an error.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(r.stdout.as_bytes());
    let rows = reader
        .records()
        .map(|row| row.expect("a CSV row").iter().map(String::from).collect())
        .collect();
    (r, rows)
}

const EXPORT_COLUMNS: [&str; 16] = [
    "case_number",
    "source",
    "decision",
    "decision_date",
    "outcome",
    "item",
    "category",
    "subcategory",
    "drugs",
    "drug_classes",
    "specialty",
    "licensed_in",
    "guideline_documents",
    "guideline_sections",
    "pages",
    "rationale",
];

#[test]
fn export_csv_of_a_query() {
    let dir = temp();
    let index = all_letters(dir.path());
    let (r, rows) = export_csv(dir.path(), &index, &["--drug", "capsaicin"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(rows[0], EXPORT_COLUMNS);
    let rows = &rows[1..];
    assert_eq!(rows.len(), 5);
    let first = &rows[0];
    let golden = golden();
    let rationale = golden
        .iter()
        .find(|r| short(r) == "000#2")
        .and_then(|r| r["rationale"].as_str())
        .unwrap();
    let expected = [
        "",
        "data/letters/000_e9bf73e65e666cd1.txt",
        "2",
        "",
        "upheld",
        "RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13",
        "Pharmaceuticals",
        "Topical Compounds",
        "capsaicin; menthol; methyl salicylate",
        "Topical Compounds",
        "Occupational Medicine",
        "California",
        "MTUS: ACOEM Practice Guidelines, Chapter 3 Initial Approaches to Treatment; MTUS: Chronic Pain Medical Treatment Guidelines",
        "Topical Analgesics",
        "47; 111",
        rationale,
    ];
    assert_eq!(first, &expected);
}

/// Every decision as CSV: a row each, every row as many fields as the
/// header, the letter's date in decision_date.
#[test]
fn export_csv_of_everything_has_one_shape() {
    let dir = temp();
    let index = all_letters(dir.path());
    let (r, rows) = export_csv(dir.path(), &index, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\0'));
    assert_eq!(rows.len(), 1 + 45);
    assert!(rows.iter().all(|row| row.len() == EXPORT_COLUMNS.len()));
    let knee = rows
        .iter()
        .find(|row| row[1] == "data/real/txt/CM17-0019120.txt" && row[2] == "2")
        .expect("CM17-0019120#2");
    assert_eq!(
        knee[..6],
        [
            "CM17-0019120",
            "data/real/txt/CM17-0019120.txt",
            "2",
            "2017-02-24",
            "overturned",
            "MRI of the right knee without contrast"
        ]
    );
}

#[test]
fn export_takes_the_search_filters() {
    let dir = temp();
    let index = all_letters(dir.path());
    let r = run(imr(dir.path())
        .args(["export", "--outcome", "overturned", "--index"])
        .arg(&index));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let overturned: Vec<Value> = golden()
        .into_iter()
        .filter(|r| r["outcome"] == "overturned")
        .collect();
    assert_eq!(overturned.len(), 3);
    assert_eq!(got, overturned);
}

#[test]
fn export_exit_codes() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let export = |args: &[&str]| {
        run(imr(dir.path())
            .arg("export")
            .args(args)
            .arg("--index")
            .arg(&index))
    };
    let r = export(&["zzyzx"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    let r = export(&["zzyzx", "--format", "csv"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout.lines().count(), 1, "the header alone");
    let r = export(&["topical AND ("]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "imr: query: column 14: expected a word, a \"phrase\" or `(` here, at the end of the query\n"
    );
    let r = export(&["*"]);
    assert_eq!((r.code, r.stdout.lines().count()), (0, 12));
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
    // 000#2 is on Dendracin; its rationale names Flexeril. 000#1 is on
    // Fexmid; its rationale names Dendracin, which holds capsaicin.
    assert_eq!(
        drug_only("cyclobenzaprine"),
        ["000#1", "000#2", "003#6", "004#1"]
    );
    assert_eq!(drug_only("Flexeril"), ["000#1", "000#2", "003#6", "004#1"]);
    assert_eq!(
        drug_only("capsaicin"),
        ["000#1", "000#2", "001#1", "002#2", "003#2", "003#3"]
    );
    // The drug filter keeps the decisions on the drug: their items.
    let (_, v) = search(dir.path(), &index, &["--drug", "cyclobenzaprine"]);
    assert_eq!(sorted(refs(&v)), ["000#1", "003#6", "004#1"]);
    assert_eq!(drug_only("Xanax"), ["002#1"]);
    assert_eq!(drug_only("alprazolam"), ["002#1"]);
}

/// A word matches a decision's own words; the case summary only when
/// asked, and then it belongs to the letter: a word in it finds each of
/// the letter's decisions, and joins a word in one decision's rationale.
/// In letter 003 (six decisions) "sprain" is in the summary only; in 001
/// it is in the rationale too.
#[test]
fn a_summary_word_finds_every_decision_of_its_letter() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let found = |q: &str| {
        let (r, v) = search(dir.path(), &index, &[q]);
        assert_eq!(r.code, 0, "{q}");
        sorted(refs(&v))
    };
    let letter_003 = ["003#1", "003#2", "003#3", "003#4", "003#5", "003#6"];
    let mut sprain = vec!["001#1"];
    sprain.extend(letter_003);
    assert_eq!(found("summary:sprain"), sprain);
    assert_eq!(found("sprain"), ["001#1"]);
    assert_eq!(found("summary:sprain AND omeprazole"), ["003#5"]);
    let (r, _) = search(dir.path(), &index, &["sprain AND omeprazole"]);
    assert_eq!(r.code, 1);
    // "-acupuncture" drops the decisions whose own words name it (003#1),
    // not the letter whose summary does.
    assert_eq!(
        found("summary:sprain -acupuncture"),
        ["001#1", "003#2", "003#3", "003#4", "003#5", "003#6"]
    );
    let mut straight_leg = letter_003.to_vec();
    straight_leg.push("004#1");
    assert_eq!(found("summary:\"straight leg\""), straight_leg);
}

/// The guideline field, like the guideline facet, holds what the reviewer
/// cited: where only the claims administrator cited ODG (CM17-0019120#1,
/// among eight), `guideline:ODG` and `--guideline ODG` pass it by.
#[test]
fn a_guideline_is_one_the_reviewer_cited() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/real/txt"]);
    let cases = |v: &serde_json::Value| {
        let hits = v["hits"].as_array().expect("hits").iter();
        sorted(
            hits.map(|h| format!("{}#{}", h["case_number"].as_str().unwrap(), h["decision"]))
                .collect(),
        )
    };
    let (r, v) = search(dir.path(), &index, &["guideline:ODG", "--limit", "100"]);
    assert_eq!(r.code, 0);
    let odg = [
        "CM16-0233794#1",
        "CM16-0243394#1",
        "CM16-0243394#2",
        "CM16-0248471#3",
        "CM16-0248471#4",
        "CM16-0248471#6",
        "CM17-0000859#1",
        "CM17-0004547#1",
        "CM17-0006045#1",
        "CM17-0010362#1",
        "CM17-0010362#2",
        "CM17-0011992#1",
        "CM17-0017104#1",
    ];
    assert_eq!(cases(&v), odg);
    assert_eq!(v["facets"]["source"]["ODG"], 13);
    let (_, v) = search(dir.path(), &index, &["knee", "--guideline", "ODG"]);
    // CM17-0004547#1, on a foot, names a knee only in its case summary.
    let knee_odg = ["CM16-0243394#1", "CM17-0011992#1"];
    assert_eq!(cases(&v), knee_odg);
    let (_, v) = search(dir.path(), &index, &["summary:knee"]);
    assert!(cases(&v).contains(&"CM17-0019120#1".to_owned()));
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

/// Copies met after a commit of the same run are found in the index:
/// 300 files, five letters, committed after the first batch of 256.
#[test]
fn duplicates_are_found_across_commits_of_one_run() {
    let dir = temp();
    let index = dir.path().join("index");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for n in 0..300 {
        let seed = format!("data/letters/{}.txt", SEEDS[n % SEEDS.len()]);
        std::fs::copy(seed, letters.join(format!("{n:03}.txt"))).unwrap();
    }
    let paths = ["--commit-every", "1", letters.to_str().unwrap()];
    let (r, report) = ingest_by(imr(dir.path()), &index, &paths);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        (
            report["letters_indexed"].as_u64(),
            report["duplicates"].as_array().map(Vec::len),
            report["decisions_indexed"].as_u64()
        ),
        (Some(5), Some(295), Some(12))
    );
    let last = &report["duplicates"][294];
    assert!(last["path"].as_str().unwrap().ends_with("letters/299.txt"));
    assert!(last["of"].as_str().unwrap().ends_with("letters/004.txt"));
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

/// A seed letter with one byte of its rationale changed: other bytes, the
/// same size.
fn same_size_other_bytes(seed: &str) -> Vec<u8> {
    let mut bytes = std::fs::read(format!("data/letters/{seed}.txt")).unwrap();
    let at = bytes.len() / 2
        + bytes[bytes.len() / 2..]
            .iter()
            .position(|b| b.is_ascii_lowercase())
            .unwrap();
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    bytes
}

/// Writes `bytes` to `path` and gives it back the modification time it had.
fn rewrite_keeping_time(path: &Path, bytes: &[u8]) {
    let modified = std::fs::metadata(path).unwrap().modified().unwrap();
    std::fs::write(path, bytes).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(modified).unwrap();
}

#[test]
fn reingest_skips_a_file_of_the_same_size_and_time_unread_and_verify_reads_it() {
    let dir = temp();
    let index = dir.path().join("index");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let path = letters.join("a.txt");
    std::fs::copy(format!("data/letters/{}.txt", SEEDS[3]), &path).unwrap();
    let folder = [letters.to_str().unwrap()];
    ingest(dir.path(), &index, &folder);
    // Other bytes under the size and time indexed: taken as unchanged,
    // which only a file not read can be.
    rewrite_keeping_time(&path, &same_size_other_bytes(SEEDS[3]));
    let (r, report) = ingest_by(imr(dir.path()), &index, &folder);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        (report["unchanged"].as_u64(), report["replaced"].as_u64()),
        (Some(1), Some(0))
    );
    for flag in ["--verify", "--hash"] {
        let (r, report) = ingest_by(imr(dir.path()), &index, &[flag, folder[0]]);
        assert_eq!(r.code, 0, "{flag}: {}", r.stderr);
        let counts = (report["unchanged"].as_u64(), report["replaced"].as_u64());
        // The first reads the new bytes and replaces; the second finds them.
        let expected = if flag == "--verify" { (0, 1) } else { (1, 0) };
        assert_eq!(counts, (Some(expected.0), Some(expected.1)), "{flag}");
    }
    assert_eq!(export(dir.path(), &index).len(), 6);
}

#[test]
fn a_touched_file_is_unchanged_and_its_new_time_is_indexed() {
    let dir = temp();
    let index = dir.path().join("index");
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let path = letters.join("a.txt");
    std::fs::copy(format!("data/letters/{}.txt", SEEDS[3]), &path).unwrap();
    let folder = [letters.to_str().unwrap()];
    ingest(dir.path(), &index, &folder);
    let later =
        std::fs::metadata(&path).unwrap().modified().unwrap() + std::time::Duration::from_secs(60);
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(later).unwrap();
    let (r, report) = ingest_by(imr(dir.path()), &index, &folder);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        (
            report["unchanged"].as_u64(),
            report["replaced"].as_u64(),
            report["letters_indexed"].as_u64()
        ),
        (Some(1), Some(0), Some(0))
    );
    // The new time is the one indexed: other bytes under it go unread.
    rewrite_keeping_time(&path, &same_size_other_bytes(SEEDS[3]));
    let (_, report) = ingest_by(imr(dir.path()), &index, &folder);
    assert_eq!(report["unchanged"].as_u64(), Some(1));
    assert_eq!(export(dir.path(), &index).len(), 6);
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
    assert_eq!(
        r.stderr,
        format!(
            "imr: another ingest (pid {}) is writing {}; wait for it to finish\n",
            std::process::id(),
            index.display()
        )
    );
}

#[test]
fn hits_as_json_lines_and_csv() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let r = run(imr(dir.path())
        .args(["search", "Terocin", "--format", "jsonl", "--index"])
        .arg(&index));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.iter().map(short).collect::<Vec<_>>(), ["003#2"]);
    assert_eq!(lines[0]["item"], "Terocin");
    assert_eq!(lines[0]["pages"], serde_json::json!([105, 111, 112]));
    assert!(lines[0]["excerpt"].as_str().unwrap().contains("Terocin"));

    let r = run(imr(dir.path())
        .args(["search", "drug:capsaicin", "--format", "csv", "--index"])
        .arg(&index));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rows = csv::Reader::from_reader(r.stdout.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "source",
            "case_number",
            "decision_date",
            "decision",
            "item",
            "outcome",
            "pages",
            "guidelines",
            "drugs",
            "specialty",
            "score",
            "excerpt"
        ]
    );
    let terocin = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[4] == "Terocin")
        .expect("Terocin row");
    assert_eq!(&terocin[0], "data/letters/003_7836691e6d3f4cd1.txt");
    assert_eq!(&terocin[2], "");
    assert_eq!(&terocin[3], "2");
    assert_eq!(&terocin[5], "upheld");
    assert_eq!(&terocin[6], "105 111 112");
    assert_eq!(
        &terocin[7],
        "MTUS: Chronic Pain Medical Treatment Guidelines; other: drugs.com"
    );
    assert_eq!(
        &terocin[8],
        "capsaicin; lidocaine; menthol; methyl salicylate"
    );
    assert_eq!(&terocin[9], "Physical Medicine and Rehabilitation");
}

#[test]
fn facets_are_chosen_by_name() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters", "data/real/txt"]);
    let (r, v) = search(dir.path(), &index, &["capsaicin", "--facets", "outcome"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(v["facets"], serde_json::json!({"outcome": {"upheld": 6}}));
    let (_, v) = search(
        dir.path(),
        &index,
        &["NOT zzyzx", "--facets", "year,outcome", "--limit", "0"],
    );
    assert_eq!(
        v["facets"],
        serde_json::json!({"outcome": {"upheld": 42, "overturned": 3}, "year": {"2017": 33}})
    );
    assert_eq!(v["total"], 45);
    let (_, v) = search(
        dir.path(),
        &index,
        &["capsaicin", "--facets", "source,guideline"],
    );
    assert_eq!(
        v["facets"],
        serde_json::json!({
            "source": {"MTUS": 6, "other": 1},
            "guideline": {
                "MTUS: Chronic Pain Medical Treatment Guidelines": 6,
                "MTUS: ACOEM Practice Guidelines, Chapter 3 Initial Approaches to Treatment": 1,
                "other: drugs.com": 1
            }
        })
    );
    let (_, v) = search(dir.path(), &index, &["capsaicin", "--facets", "none"]);
    assert_eq!(v["facets"], serde_json::json!({}));
    let (r, _) = search(dir.path(), &index, &["capsaicin", "--facets", "colour"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("invalid value 'colour'"), "{}", r.stderr);
}

/// A one-decision letter in the titled layout.
fn titled_letter(item: &str, outcome: &str) -> String {
    format!(
        "IMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n\n{item}:  {outcome}\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids, Page(s): 80.\nDecision rationale: The records were reviewed and the request is decided as above.\n"
    )
}

#[test]
fn hydrocodone_and_norco_find_each_other() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    for (name, item, outcome) in [
        ("norco.txt", "Norco 10/325mg #90", "Upheld"),
        ("generic.txt", "Hydrocodone/APAP 10/325mg #60", "Overturned"),
        ("tramadol.txt", "Ultram 50mg #60", "Upheld"),
    ] {
        std::fs::write(letters.join(name), titled_letter(item, outcome)).unwrap();
    }
    let index = dir.path().join("index");
    let r = ingest(dir.path(), &index, &[letters.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let items = |query: &str| {
        let (r, v) = search(dir.path(), &index, &[query]);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        let mut items: Vec<String> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["item"].as_str().unwrap().to_owned())
            .collect();
        items.sort();
        items
    };
    let both = ["Hydrocodone/APAP 10/325mg #60", "Norco 10/325mg #90"];
    assert_eq!(items("hydrocodone"), both);
    assert_eq!(items("Norco"), both);
    assert_eq!(items("drug:hydrocodone"), both);
    assert_eq!(items("tramadol"), ["Ultram 50mg #60"]);
    let (_, v) = search(dir.path(), &index, &["Norco"]);
    let matched: Vec<&Value> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["matched_drugs"])
        .collect();
    assert_eq!(
        matched,
        [
            &serde_json::json!(["acetaminophen", "hydrocodone"]),
            &serde_json::json!(["acetaminophen", "hydrocodone"])
        ]
    );
}

#[test]
fn pages_of_hits_follow_one_order_ties_included() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    // Many decisions tie on this query's score.
    let (_, all) = search(dir.path(), &index, &["NOT zzyzx", "--limit", "100"]);
    let all = refs(&all);
    assert_eq!(all.len(), 12);
    let paged: Vec<String> = (0..12)
        .flat_map(|offset| {
            let offset = offset.to_string();
            let (_, v) = search(
                dir.path(),
                &index,
                &["NOT zzyzx", "--limit", "1", "--offset", &offset],
            );
            refs(&v)
        })
        .collect();
    assert_eq!(paged, all);
}

/// A 2016-17 letter of the given decision blocks, each (title line,
/// rationale), every one citing the same basis.
fn letter_of(decisions: &[(&str, &str)]) -> String {
    let blocks: String = decisions
        .iter()
        .map(|(title, rationale)| {
            format!("{title}\nClaims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009.\nMAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Opioids.\nDecision rationale: {rationale}\n")
        })
        .collect();
    format!(
        "HOW THE IMR FINAL DETERMINATION WAS MADE\nState(s) of Licensure: California\nCertification(s)/Specialty: Family Practice\nCLINICAL CASE SUMMARY\nA 50 year old man with low back pain.\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n{blocks}"
    )
}

#[test]
fn categories_unplaced_items_and_unknown_drug_words() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    let text = letter_of(&[
        (
            "Norco 10/325mg #90: Upheld",
            "Not supported. The request is not medically necessary.",
        ),
        (
            "Frobozine 35mg #60: Upheld",
            "Not supported. The request is not medically necessary.",
        ),
        (
            "Frobozine 35mg #30 and Quuxaline cream: Upheld",
            "Not supported. The request is not medically necessary.",
        ),
    ]);
    std::fs::write(letters.join("a.txt"), text).unwrap();
    let index = dir.path().join("index");
    let r = run(imr(dir.path())
        .args(["ingest", "--json", "--quiet", "--index"])
        .arg(&index)
        .arg(&letters));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        report["unknown_drug_words"],
        serde_json::json!([
            {"word": "frobozine", "count": 2},
            {"word": "quuxaline", "count": 1},
        ])
    );
    let categories: Vec<(Value, Value, Value)> = export(dir.path(), &index)
        .into_iter()
        .map(|r| {
            (
                r["category"].clone(),
                r["subcategory"].clone(),
                r["drug_classes"].clone(),
            )
        })
        .collect();
    assert_eq!(
        categories,
        [
            (
                "Pharmaceuticals".into(),
                "Opioids".into(),
                serde_json::json!(["Opioids"])
            ),
            (Value::Null, Value::Null, serde_json::json!([])),
            (Value::Null, Value::Null, serde_json::json!([])),
        ]
    );
    let r = run(imr(dir.path()).arg("where").arg("--index").arg(&index));
    assert!(
        r.stdout.contains(
            "\ndecisions without a category: 2 (items the category table cannot place)\n"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn a_truncated_letter_makes_ingest_exit_1_and_is_listed() {
    let dir = temp();
    let text = letter_of(&[(
        "Norco 10/325mg #90: Upheld",
        "Opioids are not recommended beyond two weeks without documented",
    )]);
    let path = dir.path().join("cut.txt");
    std::fs::write(&path, text).unwrap();
    let r = ingest(
        dir.path(),
        &dir.path().join("index"),
        &[path.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        report["flagged"],
        serde_json::json!([{"path": path.display().to_string(), "flags": ["truncated"]}])
    );
    assert_eq!(report["decisions_indexed"], 1);
}

/// Letters written for the search tests of issue 19: their own summary,
/// items and rationales, in a temp folder; the index built from them.
fn search_letters(dir: &Path) -> PathBuf {
    let letters = dir.join("letters");
    std::fs::create_dir(&letters).unwrap();
    let with_summary = |summary: &str, dated: &str, decisions: &[(&str, &str)]| {
        let text = letter_of(decisions).replace("A 50 year old man with low back pain.", summary);
        format!("Decision Date: {dated}\n{text}")
    };
    let write = |name: &str, text: String| std::fs::write(letters.join(name), text).unwrap();
    write(
        "a.txt",
        with_summary(
            "Prior treatment included acupuncture and chiropractic care.",
            "12/20/2016",
            &[
                (
                    "Lidoderm patches #30: Upheld",
                    "She has tried Lyrica without benefit. The request is not medically necessary.",
                ),
                (
                    "Omeprazole 20mg #60: Overturned",
                    "She takes Norco daily and has dyspepsia. The request is medically necessary.",
                ),
            ],
        ),
    );
    write(
        "b.txt",
        with_summary(
            "A 40 year old woman with knee pain.",
            "03/01/2017",
            &[
                (
                    "Acupuncture x 6: Overturned",
                    "Acupuncture may be used as an option. The request is medically necessary.",
                ),
                (
                    "Tramadol 50mg #60: Upheld",
                    "She takes acetaminophen as needed. The request is not medically necessary.",
                ),
            ],
        ),
    );
    let index = dir.join("index");
    let r = ingest(dir, &index, &[letters.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    index
}

#[test]
fn a_decision_matches_by_its_own_words_and_drug_names_reach_the_rationale() {
    let dir = temp();
    let index = search_letters(dir.path());
    let found = |args: &[&str]| {
        let (r, v) = search(dir.path(), &index, args);
        (r.code, sorted(refs(&v)), v["total"].clone())
    };
    // The summary of a.txt names acupuncture; its decisions do not.
    assert_eq!(found(&["acupuncture"]), (0, vec!["b#1".into()], 1.into()));
    assert_eq!(
        found(&["summary:acupuncture"]),
        (0, vec!["a#1".into(), "a#2".into()], 2.into())
    );
    // Lyrica in a rationale, found by its generic; Norco by its brand, not
    // by an ingredient's name alone.
    assert_eq!(found(&["pregabalin"]), (0, vec!["a#1".into()], 1.into()));
    assert_eq!(
        found(&["drug:pregabalin"]),
        (0, vec!["a#1".into()], 1.into())
    );
    assert_eq!(found(&["norco"]), (0, vec!["a#2".into()], 1.into()));
    assert_eq!(found(&["hydrocodone"]), (0, vec!["a#2".into()], 1.into()));
    assert_eq!(
        found(&["acetaminophen"]),
        (0, vec!["a#2".into(), "b#2".into()], 2.into())
    );
}

#[test]
fn filter_only_search_categories_classes_and_sort() {
    let dir = temp();
    let index = search_letters(dir.path());
    // Ties in score come in index order, which differs from one ingest
    // to the next: compared sorted, but where sorted by date.
    let found = |args: &[&str]| {
        let (r, v) = search(dir.path(), &index, args);
        (r.code, sorted(refs(&v)))
    };
    assert_eq!(
        found(&["--outcome", "overturned"]),
        (0, vec!["a#2".into(), "b#1".into()])
    );
    assert_eq!(found(&["*", "--drug", "tramadol"]), (0, vec!["b#2".into()]));
    assert_eq!(
        found(&["--category", "Pharmaceuticals"]),
        (0, vec!["a#1".into(), "a#2".into(), "b#2".into()])
    );
    assert_eq!(
        found(&["--category", "ACUPUNCTURE"]),
        (0, vec!["b#1".into()])
    );
    assert_eq!(found(&["category:rehabilitation"]), (0, vec!["b#1".into()]));
    assert_eq!(found(&["--class", "opioids"]), (0, vec!["b#2".into()]));
    assert_eq!(
        found(&["class:\"proton pump inhibitors\""]),
        (0, vec!["a#2".into()])
    );
    // b.txt is dated 2017-03-01, a.txt 2016-12-20: by date, each way.
    let dated = |sort: &str| refs(&search(dir.path(), &index, &["*", "--sort", sort]).1);
    assert_eq!(dated("newest"), ["b#1", "b#2", "a#1", "a#2"]);
    assert_eq!(dated("oldest"), ["a#1", "a#2", "b#1", "b#2"]);
    let (r, v) = search(
        dir.path(),
        &index,
        &["*", "--facets", "category,class", "--limit", "0"],
    );
    assert_eq!(r.code, 0);
    assert_eq!(
        v["facets"],
        serde_json::json!({
            "category": {"Pharmaceuticals": 3, "Rehabilitation": 1},
            "class": {"Opioids": 1, "Proton Pump Inhibitors": 1, "Topical Analgesics": 1},
        })
    );
    let r = run(imr(dir.path()).args(["search", "--index"]).arg(&index));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("give a query"), "{}", r.stderr);
}

/// `imr show ARGS` on `index`.
fn show(dir: &Path, index: &Path, args: &[&str]) -> Run {
    run(imr(dir).arg("show").arg("--index").arg(index).args(args))
}

/// A letter's id (the hash `show --format json` gives as `letter`) names
/// it as its path does, with or without `#N`; any case.
#[test]
fn show_takes_a_letters_id() {
    let dir = temp();
    let index = all_letters(dir.path());
    let by_path = show(dir.path(), &index, &["003#6"]);
    let by_id = show(dir.path(), &index, &["a45f54df42937b01#6"]);
    assert_eq!(by_id.code, 0, "{}", by_id.stderr);
    assert_eq!(by_id.stdout, by_path.stdout);
    let upper = show(dir.path(), &index, &["A45F54DF42937B01"]);
    assert_eq!(upper.stdout, show(dir.path(), &index, &["003"]).stdout);
    let unknown = show(dir.path(), &index, &["0000000000000000#1"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("`0000000000000000#1`: no letter in the index"),
        "{}",
        unknown.stderr
    );
}

/// A letter named without `#N` is shown whole: its header once, then each
/// decision in order, each with its own citation line.
#[test]
fn show_prints_a_whole_letter() {
    let dir = temp();
    let index = all_letters(dir.path());
    let r = show(dir.path(), &index, &["003"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "Letter      data/letters/003_7836691e6d3f4cd1.txt",
            "Reviewer    Physical Medicine and Rehabilitation; licensed in California",
            "Decisions   6",
            ""
        ]
    );
    let starting = |prefix: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|l| l.starts_with(prefix))
            .copied()
            .collect()
    };
    let source = "data/letters/003_7836691e6d3f4cd1.txt";
    let decisions: Vec<String> = (1..=6)
        .map(|n| format!("Decision    {source}#{n}"))
        .collect();
    assert_eq!(starting("Decision    "), decisions);
    assert_eq!(
        starting("Item        "),
        [
            "Item        Acupuncture two (2) times a week for four (4) weeks",
            "Item        Terocin",
            "Item        Dendracin",
            "Item        Cymbalta",
            "Item        Omeprazole",
            "Item        Flexeril"
        ]
    );
    assert_eq!(starting("Cite as").len(), 6);
    assert_eq!(starting("Reviewer    ").len(), 1);
    assert!(r.stdout.contains(&format!(
        "  IMR Final Determination {source}, decision 6 (Cal. Div. Workers' Comp., undated) (upholding the denial of \"Flexeril\"; citing MTUS Chronic Pain Medical Treatment Guidelines, Cyclobenzaprine, pp. 41, 64)\n"
    )));

    let r = show(dir.path(), &index, &["CM17-0019120"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[..10],
        [
            "Letter      data/real/txt/CM17-0019120.txt",
            "Case number CM17-0019120",
            "Dated       2017-02-24",
            "Assigned    2017-01-31",
            "Injured     2016-11-09",
            "UR decision 2017-01-25",
            "Received    2017-01-30",
            "Reviewer    Family Practice; licensed in New Jersey",
            "Decisions   2",
            "",
        ]
    );
    assert_eq!(
        lines[10..13],
        [
            "Decision    data/real/txt/CM17-0019120.txt#1",
            "Item        Six physical therapy sessions two times a week for three weeks for the neck, left trapezius and low back",
            "Outcome     upheld (the denial stands: not medically necessary)",
        ]
    );
    let items: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("Item "))
        .copied()
        .collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[1],
        "Item        MRI of the right knee without contrast"
    );
    assert!(
        !lines
            .iter()
            .any(|l| l.starts_with("Case number") && *l != lines[1])
    );
}

#[test]
fn show_a_letter_as_json() {
    let dir = temp();
    let index = all_letters(dir.path());
    let r = show(dir.path(), &index, &["CM17-0019120", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("one JSON object");
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        sorted(keys.iter().map(|k| (*k).to_owned()).collect()),
        ["case_number", "cover", "decisions", "reviewer", "source"]
    );
    assert_eq!(v["source"], "data/real/txt/CM17-0019120.txt");
    assert_eq!(v["case_number"], "CM17-0019120");
    assert_eq!(v["cover"]["dated"], "2017-02-24");
    assert_eq!(v["reviewer"]["specialty"], "Family Practice");
    let decisions = v["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(
        decisions[1]["item"],
        "MRI of the right knee without contrast"
    );
    assert_eq!(
        decisions[1]["reference"],
        "data/real/txt/CM17-0019120.txt#2"
    );
    let r = show(dir.path(), &index, &["003", "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).expect("one JSON object");
    assert_eq!(v["decisions"].as_array().unwrap().len(), 6);
    assert_eq!(v["case_number"], Value::Null);
}

#[test]
fn show_of_an_unknown_or_ambiguous_letter_exits_2() {
    let dir = temp();
    let index = all_letters(dir.path());
    let r = show(dir.path(), &index, &["nosuch"]);
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (
            2,
            "",
            "imr: `nosuch`: no letter in the index has this path, case number or file name\n"
        )
    );
    let r = show(dir.path(), &index, &["00"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("imr: `00` names 5 letters: data/letters/000_e9bf73e65e666cd1.txt, "),
        "{}",
        r.stderr
    );
    let r = show(dir.path(), &index, &["003#9"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no decision 9"), "{}", r.stderr);
}

#[test]
fn a_word_that_finds_nothing_gets_a_suggestion() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let r = run(imr(dir.path())
        .args(["search", "tramadl", "--index"])
        .arg(&index));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr,
        "imr: no decisions match \"tramadl\"; did you mean \"tramadol\"?\n"
    );
    let (r, v) = search(dir.path(), &index, &["acupunture OR dendracn"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        v["suggestions"],
        serde_json::json!([
            {"word": "acupunture", "suggestion": "acupuncture"},
            {"word": "dendracn", "suggestion": "dendracin"},
        ])
    );
    let (r, v) = search(dir.path(), &index, &["acupuncture"]);
    assert_eq!(
        (r.code, v["suggestions"].clone()),
        (0, serde_json::json!([]))
    );
}

/// Every excerpt of every decision of `data/` is whole sentences of its
/// rationale: for a filter-only search (the conclusion) and for words.
#[test]
fn excerpts_start_and_end_at_sentence_bounds() {
    let dir = temp();
    let index = all_letters(dir.path());
    for query in [
        "*",
        "recommended",
        "MRI OR acupuncture",
        "drug:capsaicin",
        "item:therapy",
    ] {
        let (r, v) = search(dir.path(), &index, &[query, "--limit", "100"]);
        assert_eq!(r.code, 0, "{query}");
        for hit in v["hits"].as_array().unwrap() {
            let rationale = hit["rationale"].as_str().unwrap();
            let spans = imr::sentence::spans(rationale);
            let starts: Vec<usize> = spans.iter().map(|s| s.0).collect();
            let ends: Vec<usize> = spans.iter().map(|s| s.1).collect();
            for piece in hit["excerpt"].as_str().unwrap().split(" … ") {
                let at = rationale.find(piece).unwrap_or_else(|| {
                    panic!(
                        "{query}: {} excerpt not in its rationale: {piece}",
                        short(hit)
                    )
                });
                assert!(
                    starts.contains(&at),
                    "{query}: {}: starts mid-sentence: {piece}",
                    short(hit)
                );
                assert!(
                    ends.contains(&(at + piece.len())),
                    "{query}: {}: ends mid-sentence: {piece}",
                    short(hit)
                );
            }
        }
    }
}
