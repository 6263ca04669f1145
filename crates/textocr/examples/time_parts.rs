//! Times detection and recognition separately on one rendered specimen (release build).
mod common;
use anyhow::{Context, Result};
use common::load_models;
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};
use idverify_textocr::ReadOptions;
use std::time::Instant;

fn main() -> Result<()> {
    let models = load_models()?;
    let today = idverify_testkit::Date::new(2026, 11, 27).context("date")?;
    let spec =
        SpecimenSpec::random_valid_on(DocFormat::Td3, today, &mut ChaCha8Rng::seed_from_u64(3));
    let s = render(&spec, &RenderOptions { dpi: 150.0 })?;
    let mut opts = ReadOptions::default();
    if let Some(b) = std::env::var("OCR_BATCH").ok().and_then(|b| b.parse().ok()) {
        opts.batch = b;
    }
    let mut o = opts.clone();
    o.skip_mrz_lines = false;
    for l in models.read(&s.front, &o)? {
        println!("{:?} {}", l.bbox, l.text);
    }
    for _ in 0..3 {
        let t0 = Instant::now();
        let boxes = models.detect(&s.front, &opts)?;
        let t1 = Instant::now();
        let widths: Vec<u32> = boxes
            .iter()
            .map(|b| (48.0 * b.width / b.height) as u32)
            .collect();
        println!("rec widths {widths:?} sum {}", widths.iter().sum::<u32>());
        let lines = models.read(&s.front, &opts)?;
        let t2 = Instant::now();
        println!(
            "{}x{}: detect {} boxes {:.0} ms; read {} lines {:.0} ms",
            s.front.width(),
            s.front.height(),
            boxes.len(),
            (t1 - t0).as_secs_f64() * 1e3,
            lines.len(),
            (t2 - t1).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
