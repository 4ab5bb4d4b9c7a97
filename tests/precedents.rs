//! The precedent commands (`cites`, `stats`, `similar`, `show`) through the
//! real binary, on an index of the seed letters in `data/letters/`.

mod common;

use std::path::PathBuf;

use common::{Run, imr, run};
use serde_json::{Value, json};

/// A temporary home with an index of `paths` at `home/index`.
struct Fixture {
    home: tempfile::TempDir,
}

impl Fixture {
    fn new(paths: &[&str]) -> Fixture {
        let home = tempfile::tempdir().expect("temp dir");
        let r = run(imr(home.path())
            .arg("ingest")
            .arg("--index")
            .arg(home.path().join("index"))
            .args(paths));
        assert_eq!(r.code, 0, "ingest: {}", r.stderr);
        Fixture { home }
    }

    fn seeds() -> Fixture {
        Fixture::new(&["data/letters"])
    }

    fn index(&self) -> PathBuf {
        self.home.path().join("index")
    }

    fn run(&self, command: &str, args: &[&str]) -> Run {
        run(imr(self.home.path())
            .arg(command)
            .arg("--index")
            .arg(self.index())
            .args(args))
    }

    /// The command's JSON output, having checked that it exited 0.
    fn json(&self, command: &str, args: &[&str]) -> Value {
        let r = self.run(command, &[args, &["--format", "json"]].concat());
        assert_eq!(r.code, 0, "{command} {args:?}: {}", r.stderr);
        serde_json::from_str(&r.stdout).expect("one JSON object")
    }
}

/// "003#6" for each seed decision in `values[list]`, in order.
fn refs(values: &Value, list: &str) -> Vec<String> {
    values[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list} in {values}"))
        .iter()
        .map(|v| {
            let path = v["source"].as_str().expect("a source");
            let name = path.rsplit('/').next().unwrap_or(path);
            format!("{}#{}", &name[..3], v["decision"])
        })
        .collect()
}

const CHRONIC_PAIN: &str = "MTUS: Chronic Pain Medical Treatment Guidelines";

