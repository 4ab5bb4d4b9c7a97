//! `imr serve` through the real binary: pages and JSON over HTTP on a
//! temporary index of the 25 letters in `data/`.

mod common;

use common::web::{Server, unescape};
use common::*;

/// A server over the letters of `data/letters` and `data/real/txt`; the
/// temporary folder holds its home and index.
fn server() -> (tempfile::TempDir, Server) {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters", "data/real/txt"]);
    let server = Server::start(dir.path(), &index);
    (dir, server)
}

/// The `href` of the link whose text is `text`, unescaped.
fn link(html: &str, text: &str) -> String {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("no link {text:?} in {html}"));
    let start = html[..end].rfind("href=\"").expect("href") + "href=\"".len();
    unescape(&html[start..end])
}

#[test]
fn api_search_is_the_command_lines_json() {
    let (dir, server) = server();
    let reply = server.get("/api/search?q=acupuncture");
    assert_eq!(reply.status, 200);
    assert!(reply.head.contains("application/json"), "{}", reply.head);
    let json: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
    assert_eq!(json["total"], 2);
    let index = dir.path().join("index");
    let (cli, _) = search(dir.path(), &index, &["acupuncture"]);
    assert_eq!(reply.body, cli.stdout);
}

#[test]
fn a_search_page_shows_hits_count_and_facets() {
    let (_dir, server) = server();
    let reply = server.get("/search?q=MRI&outcome=overturned");
    assert_eq!(reply.status, 200);
    // How long the server took, for a browser's developer tools.
    let timing = reply.header("server-timing").expect("Server-Timing");
    assert!(timing.starts_with("total;dur="), "{timing}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    let html = reply.text();
    assert!(
        html.contains("<strong>1 matching decision</strong>"),
        "{html}"
    );
    assert!(html.contains("CM17-0019120"), "{html}");
    assert_eq!(html.matches("<li class=\"hit\">").count(), 1);
    assert!(html.contains("<mark>MRI</mark>"), "{html}");
    // The outcome filter is set: its facet link removes it.
    assert!(html.contains("href=\"/search?q=MRI\" title=\"remove this filter\">overturned</a>"));
}

#[test]
fn a_facet_link_adds_its_filter() {
    let (_dir, server) = server();
    let html = server.get("/search?q=MRI").body;
    let href = link(&html, "overturned");
    assert_eq!(href, "/search?q=MRI&outcome=overturned");
    let narrowed = server.get(&href).text();
    assert!(narrowed.contains("<strong>1 matching decision</strong>"));
    assert!(narrowed.contains("CM17-0019120"));
}

#[test]
fn a_bad_query_shows_the_command_lines_message_with_400() {
    let (dir, server) = server();
    let reply = server.get("/search?q=%28");
    assert_eq!(reply.status, 400);
    let index = dir.path().join("index");
    let (cli, _) = search(dir.path(), &index, &["("]);
    let message = cli
        .stderr
        .trim()
        .strip_prefix("imr: ")
        .expect("imr: message");
    assert!(message.starts_with("query: column 2: "), "{message}");
    let html = reply.text();
    assert!(
        html.contains(&format!("<p class=\"message\">{message}</p>")),
        "{html}"
    );
    // The page is a search page still: the box holds the query.
    assert!(html.contains("name=\"q\" value=\"(\""), "{html}");
}

#[test]
fn nothing_asked_says_what_to_ask() {
    let (_dir, server) = server();
    let reply = server.get("/search?q=");
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .text()
            .contains("give a query, `*` for every decision, or a filter such as drug or outcome")
    );
}

#[test]
fn a_misspelled_word_gets_a_did_you_mean_link() {
    let (_dir, server) = server();
    let html = server.get("/search?q=acupunture").text();
    assert!(
        html.contains("<strong>0 matching decisions</strong>"),
        "{html}"
    );
    assert!(
        html.contains("Did you mean <a href=\"/search?q=acupuncture\">acupuncture</a>?"),
        "{html}"
    );
}

