//! The declarative schema file and the code agree: the code fills exactly
//! the fields `schema/schema.toml` declares.

use std::collections::BTreeSet;

use imr::index::{Fields, SchemaFile, document};
use imr::read::Stamp;

/// A file's size and modification time, as ingest indexes them.
const STAMP: Stamp = Stamp {
    size: 4096,
    modified: 1_483_660_800_000_000_000,
};

/// When ingest added a letter, nanoseconds since 1970.
const INGESTED: u64 = 1_796_000_000_000_000_000;

/// Letters that between them fill every field: the seeds (no cover block)
/// and a 2016 letter (cover block with case number and dates).
fn letters() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = imr::sample::LETTERS
        .iter()
        .map(|(p, b)| ((*p).to_owned(), b.to_vec()))
        .collect();
    let real = "data/real/txt/CM16-0224814.txt";
    let path = format!("{}/{real}", env!("CARGO_MANIFEST_DIR"));
    out.push((real.to_owned(), std::fs::read(path).expect("real letter")));
    out
}

#[test]
fn the_code_fills_every_declared_field_and_no_other() {
    let file = SchemaFile::bundled();
    let schema = file.tantivy_schema();
    let fields = Fields::resolve(&schema).expect("every written field is declared");
    let mut filled = BTreeSet::new();
    for (source, bytes) in letters() {
        let parsed = imr::ingest::parse(&source, &bytes).expect("a letter");
        for record in &parsed.records {
            for (field, _) in document(
                &fields,
                record.clone(),
                Some(&parsed.summary),
                Some(STAMP),
                INGESTED,
            )
            .field_values()
            {
                filled.insert(schema.get_field_name(field).to_owned());
            }
        }
    }
    let declared: BTreeSet<String> = file.fields.iter().map(|f| f.name.clone()).collect();
    assert_eq!(filled, declared);
}

#[test]
fn a_schema_lacking_a_written_field_is_refused() {
    let text = imr::index::schema::SCHEMA_TOML.replace("name = \"drug\"", "name = \"drugs\"");
    let file = SchemaFile::parse(&text).expect("still valid TOML");
    let err = Fields::resolve(&file.tantivy_schema()).expect_err("drug is missing");
    assert_eq!(
        err.to_string(),
        "schema file: field `drug` is written by imr but not declared"
    );
}

#[test]
fn the_schema_file_declares_its_version() {
    assert_eq!(SchemaFile::bundled().version, 8);
}