#[test]
fn cites_page_111_lists_its_five_decisions_with_their_passages() {
    let f = Fixture::seeds();
    let r = f.run("cites", &["--page", "111"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = r#"page 111: 5 decisions: 5 upheld, 0 overturned (0% overturned)

1. data/letters/000_e9bf73e65e666cd1.txt#2  upheld
   RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13
   MTUS: Chronic Pain Medical Treatment Guidelines
   "In this case, there is no evidence of intolerance to and/or failure of multiple classes of first-line pharmaceuticals so as to justify usage of topical agents and/or topical compounds such as Dendracin, which are, per page 111 of the MTUS Chronic Pain Medical Treatment Guidelines "not recommended.""

2. data/letters/001_9643e271e3338345.txt#1  upheld
   Retrospective pharmacy purchase of Dendracin lotion 120ml
   MTUS: Chronic Pain Medical Treatment Guidelines
   "Decision based on MTUS Chronic Pain Treatment Guidelines Page(s): 111-113."

3. data/letters/003_7836691e6d3f4cd1.txt#2  upheld
   Terocin
   MTUS: Chronic Pain Medical Treatment Guidelines
   "Decision based on MTUS Chronic Pain Treatment Guidelines Topical Salicylate, Topical Analgesics, Capsaicin and Lidocaine Page(s): 105, 111, 112."

4. data/letters/003_7836691e6d3f4cd1.txt#3  upheld
   Dendracin
   MTUS: Chronic Pain Medical Treatment Guidelines
   "Decision based on MTUS Chronic Pain Treatment Guidelines Topical Salicylate, Topical Analgesics Page(s): 105, 111."

5. data/letters/004_7763e284d3bf24d4.txt#1  upheld
   Retro DOS: 7.10.15 Cyclobenzaprine 2% cream
   MTUS: Chronic Pain Medical Treatment Guidelines
   "California Medical Treatment Utilization Schedule (MTUS), 2009, Chronic pain, page 111-113, Topical Analgesics, do not recommend topical analgesic creams as they are considered "highly experimental without proven efficacy and only recommended for the treatment of neuropathic pain after failed first-line therapy of antidepressants and anticonvulsants"."

5 of 5 decisions shown
"#;
    assert_eq!(r.stdout, expected);

    let v = f.json("cites", &["--page", "111"]);
    assert_eq!(
        refs(&v, "decisions"),
        ["000#2", "001#1", "003#2", "003#3", "004#1"]
    );
    assert_eq!(
        v["total"],
        json!({"decisions": 5, "upheld": 5, "overturned": 0, "unknown": 0})
    );
}

#[test]
fn cites_ranks_page_111_first() {
    let f = Fixture::seeds();
    let r = f.run("cites", &["--limit", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "#  decisions  upheld  overturned  rate  cited               document
1          5       5           0    0%  page 111            MTUS: Chronic Pain Medical Treatment Guidelines
2          4       4           0    0%  Topical Analgesics  MTUS: Chronic Pain Medical Treatment Guidelines
3          3       3           0    0%  page 105            MTUS: Chronic Pain Medical Treatment Guidelines
3 of 19 pages and sections shown, cited in 12 decisions
"
    );
    let v = f.json("cites", &["--limit", "1"]);
    assert_eq!(
        v,
        json!({
            "query": null, "document": null, "total": 12, "row_count": 19,
            "rows": [{"kind": "page", "cited": "111", "document": CHRONIC_PAIN,
                      "decisions": 5, "upheld": 5, "overturned": 0, "unknown": 0,
                      "overturn_rate": 0.0}]
        })
    );
}

#[test]
fn cites_narrows_by_document_section_and_query() {
    let f = Fixture::seeds();
    // Page 47 is the ACOEM chapter's; page 111 the Chronic Pain guidelines'.
    let v = f.json("cites", &["--page", "47", "--document", "acoem"]);
    assert_eq!(refs(&v, "decisions"), ["000#2"]);
    assert_eq!(
        v["decisions"][0]["document"],
        "MTUS: ACOEM Practice Guidelines, Chapter 3 Initial Approaches to Treatment"
    );
    assert_eq!(
        v["decisions"][0]["passage"],
        "As noted in the MTUS-adopted ACOEM Guidelines in Chapter 3, page 47, oral pharmaceuticals are a first-line palliative method."
    );
    let r = f.run("cites", &["--page", "111", "--document", "acoem"]);
    assert_eq!(r.code, 1, "{}", r.stdout);

    let v = f.json("cites", &["--section", "topical analgesics"]);
    assert_eq!(refs(&v, "decisions"), ["000#2", "003#2", "003#3", "004#1"]);
    // A query narrows the index: the cyclobenzaprine decisions cite page
    // 41 (Fexmid, Flexeril) and pages 111-113 (the cream).
    let v = f.json("cites", &["--drug", "cyclobenzaprine", "--limit", "3"]);
    let rows: Vec<(String, u64)> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["cited"].as_str().expect("cited").to_owned(),
                r["decisions"].as_u64().expect("count"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("41".to_owned(), 2),
            ("Cyclobenzaprine".to_owned(), 2),
            ("64".to_owned(), 1)
        ]
    );
}

#[test]
fn stats_by_drug_counts_cyclobenzaprine_under_every_name() {
    let f = Fixture::seeds();
    let r = f.run("stats", &["--by", "drug"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "drug               decisions  upheld  overturned  rate  95% CI
capsaicin                  5       5           0    0%   0–43%  ░░░░
menthol                    5       5           0    0%   0–43%  ░░░░
methyl salicylate          5       5           0    0%   0–43%  ░░░░
cyclobenzaprine            3       3           0    0%   0–56%  ░░░░░░
alprazolam                 1       1           0    0%   0–79%  ░░░░░░░░
duloxetine                 1       1           0    0%   0–79%  ░░░░░░░░
lidocaine                  1       1           0    0%   0–79%  ░░░░░░░░
omeprazole                 1       1           0    0%   0–79%  ░░░░░░░░
12 decisions: 12 upheld, 0 overturned; 1 with no drug; 8 of 8 groups shown
"
    );
    // The three are Fexmid, Flexeril and the cream.
    let r = f.run(
        "stats",
        &[
            "--by",
            "item",
            "--drug",
            "cyclobenzaprine",
            "--format",
            "csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "item,decisions,upheld,overturned,unknown,overturn_rate,ci_low,ci_high
flexeril,1,1,0,0,0,0,0.7935
retro dos: 7.10.15 cyclobenzaprine 2% cream,1,1,0,0,0,0,0.7935
retrospective request for fexmid 7.5 mg dos 11/1/13,1,1,0,0,0,0,0.7935
"
    );
}

#[test]
fn stats_json_and_the_wilson_interval_of_none_in_ten() {
    let f = Fixture::seeds();
    let v = f.json("stats", &["--by", "state"]);
    assert_eq!(
        v,
        json!({
            "by": "state", "query": null,
            "total": {"decisions": 12, "upheld": 12, "overturned": 0, "unknown": 0},
            "without": 0, "group_count": 2,
            "groups": [
                {"group": "California", "decisions": 10, "upheld": 10, "overturned": 0,
                 "unknown": 0, "overturn_rate": 0.0, "ci_low": 0.0, "ci_high": 0.2775},
                {"group": "Texas", "decisions": 2, "upheld": 2, "overturned": 0,
                 "unknown": 0, "overturn_rate": 0.0, "ci_low": 0.0, "ci_high": 0.6576}
            ]
        })
    );
    let v = f.json(
        "stats",
        &["--by", "page", "--drug", "capsaicin", "--limit", "2"],
    );
    assert_eq!(v["total"]["decisions"], 5);
    assert_eq!(v["group_count"], 5);
    let groups: Vec<(&str, u64)> = v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["decisions"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(groups, [("111", 4), ("105", 3)]);
}

#[test]
fn similar_to_the_flexeril_decision_ranks_fexmid_first() {
    let f = Fixture::seeds();
    let v = f.json("similar", &["003#6"]);
    assert_eq!(v["like"], "data/letters/003_7836691e6d3f4cd1.txt#6");
    assert_eq!(v["item"], "Flexeril");
    let ranked = refs(&v, "hits");
    assert_eq!(ranked[0], "000#1", "{ranked:?}");
    assert!(!ranked.contains(&"003#6".to_owned()), "itself excluded");
    let at = |r: &str| ranked.iter().position(|x| x == r).unwrap_or(usize::MAX);
    for unrelated in ["003#1", "002#1", "003#5", "003#4"] {
        assert!(at("000#1") < at(unrelated), "{unrelated}: {ranked:?}");
    }
    assert_eq!(v["hits"][0]["matched_drugs"], json!(["cyclobenzaprine"]));

    // Filters apply: nothing overturned among the seeds.
    let r = f.run("similar", &["003#6", "--outcome", "overturned"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "Decisions like data/letters/003_7836691e6d3f4cd1.txt#6 (Flexeril, upheld)\n\n0 of 0 similar decisions shown (those scoring at least 25% of the closest's score)\n"
    );
}

#[test]
fn similar_to_a_description_and_as_csv() {
    let f = Fixture::seeds();
    let r = f.run(
        "similar",
        &[
            "--text",
            "Xanax for anxiety",
            "--limit",
            "1",
            "--format",
            "csv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("rank,reference,case_number,outcome,score,item,excerpt")
    );
    let first = lines.next().expect("a row");
    assert!(
        first.starts_with("1,data/letters/002_fdf6e10f2920473d.txt#1,,upheld,"),
        "{first}"
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn show_prints_the_whole_decision_and_its_citation_line() {
    let f = Fixture::seeds();
    let r = f.run("show", &["002#1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        r#"Decision    data/letters/002_fdf6e10f2920473d.txt#1
Item        Xanax 0.5mg #45
Outcome     upheld (the denial stands: not medically necessary)
Reviewer    Anesthesiology; Pain Management; licensed in Texas
Drugs       alprazolam
Pages cited 24
Reviewer's guideline basis
  MTUS Chronic Pain Medical Treatment Guidelines, Benzodiazepines, p. 24
    "Decision based on MTUS Chronic Pain Treatment Guidelines Benzodiazepines Page(s): 24."
Claims administrator's guideline basis
  ODG Official Disability Guidelines, Pain
    "Decision based on Non-MTUS Citation Official Disability Guidelines, (ODG) Pain."
Rationale
  As noted on page 24 of the Chronic Pain Medical Treatment Guidelines,
  benzodiazepines are not recommended for long-term use because long-term
  efficacy is unproven and there is a risk of dependence. Most guidelines limit
  use to 4 weeks. Studies have shown that tolerance to hypnotic effects develops
  rapidly and tolerance to anxiolytic effects occurs within months. It has been
  found that long-term use may actually increase anxiety. A more appropriate
  treatment for anxiety disorder is an antidepressant. Tolerance to
  anticonvulsant and muscle relaxant effects occurs within weeks. As such the
  request for Xanax 0.5mg #45 is not medically necessary.
Cite as
  IMR Final Determination data/letters/002_fdf6e10f2920473d.txt, decision 1 (Cal. Div. Workers' Comp., undated) (upholding the denial of "Xanax 0.5mg #45"; citing MTUS Chronic Pain Medical Treatment Guidelines, Benzodiazepines, p. 24)
"#
    );
    let v = f.json("show", &["data/letters/003_7836691e6d3f4cd1.txt#6"]);
    assert_eq!(v["reference"], "data/letters/003_7836691e6d3f4cd1.txt#6");
    assert_eq!(
        v["citation"],
        "IMR Final Determination data/letters/003_7836691e6d3f4cd1.txt, decision 6 (Cal. Div. Workers' Comp., undated) (upholding the denial of \"Flexeril\"; citing MTUS Chronic Pain Medical Treatment Guidelines, Cyclobenzaprine, pp. 41, 64)"
    );
    assert_eq!(v["item"], "Flexeril");
    assert_eq!(v["pages"], json!([41, 64]));
}

#[test]
fn show_by_case_number_cites_the_case_and_date() {
    let f = Fixture::new(&["data/letters", "data/real/txt/CM17-0019120.txt"]);
    let v = f.json("show", &["CM17-0019120#2"]);
    assert_eq!(
        v["citation"],
        "IMR Final Determination No. CM17-0019120, decision 2 (Cal. Div. Workers' Comp. Feb. 24, 2017) (overturning the denial of \"MRI of the right knee without contrast\"; citing MTUS ACOEM Practice Guidelines, Chapter 13 Knee Complaints, Special Studies)"
    );
}

#[test]
fn nothing_matched_exits_1() {
    let f = Fixture::seeds();
    for (command, args) in [
        ("cites", &["--page", "999"][..]),
        ("cites", &["item:acupuncture AND page:111"][..]),
        ("stats", &["--drug", "tramadol"][..]),
        ("similar", &["--text", "zzzz"][..]),
    ] {
        let r = f.run(command, args);
        assert_eq!(r.code, 1, "{command} {args:?}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.stderr, "", "{command} {args:?}");
    }
}

#[test]
fn a_bad_reference_exits_2_naming_it() {
    let f = Fixture::seeds();
    let cases = [
        (
            "show",
            "00#1",
            "imr: `00#1` names 5 letters: data/letters/000_e9bf73e65e666cd1.txt, data/letters/001_9643e271e3338345.txt, data/letters/002_fdf6e10f2920473d.txt, data/letters/003_7836691e6d3f4cd1.txt, data/letters/004_7763e284d3bf24d4.txt; give more of the path\n",
        ),
        (
            "show",
            "nosuch.txt#1",
            "imr: `nosuch.txt#1`: no letter in the index has this path, case number or file name\n",
        ),
        (
            "show",
            "003#9",
            "imr: `003#9`: data/letters/003_7836691e6d3f4cd1.txt has no decision 9 (it has decisions 1, 2, 3, 4, 5, 6)\n",
        ),
        (
            "similar",
            "003",
            "imr: `003` is not a decision reference: write SOURCE#N or CASE_NUMBER#N, e.g. 003#6\n",
        ),
    ];
    for (command, reference, message) in cases {
        let r = f.run(command, &[reference]);
        assert_eq!(r.code, 2, "{command} {reference}");
        assert_eq!(r.stdout, "");
        assert_eq!(r.stderr, message);
    }
}

/// `imr cites` on the seed and real letters gives, byte for byte, what it
/// gave when it read every stored record (captured from that build, in
/// tests/golden/cites/): counting from the index's columns changed no row,
/// count, order or listed decision.
#[test]
fn cites_from_the_columns_gives_what_reading_the_records_gave() {
    let f = Fixture::new(&["data/letters", "data/real/txt"]);
    let cases: [(&str, &[&str]); 11] = [
        ("index.txt", &[]),
        ("index-all.txt", &["--limit", "1000"]),
        ("index-all.json", &["--limit", "1000", "--format", "json"]),
        (
            "index-acoem.csv",
            &["--document", "acoem", "--limit", "1000", "--format", "csv"],
        ),
        (
            "index-query.txt",
            &["cyclobenzaprine OR tramadol", "--limit", "1000"],
        ),
        ("page-111.txt", &["--page", "111", "--limit", "1000"]),
        (
            "page-111.json",
            &["--page", "111", "--limit", "2", "--format", "json"],
        ),
        (
            "page-111-newest.csv",
            &["--page", "111", "--sort", "newest", "--format", "csv"],
        ),
        (
            "page-47-acoem.txt",
            &["--page", "47", "--document", "acoem"],
        ),
        (
            "section.json",
            &[
                "--section",
                "topical analgesics",
                "--limit",
                "1000",
                "--format",
                "json",
            ],
        ),
        (
            "section-oldest.txt",
            &[
                "--section",
                "physical medicine",
                "--sort",
                "oldest",
                "--limit",
                "3",
            ],
        ),
    ];
    for (golden, args) in cases {
        let r = f.run("cites", args);
        assert_eq!(r.code, 0, "cites {args:?}: {}", r.stderr);
        let path = format!("tests/golden/cites/{golden}");
        let expected = std::fs::read_to_string(&path).expect("golden file");
        assert!(
            r.stdout == expected,
            "cites {args:?} differs from {path}:\n{}",
            r.stdout
        );
    }
}

/// `--sort newest|oldest` orders every similar decision by its date, not
/// only those shown: the three newest of the twelve, or the two oldest
/// (the same day, in order of score), whatever their scores.
#[test]
fn similar_sorted_by_date_orders_every_match() {
    let f = Fixture::new(&["data/real/txt"]);
    let shown = |sort: &str, limit: &str| {
        let v = f.json(
            "similar",
            &["CM17-0019120#2", "--sort", sort, "--limit", limit],
        );
        let hits: Vec<String> = v["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .map(|h| format!("{}#{}", h["case_number"].as_str().unwrap(), h["decision"]))
            .collect();
        (v["total"].clone(), hits)
    };
    assert_eq!(
        shown("newest", "3"),
        (
            json!(12),
            vec![
                "CM17-0021791#1".to_owned(),
                "CM17-0017104#1".to_owned(),
                "CM17-0011992#1".to_owned()
            ]
        )
    );
    assert_eq!(
        shown("oldest", "2"),
        (
            json!(12),
            vec!["CM16-0233794#1".to_owned(), "CM16-0224814#1".to_owned()]
        )
    );
    assert_eq!(shown("relevance", "1").1, ["CM16-0239607#1"]);
}
