//! The pages in a real browser: Debian's headless Chromium, driven through
//! chromedriver (WebDriver), opens `/` from `imr serve`, types a query,
//! submits it, clicks an outcome facet, opens the first decision, copies
//! its "Cite as" line with the page's button and pastes it, as a person
//! would, and saves screenshots. Skipped, with a note, only where
//! chromium or chromedriver is missing and IMR_REQUIRE_BROWSER is unset
//! (CI sets it). With IMR_SCREENSHOTS=DIR the search page's screenshot
//! is also written to DIR: `IMR_SCREENSHOTS=docs cargo test --test
//! browser` makes the README's docs/search.png.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use common::web::Server;
use common::*;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser and its driver are here; missing ones fail the
/// test when IMR_REQUIRE_BROWSER is set.
fn browser() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    assert!(
        std::env::var_os("IMR_REQUIRE_BROWSER").is_none(),
        "IMR_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver"
    );
    println!(
        "skipped: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install -y chromium chromium-driver)"
    );
    false
}

/// chromedriver on a free port of localhost, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen on port {port} within 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// A headless Chromium session, its profile in `profile`.
    async fn session(&self, profile: &Path, script: Script) -> Client {
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--hide-scrollbars",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        if script == Script::Off {
            options["args"]
                .as_array_mut()
                .expect("args")
                .push(json!("--blink-settings=scriptEnabled=false"));
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

/// Whether pages run their script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    On,
    Off,
}

fn server(dir: &Path) -> Server {
    let index = dir.join("index");
    ingest(dir, &index, &["data/letters", "data/real/txt"]);
    Server::start(dir, &index)
}

/// Runs `test` on a runtime of its own, for at most two minutes.
fn within_two_minutes(test: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(async {
            tokio::time::timeout(Duration::from_secs(120), test)
                .await
                .expect("the browser test ran over two minutes")
        });
}

/// Where a screenshot goes besides the test's target folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// $IMR_SCREENSHOTS too, when set: the README's pictures.
    InReadme,
    TestOnly,
}

/// The page's screenshot as `name`, in the test's target folder (and
/// $IMR_SCREENSHOTS for the README's). Checks it is a PNG with something
/// drawn.
async fn screenshot(browser: &Client, name: &str, shown: Shown) {
    let png = browser.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(png.len() > 20_000, "a blank page? {} bytes", png.len());
    let mut places = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR"))];
    if shown == Shown::InReadme {
        places.extend(std::env::var_os("IMR_SCREENSHOTS").map(PathBuf::from));
    }
    for dir in places {
        std::fs::create_dir_all(&dir).expect("the screenshots' folder");
        std::fs::write(dir.join(name), &png).expect("the screenshot written");
    }
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .expect("its text")
}

