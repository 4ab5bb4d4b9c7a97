//! The bundled sample: the five letters of `data/letters/` → their paths
//! and bytes, compiled in so that `imr search` answers on a fresh machine
//! with no index.

/// (path as shown, bytes) of each sample letter.
pub const LETTERS: [(&str, &[u8]); 5] = [
    (
        "data/letters/000_e9bf73e65e666cd1.txt",
        include_bytes!("../data/letters/000_e9bf73e65e666cd1.txt"),
    ),
    (
        "data/letters/001_9643e271e3338345.txt",
        include_bytes!("../data/letters/001_9643e271e3338345.txt"),
    ),
    (
        "data/letters/002_fdf6e10f2920473d.txt",
        include_bytes!("../data/letters/002_fdf6e10f2920473d.txt"),
    ),
    (
        "data/letters/003_7836691e6d3f4cd1.txt",
        include_bytes!("../data/letters/003_7836691e6d3f4cd1.txt"),
    ),
    (
        "data/letters/004_7763e284d3bf24d4.txt",
        include_bytes!("../data/letters/004_7763e284d3bf24d4.txt"),
    ),
];
