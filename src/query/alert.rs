//! Query stage: saved searches (alerts) → the decisions each matches that
//! were ingested since it last looked and that it never reported; and the
//! alerts file, which lives in the index folder it belongs to.
//!
//! "New" is told by the `ingested` column: ingest gives each letter a
//! time later than any before it, and commits whole letters in that
//! order, so whatever a search cannot see yet will have a time later than
//! the latest it can. An alert keeps that latest time (`seen_through`)
//! from each run; the next run asks for the decisions ingested after it.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery};
use tantivy::{Order, Term};

use super::search::{self, Excerpts, Filters, Hit};
use crate::error::{Error, Result};
use crate::index::Opened;
use crate::index::write::latest_ingested;
use crate::record::Record;

/// The alerts file, in the index folder.
pub const FILE: &str = "alerts.json";

/// Held (flock) while the alerts file is read, changed and written back.
const LOCK_FILE: &str = ".imr-alerts.lock";

/// The longest alert name.
const MAX_NAME: usize = 64;

/// A saved search: a query and filters as `imr search` takes them, and
/// what it has seen and reported so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    pub name: String,
    /// `*` for every decision the filters keep.
    pub query: String,
    #[serde(default)]
    pub filters: Filters,
    /// When it was saved, RFC 3339.
    pub created: String,
    /// When it last ran, RFC 3339; null before its first run.
    #[serde(default)]
    pub last_run: Option<String>,
    /// The ingest time (`ingested` column) of the latest decision the index
    /// held when the alert was saved or last ran: what was ingested later
    /// is new to it. Null when the index held none.
    #[serde(default)]
    pub seen_through: Option<u64>,
    /// Every decision it has reported, ever.
    #[serde(default)]
    pub reported: Vec<Reported>,
}

/// A decision an alert reported, by what outlives a re-ingest and a
/// changed copy of its letter: the case number with the decision's
/// number; for a letter without one, its id or its path with the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reported {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    pub letter: String,
    pub source: String,
    pub decision: u32,
}

impl Reported {
    pub fn of(r: &Record) -> Reported {
        Reported {
            case_number: r.case_number.clone(),
            letter: r.letter.clone(),
            source: r.source.clone(),
            decision: r.decision,
        }
    }

    /// The keys a decision is known by: its case number's, else its
    /// letter's and its path's.
    fn keys(&self) -> Vec<String> {
        let n = self.decision;
        match &self.case_number {
            Some(case) => vec![format!("case {case}#{n}")],
            None => vec![
                format!("letter {}#{n}", self.letter),
                format!("source {}#{n}", self.source),
            ],
        }
    }
}

impl Alert {
    /// A new alert on `index`, to report what is ingested from now on.
    /// Refused, with what to write instead, when the name, the query or a
    /// filter cannot be used.
    pub fn new(index: &Opened, name: &str, query: &str, filters: Filters) -> Result<Alert> {
        check_name(name)?;
        let query = query.trim();
        check_filters(&filters)?;
        index.guard(|| {
            // Built once, so a query that cannot run is never saved.
            search::filtered(index, Some(query), &filters)?;
            let searcher = index.reader.searcher();
            let seen = latest_ingested(&searcher, index.fields.ingested)
                .map_err(|e| search::index_error(index, e))?;
            Ok(Alert {
                name: name.to_owned(),
                query: query.to_owned(),
                filters,
                created: now(),
                last_run: None,
                seen_through: seen,
                reported: Vec::new(),
            })
        })
    }

    /// Notes a run whose report has been delivered: what it saw, and the
    /// decisions it reported.
    pub fn record(&mut self, report: &Report) {
        self.last_run = Some(now());
        self.seen_through = self.seen_through.max(report.seen_through);
        self.reported
            .extend(report.hits.iter().map(|h| Reported::of(&h.record)));
    }
}