#[test]
fn a_bad_parameter_is_a_400_that_says_why() {
    let (_dir, server) = server();
    let reply = server.get("/search?q=MRI&page=abc");
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("page: `abc` is not a page number"));
    let reply = server.get("/stats?by=colour");
    assert_eq!(reply.status, 400);
    assert!(reply.text().contains("cannot group by `colour`"));
}

#[test]
fn the_date_form_keeps_the_query_and_filters() {
    let (_dir, server) = server();
    let html = server
        .get("/search?q=MRI&outcome=upheld&since=2016-01-01")
        .body;
    let form = html
        .split("<form class=\"dates\"")
        .nth(1)
        .and_then(|f| f.split("</form>").next())
        .expect("a date form");
    assert!(
        form.contains("<input type=\"hidden\" name=\"q\" value=\"MRI\">"),
        "{form}"
    );
    assert!(form.contains("name=\"outcome\" value=\"upheld\""), "{form}");
    assert!(
        form.contains("name=\"since\" value=\"2016-01-01\""),
        "{form}"
    );
    assert!(!form.contains("type=\"hidden\" name=\"since\""), "{form}");
    // An empty date field, as a form sends it, is no filter.
    let all = server.get("/search?q=MRI&since=&until=").text();
    let some = server.get("/search?q=MRI").text();
    let total = |html: &str| {
        let after = html.split("<p class=\"total\"><strong>").nth(1)?;
        after.split("</strong>").next().map(str::to_owned)
    };
    assert_eq!(total(&some).as_deref(), Some("8 matching decisions"));
    assert_eq!(total(&all), total(&some));
}

#[test]
fn pages_of_twenty_link_to_each_other() {
    let (_dir, server) = server();
    let first = server.get("/search?q=*").text();
    assert!(first.contains("<strong>45 matching decisions</strong> · showing 1–20 of 45"));
    let next = link(&first, "next →");
    assert_eq!(next, "/search?q=*&offset=20");
    let second = server.get(&next).text();
    assert!(second.contains("showing 21–40 of 45"));
    assert_eq!(link(&second, "← previous"), "/search?q=*");
}

#[test]
fn a_decision_page_cites_as_imr_show_does() {
    let (dir, server) = server();
    let index = dir.path().join("index");
    let shown = run(imr(dir.path())
        .args(["show", "--index"])
        .arg(&index)
        .arg("CM17-0019120#2"));
    let citation = shown
        .stdout
        .split("Cite as\n  ")
        .nth(1)
        .expect("a Cite as line")
        .trim_end();
    assert!(citation.starts_with("IMR Final Determination No. CM17-0019120, decision 2"));
    let reply = server.get("/decision/CM17-0019120/2");
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(
        html.contains(&format!(
            "<p class=\"cite-line\" id=\"cite-2\">{citation}</p>"
        )),
        "{html}"
    );
    // Its letter's other decision, the whole letter and the original.
    assert!(
        html.contains("<a href=\"/decision/CM17-0019120/1\">Six physical therapy sessions two times a week for three weeks for the neck, left trapezius and low back</a>"),
        "{html}"
    );
    assert!(html.contains("<li class=\"current\" aria-current=\"page\"><span class=\"outcome overturned\">overturned</span> MRI of the right knee without contrast</li>"), "{html}");
    assert!(html.contains("<a href=\"/letter/CM17-0019120\">The whole letter</a>"));
    assert!(
        html.contains(
            "Original file: <a href=\"/letter/CM17-0019120/original\">CM17-0019120.txt</a>"
        )
    );
    let missing = server.get("/decision/CM17-0019120/9");
    assert_eq!(missing.status, 404);
    assert!(
        missing
            .text()
            .contains("has no decision 9 (it has decisions 1, 2)")
    );
    assert_eq!(server.get("/decision/CM17-0019120/two").status, 404);
    assert_eq!(server.get("/decision/CM99-0000000/1").status, 404);
    assert_eq!(server.get("/letter/CM99-0000000").status, 404);
}

