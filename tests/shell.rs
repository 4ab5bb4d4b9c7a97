//! What users expect of any command-line tool, through the real binary:
//! version, help examples that work, completions, man page, pipes, colour
//! and `imr where`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const SUBCOMMANDS: [&str; 13] = [
    "ingest",
    "search",
    "show",
    "cites",
    "stats",
    "similar",
    "export",
    "alert",
    "serve",
    "check",
    "where",
    "completions",
    "man",
];

/// `script` run by bash from a scratch folder beside a link to `data/`,
/// with the binary first on PATH, as a user pastes a help example.
fn shell(home: &Path, script: &str) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("imr");
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let work = home.join("work");
    if !work.exists() {
        std::fs::create_dir(&work).expect("work folder");
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        std::os::unix::fs::symlink(data, work.join("data")).expect("data link");
    }
    run(Command::new("bash")
        .args(["-c", &format!("set -o pipefail; {script}")])
        .current_dir(&work)
        .env_remove("IMR_INDEX")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("PATH", path)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data")))
}

fn help_examples(home: &Path, command: &str) -> Vec<String> {
    let r = run(imr(home).args([command, "--help"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, examples) = r
        .stdout
        .rsplit_once("\nExamples:\n")
        .unwrap_or_else(|| panic!("`imr {command} --help` ends without examples"));
    examples.lines().map(|l| l.trim().to_owned()).collect()
}

#[test]
fn version_names_the_schema_version() {
    let dir = temp();
    let r = run(imr(dir.path()).arg("--version"));
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        format!(
            "imr {} (index schema version 8)\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn main_help_lists_each_command_on_one_line() {
    let dir = temp();
    let r = run(imr(dir.path()).arg("--help"));
    let commands: Vec<&str> = r
        .stdout
        .split("Commands:\n")
        .nth(1)
        .expect("a command list")
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    let mut expected = SUBCOMMANDS.to_vec();
    expected.push("help");
    assert_eq!(commands, expected);
}

#[test]
fn every_help_example_runs() {
    let dir = temp();
    // Ingest first, as a reader following the help would.
    for command in SUBCOMMANDS {
        let examples = help_examples(dir.path(), command);
        assert!((2..=4).contains(&examples.len()), "{command}: {examples:?}");
        for example in examples {
            assert!(example.starts_with(&format!("imr {command}")) || command == "where");
            if command == "serve" {
                // Serves until Ctrl-C; tests/web.rs runs the server.
                continue;
            }
            let r = shell(dir.path(), &example);
            assert_eq!(r.code, 0, "`{example}` failed: {}", r.stderr);
            assert!(!r.stdout.is_empty() || example.contains('>'), "{example}");
        }
    }
}

#[test]
fn a_typo_suggests_the_command() {
    let dir = temp();
    // "serch" is as near `serve` as `search`: clap names both.
    let r = run(imr(dir.path()).args(["seach", "norco"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a similar subcommand exists: 'search'"),
        "{}",
        r.stderr
    );
    let r = run(imr(dir.path()).args(["search", "norco", "--limt", "1"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--limit"), "{}", r.stderr);
}

#[test]
fn completions_and_man_page_mention_every_command() {
    let dir = temp();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(imr(dir.path()).args(["completions", shell]));
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for command in SUBCOMMANDS {
            assert!(r.stdout.contains(command), "{shell} lacks {command}");
        }
    }
}

#[test]
fn the_man_page_is_whole_and_its_examples_run() {
    let dir = temp();
    let r = run(imr(dir.path()).arg("man"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("\n.TH imr 1 "), "{}", r.stdout);
    let headings: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with(".SH ")).collect();
    assert_eq!(
        headings,
        [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            ".SH COMMANDS",
            ".SH \"QUERY SYNTAX\"",
            ".SH FILTERS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
        ]
    );
    for command in SUBCOMMANDS {
        let heading = format!(".SS \"imr {command}\"\n\\fBimr {command}\\fR");
        assert!(r.stdout.contains(&heading), "man page lacks {heading}");
    }
    for file in ["DIR/alerts.json", "DIR/.imr\\-ingest.lock", "IMR_INDEX"] {
        assert!(r.stdout.contains(file), "man page lacks {file}");
    }
    if let Ok(man) = Command::new("man")
        .args(["--warnings", "-l", "-"])
        .env("MANWIDTH", "80")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut man = man;
        man.stdin
            .take()
            .expect("stdin")
            .write_all(r.stdout.as_bytes())
            .expect("write");
        let out = man.wait_with_output().expect("man");
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "man warns");
    }
    // The EXAMPLES section's commands, unescaped, in order.
    let (_, examples) = r.stdout.split_once(".SH EXAMPLES\n").expect("EXAMPLES");
    let examples: Vec<String> = examples
        .lines()
        .filter(|l| l.starts_with("imr "))
        .map(|l| l.replace("\\-", "-").replace("\\*(Aq", "'"))
        .collect();
    assert_eq!(examples.len(), 6, "{examples:?}");
    for example in examples {
        let r = shell(dir.path(), &example);
        assert_eq!(r.code, 0, "`{example}` failed: {}", r.stderr);
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = temp();
    let index = dir.path().join("index");
    ingest(dir.path(), &index, &["data/letters", "data/real/txt"]);
    let index = index.display();
    for script in [
        format!("imr export --index {index} | head -1"),
        format!("imr search --index {index} --limit 100 'NOT zzyzx' | head -1"),
        format!("imr search --index {index} --format jsonl --limit 100 'NOT zzyzx' | head -1"),
    ] {
        let r = shell(dir.path(), &script);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{script}");
        assert_eq!(r.stdout.lines().count(), 1, "{script}");
    }
}

#[test]
fn colour_follows_no_color_clicolor_force_and_the_flag() {
    let dir = temp();
    let bold = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = imr(dir.path());
        cmd.env_remove("CLICOLOR_FORCE");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let r = run(cmd.args(args).args(["search", "Terocin"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.contains("\x1b[1m")
    };
    assert!(!bold(&[], &[]), "piped output is plain");
    assert!(bold(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!bold(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!bold(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
    assert!(bold(&[("NO_COLOR", "1")], &["--color", "always"]));
}

/// `imr where`'s lines, with the size and time (which vary) checked for
/// form and replaced.
fn where_lines(r: &Run) -> Vec<String> {
    r.stdout
        .lines()
        .map(|l| {
            if let Some(size) = l.strip_prefix("size on disk: ") {
                assert!(size.ends_with(" KB"), "{l}");
                "size on disk: N KB".to_owned()
            } else if let Some(time) = l.strip_prefix("last ingest: ") {
                assert!(time.len() == 20 && time.ends_with(" UTC"), "{l}");
                "last ingest: T".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect()
}

#[test]
fn where_says_which_index_and_why() {
    let dir = temp();
    let home = dir.path();
    let default = home.join("data/imr/index");
    let r = run(imr(home).arg("where"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "index: bundled sample letters, in memory (no index yet at {}, the data directory's default)\nletters: 5\ndecisions: 12\ndecisions without a category: 0 (items the category table cannot place)\nschema version: 8\n",
            default.display()
        )
    );
    let r = run(imr(home).args(["ingest", "--quiet", "data/letters"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(imr(home).arg("where"));
    let counts = [
        "letters: 5",
        "decisions: 12",
        "decisions without a category: 0 (items the category table cannot place)",
        "schema version: 8",
    ];
    let expect = |head: String| {
        let mut lines = vec![head];
        lines.extend(counts.map(String::from));
        lines.extend(["size on disk: N KB".into(), "last ingest: T".into()]);
        lines
    };
    assert_eq!(
        where_lines(&r),
        expect(format!(
            "index: {} (the data directory's default)",
            default.display()
        ))
    );
    let other = home.join("other");
    ingest(home, &other, &["data/letters"]);
    let r = run(imr(home).arg("where").env("IMR_INDEX", &other));
    assert_eq!(
        where_lines(&r),
        expect(format!("index: {} (named by IMR_INDEX)", other.display()))
    );
    let r = run(imr(home).args(["info", "--index"]).arg(&other));
    assert_eq!(
        where_lines(&r),
        expect(format!("index: {} (named by --index)", other.display()))
    );
    let missing = home.join("missing");
    let r = run(imr(home).args(["where", "--index"]).arg(&missing));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        format!(
            "index: {0} (named by --index)\nno index there yet: `imr ingest --index {0} LETTERS...` creates it\n",
            missing.display()
        )
    );
}
