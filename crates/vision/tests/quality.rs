//! Image-quality measures on rendered specimens (`idverify-testkit`): clean renders pass the
//! thresholds the usability check is to use, a strongly blurred render fails sharpness, a tiny one
//! fails size, a glare spot over the MRZ fails glare. Needs nothing outside the repository.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a panic is a failed test

use idverify_check::ImagePolicy;
use idverify_mrz::Date;
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DocFormat, Glare, RenderOptions, Side, Specimen, SpecimenSpec,
    degrade, render,
};
use idverify_vision::quality::{Quality, measure};
use idverify_vision::{Gray, Models, MrzRegion, read_mrz};

/// The usability check's default thresholds (crates/check/src/policy.rs), calibrated on these
/// measures: the tests hold the measures and the defaults together.
fn policy() -> ImagePolicy {
    ImagePolicy::default()
}

fn specimen(format: DocFormat, seed: u64) -> Specimen {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let spec = SpecimenSpec::random_of(format, &mut rng);
    render(&spec, &RenderOptions::default()).unwrap()
}

/// Reads the MRZ and measures with the region the reader found: (found, quality).
fn read_and_measure(img: image::RgbImage) -> (bool, Quality) {
    let img = image::DynamicImage::ImageRgb8(img);
    let models = Models::embedded().unwrap();
    let reading = read_mrz(&img, &models, Date::new(2026, 1, 1).unwrap());
    (reading.found(), measure(&img, reading.region.as_ref()))
}

fn degraded(s: &Specimen, d: &Degradation, seed: u64) -> image::RgbImage {
    degrade(s.mrz_side(), d, &mut ChaCha8Rng::seed_from_u64(seed)).unwrap()
}

#[test]
fn clean_renders_pass_every_threshold() {
    for (i, f) in DocFormat::ICAO.into_iter().enumerate() {
        let s = specimen(f, 100 + i as u64);
        let (found, q) = read_and_measure(s.mrz_side().clone());
        assert!(found, "{f:?}: MRZ not read");
        assert!(
            q.width.max(q.height) >= policy().min_long_side,
            "{f:?}: {q:?}"
        );
        assert!(
            q.width.min(q.height) >= policy().min_short_side,
            "{f:?}: {q:?}"
        );
        assert!(q.sharpness >= policy().min_sharpness, "{f:?}: {q:?}");
        assert!(
            q.glare_over_mrz <= policy().max_glare_over_mrz,
            "{f:?}: {q:?}"
        );
    }
}

#[test]
fn strong_blur_fails_sharpness() {
    for (i, f) in DocFormat::ICAO.into_iter().enumerate() {
        let s = specimen(f, 200 + i as u64);
        let (_, sharp) = read_and_measure(s.mrz_side().clone());
        let d = Degradation {
            blur_sigma: 3.0,
            ..Degradation::default()
        };
        let (_, blurred) = read_and_measure(degraded(&s, &d, 1));
        assert!(
            blurred.sharpness < policy().min_sharpness,
            "{f:?}: {blurred:?}"
        );
        assert!(
            blurred.sharpness < sharp.sharpness / 10.0,
            "{f:?}: {blurred:?} vs {sharp:?}"
        );
    }
}

#[test]
fn mild_blur_passes_sharpness() {
    let s = specimen(DocFormat::Td3, 300);
    let d = Degradation {
        blur_sigma: 1.0,
        ..Degradation::default()
    };
    let (found, q) = read_and_measure(degraded(&s, &d, 2));
    assert!(found);
    assert!(q.sharpness >= policy().min_sharpness, "{q:?}");
}

#[test]
fn tiny_image_fails_size() {
    let s = specimen(DocFormat::Td3, 400);
    let w = s.mrz_side().width() as f32;
    let d = Degradation {
        scale: 200.0 / w,
        ..Degradation::default()
    };
    let (_, q) = read_and_measure(degraded(&s, &d, 3));
    assert_eq!(q.width, 200, "{q:?}");
    assert!(q.width.max(q.height) < policy().min_long_side, "{q:?}");
}

#[test]
fn sharpness_hardly_depends_on_image_size() {
    let s = specimen(DocFormat::Td2, 500);
    let (_, q1) = read_and_measure(s.mrz_side().clone());
    let big = image::imageops::resize(
        s.mrz_side(),
        s.mrz_side().width() * 2,
        s.mrz_side().height() * 2,
        image::imageops::FilterType::Triangle,
    );
    let (found, q2) = read_and_measure(big);
    assert!(found);
    let ratio = q2.sharpness / q1.sharpness;
    assert!((0.6..=1.6).contains(&ratio), "{q1:?} vs {q2:?}");
}

#[test]
fn glare_spot_over_the_mrz_fails_glare() {
    // Two-line formats; a spot that washes the print out to 35 % of its contrast at the
    // centre. (When glare hides the band from the locator, no region is known and the measure
    // is 0 by definition.)
    for (i, f) in [
        DocFormat::Td2,
        DocFormat::Td3,
        DocFormat::Mrva,
        DocFormat::Mrvb,
    ]
    .into_iter()
    .enumerate()
    {
        let s = specimen(f, 600 + i as u64);
        let truth = s.truth.side(Side::Front).unwrap();
        let (first, last) = (
            truth.mrz.first().unwrap().bbox,
            truth.mrz.last().unwrap().bbox,
        );
        let (w, h) = (s.mrz_side().width() as f32, s.mrz_side().height() as f32);
        let glare = Glare {
            cx: (first.x as f32 + first.width as f32 * 0.5) / w,
            cy: (first.y + last.y + last.height) as f32 * 0.5 / h,
            rx: 0.3,
            ry: 0.15,
            strength: 0.65,
        };
        let d = Degradation {
            glare: Some(glare),
            ..Degradation::default()
        };
        let (found, q) = read_and_measure(degraded(&s, &d, 4));
        assert!(found, "{f:?}: the washed-out MRZ is still located and read");
        assert!(
            q.glare_over_mrz > policy().max_glare_over_mrz,
            "{f:?}: {q:?}"
        );
        let (_, clean) = read_and_measure(s.mrz_side().clone());
        assert!(
            clean.glare_over_mrz <= policy().max_glare_over_mrz,
            "{f:?}: {clean:?}"
        );
    }
}

#[test]
fn degenerate_inputs_measure_without_panicking() {
    let blank = Gray::new(300, 200, 255);
    let q = idverify_vision::quality::measure_gray(&blank, None);
    assert_eq!((q.width, q.height, q.glare_over_mrz), (300, 200, 0.0));
    assert_eq!(q.sharpness, 0.0);
    let tiny = Gray::new(1, 1, 0);
    let point = MrzRegion {
        corners: [(0.5, 0.5); 4],
        lines: 2,
    };
    let q = idverify_vision::quality::measure_gray(&tiny, Some(&point));
    assert!(q.sharpness.is_finite() && q.glare_over_mrz == 0.0, "{q:?}");
    let nan = MrzRegion {
        corners: [(f32::NAN, 0.0), (1e30, 0.0), (1e30, 1e30), (0.0, -1e30)],
        lines: 0,
    };
    let q = idverify_vision::quality::measure_gray(&blank, Some(&nan));
    assert!(q.sharpness.is_finite() && (0.0..=1.0).contains(&q.glare_over_mrz));
}