#[test]
fn any_reference_redirects_to_the_path_form() {
    let (_dir, server) = server();
    let cases = [
        ("CM17-0019120%232", "/decision/CM17-0019120/2"),
        (
            "data%2Freal%2Ftxt%2FCM17-0019120.txt%232",
            "/decision/CM17-0019120/2",
        ),
        // A letter without a case number goes by its id.
        ("003%236", "/decision/a45f54df42937b01/6"),
        ("003", "/letter/a45f54df42937b01"),
        ("CM17-0019120", "/letter/CM17-0019120"),
    ];
    for (reference, to) in cases {
        let reply = server.get(&format!("/decision?ref={reference}"));
        assert_eq!(reply.status, 303, "{reference}");
        assert_eq!(reply.header("location"), Some(to), "{reference}");
    }
    let letter = server.get("/letter/a45f54df42937b01").text();
    assert_eq!(letter.matches("<p class=\"cite-line\"").count(), 6);
    assert!(letter.contains("<h1>Letter</h1>"));
    // The id names the letter's decisions too, and `imr show` takes it.
    let flexeril = server.get("/decision/a45f54df42937b01/6").text();
    assert!(flexeril.contains("<a href=\"/decision/a45f54df42937b01/6\">Flexeril</a>"));
    let missing = server.get("/decision?ref=CM17-0019120%239");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("has no decision 9"));
}

#[test]
fn a_decision_page_lists_the_decisions_imr_similar_finds() {
    let (dir, server) = server();
    let index = dir.path().join("index");
    let similar = run(imr(dir.path())
        .args(["similar", "--limit", "5", "--format", "json", "--index"])
        .arg(&index)
        .arg("003#6"));
    let json: serde_json::Value = serde_json::from_str(&similar.stdout).expect("JSON");
    let expected: Vec<String> = json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let key = h["case_number"].as_str().or(h["letter"].as_str()).unwrap();
            format!("/decision/{key}/{}", h["decision"])
        })
        .collect();
    assert_eq!(expected.len(), 5);
    assert_eq!(expected[1], "/decision/CM17-0013625/5");
    let html = server.get("/decision/a45f54df42937b01/6").body;
    let list = html
        .split("<ol class=\"similar\">")
        .nth(1)
        .and_then(|l| l.split("</ol>").next())
        .expect("a list of similar decisions");
    let shown: Vec<String> = list
        .split("href=\"")
        .skip(1)
        .map(|l| l.split('"').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(shown, expected);
}

#[test]
fn the_original_file_is_served_only_as_ingested() {
    let dir = temp();
    let index = dir.path().join("index");
    let copy = dir.path().join("letters").join("CM17-0019120.txt");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy("data/real/txt/CM17-0019120.txt", &copy).unwrap();
    ingest(dir.path(), &index, &["data/letters"]);
    ingest(dir.path(), &index, &[copy.to_str().unwrap()]);
    let server = Server::start(dir.path(), &index);
    let reply = server.get("/letter/CM17-0019120/original");
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        reply.header("content-disposition"),
        Some("inline; filename=\"CM17-0019120.txt\"")
    );
    assert_eq!(reply.body, std::fs::read_to_string(&copy).unwrap());
    // Never a path the request names: each is a letter it does not hold.
    for path in [
        "/letter/..%2F..%2F..%2Fetc%2Fpasswd/original",
        "/letter/%2Fetc%2Fpasswd/original",
        "/letter/Cargo.toml/original",
        "/letter/../../Cargo.toml",
        "/static/../../Cargo.toml",
        "/letter/CM17-0019120/original/../../../../etc/passwd",
        "/letter/CM17-0019120/..%2F..%2FCargo.toml",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}: {}", reply.body);
        assert!(!reply.body.contains("[package]"), "{path}");
    }
    // Changed since it was ingested: no longer the letter, not served.
    std::fs::write(&copy, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    let reply = server.get("/letter/CM17-0019120/original");
    assert_eq!(reply.status, 404);
    assert!(!reply.body.contains("root:x"));
    let page = server.get("/decision/CM17-0019120/2").body;
    assert!(!page.contains("/original"), "{page}");
}

