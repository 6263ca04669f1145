//! Reads the printed zone of image files and prints the lines and the extracted fields (for
//! looking at real documents): `cargo run --release -p idverify-textocr --example read_image --
//! FILE... ` (`QUARTER_TURNS` to turn them upright first, `DET_LONG_SIDE` for the detector's
//! input size).
use anyhow::{Context, Result};
use idverify_textocr::ReadOptions;
mod common;

fn main() -> Result<()> {
    let models = common::load_models()?;
    let turns: u8 = std::env::var("QUARTER_TURNS").map_or(Ok(0), |s| s.parse())?;
    for path in std::env::args().skip(1) {
        let img = image::open(&path).with_context(|| path.clone())?.to_rgb8();
        let t0 = std::time::Instant::now();
        let mut opts = ReadOptions {
            quarter_turns: turns,
            ..ReadOptions::default()
        };
        if let Ok(v) = std::env::var("DET_LONG_SIDE") {
            opts.det_long_side = v.parse().context("DET_LONG_SIDE")?;
        }
        let lines = models.read(&img, &opts)?;
        println!("{path}: {} ms", t0.elapsed().as_millis());
        for l in &lines {
            let (x, y, w, h) = l.bbox;
            println!(
                "  {:.2} [{x:.0},{y:.0} {w:.0}x{h:.0}] {}",
                l.confidence, l.text
            );
        }
        let p = idverify_check::extract_printed(&idverify_textocr::to_text_lines(&lines));
        println!("  => {p:?}");
    }
    Ok(())
}
