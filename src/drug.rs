//! Drug names: the curated table in `data/drugs.toml` (brand → generics,
//! compound → ingredients, misspellings) and finding drugs in text. Pure.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::hash::FastMap;

/// One entry of the table: a generic, a brand or a compound.
#[derive(Debug, Clone, Deserialize)]
pub struct Drug {
    pub name: String,
    /// The generics it contains; empty for a generic itself.
    #[serde(default)]
    pub generics: Vec<String>,
    pub class: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    drug: Vec<Drug>,
}

/// Every name and alias, lower case, → the generics it stands for.
#[derive(Debug, Clone)]
pub struct DrugTable {
    drugs: Vec<Drug>,
    by_name: FastMap<String, Vec<String>>,
    /// First word of a name of several words → most words such a name
    /// has: the n-gram scan tries longer keys only from these words.
    phrases: FastMap<String, usize>,
}

static BUNDLED: LazyLock<DrugTable> = LazyLock::new(|| {
    DrugTable::from_toml(include_str!("../data/drugs.toml"))
        .expect("data/drugs.toml is checked by the test suite")
});

impl DrugTable {
    /// The table compiled into imr from `data/drugs.toml`.
    pub fn bundled() -> &'static DrugTable {
        &BUNDLED
    }

    pub fn from_toml(text: &str) -> Result<DrugTable, toml::de::Error> {
        let file: File = toml::from_str(text)?;
        let mut by_name = FastMap::default();
        for drug in &file.drug {
            let generics = drug.generic_names();
            for name in std::iter::once(&drug.name).chain(&drug.aliases) {
                by_name.insert(words(name, &mut String::new()).join(" "), generics.clone());
            }
        }
        let mut phrases: FastMap<String, usize> = FastMap::default();
        for name in by_name.keys() {
            let mut words = name.split(' ');
            let (first, n) = (words.next().unwrap_or_default(), words.count() + 1);
            if n > 1 {
                let most = phrases.entry(first.to_owned()).or_default();
                *most = (*most).max(n);
            }
        }
        Ok(DrugTable {
            drugs: file.drug,
            by_name,
            phrases,
        })
    }

    pub fn drugs(&self) -> &[Drug] {
        &self.drugs
    }

    /// The generics a name stands for ("Norco" → hydrocodone, acetaminophen).
    pub fn generics_of(&self, name: &str) -> Option<&[String]> {
        let key = words(name, &mut String::new()).join(" ");
        self.by_name.get(&key).map(Vec::as_slice)
    }

    /// The generic names of the drugs named in `text`, sorted, unique.
    /// Longer names win: "Voltaren gel" before "Voltaren".
    pub fn find(&self, text: &str) -> Vec<String> {
        let mut lower = String::new();
        let words = words(text, &mut lower);
        let mut found: Vec<String> = Vec::new();
        let mut key = String::new();
        let mut i = 0;
        while i < words.len() {
            let longest = self.phrases.get(words[i]).copied().unwrap_or(1);
            let hit = (1..=longest.min(words.len() - i)).rev().find_map(|n| {
                key.clear();
                for (k, word) in words[i..i + n].iter().enumerate() {
                    key.push_str(if k == 0 { "" } else { " " });
                    key.push_str(word);
                }
                self.by_name.get(&key).map(|g| (n, g))
            });
            match hit {
                Some((n, generics)) => {
                    found.extend(generics.iter().cloned());
                    i += n;
                }
                None => i += 1,
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl Drug {
    /// Its generics: itself when it is a generic.
    pub fn generic_names(&self) -> Vec<String> {
        if self.generics.is_empty() {
            vec![self.name.to_lowercase()]
        } else {
            self.generics.iter().map(|g| g.to_lowercase()).collect()
        }
    }
}

/// The lower-case words of `text` (letters and digits; everything else
/// separates), as slices of `lower`, which holds them.
fn words<'l>(text: &str, lower: &'l mut String) -> Vec<&'l str> {
    lower.clear();
    if text.is_ascii() {
        // Lowered once and sliced, no word copied: nearly every item is
        // ASCII, and this runs on every item.
        lower.push_str(text);
        lower.make_ascii_lowercase();
    } else {
        // Each word lowered alone ("İ" lowers to two characters, the second
        // not a letter), then joined.
        let split = text.split(|c: char| !c.is_alphanumeric());
        for word in split.filter(|w| !w.is_empty()) {
            lower.push_str(&word.to_lowercase());
            lower.push(' ');
        }
        return lower.split(' ').filter(|w| !w.is_empty()).collect();
    }
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
[[drug]]
name = "cyclobenzaprine"
class = "muscle relaxant"
[[drug]]
name = "Fexmid"
generics = ["cyclobenzaprine"]
class = "muscle relaxant"
[[drug]]
name = "methyl salicylate"
class = "topical"
[[drug]]
name = "Dendracin"
generics = ["capsaicin", "menthol", "methyl salicylate"]
class = "topical compound"
aliases = ["Dendracin Neurodendraxin"]
"#;

    #[test]
    fn finds_brands_generics_and_compounds() {
        let t = DrugTable::from_toml(TABLE).unwrap();
        assert_eq!(
            t.find("RETROSPECTIVE REQUEST FOR FEXMID 7.5 MG"),
            ["cyclobenzaprine"]
        );
        assert_eq!(
            t.find("Dendracin lotion and Cyclobenzaprine 2% cream"),
            [
                "capsaicin",
                "cyclobenzaprine",
                "menthol",
                "methyl salicylate"
            ]
        );
        assert_eq!(t.find("methyl-salicylate"), ["methyl salicylate"]);
        assert!(t.find("Acupuncture two (2) times").is_empty());
    }

    #[test]
    fn bundled_table_is_closed_and_large() {
        let t = DrugTable::bundled();
        assert!(t.drugs().len() >= 150, "{} entries", t.drugs().len());
        for drug in t.drugs() {
            for g in drug.generic_names() {
                assert!(
                    t.generics_of(&g).is_some(),
                    "{} names {g}, which has no entry",
                    drug.name
                );
            }
        }
        assert_eq!(t.find("Norco 10/325 #90"), ["acetaminophen", "hydrocodone"]);
        assert_eq!(
            t.find("Terocin"),
            ["capsaicin", "lidocaine", "menthol", "methyl salicylate"]
        );
    }
}
