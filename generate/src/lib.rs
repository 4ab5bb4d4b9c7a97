//! Generated letters: a deterministic, seeded generator of IMR final
//! determination letters in every layout of the field guide (`FORMAT.md`),
//! each with what a correct reading of it finds. Tests check the parser and
//! ingest against it; benchmarks ingest it at scale.
//!
//! A letter depends on `(seed, n)` alone: the same pair always gives the
//! same bytes. The wording follows the real letters under `data/`.

use std::io;
use std::path::{Path, PathBuf};

use imr::decision::Outcome;
use imr::drug::DrugTable;

/// A generated letter: its bytes and what reading them should find.
#[derive(Debug, Clone)]
pub struct Generated {
    pub bytes: Vec<u8>,
    pub expected: Expected,
}

/// What a correct reading of a generated letter finds.
#[derive(Debug, Clone)]
pub struct Expected {
    pub layout: Layout,
    /// Set when the letter has a cover block naming it.
    pub case_number: Option<String>,
    /// The reviewer's (first) board certification.
    pub specialty: String,
    pub decisions: Vec<ExpectedDecision>,
}

impl Expected {
    pub fn upheld(&self) -> usize {
        self.count(Outcome::Upheld)
    }

    pub fn overturned(&self) -> usize {
        self.count(Outcome::Overturned)
    }

    fn count(&self, outcome: Outcome) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.outcome == outcome)
            .count()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedDecision {
    /// The disputed item on one line (for a partial authorisation, the
    /// remaining IMR-eligible portion).
    pub item: String,
    pub outcome: Outcome,
    pub placement: Placement,
    /// A partial authorisation whose title tells the story first.
    pub partial: bool,
    pub upper_case: bool,
}

/// Where a decision's outcome is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placement {
    /// 2013 numbered: "1. X is not medically necessary and appropriate."
    Sentence,
    /// "X:  Upheld"
    SameLine,
    /// "X:" then "Upheld" on the next line.
    NextLine,
    /// "X:", a page break (with its furniture), then "Upheld".
    AfterPageBreak,
}

/// How a letter is laid out and encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub era: Era,
    pub cover: CoverStyle,
    pub credentials: Credentials,
    pub encoding: Encoding,
    pub pages: Pages,
    /// A blank line after every line and a trailing space (one extractor).
    pub doubled: bool,
    pub crlf: bool,
    /// Words split across lines with a hyphen in prose.
    pub hyphenated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Era {
    /// Numbered decisions, outcome in the first sentence.
    Numbered2013,
    /// Titled decisions, "Page(s): 41." citations.
    Titled2014,
    /// "Section(s): …" citations of the 2009 guidelines.
    Sections2015,
    /// "Section(s): …" citations of the 2016 guidelines, cover table.
    Sections2016,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoverStyle {
    None,
    /// "Dated: …", "IMR Case Number: …", "Final Determination: UPHOLD".
    Rows2013,
    /// The 2016-17 table as `label: value` rows.
    Rows,
    /// The table as two `label: value` cells a line.
    Cells,
    /// pdftotext's column of labels followed by a column of values.
    Columns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credentials {
    /// "… is Board Certified in X and is licensed to practice in Y."
    Prose,
    /// "State(s) of Licensure: …" / "Certification(s)/Specialty: …"
    Block,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Windows1252,
    /// UTF-8 decoded as Windows-1252 and encoded again ("FlexerilÂ®").
    Mojibake,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pages {
    /// No page breaks.
    Continuous,
    /// A form feed at each page break, as pdftotext writes.
    FormFeeds,
    /// Form feeds with "Page 2 of 4" footers and case-number headers.
    Furniture,
}

/// Totals of a written corpus.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub letters: u64,
    pub bytes: u64,
    pub decisions: u64,
    pub upheld: u64,
    pub overturned: u64,
}

impl Stats {
    fn add(&mut self, g: &Generated) {
        self.letters += 1;
        self.bytes += g.bytes.len() as u64;
        self.decisions += g.expected.decisions.len() as u64;
        self.upheld += g.expected.upheld() as u64;
        self.overturned += g.expected.overturned() as u64;
    }
}

/// Letters a folder of a written corpus holds at most.
pub const SHARD: u64 = 1000;

/// Where `write_corpus` puts letter `n` under `dir`.
pub fn corpus_path(dir: &Path, n: u64) -> PathBuf {
    dir.join(format!("{:04}", n / SHARD))
        .join(format!("{n:07}.txt"))
}

/// Writes letters `0..count` of `seed` under `dir`, at most `SHARD` a folder.
pub fn write_corpus(dir: &Path, count: u64, seed: u64) -> io::Result<Stats> {
    let mut stats = Stats::default();
    for n in 0..count {
        let path = corpus_path(dir, n);
        if n % SHARD == 0
            && let Some(parent) = path.parent()
        {
            std::fs::create_dir_all(parent)?;
        }
        let g = letter(seed, n);
        std::fs::write(&path, &g.bytes)?;
        stats.add(&g);
    }
    Ok(stats)
}

/// Letter `n` of the corpus drawn from `seed`.
pub fn letter(seed: u64, n: u64) -> Generated {
    let mut rng = Rng::new(seed, n);
    let layout = Layout::draw(&mut rng);
    let case = case_number(&mut rng, layout.era, seed, n);
    let patient = Patient::draw(&mut rng, layout.era);
    let planned = plan_decisions(&mut rng, &layout, &patient);
    let style = Style::draw(&mut rng, &layout);
    let mut sheet = Sheet::new(&mut rng, &layout);
    write_cover(&mut sheet, &mut rng, &layout, &case, &patient, &planned);
    let specialty = write_how(&mut sheet, &mut rng, &layout, &style);
    write_summary(&mut sheet, &mut rng, &layout, &style, &patient, &planned);
    write_decisions(&mut sheet, &mut rng, &layout, &style, &patient, &planned);
    let text = sheet.render(&mut rng, &layout, &case);
    let text = if layout.crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    Generated {
        bytes: encode(&text, layout.encoding),
        expected: Expected {
            layout,
            case_number: (layout.cover != CoverStyle::None).then_some(case),
            specialty,
            decisions: planned.iter().map(Planned::expected).collect(),
        },
    }
}

/// splitmix64: small, fast, and plenty to vary wording.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, n: u64) -> Rng {
        let mut base = Rng(seed);
        let mut rng = Rng(base.next() ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) < p * (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index drawn with these weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut at = self.range(0, total - 1);
        for (i, &w) in weights.iter().enumerate() {
            if at < w {
                return i;
            }
            at -= w;
        }
        weights.len() - 1
    }
}

impl Layout {
    fn draw(rng: &mut Rng) -> Layout {
        let era = [
            Era::Numbered2013,
            Era::Titled2014,
            Era::Sections2015,
            Era::Sections2016,
        ][rng.weighted(&[15, 30, 20, 35])];
        let early = matches!(era, Era::Numbered2013 | Era::Titled2014);
        let doubled = rng.chance(if era == Era::Sections2016 { 0.15 } else { 0.6 });
        let pages = [Pages::Continuous, Pages::FormFeeds, Pages::Furniture][if doubled {
            rng.weighted(&[60, 20, 20])
        } else {
            rng.weighted(&[15, 55, 30])
        }];
        use CoverStyle::{Cells, Columns, Rows, Rows2013};
        let cover = match era {
            Era::Numbered2013 | Era::Titled2014 => rng.pick(&[CoverStyle::None, Rows2013]),
            Era::Sections2015 => rng.pick(&[CoverStyle::None, CoverStyle::None, Cells, Rows]),
            Era::Sections2016 => rng.pick(&[Columns, Columns, Rows, Cells, CoverStyle::None]),
        };
        let prose = if early { 0.9 } else { 0.1 };
        Layout {
            era,
            cover,
            credentials: if rng.chance(prose) {
                Credentials::Prose
            } else {
                Credentials::Block
            },
            encoding: [Encoding::Utf8, Encoding::Windows1252, Encoding::Mojibake]
                [rng.weighted(&[80, 10, 10])],
            pages,
            doubled,
            crlf: rng.chance(0.15),
            hyphenated: rng.chance(0.3),
        }
    }
}

/// Per-letter habits of wording.
struct Style {
    /// Typographic quotes, apostrophes and ® (always when not UTF-8).
    fancy: bool,
    /// "The injured worker", "The applicant", "The patient".
    subject: &'static str,
    /// "expert reviewer" or "physician reviewer".
    reviewer: &'static str,
    /// Two spaces after a full stop (2013-14 letters).
    wide: bool,
}

impl Style {
    fn draw(rng: &mut Rng, layout: &Layout) -> Style {
        let early = matches!(layout.era, Era::Numbered2013 | Era::Titled2014);
        Style {
            fancy: layout.encoding != Encoding::Utf8 || rng.chance(0.2),
            subject: rng.pick(&["The injured worker", "The applicant", "The patient"]),
            reviewer: rng.pick(&["expert reviewer", "physician reviewer"]),
            wide: early && rng.chance(0.6),
        }
    }

    fn join(&self, sentences: &[String]) -> String {
        sentences.join(if self.wide { "  " } else { " " })
    }

    fn quote(&self, s: &str) -> String {
        if self.fancy {
            format!("“{s}”")
        } else {
            format!("\"{s}\"")
        }
    }

    /// The letter's word for the patient in place of "the injured worker".
    fn voice(&self, text: String) -> String {
        if self.subject == "The injured worker" {
            return text;
        }
        text.replace("The injured worker", self.subject)
            .replace("the injured worker", &self.subject.to_lowercase())
    }

    fn possessive(&self) -> &'static str {
        if self.fancy { "’s" } else { "'s" }
    }
}

/// A calendar date; months are taken as 28 days long, which keeps every
/// date valid.
#[derive(Debug, Clone, Copy)]
struct Date {
    y: u32,
    m: u32,
    d: u32,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    fn draw(rng: &mut Rng, from: u32, to: u32) -> Date {
        Date {
            y: rng.range(from, to),
            m: rng.range(1, 12),
            d: rng.range(1, 28),
        }
    }

    fn later(self, rng: &mut Rng, lo: u32, hi: u32) -> Date {
        let day = (self.y * 12 + self.m - 1) * 28 + self.d - 1 + rng.range(lo, hi);
        Date {
            y: day / (12 * 28),
            m: day / 28 % 12 + 1,
            d: day % 28 + 1,
        }
    }

    fn slash(self) -> String {
        format!("{:02}/{:02}/{}", self.m, self.d, self.y)
    }

    fn dash(self) -> String {
        format!("{:02}-{:02}-{}", self.m, self.d, self.y)
    }

    fn long(self) -> String {
        format!("{} {}, {}", MONTHS[self.m as usize - 1], self.d, self.y)
    }

    fn short(self) -> String {
        format!("{}/{}/{}", self.m, self.d, self.y % 100)
    }

    fn dots(self) -> String {
        format!("{}.{}.{}", self.m, self.d, self.y % 100)
    }

    fn any(self, rng: &mut Rng) -> String {
        match rng.below(4) {
            0 => self.slash(),
            1 => self.dash(),
            2 => self.long(),
            _ => self.short(),
        }
    }
}

