//! The query language and search on the bundled sample, on arbitrary
//! text: results, or a query or usage error, never a panic. (The library
//! turns a panic while searching into a damaged-index error; libFuzzer
//! stops at the panic itself.)

#![no_main]

use std::sync::LazyLock;

use imr::index::Opened;
use imr::query::{Filters, Request};
use libfuzzer_sys::fuzz_target;

static SAMPLE: LazyLock<Opened> =
    LazyLock::new(|| imr::ingest::open_sample().expect("the sample indexes"));

fuzz_target!(|bytes: &[u8]| {
    let Ok(query) = std::str::from_utf8(bytes) else {
        return;
    };
    let request = Request {
        query: query.to_owned(),
        filters: Filters::default(),
        limit: 10,
        offset: 0,
        facets: imr::query::FACETS.map(String::from).to_vec(),
        sort: imr::query::Sort::Relevance,
    };
    match imr::query::search(&SAMPLE, &request) {
        Ok(results) => assert!(results.hits.len() <= 10),
        Err(imr::Error::Query { .. } | imr::Error::Usage(_)) => {}
        Err(other) => panic!("{other} for {query:?}"),
    }
});
