//! Detection then recognition on rendered specimens (crates/testkit). These tests need the
//! models in `models/` at the repository root: run `scripts/setup-ocr-models` first
//! (the README's test command does).

// A test binary: a panic here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, DocFormat, Field, RenderOptions, SpecimenSpec, TextKind, render,
};
use idverify_textocr::{Models, ReadOptions};

/// The models as `scripts/setup-ocr-models` installs them: the PP-OCRv5 detector and the
/// PP-OCRv6 recogniser.
fn models() -> Models {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models");
    Models::load_with(|p| std::fs::read(root.join(p))).unwrap_or_else(|e| panic!("{e}"))
}

fn specimen(seed: u64, format: DocFormat, dpi: f32) -> idverify_testkit::Specimen {
    let kit_today = idverify_testkit::Date::new(2026, 11, 27).unwrap();
    let spec =
        SpecimenSpec::random_valid_on(format, kit_today, &mut ChaCha8Rng::seed_from_u64(seed));
    render(&spec, &RenderOptions { dpi }).unwrap()
}

fn values(side: &idverify_testkit::SideTruth) -> Vec<String> {
    side.texts
        .iter()
        .filter(|t| t.kind == TextKind::Value)
        .map(|t| t.text.clone())
        .collect()
}

/// How many of `values` some line contains: verbatim, and as a skeleton (letters and digits
/// only, case and diacritics folded, `O` and `0` alike).
fn found(values: &[String], lines: &[idverify_textocr::OcrLine]) -> (usize, usize) {
    let skeleton = |s: &str| -> String {
        idverify_check::fold::fold(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| if c == 'O' { '0' } else { c })
            .collect()
    };
    let verbatim = values
        .iter()
        .filter(|v| lines.iter().any(|l| l.text.contains(v.as_str())))
        .count();
    let folded = values
        .iter()
        .filter(|v| {
            lines
                .iter()
                .any(|l| skeleton(&l.text).contains(&skeleton(v)))
        })
        .count();
    (verbatim, folded)
}

#[test]
fn reads_the_values_of_a_rendered_td3_page() {
    let models = models();
    let s = specimen(7, DocFormat::Td3, 300.0);
    let t0 = std::time::Instant::now();
    let lines = models.read(&s.front, &ReadOptions::default()).unwrap();
    let ms = t0.elapsed().as_millis();
    for l in &lines {
        println!(
            "{:>5.0} {:>5.0} {:.2} {}",
            l.bbox.0, l.bbox.1, l.confidence, l.text
        );
    }
    println!("{} lines in {ms} ms", lines.len());
    let values = values(&s.truth.front);
    let (verbatim, folded) = found(&values, &lines);
    println!(
        "{verbatim} of {} values found verbatim, {folded} without case and diacritics: {values:?}",
        values.len()
    );
    // Every value is read up to its diacritics and spacing; a rare letter (`ÿ`, `Å`) can lose
    // its mark and dates their spaces (docs/ocr-models.md), so not all verbatim.
    assert_eq!(folded, values.len());
    assert!(
        verbatim * 2 >= values.len(),
        "{verbatim} of {}",
        values.len()
    );
    // The check finds the fields in these lines.
    let p = idverify_check::extract_printed(&idverify_textocr::to_text_lines(&lines));
    let truth = &s.truth.printed;
    assert_eq!(
        p.document_number.as_ref(),
        truth.get(&Field::DocumentNumber)
    );
    assert_eq!(p.nationality.as_ref(), truth.get(&Field::Nationality));
    assert!(p.birth_date.is_some() && p.expiry_date.is_some(), "{p:?}");
}

/// A document photographed a quarter turn off reads the same once the caller gives the turn.
#[test]
fn quarter_turn_hint_rights_a_turned_image() {
    let models = models();
    let s = specimen(11, DocFormat::Td2, 300.0);
    // Turned a quarter counter-clockwise: a clockwise quarter turn rights it.
    let turned = image::imageops::rotate270(&s.front);
    let upright = models
        .read(
            &turned,
            &ReadOptions {
                quarter_turns: 1,
                ..ReadOptions::default()
            },
        )
        .unwrap();
    let values = values(&s.truth.front);
    let (_, folded) = found(&values, &upright);
    assert!(
        folded * 10 >= values.len() * 9,
        "{folded} of {}",
        values.len()
    );
    // The boxes are in the upright image: as wide as the document is, not as high.
    let max_x = upright
        .iter()
        .map(|l| l.bbox.0 + l.bbox.2)
        .fold(0.0, f32::max);
    assert!(max_x <= s.front.width() as f32 + 1.0);
    assert!(max_x > s.front.height() as f32, "{max_x}");
    // Without the hint the same image reads (almost) nothing of the values.
    let sideways = models.read(&turned, &ReadOptions::default()).unwrap();
    let (_, folded_sideways) = found(&values, &sideways);
    assert!(folded_sideways < folded, "{folded_sideways} vs {folded}");
}

