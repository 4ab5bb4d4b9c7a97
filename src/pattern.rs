//! Patterns for the parser: a case-insensitive regex and the words every
//! match holds → a search only of texts that hold one. The parser runs
//! many regexes over short texts, and most texts cannot match most of them.

use regex::Regex;

/// A case-insensitive pattern and words of which every match holds one:
/// a text holding none is not searched. The words are ASCII lower case
/// without "k" or "s", which `(?i)` also finds as non-ASCII letters (K, ſ).
pub(crate) struct Hinted {
    pub(crate) regex: Regex,
    /// Searchers built once: `str::contains` built one at every call,
    /// which was most of a hint's cost.
    hints: Vec<memchr::memmem::Finder<'static>>,
}

impl Hinted {
    pub(crate) fn new(pattern: &str, hints: &'static [&'static str]) -> Hinted {
        Hinted {
            regex: Regex::new(pattern).expect("valid regex"),
            hints: hints.iter().map(memchr::memmem::Finder::new).collect(),
        }
    }

    /// `lower` is `text` in ASCII lower case.
    pub(crate) fn may_match(&self, lower: &str) -> bool {
        self.hints
            .iter()
            .any(|h| h.find(lower.as_bytes()).is_some())
    }

    pub(crate) fn find<'t>(&self, text: &'t str, lower: &str) -> Option<regex::Match<'t>> {
        self.may_match(lower)
            .then(|| self.regex.find(text))
            .flatten()
    }

    pub(crate) fn is_match(&self, text: &str, lower: &str) -> bool {
        self.may_match(lower) && self.regex.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_searched_only_when_it_holds_a_hint() {
        let pattern = Hinted::new(r"(?i)chronic\s+pain", &["chronic"]);
        let text = "MTUS CHRONIC  Pain guidelines";
        let lower = text.to_ascii_lowercase();
        assert_eq!(
            pattern.find(text, &lower).map(|m| m.as_str()),
            Some("CHRONIC  Pain")
        );
        assert!(pattern.is_match(text, &lower));
        // The hint is checked against the lower case given, not the text.
        assert!(!pattern.is_match(text, "mtus"));
    }
}
