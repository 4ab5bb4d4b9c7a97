//! `imr alert` through the real binary: what is new since the last run,
//! reported once, a run recorded only once written, saved queries that no
//! longer run; and each alert's Atom feed from `imr serve`, read back with
//! the atom_syndication crate, and "Save as alert".

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use atom_syndication::Feed;
use common::web::Server;
use common::*;
use serde_json::Value;

/// A home with two batches of letters to ingest, copied so that a test
/// may change them: the first, four of the sample letters; the second,
/// the fifth (no case number) and four real letters.
struct Setup {
    dir: tempfile::TempDir,
}

const REAL: [&str; 4] = [
    "CM16-0243394",
    "CM17-0013625",
    "CM17-0019120",
    "CM17-0007857",
];

impl Setup {
    fn new() -> Setup {
        let dir = temp();
        let (first, second) = (dir.path().join("first"), dir.path().join("second"));
        std::fs::create_dir(&first).unwrap();
        std::fs::create_dir(&second).unwrap();
        for seed in SEEDS {
            let to = if seed.starts_with("003") {
                &second
            } else {
                &first
            };
            copy(&format!("data/letters/{seed}.txt"), to);
        }
        for case in REAL {
            copy(&format!("data/real/txt/{case}.txt"), &second);
        }
        Setup { dir }
    }

    fn home(&self) -> &Path {
        self.dir.path()
    }

    fn index(&self) -> PathBuf {
        self.home().join("index")
    }

    fn batch(&self, name: &str) -> PathBuf {
        self.home().join(name)
    }

