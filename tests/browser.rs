//! The pages in a real browser: Debian's headless Chromium loads them from
//! `imr serve`, runs their script, and gives back the DOM and a
//! screenshot. Skipped, with a note, only where /usr/bin/chromium is
//! missing and IMR_REQUIRE_BROWSER is unset (CI sets it).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::web::Server;
use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether the browser is here; a missing one fails the test when
/// IMR_REQUIRE_BROWSER is set.
fn browser() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    assert!(
        std::env::var_os("IMR_REQUIRE_BROWSER").is_none(),
        "IMR_REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install -y chromium chromium-driver"
    );
    println!("skipped: {CHROMIUM} is missing (apt-get install -y chromium)");
    false
}

/// Headless Chromium with `args`, its profile in `profile`, for at most a
/// minute: its stdout.
fn chromium(profile: &Path, args: &[&str]) -> String {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("chromium").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium ran over a minute: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("chromium's output");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn server(dir: &Path) -> Server {
    let index = dir.join("index");
    ingest(dir, &index, &["data/letters", "data/real/txt"]);
    Server::start(dir, &index)
}

#[test]
fn the_search_page_in_a_browser_has_hits_and_facets() {
    if !browser() {
        return;
    }
    let dir = temp();
    let server = server(dir.path());
    let url = server.url("/search?q=acupuncture");
    let dom = chromium(&dir.path().join("profile"), &["--dump-dom", &url]);
    assert_eq!(dom.matches("<li class=\"hit\">").count(), 2, "{dom}");
    assert!(
        dom.contains("<strong>2 matching decisions</strong>"),
        "{dom}"
    );
    assert!(dom.contains("<aside class=\"facets\""), "{dom}");
    assert!(dom.contains("<h2>Outcome</h2>"), "{dom}");
    assert!(dom.contains("<mark>"), "{dom}");
    // A screenshot to look at: target/tmp/web-search.png.
    let shot: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-search.png");
    let _ = std::fs::remove_file(&shot);
    chromium(
        &dir.path().join("profile"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1000",
            &url,
        ],
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 20_000, "a blank page? {} bytes", png.len());
}

#[test]
fn the_decision_pages_script_shows_its_copy_button() {
    if !browser() {
        return;
    }
    let dir = temp();
    let server = server(dir.path());
    let url = server.url("/decision?ref=CM17-0019120%232");
    let dom = chromium(&dir.path().join("profile"), &["--dump-dom", &url]);
    // Served hidden; the script shows it.
    assert!(
        dom.contains("<button type=\"button\" class=\"copy\" data-copy=\"cite-2\">Copy</button>"),
        "{dom}"
    );
    assert!(dom.contains("IMR Final Determination No. CM17-0019120, decision 2"));
}
