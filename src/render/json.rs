//! JSON output: search results as one object, records as JSON lines.

use std::io::Write;

use crate::query::Results;
use crate::record::Record;

pub fn search(results: &Results, out: &mut impl Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, results)?;
    writeln!(out)
}

/// One hit per line (record, score, excerpt, highlights), for streaming.
pub fn hits(results: &Results, out: &mut impl Write) -> std::io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, hit)?;
        writeln!(out)?;
    }
    Ok(())
}

/// One JSON object per line: the export record.
pub fn records(records: &[Record], out: &mut impl Write) -> std::io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *out, record)?;
        writeln!(out)?;
    }
    Ok(())
}
