//! The document check end to end on rendered specimens (issue 5, acceptance 1): each image is
//! written to disk and read by `idverify scan` — intake, MRZ reader, printed-zone OCR, quality
//! measures, the rules — with one fault injected at a time. Each fault must yield exactly its
//! concern and status; the clean specimen must be approved with no concern.
//!
//! Needs the OCR models `scripts/setup-ocr-models` installs (scripts/test runs it first).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // test helpers: a panic is a failed test

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Date, Degradation, DocFormat, Field, RenderOptions, Side, SpecimenSpec, degrade,
    render,
};

const TODAY: &str = "2026-11-27";

fn today() -> Date {
    Date::new(2026, 11, 27).unwrap()
}

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

fn work_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("idverify-faults-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A document that is valid today, with a holder of age, in the given format.
fn spec(format: DocFormat, seed: u64) -> SpecimenSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = SpecimenSpec::random_valid_on(format, today(), &mut rng);
    // An adult well away from the age limit.
    if s.birth_date > Date::new(2000, 1, 1).unwrap() {
        s.birth_date = Date::new(1990, s.birth_date.month(), s.birth_date.day().min(28)).unwrap();
    }
    s
}

/// The images of a specimen, as PNG files: the front, and the back when the format has one.
fn write_sides(
    spec: &SpecimenSpec,
    dir: &Path,
    tag: &str,
    degradation: Option<&Degradation>,
) -> Vec<PathBuf> {
    let specimen = render(spec, &RenderOptions { dpi: 300.0 }).unwrap();
    let mut out = Vec::new();
    for (side, name) in [(Side::Front, "front"), (Side::Back, "back")] {
        let Some(img) = specimen.image(side) else {
            continue;
        };
        let img = match degradation {
            Some(d) => {
                let mut rng = ChaCha8Rng::seed_from_u64(7);
                degrade(img, d, &mut rng).unwrap()
            }
            None => img.clone(),
        };
        let path = dir.join(format!("{tag}-{name}.png"));
        img.save(&path).unwrap();
        out.push(path);
    }
    out
}

/// `idverify scan` on the files: the status and the concern codes (without the DC023 summary).
fn scan(files: &[PathBuf]) -> (String, BTreeSet<String>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("scan")
        .args(files)
        .arg("--models")
        .arg(models_dir())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = v["results"]["status"].as_str().unwrap().to_owned();
    let codes = v["results"]["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .filter(|c| c != "DC023")
        .collect();
    (status, codes, v)
}

fn expect(what: &str, files: &[PathBuf], status: &str, codes: &[&str]) {
    let (got_status, got_codes, v) = scan(files);
    let want: BTreeSet<String> = codes.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(
        (got_status.as_str(), &got_codes),
        (status, &want),
        "{what}: concerns {}\nrows {}",
        v["results"]["concerns"],
        v["documentDataChecking"]
    );
}

/// Changes the check digit of the date of birth in the MRZ the spec generates.
fn with_birth_check_digit_changed(spec: &SpecimenSpec) -> SpecimenSpec {
    let specimen = render(spec, &RenderOptions::default()).unwrap();
    let mut lines = specimen.truth.mrz_lines.clone();
    // The birth date's check digit: TD3/TD2 line 2 column 19, TD1 line 2 column 6 (0-based).
    let (line, col) = match spec.format {
        DocFormat::Td1 => (1, 6),
        _ => (1, 19),
    };
    let mut chars: Vec<char> = lines[line].chars().collect();
    let d = chars[col].to_digit(10).unwrap();
    chars[col] = char::from_digit((d + 5) % 10, 10).unwrap();
    lines[line] = chars.into_iter().collect();
    let mut s = spec.clone();
    s.mrz_override = Some(lines);
    s
}

#[test]
fn passport_faults_one_at_a_time() {
    let dir = work_dir("td3");
    let clean = spec(DocFormat::Td3, 11);
    expect(
        "clean passport",
        &write_sides(&clean, &dir, "clean", None),
        "approved",
        &[],
    );

    let mut expired = clean.clone();
    expired.issue_date = Date::new(2014, 3, 2).unwrap();
    expired.expiry_date = Date::new(2024, 3, 1).unwrap();
    expect(
        "expired",
        &write_sides(&expired, &dir, "expired", None),
        "declined",
        &["DC010"],
    );

    let mut minor = clean.clone();
    minor.birth_date = Date::new(2012, 6, 15).unwrap();
    expect(
        "under age",
        &write_sides(&minor, &dir, "minor", None),
        "declined",
        &["DC011"],
    );

    let mut printed_birth = clean.clone();
    let other = Date::new(clean.birth_date.year() - 3, clean.birth_date.month(), 1).unwrap();
    printed_birth
        .printed_overrides
        .insert(Field::DateOfBirth, other.printed(clean.date_style));
    expect(
        "birth date changed in the printed zone",
        &write_sides(&printed_birth, &dir, "printed-birth", None),
        "declined",
        &["DC030"],
    );

    let mut surname = clean.clone();
    surname
        .printed_overrides
        .insert(Field::Surname, "Vandermolen".to_owned());
    expect(
        "surname changed in the printed zone",
        &write_sides(&surname, &dir, "surname", None),
        "declined",
        &["DC030"],
    );

    let tiny = Degradation {
        scale: 0.12,
        ..Degradation::default()
    };
    expect(
        "tiny image",
        &write_sides(&clean, &dir, "tiny", Some(&tiny)),
        "needs-review",
        &["DC020"],
    );

    let blurred = Degradation {
        blur_sigma: 6.0,
        ..Degradation::default()
    };
    expect(
        "blurred image",
        &write_sides(&clean, &dir, "blurred", Some(&blurred)),
        "needs-review",
        &["DC021"],
    );

    let digit = with_birth_check_digit_changed(&clean);
    expect(
        "an MRZ check digit changed",
        &write_sides(&digit, &dir, "digit", None),
        "declined",
        &["DC002"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn card_with_the_back_of_another_card() {
    let dir = work_dir("td1");
    let card = spec(DocFormat::Td1, 21);
    let sides = write_sides(&card, &dir, "card", None);
    assert_eq!(sides.len(), 2, "a TD1 card has a back");
    expect("clean card", &sides, "approved", &[]);

    let other = spec(DocFormat::Td1, 22);
    let other_sides = write_sides(&other, &dir, "other", None);
    expect(
        "the back of another card",
        &[sides[0].clone(), other_sides[1].clone()],
        "declined",
        &["DC031"],
    );
    let _ = std::fs::remove_dir_all(&dir);
}
