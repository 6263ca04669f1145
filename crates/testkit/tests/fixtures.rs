//! End-to-end tests of the fixture generator: every format renders, rendering is deterministic,
//! degradations keep sizes sane, and the ground truth matches what was drawn.

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, Field, LabelLanguage, Layout, PrintedFont,
    RenderOptions, SpecimenSpec, TextKind, degrade, degrade_mapped, render, render_without_mrz,
};
use std::time::Instant;

fn spec(format: DocFormat, seed: u64) -> SpecimenSpec {
    SpecimenSpec::random_of(format, &mut ChaCha8Rng::seed_from_u64(seed))
}

#[test]
fn every_format_renders_with_its_mrz_shape() {
    for format in DocFormat::ALL {
        let s = render(&spec(format, 11), &RenderOptions::default()).unwrap();
        let (lines, cols) = format.mrz_shape();
        assert_eq!(s.truth.mrz_lines.len(), lines, "{format}");
        for l in &s.truth.mrz_lines {
            assert_eq!(l.chars().count(), cols, "{format}: {l}");
            assert!(
                l.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<'),
                "{l}"
            );
        }
        let (w_mm, h_mm) = format.size_mm();
        let expect_w = (w_mm / 25.4 * 300.0).round() as u32;
        let expect_h = (h_mm / 25.4 * 300.0).round() as u32;
        assert_eq!(
            (s.front.width(), s.front.height()),
            (expect_w, expect_h),
            "{format}"
        );
        assert_eq!(s.back.is_some(), format == DocFormat::Td1);
        let mrz_side = s.truth.back.as_ref().unwrap_or(&s.truth.front);
        assert_eq!(mrz_side.mrz.len(), lines);
        // ICAO pitch: 2.54 mm per character at 300 dpi is 30 px.
        let first = &mrz_side.mrz[0];
        assert_eq!(first.char_boxes.len(), cols);
        let pitch = first.char_boxes[1].x as f32 - first.char_boxes[0].x as f32;
        assert!((pitch - 30.0).abs() <= 1.0, "pitch {pitch}");
        // MRZ at the bottom, inside the image.
        let last = mrz_side.mrz.last().unwrap();
        assert!(last.bbox.y + last.bbox.height <= mrz_side.height);
        assert!(
            last.bbox.y > mrz_side.height * 2 / 3,
            "{format}: MRZ not at the bottom"
        );
        assert!(s.truth.front.portrait.is_some());
    }
}

#[test]
fn same_spec_same_pixels_and_different_seed_differs() {
    let a = render(&spec(DocFormat::Td3, 5), &RenderOptions::default()).unwrap();
    let b = render(&spec(DocFormat::Td3, 5), &RenderOptions::default()).unwrap();
    assert_eq!(a.front.as_raw(), b.front.as_raw());
    assert_eq!(a.truth, b.truth);
    let c = render(&spec(DocFormat::Td3, 6), &RenderOptions::default()).unwrap();
    assert_ne!(a.front.as_raw(), c.front.as_raw());

    let d = Degradation::random(DegradeLevel::Hard, &mut ChaCha8Rng::seed_from_u64(9));
    let x = degrade(&a.front, &d, &mut ChaCha8Rng::seed_from_u64(10)).unwrap();
    let y = degrade(&a.front, &d, &mut ChaCha8Rng::seed_from_u64(10)).unwrap();
    assert_eq!(x.as_raw(), y.as_raw());
}

