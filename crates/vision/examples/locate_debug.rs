//! Prints the MRZ band candidates found in each image given on the command line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use idverify_vision::{Gray, IntakeLimits, decode_image, locate};

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let img = decode_image(&bytes, &IntakeLimits::default()).unwrap();
        let g = Gray::from_image(&img);
        let t = std::time::Instant::now();
        let frames = locate::frames(&g, 1000);
        let mut all = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let lines = locate::text_lines(&f.img);
            all.extend(locate::bands(&lines, i));
        }
        all.sort_by(|a, b| b.score.total_cmp(&a.score));
        println!(
            "{path} {}x{} {:?} bands={}",
            g.w,
            g.h,
            t.elapsed(),
            all.len()
        );
        for b in all.iter().take(3) {
            let l = &b.lines[0];
            println!(
                "  f{} n={} score={:.2} h={:.1} len={:.0} ratio={:.2} ang={:.1} counts={:?}",
                b.frame,
                b.lines.len(),
                b.score,
                l.height,
                l.length(),
                l.length() / l.height,
                l.angle.to_degrees(),
                b.lines.iter().map(|l| l.count).collect::<Vec<_>>()
            );
        }
    }
}
