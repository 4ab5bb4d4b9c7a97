//! Hostile files in one batch with good letters, through the real binary:
//! every bad file is reported with its reason, every good letter is
//! indexed exactly as it would be alone, and is found by `imr search`.

mod common;

use std::path::{Path, PathBuf};

use common::SEEDS;
use common::bound::{export, ingest, search, temp};
use serde_json::Value;

/// Decisions in the letter that has one per title.
const TITLES: usize = 20_000;

fn seed(n: usize) -> Vec<u8> {
    std::fs::read(format!("data/letters/{}.txt", SEEDS[n])).expect("seed letter")
}

/// Seed 003 up to its decisions, then `TITLES` short decisions.
fn many_titles() -> String {
    let letter = String::from_utf8(seed(3)).expect("UTF-8");
    let head = &letter[..letter.find("Acupuncture two (2)").expect("first title")];
    let mut text = head.to_owned();
    for n in 1..=TITLES {
        text.push_str(&format!("Item {n}: Upheld\nDecision rationale: No.\n"));
    }
    text
}

/// Seed 003 cut off just after `marker` and `keep` more bytes.
fn cut(marker: &str, keep: usize) -> Vec<u8> {
    let letter = seed(3);
    let text = String::from_utf8_lossy(&letter);
    let at = text.find(marker).expect("marker in letter") + keep;
    letter[..at].to_vec()
}

/// Deterministic noise (a linear congruential generator).
fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x2545_f491;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect()
}