#[test]
fn a_person_searches_narrows_opens_a_decision_and_copies_its_citation() {
    if !browser() {
        return;
    }
    let dir = temp();
    let server = server(dir.path());
    let driver = Driver::start();
    within_two_minutes(async {
        let browser = driver
            .session(&dir.path().join("profile"), Script::On)
            .await;
        browser.goto(&server.url("/")).await.expect("the home page");
        let held = text_of(&browser, "p.held").await;
        assert_eq!(held, "This index holds 25 letters, 45 decisions.");

        // Type a query in the big box and submit it.
        let search_box = browser
            .find(Locator::Css("form.big input[name=q]"))
            .await
            .expect("the search box");
        search_box.send_keys("MRI").await.expect("typing");
        browser
            .find(Locator::Css("form.big button[type=submit]"))
            .await
            .expect("the search button")
            .click()
            .await
            .expect("submitting");
        let total = text_of(&browser, "p.total strong").await;
        assert_eq!(total, "8 matching decisions");
        assert_eq!(
            browser.current_url().await.expect("a URL").as_str(),
            server.url("/search?q=MRI")
        );
        let hits = browser
            .find_all(Locator::Css("li.hit"))
            .await
            .expect("hits");
        assert_eq!(hits.len(), 8);
        screenshot(&browser, "search.png", Shown::InReadme).await;

        // The outcome facet: overturned.
        browser
            .find(Locator::XPath(
                "//aside[@class='facets']//a[normalize-space()='overturned']",
            ))
            .await
            .expect("the overturned facet")
            .click()
            .await
            .expect("clicking the facet");
        browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_url(
                &server
                    .url("/search?q=MRI&outcome=overturned")
                    .parse()
                    .expect("a URL"),
            )
            .await
            .expect("the narrowed search");
        assert_eq!(
            text_of(&browser, "p.total strong").await,
            "1 matching decision"
        );

        // The first decision, its citation copied with the page's button.
        browser
            .find(Locator::Css("li.hit a.item"))
            .await
            .expect("the first hit")
            .click()
            .await
            .expect("opening it");
        let citation = text_of(&browser, "p.cite-line").await;
        assert_eq!(
            browser.current_url().await.expect("a URL").as_str(),
            server.url("/decision/CM17-0019120/2")
        );
        assert_eq!(
            citation,
            "IMR Final Determination No. CM17-0019120, decision 2 (Cal. Div. Workers' Comp. Feb. 24, 2017) (overturning the denial of \"MRI of the right knee without contrast\"; citing MTUS ACOEM Practice Guidelines, Chapter 13 Knee Complaints, Special Studies)"
        );
        let copy = browser
            .find(Locator::Css("button.copy"))
            .await
            .expect("the copy button");
        assert!(
            copy.is_displayed().await.expect("shown"),
            "the script shows the button"
        );
        copy.click().await.expect("copying");
        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(
                "//button[@class='copy' and text()='Copied']",
            ))
            .await
            .expect("the button says Copied");
        // Paste it where a person would: into the search box.
        let paste_box = browser
            .find(Locator::Css("form.box input[name=q]"))
            .await
            .expect("the header's search box");
        paste_box.clear().await.expect("emptied");
        paste_box
            .send_keys(&format!("{}v", char::from(Key::Control)))
            .await
            .expect("pasting");
        let pasted = paste_box
            .prop("value")
            .await
            .expect("its value")
            .unwrap_or_default();
        assert_eq!(pasted, citation);
        screenshot(&browser, "decision.png", Shown::TestOnly).await;
        browser.close().await.expect("the session closed");
    });
}

#[test]
fn the_pages_work_without_javascript() {
    if !browser() {
        return;
    }
    let dir = temp();
    let server = server(dir.path());
    let driver = Driver::start();
    within_two_minutes(async {
        let browser = driver
            .session(&dir.path().join("profile"), Script::Off)
            .await;
        // A search is a plain form: its GET needs no script.
        browser.goto(&server.url("/")).await.expect("the home page");
        browser
            .find(Locator::Css("form.big input[name=q]"))
            .await
            .expect("the search box")
            .send_keys(&format!("acupuncture{}", char::from(Key::Enter)))
            .await
            .expect("typing and Enter");
        assert_eq!(
            text_of(&browser, "p.total strong").await,
            "2 matching decisions"
        );
        // The copy button is the script's: hidden without it, the line
        // still there to select.
        browser
            .goto(&server.url("/decision/CM17-0019120/2"))
            .await
            .expect("a decision");
        let copy = browser
            .find(Locator::Css("button.copy"))
            .await
            .expect("the copy button");
        assert!(!copy.is_displayed().await.expect("hidden"));
        assert!(
            text_of(&browser, "p.cite-line")
                .await
                .starts_with("IMR Final Determination No. CM17-0019120")
        );
        // The charts are drawn by the server: there without a script.
        browser
            .goto(&server.url("/stats?by=drug"))
            .await
            .expect("statistics");
        let chart = browser
            .find(Locator::Css("svg.rates"))
            .await
            .expect("the rates chart");
        let (_, _, width, height) = chart.rectangle().await.expect("its size");
        assert!(width > 600.0 && height > 200.0, "drawn {width} × {height}");
        let dots = browser
            .find_all(Locator::Css("svg.rates circle.rate"))
            .await
            .expect("dots");
        assert_eq!(dots.len(), 14);
        browser.close().await.expect("the session closed");
    });
}
