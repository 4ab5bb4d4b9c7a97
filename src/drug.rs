//! Drug names: the curated table in `data/drugs.toml` (brand → generics,
//! compound → ingredients, the state's class, misspellings); an item's text
//! in, its generics, its first product's class and the drug-like words the
//! table lacks out. Pure.

use std::ops::ControlFlow;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

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

/// The state's Pharmaceuticals classes, as its IMR search form names them
/// (FORMAT.md, "The state's treatment categories"; the form's typos and
/// doubles normalised). Every `class` in `data/drugs.toml` is one of these,
/// and the category module files a drug under its class.
pub const CLASSES: &[&str] = &[
    "Adrenal Cortical Steroids",
    "Alpha-blocker",
    "Androgens & Anabolic Steroids",
    "AntiAnxiety",
    "Anti-coagulant",
    "Antidepressant",
    "Antidiabetics",
    "Antiemetic",
    "Anti-epilepsy drugs",
    "Antihistamine",
    "Antihypertensive",
    "Anti-infectives",
    "Antimigraine Agent",
    "Asthma Medications",
    "Atypical Antipsychotic",
    "Barbiturates",
    "Benzodiazepines",
    "Beta-blocker",
    "Bisphosphonates",
    "Calcium Channel Blocker",
    "Cannabinoids",
    "Dopamine agonists",
    "Fibric Acid",
    "GI Agents",
    "H2 Blocker",
    "Hormones",
    "Impotence Agents",
    "Injection",
    "Misc Analgesics",
    "Muscle Relaxant",
    "NSAID",
    "Nutritional Products",
    "Opioids",
    "Opioid Antagonist",
    "Proton Pump Inhibitors",
    "Sedative-hypnotics",
    "Statin",
    "Stimulants",
    "Topical Analgesics",
    "Topical Compounds",
    "TNF modifiers",
    "Viscosupplementation",
];