#[test]
fn every_font_layout_and_language_renders_every_name_in_the_pools() {
    // Draw many specs so that every name, place and label is rendered with each font; a missing
    // glyph is an error, so this fails if a font lacks a diacritic we use.
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let opts = RenderOptions { dpi: 100.0 };
    for i in 0..150 {
        let mut s = SpecimenSpec::random(&mut rng);
        s.font = PrintedFont::ALL[i % 3];
        s.layout = Layout::ALL[i % 3];
        s.labels = LabelLanguage::ALL[i % 4];
        render(&s, &opts).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
}

#[test]
fn printed_values_are_drawn_where_the_truth_says() {
    let s = render(&spec(DocFormat::Td3, 3), &RenderOptions::default()).unwrap();
    let surname = s
        .truth
        .front
        .texts
        .iter()
        .find(|t| t.kind == TextKind::Value && t.field == Some(Field::Surname))
        .unwrap();
    assert_eq!(surname.text, s.truth.spec.surname);
    // The box holds ink: some pixel clearly darker than the paper.
    let b = surname.bbox;
    let darkest = (b.y..b.y + b.height)
        .flat_map(|y| (b.x..b.x + b.width).map(move |x| (x, y)))
        .map(|(x, y)| {
            s.front
                .get_pixel(x, y)
                .0
                .iter()
                .map(|&v| u32::from(v))
                .sum::<u32>()
        })
        .min()
        .unwrap();
    assert!(
        darkest < 200,
        "no ink in the surname box (darkest sum {darkest})"
    );
    // Every value printed is in the truth's printed map.
    for t in s
        .truth
        .front
        .texts
        .iter()
        .filter(|t| t.kind == TextKind::Value)
    {
        assert_eq!(Some(&t.text), s.truth.printed.get(&t.field.unwrap()));
    }
}

#[test]
fn printed_override_changes_the_printed_zone_only() {
    let clean = spec(DocFormat::Td3, 21);
    let mut tampered = clean.clone();
    tampered
        .printed_overrides
        .insert(Field::Surname, "Mustermann".into());
    let a = render(&clean, &RenderOptions::default()).unwrap();
    let b = render(&tampered, &RenderOptions::default()).unwrap();
    assert_eq!(a.truth.mrz_lines, b.truth.mrz_lines);
    assert_eq!(b.truth.printed.get(&Field::Surname).unwrap(), "Mustermann");
    assert!(b.truth.front.texts.iter().any(|t| t.text == "Mustermann"));
}

#[test]
fn negatives_have_no_mrz() {
    for format in DocFormat::ALL {
        let s = render_without_mrz(&spec(format, 4), &RenderOptions::default()).unwrap();
        assert!(s.truth.mrz_lines.is_empty());
        assert!(s.truth.front.mrz.is_empty());
        assert!(s.back.is_none());
    }
}

#[test]
fn degradations_keep_sizes_sane_and_map_points_inside() {
    let s = render(&spec(DocFormat::Td1, 8), &RenderOptions::default()).unwrap();
    let img = s.back.as_ref().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(123);
    for level in [
        DegradeLevel::None,
        DegradeLevel::Mild,
        DegradeLevel::Medium,
        DegradeLevel::Hard,
    ] {
        for _ in 0..4 {
            let d = Degradation::random(level, &mut rng);
            let out = degrade_mapped(img, &d, &mut rng).unwrap();
            let (w, h) = (out.image.width(), out.image.height());
            assert!(w >= 100 && h >= 100, "{level:?}: {w}×{h}");
            assert!(
                w <= 3 * img.width() && h <= 3 * img.width(),
                "{level:?}: {w}×{h}"
            );
            // The MRZ's corners land inside the output.
            let mrz = &s.truth.back.as_ref().unwrap().mrz[0].bbox;
            let (x, y) = out.transform.map(mrz.x as f32, mrz.y as f32);
            assert!(x >= -1.0 && y >= -1.0 && x <= w as f32 + 1.0 && y <= h as f32 + 1.0);
        }
    }
    let none = degrade(img, &Degradation::default(), &mut rng).unwrap();
    assert_eq!(none.as_raw(), img.as_raw());
}

#[test]
fn quarter_turns_swap_the_sides() {
    let s = render(&spec(DocFormat::Td3, 2), &RenderOptions { dpi: 150.0 }).unwrap();
    let d = Degradation {
        quarter_turns: 1,
        ..Degradation::default()
    };
    let out = degrade(&s.front, &d, &mut ChaCha8Rng::seed_from_u64(0)).unwrap();
    assert!((out.width() as i64 - s.front.height() as i64).abs() <= 2);
    assert!((out.height() as i64 - s.front.width() as i64).abs() <= 2);
}

#[test]
fn out_of_range_inputs_are_errors_not_panics() {
    let s = spec(DocFormat::Td3, 1);
    assert!(render(&s, &RenderOptions { dpi: 5.0 }).is_err());
    assert!(render(&s, &RenderOptions { dpi: f32::NAN }).is_err());
    let img = image::RgbImage::new(50, 50);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    for bad in [
        Degradation {
            scale: 0.0,
            ..Degradation::default()
        },
        Degradation {
            scale: f32::NAN,
            ..Degradation::default()
        },
        Degradation {
            blur_sigma: -1.0,
            ..Degradation::default()
        },
        Degradation {
            perspective: 0.9,
            ..Degradation::default()
        },
        Degradation {
            quarter_turns: 4,
            ..Degradation::default()
        },
        Degradation {
            jpeg_quality: Some(0),
            ..Degradation::default()
        },
    ] {
        assert!(degrade(&img, &bad, &mut rng).is_err(), "{bad:?}");
    }
    assert!(
        degrade(
            &image::RgbImage::new(1, 1),
            &Degradation::default(),
            &mut rng
        )
        .is_err()
    );
}

#[test]
fn rendering_is_fast_enough_for_tests() {
    // The brief: well under 100 ms per document in a dev build (the crate is built at opt-level 2).
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let specs: Vec<_> = (0..10).map(|_| SpecimenSpec::random(&mut rng)).collect();
    let t = Instant::now();
    for s in &specs {
        render(s, &RenderOptions::default()).unwrap();
    }
    let per_doc = t.elapsed().as_secs_f64() * 1000.0 / specs.len() as f64;
    println!("render: {per_doc:.1} ms per document");
    // Generous bound: the machine is shared; the figure is printed for the record.
    assert!(per_doc < 400.0, "{per_doc} ms per document");
}
