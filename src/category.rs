//! Treatment categories: a decision's item (its title) → the state's
//! category and subcategory, from the curated rules in
//! `data/categories.toml` and the drug table's classes. Pure.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde::{Deserialize, Serialize};

use crate::drug;

/// The state's categories and their subcategories, as its IMR search form
/// names them (FORMAT.md, "The state's treatment categories"; the form's
/// typos and doubles normalised). A category with no subcategories is
/// filed without one.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "Diagnostic Testing",
        &[
            "Imaging / Radiology",
            "EMG/NCV/NCS",
            "Lab & Pathology",
            "Other Diagnostic Tests",
        ],
    ),
    (
        "DMEPOS",
        &[
            "DME",
            "Electrical Stimulation",
            "Prosthetics/Orthotics",
            "Supplies",
        ],
    ),
    (
        "Evaluation & Management",
        &["Dental Services", "Medical Specialties"],
    ),
    ("Home Health", &[]),
    ("Injection", &["Facet Injection", "Injection"]),
    ("Pharmaceuticals", drug::CLASSES),
    ("Programs", &[]),
    ("Psych Services", &["Evaluation & Management", "Therapies"]),
    (
        "Rehabilitation",
        &[
            "Acupuncture",
            "Chiropractic",
            "Physical Therapy/Occupational Therapy (PT/OT)",
            "Other Therapies",
        ],
    ),
    (
        "Surgery",
        &[
            "Adjunct Surgical Services",
            "Arthroscopic Surgery",
            "Non-arthroscopic Surgery",
            "Spine",
            "Surgical Consult",
        ],
    ),
    ("Therapies", &["Other Therapies"]),
    ("Transportation", &[]),
];

/// Where the state files a disputed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub category: String,
    pub subcategory: Option<String>,
}

/// One rule of `data/categories.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Service {
    category: String,
    subcategory: Option<String>,
    /// Words or phrases, matched as whole words, case-insensitively.
    #[serde(default)]
    patterns: Vec<String>,
    /// Regular expressions, for what a phrase cannot say.
    #[serde(default)]
    regex: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    service: Vec<Service>,
}

/// The rules, in order, and one search for all of them.
#[derive(Debug, Clone)]
pub struct CategoryTable {
    services: Vec<Category>,
    /// Rule i's patterns as pattern i: one pass over an item finds every
    /// rule that matches, and the first wins.
    set: RegexSet,
}

static BUNDLED: LazyLock<CategoryTable> = LazyLock::new(|| {
    CategoryTable::from_toml(include_str!("../data/categories.toml"))
        .expect("data/categories.toml is checked by the test suite")
});

/// A drug applied to the skin: a topical form or a percentage strength.
static ON_SKIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:creams?|gels?|lotions?|ointments?|liniments?|balms?)\b|\d\s*%")
        .expect("valid regex")
});

impl CategoryTable {
    /// The table compiled into imr from `data/categories.toml`.
    pub fn bundled() -> &'static CategoryTable {
        &BUNDLED
    }

    /// The table of a `categories.toml`. Fails on a category or subcategory
    /// the state does not have, a rule with nothing to match, or a pattern
    /// that is no regex: a typo in the data fails loudly, here.
    pub fn from_toml(text: &str) -> Result<CategoryTable, toml::de::Error> {
        let file: File = toml::from_str(text)?;
        let mut services = Vec::with_capacity(file.service.len());
        let mut patterns = Vec::with_capacity(file.service.len());
        for service in file.service {
            check(&service).map_err(invalid)?;
            patterns.push(pattern(&service));
            services.push(Category {
                category: service.category,
                subcategory: service.subcategory,
            });
        }
        let set = RegexSet::new(&patterns).map_err(|e| invalid(e.to_string()))?;
        Ok(CategoryTable { services, set })
    }

    /// The state's category of a disputed item, or None when the table
    /// cannot place it (never guessed). The first service rule that matches
    /// wins; else a drug product named makes it Pharmaceuticals, filed
    /// under `drug_class`, the class of the first product the item names
    /// (`DrugTable::class_of`, or the first of `DrugTable::classes`).
    pub fn classify(&self, item: &str, drug_class: Option<&str>) -> Option<Category> {
        if let Some(i) = self.service_of(item) {
            return Some(self.services[i].clone());
        }
        let class = drug_class?;
        Some(Category {
            category: "Pharmaceuticals".to_owned(),
            subcategory: Some(pharmaceutical_class(item, class).to_owned()),
        })
    }

    /// The index of the first service rule that matches `item`.
    fn service_of(&self, item: &str) -> Option<usize> {
        self.set.matches(item).iter().next()
    }
}

