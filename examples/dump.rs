fn main() {
    for p in std::env::args().skip(1) {
        let bytes = std::fs::read(&p).unwrap();
        let text = match imr::read::text(&bytes) { Ok(t) => t, Err(e) => { println!("{p}: {e}"); continue } };
        if std::env::var("SHOWTEXT").is_ok() { println!("{text}"); }
        let letter = imr::letter::parse(&text, imr::DrugTable::bundled());
        for r in imr::record::from_letter(&p, "x", &letter, &text) {
            println!("{}", serde_json::to_string_pretty(&r).unwrap());
        }
    }
}
