//! JSON output: search results as one object, records as JSON lines.

use std::io::Write;

use serde::Serialize;

use crate::query::Results;
use crate::record::Record;

/// One value as JSON on its own line.
pub(crate) fn json_line<T: Serialize>(value: &T, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

pub fn search(results: &Results, out: &mut impl Write) -> std::io::Result<()> {
    json_line(results, out)
}

/// One hit per line (record, score, excerpt, highlights), for streaming.
pub fn hits(results: &Results, out: &mut impl Write) -> std::io::Result<()> {
    results.hits.iter().try_for_each(|hit| json_line(hit, out))
}

/// The export record as one JSON object on its own line.
pub fn record(record: &Record, out: &mut impl Write) -> std::io::Result<()> {
    json_line(record, out)
}
