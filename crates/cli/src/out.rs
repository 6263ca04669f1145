//! Output to stdout that a closed pipe (`idverify scan | head`) does not turn into a panic.
//! (Also included by crates/vision/examples/eval.rs, which builds `eval-mrz` without the server.)

/// `println!` that ignores a closed stdout instead of panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}
