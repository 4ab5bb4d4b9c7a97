//! Index stage: records → a tantivy index on disk (or in memory for the
//! bundled sample), and back. The schema comes from `schema/schema.toml`.

pub mod check;
pub mod info;
pub mod read;
pub mod schema;
pub mod stem;
pub mod write;

pub use read::{Opened, open, open_sample};
pub use schema::{Fields, SchemaFile};
pub use write::{Writer, document};

/// What imr records in each commit's payload.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    pub schema_version: u64,
    /// Seconds since the Unix epoch of the commit.
    pub committed_at: u64,
}
