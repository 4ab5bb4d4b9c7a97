//! The binary run by a user whom file permissions bind: as root, the tests
//! run it as `nobody`, so that a folder made read-only or a file made
//! unreadable is so for it too.

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::{Run, export_by, in_home, ingest_by, search_by};

/// Who runs the binary when the tests run as root, who reads and writes
/// whatever the permissions say: `nobody`, whom they bind.
const NOBODY: u32 = 65534;

/// The binary, run from the crate root with a home that holds no index.
/// As root, it runs as `nobody`, so that a folder made read-only or a
/// file made unreadable is so for it too.
pub fn imr(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_imr"));
    setup(&mut cmd, home);
    cmd
}

/// The binary with every file it writes limited to `blocks` × 512 bytes:
/// a disk that fills up. SIGXFSZ is ignored, so a write past the limit
/// fails (EFBIG) as one on a full disk does (ENOSPC).
pub fn imr_on_a_small_disk(home: &Path, blocks: u32) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_imr"));
    setup(&mut cmd, home);
    cmd
}

fn setup(cmd: &mut Command, home: &Path) {
    in_home(cmd, home);
    if is_root() {
        cmd.uid(NOBODY).gid(NOBODY);
    }
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A temporary folder the binary may write in, whoever runs it.
pub fn temp() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    hand_over(dir.path());
    dir
}

/// Makes `path`, and what a folder holds, the binary's user's, as files
/// the tests make are their own.
pub fn hand_over(path: &Path) {
    if !is_root() {
        return;
    }
    std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).expect("chown");
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("folder") {
            hand_over(&entry.expect("entry").path());
        }
    }
}

/// `imr ingest --json` of `paths` into `index`: exit code and report.
pub fn ingest(home: &Path, index: &Path, paths: &[PathBuf]) -> (Run, Value) {
    ingest_by(imr(home), index, paths)
}

/// Every record of the index; the export must succeed.
pub fn export(home: &Path, index: &Path) -> Vec<Value> {
    export_by(imr(home), index)
}

/// `imr search --format json` on `index`.
pub fn search(home: &Path, index: &Path, args: &[&str]) -> (Run, Value) {
    search_by(imr(home), index, args)
}

/// The index of the five seed letters, in `home`.
pub fn seed_index(home: &Path) -> PathBuf {
    let index = home.join("index");
    let (r, report) = ingest(home, &index, &[PathBuf::from("data/letters")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(report["decisions_indexed"], 12);
    index
}
