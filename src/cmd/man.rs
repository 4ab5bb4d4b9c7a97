//! `imr man`: one roff man page, imr(1): the parser's own NAME, SYNOPSIS,
//! DESCRIPTION and OPTIONS, every subcommand's usage, options and examples,
//! then the query syntax, filters, exit status, environment and files.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Args as _;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

/// Print imr's man page (roff): commands, query syntax, filters, exit status, files.
#[derive(Debug, clap::Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  imr man > imr.1\n  imr man | head -3"
)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let mut page_roff = Vec::new();
    page(&mut page_roff)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    out.write_all(one_preamble(&String::from_utf8_lossy(&page_roff)).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn page(w: &mut dyn Write) -> io::Result<()> {
    let mut imr = super::command();
    imr.build();
    let man = Man::new(imr.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    heading(w, "SH", "COMMANDS")?;
    for command in commands(&imr) {
        subcommand(w, command)?;
    }
    query_syntax(w)?;
    filters(w)?;
    for (title, items) in SECTIONS {
        heading(w, "SH", title)?;
        let mut roff = Roff::new();
        for (tag, text) in *items {
            roff.control("TP", [])
                .text([bold(*tag)])
                .text([roman(*text)]);
        }
        roff.to_writer(w)?;
    }
    examples(w)
}

/// The page with the roff crate's two-line preamble (how to typeset an
/// apostrophe), which each rendered piece repeats, kept once at the top.
fn one_preamble(page: &str) -> String {
    let preamble = Roff::new().render();
    let (first, rest) = page.split_at(preamble.len().min(page.len()));
    format!("{first}{}", rest.replace(&preamble, ""))
}

/// The subcommands a user types: not hidden, not clap's own `help`.
fn commands(parent: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    parent
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
}

/// A subcommand's usage, description, options and examples under its own
/// heading; one with subcommands of its own (`alert`) lists each of them.
fn subcommand(w: &mut dyn Write, command: &clap::Command) -> io::Result<()> {
    let name = command.get_bin_name().unwrap_or(command.get_name());
    heading(w, "SS", name)?;
    let man = Man::new(without_shared_options(command));
    without_heading(w, |out| man.render_synopsis_section(out))?;
    Roff::new().control("PP", []).to_writer(w)?;
    without_heading(w, |out| man.render_description_section(out))?;
    without_heading(w, |out| man.render_options_section(out))?;
    if let Some(after) = command.get_after_help() {
        let mut roff = Roff::new();
        roff.control("PP", []).control("nf", []);
        for line in after.to_string().lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []).to_writer(w)?;
    }
    for inner in commands(command) {
        subcommand(w, inner)?;
    }
    Ok(())
}

/// The subcommand without `--color` and `--version`, which OPTIONS gives
/// once for all.
fn without_shared_options(command: &clap::Command) -> clap::Command {
    let shared: Vec<clap::Id> = command
        .get_arguments()
        .filter(|a| a.is_global_set() || a.get_id() == "version")
        .map(|a| a.get_id().clone())
        .collect();
    shared
        .into_iter()
        .fold(command.clone(), |c, id| c.mut_arg(id, |a| a.hide(true)))
}

/// A clap_mangen section with its `.SH` line dropped, to nest it under a
/// subcommand's heading (the roff crate escapes text lines that start with
/// a dot, so only macros do).
fn without_heading(
    w: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut section = Vec::new();
    render(&mut section)?;
    let section = String::from_utf8_lossy(&section);
    for line in section.lines().filter(|l| !l.starts_with(".SH ")) {
        writeln!(w, "{line}")?;
    }
    Ok(())
}

fn heading(w: &mut dyn Write, level: &str, title: &str) -> io::Result<()> {
    Roff::new().control(level, [title]).to_writer(w)
}

fn query_syntax(w: &mut dyn Write) -> io::Result<()> {
    heading(w, "SH", "QUERY SYNTAX")?;
    let mut roff = Roff::new();
    for (form, meaning) in QUERY_FORMS {
        roff.control("TP", [])
            .text([bold(*form)])
            .text([roman(*meaning)]);
    }
    for paragraph in QUERY_NOTES {
        roff.control("PP", []).text([roman(*paragraph)]);
    }
    roff.to_writer(w)
}

/// The filters' options, from the same definitions as the flags.
fn filters(w: &mut dyn Write) -> io::Result<()> {
    heading(w, "SH", "FILTERS")?;
    Roff::new()
        .text([roman(
            "search, export, cites, stats, similar and alert add take these, \
             each narrowing the query's matches; all of them together narrow \
             to the decisions every one keeps.",
        )])
        .to_writer(w)?;
    let flags = super::filters::FilterArgs::augment_args(
        clap::Command::new("filters").disable_help_flag(true),
    );
    without_heading(w, |out| Man::new(flags).render_options_section(out))
}

fn examples(w: &mut dyn Write) -> io::Result<()> {
    heading(w, "SH", "EXAMPLES")?;
    let mut roff = Roff::new();
    for (what, command) in EXAMPLES {
        roff.control("PP", []).text([roman(*what)]);
        roff.control("nf", [])
            .control("RS", [])
            .text([roman(*command)]);
        roff.control("RE", []).control("fi", []);
    }
    roff.to_writer(w)
}

const QUERY_FORMS: &[(&str, &str)] = &[
    (
        "norco tramadol",
        "both words, in the decision's own words: its item or rationale",
    ),
    ("\"topical analgesics\"", "the phrase"),
    (
        "norco OR tramadol, norco AND NOT acupuncture, +norco -acupuncture",
        "operators",
    ),
    ("(norco OR tramadol) page:80", "grouping"),
    (
        "cyclobenz*",
        "prefix; it may stand for at most 1,000 of the index's words",
    ),
    (
        "*",
        "every decision (the filters narrow it); with no query at all, \
         search takes * when a filter is given",
    ),
    (
        "item:, rationale:, summary:, drug:, class:, category:, guideline:, \
         page:, specialty:, state:, outcome:, year:",
        "one field, e.g. page:80, drug:norco, summary:sprain",
    ),
];

const QUERY_NOTES: &[&str] = &[
    "The letter's clinical case summary is searched only when asked \
     (summary:sprain); a summary match then counts for each of the letter's \
     decisions. A word or drug: value naming a drug finds the decisions on \
     it by any of its names, through the drug table: a generic finds every \
     brand and compound containing it, a brand finds its generics.",
    "Matches in the item count three times those in the rationale; \
     --sort newest|oldest orders by the letter's date instead. A word that \
     finds nothing gets a suggestion on stderr.",
    "A malformed query exits 2 naming the column where it went wrong and \
     what was expected. A query holds at most 10,000 characters and at most \
     1,000 words and phrases.",
];

const SECTIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "EXIT STATUS",
        &[
            (
                "0",
                "success; search, export, cites, stats, similar found at least \
                 one decision; alert run reported at least one new decision",
            ),
            (
                "1",
                "search, export, cites, stats, similar found nothing; alert run \
                 found nothing new; where names an index that does not exist \
                 yet; ingest skipped a file or flagged a letter (the report \
                 lists each)",
            ),
            (
                "2",
                "bad usage, a malformed or oversized query, a missing, damaged, \
                 foreign or unreadable index (check: the index is not sound), \
                 an index being written by another ingest, a failed write, or \
                 an internal error; alert run: an alert could not run (named \
                 on stderr; the others ran and were recorded)",
            ),
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            ("IMR_INDEX", "the index folder, when --index is not given"),
            (
                "XDG_DATA_HOME, HOME",
                "where the default index lives: $XDG_DATA_HOME/imr/index, else \
                 ~/.local/share/imr/index",
            ),
            ("NO_COLOR", "no bold or colour"),
            (
                "CLICOLOR_FORCE",
                "bold and colour even when piped; --color always|never \
                 overrides both",
            ),
        ],
    ),
    (
        "FILES",
        &[
            (
                "DIR",
                "the index folder: --index DIR, else $IMR_INDEX, else \
                 imr/index in the user's data folder. With none named and none \
                 there, reading commands search the five bundled sample \
                 letters, with a note on stderr; imr where says which index a \
                 command would use",
            ),
            (
                "DIR/alerts.json",
                "the index's saved searches (imr alert), written whole and \
                 renamed into place",
            ),
            (
                "DIR/.imr-ingest.lock",
                "the advisory lock an ingest holds, with its pid, while it \
                 writes; a second ingest into the same index is refused",
            ),
        ],
    ),
];

/// Each runs as shown from a folder holding imr's `data/` (tests/shell.rs).
const EXAMPLES: &[(&str, &str)] = &[
    (
        "Index the sample letters and the real ones:",
        "imr ingest data/letters data/real/txt",
    ),
    (
        "The three best-matching decisions on cyclobenzaprine:",
        "imr search cyclobenzaprine --limit 3",
    ),
    (
        "Every overturned decision, as JSON:",
        "imr search '*' --outcome overturned --format json",
    ),
    (
        "How often each guideline page is cited for Norco:",
        "imr cites norco",
    ),
    (
        "Every decision, as CSV for a spreadsheet:",
        "imr export --format csv > decisions.csv",
    ),
    (
        "Save a search, to hear of new decisions matching it with imr alert run:",
        "imr alert add opioids '*' --class opioids && imr alert list",
    ),
];
