//! The face match end to end (issue 11): a rendered passport whose portrait box holds a real
//! photo (crates/testkit/faces), written to disk and checked by `idverify scan FRONT --selfie
//! FILE`. The right person matches; another person is declined with the mismatch concern; a
//! selfie without a face and one with two faces each get exactly their concern; a document
//! without a portrait is needs-review, never approved; a selfie that is no image is refused by
//! the intake with a one-line error.
//!
//! Needs the models `scripts/setup-ocr-models` installs (scripts/test runs it first).

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
use idverify_testkit::{ChaCha8Rng, Date, DocFormat, RenderOptions, SpecimenSpec, render};

const TODAY: &str = "2026-11-27";

fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

fn face(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../testkit/faces/{name}"))
}

fn work_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("idverify-face-faults-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A valid passport (TD3) of an adult, with `portrait` printed in its portrait box, or with
/// the box painted over when `None`.
fn passport(portrait: Option<&str>, dir: &Path, tag: &str) -> PathBuf {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut spec =
        SpecimenSpec::random_valid_on(DocFormat::Td3, Date::new(2026, 11, 27).unwrap(), &mut rng);
    spec.birth_date = Date::new(1985, 4, 12).unwrap();
    let specimen = render(&spec, &RenderOptions { dpi: 300.0 }).unwrap();
    let specimen = match portrait {
        Some(p) => specimen.with_portrait_photo(&image::open(face(p)).unwrap().to_rgb8()),
        None => specimen.without_portrait(),
    };
    let path = dir.join(format!("{tag}-front.png"));
    specimen.front.save(&path).unwrap();
    path
}

/// `idverify scan FRONT --selfie SELFIE`: the status, the face concern codes, the Result.
fn scan(front: &Path, selfie: &Path) -> (String, BTreeSet<String>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("scan")
        .arg(front)
        .arg("--selfie")
        .arg(selfie)
        .args(["--today", TODAY, "--models"])
        .arg(models_dir())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes = v["results"]["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with("FM"))
        .collect();
    (
        v["results"]["status"].as_str().unwrap().to_string(),
        codes,
        v,
    )
}

fn face_check(v: &serde_json::Value) -> &serde_json::Value {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "faceMatch")
        .expect("a faceMatch check")
}

#[test]
fn face_match_faults_each_get_their_concern() {
    let dir = work_dir();
    let doc = passport(Some("person-a-2.jpg"), &dir, "a");

    // The right person: approved, with the similarity reported.
    let (status, codes, v) = scan(&doc, &face("person-a-1.jpg"));
    let check = face_check(&v);
    assert_eq!(check["status"], "approved", "{v:#}");
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(status, "approved", "{v:#}");
    let same = check["details"]["similarity"].as_f64().unwrap();

    // Another person: declined with the mismatch concern alone.
    let (status, codes, v) = scan(&doc, &face("person-b.jpg"));
    assert_eq!(codes, BTreeSet::from(["FM010".to_string()]), "{v:#}");
    assert_eq!(status, "declined");
    let other = face_check(&v)["details"]["similarity"].as_f64().unwrap();
    assert!(same > other, "same {same} other {other}");

    // A selfie without a face (the document's back of another render would do; a plain
    // gradient is enough): exactly FM003.
    let blank = dir.join("no-face.png");
    image::RgbImage::from_fn(480, 640, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 4) as u8, 128])
    })
    .save(&blank)
    .unwrap();
    let (status, codes, _) = scan(&doc, &blank);
    assert_eq!(codes, BTreeSet::from(["FM003".to_string()]));
    assert_eq!(status, "needs-review");

    // Two faces on the selfie: exactly FM004.
    let (status, codes, _) = scan(&doc, &face("two-people.jpg"));
    assert_eq!(codes, BTreeSet::from(["FM004".to_string()]));
    assert_eq!(status, "needs-review");

    // A document without a portrait: needs-review (FM002), never approved.
    let bare = passport(None, &dir, "bare");
    let (status, codes, v) = scan(&bare, &face("person-a-1.jpg"));
    assert_eq!(codes, BTreeSet::from(["FM002".to_string()]), "{v:#}");
    assert_eq!(status, "needs-review");
    assert_eq!(face_check(&v)["status"], "needs-review");

    // Bad input: a selfie that is no image goes through the same intake as the document and
    // is refused with one line, no panic.
    let junk = dir.join("junk.jpg");
    std::fs::write(&junk, b"\xff\xd8 not really a jpeg").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("scan")
        .arg(&doc)
        .arg("--selfie")
        .arg(&junk)
        .args(["--today", TODAY, "--models"])
        .arg(models_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("junk.jpg"), "{err}");
}