/// "CM16-0224814": the year opened and a serial unique within a corpus.
fn case_number(rng: &mut Rng, era: Era, seed: u64, n: u64) -> String {
    let year = match era {
        Era::Numbered2013 => 13,
        Era::Titled2014 => rng.range(13, 14),
        Era::Sections2015 => 15,
        Era::Sections2016 => rng.range(16, 17),
    };
    // 7919 is prime to 10^7: distinct serials for ten million letters.
    let serial = (n.wrapping_mul(7919).wrapping_add(seed)) % 10_000_000;
    format!("CM{year}-{serial:07}")
}

/// Who was injured, and when things happened.
struct Patient {
    age: u32,
    female: bool,
    injury: Date,
    request: Date,
    ur: Date,
    received: Date,
    assigned: Date,
    decided: Date,
    region: &'static Region,
}

impl Patient {
    fn draw(rng: &mut Rng, era: Era) -> Patient {
        let year = match era {
            Era::Numbered2013 => 2013,
            Era::Titled2014 => 2014,
            Era::Sections2015 => 2015,
            Era::Sections2016 => 2016,
        };
        let injury = Date::draw(rng, year - 12, year - 1);
        let request = Date::draw(rng, year, year);
        let ur = request.later(rng, 3, 14);
        let received = ur.later(rng, 5, 30);
        let assigned = received.later(rng, 1, 14);
        Patient {
            age: rng.range(22, 68),
            female: rng.chance(0.45),
            injury,
            request,
            ur,
            received,
            assigned,
            decided: assigned.later(rng, 14, 40),
            region: &REGIONS[rng.below(REGIONS.len())],
        }
    }

    fn sex(&self) -> &'static str {
        if self.female { "female" } else { "male" }
    }

    fn he(&self) -> &'static str {
        if self.female { "she" } else { "he" }
    }
}

/// A part of the body and the MTUS-adopted ACOEM chapter on it.
struct Region {
    name: &'static str,
    chapter: u32,
    /// The chapter's title as 2015+ letters cite it.
    complaints: &'static str,
    odg: &'static str,
    /// Pages of the chapter's special studies, physical methods and
    /// surgical considerations.
    studies: (u32, u32),
    methods: (u32, u32),
    surgery: (u32, u32),
}

const REGIONS: [Region; 10] = [
    Region {
        name: "lumbar spine",
        chapter: 12,
        complaints: "Low Back Complaints 2004",
        odg: "Low Back",
        studies: (303, 304),
        methods: (301, 301),
        surgery: (305, 307),
    },
    Region {
        name: "low back",
        chapter: 12,
        complaints: "Low Back Complaints 2004",
        odg: "Low Back",
        studies: (303, 304),
        methods: (298, 301),
        surgery: (305, 306),
    },
    Region {
        name: "cervical spine",
        chapter: 8,
        complaints: "Neck and Upper Back Complaints 2004",
        odg: "Neck and Upper Back",
        studies: (177, 178),
        methods: (181, 183),
        surgery: (179, 180),
    },
    Region {
        name: "neck",
        chapter: 8,
        complaints: "Neck and Upper Back Complaints 2004",
        odg: "Neck and Upper Back",
        studies: (177, 179),
        methods: (173, 174),
        surgery: (180, 180),
    },
    Region {
        name: "right shoulder",
        chapter: 9,
        complaints: "Shoulder Complaints 2004",
        odg: "Shoulder",
        studies: (207, 209),
        methods: (203, 204),
        surgery: (209, 211),
    },
    Region {
        name: "left shoulder",
        chapter: 9,
        complaints: "Shoulder Complaints 2004",
        odg: "Shoulder",
        studies: (207, 208),
        methods: (204, 204),
        surgery: (210, 211),
    },
    Region {
        name: "right knee",
        chapter: 13,
        complaints: "Knee Complaints 2004",
        odg: "Knee & Leg",
        studies: (341, 343),
        methods: (338, 340),
        surgery: (344, 345),
    },
    Region {
        name: "left knee",
        chapter: 13,
        complaints: "Knee Complaints 2004",
        odg: "Knee & Leg",
        studies: (341, 342),
        methods: (339, 340),
        surgery: (344, 345),
    },
    Region {
        name: "right wrist",
        chapter: 11,
        complaints: "Forearm, Wrist, and Hand Complaints 2004",
        odg: "Forearm, Wrist & Hand",
        studies: (268, 269),
        methods: (264, 265),
        surgery: (270, 271),
    },
    Region {
        name: "left ankle",
        chapter: 14,
        complaints: "Ankle and Foot Complaints 2004",
        odg: "Ankle & Foot",
        studies: (372, 374),
        methods: (369, 371),
        surgery: (374, 375),
    },
];

/// A guideline document.
#[derive(Debug, Clone, Copy)]
enum Doc {
    ChronicPain,
    Acupuncture,
    Postsurgical,
    /// The ACOEM chapter on the letter's region.
    Acoem,
    /// An ACOEM chapter by number (7: consultations).
    AcoemChapter(u32, &'static str),
    /// The Official Disability Guidelines; "" is the region's chapter.
    Odg(&'static str),
}

/// A guideline a party may cite: document, section, pages (0 when none).
#[derive(Debug, Clone, Copy)]
struct Basis {
    doc: Doc,
    section: &'static str,
    pages: (u32, u32),
}

const fn cp(section: &'static str, from: u32, to: u32) -> Basis {
    Basis {
        doc: Doc::ChronicPain,
        section,
        pages: (from, to),
    }
}

const fn odg(chapter: &'static str, section: &'static str) -> Basis {
    Basis {
        doc: Doc::Odg(chapter),
        section,
        pages: (0, 0),
    }
}

const fn acoem(section: &'static str) -> Basis {
    Basis {
        doc: Doc::Acoem,
        section,
        pages: (0, 0),
    }
}

/// What a decision can be about: a drug class of the table, or a service.
struct Topic {
    /// The drug class in `data/drugs.toml` (the state's name); "" for a
    /// service.
    class: &'static str,
    /// Item templates; see `fill`. Empty for drugs (see `DRUG_ITEMS`).
    items: &'static [&'static str],
    bases: &'static [Basis],
    /// What the guidelines say.
    says: &'static [&'static str],
    /// Facts of the case against the request, and for it.
    against: &'static [&'static str],
    support: &'static [&'static str],
}

