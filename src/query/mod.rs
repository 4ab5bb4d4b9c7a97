//! Query stage: a typed request → a typed result over an opened index.

pub mod parse;
pub mod search;

pub use search::{FACETS, Facets, Filters, Hit, Request, Results, export, search};
