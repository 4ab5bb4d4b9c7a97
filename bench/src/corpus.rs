//! The letters measured: generated corpora cached under
//! `target/bench-corpus/` by seed and count, and the real PDFs copied.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use imr_generate as generate;

/// The generator's seed for every corpus.
pub const SEED: u64 = 2013;

/// A folder of letters: how many, and their bytes.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub dir: PathBuf,
    pub letters: u64,
    pub bytes: u64,
}

/// The project's root (the `imr` package).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The target folder: this binary runs from `target/release/`.
pub fn target_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe().context("the benchmark's own path")?;
    exe.ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .context("the benchmark does not run from target/<profile>/")
}

/// The release `imr` binary, built first when cargo runs this benchmark.
pub fn imr_binary(target: &Path) -> Result<PathBuf> {
    if let Some(cargo) = std::env::var_os("CARGO") {
        eprintln!("building the release imr binary");
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "imr", "--manifest-path"])
            .arg(root().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", target)
            .status()
            .context("cannot run cargo build")?;
        ensure!(status.success(), "cargo build --release --bin imr failed");
    }
    let bin = target.join("release").join("imr");
    ensure!(
        bin.is_file(),
        "{} is missing: build it with `cargo build --release --bin imr`",
        bin.display()
    );
    Ok(bin)
}

/// Generated letters `0..count` under `cache` (`target/bench-corpus`
/// unless `--cache` names another folder), written once and reused while
/// the generator still writes the same bytes.
pub fn generated(cache: &Path, count: u64) -> Result<Corpus> {
    ensure!(count > 0, "--letters takes counts above zero");
    let root = cache.join(format!("seed{SEED}-{count}"));
    let dir = root.join("letters");
    let marker = root.join("complete");
    if let Some(bytes) = cached_bytes(&marker, &dir, count) {
        return Ok(Corpus {
            dir,
            letters: count,
            bytes,
        });
    }
    eprintln!("generating {count} letters under {}", dir.display());
    let _ = std::fs::remove_dir_all(&root);
    let stats = generate::write_corpus(&dir, count, SEED)
        .with_context(|| format!("writing letters under {}", dir.display()))?;
    std::fs::write(&marker, stats.bytes.to_string())
        .with_context(|| format!("writing {}", marker.display()))?;
    Ok(Corpus {
        dir,
        letters: count,
        bytes: stats.bytes,
    })
}

/// The byte count of a complete cached corpus whose first, middle and
/// last letters are what the generator writes now.
fn cached_bytes(marker: &Path, dir: &Path, count: u64) -> Option<u64> {
    let bytes = std::fs::read_to_string(marker).ok()?.trim().parse().ok()?;
    let current = [0, count / 2, count - 1].iter().all(|&n| {
        std::fs::read(generate::corpus_path(dir, n))
            .is_ok_and(|b| b == generate::letter(SEED, n).bytes)
    });
    current.then_some(bytes)
}

/// The real PDFs of `data/real/pdf`, each copied `copies` times with a
/// distinct trailing comment so that every copy is a letter of its own.
pub fn pdfs(target: &Path, copies: usize) -> Result<Corpus> {
    let source = root().join("data").join("real").join("pdf");
    let dir = target.join("bench-corpus").join(format!("pdf-x{copies}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let originals: Vec<PathBuf> = files(&source)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    if originals.is_empty() {
        bail!("no PDFs under {}", source.display());
    }
    let (mut letters, mut bytes) = (0, 0);
    for pdf in &originals {
        let original = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
        let stem = pdf.file_stem().and_then(|s| s.to_str()).unwrap_or("letter");
        for k in 0..copies {
            let mut copy = original.clone();
            copy.extend_from_slice(format!("\n%imr-bench copy {k}\n").as_bytes());
            let path = dir.join(format!("{stem}-{k:03}.pdf"));
            std::fs::write(&path, &copy).with_context(|| format!("writing {}", path.display()))?;
            letters += 1;
            bytes += copy.len() as u64;
        }
    }
    Ok(Corpus {
        dir,
        letters,
        bytes,
    })
}

/// Every file under `dir`, in path order.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Calls `visit` with every file under `dir`, in no order, listing no
/// more than a folder at a time: the benchmark's own memory stays small,
/// and with it what a child's peak RSS counts of it (a child shares the
/// benchmark's memory until it runs its program).
fn each_file(dir: &Path, visit: &mut impl FnMut(&Path)) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            each_file(&path, visit);
        } else {
            visit(&path);
        }
    }
}

/// Bytes of a file, or of every file under a folder.
pub fn size_of(path: &Path) -> u64 {
    if path.is_file() {
        return path.metadata().map_or(0, |m| m.len());
    }
    let mut bytes = 0;
    each_file(path, &mut |p| bytes += p.metadata().map_or(0, |m| m.len()));
    bytes
}

/// Reads every file once so that each system starts from a warm page cache.
pub fn warm(dir: &Path) {
    each_file(dir, &mut |p| {
        let _ = std::fs::read(p);
    });
}