/// What one run of an alert found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub alert: String,
    pub query: String,
    pub filters: Filters,
    /// How many decisions are new to the alert: ingested after it last
    /// looked, and never reported by it.
    pub total: usize,
    /// Those decisions, best match first, as `imr search` gives hits.
    pub hits: Vec<Hit>,
    /// The latest ingest time the run saw.
    #[serde(skip)]
    pub seen_through: Option<u64>,
}

/// The decisions new to `alert`; nothing is recorded (`Alert::record`).
pub fn run(index: &Opened, alert: &Alert) -> Result<Report> {
    check_filters(&alert.filters)?;
    index.guard(|| {
        let searcher = index.reader.searcher();
        let err = |e| search::index_error(index, e);
        // Both from this one commit: what it holds up to `seen`.
        let seen = latest_ingested(&searcher, index.fields.ingested).map_err(err)?;
        let (query, expanded) = search::filtered(index, Some(&alert.query), &alert.filters)?;
        let query = ingested_after(index, query, alert.seen_through);
        let count = searcher.search(&query, &Count).map_err(err)?;
        let top = TopDocs::with_limit(count.max(1)).order_by_score();
        let matched = searcher.search(&query, &top).map_err(err)?;
        let excerpts = Excerpts::new(&searcher, &*query, &index.fields).map_err(err)?;
        let mut known: HashSet<String> = alert.reported.iter().flat_map(Reported::keys).collect();
        let mut hits = Vec::new();
        for (score, address) in matched {
            let record = crate::index::record(&searcher, index, address)?;
            let keys = Reported::of(&record).keys();
            // Reported before, or a second copy in this run.
            if keys.iter().any(|k| known.contains(k)) {
                continue;
            }
            known.extend(keys);
            hits.push(excerpts.hit(score, record, &expanded));
        }
        Ok(Report {
            alert: alert.name.clone(),
            query: alert.query.clone(),
            filters: alert.filters.clone(),
            total: hits.len(),
            hits,
            seen_through: seen,
        })
    })
}

/// A decision of an alert's feed, with when it was ingested.
#[derive(Debug, Clone)]
pub struct Entry {
    pub hit: Hit,
    /// Nanoseconds since 1970.
    pub ingested: u64,
}

/// The `limit` decisions matching `alert` that were ingested last, the
/// latest first: its feed, whatever its runs have reported.
pub fn latest(index: &Opened, alert: &Alert, limit: usize) -> Result<Vec<Entry>> {
    check_filters(&alert.filters)?;
    index.guard(|| {
        let searcher = index.reader.searcher();
        let err = |e| search::index_error(index, e);
        let (query, expanded) = search::filtered(index, Some(&alert.query), &alert.filters)?;
        let (limit, _) = search::window(&searcher, limit, 0);
        let name = searcher.schema().get_field_name(index.fields.ingested);
        let top = TopDocs::with_limit(limit.max(1)).order_by_fast_field::<u64>(name, Order::Desc);
        let matched = searcher.search(&query, &top).map_err(err)?;
        let excerpts = Excerpts::new(&searcher, &*query, &index.fields).map_err(err)?;
        matched
            .into_iter()
            .take(limit)
            .map(|(ingested, address)| {
                let record = crate::index::record(&searcher, index, address)?;
                Ok(Entry {
                    hit: excerpts.hit(0.0, record, &expanded),
                    ingested: ingested.unwrap_or(0),
                })
            })
            .collect()
    })
}

/// `query`, kept to the decisions ingested after `seen` (all when none).
fn ingested_after(index: &Opened, query: Box<dyn Query>, seen: Option<u64>) -> Box<dyn Query> {
    let Some(seen) = seen else {
        return query;
    };
    let after = RangeQuery::new(
        Bound::Excluded(Term::from_field_u64(index.fields.ingested, seen)),
        Bound::Unbounded,
    );
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, query),
        (Occur::Must, Box::new(after)),
    ]))
}