/// The class a drug item is filed under: the drug's own, except that a drug
/// of a systemic class applied to the skin ("Cyclobenzaprine 2% cream",
/// "Gabapentin 10%/Lidocaine 5%") is a compound, as no such product is sold.
fn pharmaceutical_class<'c>(item: &str, class: &'c str) -> &'c str {
    let topical = class.starts_with("Topical");
    match !topical && ON_SKIN.is_match(item) {
        true => "Topical Compounds",
        false => class,
    }
}

/// Whether the rule names the state's category and subcategory and has
/// something to match.
fn check(service: &Service) -> Result<(), String> {
    let (category, subcategory) = (&service.category, service.subcategory.as_deref());
    let Some((_, subcategories)) = TAXONOMY.iter().find(|(name, _)| name == category) else {
        return Err(format!("{category:?} is not one of the state's categories"));
    };
    match subcategory {
        None if !subcategories.is_empty() => Err(format!("{category:?} needs a subcategory")),
        Some(sub) if !subcategories.contains(&sub) => Err(format!(
            "{sub:?} is not one of the state's subcategories of {category:?}"
        )),
        _ if service.patterns.is_empty() && service.regex.is_empty() => {
            Err(format!("a rule for {category:?} has nothing to match"))
        }
        _ => Ok(()),
    }
}

/// The rule's phrases and regexes as one case-insensitive alternation.
fn pattern(service: &Service) -> String {
    let phrases = service.patterns.iter().map(|p| phrase(p));
    let regexes = service.regex.iter().map(|r| format!("(?:{r})"));
    phrases.chain(regexes).collect::<Vec<_>>().join("|")
}

/// A phrase as a regex: whole words, case-insensitive; a space or hyphen
/// between words matches any run of them or none ("x-ray", "x ray",
/// "xray"); a plural ending is allowed ("braces", "injections").
fn phrase(text: &str) -> String {
    let words: Vec<String> = text
        .split([' ', '-'])
        .filter(|w| !w.is_empty())
        .map(regex::escape)
        .collect();
    format!(r"(?i:\b{}(?:e?s)?\b)", words.join(r"[\s\-]*"))
}

