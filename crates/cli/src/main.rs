//! The one `idverify` binary: arguments, file and model loading, then the library crates.
fn main() {}
