//! Issue 16: uploads in every format the intake reads are accepted with their media type;
//! hostile and truncated files of each format get a 400 with a clear message and nothing is
//! stored (a submit afterwards still has no front).

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

use crate::support::{Db, spawn_app};

fn page() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(240, 160, |x, y| {
        Rgb([(x * 3) as u8, (y * 5) as u8, ((x + y) % 256) as u8])
    }))
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

/// (media type, file) for every accepted format.
fn every_format() -> Vec<(&'static str, Vec<u8>)> {
    let img = page();
    let png = encode(&img, ImageFormat::Png);
    let jpeg = idverify_testkit::encode_jpeg(&img.to_rgb8(), 90).unwrap();
    vec![
        ("image/jpeg", jpeg.clone()),
        ("image/webp", encode(&img, ImageFormat::WebP)),
        ("image/bmp", encode(&img, ImageFormat::Bmp)),
        (
            "image/tiff",
            idverify_testkit::tiff_pages(&[img.clone(), img.clone()]).unwrap(),
        ),
        ("image/heic", idverify_testkit::heic_from_png(&png).unwrap()),
        (
            "application/pdf",
            idverify_testkit::pdf_of_jpegs(&[jpeg]).unwrap(),
        ),
        ("image/png", png),
    ]
}

async fn every_format_is_accepted_and_hostile_files_are_refused(db: Db) {
    let Some(app) = spawn_app(db).await else {
        return;
    };
    let c = app.create(json!({})).await;
    let bad = |r: reqwest::Response| async move {
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        (
            status,
            body["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let files = every_format();
    // Hostile files first: each refused, none stored.
    let small_heic = files
        .iter()
        .find(|(t, _)| *t == "image/heic")
        .map(|(_, b)| b.clone())
        .unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "TIFF claiming 100000x100000",
            idverify_testkit::tiff_claiming(100_000, 100_000),
            "The image is too large: 100000x100000 pixels",
        ),
        (
            "HEIC claiming 100000x100000",
            idverify_testkit::heic_claiming(&small_heic, 100_000, 100_000),
            "The image",
        ),
        (
            "PDF of 500 pages",
            idverify_testkit::pdf_blank_pages(500),
            "The file has 500 pages, at most 4 are accepted",
        ),
        (
            "PDF bomb",
            idverify_testkit::pdf_flate_bomb(512 << 20).unwrap(),
            "The image exceeds the decoding limits: the PDF's compressed streams inflate",
        ),
        (
            "PDF with JavaScript",
            idverify_testkit::pdf_with_javascript(),
            "The PDF contains active content",
        ),
    ];
    for (what, bytes, message) in cases {
        let (s, m) = bad(app.upload(&c, "front", bytes).await).await;
        assert_eq!(s, 400, "{what}: {m}");
        assert!(m.starts_with(message), "{what}: {m}");
    }
    for (media_type, bytes) in &files {
        let cut = if *media_type == "image/jpeg" {
            bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap()
        } else {
            bytes.len() / 2
        };
        let (s, m) = bad(app.upload(&c, "front", bytes[..cut].to_vec()).await).await;
        assert_eq!(s, 400, "truncated {media_type}: {m}");
        assert!(
            m.starts_with("The image could not be decoded"),
            "truncated {media_type}: {m}"
        );
    }
    let (s, m) = bad(app.submit(&c).await).await;
    assert_eq!(
        (s, m.as_str()),
        (400, "A front image is required before submit"),
        "a refused upload stored nothing"
    );
    // Every format is accepted, stored with the media type read from its bytes (the name the
    // client gave, upload.bin, plays no part).
    for (media_type, bytes) in files {
        let n = bytes.len();
        let r = app.upload(&c, "front", bytes).await;
        assert_eq!(r.status(), 202, "{media_type}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body,
            json!({"kind": "front", "mediaType": media_type, "bytes": n})
        );
    }
    app.shutdown().await;
}

both_dbs!(every_format_is_accepted_and_hostile_files_are_refused);
