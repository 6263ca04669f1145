//! Builds the face-match development pair sets from a folder of photos and an identity list:
//! `cargo run --release -p idverify-face --example face_pairs -- IDENTITIES.json PHOTOS OUT MODELS`.
//!
//! IDENTITIES.json: `{"split": {"person": ["file", …], …}, …}`. For each split it writes
//! `OUT/photo-SPLIT.json` (every pair of photos of the split, same person or not) and
//! `OUT/portrait-SPLIT.json` (the document-portrait-like crop of each photo against every other
//! photo), the crops under `OUT/portraits/`. A crop is what a document's printed portrait
//! looks like on a phone photo of the document: the head and shoulders in a 35:45 box, grey,
//! about 100 px wide, with a printed guilloche over it and JPEG artefacts; the pattern's phase,
//! line spacing and strength come from a seeded generator (seed = the file's index), so the
//! set is the same on every run. docs/face-eval.md says how it is used.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use image::{GrayImage, Luma, RgbImage};

/// xorshift64*, for reproducible variation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// The portrait crop of the best face of `img`, or `None` when there is no face.
fn portrait(img: &RgbImage, face: &idverify_face::Face, seed: u64) -> GrayImage {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // Head and shoulders: the box is about twice the face's width, the face in its upper part.
    let cx = face.x + face.width / 2.0;
    let cy = face.y + face.height / 2.0;
    let w = face.width * (1.9 + 0.3 * rng.next());
    let h = w * 45.0 / 35.0;
    let x0 = (cx - w / 2.0).max(0.0);
    let y0 = (cy - h * 0.45).max(0.0);
    let x1 = (x0 + w).min(img.width() as f32);
    let y1 = (y0 + h).min(img.height() as f32);
    let crop = image::imageops::crop_imm(
        img,
        x0 as u32,
        y0 as u32,
        ((x1 - x0) as u32).max(1),
        ((y1 - y0) as u32).max(1),
    )
    .to_image();
    let grey = image::imageops::grayscale(&crop);
    // Printed at about 100 px wide on the document photo.
    let out_w = 90 + (rng.next() * 30.0) as u32;
    let out_h = out_w * 45 / 35;
    let mut small =
        image::imageops::resize(&grey, out_w, out_h, image::imageops::FilterType::Triangle);
    // Guilloche: two families of sine-modulated lines, printed over the photo.
    let (phase, spacing, strength) = (
        rng.next() * std::f32::consts::TAU,
        5.0 + rng.next() * 3.0,
        0.18 + rng.next() * 0.12,
    );
    for (x, y, p) in small.enumerate_pixels_mut() {
        let (xf, yf) = (x as f32, y as f32);
        let a = ((yf + 4.0 * (xf / 9.0 + phase).sin()) / spacing * std::f32::consts::TAU).sin();
        let b = ((xf + 4.0 * (yf / 11.0 - phase).cos()) / spacing * std::f32::consts::TAU).sin();
        let line = (a.abs() < 0.25) as u8 as f32 + (b.abs() < 0.25) as u8 as f32;
        let v = f32::from(p.0[0]);
        // Lighter overall (printed on paper), lines in a mid grey.
        let paper = 60.0 + v * 0.75;
        let inked = paper * (1.0 - strength * line.min(1.0)) + 120.0 * strength * line.min(1.0);
        *p = Luma([inked.round().clamp(0.0, 255.0) as u8]);
    }
    small
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [ids, photos, out, models] = args.as_slice() else {
        bail!("usage: face_pairs IDENTITIES.json PHOTOS OUT MODELS");
    };
    let (photos, out, models) = (Path::new(photos), Path::new(out), Path::new(models));
    let splits: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        serde_json::from_str(&std::fs::read_to_string(ids)?)?;
    let models = idverify_face::Models::load_with(|p| std::fs::read(models.join(p)))?;
    std::fs::create_dir_all(out.join("portraits"))?;
    let mut seed = 0u64;
    for (split, people) in &splits {
        let photos_of: Vec<(&String, String)> = people
            .iter()
            .flat_map(|(who, files)| files.iter().map(move |f| (who, f.clone())))
            .collect();
        let mut photo_pairs = String::from("[\n");
        let mut portrait_pairs = String::from("[\n");
        let abs = |f: &str| photos.join(f).display().to_string();
        let mut crops: Vec<Option<String>> = Vec::new();
        for (_, f) in &photos_of {
            seed += 1;
            // Some files named .jpg are WebP: the format is read from the bytes.
            let img = image::ImageReader::open(photos.join(f))?
                .with_guessed_format()?
                .decode()
                .with_context(|| f.clone())?
                .to_rgb8();
            let faces = models.detect(&img)?;
            crops.push(match faces.first() {
                Some(face) => {
                    let name = format!("portraits/{}.jpg", f.trim_end_matches(".jpg"));
                    let crop = portrait(&img, face, seed);
                    let mut bytes = Vec::new();
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 60)
                        .encode_image(&crop)?;
                    std::fs::write(out.join(&name), bytes)?;
                    Some(name)
                }
                None => None,
            });
        }
        for (i, (wa, fa)) in photos_of.iter().enumerate() {
            for (j, (wb, fb)) in photos_of.iter().enumerate() {
                let same = wa == wb;
                if j > i {
                    writeln!(
                        photo_pairs,
                        "{{\"a\": {:?}, \"b\": {:?}, \"same\": {same}}},",
                        abs(fa),
                        abs(fb)
                    )?;
                }
                if let (true, Some(Some(crop))) = (i != j, crops.get(i)) {
                    writeln!(
                        portrait_pairs,
                        "{{\"a\": {crop:?}, \"b\": {:?}, \"same\": {same}}},",
                        abs(fb)
                    )?;
                }
            }
        }
        for (text, name) in [(photo_pairs, "photo"), (portrait_pairs, "portrait")] {
            let body = text.trim_end().trim_end_matches(',').to_string() + "\n]\n";
            std::fs::write(out.join(format!("{name}-{split}.json")), body)?;
        }
        println!(
            "{split}: {} photos, {} without a face",
            photos_of.len(),
            crops.iter().filter(|c| c.is_none()).count()
        );
    }
    Ok(())
}
