//! The whole reader on rendered specimens (`idverify-testkit`): every format, clean and
//! photo-degraded (turns, rotation, perspective, blur, noise, JPEG, glare), read exactly, and
//! no reading reported valid that differs from the truth. Needs nothing outside the repository.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a panic is a failed test

use idverify_mrz::Date;
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, RenderOptions, SpecimenSpec, degrade, render,
};
use idverify_vision::{Models, read_mrz};

fn today() -> Date {
    Date::new(2026, 1, 1).unwrap()
}

/// Reads `count` specimens of each format at a degradation level; returns (exact, total,
/// valid-but-wrong).
fn run(level: Option<DegradeLevel>, count: u64, seed: u64) -> (usize, usize, usize) {
    let models = Models::embedded().unwrap();
    let (mut exact, mut total, mut wrong_valid) = (0, 0, 0);
    for format in [
        DocFormat::Td1,
        DocFormat::Td2,
        DocFormat::Td3,
        DocFormat::Mrva,
        DocFormat::Mrvb,
    ] {
        for i in 0..count {
            let mut rng = ChaCha8Rng::seed_from_u64(seed * 1000 + i * 10 + format as u64);
            let spec = SpecimenSpec::random_of(format, &mut rng);
            let specimen = render(&spec, &RenderOptions::default()).unwrap();
            let img = match level {
                Some(l) => degrade(
                    specimen.mrz_side(),
                    &Degradation::random(l, &mut rng),
                    &mut rng,
                )
                .unwrap(),
                None => specimen.mrz_side().clone(),
            };
            let reading = read_mrz(&image::DynamicImage::ImageRgb8(img), &models, today());
            total += 1;
            if let Some(t) = reading.text {
                let ok = t.lines == specimen.truth.mrz_lines;
                exact += usize::from(ok);
                if t.valid && !ok {
                    wrong_valid += 1;
                    eprintln!(
                        "valid but wrong: {:?} vs {:?}",
                        t.lines, specimen.truth.mrz_lines
                    );
                }
                if !ok {
                    eprintln!(
                        "{format:?} #{i}: read {:?}\n   truth {:?}",
                        t.lines, specimen.truth.mrz_lines
                    );
                }
            } else {
                eprintln!("{format:?} #{i}: not found");
            }
        }
    }
    (exact, total, wrong_valid)
}

#[test]
fn clean_renders_read_exactly() {
    let (exact, total, wrong) = run(None, 2, 1);
    assert_eq!(wrong, 0);
    assert_eq!(exact, total, "{exact}/{total}");
}

#[test]
fn mildly_degraded_photos_read() {
    let (exact, total, wrong) = run(Some(DegradeLevel::Mild), 4, 2);
    assert_eq!(wrong, 0, "a reading reported valid differs from the truth");
    assert!(exact * 10 >= total * 9, "{exact}/{total} exact");
}

#[test]
fn medium_degraded_photos_never_lie() {
    let (exact, total, wrong) = run(Some(DegradeLevel::Medium), 3, 3);
    assert_eq!(wrong, 0, "a reading reported valid differs from the truth");
    assert!(exact * 10 >= total * 7, "{exact}/{total} exact");
}

#[test]
fn blank_and_noise_images_have_no_mrz() {
    let models = Models::embedded().unwrap();
    let blank =
        image::DynamicImage::ImageLuma8(image::GrayImage::from_pixel(800, 500, image::Luma([230])));
    assert!(read_mrz(&blank, &models, today()).text.is_none());
    let mut s = 12345u32;
    let noise = image::GrayImage::from_fn(640, 480, |_, _| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        image::Luma([(s >> 24) as u8])
    });
    assert!(
        read_mrz(&image::DynamicImage::ImageLuma8(noise), &models, today())
            .text
            .is_none()
    );
}
