//! Records: a parsed `Letter` → one export record per decision. The record
//! is imr's stable interface (`imr export`, stored in the index, read back
//! by search); README documents it field by field.

use serde::{Deserialize, Serialize};

use crate::citation::Citation;
use crate::decision::Outcome;
use crate::letter::{Cover, Letter, Reviewer};

/// One decision with what is needed to cite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The path as ingest was given it.
    pub source: String,
    /// The letter's id: a hash of its bytes.
    pub letter: String,
    pub case_number: Option<String>,
    /// 1-based position in the letter; 0 for a letter with no readable decision.
    pub decision: u32,
    pub item: String,
    pub outcome: Outcome,
    pub guidelines: Vec<Citation>,
    pub pages: Vec<u32>,
    pub drugs: Vec<String>,
    /// The state's classes of the drug products in the item ("Opioids").
    pub drug_classes: Vec<String>,
    /// The state's treatment category ("Pharmaceuticals") and subcategory
    /// ("Opioids"); null when the category table cannot place the item.
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub reviewer: Reviewer,
    pub rationale: String,
    pub flags: Vec<String>,
    /// The cover block's dates and determination, when the letter has one.
    pub cover: Cover,
}

impl Record {
    /// "data/letters/000_e9bf73e65e666cd1.txt#1": how imr names a decision.
    pub fn reference(&self) -> String {
        format!("{}#{}", self.source, self.decision)
    }

    /// The year the letter is dated, when it says.
    pub fn year(&self) -> Option<u64> {
        self.cover.dated.as_deref()?.get(..4)?.parse().ok()
    }
}

/// The letter's records; a letter with no readable decision gives one
/// record (decision 0, outcome unknown) holding its whole text.
pub fn from_letter(source: &str, id: &str, letter: &Letter, text: &str) -> Vec<Record> {
    let base = Record {
        source: source.to_owned(),
        letter: id.to_owned(),
        case_number: letter.cover.case_number.clone(),
        decision: 0,
        item: String::new(),
        outcome: Outcome::Unknown,
        guidelines: Vec::new(),
        pages: Vec::new(),
        drugs: Vec::new(),
        drug_classes: Vec::new(),
        category: None,
        subcategory: None,
        reviewer: letter.reviewer.clone(),
        rationale: String::new(),
        flags: Vec::new(),
        cover: letter.cover.clone(),
    };
    if letter.decisions.is_empty() {
        return vec![Record {
            rationale: crate::decode::normalize_space(text),
            flags: letter.flags.clone(),
            ..base
        }];
    }
    letter
        .decisions
        .iter()
        .map(|d| Record {
            decision: d.number,
            item: d.item.clone(),
            outcome: d.outcome,
            guidelines: d.citations.clone(),
            pages: d.pages.clone(),
            drugs: d.drugs.clone(),
            drug_classes: d.drug_classes.clone(),
            category: d.category.as_ref().map(|c| c.category.clone()),
            subcategory: d.category.as_ref().and_then(|c| c.subcategory.clone()),
            rationale: d.rationale.clone(),
            flags: d.flags.clone(),
            ..base.clone()
        })
        .collect()
}

/// The file name of a source path: what follows its last `/` or `\`.
pub fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