/// Every name and alias, lower case, → the entry it names.
#[derive(Debug, Clone)]
pub struct DrugTable {
    drugs: Vec<Drug>,
    /// Each entry's generics, as `Drug::generic_names` gives them: kept so
    /// that `find` and `generics_of` lend them instead of building them.
    generics: Vec<Vec<String>>,
    by_name: FxHashMap<String, usize>,
    /// First word of a name of several words → most words such a name
    /// has: the n-gram scan tries longer keys only from these words.
    phrases: FxHashMap<String, usize>,
    /// Every word of every name and alias: a word of an item that is one
    /// of these is no unknown drug.
    known_words: FxHashSet<String>,
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
        let generics: Vec<Vec<String>> = file.drug.iter().map(Drug::generic_names).collect();
        let mut by_name = FxHashMap::default();
        for (i, drug) in file.drug.iter().enumerate() {
            for name in std::iter::once(&drug.name).chain(&drug.aliases) {
                by_name.insert(words(name, &mut String::new()).join(" "), i);
            }
        }
        let mut phrases: FxHashMap<String, usize> = FxHashMap::default();
        for name in by_name.keys() {
            let mut words = name.split(' ');
            let (first, n) = (words.next().unwrap_or_default(), words.count() + 1);
            if n > 1 {
                let most = phrases.entry(first.to_owned()).or_default();
                *most = (*most).max(n);
            }
        }
        let known_words = by_name
            .keys()
            .flat_map(|name| name.split(' '))
            .map(str::to_owned)
            .collect();
        Ok(DrugTable {
            drugs: file.drug,
            generics,
            by_name,
            phrases,
            known_words,
        })
    }

    pub fn drugs(&self) -> &[Drug] {
        &self.drugs
    }

    /// The generics a name stands for ("Norco" → hydrocodone, acetaminophen).
    pub fn generics_of(&self, name: &str) -> Option<&[String]> {
        let key = words(name, &mut String::new()).join(" ");
        self.by_name.get(&key).map(|&i| self.generics[i].as_slice())
    }

    /// The generic names of the drugs named in `text`, sorted, unique.
    /// Longer names win: "Voltaren gel" before "Voltaren".
    pub fn find(&self, text: &str) -> Vec<String> {
        self.products(text).generics
    }

    /// The generics (as `find`) and the classes (as `classes`) of the
    /// products named in `text`, from one pass over it: a decision needs
    /// both, and one pass costs half of two.
    pub fn products(&self, text: &str) -> Products {
        let mut products = Products::default();
        self.scan(text, |i| {
            products.generics.extend(self.generics[i].iter().cloned());
            let class = &self.drugs[i].class;
            if !products.classes.contains(class) {
                products.classes.push(class.clone());
            }
            ControlFlow::Continue(())
        });
        products.generics.sort_unstable();
        products.generics.dedup();
        products
    }

    /// The state's class of the first product named in `text`, leftmost
    /// and, where names overlap, longest ("Norco 10/325 #90" → "Opioids",
    /// "Voltaren gel" → "Topical Analgesics", not Voltaren's "NSAID").
    pub fn class_of(&self, text: &str) -> Option<&str> {
        let mut class = None;
        self.scan(text, |i| {
            class = Some(self.drugs[i].class.as_str());
            ControlFlow::Break(())
        });
        class
    }

    /// Every name and alias, lower case, of the products holding all of
    /// `generics`: the names a text may use for a product of them.
    pub fn names_holding(&self, generics: &[String]) -> Vec<String> {
        let mut names: Vec<String> = self
            .by_name
            .iter()
            .filter(|(_, i)| generics.iter().all(|g| self.generics[**i].contains(g)))
            .map(|(name, _)| name.clone())
            .collect();
        names.sort_unstable();
        names
    }

    /// The state's classes of every product named in `text`, in order,
    /// unique ("Norco and Soma" → Opioids, Muscle Relaxant).
    pub fn classes(&self, text: &str) -> Vec<String> {
        self.products(text).classes
    }

    /// The words of an item that look like drug names the table does not
    /// know: lower case, unique, in order. A word looks like a drug when a
    /// strength or a dosage form follows it ("Zorvolex 35mg", "Foo
    /// cream", "Bar ER") or it is joined by "/" to such a word
    /// ("Flurbiprofen/Baclofen/Menthol cream"); words of the table's names
    /// and the stopwords of a prescription ("request", "refills", "topical")
    /// never are. What the table should learn next, found in the letters.
    pub fn unknown_words(&self, item: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for word in drug_like(&tokens(item)) {
            let word = word.to_lowercase();
            // Two letters are a unit or an abbreviation ("ER", "mg"), and a
            // word with digits a code ("B12", "x6"), not a product.
            let plausible = word.chars().count() >= 3 && word.chars().all(char::is_alphabetic);
            let common = STOPWORDS.contains(&word.as_str()) || is_form(&word) || is_unit(&word);
            if plausible && !common && !self.known_words.contains(&word) && !found.contains(&word) {
                found.push(word);
            }
        }
        found
    }

    /// Calls `hit` with the entry of each name in `text`, left to right,
    /// until it breaks. Longer names win: "Voltaren gel" before "Voltaren".
    fn scan(&self, text: &str, mut hit: impl FnMut(usize) -> ControlFlow<()>) {
        let mut lower = String::new();
        let words = words(text, &mut lower);
        let mut key = String::new();
        let mut i = 0;
        while i < words.len() {
            let longest = self.phrases.get(words[i]).copied().unwrap_or(1);
            let found = (1..=longest.min(words.len() - i)).rev().find_map(|n| {
                key.clear();
                for (k, word) in words[i..i + n].iter().enumerate() {
                    key.push_str(if k == 0 { "" } else { " " });
                    key.push_str(word);
                }
                self.by_name.get(&key).map(|&entry| (n, entry))
            });
            match found {
                Some((n, entry)) => {
                    if hit(entry).is_break() {
                        return;
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
    }
}

/// What `DrugTable::products` finds in a text.
#[derive(Debug, Default)]
pub struct Products {
    /// Generic names, lower case, sorted, unique.
    pub generics: Vec<String>,
    /// The state's classes, in order, unique.
    pub classes: Vec<String>,
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

/// Dosage forms and release codes: a word before one names a product
/// ("Lidoderm patch", "Nucynta ER").
const FORMS: &[&str] = &[
    "cap",
    "caps",
    "capsule",
    "capsules",
    "cr",
    "cream",
    "creams",
    "dr",
    "drops",
    "ds",
    "elixir",
    "er",
    "es",
    "film",
    "gel",
    "gels",
    "liquid",
    "lotion",
    "lozenge",
    "lozenges",
    "odt",
    "ointment",
    "patch",
    "patches",
    "powder",
    "softgel",
    "softgels",
    "solution",
    "spray",
    "sr",
    "suppositories",
    "suppository",
    "suspension",
    "syrup",
    "tab",
    "tablet",
    "tablets",
    "tabs",
    "xl",
    "xr",
];

/// Routes, which stand between a name and its form.
const ROUTES: &[&str] = &["oral", "topical", "transdermal"];

/// Units of a strength or an amount ("10mg", "120 grams", "25mg/ml").
const UNITS: &[&str] = &[
    "cc", "g", "gm", "gms", "gr", "gram", "grams", "iu", "mcg", "meq", "mg", "mgs", "ml", "mls",
    "oz", "ug",
];

/// Words of prescriptions and requests that stand next to a strength or a
/// form but name no product ("Retrospective request for … cream",
/// "Wrist braces #2", "Toradol injection 60mg").
const STOPWORDS: &[&str] = &[
    "additional",
    "affected",
    "ampule",
    "and",
    "apply",
    "area",
    "base",
    "bid",
    "bottle",
    "bottles",
    "box",
    "boxes",
    "brace",
    "braces",
    "brand",
    "compound",
    "compounded",
    "continued",
    "count",
    "daily",
    "date",
    "day",
    "days",
    "delayed",
    "dispense",
    "dispensed",
    "dos",
    "dosage",
    "dose",
    "doses",
    "drug",
    "each",
    "extended",
    "for",
    "generic",
    "hcl",
    "hour",
    "hours",
    "hydrochloride",
    "immediate",
    "initial",
    "injection",
    "injections",
    "jar",
    "kit",
    "left",
    "medication",
    "medications",
    "month",
    "months",
    "off",
    "once",
    "one",
    "oral",
    "per",
    "pharmacy",
    "pillow",
    "plus",
    "prescribed",
    "prescription",
    "prn",
    "prospective",
    "purchase",
    "qid",
    "qty",
    "quantity",
    "refill",
    "refills",
    "release",
    "request",
    "requested",
    "retro",
    "retrospective",
    "right",
    "sample",
    "samples",
    "service",
    "session",
    "sessions",
    "shot",
    "sig",
    "sodium",
    "strength",
    "supplies",
    "supply",
    "support",
    "take",
    "the",
    "three",
    "tid",
    "time",
    "times",
    "topical",
    "total",
    "transdermal",
    "trial",
    "tube",
    "tubes",
    "twice",
    "two",
    "unit",
    "units",
    "use",
    "vial",
    "vials",
    "visit",
    "visits",
    "week",
    "weeks",
    "with",
];

fn is_form(word: &str) -> bool {
    FORMS.contains(&word)
}

fn is_unit(word: &str) -> bool {
    UNITS.contains(&word)
}

/// A piece of an item as `unknown_words` reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token<'t> {
    Word(&'t str),
    /// "10mg", "7.5 MG", "5/325", "2%", "25mg/ml", "#60".
    Strength,
    /// A number that is no strength: "2", "11/1/13".
    Number,
    Slash,
    /// Other punctuation: the words on either side are not joined.
    Break,
}

/// The tokens of an item. Spaces and hyphens only separate, so that
/// "Senokot-S" is two words, as the table's names are.
fn tokens(item: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = item;
    while let Some(c) = rest.chars().next() {
        let (token, len) = if c.is_alphabetic() {
            let len = run(rest, char::is_alphanumeric);
            (Some(Token::Word(&rest[..len])), len)
        } else if c.is_ascii_digit() {
            let (token, len) = number(rest);
            (Some(token), len)
        } else if c == '#' && rest[1..].starts_with(|d: char| d.is_ascii_digit()) {
            (
                Some(Token::Strength),
                1 + run(&rest[1..], |d| d.is_ascii_digit()),
            )
        } else if c.is_whitespace() || c == '-' {
            (None, c.len_utf8())
        } else if c == '/' {
            (Some(Token::Slash), 1)
        } else {
            (Some(Token::Break), c.len_utf8())
        };
        out.extend(token);
        rest = &rest[len..];
    }
    out
}

/// The byte length of the run of characters at the start of `text` that
/// satisfy `f`.
fn run(text: &str, f: impl Fn(char) -> bool) -> usize {
    text.find(|c| !f(c)).unwrap_or(text.len())
}

/// The number at the start of `text` (an ASCII digit), with the unit after
/// it, and its byte length.
fn number(text: &str) -> (Token<'_>, usize) {
    // Digits with "." or "/" between them: "7.5", "5/325", "11/1/13".
    let (mut len, mut slashes) = (0, 0);
    loop {
        len += run(&text[len..], |c| c.is_ascii_digit());
        let next = &text[len..];
        let digit_after = next
            .get(1..)
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_digit()));
        match next.chars().next() {
            Some(sep @ ('.' | '/')) if digit_after => {
                slashes += usize::from(sep == '/');
                len += 1;
            }
            _ => break,
        }
    }
    let gap = run(&text[len..], |c| c == ' ');
    let after = &text[len + gap..];
    if after.starts_with('%') {
        return (Token::Strength, len + gap + 1);
    }
    let unit = run(after, |c| c.is_ascii_alphabetic());
    if unit > 0 && is_unit(&after[..unit].to_ascii_lowercase()) {
        // A rate's second unit: "25mg/ml", "10mcg/hr".
        let per = after[unit..]
            .strip_prefix('/')
            .map_or(0, |tail| run(tail, |c| c.is_ascii_alphabetic()));
        let per = if per > 0 { per + 1 } else { 0 };
        return (Token::Strength, len + gap + unit + per);
    }
    // "5/325" is a strength ("Norco 5/325"); "11/1/13" is a date.
    let token = if slashes == 1 {
        Token::Strength
    } else {
        Token::Number
    };
    (token, len)
}

/// The words of `tokens` that look like drug names: a word followed by a
/// strength or a form, and every word joined by "/" to one
/// ("Flurbiprofen 10%/Dextromethorphan 5%", "Flurbiprofen/Baclofen cream").
fn drug_like<'t>(tokens: &[Token<'t>]) -> Vec<&'t str> {
    // Each word's group: words joined by "/", through the strengths
    // between them, share one.
    let mut group = vec![0; tokens.len()];
    let (mut current, mut joined) = (0, false);
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Word(_) => {
                current += usize::from(!joined);
                group[i] = current;
                joined = false;
            }
            Token::Slash => joined = true,
            Token::Strength => {}
            Token::Number | Token::Break => joined = false,
        }
    }
    let marks = |next: Option<&Token>| match next {
        Some(Token::Strength) => true,
        Some(Token::Word(w)) => is_form(&w.to_lowercase()),
        _ => false,
    };
    // The route between a name and its form is read through: "LIDOPRO
    // TOPICAL OINTMENT", "Fanatrex oral suspension".
    let next = |i: usize| {
        tokens[i + 1..]
            .iter()
            .find(|t| !matches!(t, Token::Word(w) if ROUTES.contains(&w.to_lowercase().as_str())))
    };
    let marked: FxHashSet<usize> = (0..tokens.len())
        .filter(|&i| matches!(tokens[i], Token::Word(_)) && marks(next(i)))
        .map(|i| group[i])
        .collect();
    tokens
        .iter()
        .enumerate()
        .filter_map(|(i, token)| match token {
            Token::Word(w) if marked.contains(&group[i]) => Some(*w),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
[[drug]]
name = "cyclobenzaprine"
class = "Muscle Relaxant"
[[drug]]
name = "Fexmid"
generics = ["cyclobenzaprine"]
class = "Muscle Relaxant"
[[drug]]
name = "methyl salicylate"
class = "Topical Analgesics"
[[drug]]
name = "Dendracin"
generics = ["capsaicin", "menthol", "methyl salicylate"]
class = "Topical Compounds"
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
        let norco = t.names_holding(t.generics_of("Norco").unwrap());
        assert!(norco.contains(&"vicodin".to_owned()), "{norco:?}");
        assert!(!norco.contains(&"acetaminophen".to_owned()), "{norco:?}");
        assert!(!norco.contains(&"hydrocodone".to_owned()), "{norco:?}");
        let pregabalin = t.names_holding(t.generics_of("pregabalin").unwrap());
        assert!(pregabalin.contains(&"lyrica".to_owned()), "{pregabalin:?}");
        assert_eq!(
            t.classes("Norco 10/325 #90 and Soma 350mg, Norco 5/325"),
            ["Opioids", "Muscle Relaxant"]
        );
        assert_eq!(
            t.find("Terocin"),
            ["capsaicin", "lidocaine", "menthol", "methyl salicylate"]
        );
    }

    #[test]
    fn every_class_in_the_bundled_table_is_the_states() {
        for drug in DrugTable::bundled().drugs() {
            assert!(
                CLASSES.contains(&drug.class.as_str()),
                "{}: {:?} is no state class",
                drug.name,
                drug.class
            );
        }
    }

    #[test]
    fn the_class_is_the_first_products() {
        let t = DrugTable::from_toml(TABLE).unwrap();
        let cases: &[(&str, Option<&str>)] = &[
            ("Fexmid 7.5mg #60", Some("Muscle Relaxant")),
            ("Dendracin lotion and Fexmid", Some("Topical Compounds")),
            ("Fexmid and Dendracin lotion", Some("Muscle Relaxant")),
            // The alias of several words wins over nothing shorter.
            ("Dendracin Neurodendraxin 120ml", Some("Topical Compounds")),
            ("Acupuncture two (2) times", None),
            ("", None),
        ];
        for (text, class) in cases {
            assert_eq!(t.class_of(text), *class, "{text}");
        }
    }

    #[test]
    fn bundled_classes_of_real_items() {
        let t = DrugTable::bundled();
        let cases: &[(&str, &str)] = &[
            ("Norco 10/325 #90", "Opioids"),
            ("Terocin", "Topical Compounds"),
            ("Voltaren gel apply to affected area", "Topical Analgesics"),
            ("Voltaren XR 100mg", "NSAID"),
            ("Omeprazole 20mg", "Proton Pump Inhibitors"),
            ("Ranitidine 150mg", "H2 Blocker"),
            ("Ondansetron ODT 8mg", "Antiemetic"),
            ("Docusate sodium 100mg", "GI Agents"),
            ("Senna 8.6mg", "GI Agents"),
            ("Zolpidem 10mg #30", "Sedative-hypnotics"),
            ("Lidoderm patch 5%", "Topical Analgesics"),
            ("Theramine #120", "Nutritional Products"),
            ("Tylenol 500mg", "Misc Analgesics"),
            ("Cyclophene 5% cream", "Topical Compounds"),
            ("Anecream 4%", "Topical Analgesics"),
            ("Trezix capsules #60", "Opioids"),
            (
                "Dicopanol 5mg/ml oral suspension, 150ml",
                "Sedative-hypnotics",
            ),
            ("Synvisc-One injection", "Viscosupplementation"),
        ];
        for (text, class) in cases {
            assert_eq!(t.class_of(text), Some(*class), "{text}");
        }
    }

    #[test]
    fn unknown_words_are_drug_like_words_the_table_lacks() {
        let t = DrugTable::from_toml(TABLE).unwrap();
        let cases: &[(&str, &[&str])] = &[
            ("Zorvolex 35mg #60", &["zorvolex"]),
            ("Zorvolex #60", &["zorvolex"]),
            ("Zorvolex", &[]),
            ("Fexmid 7.5mg #60", &[]),
            (
                "Flurbiprofen 10%/Dextromethorphan 5%/Lidocaine 5%, 120grams",
                &["flurbiprofen", "dextromethorphan", "lidocaine"],
            ),
            (
                "Cyclobenzaprine/Flurbiprofen/Menthol cream 10%/20%/4%",
                &["flurbiprofen", "menthol"],
            ),
            ("Nucynta ER 50mg", &["nucynta"]),
            ("Norco 5/325 and Norco 10/325 #90", &["norco"]),
            ("Gabacyclotram 180gm", &["gabacyclotram"]),
            ("Ketoprofen 7.5 MG, Amrix 15 mg", &["ketoprofen", "amrix"]),
            ("Tabradol 1mg/ml oral suspension, 250ml", &["tabradol"]),
            (
                "RETROSPECTIVE REQUEST FOR LIDOPRO TOPICAL OINTMENT 120 ML, DOS 11/1/13",
                &["lidopro"],
            ),
            (
                "Retrospective request for Foozol tablets #30 with 2 refills",
                &["foozol"],
            ),
            // Services and prescription words are never drugs.
            ("Physical therapy 2x6 lumbar spine", &[]),
            ("Wrist braces #2", &[]),
            ("Acupuncture for 2 sessions", &[]),
            // "Injection" is no form: services are injections too
            // ("Epidural steroid injection"), so a drug before it is missed.
            ("Toradol injection 60mg", &[]),
            ("Epidural steroid injection L4-5", &[]),
            ("Retro DOS: 7.10.15 Fexmid 2% cream", &[]),
            ("DOS 11/1/13, 1 refill", &[]),
            ("", &[]),
        ];
        for (item, words) in cases {
            assert_eq!(t.unknown_words(item), *words, "{item}");
        }
    }

    #[test]
    fn the_bundled_table_knows_the_real_letters_drugs() {
        let t = DrugTable::bundled();
        for item in [
            "Zorvolex 35mg #60",
            "Flurbiprofen 10%/Dextromethorphan 5%/Lidocaine 5%, 120grams",
            "Cyclophene 5% cream 120gm",
            "Anecream 4% #1",
            "Trezix capsules #60",
            "Norco 10/325 #90",
            "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill",
            "Fanatrex 25mg/ml oral suspension 420ml",
        ] {
            assert_eq!(t.unknown_words(item), Vec::<String>::new(), "{item}");
        }
    }
}
