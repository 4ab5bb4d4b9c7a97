//! FORMAT.md's letter variants as text: the wordings of "More of what the
//! 2016-17 letters hold" and "Other layouts", and the letters around them,
//! read by the parser's tables (`variants.rs`) and written as text and PDF
//! twins (`pdf_twins.rs`).

/// (document as a basis names it, canonical document).
pub const MTUS_DOCUMENTS: [(&str, &str); 14] = [
    (
        "Chronic Pain Medical Treatment 2009",
        "Chronic Pain Medical Treatment Guidelines",
    ),
    ("Opioid Treatment 2016", "Opioid Treatment Guidelines"),
    (
        "Acupuncture Treatment 2007",
        "Acupuncture Medical Treatment Guidelines",
    ),
    (
        "Postsurgical Treatment 2009",
        "Postsurgical Treatment Guidelines",
    ),
    (
        "General Approaches 2004",
        "ACOEM Practice Guidelines, General Approaches",
    ),
    (
        "Neck and Upper Back Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 8 Neck and Upper Back Complaints",
    ),
    (
        "Shoulder Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 9 Shoulder Complaints",
    ),
    (
        "Elbow Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 10 Elbow Complaints",
    ),
    (
        "Forearm, Wrist, and Hand Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 11 Forearm, Wrist, and Hand Complaints",
    ),
    (
        "Low Back Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 12 Low Back Complaints",
    ),
    (
        "Knee Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 13 Knee Complaints",
    ),
    (
        "Ankle and Foot Complaints 2004",
        "ACOEM Practice Guidelines, Chapter 14 Ankle and Foot Complaints",
    ),
    (
        "Stress-Related Conditions 2004",
        "ACOEM Practice Guidelines, Chapter 15 Stress-Related Conditions",
    ),
    ("Eye 2004", "ACOEM Practice Guidelines, Chapter 16 Eye"),
];

/// The opioid guideline as bases spell it, "MTUS" included.
pub const OPIOID_SPELLINGS: [&str; 5] = [
    "MTUS Opioid Treatment 2016",
    "MTUS Opioids Treatment 2016",
    "MTUS Opioid Treatment Guidelines 2016",
    "MTUS Opioid Treatment Guideline",
    "MTUS 2016 Opioid Treatment Guidelines",
];

/// The section each of `OPIOID_SPELLINGS` is cited with.
pub const OPIOID_SECTION: &str = "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment";

/// Numbered sections of the opioid guideline, as a basis writes them after
/// "Section(s): ".
pub const NUMBERED_SECTIONS: [&str; 4] = [
    "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment, 3.3.10 Opioids, Dosing",
    "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain",
    "2. Opioids for Subacute Pain",
    "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain; 2. Opioids for Subacute Pain",
];

/// Bases that cite several documents: MTUS and MTUS, MTUS and MTUS with
/// pages, ODG and other evidence, two ACOEM-era MTUS documents.
pub const SEVERAL_DOCUMENTS: [&str; 4] = [
    "Decision based on MTUS Chronic Pain Medical Treatment 2009, Section(s): Compound drugs, and Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain.",
    "Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment, and Chronic Pain Medical Treatment 2009, Section(s): Topical Analgesics, Page(s): 111-113.",
    "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back and Other Medical Treatment Guideline or Medical Evidence: http://www.fda.gov/drugs/drugsafety/ucm.htm.",
    "Decision based on MTUS Knee Complaints 2004, Section(s): Special Studies, and Postsurgical Treatment 2009, Section(s): Knee, Page(s): 24.",
];

/// A 2016-17 letter around `decisions` (the text after "set forth below:").
pub fn letter(decisions: &str) -> String {
    format!(
        "Case Number:\nDecision Date:\n\nCM16-0123456\n01/06/2017\n\nHOW THE IMR FINAL DETERMINATION WAS MADE\nThe Expert Reviewer has the following credentials:\nState(s) of Licensure: California\nCertification(s)/Specialty: Family Practice\nCLINICAL CASE SUMMARY\nThe injured worker is a 50 year old male with low back pain.\n\nIMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the disputed items/services set forth below:\n{decisions}"
    )
}

/// The lines between a decision's title and its rationale, up to the
/// rationale's label.
pub const LABELS: &str = "Claims Administrator guideline: Decision based on MTUS Opioid Treatment 2016.\nMAXIMUS guideline: Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain.\nDecision rationale: ";

