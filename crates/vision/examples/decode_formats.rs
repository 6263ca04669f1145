//! Decode time per format: one rendered passport page (300 dpi) written as JPEG, PNG, WebP,
//! BMP, TIFF, HEIC (heif-enc) and PDF (the JPEG on a page), each decoded by the intake `--runs`
//! times; prints the median and the fastest run in milliseconds. A measurement, not a test.
//!
//! `cargo run --release -p idverify-vision --example decode_formats -- [--runs 15]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Cursor;
use std::time::Instant;

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};
use idverify_vision::{IntakeLimits, decode_pages};
use image::{DynamicImage, ImageFormat};

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .map_or(15, |v| v.parse().expect("--runs N"));
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    let spec = SpecimenSpec::random_of(DocFormat::Td3, &mut rng);
    let page = DynamicImage::ImageRgb8(render(&spec, &RenderOptions::default()).unwrap().front);
    let png = encode(&page, ImageFormat::Png);
    let jpeg = idverify_testkit::encode_jpeg(&page.to_rgb8(), 92).unwrap();
    let files = [
        ("JPEG", jpeg.clone()),
        ("PNG", png.clone()),
        ("WebP (lossless)", encode(&page, ImageFormat::WebP)),
        ("BMP", encode(&page, ImageFormat::Bmp)),
        (
            "TIFF (LZW)",
            idverify_testkit::tiff_pages(std::slice::from_ref(&page)).unwrap(),
        ),
        ("HEIC", idverify_testkit::heic_from_png(&png).unwrap()),
        (
            "PDF (JPEG page)",
            idverify_testkit::pdf_of_jpegs(&[jpeg]).unwrap(),
        ),
    ];
    println!(
        "page {}x{} px, {runs} runs per format, milliseconds",
        page.width(),
        page.height()
    );
    println!(
        "{:<16} {:>10} {:>8} {:>8}",
        "format", "bytes", "median", "fastest"
    );
    for (name, bytes) in files {
        let mut times: Vec<f64> = (0..runs.max(1))
            .map(|_| {
                let t = Instant::now();
                let d = decode_pages(&bytes, &IntakeLimits::default()).unwrap();
                assert_eq!(d.pages.len(), 1);
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<16} {:>10} {:>8.1} {:>8.1}",
            bytes.len(),
            times[times.len() / 2],
            times[0]
        );
    }
}
