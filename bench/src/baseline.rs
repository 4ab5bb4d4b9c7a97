//! The baselines, each indexing the letters as plain text (bytes read,
//! invalid UTF-8 replaced, nothing parsed) in a child process of its own:
//! bare tantivy with imr's writer threads and memory budget (and tantivy's
//! own merge policy), and SQLite FTS5.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;
use tantivy::schema::{STORED, Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument, doc};

use crate::corpus;

/// imr's writer memory budget.
pub const WRITER_BUDGET: usize = imr::index::write::MEMORY_BUDGET;

/// The indexing threads `Index::writer` gives imr with that budget: one a
/// core, at most tantivy's eight (each thread's share stays above its
/// minimum).
pub fn writer_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
}

/// Reads each letter as text, in path order.
fn letters(dir: &Path) -> impl Iterator<Item = Result<(String, String)>> {
    corpus::files(dir).into_iter().map(|path| {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Ok((path.display().to_string(), text))
    })
}

/// Indexes the letters under `corpus` into a new tantivy index at `out`:
/// one stored text field, the default tokenizer. Prints the letter count.
pub fn index_tantivy(corpus: &Path, out: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", TEXT | STORED);
    let index = Index::create_in_dir(out, schema.build())?;
    let mut writer: IndexWriter<TantivyDocument> =
        index.writer_with_num_threads(writer_threads(), WRITER_BUDGET)?;
    let mut count = 0_u64;
    for letter in letters(corpus) {
        let (_, text) = letter?;
        writer.add_document(doc!(body => text))?;
        count += 1;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    println!("{count}");
    Ok(())
}

/// The FTS5 table: the path for the hit, the letter's text indexed.
const FTS5_SCHEMA: &str =
    "CREATE VIRTUAL TABLE letters USING fts5(path UNINDEXED, body, tokenize = 'porter unicode61');";

/// Indexes the letters under `corpus` into a new SQLite database at `out`
/// in one transaction. Prints the letter count.
pub fn index_fts5(corpus: &Path, out: &Path) -> Result<()> {
    let _ = std::fs::remove_file(out);
    let mut db = Connection::open(out).with_context(|| format!("creating {}", out.display()))?;
    db.execute_batch(FTS5_SCHEMA)?;
    let tx = db.transaction()?;
    let mut count = 0_u64;
    {
        let mut insert = tx.prepare("INSERT INTO letters (path, body) VALUES (?1, ?2)")?;
        for letter in letters(corpus) {
            let (path, text) = letter?;
            insert.execute((path, text))?;
            count += 1;
        }
    }
    tx.commit()?;
    println!("{count}");
    Ok(())
}

/// An FTS5 database opened for searching.
pub struct Fts5(Connection);

impl Fts5 {
    pub fn open(path: &Path) -> Result<Fts5> {
        let db = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        Ok(Fts5(db))
    }

    /// The top ten letters by rank, each with its path and a highlighted
    /// snippet of up to 40 tokens; returns how many came back.
    pub fn top10(&self, query: &str) -> Result<usize> {
        let mut top = self.0.prepare_cached(
            "SELECT path, snippet(letters, 1, '[', ']', '…', 40) FROM letters \
             WHERE letters MATCH ?1 ORDER BY rank LIMIT 10",
        )?;
        let rows = top.query_map([query], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let hits = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(hits.len())
    }

    /// How many letters match.
    pub fn count(&self, query: &str) -> Result<u64> {
        let n: i64 = self.0.query_row(
            "SELECT count(*) FROM letters WHERE letters MATCH ?1",
            [query],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(n)?)
    }
}