/// Letters, digits, `-` and `_`: a name that is also a file name in the
/// feed's URL (`/alerts/NAME.atom`) and a word on a command line.
fn check_name(name: &str) -> Result<()> {
    let fits = (1..=MAX_NAME).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match fits {
        true => Ok(()),
        false => Err(Error::Usage(format!(
            "`{name}` is not an alert name: use letters, digits, `-` and `_`, starting with a letter or digit, at most {MAX_NAME}"
        ))),
    }
}

/// The values the query stage does not check itself (dates it does).
fn check_filters(filters: &Filters) -> Result<()> {
    match filters.outcome.as_deref() {
        None | Some("upheld" | "overturned" | "unknown") => Ok(()),
        Some(other) => Err(Error::Usage(format!(
            "`{other}` is not an outcome: choose upheld, overturned or unknown"
        ))),
    }
}

/// Now, as RFC 3339 to the second in UTC.
fn now() -> String {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One entry of the alerts file: an alert, or what could not be read as
/// one (edited by hand, or saved by another version of imr), which is
/// kept as it is and reported by name when it would run.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Alert(Box<Alert>),
    Unreadable {
        name: String,
        reason: String,
        raw: Value,
    },
}

impl Saved {
    pub fn name(&self) -> &str {
        match self {
            Saved::Alert(a) => &a.name,
            Saved::Unreadable { name, .. } => name,
        }
    }

    fn read(n: usize, raw: Value) -> Saved {
        match Alert::deserialize(&raw) {
            Ok(alert) => Saved::Alert(Box::new(alert)),
            Err(e) => Saved::Unreadable {
                name: raw
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("#{}", n + 1), str::to_owned),
                reason: e.to_string(),
                raw,
            },
        }
    }

    fn value(&self) -> Value {
        match self {
            Saved::Alert(a) => {
                let mut value = serde_json::to_value(a).unwrap_or(Value::Null);
                // The filters set, not the ten that could be.
                if let Some(Value::Object(filters)) = value.get_mut("filters") {
                    filters.retain(|_, v| !v.is_null());
                }
                value
            }
            Saved::Unreadable { raw, .. } => raw.clone(),
        }
    }
}

/// The alerts file as written: `{"alerts": [...]}`.
#[derive(Serialize, Deserialize)]
struct Form {
    alerts: Vec<Value>,
}

/// An index's alerts, read from its folder; to change them, opened with
/// [`Alerts::edit`], which holds the file's lock until dropped.
#[derive(Debug)]
pub struct Alerts {
    folder: PathBuf,
    pub saved: Vec<Saved>,
    lock: Option<File>,
}