/// A check's message as the error `from_toml` returns.
fn invalid(message: String) -> toml::de::Error {
    <toml::de::Error as serde::de::Error>::custom(format!("data/categories.toml: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drug::DrugTable;

    fn cat(category: &str, subcategory: Option<&str>) -> Option<Category> {
        Some(Category {
            category: category.to_owned(),
            subcategory: subcategory.map(str::to_owned),
        })
    }

    fn classify(item: &str) -> Option<Category> {
        CategoryTable::bundled().classify(item, DrugTable::bundled().class_of(item))
    }

    /// (item, category, subcategory): at least one case for every rule of
    /// the bundled table (checked below), and the drug fallback's.
    const CASES: &[(&str, &str, Option<&str>)] = &[
        ("Functional restoration program 80 hours", "Programs", None),
        ("Weight loss program x 10 weeks", "Programs", None),
        (
            "Multidisciplinary evaluation with a psychologist for a functional restoration program",
            "Programs",
            None,
        ),
        (
            "Cognitive behavioral therapy 6 sessions",
            "Psych Services",
            Some("Therapies"),
        ),
        ("Biofeedback x 6", "Psych Services", Some("Therapies")),
        (
            "Psychological evaluation",
            "Psych Services",
            Some("Evaluation & Management"),
        ),
        (
            "Consultation with a psychiatrist",
            "Psych Services",
            Some("Evaluation & Management"),
        ),
        (
            "Pre-operative medical clearance",
            "Surgery",
            Some("Adjunct Surgical Services"),
        ),
        (
            "Assistant surgeon for the lumbar fusion",
            "Surgery",
            Some("Adjunct Surgical Services"),
        ),
        (
            "Consultation with a spine surgeon",
            "Surgery",
            Some("Surgical Consult"),
        ),
        ("Surgical consult", "Surgery", Some("Surgical Consult")),
        (
            "Bilateral L4-5 facet joint injections",
            "Injection",
            Some("Facet Injection"),
        ),
        (
            "Medial branch block at L3-4",
            "Injection",
            Some("Facet Injection"),
        ),
        (
            "Radiofrequency ablation of the right C5-6",
            "Injection",
            Some("Facet Injection"),
        ),
        (
            "Synvisc-One injection to the left knee",
            "Pharmaceuticals",
            Some("Viscosupplementation"),
        ),
        (
            "Series of 3 hyaluronic acid injections",
            "Pharmaceuticals",
            Some("Viscosupplementation"),
        ),
        (
            "Lumbar epidural steroid injection at L5-S1",
            "Injection",
            Some("Injection"),
        ),
        ("Lidocaine injection", "Injection", Some("Injection")),
        // An injection of a drug is the procedure, not the drug.
        ("Toradol injection 60mg IM", "Injection", Some("Injection")),
        (
            "Trigger point injections x4",
            "Injection",
            Some("Injection"),
        ),
        (
            "Ultrasound-guided cortisone injection to the right shoulder",
            "Injection",
            Some("Injection"),
        ),
        (
            "Therapeutic ultrasound 6 sessions",
            "Rehabilitation",
            Some("Other Therapies"),
        ),
        (
            "EMG/NCV of the bilateral upper extremities",
            "Diagnostic Testing",
            Some("EMG/NCV/NCS"),
        ),
        (
            "Nerve conduction studies of the legs",
            "Diagnostic Testing",
            Some("EMG/NCV/NCS"),
        ),
        (
            "X-rays of the lumbar spine",
            "Diagnostic Testing",
            Some("Imaging / Radiology"),
        ),
        (
            "CT scan of the cervical spine",
            "Diagnostic Testing",
            Some("Imaging / Radiology"),
        ),
        (
            "MRI for facet arthropathy",
            "Diagnostic Testing",
            Some("Imaging / Radiology"),
        ),
        (
            "Urine drug screen",
            "Diagnostic Testing",
            Some("Lab & Pathology"),
        ),
        (
            "Labs: CBC, CMP",
            "Diagnostic Testing",
            Some("Lab & Pathology"),
        ),
        (
            "Functional capacity evaluation",
            "Diagnostic Testing",
            Some("Other Diagnostic Tests"),
        ),
        (
            "Sleep study",
            "Diagnostic Testing",
            Some("Other Diagnostic Tests"),
        ),
        (
            "Chiropractic manipulation 2x4",
            "Rehabilitation",
            Some("Chiropractic"),
        ),
        (
            "Acupuncture x 6 visits",
            "Rehabilitation",
            Some("Acupuncture"),
        ),
        (
            "Physical therapy 2x6 lumbar spine",
            "Rehabilitation",
            Some("Physical Therapy/Occupational Therapy (PT/OT)"),
        ),
        (
            "Post-operative PT 12 sessions for the knee",
            "Rehabilitation",
            Some("Physical Therapy/Occupational Therapy (PT/OT)"),
        ),
        (
            "Occupational therapy for the right hand",
            "Rehabilitation",
            Some("Physical Therapy/Occupational Therapy (PT/OT)"),
        ),
        ("Home cervical traction unit", "DMEPOS", Some("DME")),
        (
            "Cervical traction 6 sessions",
            "Rehabilitation",
            Some("Other Therapies"),
        ),
        (
            "Massage therapy x 6",
            "Rehabilitation",
            Some("Other Therapies"),
        ),
        (
            "Hyperbaric oxygen therapy",
            "Therapies",
            Some("Other Therapies"),
        ),
        ("Lumbar fusion L4-S1", "Surgery", Some("Spine")),
        ("L5-S1 decompression", "Surgery", Some("Spine")),
        ("Spinal cord stimulator trial", "Surgery", Some("Spine")),
        (
            "Right knee arthroscopy with partial meniscectomy",
            "Surgery",
            Some("Arthroscopic Surgery"),
        ),
        (
            "Right carpal tunnel release",
            "Surgery",
            Some("Non-arthroscopic Surgery"),
        ),
        (
            "Total knee arthroplasty",
            "Surgery",
            Some("Non-arthroscopic Surgery"),
        ),
        ("TENS unit supplies", "DMEPOS", Some("Supplies")),
        (
            "H-wave unit, 30 day trial",
            "DMEPOS",
            Some("Electrical Stimulation"),
        ),
        (
            "Interferential unit purchase",
            "DMEPOS",
            Some("Electrical Stimulation"),
        ),
        ("Lumbar brace", "DMEPOS", Some("Prosthetics/Orthotics")),
        ("Custom orthotics", "DMEPOS", Some("Prosthetics/Orthotics")),
        ("Cold therapy unit rental", "DMEPOS", Some("DME")),
        ("Front-wheeled walker", "DMEPOS", Some("DME")),
        ("Home health aide 4 hours a day", "Home Health", None),
        (
            "Transportation to and from appointments",
            "Transportation",
            None,
        ),
        (
            "Dental evaluation",
            "Evaluation & Management",
            Some("Dental Services"),
        ),
        (
            "Pain management consultation",
            "Evaluation & Management",
            Some("Medical Specialties"),
        ),
        (
            "Orthopedic follow-up visit",
            "Evaluation & Management",
            Some("Medical Specialties"),
        ),
        // No rule: the drug's class.
        ("Norco 10/325 #90", "Pharmaceuticals", Some("Opioids")),
        (
            "Omeprazole 20mg #60",
            "Pharmaceuticals",
            Some("Proton Pump Inhibitors"),
        ),
        (
            "Tramadol extended release 100mg",
            "Pharmaceuticals",
            Some("Opioids"),
        ),
        // A systemic drug on the skin is a compound; a topical keeps its class.
        (
            "Gabapentin 10%/Lidocaine 5% in Lipoderm base",
            "Pharmaceuticals",
            Some("Topical Compounds"),
        ),
        (
            "Lidoderm 5% patch #30",
            "Pharmaceuticals",
            Some("Topical Analgesics"),
        ),
        (
            "Fentanyl 25mcg/hr patch #10",
            "Pharmaceuticals",
            Some("Opioids"),
        ),
    ];

    #[test]
    fn items_get_the_states_category() {
        for (item, category, subcategory) in CASES {
            assert_eq!(classify(item), cat(category, *subcategory), "{item}");
        }
    }

    #[test]
    fn every_rule_of_the_bundled_table_has_a_case() {
        let table = CategoryTable::bundled();
        let hit: Vec<usize> = CASES
            .iter()
            .filter_map(|(item, ..)| table.service_of(item))
            .collect();
        for i in 0..table.services.len() {
            assert!(
                hit.contains(&i),
                "rule {i} {:?} has no case",
                table.services[i]
            );
        }
    }

    #[test]
    fn nonsense_and_empty_items_are_not_placed() {
        for item in ["", "asdf qwerty", "The request", "12/1/2016", "#60"] {
            assert_eq!(classify(item), None, "{item:?}");
        }
    }

    #[test]
    fn the_table_rejects_names_the_state_does_not_have() {
        let rejected = [
            // A typo in a subcategory.
            "[[service]]\ncategory = \"Injection\"\nsubcategory = \"Facet Injections\"\npatterns = [\"facet\"]",
            // A subcategory of another category.
            "[[service]]\ncategory = \"Injection\"\nsubcategory = \"Spine\"\npatterns = [\"x\"]",
            // A drug class that is not the state's.
            "[[service]]\ncategory = \"Pharmaceuticals\"\nsubcategory = \"opioid\"\npatterns = [\"x\"]",
            // A category the state does not have.
            "[[service]]\ncategory = \"Imaging\"\npatterns = [\"MRI\"]",
            // A category with subcategories needs one.
            "[[service]]\ncategory = \"Surgery\"\npatterns = [\"surgery\"]",
            // Nothing to match.
            "[[service]]\ncategory = \"Programs\"",
            // No regex.
            "[[service]]\ncategory = \"Programs\"\nregex = [\"(unclosed\"]",
            // An unknown field.
            "[[service]]\ncategory = \"Programs\"\npattern = [\"x\"]",
        ];
        for text in rejected {
            assert!(CategoryTable::from_toml(text).is_err(), "{text}");
        }
        let accepted = "[[service]]\ncategory = \"Programs\"\npatterns = [\"weight loss\"]\n\
            [[service]]\ncategory = \"Injection\"\nsubcategory = \"Facet Injection\"\nregex = ['(?i)facet']";
        let table = CategoryTable::from_toml(accepted).unwrap();
        let drugs = DrugTable::bundled();
        assert_eq!(
            table.classify("Weight-loss program", drugs.class_of("Weight-loss program")),
            cat("Programs", None)
        );
        assert_eq!(
            table.classify("FACET blocks", drugs.class_of("FACET blocks")),
            cat("Injection", Some("Facet Injection"))
        );
        assert_eq!(table.classify("MRI", drugs.class_of("MRI")), None);
    }

    #[test]
    fn the_taxonomy_names_each_category_once() {
        for (i, (name, subs)) in TAXONOMY.iter().enumerate() {
            assert!(!TAXONOMY[..i].iter().any(|(n, _)| n == name), "{name}");
            for (j, sub) in subs.iter().enumerate() {
                assert!(!subs[..j].contains(sub), "{name} > {sub}");
            }
        }
    }

    /// A category and subcategory, or None for an item left unplaced.
    type Placed = Option<(&'static str, Option<&'static str>)>;

    /// Every item of the golden export, in its order, with the category
    /// checked by hand.
    const GOLDEN: &[(&str, Placed)] = &[
        (
            "RETROSPECTIVE REQUEST FOR FEXMID 7.5 MG DOS 11/1/13",
            Some(("Pharmaceuticals", Some("Muscle Relaxant"))),
        ),
        (
            "RETROSPECTIVE REQUEST FOR DENDRACIN TOPICAL LOTION 120 ML, DOS 11/1/13",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Retrospective pharmacy purchase of Dendracin lotion 120ml",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Xanax 0.5mg #45",
            Some(("Pharmaceuticals", Some("Benzodiazepines"))),
        ),
        (
            "Dendracin cream #3 with 2 refills",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Acupuncture two (2) times a week for four (4) weeks",
            Some(("Rehabilitation", Some("Acupuncture"))),
        ),
        (
            "Terocin",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Dendracin",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Cymbalta",
            Some(("Pharmaceuticals", Some("Antidepressant"))),
        ),
        (
            "Omeprazole",
            Some(("Pharmaceuticals", Some("Proton Pump Inhibitors"))),
        ),
        (
            "Flexeril",
            Some(("Pharmaceuticals", Some("Muscle Relaxant"))),
        ),
        // Cyclobenzaprine is sold for the skin only as a compound.
        (
            "Retro DOS: 7.10.15 Cyclobenzaprine 2% cream",
            Some(("Pharmaceuticals", Some("Topical Compounds"))),
        ),
        (
            "Cervical spine MRI without contrast",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "MRI of the Left shoulder without contrast",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "MRI of the cervical and thoracic spine",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "MRI cervical spine without contrast",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "Voltaren gel apply to affected area 4 times a day, #60 grams with 1 refill, DOS: 11/11/2016",
            Some(("Pharmaceuticals", Some("Topical Analgesics"))),
        ),
        (
            "Lidoderm patch, 12 hours on 12 hours off to affected area, #1 box with 1 refill, DOS: 11/11/2016",
            Some(("Pharmaceuticals", Some("Topical Analgesics"))),
        ),
        (
            "MRI of the Lumbar spine without contrast",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "TENS unit",
            Some(("DMEPOS", Some("Electrical Stimulation"))),
        ),
        (
            "Lumbar support",
            Some(("DMEPOS", Some("Prosthetics/Orthotics"))),
        ),
        ("Cervical pillow", Some(("DMEPOS", Some("DME")))),
        ("Wedge pillow", Some(("DMEPOS", Some("DME")))),
        (
            "Wrist braces #2",
            Some(("DMEPOS", Some("Prosthetics/Orthotics"))),
        ),
        (
            "Elbow braces #2",
            Some(("DMEPOS", Some("Prosthetics/Orthotics"))),
        ),
        (
            "EMG and NCS of the right lower extremity",
            Some(("Diagnostic Testing", Some("EMG/NCV/NCS"))),
        ),
        (
            "5 sessions of chiropractic physiotherapy for the left elbow",
            Some(("Rehabilitation", Some("Chiropractic"))),
        ),
        (
            "1 platelet rich plasma injection to left foot",
            Some(("Injection", Some("Injection"))),
        ),
        ("1 knee scooter", Some(("DMEPOS", Some("DME")))),
        (
            "Eight physical therapy sessions for the neck",
            Some((
                "Rehabilitation",
                Some("Physical Therapy/Occupational Therapy (PT/OT)"),
            )),
        ),
        (
            "Acupuncture for 2 sessions",
            Some(("Rehabilitation", Some("Acupuncture"))),
        ),
        // Equipment for the injured worker's condition: the state's DME.
        ("Sit-stand workstation", Some(("DMEPOS", Some("DME")))),
        (
            "Physical therapy for the cervical spine 2 times a week for 3 weeks",
            Some((
                "Rehabilitation",
                Some("Physical Therapy/Occupational Therapy (PT/OT)"),
            )),
        ),
        (
            "Physical therapy for the lumbar spine 2 times a week for 3 weeks",
            Some((
                "Rehabilitation",
                Some("Physical Therapy/Occupational Therapy (PT/OT)"),
            )),
        ),
        (
            "One platelet-rich plasma injection to the right knee",
            Some(("Injection", Some("Injection"))),
        ),
        (
            "Celecoxib 200mg #90",
            Some(("Pharmaceuticals", Some("NSAID"))),
        ),
        (
            "Fanatrex 25mg/ml oral suspension 420ml",
            Some(("Pharmaceuticals", Some("Anti-epilepsy drugs"))),
        ),
        (
            "Dicopanol 5mg/ml oral suspension, 150ml",
            Some(("Pharmaceuticals", Some("Sedative-hypnotics"))),
        ),
        (
            "Deprizine 15mg/ml oral suspension, 250ml",
            Some(("Pharmaceuticals", Some("H2 Blocker"))),
        ),
        (
            "Tabradol 1mg/ml oral suspension, 250ml",
            Some(("Pharmaceuticals", Some("Muscle Relaxant"))),
        ),
        // The parser's item is the end of a longer title; what is left
        // still names the surgery.
        (
            "with open carpal tunnel release",
            Some(("Surgery", Some("Non-arthroscopic Surgery"))),
        ),
        (
            "MRI of the lumbar spine",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "Six physical therapy sessions two times a week for three weeks for the neck, left trapezius and low back",
            Some((
                "Rehabilitation",
                Some("Physical Therapy/Occupational Therapy (PT/OT)"),
            )),
        ),
        (
            "MRI of the right knee without contrast",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
        (
            "MRI of the lumbar spine",
            Some(("Diagnostic Testing", Some("Imaging / Radiology"))),
        ),
    ];

    #[test]
    fn every_golden_item_gets_the_category_checked_by_hand() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/export.jsonl");
        let text = std::fs::read_to_string(path).expect("the golden export");
        let items: Vec<String> = text
            .lines()
            .map(|line| {
                let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
                record["item"].as_str().expect("an item").to_owned()
            })
            .collect();
        let expected: Vec<&str> = GOLDEN.iter().map(|(item, _)| *item).collect();
        assert_eq!(items, expected, "the golden items changed");
        for (item, expected) in GOLDEN {
            let expected = expected.and_then(|(c, s)| cat(c, s));
            assert_eq!(classify(item), expected, "{item}");
        }
    }
}