const TOPICS: [Topic; 26] = [
    Topic {
        class: "Opioids",
        items: &[],
        bases: &[
            cp("Opioids, criteria for use", 76, 80),
            cp("Opioids, long-term assessment", 88, 89),
            cp("Opioids, specific drug list", 91, 94),
            cp("Weaning of Medications", 124, 124),
        ],
        says: &[
            "The MTUS Chronic Pain Medical Treatment Guidelines state that the ongoing management of opioids requires documentation of pain relief, functional status, appropriate medication use and side effects.",
            "Opioids should be continued if the patient has returned to work or has improved functioning and pain.",
            "The lowest possible dose should be prescribed to improve pain and function, with the four domains of analgesia, activities of daily living, adverse side effects and aberrant drug-taking behaviors monitored at each visit.",
        ],
        against: &[
            "The records do not document a quantified reduction in pain or an objective improvement in function with the ongoing use of {drug}.",
            "There is no signed opioid agreement, recent urine drug screen or risk assessment in the records provided.",
            "The pain level is unchanged from visit to visit at {p}/10, and the work status has not changed.",
            "Weaning is recommended, and the request does not include a plan to taper the medication.",
        ],
        support: &[
            "The treating physician documents a reduction in pain from {p}/10 to {p2}/10 with {drug} and an improved ability to walk, cook and shop.",
            "A current opioid agreement and consistent urine drug screens are documented, with no aberrant behavior.",
            "The injured worker has returned to modified work while taking the medication.",
        ],
    },
    Topic {
        class: "NSAID",
        items: &[],
        bases: &[
            cp("NSAIDs (non-steroidal anti-inflammatory drugs)", 67, 73),
            cp("NSAIDs, specific drug list & adverse effects", 70, 73),
            cp("Anti-inflammatory medications", 22, 22),
        ],
        says: &[
            "Anti-inflammatories are the traditional first line of treatment, to reduce pain so activity and functional restoration can resume, but long-term use may not be warranted.",
            "NSAIDs are recommended at the lowest dose for the shortest period in patients with moderate to severe pain.",
        ],
        against: &[
            "The records do not document the response to the medication or any monitoring of renal and hepatic function.",
            "The medication has been used for more than a year without documented improvement in function.",
        ],
        support: &[
            "The injured worker reports less pain and better function with the medication, and no adverse effects are noted.",
            "This is a short course for an acute flare of pain, which the guidelines support.",
        ],
    },
    Topic {
        class: "Proton Pump Inhibitors",
        items: &[],
        bases: &[
            cp("NSAIDs, GI symptoms & cardiovascular risk", 68, 69),
            odg("Pain", "Proton pump inhibitors (PPIs)"),
            odg("Pain", "Antiemetics (for opioid nausea)"),
        ],
        says: &[
            "A proton pump inhibitor is recommended for patients taking NSAIDs who are at intermediate or high risk for gastrointestinal events.",
            "Risk factors include age over 65 years, a history of peptic ulcer, GI bleeding or perforation, and concurrent use of aspirin, corticosteroids or an anticoagulant.",
        ],
        against: &[
            "There is no documentation of gastrointestinal complaints or of any risk factor for gastrointestinal events.",
            "The records do not indicate that the injured worker is currently taking an NSAID.",
        ],
        support: &[
            "The injured worker has a history of gastritis and is taking an NSAID, which places the injured worker at intermediate risk.",
            "The progress notes document dyspepsia secondary to NSAID use.",
        ],
    },
    Topic {
        class: "Antidepressant",
        items: &[],
        bases: &[cp("Antidepressants for chronic pain", 13, 16)],
        says: &[
            "Antidepressants are recommended as a first-line option for neuropathic pain and as a possibility for non-neuropathic pain.",
            "Assessment of treatment efficacy should include not only pain outcomes but also function, changes in the use of other analgesics, sleep quality and duration, and psychological assessment.",
        ],
        against: &[
            "The records do not describe any benefit from the medication, and there is no diagnosis of neuropathic pain or depression.",
        ],
        support: &[
            "The injured worker has radicular pain and a depressed mood, and the medication has improved sleep and function.",
        ],
    },
    Topic {
        class: "Anti-epilepsy drugs",
        items: &[],
        bases: &[
            cp("Antiepilepsy drugs (AEDs)", 16, 22),
            cp("Gabapentin (Neurontin)", 18, 19),
            cp("Pregabalin (Lyrica)", 19, 20),
        ],
        says: &[
            "Antiepilepsy drugs are recommended for neuropathic pain; a good response is defined as a 50% reduction in pain and a moderate response as a 30% reduction.",
            "After initiation of treatment there should be documentation of pain relief and improvement in function as well as documentation of side effects incurred with use.",
        ],
        against: &[
            "The records do not document neuropathic pain or a 30% reduction in pain with the medication.",
        ],
        support: &[
            "The injured worker has radicular symptoms with numbness in a dermatomal distribution, and the medication has reduced the pain by half.",
        ],
    },
    Topic {
        class: "Muscle Relaxant",
        items: &[],
        bases: &[
            cp("Muscle relaxants (for pain)", 63, 66),
            cp("Cyclobenzaprine (Flexeril)", 41, 42),
            cp("Carisoprodol (Soma)", 29, 29),
        ],
        says: &[
            "Muscle relaxants are recommended with caution as a second-line option for the short-term treatment of acute exacerbations in patients with chronic low back pain.",
            "Cyclobenzaprine is recommended for a short course of therapy, and the greatest effect appears in the first 4 days of treatment.",
            "Addition of cyclobenzaprine to other agents is not recommended.",
        ],
        against: &[
            "The medication has been prescribed for several months, well beyond the short course the guidelines support.",
            "No muscle spasm was documented on the most recent examination.",
        ],
        support: &[
            "The injured worker has an acute exacerbation with palpable muscle spasm, and the request is for a short course of treatment.",
        ],
    },
    Topic {
        class: "Sedative-hypnotics",
        items: &[],
        bases: &[
            odg("Pain", "Insomnia treatment"),
            odg("Mental Illness & Stress", "Zolpidem"),
        ],
        says: &[
            "The Official Disability Guidelines recommend that treatment of insomnia be based on its etiology, with pharmacological agents used only after careful evaluation of potential causes of sleep disturbance.",
            "Zolpidem is approved for the short-term treatment of insomnia, usually two to six weeks.",
        ],
        against: &[
            "The records do not describe the injured worker's sleep onset, sleep maintenance, sleep hygiene or next-day function.",
        ],
        support: &[
            "The injured worker has documented insomnia despite sleep hygiene measures, and the request is for a short course.",
        ],
    },
    Topic {
        class: "Benzodiazepines",
        items: &[],
        bases: &[cp("Benzodiazepines", 24, 24)],
        says: &[
            "Benzodiazepines are not recommended for long-term use because long-term efficacy is unproven and there is a risk of dependence; most guidelines limit use to 4 weeks.",
            "Tolerance to hypnotic effects develops rapidly, and tolerance to anxiolytic effects occurs within months.",
        ],
        against: &[
            "The medication has been used for well over 4 weeks.",
            "A more appropriate treatment for anxiety disorder is an antidepressant.",
        ],
        support: &[
            "The request is for a short taper of the medication to avoid withdrawal, which is appropriate.",
        ],
    },
    Topic {
        class: "Topical Analgesics",
        items: &[],
        bases: &[
            cp("Topical Analgesics", 111, 113),
            cp("Lidoderm (lidocaine patch)", 56, 57),
            cp("Capsaicin, topical", 28, 29),
        ],
        says: &[
            "Topical analgesics are largely experimental in use with few randomized controlled trials to determine efficacy or safety, and they are primarily recommended for neuropathic pain when trials of antidepressants and anticonvulsants have failed.",
            "Topical lidocaine may be recommended for localized peripheral pain after there has been evidence of a trial of first-line therapy.",
        ],
        against: &[
            "There is no evidence of intolerance to or failure of first-line oral medications.",
            "The records do not describe localized neuropathic pain.",
        ],
        support: &[
            "The injured worker has localized neuropathic pain after failing gabapentin and amitriptyline, and the patch has reduced the pain.",
        ],
    },
    Topic {
        class: "Topical Compounds",
        items: &[],
        bases: &[
            cp("Topical Analgesics", 111, 113),
            cp("Salicylate topicals", 105, 105),
        ],
        says: &[
            "Any compounded product that contains at least one drug or drug class that is not recommended is not recommended.",
            "The safety and efficacy of compounded medications has not been established through rigorous clinical trials.",
        ],
        against: &[
            "This compound is noted to contain ingredients that the guidelines do not recommend in topical form.",
            "There is no indication that the injured worker cannot use the readily available over-the-counter version of this medication.",
        ],
        support: &[
            "The injured worker cannot tolerate oral medications because of gastritis, and the topical agent has allowed a reduction in oral analgesics.",
        ],
    },
    Topic {
        class: "Antimigraine Agent",
        items: &[],
        bases: &[odg("Head", "Triptans")],
        says: &[
            "Triptans are recommended for migraine sufferers, and at marketed doses all oral triptans are effective and well tolerated.",
        ],
        against: &[
            "The records do not document a diagnosis of migraine or the frequency of the headaches.",
        ],
        support: &[
            "The treating physician documents migraine headaches that respond to the medication within two hours.",
        ],
    },
    Topic {
        class: "Nutritional Products",
        items: &[],
        bases: &[odg("Pain", "Medical food")],
        says: &[
            "A medical food is formulated to be consumed or administered enterally under the supervision of a physician and is intended for the specific dietary management of a disease with distinctive nutritional requirements.",
        ],
        against: &[
            "There is no documented nutritional deficiency or disease that requires dietary management.",
        ],
        support: &[
            "The treating physician documents a nutritional deficiency that this product is meant to manage.",
        ],
    },
    Topic {
        class: "Misc Analgesics",
        items: &[],
        bases: &[cp("Medications for chronic pain", 60, 61)],
        says: &[
            "Medications for chronic pain should be started one at a time, and the physician should record pain and function with each medication.",
        ],
        against: &[
            "The records do not describe the indication for the medication or any benefit from it.",
        ],
        support: &[
            "The treating physician documents a clear indication and a response to the medication.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Physical therapy {n} times a week for {w} weeks for the {body}",
            "{q} sessions of physical therapy for the {body}",
            "Additional physical therapy for the {body}, {q} sessions",
            "Physical therapy 2x{w} for the {body}",
            "Six physical therapy sessions two times a week for three weeks for the {body}",
        ],
        bases: &[cp("Physical Medicine", 98, 99), odg("", "Physical therapy")],
        says: &[
            "The MTUS Chronic Pain Medical Treatment Guidelines recommend a fading of treatment frequency plus active self-directed home physical medicine, with up to 10 visits over 8 weeks for myalgia and myositis and up to 10 visits over 4 weeks for neuralgia, neuritis and radiculitis.",
            "Physical therapy in the form of active therapy is recommended for longer durations as long as it is helping to restore function.",
            "The goal of treatment with physical therapy is to transition the patient to an unsupervised home exercise program as soon as the patient shows the ability to perform these exercises at home.",
        ],
        against: &[
            "The injured worker has already completed at least {q} sessions of physical therapy, and the records do not describe the functional improvement achieved with them.",
            "The requested sessions would exceed the number of visits the guidelines allow.",
            "There is no explanation of why the injured worker cannot continue with a home exercise program.",
        ],
        support: &[
            "The injured worker has not had physical therapy for the {body} since the injury, and the examination shows decreased range of motion and strength.",
            "The request is within the number of visits the guidelines allow and is intended to transition the injured worker to a home exercise program.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Acupuncture two (2) times a week for four (4) weeks",
            "Acupuncture for {q} sessions",
            "{q} acupuncture visits for the {body}",
            "Acupuncture 1 time a week for {w} weeks",
        ],
        bases: &[Basis {
            doc: Doc::Acupuncture,
            section: "",
            pages: (0, 0),
        }],
        says: &[
            "The MTUS Acupuncture Medical Treatment Guidelines state that acupuncture is used as an option when pain medication is reduced or not tolerated, and it may be used as an adjunct to physical rehabilitation to hasten functional recovery.",
            "The time to produce functional improvement is 3 to 6 treatments, and treatments may be extended if functional improvement is documented.",
        ],
        against: &[
            "The clinical documentation indicated prior acupuncture, but there was a lack of documentation of the number of sessions and of the functional improvement obtained.",
            "The request exceeds the initial trial of 3 to 6 treatments that the guidelines support.",
        ],
        support: &[
            "This would be an initial trial of acupuncture, and the injured worker has reduced the use of pain medication.",
            "The prior sessions reduced the pain and allowed a return to modified duty, which is functional improvement as the guidelines define it.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Chiropractic treatment {n} times a week for {w} weeks for the {body}",
            "Chiropractic physiotherapy 2 times a week for 4 weeks",
            "{q} chiropractic sessions for the {body}",
        ],
        bases: &[cp("Manual therapy & manipulation", 58, 60)],
        says: &[
            "Manual therapy and manipulation are recommended for chronic pain caused by musculoskeletal conditions, with a trial of 6 visits over 2 weeks and, with evidence of objective functional improvement, a total of up to 18 visits over 6 to 8 weeks.",
            "Manipulation is not recommended for the ankle and foot, carpal tunnel syndrome, the forearm, wrist and hand, or the knee.",
        ],
        against: &[
            "The injured worker has completed more than 18 chiropractic visits without documented objective functional improvement.",
        ],
        support: &[
            "This is an initial trial of 6 visits for a musculoskeletal condition of the spine, which the guidelines support.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "MRI of the {body} without contrast",
            "MRI of the {body}",
            "Magnetic resonance imaging (MRI) of the {body}",
            "Repeat MRI of the {body}",
        ],
        bases: &[
            acoem("Special Studies"),
            odg("", "MRIs (magnetic resonance imaging)"),
        ],
        says: &[
            "The ACOEM Guidelines state that unequivocal objective findings that identify specific nerve compromise on the neurologic examination are sufficient evidence to warrant imaging in patients who do not respond to treatment.",
            "Special studies are not needed to evaluate most complaints until after a period of conservative care and observation and after red flag issues are ruled out.",
            "Criteria for ordering imaging include the emergence of a red flag, physiologic evidence of tissue insult or nerve impairment, failure to progress in a strengthening program, and clarification of the anatomy prior to an invasive procedure.",
        ],
        against: &[
            "In this case, the medical records do not establish clinical signs consistent with a focal neurologic deficit in a dermatomal or myotomal pattern.",
            "There is no documentation of a red flag finding or of a plan for surgery.",
            "An MRI of the {body} was performed in {year}, and there has been no significant change in symptoms or findings since then.",
        ],
        support: &[
            "Conservative care, including medication and physical therapy, has failed, and the examination shows findings that suggest internal derangement.",
            "The injured worker has progressive neurologic deficits on examination, which warrants further evaluation with imaging.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "EMG/NCV of the bilateral {limbs}",
            "EMG and NCS of the right {limb}",
            "Electromyography of the bilateral {limbs}",
            "Nerve conduction velocity study of the left {limb}",
        ],
        bases: &[
            acoem("Special Studies"),
            odg("", "Electrodiagnostic testing (EMG/NCS)"),
        ],
        says: &[
            "Electromyography, including H-reflex tests, may be useful to identify subtle, focal neurologic dysfunction in patients with symptoms lasting more than three or four weeks.",
            "Nerve conduction studies are not recommended when a patient is presumed to have symptoms on the basis of radiculopathy.",
        ],
        against: &[
            "The examination documents normal sensation, strength and reflexes, and there is no suspicion of peripheral neuropathy.",
        ],
        support: &[
            "The injured worker has numbness and weakness in the {limb} that have persisted despite conservative care, and the diagnosis is unclear.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "TENS unit",
            "TENS unit rental for 30 days",
            "Purchase of a TENS unit with supplies",
            "Interferential unit rental for {n} months",
            "H-wave device purchase",
        ],
        bases: &[
            cp(
                "TENS, chronic pain (transcutaneous electrical nerve stimulation)",
                114,
                116,
            ),
            cp("H-wave stimulation (HWT)", 117, 118),
            cp("Interferential Current Stimulation (ICS)", 118, 120),
        ],
        says: &[
            "A TENS unit is not recommended as a primary treatment modality, but a one-month home-based trial may be considered as a noninvasive conservative option if used as an adjunct to a program of evidence-based functional restoration.",
        ],
        against: &[
            "There is no documentation of a one-month trial with the outcomes of pain relief and function.",
            "The request does not specify whether the unit is a rental or a purchase, or the body part to be treated.",
        ],
        support: &[
            "A one-month trial reduced the pain and the use of medication, which the treating physician documents in detail.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Lumbar support",
            "Lumbar brace",
            "Wrist braces #2",
            "Knee brace for the {body}",
            "Cervical pillow",
            "Hot and cold therapy unit",
            "Sit-stand workstation",
        ],
        bases: &[
            acoem("Physical Methods"),
            odg("", "Durable medical equipment (DME)"),
        ],
        says: &[
            "Supports have not been shown to have any lasting benefit beyond the acute phase of symptom relief.",
            "Durable medical equipment is recommended generally if there is a medical need and if the device meets the definition of durable medical equipment.",
        ],
        against: &[
            "The injured worker is well beyond the acute phase of the injury.",
            "There is no documentation of instability or of a condition the device would treat.",
        ],
        support: &[
            "The treating physician documents a medical need that the device meets, and the guidelines support its use in this setting.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Lumbar epidural steroid injection at L{n}-L{n2}",
            "Cervical epidural steroid injection at C5-C6",
            "Trigger point injections x {n}",
            "One platelet-rich plasma injection to the {body}",
            "Cortisone injection to the {body}",
        ],
        bases: &[
            cp("Epidural steroid injections (ESIs)", 46, 46),
            cp("Trigger point injections", 122, 122),
            odg("", "Platelet-rich plasma (PRP)"),
        ],
        says: &[
            "Epidural steroid injections are recommended as an option for the treatment of radicular pain, defined as pain in a dermatomal distribution with corroborative findings of radiculopathy.",
            "Radiculopathy must be documented by physical examination and corroborated by imaging studies and/or electrodiagnostic testing.",
        ],
        against: &[
            "The examination does not document radiculopathy, and there are no corroborating imaging or electrodiagnostic findings.",
            "A prior injection did not produce 50% pain relief for six to eight weeks.",
        ],
        support: &[
            "Radiculopathy is documented on examination and corroborated by the MRI, and conservative treatment has failed.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Arthroscopy of the {body} with debridement",
            "Right carpal tunnel release",
            "L4-L5 microdiscectomy",
            "Post-operative physical therapy, {q} sessions",
        ],
        bases: &[
            acoem("Surgical Considerations"),
            Basis {
                doc: Doc::Postsurgical,
                section: "",
                pages: (10, 12),
            },
        ],
        says: &[
            "Referral for surgical consultation is indicated for patients who have activity limitation for more than one month and failure of exercise programs to increase range of motion and strength.",
            "Surgery is recommended when there is clear clinical and imaging evidence of a lesion that has been shown to benefit in both the short and long term from surgical repair.",
        ],
        against: &[
            "There is no imaging evidence of a lesion that would benefit from surgery, and conservative care has not been exhausted.",
        ],
        support: &[
            "The imaging shows a lesion that corresponds to the examination findings, and more than three months of conservative care have failed.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Functional restoration program, {q} hours",
            "Functional restoration program evaluation",
            "Multidisciplinary pain management program",
        ],
        bases: &[
            cp(
                "Chronic pain programs (functional restoration programs)",
                30,
                34,
            ),
            cp("Functional restoration programs (FRPs)", 49, 49),
        ],
        says: &[
            "Functional restoration programs are recommended where there is access to programs with proven successful outcomes, for patients with conditions that put them at risk of delayed recovery.",
        ],
        against: &[
            "The records do not show that previous methods of treating chronic pain have been unsuccessful or that the injured worker is motivated to change.",
        ],
        support: &[
            "Previous methods of treating chronic pain have been unsuccessful, an adequate evaluation has been made, and the injured worker is motivated to return to work.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Urine drug screen",
            "Urine toxicology screen, DOS: {date}",
            "Retrospective urine drug test (DOS {date})",
        ],
        bases: &[
            cp("Drug testing", 43, 43),
            cp("Opioids, steps to avoid misuse/addiction", 94, 95),
        ],
        says: &[
            "Drug testing is recommended as an option to assess for the use or the presence of illegal drugs, and frequent random urine toxicology screens are a step to avoid the misuse of opioids.",
        ],
        against: &[
            "The injured worker had a consistent drug screen three months earlier and is at low risk of aberrant behavior.",
        ],
        support: &[
            "The injured worker is taking opioids and has not had a drug screen in the past year.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Psychological evaluation",
            "Cognitive behavioral therapy, {q} sessions",
            "Biofeedback, {n} sessions",
        ],
        bases: &[
            cp("Psychological evaluations", 100, 101),
            cp("Behavioral interventions", 23, 23),
            cp("Biofeedback", 24, 25),
        ],
        says: &[
            "Psychological evaluations are recommended as generally well-accepted diagnostic procedures in chronic pain populations.",
            "An initial trial of 3 to 4 psychotherapy visits over 2 weeks is recommended, with up to 6 to 10 visits over 5 to 6 weeks with evidence of objective functional improvement.",
        ],
        against: &[
            "The requested number of sessions exceeds the initial trial the guidelines support.",
        ],
        support: &[
            "The injured worker has depressive symptoms that delay recovery, and an initial evaluation is supported.",
        ],
    },
    Topic {
        class: "",
        items: &[
            "Follow-up visit with pain management",
            "Orthopedic consultation for the {body}",
            "Functional capacity evaluation",
            "Home health care {n} hours a day",
            "Gym membership for {n} months",
        ],
        bases: &[
            Basis {
                doc: Doc::AcoemChapter(7, "Independent Medical Examinations and Consultations"),
                section: "Consultation",
                pages: (127, 127),
            },
            cp("Home health services", 51, 51),
            odg("", "Gym memberships"),
        ],
        says: &[
            "The occupational health practitioner may refer to other specialists if a diagnosis is uncertain or extremely complex, or when the plan or course of care may benefit from additional expertise.",
        ],
        against: &[
            "The records do not explain what the request would add to the current plan of care.",
        ],
        support: &[
            "The diagnosis remains uncertain despite treatment, and additional expertise would benefit the plan of care.",
        ],
    },
];