#[test]
fn api_routes_are_the_command_lines_json_byte_for_byte() {
    let (dir, server) = server();
    let index = dir.path().join("index");
    let cli = |args: &[&str]| {
        let r = run(imr(dir.path())
            .args(args)
            .args(["--format", "json", "--index"])
            .arg(&index));
        assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
        r.stdout
    };
    let cases: [(&str, &[&str]); 9] = [
        ("/api/cites", &["cites"]),
        ("/api/cites?page=111", &["cites", "--page", "111"]),
        (
            "/api/cites?section=Topical%20Analgesics&document=chronic%20pain",
            &[
                "cites",
                "--section",
                "Topical Analgesics",
                "--document",
                "chronic pain",
            ],
        ),
        (
            "/api/cites?q=MRI&document=ODG&limit=3",
            &["cites", "MRI", "--document", "ODG", "--limit", "3"],
        ),
        ("/api/stats", &["stats"]),
        (
            "/api/stats?by=category&q=MRI&outcome=upheld",
            &["stats", "--by", "category", "MRI", "--outcome", "upheld"],
        ),
        (
            "/api/stats?by=year&limit=1",
            &["stats", "--by", "year", "--limit", "1"],
        ),
        ("/api/decision/CM17-0019120/2", &["show", "CM17-0019120#2"]),
        ("/api/letter/a45f54df42937b01", &["show", "003"]),
    ];
    for (path, args) in cases {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/json; charset=utf-8")
        );
        assert_eq!(reply.body, cli(args), "{path}");
    }
    let stats: serde_json::Value =
        serde_json::from_str(&server.get("/api/stats?by=drug").body).unwrap();
    assert_eq!(stats["groups"][0]["group"], "capsaicin");
    assert_eq!(stats["total"]["decisions"], 45);
    for (path, status, error) in [
        (
            "/api/decision/CM17-0019120/9",
            404,
            "`CM17-0019120#9`: data/real/txt/CM17-0019120.txt has no decision 9 (it has decisions 1, 2)",
        ),
        (
            "/api/letter/CM99-0000000",
            404,
            "`CM99-0000000`: no letter in the index has this path, case number or file name",
        ),
        (
            "/api/stats?by=colour",
            400,
            "cannot group by `colour`: choose drug, class, category, item, guideline, page, specialty, state, year",
        ),
        ("/api/cites?page=x", 400, "page: `x` is not a page number"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, status, "{path}");
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("JSON");
        assert_eq!(json["error"], error, "{path}");
    }
}

#[test]
fn api_decision_is_imr_shows_json() {
    let (dir, server) = server();
    let index = dir.path().join("index");
    let shown = run(imr(dir.path())
        .args(["show", "--format", "json", "--index"])
        .arg(&index)
        .arg("003#6"));
    let reply = server.get("/api/decision?ref=003%236");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, shown.stdout);
}

#[test]
fn stats_draw_bars_and_a_table() {
    let (_dir, server) = server();
    let reply = server.get("/stats?by=category");
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(html.contains("Pharmaceuticals"), "{html}");
    // The largest group, imaging: 7 upheld and 1 overturned of 8.
    assert!(html.contains(
        "<span class=\"seg upheld\" style=\"width: 87.5%\"></span><span class=\"seg overturned\" style=\"width: 12.5%\">"
    ), "{html}");
    assert!(html.contains("<table class=\"grid\">"));
}

#[test]
fn the_citator_lists_pages_and_their_decisions() {
    let (_dir, server) = server();
    let index = server.get("/cites").text();
    assert!(
        index.contains("<a href=\"/cites?page=111\">page 111</a>"),
        "{index}"
    );
    let citing = server.get("/cites?page=111").text();
    assert!(citing.contains("Decisions citing page 111"), "{citing}");
    assert!(
        citing.contains("5 decisions: 5 upheld, 0 overturned"),
        "{citing}"
    );
}

#[test]
fn an_unknown_path_is_a_helpful_404() {
    let (_dir, server) = server();
    let reply = server.get("/nowhere");
    assert_eq!(reply.status, 404);
    assert!(reply.text().contains("there is no page at /nowhere"));
    assert!(reply.body.contains("href=\"/search?q=*\""));
}

