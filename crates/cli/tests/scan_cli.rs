//! `idverify scan` end to end: a rendered specimen read into the contract's Result (a two-page
//! TIFF or PDF as FRONT gives front and back), and hostile files (empty, random bytes, cut
//! JPEG, decompression-bomb PNG header, an empty HEIC container, a TIFF claiming 100,000 ×
//! 100,000 pixels, PDFs of 500 pages, with JavaScript or a bomb, missing) refused with a
//! one-line error and a non-zero exit, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test helpers: a panic is a failed test

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("idverify-scan-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The OCR models `scripts/setup-ocr-models` installs at the repository root.
fn models_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
}

fn scan(args: &[&Path]) -> Output {
    scan_with_models(args, &models_dir())
}

/// A scan that must succeed, its Result.
fn scan_json(args: &[&Path]) -> serde_json::Value {
    let out = scan(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn scan_with_models(args: &[&Path], models: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_idverify"))
        .arg("scan")
        .args(args)
        .args(["--today", "2026-01-01"])
        .arg("--models")
        .arg(models)
        .output()
        .unwrap()
}

fn assert_clean_failure(out: &Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{what}: must fail");
    assert!(out.status.code().is_some(), "{what}: killed by a signal");
    assert!(!err.contains("panicked"), "{what}: panicked: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{what}: not one line: {err}"
    );
    assert!(err.starts_with("error: "), "{what}: {err}");
    assert!(out.stdout.is_empty(), "{what}: printed a result");
}

#[test]
fn hostile_files_fail_with_one_line() {
    let d = dir("hostile");
    let empty = d.join("empty.jpg");
    std::fs::write(&empty, b"").unwrap();

    let mut state = 0x9e37_79b9u32;
    let random: Vec<u8> = (0..10_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let rnd = d.join("random.jpg");
    std::fs::write(&rnd, &random).unwrap();

    let img = image::RgbImage::from_fn(300, 200, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 7])
    });
    let mut jpeg = Vec::new();
    img.write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let cut = d.join("cut.jpg");
    std::fs::write(&cut, &jpeg[..sos]).unwrap();

    let bomb = idverify_testkit::png_claiming(20_000, 20_000);
    let bomb_path = d.join("bomb.png");
    std::fs::write(&bomb_path, &bomb).unwrap();

    let mut heic = vec![0, 0, 0, 0x18];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    let heic_path = d.join("photo.heic");
    std::fs::write(&heic_path, &heic).unwrap();

    let text = d.join("notes.png");
    std::fs::write(&text, "this is not an image\n").unwrap();

    let write = |name: &str, bytes: &[u8]| {
        let p = d.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let tiff_claim = write(
        "claim.tif",
        &idverify_testkit::tiff_claiming(100_000, 100_000),
    );
    let pages = write("pages.pdf", &idverify_testkit::pdf_blank_pages(500));
    let script = write("script.pdf", &idverify_testkit::pdf_with_javascript());
    let pdf_bomb = write(
        "bomb.pdf",
        &idverify_testkit::pdf_flate_bomb(512 << 20).unwrap(),
    );

    for (path, what) in [
        (&empty, "empty"),
        (&rnd, "random bytes"),
        (&cut, "JPEG cut before its data"),
        (&bomb_path, "20000x20000 PNG header"),
        (&heic_path, "HEIC container without an image"),
        (&text, "text file"),
    ] {
        let out = scan(&[path]);
        assert_clean_failure(&out, what);
    }
    for (path, message) in [
        (&heic_path, "The image could not be decoded: HEIC"),
        (&tiff_claim, "The image is too large: 100000x100000 pixels"),
        (&pages, "The file has 500 pages, at most 4 are accepted"),
        (&script, "The PDF contains active content (JavaScript)"),
        (&pdf_bomb, "The image exceeds the decoding limits"),
    ] {
        let out = scan(&[path]);
        assert_clean_failure(&out, message);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{err}");
    }
    let out = scan(&[&d.join("does-not-exist.jpg")]);
    assert_clean_failure(&out, "missing file");
    // A bad back fails the whole scan too.
    let good = d.join("good.png");
    img.save(&good).unwrap();
    assert_clean_failure(&scan(&[&good, &bomb_path]), "bad back");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn reads_a_rendered_passport_into_the_result() {
    let d = dir("passport");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let spec = SpecimenSpec::random_of(DocFormat::Td3, &mut rng);
    let specimen = render(&spec, &RenderOptions::default()).unwrap();
    let path = d.join("passport.jpg");
    specimen.mrz_side().save(&path).unwrap();
    let v = scan_json(&[&path]);
    assert_eq!(v["mrz"]["format"], "TD3");
    assert_eq!(v["mrz"]["valid"], true);
    let lines: Vec<String> = v["mrz"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines, specimen.truth.mrz_lines);
    assert_eq!(v["documents"][0]["files"][0]["kind"], "front");
    assert_eq!(v["status"], "done");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_two_page_front_gives_front_and_back() {
    let d = dir("two-pages");
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let spec = SpecimenSpec::random_of(DocFormat::Td1, &mut rng);
    let specimen = render(&spec, &RenderOptions::default()).unwrap();
    let front = image::DynamicImage::ImageRgb8(specimen.front.clone());
    let back = image::DynamicImage::ImageRgb8(specimen.back.clone().unwrap());
    let jpeg =
        |img: &image::DynamicImage| idverify_testkit::encode_jpeg(&img.to_rgb8(), 92).unwrap();
    for (name, bytes, media_type) in [
        (
            "card.tif",
            idverify_testkit::tiff_pages(&[front.clone(), back.clone()]).unwrap(),
            "image/tiff",
        ),
        (
            "card.pdf",
            idverify_testkit::pdf_of_jpegs(&[jpeg(&front), jpeg(&back)]).unwrap(),
            "application/pdf",
        ),
    ] {
        let path = d.join(name);
        std::fs::write(&path, bytes).unwrap();
        let v = scan_json(&[&path]);
        // The TD1 MRZ is on the back: read from the file's second page.
        assert_eq!(v["mrz"]["format"], "TD1", "{name}");
        let lines: Vec<&str> = v["mrz"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(lines, specimen.truth.mrz_lines, "{name}");
        let files = &v["documents"][0]["files"];
        assert_eq!(files[0]["kind"], "front");
        assert_eq!(files[1]["kind"], "back");
        assert_eq!(files[1]["uri"], format!("{name}#page=2"));
        assert_eq!(files[0]["mediaType"], media_type);
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_printed_zone_is_read_and_compared_with_the_mrz() {
    let d = dir("printed");
    let today = idverify_testkit::Date::new(2026, 1, 1).unwrap();
    let spec =
        SpecimenSpec::random_valid_on(DocFormat::Td3, today, &mut ChaCha8Rng::seed_from_u64(11));
    let specimen = render(&spec, &RenderOptions { dpi: 150.0 }).unwrap();
    let path = d.join("passport.png");
    specimen.front.save(&path).unwrap();
    let v = scan_json(&[&path]);
    let rows = v["documentDataChecking"].as_array().unwrap();
    let categories: Vec<&str> = rows
        .iter()
        .map(|r| r["category"].as_str().unwrap())
        .collect();
    for want in ["Document number", "Date of birth", "Date of expiry"] {
        assert!(categories.contains(&want), "{want} not in {categories:?}");
    }
    assert!(
        rows.iter().all(|r| r["equal"] == true),
        "a clean specimen's printed zone disagrees with its MRZ: {rows:?}"
    );
    let concerns = v["results"]["concerns"].as_array().unwrap();
    assert!(
        !concerns.iter().any(|c| c["id"] == "DC032"),
        "no printed field compared: {concerns:?}"
    );
    assert_eq!(
        v["attributes"]["originalLastName"],
        specimen.truth.printed[&idverify_testkit::Field::Surname].as_str()
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn missing_ocr_models_are_one_line_naming_the_setup_script() {
    let d = dir("nomodels");
    let img = d.join("blank.png");
    image::GrayImage::from_pixel(64, 64, image::Luma([200]))
        .save(&img)
        .unwrap();
    let out = scan_with_models(&[&img], &d.join("absent"));
    assert_clean_failure(&out, "missing models");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("scripts/setup-ocr-models"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn an_image_without_mrz_is_a_result_not_an_error() {
    let d = dir("blank");
    let path = d.join("blank.png");
    // Sharp (a checkerboard of 8-pixel squares, so not "too blurred") but without any text.
    image::GrayImage::from_fn(640, 400, |x, y| {
        image::Luma([if (x / 8 + y / 8) % 2 == 0 { 40 } else { 235 }])
    })
    .save(&path)
    .unwrap();
    let v = scan_json(&[&path]);
    assert!(v.get("mrz").is_none());
    let concerns = v["results"]["concerns"].as_array().unwrap();
    assert!(concerns.iter().any(|c| c["id"] == "DC001"), "{concerns:?}");
    let _ = std::fs::remove_dir_all(&d);
}
