//! imr: search California workers' compensation Independent Medical Review
//! decisions.
//!
//! The data's path through the crate: [`read`] (files → bytes) →
//! [`decode`] (bytes → clean text) → [`letter`] (text → `Letter`) →
//! [`decision`] and [`citation`] (decisions, outcomes, guideline pages) →
//! [`record`] (the export record) → [`index`] (tantivy) → [`query`]
//! (search, typed results) → [`render`] (text, JSON, CSV) or [`web`]
//! (HTML pages and JSON over HTTP).

pub mod category;
pub mod citation;
pub mod decision;
pub mod decode;
pub mod drug;
pub mod error;
pub mod index;
pub mod ingest;
pub mod letter;
mod pattern;
pub mod query;
pub mod read;
pub mod record;
pub mod render;
pub mod sample;
pub mod sentence;
pub mod web;

pub use category::{Category, CategoryTable};
pub use citation::{By, Citation, Source};
pub use decision::{Decision, Outcome};
pub use drug::{Drug, DrugTable};
pub use error::{Error, Result};
pub use letter::{Letter, Reviewer};
pub use record::Record;
