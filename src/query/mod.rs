//! Query stage: a typed request → a typed result over an opened index.

pub mod alert;
pub mod cites;
pub mod excerpt;
pub mod export;
pub mod original;
pub mod parse;
pub mod reference;
pub mod search;
pub mod similar;
pub mod stats;
pub mod suggest;
pub mod timeline;
pub mod whole_letter;

pub use export::export;
pub use reference::{LetterRecords, ReferenceError, lookup, lookup_letter};
pub use search::{FACETS, Facets, Filters, Hit, Request, Results, Sort, search};
