//! Hostile PDFs, each ingested beside two good letters through the real
//! binary: the PDF is read in a worker process, so a file that overflows
//! the stack, exhausts memory or never ends costs its worker only. The
//! ingest ends (exit 1) within a minute, the bad file is listed as
//! skipped with its cause, and the good letters' records are those they
//! give alone. The files are built at test time (`common::hostile_pdf`).

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::bound::{export, imr, temp};
use common::{Run, run};
use serde_json::Value;

const GOOD: [&str; 2] = [
    "data/real/txt/CM16-0224814.txt",
    "data/letters/000_e9bf73e65e666cd1.txt",
];

/// `imr ingest --json` of `paths` with `flags`: the run, its report and
/// how long it took.
fn ingest(home: &Path, index: &Path, flags: &[&str], paths: &[PathBuf]) -> (Run, Value, Duration) {
    let started = Instant::now();
    let mut cmd = imr(home);
    cmd.arg("ingest")
        .arg("--index")
        .arg(index)
        .arg("--json")
        .args(flags)
        .args(paths);
    let r = run(&mut cmd);
    let took = started.elapsed();
    let report = serde_json::from_str(&r.stdout).unwrap_or(Value::Null);
    (r, report, took)
}

/// Ingests `bad` (named `name`) beside the two good letters, with
/// `flags`, and checks the batch: exit 1, done within 60 s, the good
/// letters indexed whole, `bad` skipped. Returns the reason given.
fn skipped_beside_good_letters(name: &str, bad: &[u8], flags: &[&str]) -> String {
    let dir = temp();
    let good = dir.path().join("good");
    std::fs::create_dir_all(&good).expect("mkdir");
    for path in GOOD {
        let to = good.join(Path::new(path).file_name().expect("a name"));
        std::fs::copy(path, to).expect("copy");
    }
    let bad_path = dir.path().join(name);
    std::fs::write(&bad_path, bad).expect("write");
    common::bound::hand_over(dir.path());

    let alone = dir.path().join("alone");
    let (r, _, _) = ingest(dir.path(), &alone, flags, std::slice::from_ref(&good));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let expected = export(dir.path(), &alone);
    assert!(expected.len() > 2, "{expected:?}");

    let index = dir.path().join("index");
    let (r, report, took) = ingest(dir.path(), &index, flags, &[good, bad_path.clone()]);
    assert!(took < Duration::from_secs(60), "{name}: took {took:?}");
    assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
    assert_eq!(r.stderr, "", "{name}");
    assert_eq!(report["files"], 3, "{name}");
    assert_eq!(report["letters_indexed"], 2, "{name}");
    let skipped = report["skipped"].as_array().expect("skipped");
    assert_eq!(skipped.len(), 1, "{name}: {skipped:?}");
    assert_eq!(skipped[0]["path"], bad_path.display().to_string());
    assert_eq!(export(dir.path(), &index), expected, "{name}");
    skipped[0]["reason"].as_str().expect("a reason").to_owned()
}

/// Flags for a file that exhausts memory: a lower limit than the default
/// (1 GiB) is reached sooner in a debug build.
const LOW_MEMORY: [&str; 2] = ["--pdf-memory", "256"];

#[test]
fn a_form_that_draws_itself_crashes_its_worker_only() {
    let reason =
        skipped_beside_good_letters("form.pdf", &common::hostile_pdf::self_drawing_form(), &[]);
    assert_eq!(reason, "PDF reader crashed (signal 6: stack overflow)");
}

#[test]
fn an_inflation_bomb_runs_its_worker_out_of_memory() {
    let bomb = common::hostile_pdf::inflation_bomb(4);
    assert!(bomb.len() < 16 * 1024, "{} bytes", bomb.len());
    let reason = skipped_beside_good_letters("bomb.pdf", &bomb, &LOW_MEMORY);
    assert_eq!(reason, "PDF reader ran out of memory (limit 256 MiB)");
}

#[test]
fn a_character_map_spanning_every_code_runs_its_worker_out_of_memory() {
    let reason = skipped_beside_good_letters(
        "cmap.pdf",
        &common::hostile_pdf::huge_cmap_range(),
        &LOW_MEMORY,
    );
    assert_eq!(reason, "PDF reader ran out of memory (limit 256 MiB)");
}

#[test]
fn a_file_that_never_ends_is_stopped_at_the_timeout() {
    let pdf = common::hostile_pdf::repeated_cmap_range();
    assert!(pdf.len() < 64 * 1024, "{} bytes", pdf.len());
    let started = Instant::now();
    let reason = skipped_beside_good_letters("endless.pdf", &pdf, &["--pdf-timeout", "5"]);
    assert_eq!(reason, "PDF reader took longer than 5 s");
    // The alone ingest and the batch, the batch held up 5 s.
    assert!(started.elapsed() >= Duration::from_secs(5));
}

/// Its own parent: an endless loop in an optimised build, a stack
/// overflow in a debug one (the recursion is not made a loop).
#[test]
fn a_page_that_is_its_own_parent_costs_its_worker_only() {
    let reason = skipped_beside_good_letters(
        "cycle.pdf",
        &common::hostile_pdf::page_tree_cycle(),
        &["--pdf-timeout", "5"],
    );
    assert!(
        [
            "PDF reader crashed (signal 6: stack overflow)",
            "PDF reader took longer than 5 s"
        ]
        .contains(&reason.as_str()),
        "{reason}"
    );
}

/// Harmless to pdf-extract 0.12: lopdf bounds its parser's nesting (100
/// levels), and the panic that follows is caught: the file is read as
/// damaged.
#[test]
fn arrays_nested_fifty_thousand_deep_are_read_as_damaged() {
    let reason = skipped_beside_good_letters(
        "nested.pdf",
        &common::hostile_pdf::deep_nesting(50_000),
        &[],
    );
    assert_eq!(reason, "PDF with no extractable text: damaged PDF");
}

#[test]
fn a_pdf_drawing_more_text_than_any_letter_holds_is_skipped() {
    let reason = skipped_beside_good_letters(
        "wordy.pdf",
        &common::hostile_pdf::form_drawn_many_times(12_000),
        &[],
    );
    assert!(
        reason.starts_with("too much text: ") && reason.ends_with("more than 1048576 (1 MiB)"),
        "{reason}"
    );
}
