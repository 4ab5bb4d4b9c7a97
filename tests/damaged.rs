//! Damaged and foreign indexes, and writes that fail, through the real
//! binary: `search` and `export` exit 2 with one line naming the index
//! and what to do, `check` finds the damage, a failed ingest leaves the
//! last commit readable. Each case damages its own small index of the
//! seed letters.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::bound::{
    export, hand_over, imr, imr_on_a_small_disk, ingest, search, seed_index, temp,
};
use common::{Run, run};
use serde_json::Value;

const REBUILD: &str = "rebuild it with `imr ingest --index NEW_FOLDER LETTERS...`";

/// The extensions of a tantivy segment's files.
const SEGMENT_FILES: [&str; 6] = ["fast", "fieldnorm", "idx", "pos", "store", "term"];

fn segment_files(index: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(index)
        .expect("index folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} file in {}", index.display());
    files
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_str().unwrap().to_owned()
}

/// Exit 2, nothing on stdout, one line on stderr: the index cannot be
/// read, why (when given), and to rebuild it.
fn assert_refused(r: &Run, index: &Path, reason: Option<&str>) {
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "");
    let head = format!("imr: {} is not a readable imr index (", index.display());
    let tail = format!("); {REBUILD}\n");
    assert!(
        r.stderr.starts_with(&head) && r.stderr.ends_with(&tail),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    if let Some(reason) = reason {
        assert_eq!(r.stderr, format!("{head}{reason}{tail}"));
    }
}

/// As `assert_refused`, for `export`, which streams: the records read
/// before the damage may be on stdout, each a whole JSON line.
fn assert_refused_after_stream(r: &Run, index: &Path, reason: Option<&str>) {
    for line in r.stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("a whole record per line");
    }
    let stderr_only = Run {
        code: r.code,
        stdout: String::new(),
        stderr: r.stderr.clone(),
    };
    assert_refused(&stderr_only, index, reason);
}

fn search_terocin(home: &Path, index: &Path) -> Run {
    search(home, index, &["terocin"]).0
}

fn export_run(home: &Path, index: &Path) -> Run {
    run(imr(home).arg("export").arg("--index").arg(index))
}

fn check(home: &Path, index: &Path) -> Run {
    run(imr(home).arg("check").arg("--index").arg(index))
}

/// `search` and `export` both refuse the index, for `reason` when given.
fn assert_unreadable(home: &Path, index: &Path, reason: Option<&str>) {
    assert_refused(&search_terocin(home, index), index, reason);
    assert_refused_after_stream(&export_run(home, index), index, reason);
}

/// `check` says the index is not sound, and why.
fn assert_not_sound(home: &Path, index: &Path, problems: &str) {
    let r = check(home, index);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!(
            "imr: {}: not sound: {problems}; {REBUILD}\n",
            index.display()
        )
    );
}

fn xor(path: &Path, range: std::ops::Range<usize>) {
    let mut bytes = std::fs::read(path).expect("read");
    for b in &mut bytes[range] {
        *b ^= 0xFF;
    }
    std::fs::write(path, bytes).expect("write");
}

fn copy_index(from: &Path, to: &Path) {
    std::fs::create_dir(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("index folder") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).expect("copy");
    }
    hand_over(to);
}

#[test]
fn a_sound_index_passes_check() {
    let dir = temp();
    let index = seed_index(dir.path());
    let r = check(dir.path(), &index);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "{}: sound (12 files checked, 5 letters, 12 decisions, schema version 8)\n",
            index.display()
        )
    );
}

#[test]
fn a_segment_file_cut_short() {
    for ext in SEGMENT_FILES {
        let dir = temp();
        let index = seed_index(dir.path());
        let file = &segment_files(&index, ext)[0];
        let len = std::fs::metadata(file).expect("file").len();
        let f = std::fs::OpenOptions::new().write(true).open(file).unwrap();
        f.set_len(len / 2).expect("truncate");
        let damaged = format!("{} is damaged or cut short", file_name(file));
        assert_unreadable(dir.path(), &index, Some(&damaged));
        assert_not_sound(dir.path(), &index, &damaged);
    }
}

#[test]
fn a_deleted_segment_file() {
    let dir = temp();
    let index = seed_index(dir.path());
    let file = &segment_files(&index, "store")[0];
    std::fs::remove_file(file).expect("delete");
    let missing = format!("{} is missing", file.display());
    assert_unreadable(dir.path(), &index, Some(&missing));
    assert_not_sound(dir.path(), &index, &missing);
}

