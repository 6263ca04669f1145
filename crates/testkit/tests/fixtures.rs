//! End-to-end tests of the fixture generator: every format renders, rendering is deterministic,
//! degradations keep sizes sane, and the ground truth matches what was drawn.

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, Field, LabelLanguage, Layout, PrintedFont,
    RenderOptions, Side, SpecimenSet, SpecimenSpec, TextKind, degrade, degrade_mapped, render,
    render_without_mrz,
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
        assert_eq!(s.back.is_some(), format.has_back());
        let (side, mrz_side) = if format.mrz_on_back() {
            (Side::Back, s.truth.back.as_ref().unwrap())
        } else {
            (Side::Front, &s.truth.front)
        };
        assert!(std::ptr::eq(s.mrz_side(), s.image(side).unwrap()));
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

#[test]
fn generated_mrz_parses_valid_with_the_mrz_crate() {
    let today = idverify_mrz::Date::new(2026, 1, 1).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    for i in 0..400 {
        let s = if i % 10 == 0 {
            SpecimenSpec::random_of(DocFormat::FrenchId, &mut rng)
        } else {
            SpecimenSpec::random(&mut rng)
        };
        let lines = idverify_testkit::mrz_lines(&s).unwrap();
        let mrz = idverify_mrz::parse(&lines, today).unwrap_or_else(|e| panic!("{lines:?}: {e:?}"));
        assert!(mrz.is_valid(), "{lines:?}: {:?}", mrz.problems);
        assert_eq!(mrz.document_number, s.document_number, "{lines:?}");
        assert_eq!(mrz.issuing_state, s.issuing_state, "{lines:?}");
        if s.format != DocFormat::FrenchId {
            // The French card's MRZ has no nationality field.
            assert_eq!(mrz.nationality, s.nationality, "{lines:?}");
        }
        let surname = idverify_testkit::transliterate(&s.surname).replace('<', " ");
        assert!(
            surname.starts_with(mrz.last_name.trim()),
            "{lines:?}: {surname} vs {}",
            mrz.last_name
        );
    }
}

#[test]
fn mrz_override_is_printed_as_given() {
    let mut s = spec(DocFormat::Td3, 31);
    let mut lines = idverify_testkit::mrz_lines(&s).unwrap();
    // Change one digit of the birth date: the check digit no longer holds.
    let mut l2: Vec<char> = lines[1].chars().collect();
    l2[14] = if l2[14] == '1' { '2' } else { '1' };
    lines[1] = l2.into_iter().collect();
    s.mrz_override = Some(lines.clone());
    let r = render(&s, &RenderOptions::default()).unwrap();
    assert_eq!(r.truth.mrz_lines, lines);
    let today = idverify_mrz::Date::new(2026, 1, 1).unwrap();
    assert!(!idverify_mrz::parse(&lines, today).unwrap().is_valid());
}

#[test]
fn random_specs_vary_and_keep_their_promises() {
    let mut rng = ChaCha8Rng::seed_from_u64(5150);
    let today = idverify_testkit::Date::new(2026, 1, 1).unwrap();
    let mut formats = std::collections::HashSet::new();
    let mut states = std::collections::HashSet::new();
    let mut with_diacritics = 0;
    for _ in 0..300 {
        let s = SpecimenSpec::random(&mut rng);
        formats.insert(s.format);
        states.insert(s.issuing_state.clone());
        if !(s.surname.clone() + &s.given_names).is_ascii() {
            with_diacritics += 1;
        }
        assert_eq!(s.document_number.len(), 9);
        assert!(
            s.document_number.chars().any(|c| c.is_ascii_digit()),
            "{}",
            s.document_number
        );
        assert!(
            s.document_number.chars().any(|c| c.is_ascii_uppercase()),
            "{}",
            s.document_number
        );
        assert!(s.expiry_date > today, "expired: {s:?}");
        assert!(s.issue_date < today && s.issue_date < s.expiry_date);
        assert!(s.birth_date.add_years(18) <= today, "minor: {s:?}");
    }
    assert_eq!(formats.len(), DocFormat::ICAO.len());
    assert!(states.len() >= 15, "{states:?}");
    assert!(with_diacritics > 100, "{with_diacritics}");
}