fn utf16_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// (path under `dir`, second field) of a report list's entries.
fn entries(list: &Value, dir: &Path, field: &str) -> Vec<(String, String)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|e| {
            let path = Path::new(e["path"].as_str().expect("path"));
            let rel = path.strip_prefix(dir).expect("under the folder");
            let value = match &e[field] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (rel.display().to_string(), value)
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

#[test]
fn a_batch_of_hostile_files_keeps_every_good_letter() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir_all(letters.join("sub")).expect("mkdir");

    // Good letters, each read as what it is whatever its name or encoding.
    let mut good: Vec<PathBuf> = (0..5)
        .map(|n| write(&letters, &format!("{}.txt", SEEDS[n]), &seed(n)))
        .collect();
    let real = std::fs::read_to_string("data/real/txt/CM16-0233794.txt").expect("real letter");
    good.push(write(&letters, "utf16.txt", &utf16_with_bom(&real)));
    let pdf = std::fs::read("data/real/pdf/CM16-0224814.pdf").expect("real PDF");
    good.push(write(&letters, "saved-as.txt", &pdf));
    good.push(write(
        &letters,
        "cut-title.txt",
        &cut("Terocin: Upheld", 11),
    ));
    good.push(write(
        &letters,
        "cut-rationale.txt",
        &cut("Decision rationale: California Medical", 60),
    ));
    // More decisions than any letter holds: skipped, not a flood.
    write(&letters, "many.txt", many_titles().as_bytes());

    // Bad files.
    write(&letters, "empty.txt", b"");
    write(&letters, "blank.txt", b"  \n\t\r\n   \n");
    write(&letters, "random.txt", &noise(4096));
    let mut nul = seed(2);
    nul.splice(400..400, [0u8, 0, 0]);
    write(&letters, "nul.txt", &nul);
    write(&letters, "long.txt", &vec![b'a'; 5 * 1024 * 1024]);
    std::os::unix::fs::symlink("..", letters.join("sub/loop")).expect("symlink");
    // A file that vanished between the listing and the read, made
    // deterministic as a link to nothing.
    std::os::unix::fs::symlink("deleted.txt", letters.join("gone.txt")).expect("symlink");
    let locked = write(
        &letters,
        "locked.txt",
        &std::fs::read("data/real/txt/CM16-0236969.txt").expect("real letter"),
    );
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");

    let index = dir.path().join("index");
    let (r, report) = ingest(dir.path(), &index, std::slice::from_ref(&letters));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    // The walk's problems come first, then the files' in name order.
    assert_eq!(
        entries(&report["skipped"], &letters, "reason"),
        pairs(&[
            ("gone.txt", "unreadable: gone: deleted, or a broken link"),
            ("sub/loop", "unreadable: symlink loop"),
            ("blank.txt", "empty"),
            ("empty.txt", "empty"),
            ("locked.txt", "unreadable: permission denied"),
            ("long.txt", "too large: 5242880 bytes, larger than 2 MB"),
            (
                "many.txt",
                "too many decisions: 20000, more than any letter holds (limit 50)",
            ),
            ("nul.txt", "not text (binary)"),
            ("random.txt", "not text (binary)"),
        ])
    );
    assert_eq!(
        entries(&report["flagged"], &letters, "flags"),
        pairs(&[
            ("cut-rationale.txt", r#"["truncated"]"#),
            ("cut-title.txt", r#"["truncated"]"#),
        ])
    );
    assert_eq!(report["files"], 16);
    assert_eq!(report["letters_indexed"], 9);
    assert_eq!(report["decisions_indexed"], 12 + 1 + 1 + 1 + 2);

    // Nothing lost: the good letters' records are those they give alone.
    let alone = dir.path().join("alone");
    let (r, _) = ingest(dir.path(), &alone, &good);
    // Exit 1: the two cut letters are flagged "truncated" here too.
    assert_eq!(r.code, 1, "{}", r.stdout);
    let expected = export(dir.path(), &alone);
    assert_eq!(expected.len(), 12 + 1 + 1 + 1 + 2);
    assert_eq!(export(dir.path(), &index), expected);

    // Every good letter is found by searching for its first item.
    for record in expected.iter().filter(|r| r["decision"] == 1) {
        let words: String = record["item"]
            .as_str()
            .unwrap()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let query = format!("item:\"{}\"", words.trim());
        let (r, v) = search(dir.path(), &index, &[&query, "--limit", "100"]);
        assert_eq!(r.code, 0, "{query}: {}", r.stderr);
        let found = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["source"] == record["source"] && h["decision"] == 1);
        assert!(found, "{} not found by {query}", record["source"]);
    }
    let (r, v) = search(dir.path(), &index, &["item:\"Item 19999\""]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(v["total"], 0);
}

/// A file deleted after the walk listed it: the read names it gone, and
/// the rest of the batch goes on.
#[test]
fn a_file_deleted_after_the_walk_is_reported_gone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kept = write(dir.path(), "kept.txt", &seed(0));
    let doomed = write(dir.path(), "doomed.txt", &seed(1));
    let found: Vec<_> = imr::read::walk(&[dir.path().to_path_buf()]).collect();
    assert_eq!(found, [Ok(doomed.clone()), Ok(kept.clone())]);
    std::fs::remove_file(&doomed).expect("delete");
    assert_eq!(
        imr::read::bytes(&doomed),
        Err(imr::read::Skip::Unreadable(
            "gone: deleted, or a broken link".into()
        ))
    );
    assert_eq!(imr::read::bytes(&kept), Ok(seed(0)));
}

/// Progress counts the files done against the files the walk has found
/// (it runs beside ingest), once a batch.
#[test]
fn progress_counts_up_to_the_files_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    for n in 0..600 {
        write(dir.path(), &format!("{n:04}.txt"), &seed(n % SEEDS.len()));
    }
    write(dir.path(), "notes.md", b"not a letter");
    let index = tempfile::tempdir().expect("temp dir");
    let calls = std::sync::Mutex::new(Vec::new());
    let progress = |done, found, _bytes| calls.lock().expect("lock").push((done, found));
    let paths = [dir.path().to_path_buf()];
    let report =
        imr::ingest::run(index.path(), &paths, Default::default(), &progress).expect("ingest");
    // The walk lists a folder whole before it sends its first path, and
    // sends them all while the first batch is read.
    assert_eq!(
        calls.into_inner().expect("lock"),
        [(256, 600), (512, 600), (600, 600)]
    );
    assert_eq!((report.files, report.letters_read), (600, 600));
}