impl Alerts {
    /// The alerts of the index in `folder` (none when it has no alerts
    /// file), to read.
    pub fn read(folder: &Path) -> Result<Alerts> {
        let path = folder.join(FILE);
        let saved = match std::fs::read(&path) {
            Ok(bytes) => {
                let form: Form = serde_json::from_slice(&bytes).map_err(|e| {
                    Error::Usage(format!(
                        "{} is not an alerts file ({e}): correct it, or remove it to start again",
                        path.display()
                    ))
                })?;
                form.alerts
                    .into_iter()
                    .enumerate()
                    .map(|(n, raw)| Saved::read(n, raw))
                    .collect()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(Error::Io { path, source }),
        };
        Ok(Alerts {
            folder: folder.to_path_buf(),
            saved,
            lock: None,
        })
    }

    /// The alerts of the index in `folder`, to change and [`save`]: waits
    /// for another command or the server changing them to finish.
    ///
    /// [`save`]: Alerts::save
    pub fn edit(folder: &Path) -> Result<Alerts> {
        let path = folder.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .and_then(|f| f.lock().map(|()| f))
            .map_err(|source| Error::Io { path, source })?;
        Ok(Alerts {
            lock: Some(lock),
            ..Alerts::read(folder)?
        })
    }

    /// The folder of `index`, where its alerts are kept; refused for the
    /// bundled sample, which is in memory.
    pub fn folder(index: &Opened) -> Result<&Path> {
        match index.path.join("meta.json").is_file() {
            true => Ok(&index.path),
            false => Err(Error::Usage(format!(
                "alerts are kept in the index folder, and {} is not on disk: create an index with `imr ingest LETTERS...`",
                index.path.display()
            ))),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Saved> {
        self.saved.iter().find(|s| s.name() == name)
    }

    /// The alert named `name`, to change.
    pub fn alert_mut(&mut self, name: &str) -> Option<&mut Alert> {
        self.saved.iter_mut().find_map(|s| match s {
            Saved::Alert(a) if a.name == name => Some(&mut **a),
            _ => None,
        })
    }

    pub fn add(&mut self, alert: Alert) -> Result<()> {
        if self.get(&alert.name).is_some() {
            return Err(Error::Usage(format!(
                "an alert named `{}` exists: choose another name, or remove it first (`imr alert remove {}`)",
                alert.name, alert.name
            )));
        }
        self.saved.push(Saved::Alert(Box::new(alert)));
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<Saved> {
        match self.saved.iter().position(|s| s.name() == name) {
            Some(at) => Ok(self.saved.remove(at)),
            None => Err(self.unknown(name)),
        }
    }

    /// The error for an alert name none has.
    pub fn unknown(&self, name: &str) -> Error {
        let names: Vec<&str> = self.saved.iter().map(Saved::name).collect();
        let have = match names.is_empty() {
            true => "there are none; add one with `imr alert add NAME QUERY`".to_owned(),
            false => format!("the alerts are {}", names.join(", ")),
        };
        Error::Usage(format!("no alert named `{name}`: {have}"))
    }

    /// Writes the alerts file whole, to a temporary file renamed over it:
    /// a crash leaves the old file or the new, never a part. Only with
    /// the lock (`edit`).
    pub fn save(&self) -> Result<()> {
        if self.lock.is_none() {
            return Err(Error::Usage(
                "the alerts were read without their lock and cannot be saved".to_owned(),
            ));
        }
        let path = self.folder.join(FILE);
        let temp = self.folder.join(format!(".{FILE}.{}", std::process::id()));
        let form = Form {
            alerts: self.saved.iter().map(Saved::value).collect(),
        };
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let mut text = serde_json::to_vec_pretty(&form).unwrap_or_default();
        text.push(b'\n');
        let written = File::create(&temp).and_then(|mut f| {
            f.write_all(&text)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&temp, &path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(io(e));
        }
        // The rename itself made durable.
        File::open(&self.folder)
            .and_then(|d| d.sync_all())
            .map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_words_of_a_url_and_a_command_line() {
        for good in ["lyrica", "MRI-overturned", "page_111", "9"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "a b", "a/b", "a.atom", "é", &"x".repeat(65)] {
            assert_eq!(
                check_name(bad).unwrap_err().to_string(),
                format!(
                    "`{bad}` is not an alert name: use letters, digits, `-` and `_`, starting with a letter or digit, at most 64"
                )
            );
        }
    }

    #[test]
    fn a_decision_is_known_by_its_case_number_else_its_letter_or_path() {
        let with_case = Reported {
            case_number: Some("CM17-0019120".into()),
            letter: "ab".into(),
            source: "a.txt".into(),
            decision: 2,
        };
        assert_eq!(with_case.keys(), ["case CM17-0019120#2"]);
        let without = Reported {
            case_number: None,
            ..with_case
        };
        assert_eq!(without.keys(), ["letter ab#2", "source a.txt#2"]);
    }

    #[test]
    fn an_entry_that_is_no_alert_is_kept_and_named() {
        let raw = serde_json::json!({"name": "old", "query": 3});
        let saved = Saved::read(0, raw.clone());
        assert_eq!(saved.name(), "old");
        assert_eq!(saved.value(), raw);
        let nameless = Saved::read(4, serde_json::json!([]));
        assert_eq!(nameless.name(), "#5");
    }
}