#[test]
fn the_binary_writes_images_and_labels_deterministically() {
    let exe = env!("CARGO_BIN_EXE_idverify-fixtures");
    let base = std::env::temp_dir().join(format!("idverify-fixtures-test-{}", std::process::id()));
    let run = |dir: &std::path::Path| {
        let status = std::process::Command::new(exe)
            .args([
                "--out",
                dir.to_str().unwrap(),
                "--count",
                "3",
                "--seed",
                "7",
            ])
            .args([
                "--degrade",
                "mild",
                "--format",
                "td1,td3",
                "--negatives",
                "1",
                "--dpi",
                "150",
            ])
            .status()
            .unwrap();
        assert!(status.success());
    };
    let (a, b) = (base.join("a"), base.join("b"));
    run(&a);
    run(&b);
    let labels: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("labels.json")).unwrap()).unwrap();
    let rows = labels.as_array().unwrap();
    // td1 (front + back), td3, td1 (front + back), one negative.
    assert_eq!(rows.len(), 6);
    for row in rows {
        let image = row["image"].as_str().unwrap();
        let bytes_a = std::fs::read(a.join(image)).unwrap();
        assert_eq!(
            bytes_a,
            std::fs::read(b.join(image)).unwrap(),
            "{image} differs"
        );
        image::load_from_memory(&bytes_a).unwrap();
        let has_mrz = row["has_mrz"].as_bool().unwrap();
        assert_eq!(has_mrz, row["mrz_lines"].is_array(), "{row}");
        assert!(row["printed"].is_object());
        for key in ["source", "label_quality", "note"] {
            assert!(row[key].is_string(), "{key} in {row}");
        }
    }
    assert_eq!(rows.iter().filter(|r| r["has_mrz"] == true).count(), 3);
    let td1_back = rows
        .iter()
        .find(|r| r["image"] == "0000_td1_back.jpg")
        .unwrap();
    assert_eq!(td1_back["mrz_lines"].as_array().unwrap().len(), 3);
    // Bad arguments: a clear error, not a panic.
    let out = std::process::Command::new(exe)
        .args([
            "--out",
            base.join("c").to_str().unwrap(),
            "--degrade",
            "extreme",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("extreme"));
    std::fs::remove_dir_all(&base).unwrap();
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any seed and format: the render succeeds, the MRZ is valid, and every box lies
        /// inside its image.
        #[test]
        fn any_seed_renders_a_valid_document(seed in any::<u64>(), f in 0usize..DocFormat::ALL.len()) {
            let format = DocFormat::ALL[f];
            let spec = SpecimenSpec::random_of(format, &mut ChaCha8Rng::seed_from_u64(seed));
            let s = render(&spec, &RenderOptions { dpi: 100.0 }).unwrap();
            let today = idverify_mrz::Date::new(2026, 1, 1).unwrap();
            prop_assert!(idverify_mrz::parse(&s.truth.mrz_lines, today).unwrap().is_valid());
            for side in std::iter::once(&s.truth.front).chain(s.truth.back.as_ref()) {
                let boxes = side
                    .texts
                    .iter()
                    .map(|t| t.bbox)
                    .chain(side.mrz.iter().map(|m| m.bbox))
                    .chain(side.portrait);
                for b in boxes {
                    prop_assert!(b.x + b.width <= side.width && b.y + b.height <= side.height, "{b:?} outside {}×{}", side.width, side.height);
                    prop_assert!(b.width > 0 && b.height > 0);
                }
            }
        }

        /// Any level and seed: a degradation succeeds with a sane size.
        #[test]
        fn any_degradation_gives_a_sane_image(seed in any::<u64>(), l in 0usize..4) {
            let level = [DegradeLevel::None, DegradeLevel::Mild, DegradeLevel::Medium, DegradeLevel::Hard][l];
            let img = image::RgbImage::from_pixel(300, 190, image::Rgb([220, 230, 220]));
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let d = Degradation::random(level, &mut rng);
            let out = degrade(&img, &d, &mut rng).unwrap();
            prop_assert!(out.width() >= 80 && out.height() >= 50, "{}×{}", out.width(), out.height());
            prop_assert!(out.width() <= 900 && out.height() <= 900, "{}×{}", out.width(), out.height());
        }
    }
}

#[test]
fn a_set_gives_in_memory_what_the_binary_writes() {
    let mut set = SpecimenSet::new(41, DegradeLevel::Medium);
    set.render = RenderOptions { dpi: 150.0 };
    set.formats = vec![DocFormat::Td1, DocFormat::Td3];
    let dir = std::env::temp_dir().join(format!("idverify-set-test-{}", std::process::id()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_idverify-fixtures"))
        .args([
            "--out",
            dir.to_str().unwrap(),
            "--count",
            "2",
            "--seed",
            "41",
        ])
        .args(["--degrade", "medium", "--format", "td1,td3", "--dpi", "150"])
        .status()
        .unwrap();
    assert!(status.success());
    for n in 0..2u64 {
        let doc = set.document(n).unwrap();
        assert_eq!(doc.specimen.truth.spec, set.spec(n));
        let format = doc.specimen.truth.spec.format;
        let photo = doc.mrz_photo().unwrap();
        let name = match photo.side {
            Side::Front => format!("{n:04}_{format}.jpg"),
            Side::Back => format!("{n:04}_{format}_back.jpg"),
        };
        let written = std::fs::read(dir.join(&name)).unwrap();
        assert_eq!(Some(&written), photo.jpeg.as_ref(), "{name}");
        // The MRZ's first cell, carried through the photo's transform, lands inside the photo.
        let mrz = &doc.specimen.truth.side(photo.side).unwrap().mrz[0];
        for (x, y) in photo.transform.map_box(&mrz.char_boxes[0]) {
            assert!(x >= 0.0 && y >= 0.0, "{x},{y}");
            assert!(x <= photo.image.width() as f32 && y <= photo.image.height() as f32);
        }
    }
    let neg = set.negative(0).unwrap();
    assert!(neg.mrz_photo().is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ground_truth_round_trips_through_json() {
    for format in DocFormat::ALL {
        let s = render(&spec(format, 64), &RenderOptions { dpi: 100.0 }).unwrap();
        let text = serde_json::to_string(&s.truth).unwrap();
        let back: idverify_testkit::GroundTruth = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s.truth, "{format}");
        // The printed values use the contract's camelCase field names.
        assert!(text.contains("\"dateOfBirth\""), "{format}");
    }
}
