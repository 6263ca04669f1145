//! Times detection and recognition separately on one rendered specimen (release build).
use anyhow::{Context, Result};
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};
use idverify_textocr::{Models, ReadOptions};
use std::path::PathBuf;
use std::time::Instant;

fn load_models() -> Result<Models> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let read = |path: &str| {
        std::fs::read(root.join(path)).with_context(|| {
            format!("models/{path}: the OCR models are missing: run scripts/setup-ocr-models")
        })
    };
    let text = |path: &str| -> Result<String> { Ok(String::from_utf8(read(path)?)?) };
    // OCR_RECOGNISER: v4+v5 (default), v5 or v4.
    let which = std::env::var("OCR_RECOGNISER").unwrap_or_else(|_| "v4+v5".into());
    let det = read("ppocrv5/det.onnx")?;
    Ok(match which.as_str() {
        "v5" => Models::from_bytes(
            det,
            read("ppocrv5/rec.onnx")?,
            &text("ppocrv5/ppocrv5_dict.txt")?,
        )?,
        "v4" => Models::from_bytes(det, read("ppocrv4/rec.onnx")?, &text("ppocrv4/dict.txt")?)?,
        _ => Models::from_bytes(det, read("ppocrv4/rec.onnx")?, &text("ppocrv4/dict.txt")?)?
            .with_diacritics_reader(
                read("ppocrv5/rec.onnx")?,
                &text("ppocrv5/ppocrv5_dict.txt")?,
            )?,
    })
}

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
