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
    let reply = server.get("/decision?ref=CM17-0019120%232");
    assert_eq!(reply.status, 200);
    let html = reply.text();
    assert!(
        html.contains(&format!(
            "<p class=\"cite-line\" id=\"cite-2\">{citation}</p>"
        )),
        "{html}"
    );
    // The same by the path, which holds slashes.
    let by_path = server.get("/decision?ref=data%2Freal%2Ftxt%2FCM17-0019120.txt%232");
    assert_eq!(by_path.status, 200);
    assert!(by_path.text().contains(citation));
    // A letter's name alone: all its decisions, each citable.
    let letter = server.get("/decision?ref=003").text();
    assert_eq!(letter.matches("<p class=\"cite-line\"").count(), 6);
    let missing = server.get("/decision?ref=CM17-0019120%239");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("has no decision 9"));
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