/// Stored documents overwritten with noise: tantivy's decompression
/// fails, on some bytes by panicking; either way the index is refused.
#[test]
fn stored_documents_overwritten() {
    let dir = temp();
    let index = seed_index(dir.path());
    let stores = segment_files(&index, "store");
    for store in &stores {
        let len = std::fs::metadata(store).unwrap().len() as usize;
        xor(store, len / 4..len / 2);
    }
    assert_unreadable(dir.path(), &index, None);
    let problems: Vec<String> = stores
        .iter()
        .map(|s| format!("{} is damaged (checksum mismatch)", file_name(s)))
        .collect();
    assert_not_sound(dir.path(), &index, &problems.join("; "));
}

/// Eight bytes flipped at an eighth, a quarter and half of every segment
/// file and in its footer, one place at a time: `check` names the file every time;
/// `search` and `export` either do not touch the damage or refuse the
/// index in one line — never a panic or an internal error.
#[test]
fn flipped_bytes_anywhere_in_any_segment_file() {
    let dir = temp();
    let pristine = seed_index(dir.path());
    let mut refused = 0;
    let mut runs = 0;
    for ext in SEGMENT_FILES {
        for file in segment_files(&pristine, ext) {
            let bytes = std::fs::read(&file).unwrap();
            let (len, body) = (bytes.len(), body_len(&bytes));
            // In the body, which the footer's checksum covers, and in the
            // footer itself.
            let body_damage = "is damaged (checksum mismatch)";
            let footer_damage = "is damaged or cut short";
            for (at, problem) in [
                (body / 8, body_damage),
                (body / 4, body_damage),
                (body / 2, body_damage),
                (len - 8, footer_damage),
            ] {
                let index = dir.path().join(format!("{}-{at}", file_name(&file)));
                copy_index(&pristine, &index);
                xor(&index.join(file.file_name().unwrap()), at..at + 8);
                let damaged = format!("{} {problem}", file_name(&file));
                assert_not_sound(dir.path(), &index, &damaged);
                for (r, streams) in [
                    (search_terocin(dir.path(), &index), false),
                    (export_run(dir.path(), &index), true),
                ] {
                    runs += 1;
                    match (r.code, streams) {
                        (0, _) => continue,
                        (_, true) => assert_refused_after_stream(&r, &index, None),
                        (_, false) => assert_refused(&r, &index, None),
                    }
                    refused += 1;
                }
            }
        }
    }
    assert_eq!(runs, 2 * 4 * 2 * SEGMENT_FILES.len());
    assert!(refused > 0, "no damage reached search or export");
}

/// The length of a tantivy file's body: what precedes its footer, a JSON
/// text (version, checksum) followed by its length and a magic number.
fn body_len(file: &[u8]) -> usize {
    let n = file.len();
    let json = u32::from_le_bytes(file[n - 8..n - 4].try_into().unwrap());
    n - 8 - json as usize
}

#[test]
fn meta_json_deleted_or_garbled() {
    let dir = temp();
    let index = seed_index(dir.path());
    std::fs::remove_file(index.join("meta.json")).expect("delete");
    let no_meta = "no meta.json: not an index";
    assert_unreadable(dir.path(), &index, Some(no_meta));
    assert_refused(&check(dir.path(), &index), &index, Some(no_meta));

    let index = dir.path().join("garbled");
    copy_index(&dir.path().join("index"), &index);
    std::fs::write(index.join("meta.json"), b"{\"segments\": [{\"segm").expect("write");
    assert_unreadable(dir.path(), &index, None);
    assert_refused(&check(dir.path(), &index), &index, None);
}

/// A copy of `pristine` at `name` with its meta.json edited.
fn edited(pristine: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let index = pristine.with_file_name(name);
    copy_index(pristine, &index);
    let path = index.join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut meta);
    std::fs::write(&path, serde_json::to_vec(&meta).unwrap()).expect("write");
    index
}

