//! Index stage: records → a tantivy index on disk (or in memory for the
//! bundled sample), and back. The schema comes from `schema/schema.toml`.

pub mod check;
pub mod info;
pub mod read;
pub mod schema;
pub mod stem;
pub mod write;

pub use read::{Opened, in_memory, open, record};
pub use schema::{Fields, SchemaFile};
pub use write::{Writer, document};

use crate::record::Record;

/// A record as the index stores it: its rationale as text, which the
/// rationale field stores, and the other fields as postcard, a compact
/// binary form quicker to write and read than JSON and a tenth smaller in
/// the index. tantivy writes a stored text whole but stored bytes one at
/// a time: with the rationale among the bytes, that was 2.7% of ingest.
pub fn encode_record(mut record: Record) -> (String, Vec<u8>) {
    let rationale = std::mem::take(&mut record.rationale);
    // Room for most records at once: grown from empty, a record was
    // reallocated and copied several times.
    let bytes = postcard::to_extend(&record, Vec::with_capacity(1024));
    (rationale, bytes.unwrap_or_default())
}

/// A record the index stored; the error says what is wrong with it.
pub fn decode_record(rationale: &str, bytes: &[u8]) -> std::result::Result<Record, String> {
    let mut record: Record =
        postcard::from_bytes(bytes).map_err(|e| format!("a stored record is unreadable: {e}"))?;
    record.rationale = rationale.to_owned();
    Ok(record)
}

/// What imr records in each commit's payload.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    pub schema_version: u64,
    /// Seconds since the Unix epoch of the commit.
    pub committed_at: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_it_was_stored() {
        let text = std::fs::read_to_string("data/letters/003_7836691e6d3f4cd1.txt").unwrap();
        let parsed = crate::ingest::parse("003.txt", text.as_bytes()).unwrap();
        assert_eq!(parsed.records.len(), 6);
        for record in &parsed.records {
            let (rationale, bytes) = encode_record(record.clone());
            assert_eq!(rationale, record.rationale);
            assert_eq!(decode_record(&rationale, &bytes).as_ref(), Ok(record));
        }
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let record = crate::ingest::parse("a.txt", b"text")
            .unwrap()
            .records
            .remove(0);
        let (rationale, stored) = encode_record(record);
        let cut = decode_record(&rationale, &stored[..stored.len() / 2]).unwrap_err();
        assert!(cut.starts_with("a stored record is unreadable: "), "{cut}");
        assert!(decode_record("", &[0xff; 16]).is_err());
        assert!(decode_record("", &[]).is_err());
    }
}