/// A missing model is an error that names the setup script.
#[test]
fn missing_models_name_the_setup_script() {
    let e = Models::load_with(|_| Err(std::io::ErrorKind::NotFound.into())).unwrap_err();
    assert!(e.to_string().contains("scripts/setup-ocr-models"), "{e}");
}

/// Bad input is an error, not a panic.
#[test]
fn tiny_images_and_bad_models_are_errors() {
    let models = models();
    let tiny = image::RgbImage::new(3, 3);
    assert!(matches!(
        models.read(&tiny, &ReadOptions::default()),
        Err(idverify_textocr::Error::Image(_))
    ));
    let bad = Models::from_bytes(b"not a model".to_vec(), b"no".to_vec(), "a\nb");
    assert!(matches!(
        bad,
        Err(idverify_textocr::Error::ModelLoad {
            which: "detection",
            ..
        })
    ));
}

/// The printed fields `extract_printed` finds on both sides of a specimen, as the truth writes
/// them (dates parsed, sex as its letter), next to the truth.
fn printed_vs_truth(
    models: &Models,
    s: &idverify_testkit::Specimen,
) -> Vec<(Field, String, Option<String>)> {
    let mut p = idverify_check::PrintedFields::default();
    for side in std::iter::once(&s.front).chain(s.back.as_ref()) {
        let lines = models.read(side, &ReadOptions::default()).unwrap();
        p = p.or(idverify_check::extract_printed(
            &idverify_textocr::to_text_lines(&lines),
        ));
    }
    let date = |d: Option<idverify_check::printed_date::PrintedDate>, t: &str| {
        d.filter(|d| Some(*d) == idverify_check::printed_date::parse_date(t))
            .map(|_| t.to_string())
    };
    s.truth
        .printed
        .iter()
        .filter_map(|(field, want)| {
            let got = match field {
                Field::Surname => p.surname.clone(),
                Field::GivenNames => p.given_names.clone(),
                Field::DocumentNumber => p.document_number.clone(),
                Field::PersonalNumber => p.personal_number.clone(),
                Field::PlaceOfBirth => p.place_of_birth.clone(),
                Field::Nationality => p.nationality.clone(),
                Field::Sex => p.sex.map(|x| x.as_char().to_string().replace('<', "X")),
                Field::DateOfBirth => date(p.birth_date, want),
                Field::DateOfExpiry => date(p.expiry_date, want),
                Field::DateOfIssue => date(p.issue_date, want),
                _ => return None,
            };
            Some((*field, want.clone(), got))
        })
        .collect()
}

/// Specimens of every ICAO format, names with diacritics among them (`é`, `ü`, `ó` … that the
/// recognisers can read; `ø`, `å`, `ł` they cannot, docs/ocr-models.md): every printed field the
/// renderer prints is extracted exactly as the truth has it.
#[test]
fn every_printed_field_of_these_specimens_is_read_exactly() {
    let models = models();
    let mut accented = 0;
    for (seed, format) in [
        (1030, DocFormat::Td1),
        (1013, DocFormat::Td2),
        (1038, DocFormat::Td3),
        (1027, DocFormat::Mrva),
        (1004, DocFormat::Mrvb),
    ] {
        let s = specimen(seed, format, 150.0);
        let checks = printed_vs_truth(&models, &s);
        assert!(checks.len() >= 7, "{seed}: {checks:?}");
        for (field, want, got) in &checks {
            assert_eq!(
                got.as_deref(),
                Some(want.as_str()),
                "{seed} {format:?} {field:?}"
            );
            if matches!(field, Field::Surname | Field::GivenNames) && !want.is_ascii() {
                accented += 1;
            }
        }
    }
    assert!(accented >= 3, "too few names with diacritics: {accented}");
}
