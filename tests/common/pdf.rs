//! Test-only PDF writer: text in, the bytes of a real PDF out, whose pages
//! hold the text's lines in Helvetica, for pdf-extract to read back.

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, ObjectId, Stream, StringFormat, dictionary};

/// Lines on a full page.
pub const LINES_PER_PAGE: usize = 50;

/// US Letter, in points.
const WIDTH: i64 = 612;
const HEIGHT: i64 = 792;
const MARGIN: i64 = 72;
const FONT_SIZE: i64 = 10;
/// Between baselines: 50 lines fit between the margins.
const LEADING: i64 = 12;

/// A PDF of `text`: a line of the text to a line of a page, 50 lines to a
/// page, in the standard Type1 Helvetica with WinAnsiEncoding (characters
/// it lacks written as `?`). A form feed starts a new page, as in
/// pdftotext's output; one that ends the text ends the last page.
pub fn pdf_of(text: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let kids: Vec<Object> = pages(text)
        .iter()
        .map(|lines| page(&mut doc, pages_id, lines).into())
        .collect();
    let count = i64::try_from(kids.len()).expect("a page count fits");
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), WIDTH.into(), HEIGHT.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("a PDF writes to memory");
    bytes
}

/// The lines of each page: the text split at its form feeds, and each part
/// every `LINES_PER_PAGE` lines. Always one page at least.
pub fn pages(text: &str) -> Vec<Vec<&str>> {
    let text = text.strip_suffix('\u{c}').unwrap_or(text);
    let mut pages = Vec::new();
    for part in text.split('\u{c}') {
        let lines: Vec<&str> = part.lines().collect();
        if lines.is_empty() {
            pages.push(Vec::new());
        }
        pages.extend(lines.chunks(LINES_PER_PAGE).map(<[&str]>::to_vec));
    }
    pages
}

/// A page object holding `lines`, one under the other from the top left.
fn page(doc: &mut Document, parent: ObjectId, lines: &[&str]) -> ObjectId {
    let mut operations = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), FONT_SIZE.into()]),
        Operation::new("TL", vec![LEADING.into()]),
        Operation::new("Td", vec![MARGIN.into(), (HEIGHT - MARGIN).into()]),
    ];
    for line in lines {
        // lopdf escapes `(`, `)` and `\` as it writes the string.
        let string = Object::String(win_ansi(line), StringFormat::Literal);
        operations.push(Operation::new("Tj", vec![string]));
        operations.push(Operation::new("T*", vec![]));
    }
    operations.push(Operation::new("ET", vec![]));
    let content = Content { operations }.encode().expect("content encodes");
    let contents = doc.add_object(Stream::new(dictionary! {}, content));
    doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => parent,
        "Contents" => contents,
    })
}

/// `line` in WinAnsiEncoding (Windows-1252): ASCII and Latin-1 as they
/// are, the typographic marks at 0x80–0x9F, `?` for anything else.
fn win_ansi(line: &str) -> Vec<u8> {
    line.chars()
        .map(|c| match u32::from(c) {
            n @ (0..=0x7F | 0xA0..=0xFF) => u8::try_from(n).expect("one byte"),
            _ => WIN_ANSI_HIGH
                .iter()
                .find(|&&(h, _)| h == c)
                .map_or(b'?', |&(_, byte)| byte),
        })
        .collect()
}

/// The characters WinAnsiEncoding places at 0x80–0x9F.
const WIN_ANSI_HIGH: [(char, u8); 27] = [
    ('€', 0x80),
    ('‚', 0x82),
    ('ƒ', 0x83),
    ('„', 0x84),
    ('…', 0x85),
    ('†', 0x86),
    ('‡', 0x87),
    ('ˆ', 0x88),
    ('‰', 0x89),
    ('Š', 0x8A),
    ('‹', 0x8B),
    ('Œ', 0x8C),
    ('Ž', 0x8E),
    ('‘', 0x91),
    ('’', 0x92),
    ('“', 0x93),
    ('”', 0x94),
    ('•', 0x95),
    ('–', 0x96),
    ('—', 0x97),
    ('˜', 0x98),
    ('™', 0x99),
    ('š', 0x9A),
    ('›', 0x9B),
    ('œ', 0x9C),
    ('ž', 0x9E),
    ('Ÿ', 0x9F),
];
