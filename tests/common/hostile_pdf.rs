//! Test-only writer of hostile PDFs: small files, built at test time, each
//! of a class that kills or hangs a PDF reader working in the ingest's own
//! process (pdf-extract 0.12 on lopdf 0.42).

use std::io::Write;

use flate2::Compression;
use flate2::write::{DeflateEncoder, ZlibEncoder};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

/// A page whose content draws a form XObject that draws itself: the
/// reader recurses until the stack overflows.
pub fn self_drawing_form() -> Vec<u8> {
    one_page(|doc| {
        let form = doc.new_object_id();
        let mut stream = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "X1" => form } },
            },
            b"/X1 Do".to_vec(),
        );
        stream.allows_compression = false;
        doc.objects.insert(form, Object::Stream(stream));
        let resources = dictionary! { "XObject" => dictionary! { "X1" => form } };
        (plain(b"/X1 Do".to_vec()), resources)
    })
}

/// A page that draws, `times` over, a form XObject holding a line of 100
/// characters (the content stored compressed, a few KB): a small file
/// whose text is as long as `times` × 100 characters, far past a letter's.
pub fn form_drawn_many_times(times: usize) -> Vec<u8> {
    one_page(|doc| {
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let line = format!("BT /F1 10 Tf 72 720 Td ({}) Tj ET", "word ".repeat(20));
        let mut form = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Form",
                "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            },
            line.into_bytes(),
        );
        form.allows_compression = false;
        let form = doc.add_object(form);
        let mut content = Stream::new(dictionary! {}, "/X1 Do\n".repeat(times).into_bytes());
        content.compress().expect("compress in memory");
        let resources = dictionary! { "XObject" => dictionary! { "X1" => form } };
        (content, resources)
    })
}

/// A page whose content stream, compressed twice (`/Filter [/FlateDecode
/// /FlateDecode]`), inflates to `gib` GiB of zeros from a few KB.
pub fn inflation_bomb(gib: u64) -> Vec<u8> {
    let inner = deflated_zeros(gib << 30);
    let mut outer = ZlibEncoder::new(Vec::new(), Compression::best());
    outer.write_all(&inner).expect("compress in memory");
    let outer = outer.finish().expect("compress in memory");
    one_page(|_| {
        let mut stream = Stream::new(
            dictionary! {
                "Filter" => vec![Object::from("FlateDecode"), Object::from("FlateDecode")],
            },
            outer,
        );
        stream.allows_compression = false;
        (stream, dictionary! {})
    })
}

/// A zlib stream of `n` zeros (`n` a multiple of 1 MiB), made without
/// compressing them all: the deflate blocks of 1 MiB of zeros, flushed to
/// a byte boundary (so they refer to nothing before them), repeated, then
/// a final empty block and the checksum.
fn deflated_zeros(n: u64) -> Vec<u8> {
    const CHUNK: u64 = 1 << 20;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(&vec![0u8; CHUNK as usize])
        .expect("compress in memory");
    encoder.flush().expect("a sync flush");
    let chunk = encoder.get_ref().clone();
    let mut zlib = vec![0x78, 0xDA];
    for _ in 0..n / CHUNK {
        zlib.extend_from_slice(&chunk);
    }
    // A final fixed-Huffman block holding only its end code.
    zlib.extend_from_slice(&[0x03, 0x00]);
    // Adler-32 of zeros: the first sum stays 1, the second adds 1 a byte.
    let adler = ((n % 65_521) << 16) | 1;
    zlib.extend_from_slice(&(adler as u32).to_be_bytes());
    zlib
}

/// A page in a font whose ToUnicode character map has one range spanning
/// every 4-byte code, 0x00000000–0xFFFFFFFF: the reader fills a map with
/// four billion entries until memory runs out.
pub fn huge_cmap_range() -> Vec<u8> {
    let cmap = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
                1 begincodespacerange\n<00000000> <FFFFFFFF>\nendcodespacerange\n\
                1 beginbfrange\n<00000000> <FFFFFFFF> <00000000>\nendbfrange\n\
                endcmap\nend\nend\n";
    font_with_cmap(cmap.as_bytes().to_vec())
}

/// A page in a font whose ToUnicode character map gives the whole 2-byte
/// range 100,000 times over (stored compressed, a few KB): the reader
/// inserts 6.5 billion entries into a map that never grows, an hour's
/// work. The class of a file that hangs the reader rather than crash it.
pub fn repeated_cmap_range() -> Vec<u8> {
    const TIMES: usize = 100_000;
    let mut cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n{TIMES} beginbfrange\n"
    );
    for _ in 0..TIMES {
        cmap.push_str("<0000> <FFFF> <0000>\n");
    }
    cmap.push_str("endbfrange\nendcmap\nend\nend\n");
    font_with_cmap(cmap.into_bytes())
}

fn font_with_cmap(cmap: Vec<u8>) -> Vec<u8> {
    one_page(|doc| {
        let mut to_unicode = Stream::new(dictionary! {}, cmap);
        to_unicode.compress().expect("compress in memory");
        let to_unicode = doc.add_object(to_unicode);
        let font = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "ToUnicode" => to_unicode,
        });
        let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        (
            plain(b"BT /F1 10 Tf 72 720 Td (text) Tj ET".to_vec()),
            resources,
        )
    })
}

/// A page that is its own parent, and inherits its media box: the reader
/// looks up the page's parents without end.
pub fn page_tree_cycle() -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages = doc.new_object_id();
    let page = doc.new_object_id();
    let contents = doc.add_object(Stream::new(dictionary! {}, b"BT ET".to_vec()));
    doc.objects.insert(
        page,
        Object::Dictionary(dictionary! {
            "Type" => "Page",
            "Parent" => page,
            "Contents" => contents,
        }),
    );
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page.into()],
            "Count" => 1,
        }),
    );
    finish(doc, pages)
}

/// Arrays nested `depth` deep in the page's content: a recursive parser
/// without a bound overflows its stack.
pub fn deep_nesting(depth: usize) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    one_page(|_| {
        let content = format!("BT {nested} TJ ET").into_bytes();
        (plain(content), dictionary! {})
    })
}

/// A content stream stored as it is.
fn plain(content: Vec<u8>) -> Stream {
    let mut stream = Stream::new(dictionary! {}, content);
    stream.allows_compression = false;
    stream
}

/// A one-page PDF: `make` adds what it needs to the document and gives
/// the page's content stream and resources.
fn one_page(make: impl FnOnce(&mut Document) -> (Stream, Dictionary)) -> Vec<u8> {
    let mut doc = Document::with_version("1.4");
    let pages = doc.new_object_id();
    let (content, resources) = make(&mut doc);
    let contents = doc.add_object(content);
    let page = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages,
        "Contents" => contents,
        "Resources" => resources,
        "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page.into()],
            "Count" => 1,
        }),
    );
    finish(doc, pages)
}

fn finish(mut doc: Document, pages: ObjectId) -> Vec<u8> {
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("a PDF writes to memory");
    bytes
}