#[test]
fn the_home_page_says_what_the_index_holds() {
    let (_dir, server) = server();
    let html = server.get("/").text();
    assert!(
        html.contains("<strong>25</strong> letters, <strong>45</strong> decisions"),
        "{html}"
    );
    assert!(html.contains("href=\"/search?q=acupuncture\""));
    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("text/css"));
}

#[test]
fn an_ingest_shows_from_the_next_request() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters"]);
    let server = Server::start(dir.path(), &index);
    let total = |path: &str| {
        let body = server.get(path).body;
        serde_json::from_str::<serde_json::Value>(&body).expect("JSON")["total"].clone()
    };
    assert_eq!(total("/api/search?q=*"), 12);
    ingest(dir.path(), &index, &["data/real/txt"]);
    assert_eq!(total("/api/search?q=*"), 45);
}

#[test]
fn the_citator_narrows_to_a_document() {
    let (_dir, server) = server();
    let odg = server.get("/cites?document=ODG").text();
    assert!(
        odg.contains("18 pages and sections by 13 decisions; 18 of 18 shown"),
        "{odg}"
    );
    assert_eq!(
        odg.matches("<td>ODG: Official Disability Guidelines</td>")
            .count(),
        18
    );
    // A row's link keeps the document; the form keeps the page listed.
    assert!(odg.contains(
        "<a href=\"/cites?section=Physical%20therapy&document=ODG\">section Physical therapy</a>"
    ));
    let page = server.get("/cites?page=111&document=chronic%20pain").text();
    assert!(
        page.contains("5 decisions: 5 upheld, 0 overturned (0% overturned); 5 shown"),
        "{page}"
    );
    assert!(page.contains("<input type=\"hidden\" name=\"page\" value=\"111\">"));
    let none = server.get("/cites?page=111&document=ODG").text();
    assert!(
        none.contains("0 decisions: 0 upheld, 0 overturned (— overturned); 0 shown"),
        "{none}"
    );
}

#[test]
fn stats_draw_overturn_rates_with_their_intervals_as_svg() {
    let (_dir, server) = server();
    let html = server.get("/stats?by=drug").text();
    assert!(html.contains(
        "<svg class=\"rates\" viewBox=\"0 0 760 354.0\" role=\"img\" aria-labelledby=\"rates-title rates-desc\""
    ), "{html}");
    assert!(
        html.contains(
            "<title id=\"rates-title\">Overturn rate by drug, with 95% intervals</title>"
        )
    );
    // capsaicin: none of 5 overturned, the interval 0–43%: from 230 to
    // 230 + 0.4345 × 460 on the axis.
    assert!(
        html.contains(" capsaicin: 0% overturned (0%–43%) of 5."),
        "{html}"
    );
    assert!(
        html.contains(
            "<line class=\"interval\" x1=\"230.0\" x2=\"429.9\" y1=\"19.0\" y2=\"19.0\"/>"
        ),
        "{html}"
    );
    assert!(html.contains("<text class=\"n\" x=\"700\" y=\"19.0\" dy=\"4\">n=5</text>"));
    // The dashed line: 3 of 45 overturned over all.
    assert!(html.contains(">all: 7%</text>"), "{html}");
    // The decisions of a search, by month.
    let mri = server.get("/stats?by=specialty&q=MRI").text();
    assert!(
        mri.contains(
            "<title id=\"months-title\">“MRI”: decisions and overturn rate by month</title>"
        ),
        "{mri}"
    );
    assert!(
        mri.contains("<title>2017-01: 4 decisions, 0 overturned (0%)</title>"),
        "{mri}"
    );
    assert!(
        mri.contains("<title>2017-02: 4 decisions, 1 overturned (25%)</title>"),
        "{mri}"
    );
}

