fn main() {
    let p = std::env::args().nth(1).unwrap();
    let b = std::fs::read(p).unwrap();
    print!("{}", imr::decode::decode(&b).unwrap());
}
