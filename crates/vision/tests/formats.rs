//! The intake on the formats people upload, made here from rendered specimens: every format
//! reads the same MRZ as the PNG; two-page TIFF and PDF give front and back; hostile and
//! truncated files of each format are refused with their error, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // a panic is a failed test

use std::io::Cursor;

use idverify_mrz::Date;
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{ChaCha8Rng, DocFormat, RenderOptions, SpecimenSpec, render};
use idverify_vision::{Format, IntakeError, IntakeLimits, Models, decode_pages, read_mrz};
use image::{DynamicImage, ImageFormat};

fn today() -> Date {
    Date::new(2026, 1, 1).unwrap()
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn jpeg(img: &DynamicImage) -> Vec<u8> {
    idverify_testkit::encode_jpeg(&img.to_rgb8(), 92).unwrap()
}

fn specimen(format: DocFormat, seed: u64) -> idverify_testkit::Specimen {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    render(
        &SpecimenSpec::random_of(format, &mut rng),
        &RenderOptions::default(),
    )
    .unwrap()
}

/// The file in every format the intake reads, from one rendered page.
fn every_format(img: &DynamicImage) -> Vec<(Format, Vec<u8>)> {
    let png = encode(img, ImageFormat::Png);
    vec![
        (Format::Jpeg, jpeg(img)),
        (Format::WebP, encode(img, ImageFormat::WebP)),
        (Format::Bmp, encode(img, ImageFormat::Bmp)),
        (
            Format::Tiff,
            idverify_testkit::tiff_pages(std::slice::from_ref(img)).unwrap(),
        ),
        (Format::Heif, idverify_testkit::heic_from_png(&png).unwrap()),
        (
            Format::Pdf,
            idverify_testkit::pdf_of_jpegs(&[jpeg(img)]).unwrap(),
        ),
        (Format::Png, png),
    ]
}

#[test]
fn every_format_reads_the_same_mrz_as_the_png() {
    let models = Models::embedded().unwrap();
    let s = specimen(DocFormat::Td3, 16);
    let page = DynamicImage::ImageRgb8(s.mrz_side().clone());
    for (format, bytes) in every_format(&page) {
        let d = decode_pages(&bytes, &IntakeLimits::default()).unwrap();
        assert_eq!(d.format, format);
        assert_eq!((d.page_count, d.pages.len()), (1, 1));
        let img = d.first().unwrap();
        assert_eq!(
            (img.width(), img.height()),
            (page.width(), page.height()),
            "{format:?}"
        );
        let text = read_mrz(img, &models, today()).text.expect("an MRZ");
        assert_eq!(text.lines, s.truth.mrz_lines, "{format:?}");
    }
}

#[test]
fn two_page_tiff_and_pdf_give_front_and_back() {
    let models = Models::embedded().unwrap();
    let s = specimen(DocFormat::Td1, 116);
    let front = DynamicImage::ImageRgb8(s.front.clone());
    let back = DynamicImage::ImageRgb8(s.back.clone().unwrap());
    for bytes in [
        idverify_testkit::tiff_pages(&[front.clone(), back.clone()]).unwrap(),
        idverify_testkit::pdf_of_jpegs(&[jpeg(&front), jpeg(&back)]).unwrap(),
    ] {
        let d = decode_pages(&bytes, &IntakeLimits::default()).unwrap();
        assert_eq!((d.page_count, d.pages.len()), (2, 2));
        // The TD1 MRZ is on the back: read from the second page, not the first.
        assert!(
            read_mrz(d.first().unwrap(), &models, today())
                .text
                .is_none()
        );
        let text = read_mrz(d.second().unwrap(), &models, today())
            .text
            .expect("the back's MRZ");
        assert_eq!(text.lines, s.truth.mrz_lines, "{:?}", d.format);
    }
}

#[test]
fn hostile_files_are_refused_from_their_headers() {
    let limits = IntakeLimits::default();
    let err = |bytes: &[u8]| decode_pages(bytes, &limits).unwrap_err();
    // A TIFF claiming 100,000 x 100,000 pixels.
    let e = err(&idverify_testkit::tiff_claiming(100_000, 100_000));
    assert!(matches!(e, IntakeError::Dimensions { .. }), "{e}");
    assert!(e.to_string().contains("100000x100000"), "{e}");
    // A HEIC whose image (and grid, when there is one) claims 100,000 x 100,000 pixels.
    let small = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        64,
        64,
        image::Rgb([9, 99, 199]),
    ));
    let heic = idverify_testkit::heic_from_png(&encode(&small, ImageFormat::Png)).unwrap();
    let e = err(&idverify_testkit::heic_claiming(&heic, 100_000, 100_000));
    assert!(
        matches!(e, IntakeError::Dimensions { .. } | IntakeError::Limits(_)),
        "{e}"
    );
    // A PDF of 500 pages.
    let e = err(&idverify_testkit::pdf_blank_pages(500));
    assert_eq!(e, IntakeError::TooManyPages { pages: 500, max: 4 });
    // A PDF bomb: 512 MiB of content stream in half a megabyte.
    let bomb = idverify_testkit::pdf_flate_bomb(512 << 20).unwrap();
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let e = err(&bomb);
    assert!(matches!(e, IntakeError::Limits(_)), "{e}");
    // Active content.
    let e = err(&idverify_testkit::pdf_with_javascript());
    assert!(matches!(e, IntakeError::ActiveContent(_)), "{e}");
    // Many pages are fine up to the limit: four blank pages are read (two of them).
    let d = decode_pages(&idverify_testkit::pdf_blank_pages(4), &limits).unwrap();
    assert_eq!((d.page_count, d.pages.len()), (4, 2));
}

#[test]
fn truncated_files_of_each_format_are_refused() {
    let s = specimen(DocFormat::Td3, 17);
    let page = DynamicImage::ImageRgb8(s.mrz_side().clone());
    for (format, bytes) in every_format(&page) {
        // Cut before the image data (a JPEG cut inside its scan data is decoded leniently, as
        // browsers do: phone photos often lack their last bytes).
        let cut = match format {
            Format::Jpeg => bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap(),
            _ => bytes.len() / 2,
        };
        let e = decode_pages(&bytes[..cut], &IntakeLimits::default()).unwrap_err();
        assert!(
            matches!(e, IntakeError::Decode(_)),
            "{format:?} cut at {cut}: {e}"
        );
    }
}