    fn ingest(&self, batch: &str) -> Value {
        let (r, report) = ingest_by(imr(self.home()), &self.index(), &[self.batch(batch)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        report
    }

    /// `imr alert ARGS --index INDEX`.
    fn alert(&self, args: &[&str]) -> Run {
        run(imr(self.home())
            .arg("alert")
            .args(args)
            .arg("--index")
            .arg(self.index()))
    }

    /// `imr alert run NAMES --format json`: the run, and per alert its
    /// name and the decisions reported ("CASE#N", or "003#N").
    fn run_json(&self, names: &[&str]) -> (Run, Vec<(String, Vec<String>)>) {
        let mut args = vec!["run"];
        args.extend(names);
        args.extend(["--format", "json"]);
        let r = self.alert(&args);
        let reports = r
            .stdout
            .lines()
            .map(|line| {
                let v: Value = serde_json::from_str(line).expect("a JSON line");
                let hits = v["hits"].as_array().expect("hits");
                assert_eq!(v["total"].as_u64(), Some(hits.len() as u64));
                let name = v["alert"].as_str().expect("alert").to_owned();
                (name, sorted(hits.iter().map(decision).collect()))
            })
            .collect();
        (r, reports)
    }

    fn alerts_file(&self) -> PathBuf {
        self.index().join("alerts.json")
    }
}

fn copy(from: &str, to: &Path) {
    let name = Path::new(from).file_name().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(from),
        to.join(name),
    )
    .unwrap();
}

/// "CM17-0013625#5", or for a letter without a case number "003#2".
fn decision(hit: &Value) -> String {
    match hit["case_number"].as_str() {
        Some(case) => format!("{case}#{}", hit["decision"]),
        None => short(hit),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// The second batch's pharmaceutical decisions.
const SECOND_PHARMA: [&str; 12] = [
    "003#2",
    "003#3",
    "003#4",
    "003#5",
    "003#6",
    "CM16-0243394#1",
    "CM16-0243394#2",
    "CM17-0013625#1",
    "CM17-0013625#2",
    "CM17-0013625#3",
    "CM17-0013625#4",
    "CM17-0013625#5",
];

#[test]
fn a_run_reports_what_was_ingested_since_the_last_and_only_once() {
    let s = Setup::new();
    s.ingest("first");
    let r = s.alert(&["add", "pharma", "--category", "pharmaceuticals"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "saved alert pharma: '*' --category pharmaceuticals; `imr alert run pharma` reports the decisions ingested from now on\n"
    );
    // The first batch was there before the alert.
    let r = s.alert(&["run"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (
            1,
            "alert pharma: no new decisions ('*' --category pharmaceuticals)\n"
        )
    );

    s.ingest("second");
    let (r, reports) = s.run_json(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(reports, [("pharma".to_owned(), strings(&SECOND_PHARMA))]);
    let (r, reports) = s.run_json(&[]);
    assert_eq!(r.code, 1);
    assert_eq!(reports, [("pharma".to_owned(), vec![])]);

    // Added now: the second batch is not new to it.
    assert_eq!(
        s.alert(&["add", "late", "--category", "pharmaceuticals"])
            .code,
        0
    );
    // Changed copies of two reported letters, one known by its case
    // number, one (no case number) by its path: new to `late`, which
    // never reported them, and not reported again by `pharma`.
    for name in ["CM17-0013625.txt", "003_7836691e6d3f4cd1.txt"] {
        let path = s.batch("second").join(name);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("\nA copy received again.\n");
        std::fs::write(&path, text).unwrap();
    }
    let report = s.ingest("second");
    assert_eq!(report["replaced"], 2);
    let (r, reports) = s.run_json(&["pharma", "late"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let changed = ["003#2", "003#3", "003#4", "003#5", "003#6"]
        .into_iter()
        .chain(["CM17-0013625#1", "CM17-0013625#2", "CM17-0013625#3"])
        .chain(["CM17-0013625#4", "CM17-0013625#5"]);
    assert_eq!(
        reports,
        [
            ("pharma".to_owned(), vec![]),
            ("late".to_owned(), strings(&changed.collect::<Vec<_>>())),
        ]
    );

    // The same bytes with a new modification time: rewritten with the new
    // time, still the letter ingested before; nothing is new.
    let path = s.batch("second").join("CM16-0243394.txt");
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(60))
        .unwrap();
    let report = s.ingest("second");
    assert_eq!(
        (
            report["unchanged"].as_u64(),
            report["letters_indexed"].as_u64()
        ),
        (Some(5), Some(0))
    );
    let (r, reports) = s.run_json(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        reports,
        [("pharma".to_owned(), vec![]), ("late".to_owned(), vec![])]
    );

    let r = s.alert(&["list", "--format", "json"]);
    let listed: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let counts: Vec<(&str, u64)> = listed
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["reported"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("pharma", 12), ("late", 10)]);
}

#[test]
fn text_output_gives_each_alert_its_count_then_hits_as_search_prints_them() {
    let s = Setup::new();
    s.ingest("first");
    assert_eq!(
        s.alert(&["add", "knee-mri", "MRI", "--outcome", "overturned"])
            .code,
        0
    );
    assert_eq!(s.alert(&["add", "acupuncture", "acupuncture"]).code, 0);
    s.ingest("second");
    let r = s.alert(&["run", "knee-mri", "acupuncture"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Neither search matches a decision of the first batch: the alerts'
    // hits are search's, in its order, with its scores.
    let search = |args: &[&str]| {
        let r = run(imr(s.home())
            .args(["search", "--facets", "none", "--index"])
            .arg(s.index())
            .args(args));
        let hits = r.stdout.rsplit_once("\n\n").expect("hits").0;
        format!("{hits}\n\n")
    };
    let expected = format!(
        "alert knee-mri: 1 new decision (MRI --outcome overturned)\n{}alert acupuncture: 2 new decisions (acupuncture)\n{}",
        search(&["MRI", "--outcome", "overturned"]),
        search(&["acupuncture"]),
    );
    assert!(expected.contains("1. "), "{expected}");
    assert_eq!(r.stdout, expected);
}

#[test]
fn a_run_is_recorded_only_once_its_report_is_written() {
    let s = Setup::new();
    s.ingest("first");
    assert_eq!(
        s.alert(&["add", "pharma", "--category", "pharmaceuticals"])
            .code,
        0
    );
    s.ingest("second");
    let saved = std::fs::read(s.alerts_file()).unwrap();
    // The report cannot be written: the run fails and records nothing.
    let full = std::fs::File::create("/dev/full").expect("/dev/full");
    let r = run(imr(s.home())
        .args(["alert", "run", "--index"])
        .arg(s.index())
        .stdout(full));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("No space left on device"), "{}", r.stderr);
    assert_eq!(std::fs::read(s.alerts_file()).unwrap(), saved);
    let (r, reports) = s.run_json(&[]);
    assert_eq!(r.code, 0);
    assert_eq!(reports, [("pharma".to_owned(), strings(&SECOND_PHARMA))]);
    // Written whole, by rename: no temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(s.index())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("alerts"))
        .collect();
    assert_eq!(sorted(names), [".imr-alerts.lock", "alerts.json"]);
}

#[test]
fn an_alert_that_cannot_run_is_named_and_the_others_run() {
    let s = Setup::new();
    s.ingest("first");
    for (name, query) in [
        ("bad-query", "MRI"),
        ("bad-outcome", "MRI"),
        ("good", "acupuncture"),
    ] {
        assert_eq!(s.alert(&["add", name, query]).code, 0);
    }
    // Edited by hand: a query that no longer parses, an outcome no
    // filter takes, and an entry that is no alert at all.
    let mut file: Value = serde_json::from_slice(&std::fs::read(s.alerts_file()).unwrap()).unwrap();
    let alerts = file["alerts"].as_array_mut().unwrap();
    alerts[0]["query"] = "(MRI".into();
    alerts[1]["filters"]["outcome"] = "maybe".into();
    alerts.push(serde_json::json!({"name": "broken", "query": "x", "filters": {"page": "abc"}}));
    std::fs::write(s.alerts_file(), serde_json::to_vec(&file).unwrap()).unwrap();
    s.ingest("second");

    let (r, reports) = s.run_json(&[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        reports,
        [("good".to_owned(), strings(&["003#1", "CM17-0007857#1"]))]
    );
    let index = s.index();
    assert_eq!(
        r.stderr,
        format!(
            "imr: alert `bad-query`: query: column 5: expected `)` to close the `(`; remove it (`imr alert remove bad-query`) and add it again\n\
             imr: alert `bad-outcome`: `maybe` is not an outcome: choose upheld, overturned or unknown; remove it (`imr alert remove bad-outcome`) and add it again\n\
             imr: alert `broken` cannot be read (invalid type: string \"abc\", expected u32): correct it in {}, or remove it with `imr alert remove broken`\n",
            index.join("alerts.json").display()
        )
    );
    // The good alert's run was recorded; the unreadable entry is kept.
    let (r, reports) = s.run_json(&["good"]);
    assert_eq!((r.code, reports), (1, vec![("good".to_owned(), vec![])]));
    let listed = s.alert(&["list", "--format", "json"]).stdout;
    let good: Value = serde_json::from_str(listed.lines().nth(2).unwrap()).unwrap();
    let ran = good["last_run"].as_str().unwrap();
    assert_eq!(
        s.alert(&["list"]).stdout,
        format!(
            "name         search                                                  last run              reported\n\
             bad-query    '(MRI'                                                  never                        0\n\
             bad-outcome  MRI --outcome maybe                                     never                        0\n\
             good         acupuncture                                             {ran}         2\n\
             broken       (unreadable: invalid type: string \"abc\", expected u32)\n"
        )
    );
    assert_eq!(
        listed.lines().nth(3),
        Some(r#"{"name":"broken","error":"invalid type: string \"abc\", expected u32"}"#)
    );
    assert_eq!(
        s.alert(&["remove", "broken"]).stdout,
        "removed alert broken\n"
    );
}

#[test]
fn what_cannot_be_saved_is_refused_with_what_to_do() {
    let s = Setup::new();
    // No index yet, and none named: the bundled sample keeps no alerts.
    let r = run(imr(s.home()).args(["alert", "add", "x", "MRI"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("imr: alerts are kept in the index folder, and there is no index at "),
        "{}",
        r.stderr
    );
    s.ingest("first");
    let refused = |args: &[&str]| {
        let r = s.alert(args);
        assert_eq!(r.code, 2, "{args:?}");
        r.stderr
    };
    assert_eq!(
        refused(&["add", "a b", "MRI"]),
        "imr: `a b` is not an alert name: use letters, digits, `-` and `_`, starting with a letter or digit, at most 64\n"
    );
    assert_eq!(
        refused(&["add", "x", "MRI AND"]),
        "imr: query: column 8: expected a word, a \"phrase\" or `(` here, at the end of the query\n"
    );
    assert_eq!(
        refused(&["add", "x", "--since", "2017-13-01"]),
        "imr: `2017-13-01` is not a date: write it as YYYY-MM-DD\n"
    );
    assert_eq!(s.alert(&["add", "x", "MRI"]).code, 0);
    assert_eq!(
        refused(&["add", "x", "knee"]),
        "imr: an alert named `x` exists: choose another name, or remove it first (`imr alert remove x`)\n"
    );
    assert_eq!(
        refused(&["remove", "y"]),
        "imr: no alert named `y`: the alerts are x\n"
    );
    let r = s.alert(&["run", "x", "y"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (2, "imr: no alert named `y`: the alerts are x\n")
    );
    assert_eq!(r.stdout, "alert x: no new decisions (MRI)\n");
}

// ---- imr serve -------------------------------------------------------------

/// `POST path` of a form, over HTTP/1.0, with an Origin header when given.
fn post(addr: &str, path: &str, form: &str, origin: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect to imr serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let origin = origin.map_or(String::new(), |o| format!("Origin: {o}\r\n"));
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\n{origin}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, raw)
}

#[test]
fn each_alert_has_an_atom_feed_that_reads_back() {
    let s = Setup::new();
    s.ingest("first");
    // A filter whose words need escaping in XML.
    let r = s.alert(&[
        "add",
        "pharma",
        "--category",
        "pharmaceuticals",
        "--guideline",
        "MTUS & <chronic>",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        s.alert(&["add", "mri", "MRI", "--outcome", "overturned"])
            .code,
        0
    );
    s.ingest("second");
    let server = Server::start(s.home(), &s.index());

    let reply = server.get("/alerts/mri.atom");
    assert_eq!(reply.status, 200);
    assert!(
        reply.head.contains("content-type: application/atom+xml"),
        "{}",
        reply.head
    );
    let feed: Feed = reply.body.parse().expect("an Atom feed");
    let base = server.url("");
    assert_eq!(feed.id(), "tag:imr,2026:alert:mri");
    assert_eq!(
        feed.title().as_str(),
        "imr alert mri: MRI --outcome overturned"
    );
    assert_eq!(feed.authors()[0].name(), "imr");
    let links: Vec<(&str, &str)> = feed.links().iter().map(|l| (l.rel(), l.href())).collect();
    assert_eq!(
        links,
        [
            ("self", format!("{base}/alerts/mri.atom").as_str()),
            (
                "alternate",
                format!("{base}/search?q=MRI&outcome=overturned").as_str()
            ),
        ]
    );
    let entries = feed.entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.id(), "tag:imr,2026:decision:CM17-0019120:2");
    assert_eq!(
        e.title().as_str(),
        "MRI of the right knee without contrast — overturned"
    );
    assert_eq!(feed.updated(), e.updated());
    let page = "/decision/CM17-0019120/2";
    assert_eq!(e.links()[0].href(), format!("{base}{page}"));
    assert!(
        e.summary()
            .unwrap()
            .as_str()
            .starts_with("The MTUS ACOEM Guidelines state that special testing such as MRI"),
        "{:?}",
        e.summary()
    );
    assert_eq!(server.get(page).status, 200);

    // Ingested after the first batch, so later: the second batch's
    // decisions lead, the latest first; every text escaped and read back.
    let feed: Feed = server
        .get("/alerts/pharma.atom")
        .body
        .parse()
        .expect("an Atom feed");
    assert_eq!(
        feed.title().as_str(),
        "imr alert pharma: '*' --category pharmaceuticals --guideline 'MTUS & <chronic>'"
    );
    let entries = feed.entries();
    let (_, all) = search(
        s.home(),
        &s.index(),
        &[
            "--category",
            "pharmaceuticals",
            "--guideline",
            "MTUS & <chronic>",
        ],
    );
    assert_eq!(entries.len(), 16);
    assert_eq!(all["total"], 16);
    let batches: Vec<bool> = entries
        .iter()
        // The second batch: real letters by case number, and sample 003
        // (no case number) by its id.
        .map(|e| {
            let href = e.links()[0].href();
            href.contains("/decision/CM") || href.contains("/decision/a45f54df42937b01/")
        })
        .collect();
    assert_eq!(batches, [[true; 10], [false; 10]].concat()[..16]);
    let times: Vec<_> = entries.iter().map(|e| *e.updated()).collect();
    let mut newest_first = times.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, newest_first);
    for e in entries {
        assert!(e.id().starts_with("tag:imr,2026:"), "{}", e.id());
        assert!(
            e.title().as_str().ends_with(" — upheld"),
            "{}",
            e.title().as_str()
        );
        assert!(!e.summary().unwrap().as_str().is_empty());
    }

    assert_eq!(server.get("/alerts/none.atom").status, 404);
    assert_eq!(server.get("/alerts/mri.rss").status, 404);
}

#[test]
fn save_as_alert_saves_the_search_pages_query_and_filters() {
    let s = Setup::new();
    s.ingest("first");
    let server = Server::start(s.home(), &s.index());
    let page = server.get("/search?q=MRI&outcome=overturned").body;
    assert!(
        page.contains("<form class=\"save-alert\" action=\"/alerts\" method=\"post\">"),
        "{page}"
    );
    assert!(page.contains("<input type=\"hidden\" name=\"q\" value=\"MRI\">"));
    assert!(page.contains("<input type=\"hidden\" name=\"outcome\" value=\"overturned\">"));

    let (status, raw) = post(
        &server.addr,
        "/alerts",
        "name=knee-mri&q=MRI&outcome=overturned",
        Some(&server.url("")),
    );
    assert_eq!(status, 303, "{raw}");
    assert!(raw.contains("\r\nlocation: /alerts#knee-mri\r\n"), "{raw}");
    let r = s.alert(&["list", "--format", "json"]);
    let listed: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(
        (
            &listed["name"],
            &listed["query"],
            &listed["filters"]["outcome"]
        ),
        (
            &Value::from("knee-mri"),
            &Value::from("MRI"),
            &Value::from("overturned")
        )
    );
    let list = server.get("/alerts").body;
    assert!(
        list.contains("<a href=\"/alerts/knee-mri.atom\">Atom</a>"),
        "{list}"
    );

    // Saved once; a page elsewhere may not save one.
    let (status, raw) = post(&server.addr, "/alerts", "name=knee-mri&q=MRI", None);
    assert_eq!(status, 400);
    assert!(raw.contains("an alert named `knee-mri` exists"), "{raw}");
    let (status, _) = post(
        &server.addr,
        "/alerts",
        "name=other&q=MRI",
        Some("http://elsewhere.example"),
    );
    assert_eq!(status, 403);
    let (status, raw) = post(
        &server.addr,
        "/alerts",
        "name=other&q=MRI&outcome=maybe",
        None,
    );
    assert_eq!(status, 400);
    assert!(raw.contains("`maybe` is not an outcome"), "{raw}");
    assert_eq!(
        s.alert(&["list", "--format", "json"])
            .stdout
            .lines()
            .count(),
        1
    );
}