#[test]
fn a_search_page_charts_its_decisions_by_month() {
    let (_dir, server) = server();
    let html = server.get("/search?q=MRI").text();
    assert!(html.contains("<svg class=\"months\""), "{html}");
    assert!(html.contains(
        "<desc id=\"months-desc\">Bars: the 8 dated decisions per month, from 2017-01 to 2017-02, on the left axis;"
    ), "{html}");
    assert!(html.contains("<title>2017-02: 4 decisions, 1 overturned (25%)</title>"));
    // Letters with no date are counted aside.
    let undated = server.get("/search?q=cyclobenzaprine").text();
    assert!(
        undated.contains("4 undated decisions are not shown."),
        "{undated}"
    );
}

#[test]
fn a_hostile_letter_shows_as_text() {
    let dir = temp();
    let index = dir.path().join("index");
    let letter = std::fs::read_to_string("data/real/txt/CM17-0019120.txt")
        .unwrap()
        .replace(
            "MRI of the right knee without contrast",
            "<script>alert(\"x\")</script> MRI of the right knee",
        )
        .replace(
            "special testing such as MRI",
            "special testing such as <img src=x onerror=alert(1)> MRI",
        );
    let path = dir.path().join("hostile.txt");
    std::fs::write(&path, letter).unwrap();
    ingest(dir.path(), &index, &[path.to_str().unwrap()]);
    let server = Server::start(dir.path(), &index);
    for page in [
        "/search?q=MRI",
        "/decision/CM17-0019120/2",
        "/letter/CM17-0019120",
        "/search?q=%3Cscript%3E",
        "/stats?by=item",
        "/cites?q=%3Cscript%3E",
    ] {
        let reply = server.get(page);
        let html = &reply.body;
        assert!(!html.contains("<script>alert"), "{page}: {html}");
        assert!(!html.contains("<img src=x"), "{page}: {html}");
        assert_eq!(html.matches("<script").count(), 1, "{page}: only copy.js");
    }
    let html = server.get("/decision/CM17-0019120/2").body;
    assert!(
        html.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; MRI of the right knee"),
        "{html}"
    );
    assert!(
        html.contains("&#60;img src=x onerror=alert(1)&#62;"),
        "{html}"
    );
    let json = server.get("/api/decision/CM17-0019120/2").body;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["item"],
        "<script>alert(\"x\")</script> MRI of the right knee"
    );
}

#[test]
fn requests_are_capped_as_the_command_line_caps_them() {
    let (_dir, server) = server();
    let deep = server.get("/search?q=*&offset=10001");
    assert_eq!(deep.status, 400);
    assert!(deep.text().contains(
        "offset: 10001 is past the first 10000 hits; narrow the search with a filter, or sort by date"
    ));
    let json: serde_json::Value =
        serde_json::from_str(&server.get("/api/search?q=*&offset=10001").body).unwrap();
    assert_eq!(
        json["error"],
        "offset: 10001 is past the first 10000 hits; narrow the search with a filter, or sort by date"
    );
    let long = format!("/search?q={}", "a".repeat(10_001));
    let reply = server.get(&long);
    assert_eq!(reply.status, 400);
    assert!(
        reply
            .text()
            .contains("query: column 10001: the query is longer than 10000 characters; shorten it")
    );
    let prefix = server.get("/api/search?q=c*");
    assert_eq!(prefix.status, 200, "{}", prefix.body);
    // A limit past the cap lists at most 1000 hits: all 45 here.
    let all: serde_json::Value =
        serde_json::from_str(&server.get("/api/search?q=*&limit=100000").body).unwrap();
    assert_eq!(all["hits"].as_array().map(Vec::len), Some(45));
}

#[test]
fn eight_clients_at_once_all_get_answers() {
    let (_dir, server) = server();
    let addr = server.addr.clone();
    let clients: Vec<_> = (0..8)
        .map(|k| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let paths = [
                    "/search?q=MRI",
                    "/stats?by=drug",
                    "/decision/CM17-0019120/2",
                    "/cites",
                ];
                (0..5)
                    .map(|i| common::web::get(&addr, paths[(k + i) % paths.len()]).status)
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().expect("a client"), vec![200; 5]);
    }
}