/// Any string as a query ends in exit 0 (found), 1 (none found) or 2 (a
/// malformed query, said in one line with its column): never a panic or
/// an internal error.
#[test]
fn any_query_string_gets_an_answer() {
    let dir = temp();
    let index = common::bound::seed_index(dir.path());
    let words = |n: usize, join: &str| {
        let w: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
        w.join(join)
    };
    let nested = format!("{}terocin{}", "(".repeat(50), ")".repeat(50));
    // (query, exit code, matches when not 2)
    let cases: Vec<(String, i32, u64)> = [
        ("\"unbalanced", 2, 0),
        ("unbalanced\"", 2, 0),
        ("AND", 2, 0),
        ("OR", 2, 0),
        ("NOT", 2, 0),
        ("+", 2, 0),
        ("-", 2, 0),
        ("- *", 2, 0),
        ("*", 0, 12),
        ("(", 2, 0),
        (")", 2, 0),
        ("((terocin)", 2, 0),
        ("terocin))", 2, 0),
        ("terocin AND", 2, 0),
        ("OR terocin", 2, 0),
        ("terocin AND OR x", 2, 0),
        ("NOT NOT terocin", 0, 1),
        ("--terocin", 0, 1),
        ("\u{1}\u{2}\u{3}", 2, 0),
        ("\t\u{b}\u{c}\r", 2, 0),
        ("\u{1b}[31mterocin\u{1b}[0m", 1, 0),
        ("terocin\u{7f}", 0, 1),
        ("\u{202e}terocin", 0, 1),
        ("\u{200b}", 1, 0),
        ("😀", 1, 0),
        ("\"\"", 1, 0),
        ("t*", 0, 12),
        ("ñ*", 1, 0),
        ("page:99999999999999999999999", 2, 0),
        ("page:4294967296", 2, 0),
        ("page:-1", 2, 0),
        ("year:1e10", 2, 0),
        ("outcome:whatever", 2, 0),
        ("drug:", 2, 0),
        ("item:\"", 2, 0),
        ("terocin:", 2, 0),
    ]
    .into_iter()
    .map(|(q, code, total)| (q.to_owned(), code, total))
    .chain([
        (nested, 0, 1),
        ("terocin ".repeat(1_000), 0, 1),
        (words(1_000, " "), 1, 0),
        (words(1_000, " OR "), 1, 0),
        ("terocin ".repeat(10_000), 2, 0),
        (words(1_001, " OR "), 2, 0),
    ])
    .collect();
    for (query, code, total) in &cases {
        let shown: String = query.chars().take(40).collect();
        let (r, v) = search(dir.path(), &index, &[query]);
        assert_eq!(r.code, *code, "{shown:?}: {}", r.stderr);
        if *code == 2 {
            assert!(
                r.stderr.starts_with("imr: query: column "),
                "{shown:?}: {}",
                r.stderr
            );
            assert_eq!(r.stderr.lines().count(), 1, "{shown:?}: {}", r.stderr);
            assert_eq!(r.stdout, "");
        } else {
            assert_eq!(r.stderr, "", "{shown:?}");
            assert_eq!(v["total"], *total, "{shown:?}");
        }
    }
}

