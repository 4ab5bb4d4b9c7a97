//! Letter parsing on arbitrary bytes: decode, letter, decisions and
//! citations, then the records. Never panics, and a letter's decisions
//! are numbered 1 to n, or are the single 0 of a letter with none.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // PDFs go to pdf-extract, another crate, whose panics imr catches;
    // libFuzzer would report them all the same.
    if bytes.starts_with(b"%PDF-") {
        return;
    }
    if let Ok(parsed) = imr::ingest::parse("fuzz.txt", bytes) {
        let numbers: Vec<u32> = parsed.records.iter().map(|r| r.decision).collect();
        let whole = numbers == [0] || numbers.iter().copied().eq(1..=numbers.len() as u32);
        assert!(whole, "decisions numbered {numbers:?}");
    }
});
