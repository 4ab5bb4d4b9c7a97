//! A fast hash for the parser's and the tokenizer's own tables: SipHash's
//! resistance to chosen keys buys nothing for tables of words from
//! letters, which are rebuilt or bounded, and it cost more than the lookups.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

/// A `HashMap` with the multiply-rotate hash.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fast>>;

/// A `HashSet` with the multiply-rotate hash.
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<Fast>>;

/// The multiply-rotate hash of `s`.
pub(crate) fn of(s: &str) -> u64 {
    BuildHasherDefault::<Fast>::default().hash_one(s)
}

/// Multiply-rotate over eight bytes at a time.
#[derive(Default)]
pub(crate) struct Fast(u64);

impl Hasher for Fast {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.write_u64(u64::from_le_bytes(word));
        }
        // The tail (up to seven bytes) and its length as one number, so
        // that trailing zero bytes count; copied a byte at a time, as a
        // slice copy of a few bytes was a call to memmove.
        let rest = chunks.remainder();
        let mut tail = [0; 8];
        tail.iter_mut().zip(rest).for_each(|(t, b)| *t = *b);
        tail[7] = rest.len() as u8;
        self.write_u64(u64::from_le_bytes(tail));
    }

    fn write_u8(&mut self, byte: u8) {
        self.write_u64(u64::from(byte));
    }

    fn write_u64(&mut self, word: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }

    fn write_u128(&mut self, word: u128) {
        // Truncations meant: the low half, then the high half.
        self.write_u64(word as u64);
        self.write_u64((word >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        // hashbrown picks buckets from the low bits and tags from the top
        // seven: fold the well-mixed high half into both.
        self.0 ^ (self.0 >> 29) ^ self.0.rotate_left(17)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(s: &str) -> u64 {
        of(s)
    }

    #[test]
    fn words_differing_in_any_byte_or_length_hash_apart() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefgi",
            "abcdefgh\0",
            "bcdefghij",
        ];
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert_ne!(hash(a), hash(b), "{a:?} {b:?}");
            }
        }
    }
}