/// Item forms for drugs: {drug} {s} strength, {q} quantity, {r} refills.
const DRUG_ITEMS: [&str; 11] = [
    "{drug} {s} #{q}",
    "{drug} {s} #{q} with {r} refills",
    "1 prescription of {drug} {s} #{q}",
    "Prospective request for 1 prescription of {drug} {s} #{q}",
    "Retrospective request for {drug} {s} #{q} (DOS: {date})",
    "{drug} {s}, {q} count",
    "{drug} {s} quantity {q}",
    "{drug} (unspecified dosage and quantity)",
    "{drug}",
    "Prospective request for 1 prescription of {drug} {s} #{q} between {date} and {date2}",
    "Retrospective request for 1 prescription of {drug} {s} #{q} with {r} refills, as prescribed by the treating physician for the management of chronic {body} pain (DOS: {date})",
];

const TOPICAL_ITEMS: [&str; 7] = [
    "{drug} cream {q}gm",
    "{drug} lotion 120 ml",
    "{drug} patch #{q}",
    "Retro DOS: {dots} {drug} 2% cream",
    "Retrospective pharmacy purchase of {drug} lotion 120ml",
    "{drug} cream #3 with 2 refills",
    "{drug} patch, 12 hours on 12 hours off to affected area, #{q} box with 1 refill, DOS: {date}",
];

const SUSPENSION_ITEMS: [&str; 2] = [
    "{drug} {n}mg/ml oral suspension, {q}ml",
    "{drug} {n}mg/ml oral suspension {q}ml",
];

fn strengths(class: &str) -> &'static [&'static str] {
    match class {
        "Opioids" => &[
            "10/325mg",
            "5/325mg",
            "7.5/325mg",
            "10mg",
            "15mg",
            "30mg",
            "50mg",
        ],
        "NSAID" => &["550mg", "200mg", "7.5mg", "75mg", "800mg", "15mg", "500mg"],
        "Proton Pump Inhibitors" => &["20mg", "40mg", "8mg", "4mg", "150mg"],
        "Antidepressant" => &["25mg", "50mg", "60mg", "10mg", "37.5mg"],
        "Anti-epilepsy drugs" => &["300mg", "600mg", "75mg", "50mg", "100mg"],
        "Muscle Relaxant" => &["7.5mg", "10mg", "350mg", "4mg", "750mg"],
        "Sedative-hypnotics" | "Benzodiazepines" => &["10mg", "5mg", "0.5mg", "1mg", "12.5mg"],
        _ => &["10mg", "100mg", "5mg", "25mg", "50mg"],
    }
}

/// A decision as planned: what its title says and how it is ruled.
struct Planned {
    topic: &'static Topic,
    /// The expected item.
    item: String,
    /// The title before its outcome: the item, or a partial
    /// authorisation's story ending with the item.
    title: String,
    drug: Option<String>,
    outcome: Outcome,
    placement: Placement,
    partial: bool,
    upper_case: bool,
    claims: Basis,
    reviewer: Basis,
}

impl Planned {
    fn expected(&self) -> ExpectedDecision {
        ExpectedDecision {
            item: self.item.clone(),
            outcome: self.outcome,
            placement: self.placement,
            partial: self.partial,
            upper_case: self.upper_case,
        }
    }
}

/// Values for the placeholders of item and sentence templates.
struct Vars {
    drug: String,
    strength: &'static str,
    q: u32,
    r: u32,
    n: u32,
    w: u32,
    p: u32,
    body: &'static str,
    limbs: &'static str,
    date: String,
    date2: String,
    dots: String,
    year: u32,
}

impl Vars {
    fn draw(rng: &mut Rng, patient: &Patient) -> Vars {
        let lower = rng.chance(0.5);
        Vars {
            drug: String::new(),
            strength: "",
            q: rng.pick(&[6, 8, 10, 12, 30, 60, 90, 120, 180]),
            r: rng.range(1, 3),
            n: rng.range(2, 4),
            w: rng.range(3, 6),
            p: rng.range(5, 9),
            body: patient.region.name,
            limbs: if lower {
                "lower extremities"
            } else {
                "upper extremities"
            },
            date: patient.request.any(rng),
            date2: patient.request.later(rng, 28, 90).any(rng),
            dots: patient.request.dots(),
            year: patient.injury.y + 1,
        }
    }

    fn get(&self, key: &str) -> String {
        match key {
            "drug" => self.drug.clone(),
            "s" => self.strength.to_owned(),
            "q" => self.q.to_string(),
            "r" => self.r.to_string(),
            "n" => self.n.to_string(),
            "n2" => (self.n + 1).to_string(),
            "w" => self.w.to_string(),
            "p" => self.p.to_string(),
            "p2" => (self.p / 2).to_string(),
            "body" => self.body.to_owned(),
            "limbs" => self.limbs.to_owned(),
            "limb" => self.limbs.replace("extremities", "extremity"),
            "date" => self.date.clone(),
            "date2" => self.date2.clone(),
            "dots" => self.dots.clone(),
            "year" => self.year.to_string(),
            _ => format!("{{{key}}}"),
        }
    }
}