#[test]
fn an_index_of_another_schema() {
    let dir = temp();
    let pristine = seed_index(dir.path());
    let index = edited(&pristine, "v99", |meta| {
        let payload = meta["payload"].as_str().unwrap().to_owned();
        let mut payload: Value = serde_json::from_str(&payload).unwrap();
        payload["schema_version"] = 99.into();
        meta["payload"] = payload.to_string().into();
    });
    let why = "built with schema version 99; this imr reads version 8";
    assert_unreadable(dir.path(), &index, Some(why));
    assert_refused(&check(dir.path(), &index), &index, Some(why));
    let r = run(imr(dir.path())
        .args(["ingest", "--json", "--index"])
        .arg(&index)
        .arg("data/letters"));
    assert_refused(&r, &index, Some(why));

    let index = edited(&pristine, "no-payload", |meta| {
        meta["payload"] = Value::Null;
    });
    let why = "not written by imr (no schema version)";
    assert_unreadable(dir.path(), &index, Some(why));

    let index = edited(&pristine, "renamed-field", |meta| {
        let fields = meta["schema"].as_array_mut().unwrap();
        let item = fields.iter_mut().find(|f| f["name"] == "item").unwrap();
        item["name"] = "title".into();
    });
    let why = "its fields differ from this imr's schema";
    assert_unreadable(dir.path(), &index, Some(why));
}

#[test]
fn a_folder_that_is_not_an_index() {
    let dir = temp();
    let letters = dir.path().join("letters");
    std::fs::create_dir(&letters).unwrap();
    std::fs::copy(
        "data/letters/000_e9bf73e65e666cd1.txt",
        letters.join("a.txt"),
    )
    .unwrap();
    hand_over(&letters);
    assert_unreadable(dir.path(), &letters, Some("no meta.json: not an index"));
    let r = run(imr(dir.path())
        .args(["ingest", "--index"])
        .arg(&letters)
        .arg("data/letters"));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!(
            "imr: {} is not an imr index and holds other files: name a new or empty folder for the index\n",
            letters.display()
        )
    );
    let left: Vec<String> = std::fs::read_dir(&letters)
        .unwrap()
        .map(|e| file_name(&e.unwrap().path()))
        .collect();
    assert_eq!(left, ["a.txt"]);
}

/// An index on a read-only disk is searched as usual; an ingest into it
/// fails naming the cause and leaves it as it was.
#[test]
fn a_read_only_index_folder() {
    let dir = temp();
    let index = seed_index(dir.path());
    let before = export(dir.path(), &index);
    let (_, found) = search(dir.path(), &index, &["terocin"]);
    assert_eq!(found["total"], 1);
    set_modes(&index, 0o444, 0o555);

    let (r, v) = search(dir.path(), &index, &["terocin"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(v, found);
    assert_eq!(export(dir.path(), &index), before);
    assert_eq!(check(dir.path(), &index).code, 0);

    let (r, _) = ingest(dir.path(), &index, &[PathBuf::from("data/real/txt")]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!(
            "imr: cannot write to the index {}: permission denied; it keeps its last commit: make the folder and its files writable by you, then run `imr ingest` again\n",
            index.display()
        )
    );
    assert_eq!(export(dir.path(), &index), before);
    set_modes(&index, 0o644, 0o755);
}

/// Sets the mode of every file in `folder`, then of the folder.
fn set_modes(folder: &Path, files: u32, dir: u32) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(files)).unwrap();
    }
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(dir)).unwrap();
}