/// A letter of three partial authorisations: "was the original request …
/// The remaining IMR eligible portion", and "authorized an Evaluation
/// only", after a request and alone.
pub fn partial_authorisations() -> String {
    let first = "Norco 10/325mg #90 was the original request. The Claims Administrator authorized Norco\n10/325mg #60. The remaining IMR eligible portion of the original request, Norco 10/325mg #30\nis: Upheld\n";
    let second = "Percocet 5/325 mg. #60 was requested. The Claims Administrator authorized an Evaluation only\nfor Percocet 5/325 mg. #60, leaving the original request IMR eligible. The original request,\nPercocet 5/325 mg. #60 is: Overturned\n";
    let second_alone = "The Claims Administrator authorized an Evaluation only for Physical therapy x 6 for the\nlumbar spine, leaving the original request IMR eligible. The original request, Physical\ntherapy x 6 for the lumbar spine is:\nUpheld\n";
    letter(&format!(
        "{first}{LABELS}Not supported. The request is not medically necessary.\n{second}{LABELS}Supported. The request is medically necessary.\n{second_alone}{LABELS}Not supported. The request is not medically necessary.\n"
    ))
}

/// Where the second decision's title "Terocin patches #30: Upheld" begins,
/// after the first decision's rationale.
pub const TITLE_BOUNDARIES: [&str; 4] = [
    // On the same line as the rationale's last sentence.
    "Functional improvement is not documented. The request is not medically necessary. Terocin\npatches #30: Upheld\n",
    // With no blank line, the last sentence ending mid-line.
    "Functional improvement is not documented. The request is not medically\nnecessary.\nTerocin patches #30: Upheld\n",
    // Wrapped over a page break, with its running header.
    "Functional improvement is not documented. The request is not medically necessary.\nTerocin\n\u{c}Page 2 of 3\nCM16-0123456\npatches #30: Upheld\n",
    // The last sentence without its full stop.
    "Functional improvement is not documented. The request is not medically necessary\nTerocin patches #30: Upheld\n",
];

/// A letter of two decisions, the second's title starting as `boundary`
/// (one of `TITLE_BOUNDARIES`) has it.
pub fn title_boundary(boundary: &str) -> String {
    letter(&format!(
        "Norco 10/325mg #90: Upheld\n{LABELS}{boundary}{LABELS}Not recommended. The request is not medically necessary.\n"
    ))
}

/// A letter whose one rationale ends on the next page, the letter's last.
pub fn rationale_after_form_feed() -> String {
    letter(&format!(
        "Norco 10/325mg #90: Upheld\n{LABELS}Functional improvement is not documented. The request is not medically\n\u{c}necessary.\n\u{c}"
    ))
}

/// A letter of one decision for each of `bases`, each the reviewer's
/// ("MAXIMUS guideline") basis for "Norco 10/325mg #N" (N = 10, 20, …).
pub fn with_bases(bases: &[String]) -> String {
    let decisions: String = bases
        .iter()
        .zip(1..)
        .map(|(basis, n)| {
            format!(
                "Norco 10/325mg #{}: Upheld\nClaims Administrator guideline: Decision based on MTUS Opioid Treatment 2016.\nMAXIMUS guideline: {basis}\nDecision rationale: Not supported. The request is not medically necessary.\n",
                n * 10
            )
        })
        .collect();
    letter(&decisions)
}

/// Letters in layouts of other years, which imr indexes whole and flags:
/// "IMR DECISION(S) AND RATIONALE(S)", a professional review, a notice of
/// determination.
pub const OTHER_LAYOUTS: [&str; 3] = [
    "MAXIMUS FEDERAL SERVICES, INC.\nIndependent Medical Review\nDOCUMENTS REVIEWED\nProgress notes.\nIMR DECISION(S) AND RATIONALE(S)\n1. Norco 10/325mg #90\nThe Claims Administrator based its decision on the Chronic Pain Medical Treatment Guidelines.\nThe Expert Reviewer's decision rationale:\nNot medically necessary.\n",
    "MEDICAL PROFESSIONAL REVIEW\nISSUE AT DISPUTE:\nNorco 10/325mg #90: Upheld\nMEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:\nDecision rationale: Not medically necessary.\nMEDICAL REVIEWER QUALIFICATIONS:\nBoard certified.\n",
    "Notice of Independent Medical Review Determination\n1) MAXIMUS Federal Services, Inc. has determined the request for Norco 10/325mg #90 is not medically necessary and appropriate.\n",
];
