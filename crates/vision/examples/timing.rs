//! Where the MRZ reader spends its time, stage by stage, on the images of a labels file (the
//! format of `../shared/data/mrz-images/labels.json`): decoding, grey conversion, locating
//! (working frames, text mask, lines, bands) and the whole reading of the grey image (locating
//! again, then rectifying, segmenting, classifying and correcting). Each stage is timed `--runs`
//! times per image and the fastest run kept, which filters out the other work of a shared
//! machine; the medians and totals over the images are printed.
//!
//! `cargo run --release -p idverify-vision --example timing -- LABELS.json [--runs 5]`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::time::Instant;

use idverify_vision::{Gray, IntakeLimits, Models, decode_image, locate, read_mrz_gray};

fn fastest<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        out = Some(v);
    }
    (best, out.unwrap())
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let labels = args.first().expect("usage: timing LABELS.json [--runs N]");
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .map_or(5, |v| v.parse().expect("--runs N"));
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(labels).unwrap()).unwrap();
    let base = Path::new(labels).parent().unwrap_or(Path::new("."));
    let models = Models::embedded().unwrap();
    let today = idverify_mrz::Date::new(2026, 1, 1).unwrap();
    let names = ["decode", "grey", "locate", "read (grey)", "total"];
    let mut stages: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for row in &rows {
        let bytes = std::fs::read(base.join(row["image"].as_str().unwrap())).unwrap();
        let (t_dec, img) = fastest(runs, || decode_image(&bytes, &IntakeLimits::default()));
        let Ok(img) = img else { continue };
        let (t_grey, gray) = fastest(runs, || Gray::from_image(&img));
        let (t_loc, _) = fastest(runs, || {
            let frames = locate::frames(&gray, 1000);
            let mut n = 0;
            for (i, lines) in locate::frame_lines(&frames).iter().enumerate() {
                n += locate::bands(lines, i).len();
            }
            n
        });
        let (t_read, _) = fastest(runs, || read_mrz_gray(&gray, &models, today));
        for (s, t) in stages
            .iter_mut()
            .zip([t_dec, t_grey, t_loc, t_read, t_dec + t_grey + t_read])
        {
            s.push(t);
        }
    }
    println!(
        "{} images, fastest of {runs} runs each, milliseconds",
        stages[0].len()
    );
    println!("{:<12} {:>8} {:>10}", "stage", "median", "total");
    for (name, s) in names.iter().zip(&mut stages) {
        let total: f64 = s.iter().sum();
        println!("{name:<12} {:>8.1} {:>10.0}", median(s), total);
    }
}