/// The disk fills up while the second ingest writes its segment: the
/// error names the cause and the first commit stays whole and readable.
#[test]
fn the_disk_fills_up_during_an_ingest() {
    let dir = temp();
    let index = seed_index(dir.path());
    let before = export(dir.path(), &index);
    // 8 KB a file: room for meta.json, not for the new segment's store.
    let r = run(imr_on_a_small_disk(dir.path(), 16)
        .args(["ingest", "--index"])
        .arg(&index)
        .arg("data/real/txt"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let head = format!("imr: cannot write to the index {} (", index.display());
    assert!(r.stderr.starts_with(&head), "{}", r.stderr);
    assert!(r.stderr.contains("File too large"), "{}", r.stderr);
    assert!(
        r.stderr.ends_with(
            "); it keeps its last commit: free disk space or fix the folder's permissions, then run `imr ingest` again\n"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1);
    assert_eq!(export(dir.path(), &index), before);
    assert_eq!(check(dir.path(), &index).code, 0);

    // With room again, the same ingest completes.
    let (r, report) = ingest(dir.path(), &index, &[PathBuf::from("data/real/txt")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(report["letters_indexed"], 20);
    assert_eq!(export(dir.path(), &index).len(), 12 + 33);
}

/// Two ingests started together on a new index, 20 times over: one writes
/// it, the other is told at once that another ingest, with its pid, is
/// writing it — never that the disk is full or the permissions wrong.
#[test]
fn of_two_ingests_started_together_one_is_told_the_other_is_writing() {
    use std::process::Stdio;
    let dir = temp();
    for round in 0..20 {
        let index = dir.path().join(format!("index-{round}"));
        let start = || {
            imr(dir.path())
                .args(["ingest", "--quiet", "--index"])
                .arg(&index)
                .arg("data/letters")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("imr starts")
        };
        let (first, second) = (start(), start());
        let pids = [first.id(), second.id()];
        let outs = [first, second].map(|c| c.wait_with_output().expect("imr ends"));
        let codes = outs.each_ref().map(|o| o.status.code());
        let (writer, refused) = match codes {
            [Some(0), Some(2)] => (0, 1),
            [Some(2), Some(0)] => (1, 0),
            _ => panic!(
                "round {round}: exit codes {codes:?}: {} / {}",
                String::from_utf8_lossy(&outs[0].stderr),
                String::from_utf8_lossy(&outs[1].stderr)
            ),
        };
        assert_eq!(
            String::from_utf8_lossy(&outs[refused].stderr),
            format!(
                "imr: another ingest (pid {}) is writing {}; wait for it to finish\n",
                pids[writer],
                index.display()
            ),
            "round {round}"
        );
        assert_eq!(outs[refused].stdout, b"");
    }
}

/// An index folder, or a file in it, its reader may not read: every
/// reading command says so, naming the index, not that it is damaged.
#[test]
fn an_index_it_may_not_read() {
    let dir = temp();
    let index = seed_index(dir.path());
    let denied = format!(
        "imr: permission denied reading {}: make the folder and its files readable by you\n",
        index.display()
    );
    let assert_denied = |r: &Run| {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str()),
            ("", denied.as_str())
        );
    };
    let store = segment_files(&index, "store").remove(0);
    for (what, mode) in [(&store, 0o000), (&index, 0o000), (&index, 0o600)] {
        std::fs::set_permissions(what, std::fs::Permissions::from_mode(mode)).unwrap();
        assert_denied(&search_terocin(dir.path(), &index));
        assert_denied(&export_run(dir.path(), &index));
        assert_denied(&check(dir.path(), &index));
        let back = if what.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(what, std::fs::Permissions::from_mode(back)).unwrap();
    }
    assert_eq!(check(dir.path(), &index).code, 0);
}

/// A small disk (a tmpfs of 1 MiB) fills up during an ingest: the error
/// says so, the index keeps its last commit, and the files of the commit
/// that failed are removed. Mounting needs root, which CI runs the tests
/// as; elsewhere the test says so and passes.
#[test]
fn a_full_disk_is_named_and_leaves_no_files_behind() {
    let dir = temp();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).expect("mkdir");
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs"])
        .arg(&disk)
        .output();
    if !mounted.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: mounting a small tmpfs needs root (CI runs the tests as root)");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&disk);
    let corpus = dir.path().join("letters");
    imr_generate::write_corpus(&corpus, 1200, 11).expect("corpus written");
    hand_over(&corpus);

    let index = disk.join("index");
    let r = run(imr(dir.path())
        .args(["ingest", "--quiet", "--commit-every", "100", "--index"])
        .arg(&index)
        .arg(&corpus));
    assert_eq!(
        r.stderr,
        format!(
            "imr: cannot write to the index {}: no space left on device; it keeps its last commit: free disk space, then run `imr ingest` again\n",
            index.display()
        )
    );
    assert_eq!(r.code, 2);

    // Nothing but the last commit's files.
    let meta: Value =
        serde_json::from_slice(&std::fs::read(index.join("meta.json")).expect("meta.json"))
            .expect("JSON");
    let segments: Vec<String> = meta["segments"]
        .as_array()
        .expect("segments")
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    assert!(!segments.is_empty(), "no commit before the disk filled");
    let own = [
        "meta.json",
        ".managed.json",
        ".tantivy-meta.lock",
        ".tantivy-writer.lock",
        ".imr-ingest.lock",
    ];
    for entry in std::fs::read_dir(&index).expect("index folder") {
        let name = file_name(&entry.expect("entry").path());
        let id = name.split('.').next().unwrap_or_default();
        assert!(
            own.contains(&name.as_str()) || segments.iter().any(|s| s == id),
            "{name} is not the last commit's"
        );
    }
    let r = check(dir.path(), &index);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!export(dir.path(), &index).is_empty());
}