/// Replaces each `{key}` in `template` with its value.
fn fill(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&vars.get(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A drug name of the class, as letters write it.
fn drug_of(rng: &mut Rng, class: &str) -> String {
    let names: Vec<&str> = DrugTable::bundled()
        .drugs()
        .iter()
        .filter(|d| d.class == class)
        // Medical foods are prescribed by brand, not by ingredient.
        .filter(|d| class != "Nutritional Products" || !d.generics.is_empty())
        .map(|d| d.name.as_str())
        .collect();
    capitalize(names[rng.below(names.len())])
}

/// "Flurbiprofen 10%/Cyclobenzaprine 2%/Lidocaine 5%, 120grams".
fn compound(rng: &mut Rng) -> String {
    let parts = [
        "Flurbiprofen",
        "Cyclobenzaprine",
        "Gabapentin",
        "Lidocaine",
        "Capsaicin",
        "Tramadol",
        "Ketoprofen",
        "Baclofen",
        "Dextromethorphan",
        "Menthol",
    ];
    let count = rng.range(2, 4) as usize;
    let mut chosen: Vec<&str> = Vec::with_capacity(count);
    while chosen.len() < count {
        let p = rng.pick(&parts);
        if !chosen.contains(&p) {
            chosen.push(p);
        }
    }
    let body: Vec<String> = chosen
        .iter()
        .map(|p| format!("{p} {}%", rng.pick(&[2, 5, 10, 15, 20])))
        .collect();
    format!("{}, {}grams", body.join("/"), rng.pick(&[30, 60, 120, 240]))
}

/// How many decisions a letter holds: 1 to 6, mostly one or two.
fn decision_count(rng: &mut Rng) -> usize {
    1 + rng.weighted(&[52, 22, 12, 7, 4, 3])
}

fn plan_decisions(rng: &mut Rng, layout: &Layout, patient: &Patient) -> Vec<Planned> {
    let count = decision_count(rng);
    let mut after_break = 0;
    (0..count)
        .map(|_| {
            let mut d = plan_decision(rng, layout, patient);
            // A page break lands between a title and its outcome at most
            // twice a letter, as in print.
            if d.placement == Placement::AfterPageBreak {
                after_break += 1;
                if after_break > 2 {
                    d.placement = Placement::SameLine;
                }
            }
            d
        })
        .collect()
}

fn plan_decision(rng: &mut Rng, layout: &Layout, patient: &Patient) -> Planned {
    let topic = &TOPICS[if rng.chance(0.6) {
        rng.below(13)
    } else {
        13 + rng.below(TOPICS.len() - 13)
    }];
    let mut vars = Vars::draw(rng, patient);
    let (template, drug) = item_template(rng, topic, &mut vars);
    let early = matches!(layout.era, Era::Numbered2013 | Era::Titled2014);
    let item = fill(template, &vars);
    // Partial authorisations in print name short items: the story of a
    // long one would run past the five lines a title takes at most.
    let partial = !early && template.contains("{q}") && item.len() <= 100 && rng.chance(0.15);
    let (item, title) = if partial {
        partial_title(rng, template, &mut vars)
    } else {
        (item.clone(), item)
    };
    let upper_case = early && layout.era != Era::Numbered2013 && rng.chance(0.3);
    let (item, title) = if upper_case {
        (item.to_uppercase(), title.to_uppercase())
    } else {
        (item, title)
    };
    let placement = if layout.era == Era::Numbered2013 {
        Placement::Sentence
    } else if layout.pages == Pages::Continuous {
        [Placement::SameLine, Placement::NextLine][rng.weighted(&[78, 22])]
    } else {
        [
            Placement::SameLine,
            Placement::NextLine,
            Placement::AfterPageBreak,
        ][rng.weighted(&[70, 18, 12])]
    };
    Planned {
        topic,
        item,
        title,
        drug,
        outcome: if rng.chance(0.12) {
            Outcome::Overturned
        } else {
            Outcome::Upheld
        },
        placement,
        partial,
        upper_case,
        claims: rng.pick(topic.bases),
        reviewer: rng.pick(topic.bases),
    }
}

/// The item's template, with the drug set in `vars` for a drug topic.
fn item_template(
    rng: &mut Rng,
    topic: &'static Topic,
    vars: &mut Vars,
) -> (&'static str, Option<String>) {
    if topic.class.is_empty() {
        return (rng.pick(topic.items), None);
    }
    let topical = topic.class.starts_with("Topical");
    if topical && rng.chance(0.3) {
        vars.drug = compound(rng);
        return ("{drug}", Some(vars.drug.clone()));
    }
    vars.drug = drug_of(rng, topic.class);
    vars.strength = rng.pick(strengths(topic.class));
    let template = if topical {
        rng.pick(&TOPICAL_ITEMS)
    } else if matches!(topic.class, "Nutritional Products" | "Sedative-hypnotics")
        && rng.chance(0.4)
    {
        rng.pick(&SUSPENSION_ITEMS)
    } else {
        rng.pick(&DRUG_ITEMS)
    };
    (template, Some(vars.drug.clone()))
}

/// A partial authorisation: (the remaining portion, the whole title).
fn partial_title(rng: &mut Rng, template: &str, vars: &mut Vars) -> (String, String) {
    let original = vars.q.max(4);
    let authorized = rng.range(1, original - 1);
    vars.q = original;
    let whole = fill(template, vars);
    vars.q = authorized;
    let granted = fill(template, vars);
    vars.q = original - authorized;
    let rest = fill(template, vars);
    let middle = if rng.chance(0.5) {
        format!("{granted} was authorized by the Claims Administrator.")
    } else {
        format!("The Claims Administrator authorized {granted}.")
    };
    let title = format!(
        "{whole} was the original request. {middle} The remaining IMR eligible portion of the original request, {rest} is"
    );
    (rest, title)
}

/// The letter's lines before page breaks and encoding.
struct Sheet {
    lines: Vec<Line>,
    width: usize,
    doubled: bool,
    hyphenated: bool,
}

struct Line {
    text: String,
    /// No page break may follow this line.
    keep: bool,
    /// A page break must follow this line.
    force_break: bool,
}

impl Sheet {
    fn new(rng: &mut Rng, layout: &Layout) -> Sheet {
        Sheet {
            lines: Vec::with_capacity(128),
            width: rng.range(86, 99) as usize,
            doubled: layout.doubled,
            hyphenated: layout.hyphenated,
        }
    }

    fn push(&mut self, text: String, keep: bool) {
        self.lines.push(Line {
            text,
            keep,
            force_break: false,
        });
    }

    /// A paragraph of plain words, wrapped.
    fn para(&mut self, text: &str) {
        for line in wrap(text, self.width, None) {
            self.push(line, false);
        }
    }

    /// A paragraph of prose, wrapped, with words hyphenated across lines
    /// when the letter does that.
    fn prose(&mut self, rng: &mut Rng, text: &str) {
        let hyphen = self.hyphenated.then_some(rng);
        for line in wrap(text, self.width, hyphen) {
            self.push(line, false);
        }
    }

    /// A line that stays on the page with the next.
    fn kept(&mut self, text: String) {
        self.push(text, true);
    }

    /// A heading: a leading space in the doubled layout, as the seeds have.
    fn heading(&mut self, text: &str) {
        let text = if self.doubled {
            format!(" {text}")
        } else {
            text.to_owned()
        };
        self.push(text, false);
    }

    /// A paragraph break: always in the doubled layout, sometimes in
    /// pdftotext's.
    fn gap(&mut self, rng: &mut Rng) {
        if self.doubled || rng.chance(0.12) {
            self.push(String::new(), false);
        }
    }

    /// Page breaks, furniture, blank-line doubling: the text as extracted.
    fn render(&self, rng: &mut Rng, layout: &Layout, case: &str) -> String {
        let breaks = self.page_breaks(rng, layout.pages);
        let pages = breaks.len() + 1;
        let header = match rng.below(3) {
            0 => case.to_owned(),
            1 => format!("IMR Case Number: {case}"),
            _ => format!("Case Number: {case}"),
        };
        let furniture = layout.pages == Pages::Furniture;
        let mut out = String::with_capacity(self.lines.len() * 100);
        let mut page = 1;
        let mut next_break = breaks.iter().peekable();
        for (i, line) in self.lines.iter().enumerate() {
            let at_break = next_break.next_if_eq(&&i).is_some();
            let footer = format!("Page {page} of {pages}");
            if at_break && furniture && !line.text.is_empty() && rng.chance(0.2) {
                self.emit(&mut out, &format!("{} {footer}", line.text));
            } else {
                self.emit(&mut out, &line.text);
                if at_break && furniture {
                    self.emit(&mut out, &footer);
                }
            }
            if at_break {
                out.push('\u{c}');
                page += 1;
                if furniture {
                    self.emit(&mut out, &header);
                }
            }
        }
        if layout.pages != Pages::Continuous {
            if furniture {
                self.emit(&mut out, &format!("Page {pages} of {pages}"));
            }
            out.push('\u{c}');
        }
        out
    }

    /// Indices of the lines a page break follows.
    fn page_breaks(&self, rng: &mut Rng, pages: Pages) -> Vec<usize> {
        if pages == Pages::Continuous {
            return Vec::new();
        }
        let mut breaks = Vec::new();
        let mut on_page = 0;
        let mut length = rng.range(44, 56);
        for (i, line) in self.lines.iter().enumerate() {
            on_page += u32::from(!line.text.is_empty());
            let room_left = i + 1 < self.lines.len();
            if line.force_break || (on_page >= length && !line.keep && room_left) {
                breaks.push(i);
                on_page = 0;
                length = rng.range(44, 56);
            }
        }
        breaks
    }

    fn emit(&self, out: &mut String, text: &str) {
        out.push_str(text);
        if self.doubled {
            out.push_str(" \n\n");
        } else {
            out.push('\n');
        }
    }
}

/// Splits text into lines of at most `width` columns at spaces; with a
/// random source, sometimes hyphenates a long lower-case word at a line
/// end (never a paragraph's last word).
fn wrap(text: &str, width: usize, mut hyphen: Option<&mut Rng>) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines = Vec::new();
    let mut line = String::new();
    for (i, &word) in words.iter().enumerate() {
        if line.is_empty() || line.len() + 1 + word.len() <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        let room = width.saturating_sub(line.len() + 2);
        let try_split = i + 1 < words.len() && hyphen.as_mut().is_some_and(|r| r.chance(0.4));
        let split = if try_split {
            split_word(word, room)
        } else {
            None
        };
        match split {
            Some((left, right)) => {
                line.push(' ');
                line.push_str(left);
                line.push('-');
                lines.push(std::mem::take(&mut line));
                line.push_str(right);
            }
            None => {
                lines.push(std::mem::take(&mut line));
                line.push_str(word);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A long lower-case word split so that its left part fits in `room`.
fn split_word(word: &str, room: usize) -> Option<(&str, &str)> {
    let letters = word.trim_end_matches(['.', ',', ';']);
    if letters.len() < 8 || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let at = room.min(letters.len() - 3);
    (at >= 4).then(|| word.split_at(at))
}

fn write_cover(
    sheet: &mut Sheet,
    rng: &mut Rng,
    layout: &Layout,
    case: &str,
    p: &Patient,
    planned: &[Planned],
) {
    let priority = if rng.chance(0.9) {
        "Standard"
    } else {
        "Expedited"
    };
    match layout.cover {
        CoverStyle::None => return,
        CoverStyle::Rows2013 => {
            let all_upheld = planned.iter().all(|d| d.outcome == Outcome::Upheld);
            let (word, which) = if all_upheld {
                ("UPHOLD", "none of the disputed items/services are")
            } else if planned.iter().all(|d| d.outcome == Outcome::Overturned) {
                ("OVERTURN", "all of the disputed items/services are")
            } else {
                ("OVERTURN", "some of the disputed items/services are")
            };
            for row in [
                format!("Dated: {}", p.decided.long()),
                format!("IMR Case Number: {case}"),
                format!("Date of Injury: {}", p.injury.slash()),
                format!("Date of UR Decision: {}", p.ur.slash()),
                format!("Final Determination: {word}"),
                format!("This means we decided that {which} medically necessary and appropriate."),
            ] {
                sheet.kept(row);
            }
        }
        CoverStyle::Rows => {
            for row in [
                format!("Case Number: {case}"),
                format!("Date Assigned: {}", p.assigned.slash()),
                format!("Decision Date: {}", p.decided.slash()),
                format!("Priority: {priority}"),
                format!("Date of Injury: {}", p.injury.slash()),
                format!("UR Denial Date: {}", p.ur.slash()),
                format!("Application Received: {}", p.received.slash()),
            ] {
                sheet.kept(row);
            }
        }
        CoverStyle::Cells => {
            for row in [
                format!("Case Number:  {case}"),
                format!(
                    "Date Assigned:  {}  Date of Injury:   {}",
                    p.assigned.slash(),
                    p.injury.slash()
                ),
                format!(
                    "Decision Date:  {}  UR Denial Date:   {}",
                    p.decided.slash(),
                    p.ur.slash()
                ),
                format!("Priority:   {priority}  Application"),
                format!("Received:   {}", p.received.slash()),
            ] {
                sheet.kept(row);
            }
        }
        CoverStyle::Columns => {
            let rows = [
                "Case Number:".to_owned(),
                "Date Assigned:".to_owned(),
                "Decision Date:".to_owned(),
                "Priority:".to_owned(),
                String::new(),
                case.to_owned(),
                p.assigned.slash(),
                p.decided.slash(),
                priority.to_owned(),
                String::new(),
                "Date of Injury:".to_owned(),
                "UR Denial Date:".to_owned(),
                "Application".to_owned(),
                "Received:".to_owned(),
                String::new(),
                p.injury.slash(),
                p.ur.slash(),
                p.received.slash(),
            ];
            for row in rows {
                sheet.kept(row);
            }
        }
    }
    sheet.push(String::new(), true);
}

const PROSE_SPECIALTIES: [&str; 10] = [
    "Occupational Medicine",
    "Physical Medicine and Rehabilitation",
    "Anesthesiology",
    "Orthopedic Surgery",
    "Family Practice",
    "Internal Medicine",
    "Emergency Medicine",
    "Neurology",
    "Psychiatry",
    "Preventive Medicine",
];

const BLOCK_SPECIALTIES: [&str; 10] = [
    "Family Practice",
    "Physical Medicine & Rehabilitation",
    "Emergency Medicine",
    "Orthopedic Surgery",
    "Occupational Medicine",
    "Anesthesiology",
    "Internal Medicine",
    "Preventive Medicine",
    "Neurology",
    "Chiropractic Medicine",
];

const SUBSPECIALTIES: [&str; 6] = [
    "Interventional Spine",
    "Pain Management",
    "Sports Medicine",
    "Hand Surgery",
    "Spine Surgery",
    "Pain Medicine",
];

const STATES: [&str; 14] = [
    "California",
    "Texas",
    "Ohio",
    "New York",
    "Pennsylvania",
    "Florida",
    "Arizona",
    "Nevada",
    "Washington",
    "Oregon",
    "Illinois",
    "Maryland",
    "Colorado",
    "Massachusetts",
];

/// The reviewer's qualifications; returns the (first) specialty.
fn write_how(sheet: &mut Sheet, rng: &mut Rng, layout: &Layout, style: &Style) -> String {
    sheet.heading("HOW THE IMR FINAL DETERMINATION WAS MADE");
    let who = style.reviewer;
    let services = if layout.era == Era::Sections2016 {
        "items/Service"
    } else {
        "items/services"
    };
    let opening = format!(
        "MAXIMUS Federal Services sent the complete case file to {} {who}. He/she has no affiliation with the employer, employee, providers or the claims administrator.",
        if who.starts_with('e') { "an" } else { "a" }
    );
    let closing = format!(
        "He/she has been in active clinical practice for more than five years and is currently working at least 24 hours a week in active practice. The {who} was selected based on his/her clinical experience, education, background, and expertise in the same or similar specialties that evaluate and/or treat the medical condition and disputed {services}. He/she is familiar with governing laws and regulations, including the strength of evidence hierarchy that applies to Independent Medical Review determinations."
    );
    match layout.credentials {
        Credentials::Prose => {
            let specialty = rng.pick(&PROSE_SPECIALTIES);
            let sub = if rng.chance(0.3) {
                format!(", has a subspecialty in {}", rng.pick(&SUBSPECIALTIES))
            } else {
                String::new()
            };
            let state = rng.pick(&STATES);
            sheet.para(&format!(
                "{opening} The {who} is Board Certified in {specialty}{sub} and is licensed to practice in {state}. {closing}"
            ));
            sheet.gap(rng);
            specialty.to_owned()
        }
        Credentials::Block => {
            sheet.para(&format!("{opening} {closing}"));
            sheet.gap(rng);
            sheet.para("The Expert Reviewer has the following credentials:");
            write_licensure(sheet, rng);
            let first = rng.pick(&BLOCK_SPECIALTIES);
            let specialties = if rng.chance(0.3) {
                format!("{first}, {}", rng.pick(&SUBSPECIALTIES))
            } else {
                first.to_owned()
            };
            sheet.para(&format!("Certification(s)/Specialty: {specialties}"));
            sheet.gap(rng);
            first.to_owned()
        }
    }
}

/// "State(s) of Licensure: Texas,New York,California", sometimes wrapped
/// after a comma.
fn write_licensure(sheet: &mut Sheet, rng: &mut Rng) {
    let count = 1 + rng.weighted(&[70, 15, 15]);
    let mut states: Vec<&str> = Vec::with_capacity(count);
    while states.len() < count {
        let s = rng.pick(&STATES);
        if !states.contains(&s) {
            states.push(s);
        }
    }
    let sep = if rng.chance(0.5) { "," } else { ", " };
    if count == 3 && rng.chance(0.5) {
        sheet.kept(format!(
            "State(s) of Licensure: {}{sep}{},",
            states[0], states[1]
        ));
        sheet.push(states[2].to_owned(), false);
    } else {
        sheet.para(&format!("State(s) of Licensure: {}", states.join(sep)));
    }
}

const OPENINGS: [&str; 6] = [
    "The applicant is a {age}-year-old {sex} who has filed a claim for chronic {body} pain reportedly associated with an industrial injury of {injury_long}.",
    "This is a {age} year-old {sex} with a {injury_slash} industrial injury claim.",
    "The injured worker is a {age} year old {sex} who sustained an industrial injury on {injury_dash}.",
    "This case involves a now {age}-year-old {sex} with a history of an occupational claim from {injury_slash}.",
    "The patient is a {age}-year-old {sex} who reported injury on {injury_slash}.",
    "The injured worker is a {age} year old {sex} injured on {injury_short} due to an undisclosed mechanism of injury.",
];

const MECHANISMS: [&str; 5] = [
    "The mechanism of injury was not provided.",
    "The mechanism of injury is detailed as cumulative trauma.",
    "The injury occurred while lifting a heavy box at work.",
    "The injury occurred in a slip and fall on a wet floor.",
    "The injury occurred when a falling object struck the worker.",
];

const DIAGNOSES: [&str; 16] = [
    "lumbar sprain",
    "cervical sprain",
    "lumbar disc disorder with radiculitis",
    "lumbar post-laminectomy syndrome",
    "degeneration of the lumbar spine",
    "shoulder impingement",
    "internal derangement of the knee",
    "carpal tunnel syndrome",
    "chronic pain syndrome",
    "cervical radiculopathy",
    "myofascial pain",
    "lateral epicondylitis",
    "plantar fasciitis",
    "anxiety disorder",
    "insomnia",
    "headaches",
];

const TREATMENTS: [&str; 12] = [
    "physical therapy",
    "chiropractic treatment",
    "acupuncture",
    "analgesic medications",
    "topical compounds",
    "epidural steroid injections",
    "a home exercise program",
    "activity modification",
    "extensive periods of time off of work",
    "electrodiagnostic studies",
    "a TENS unit",
    "surgery",
];

const FINDINGS: [&str; 10] = [
    "On {date}, the injured worker reported {body} pain rated {p}/10.",
    "Physical examination revealed tenderness to palpation of the {body} with decreased range of motion.",
    "Straight leg raise was positive on the right and negative on the left.",
    "Sensation was decreased in the right L5 dermatome, and motor strength was 4/5.",
    "The injured worker rated pain at {p}/10 on the visual analog scale, unchanged from the prior visit.",
    "Notes were difficult to follow, and several progress reports were handwritten and partially illegible.",
    "The injured worker remains temporarily totally disabled and continues a home exercise program.",
    "Work status is return to work with restrictions of no lifting over 10 pounds.",
    "The {date} progress report from  lists diagnoses for the {body}.",
    "There are no medical records available for IMR from {year}.",
];

fn write_summary(
    sheet: &mut Sheet,
    rng: &mut Rng,
    layout: &Layout,
    style: &Style,
    p: &Patient,
    planned: &[Planned],
) {
    sheet.heading("CLINICAL CASE SUMMARY");
    sheet.para("The expert reviewer developed the following clinical case summary based on a review of the case file, including all medical records:");
    sheet.gap(rng);
    let mut vars = Vars::draw(rng, p);
    let mut first = vec![
        rng.pick(&OPENINGS)
            .replace("{age}", &p.age.to_string())
            .replace("{sex}", p.sex())
            .replace("{injury_long}", &p.injury.long())
            .replace("{injury_slash}", &p.injury.slash())
            .replace("{injury_dash}", &p.injury.dash())
            .replace("{injury_short}", &p.injury.short())
            .replace("{body}", p.region.name),
        rng.pick(&MECHANISMS).to_owned(),
        format!(
            "The diagnoses include {}.",
            list(&picks(rng, &DIAGNOSES, 3))
        ),
        format!(
            "Treatment to date has included {}.",
            list(&picks(rng, &TREATMENTS, 3))
        ),
    ];
    first.push(medications(rng, style, p));
    sheet.prose(rng, &style.join(&first));
    sheet.gap(rng);
    let count = rng.range(1, 3) as usize;
    let mut second: Vec<String> = Vec::with_capacity(count + 1);
    for finding in picks(rng, &FINDINGS, count) {
        vars.date = p.request.later(rng, 0, 20).any(rng);
        second.push(fill(&finding, &vars));
    }
    second.push(history(rng, layout, p, planned));
    sheet.prose(rng, &style.voice(style.join(&second)));
    sheet.gap(rng);
}

fn medications(rng: &mut Rng, style: &Style, p: &Patient) -> String {
    let classes = [
        "Opioids",
        "NSAID",
        "Muscle Relaxant",
        "Anti-epilepsy drugs",
        "Proton Pump Inhibitors",
    ];
    let mut meds: Vec<String> = Vec::new();
    for _ in 0..rng.range(2, 4) {
        let class = rng.pick(&classes);
        meds.push(drug_of(rng, class));
    }
    if style.fancy {
        meds.push(format!("Flexeril{}", '®'));
    }
    format!(
        "{} current medications include {}, and {} was using them as needed.",
        if p.female { "Her" } else { "His" },
        list(&meds),
        p.he()
    )
}

/// The utilization review that led to the appeal.
fn history(rng: &mut Rng, layout: &Layout, p: &Patient, planned: &[Planned]) -> String {
    let items: Vec<String> = planned.iter().map(|d| d.item.clone()).collect();
    let items = list(&items);
    match (layout.era, rng.below(3)) {
        (Era::Numbered2013 | Era::Titled2014, 0) => format!(
            "In a Utilization Review Report dated {}, the claims administrator denied a request for {items}.",
            p.ur.long()
        ),
        (Era::Numbered2013 | Era::Titled2014, 1) => format!(
            "The {} UR letter is from , and is based on a {} progress report from .",
            p.ur.short(),
            p.request.short()
        ),
        (_, 0) => format!(
            "A request for authorization was submitted on {} for {items}. The request was previously reviewed on {}.",
            p.request.slash(),
            p.ur.slash()
        ),
        _ => format!(
            "On {}, utilization review non-certified the request for {items}.",
            p.ur.dash()
        ),
    }
}

fn picks(rng: &mut Rng, from: &[&'static str], count: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(count);
    while out.len() < count {
        let s = rng.pick(from);
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    out
}

/// "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn write_decisions(
    sheet: &mut Sheet,
    rng: &mut Rng,
    layout: &Layout,
    style: &Style,
    p: &Patient,
    planned: &[Planned],
) {
    if !sheet.doubled && rng.chance(0.3) {
        sheet.push(String::new(), false);
    }
    sheet.heading("IMR ISSUES, DECISIONS AND RATIONALES");
    // One line in every letter seen, however narrow the rest.
    sheet.push(
        "The Final Determination was based on decisions for the disputed items/services set forth below:".to_owned(),
        false,
    );
    sheet.gap(rng);
    for (k, d) in planned.iter().enumerate() {
        if layout.era == Era::Numbered2013 {
            write_numbered(sheet, rng, style, p, k + 1, d);
        } else {
            write_titled(sheet, rng, layout, style, p, d);
        }
    }
}

fn write_numbered(
    sheet: &mut Sheet,
    rng: &mut Rng,
    style: &Style,
    p: &Patient,
    k: usize,
    d: &Planned,
) {
    let not = if d.outcome == Outcome::Upheld {
        "not "
    } else {
        ""
    };
    let gap = if rng.chance(0.5) { " " } else { "  " };
    sheet.para(&format!(
        "{k}.{gap}{} is {not}medically necessary and appropriate.",
        d.item
    ));
    sheet.para(&format!(
        "The Claims Administrator based its decision on {}.",
        basis_2013(rng, p.region, &d.claims)
    ));
    sheet.para(&format!(
        "The Expert Reviewer based his/her decision on {}.",
        basis_2013(rng, p.region, &d.reviewer)
    ));
    sheet.para("The Expert Reviewer's decision rationale:");
    write_rationale(sheet, rng, style, p, d, "");
    sheet.gap(rng);
}

fn write_titled(
    sheet: &mut Sheet,
    rng: &mut Rng,
    layout: &Layout,
    style: &Style,
    p: &Patient,
    d: &Planned,
) {
    let word = if d.outcome == Outcome::Upheld {
        "Upheld"
    } else {
        "Overturned"
    };
    let title = &d.title;
    let width = sheet.width;
    match d.placement {
        Placement::SameLine => {
            let gap = if rng.chance(0.4) { "  " } else { " " };
            let lines = wrap(&format!("{title}:{gap}{word}"), width, None);
            push_title(sheet, lines);
        }
        Placement::NextLine | Placement::AfterPageBreak | Placement::Sentence => {
            push_title(sheet, wrap(&format!("{title}:"), width, None));
            if let Some(last) = sheet.lines.last_mut() {
                last.force_break = d.placement == Placement::AfterPageBreak;
            }
            // An outcome alone on a line is not left at a page's foot.
            sheet.kept(word.to_owned());
        }
    }
    sheet.gap(rng);
    let era = layout.era;
    sheet.para(&format!(
        "Claims Administrator guideline: {}",
        basis_text(rng, era, p.region, Party::ClaimsAdministrator, &d.claims)
    ));
    sheet.gap(rng);
    sheet.para(&format!(
        "MAXIMUS guideline: {}",
        basis_text(rng, era, p.region, Party::Reviewer, &d.reviewer)
    ));
    sheet.gap(rng);
    write_rationale(sheet, rng, style, p, d, "Decision rationale: ");
    sheet.gap(rng);
}

/// A title's lines stay together on their page.
fn push_title(sheet: &mut Sheet, lines: Vec<String>) {
    for line in lines {
        sheet.kept(line);
    }
}

/// "Page(s): 111-113", "pg. 607", "pages 76-80", …
fn pages_text(rng: &mut Rng, (from, to): (u32, u32)) -> String {
    let list = if from == to {
        from.to_string()
    } else {
        match rng.below(4) {
            0 | 1 => format!("{from}-{to}"),
            2 => (from..=to)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            _ => format!("{from} and {to}"),
        }
    };
    match rng.below(5) {
        0 => format!("pg. {list}"),
        1 if from != to => format!("pages {list}"),
        1 => format!("page {list}"),
        _ => format!("Page(s): {list}"),
    }
}

/// An ACOEM basis's chapter, title and pages: a section of the chapter on
/// the letter's region, or a chapter named outright.
fn acoem_ref(region: &Region, b: &Basis) -> (u32, &'static str, (u32, u32)) {
    if let Doc::AcoemChapter(chapter, title) = b.doc {
        return (chapter, title, b.pages);
    }
    let title = region
        .complaints
        .trim_end_matches(char::is_numeric)
        .trim_end();
    let pages = match b.section {
        "Special Studies" => region.studies,
        "Physical Methods" => region.methods,
        _ => region.surgery,
    };
    (region.chapter, title, pages)
}

/// Who cites a basis.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Party {
    ClaimsAdministrator,
    Reviewer,
}

impl Party {
    fn name(self) -> &'static str {
        match self {
            Party::ClaimsAdministrator => "The Claims Administrator",
            Party::Reviewer => "The Expert Reviewer",
        }
    }
}

/// Citations in the titled layouts: "Decision based on …".
fn basis_text(rng: &mut Rng, era: Era, region: &Region, party: Party, basis: &Basis) -> String {
    if party == Party::ClaimsAdministrator && era == Era::Sections2016 && rng.chance(0.1) {
        return "The Claims Administrator did not cite any medical evidence for its decision."
            .to_owned();
    }
    let text = match era {
        Era::Numbered2013 | Era::Titled2014 => basis_2014(rng, region, party, basis),
        Era::Sections2015 | Era::Sections2016 => basis_sections(rng, era, region, party, basis),
    };
    if rng.chance(0.15) {
        format!(
            "{text} Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), {} Chapter.",
            rng.pick(&["Pain", "Low Back", "Knee & Leg", "Neck and Upper Back"])
        )
    } else {
        text
    }
}

fn basis_2014(rng: &mut Rng, region: &Region, party: Party, b: &Basis) -> String {
    match b.doc {
        Doc::ChronicPain if b.pages.0 > 0 => match rng.below(3) {
            0 => format!(
                "Decision based on MTUS Chronic Pain Treatment Guidelines {} topic. {}.",
                b.section,
                pages_text(rng, b.pages)
            ),
            1 => format!(
                "Decision based on MTUS Chronic Pain Treatment Guidelines {} {}.",
                b.section,
                pages_text(rng, b.pages)
            ),
            _ if party == Party::ClaimsAdministrator => format!(
                "The Claims Administrator did not base their decision on the MTUS. Decision based on Non-MTUS Citation MTUS: Chronic Pain Medical Treatment Guidelines, , {}",
                b.pages.0
            ),
            _ => "Decision based on MTUS Chronic Pain Treatment Guidelines.".to_owned(),
        },
        Doc::ChronicPain => "Decision based on MTUS Chronic Pain Treatment Guidelines.".to_owned(),
        Doc::Acupuncture => {
            "Decision based on MTUS Acupuncture Medical Treatment Guidelines.".to_owned()
        }
        Doc::Postsurgical => format!(
            "Decision based on MTUS Postsurgical Treatment Guidelines {}.",
            pages_text(rng, b.pages)
        ),
        Doc::Acoem | Doc::AcoemChapter(..) => {
            let (chapter, title, pages) = acoem_ref(region, b);
            format!(
                "Decision based on MTUS ACOEM Chapter {chapter} {title} {}.",
                pages_text(rng, pages)
            )
        }
        Doc::Odg(chapter) => {
            let chapter = odg_chapter(region, chapter);
            format!(
                "Decision based on Non-MTUS Citation Official Disability Guidelines, (ODG) {chapter}."
            )
        }
    }
}

fn odg_chapter(region: &Region, chapter: &'static str) -> &'static str {
    if chapter.is_empty() {
        region.odg
    } else {
        chapter
    }
}

fn basis_sections(rng: &mut Rng, era: Era, region: &Region, party: Party, b: &Basis) -> String {
    let year = if era == Era::Sections2016 {
        "2016"
    } else {
        "2009"
    };
    match b.doc {
        Doc::ChronicPain => {
            let pages = if b.pages.0 > 0 && era == Era::Sections2015 && rng.chance(0.6) {
                format!(", {}", pages_text(rng, b.pages))
            } else {
                String::new()
            };
            let extra = if rng.chance(0.2) {
                format!(
                    "{}{}",
                    rng.pick(&[", ", "; "]),
                    rng.pick(&["Medications for chronic pain", "Opioids, criteria for use"])
                )
            } else {
                String::new()
            };
            format!(
                "Decision based on MTUS Chronic Pain Medical Treatment {year}, Section(s): {}{extra}{pages}.",
                b.section
            )
        }
        Doc::Acupuncture => {
            "Decision based on MTUS Acupuncture Medical Treatment Guidelines.".to_owned()
        }
        Doc::Postsurgical => format!(
            "Decision based on MTUS Postsurgical Treatment 2009, Section(s): Postsurgical Treatment Guidelines, {}.",
            pages_text(rng, b.pages)
        ),
        Doc::Acoem => format!(
            "Decision based on MTUS {}, Section(s): {}.",
            region.complaints, b.section
        ),
        Doc::AcoemChapter(_, _) => format!(
            "Decision based on MTUS General Approaches 2004, Section(s): {}.",
            b.section
        ),
        Doc::Odg(chapter) => {
            let chapter = odg_chapter(region, chapter);
            let lead = if rng.chance(0.5) {
                let whose = party.name();
                format!(
                    "{whose} based their decision on recommendation(s) outside of the MTUS Guidelines. "
                )
            } else {
                String::new()
            };
            format!(
                "{lead}Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), {chapter} Chapter, {}.",
                b.section
            )
        }
    }
}

/// The 2013 numbered layout's citation: "the …, which is part of the MTUS".
fn basis_2013(rng: &mut Rng, region: &Region, b: &Basis) -> String {
    match b.doc {
        Doc::ChronicPain if b.pages.0 > 0 => format!(
            "the Chronic Pain Medical Treatment Guidelines, {}, {}, which is part of the MTUS",
            b.section,
            pages_text(rng, b.pages)
        ),
        Doc::ChronicPain => {
            "the Chronic Pain Medical Treatment Guidelines, which is part of the MTUS".to_owned()
        }
        Doc::Acupuncture => {
            "the Acupuncture Medical Treatment Guidelines, which is part of the MTUS".to_owned()
        }
        Doc::Postsurgical => format!(
            "the Postsurgical Treatment Guidelines, {}, which is part of the MTUS",
            pages_text(rng, b.pages)
        ),
        Doc::Acoem | Doc::AcoemChapter(..) => {
            let (chapter, title, pages) = acoem_ref(region, b);
            format!(
                "the American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004), Chapter {chapter}, {title}, {}, which is part of the MTUS",
                pages_text(rng, pages)
            )
        }
        Doc::Odg(chapter) => format!(
            "the Official Disability Guidelines (ODG), {} Chapter, {}, which is not part of the MTUS",
            odg_chapter(region, chapter),
            b.section
        ),
    }
}

const UPHELD_GENERIC: [&str; 8] = [
    "The medical records do not document objective functional improvement with prior treatment.",
    "There was no documentation of a reduction in pain scores or an improvement in activities of daily living.",
    "The clinical documentation submitted for review failed to indicate exceptional factors to warrant nonadherence to guideline recommendations.",
    "The request as submitted failed to specify the frequency and the duration of treatment.",
    "The injured worker remains off work, which does not suggest a favorable response to treatment to date.",
    "The progress reports do not describe the response to earlier treatment in any detail.",
    "No rationale was provided for continuing a treatment that the guidelines do not support for long-term use.",
    "The treating physician has not documented trials of first-line options.",
];

const OVERTURNED_GENERIC: [&str; 5] = [
    "The records document a reduction in pain from {p}/10 to {p2}/10 and improved tolerance of walking and standing.",
    "The treating physician documented failure of conservative care, including medications, physical therapy and home exercise.",
    "The injured worker returned to modified work, and the progress notes describe ongoing functional gains.",
    "The examination findings are consistent with the diagnosis, and the request is within what the guidelines allow.",
    "The utilization reviewer did not have the most recent progress report, which documents the missing information.",
];

fn write_rationale(
    sheet: &mut Sheet,
    rng: &mut Rng,
    style: &Style,
    p: &Patient,
    d: &Planned,
    label: &str,
) {
    let mut vars = Vars::draw(rng, p);
    vars.drug = d.drug.clone().unwrap_or_else(|| "the treatment".to_owned());
    let count = 1 + rng.below(d.topic.says.len().min(2));
    let mut says: Vec<String> = picks(rng, d.topic.says, count);
    if let (Doc::ChronicPain, (page, _)) = (d.reviewer.doc, d.reviewer.pages)
        && page > 0
        && rng.chance(0.4)
    {
        let first = says[0].clone();
        says[0] = format!(
            "As noted on page {page} of the MTUS Chronic Pain Medical Treatment Guidelines, {}{}",
            first[..1].to_lowercase(),
            &first[1..]
        );
    }
    if rng.chance(0.3) {
        let last = says.len() - 1;
        says[last] = format!("Per the guidelines, {}", style.quote(&says[last]));
    }
    let (specific, generic) = if d.outcome == Outcome::Upheld {
        (d.topic.against, &UPHELD_GENERIC[..])
    } else {
        (d.topic.support, &OVERTURNED_GENERIC[..])
    };
    let mut facts: Vec<String> = vec![fill(rng.pick(specific), &vars)];
    let count = rng.range(1, 3) as usize;
    for s in picks(rng, generic, count) {
        facts.push(fill(&s, &vars));
    }
    if style.fancy && d.drug.is_some() {
        facts.push(format!(
            "The applicant{} use of {} is noted.",
            style.possessive(),
            vars.drug
        ));
    }
    facts.push(conclusion(rng, d));
    let facts = style.voice(style.join(&facts));
    if rng.chance(0.35) {
        sheet.prose(rng, &format!("{label}{}", style.join(&says)));
        sheet.gap(rng);
        sheet.prose(rng, &facts);
    } else {
        sheet.prose(rng, &format!("{label}{} {facts}", style.join(&says)));
    }
}

/// The rationale's last sentence, which states the outcome again.
fn conclusion(rng: &mut Rng, d: &Planned) -> String {
    let item = &d.item;
    if d.outcome == Outcome::Upheld {
        match rng.below(8) {
            0 => "Therefore, the request is not medically necessary.".to_owned(),
            1 => format!("Therefore, the request for {item} is not medically necessary."),
            2 => format!("As such, the request for {item} is not medically necessary."),
            3 => "Based on the above, the request is not medically necessary.".to_owned(),
            4 => format!("Given the above, the request for {item} is not medically necessary"),
            5 => format!("The request for {item} is not medically necessary and appropriate."),
            6 => format!("{item} is determined to not be medically necessary."),
            _ => format!(
                "The criteria noted above not having been met, {item} is not medically necessary."
            ),
        }
    } else {
        match rng.below(5) {
            0 => "Therefore, the request is medically necessary.".to_owned(),
            1 => format!("Therefore, this request for {item} is medically necessary."),
            2 => format!("As such, the request for {item} is medically necessary and appropriate."),
            3 => "Based on the above, the request is medically necessary.".to_owned(),
            _ => format!("The {item} is medically necessary and appropriate."),
        }
    }
}

/// The letter's text as bytes in its encoding.
fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Windows1252 => text.chars().map(cp1252_byte).collect(),
        Encoding::Mojibake => text
            .bytes()
            .map(cp1252_char)
            .collect::<String>()
            .into_bytes(),
    }
}

/// Windows-1252's characters at 0x80–0x9F that the generator writes.
const CP1252: [(char, u8); 7] = [
    ('€', 0x80),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('–', 0x96),
    ('™', 0x99),
    ('œ', 0x9C),
];

fn cp1252_byte(c: char) -> u8 {
    match CP1252.iter().find(|(k, _)| *k == c) {
        Some(&(_, b)) => b,
        None => u8::try_from(u32::from(c)).unwrap_or(b'?'),
    }
}

fn cp1252_char(b: u8) -> char {
    match CP1252.iter().find(|(_, k)| *k == b) {
        Some(&(c, _)) => c,
        None => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const SEED: u64 = 20_130_701;

    /// What the parser reads from a generated letter, beside what was meant.
    fn check(n: u64) -> Result<(), String> {
        let g = letter(SEED, n);
        let e = &g.expected;
        let parsed = imr::ingest::parse("generated", &g.bytes)
            .map_err(|skip| format!("letter {n}: skipped: {skip}"))?;
        let got: Vec<(String, Outcome)> = parsed
            .records
            .iter()
            .map(|r| (r.item.clone(), r.outcome))
            .collect();
        let want: Vec<(String, Outcome)> = e
            .decisions
            .iter()
            .map(|d| (d.item.clone(), d.outcome))
            .collect();
        let first = &parsed.records[0];
        let flags: Vec<&String> = parsed.records.iter().flat_map(|r| &r.flags).collect();
        if got != want
            || first.case_number != e.case_number
            || first.reviewer.specialty.as_deref() != Some(e.specialty.as_str())
            || !flags.is_empty()
        {
            return Err(format!(
                "letter {n} ({:?}):\n  want {want:?}, case {:?}, specialty {:?}\n  got  {got:?}, case {:?}, specialty {:?}, flags {flags:?}",
                e.layout, e.case_number, e.specialty, first.case_number, first.reviewer.specialty
            ));
        }
        Ok(())
    }

    #[test]
    fn the_parser_reads_every_generated_letter_as_meant() {
        let failures: Vec<String> = (0..400).filter_map(|n| check(n).err()).collect();
        assert!(
            failures.is_empty(),
            "{} of 400 letters misread; first:\n{}",
            failures.len(),
            failures[..failures.len().min(3)].join("\n")
        );
    }

    #[test]
    fn every_layout_appears_in_a_few_hundred_letters() {
        let letters: Vec<Expected> = (0..400).map(|n| letter(SEED, n).expected).collect();
        let layouts = || letters.iter().map(|e| e.layout);
        let eras: HashSet<Era> = layouts().map(|l| l.era).collect();
        let covers: HashSet<CoverStyle> = layouts().map(|l| l.cover).collect();
        let credentials: HashSet<Credentials> = layouts().map(|l| l.credentials).collect();
        let encodings: HashSet<Encoding> = layouts().map(|l| l.encoding).collect();
        let pages: HashSet<Pages> = layouts().map(|l| l.pages).collect();
        let decisions = || letters.iter().flat_map(|e| &e.decisions);
        let placements: HashSet<Placement> = decisions().map(|d| d.placement).collect();
        let counts: HashSet<usize> = letters.iter().map(|e| e.decisions.len()).collect();
        assert_eq!(eras.len(), 4);
        assert_eq!(covers.len(), 5);
        assert_eq!(credentials.len(), 2);
        assert_eq!(encodings.len(), 3);
        assert_eq!(pages.len(), 3);
        assert_eq!(placements.len(), 4);
        assert_eq!(counts, (1..=6).collect());
        for flag in [
            |l: &Layout| l.doubled,
            |l: &Layout| l.crlf,
            |l: &Layout| l.hyphenated,
        ] {
            assert!(layouts().any(|l| flag(&l)) && layouts().any(|l| !flag(&l)));
        }
        assert!(decisions().any(|d| d.partial));
        assert!(decisions().any(|d| d.upper_case));
        assert!(decisions().any(|d| d.outcome == Outcome::Overturned));
    }

    #[test]
    fn a_letter_depends_on_its_seed_and_number_only() {
        assert_eq!(letter(3, 17).bytes, letter(3, 17).bytes);
        assert_ne!(letter(3, 17).bytes, letter(4, 17).bytes);
        assert_ne!(letter(3, 17).bytes, letter(3, 18).bytes);
    }

    #[test]
    fn letters_average_about_4_2_kb_and_are_all_distinct() {
        let bytes: Vec<Vec<u8>> = (0..2000).map(|n| letter(SEED, n).bytes).collect();
        let mean = bytes.iter().map(Vec::len).sum::<usize>() as f64 / bytes.len() as f64;
        assert!((3900.0..4500.0).contains(&mean), "mean {mean:.0} bytes");
        let ids: HashSet<String> = bytes.iter().map(|b| imr::ingest::letter_id(b)).collect();
        assert_eq!(ids.len(), bytes.len());
    }

    #[test]
    fn a_corpus_is_written_in_folders_of_a_thousand() {
        let dir = tempfile::tempdir().expect("temp dir");
        let stats = write_corpus(dir.path(), 1003, SEED).expect("written");
        let mut want = Stats::default();
        for n in 0..1003 {
            want.add(&letter(SEED, n));
        }
        assert_eq!(stats, want);
        assert_eq!(stats.decisions, stats.upheld + stats.overturned);
        let count = |shard: &str| std::fs::read_dir(dir.path().join(shard)).unwrap().count();
        assert_eq!((count("0000"), count("0001")), (1000, 3));
        assert_eq!(
            std::fs::read(corpus_path(dir.path(), 1002)).unwrap(),
            letter(SEED, 1002).bytes
        );
    }
}