/// Queries nested past any person's writing, and windows past any index,
/// get an answer rather than a crash.
#[test]
fn deep_nesting_and_huge_windows_are_answered() {
    let dir = temp();
    let index = common::bound::seed_index(dir.path());
    let deep = format!("{}terocin{}", "(".repeat(2000), ")".repeat(2000));
    for query in [deep, format!("{}terocin", "NOT ".repeat(2000))] {
        let (r, _) = search(dir.path(), &index, &[&query]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("nested more than 100 levels deep"),
            "{}",
            r.stderr
        );
    }
    let (r, v) = search(dir.path(), &index, &["terocin", "--limit", "4000000000"]);
    assert_eq!((r.code, v["total"].as_u64()), (0, Some(1)), "{}", r.stderr);
    let (r, v) = search(
        dir.path(),
        &index,
        &["terocin", "--offset", "18446744073709551615"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(v["hits"], serde_json::json!([]));
}

/// Runs `cmd` to its end, failing the test were it still running after
/// `secs`: a FIFO opened for reading would block an ingest for ever.
fn run_within(cmd: &mut std::process::Command, secs: u64) -> common::Run {
    use std::process::Stdio;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("imr starts");
    let started = std::time::Instant::now();
    while child.try_wait().expect("status").is_none() {
        if started.elapsed().as_secs() >= secs {
            child.kill().expect("kill");
            panic!("still running after {secs} s: blocked opening a FIFO or device?");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Ingest reads regular files only, and follows a symlink only into the
/// folders and files given: a link to /etc/passwd or to a device, a FIFO,
/// a link to a folder elsewhere, are listed with the reason and never
/// opened; a FIFO or device named on the command line too.
#[test]
fn links_leaving_the_folders_and_special_files_are_listed_not_read() {
    let dir = temp();
    let letters = dir.path().join("letters");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&letters).expect("mkdir");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    write(&letters, "good.txt", &seed(0));
    write(&elsewhere, "other.txt", &seed(1));
    let link = |target: &Path, name: &str| {
        std::os::unix::fs::symlink(target, letters.join(name)).expect("symlink")
    };
    link(Path::new("/etc/passwd"), "passwd.txt");
    link(Path::new("/dev/zero"), "zero.txt");
    link(&elsewhere, "elsewhere");
    link(&elsewhere.join("other.txt"), "other.txt");
    // Inside the folder given: followed, and found the same letter.
    link(Path::new("good.txt"), "again.txt");
    mkfifo(&letters.join("fifo.txt"));
    // Not a letter's name: not looked at.
    mkfifo(&letters.join("notes.fifo"));
    let named = dir.path().join("named.fifo");
    mkfifo(&named);
    common::bound::hand_over(dir.path());

    let index = dir.path().join("index");
    let r = run_within(
        common::bound::imr(dir.path())
            .args(["ingest", "--json", "--index"])
            .arg(&index)
            .arg(&letters)
            .arg(&named)
            .arg("/dev/null"),
        60,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let report: Value = serde_json::from_str(&r.stdout).expect("JSON report");
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            let path = s["path"].as_str().unwrap();
            let path = path.replace(&dir.path().display().to_string(), "DIR");
            let reason = s["reason"].as_str().unwrap();
            (
                path,
                reason.replace(&dir.path().display().to_string(), "DIR"),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        pairs(&[
            (
                "DIR/letters/elsewhere",
                "symlink to DIR/elsewhere, outside the folders given"
            ),
            ("DIR/letters/fifo.txt", "not a regular file (FIFO)"),
            (
                "DIR/letters/other.txt",
                "symlink to DIR/elsewhere/other.txt, outside the folders given"
            ),
            (
                "DIR/letters/passwd.txt",
                "symlink to /etc/passwd, outside the folders given"
            ),
            (
                "DIR/letters/zero.txt",
                "symlink to /dev/zero, outside the folders given"
            ),
            ("DIR/named.fifo", "not a regular file (FIFO)"),
            ("/dev/null", "not a regular file (character device)"),
        ])
    );
    assert_eq!(report["letters_indexed"], 1);
    assert_eq!(
        report["duplicates"][0]["of"],
        letters.join("again.txt").display().to_string()
    );
    let sources: Vec<String> = export(dir.path(), &index)
        .iter()
        .map(|r| r["source"].as_str().unwrap().to_owned())
        .collect();
    let again = letters.join("again.txt").display().to_string();
    assert_eq!(sources, [again.as_str(), again.as_str()]);

    // The folder elsewhere named too: its letter is read, and the link
    // to it from the first folder with it.
    let index = dir.path().join("both");
    let (r, report) = ingest(dir.path(), &index, &[letters.clone(), elsewhere.clone()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(report["letters_indexed"], 2);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 3);
}

/// A query past the limits on its size, or a prefix standing for too many
/// words, is refused in one line naming the limit, before any search.
#[test]
fn queries_past_their_limits_are_refused_naming_them() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir_all(&letters).expect("mkdir");
    // A rationale of 1,500 distinct words: zq0000 to zq1499.
    let text = String::from_utf8(seed(0)).expect("UTF-8");
    let at = text.find("Decision rationale:").expect("rationale") + "Decision rationale:".len();
    let words: Vec<String> = (0..1500).map(|n| format!("zq{n:04}")).collect();
    let letter = format!("{} {}{}", &text[..at], words.join(" "), &text[at..]);
    write(&letters, "words.txt", letter.as_bytes());
    let index = dir.path().join("index");
    let (r, _) = ingest(dir.path(), &index, &[letters]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let refused = |query: &str, message: &str| {
        let (r, _) = search(dir.path(), &index, &[query]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stdout, "");
        assert_eq!(r.stderr, format!("imr: query: {message}\n"));
    };
    refused(
        "zq*",
        "column 1: the prefix \"zq*\" matches more than 1000 words; make it longer",
    );
    refused(
        "norco OR rationale:ZQ*",
        "column 10: the prefix \"ZQ*\" matches more than 1000 words; make it longer",
    );
    refused(
        &"a ".repeat(5_001),
        "column 10001: the query is longer than 10000 characters; shorten it",
    );
    refused(
        &"ab ".repeat(1_001),
        "column 3001: the query has more than 1000 words; use fewer",
    );
    // Within the limits: 612 words start with zq1, and a query of 1,000
    // prefixes is answered.
    for query in ["zq1*", &"zq1* ".repeat(1_000)] {
        let (r, v) = search(dir.path(), &index, &[query]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""));
        assert_eq!(v["total"], 1);
    }
}
