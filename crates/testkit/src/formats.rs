//! Fixture files in the formats people upload, made from rendered specimens: multi-page TIFF
//! (the `tiff` crate), HEIC (Debian's `heif-enc`, an encoder independent of the reader under
//! test), PDF scans written by hand (a JPEG on each page at 300 dpi, as scanners write them),
//! and hostile files: a PDF bomb, a PDF of many pages, a PDF with JavaScript, a TIFF and a
//! HEIC claiming enormous sizes.

use std::io::{Cursor, Write};
use std::process::Command;

use image::{DynamicImage, ImageDecoder};

/// A TIFF with one LZW-compressed 8-bit RGB page per image (a scanner's multi-page TIFF).
///
/// ```
/// let page = image::DynamicImage::new_rgb8(20, 10);
/// let tiff = idverify_testkit::tiff_pages(&[page.clone(), page]).unwrap();
/// assert_eq!(&tiff[..4], b"II*\0");
/// ```
pub fn tiff_pages(pages: &[DynamicImage]) -> anyhow::Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let mut encoder = tiff::encoder::TiffEncoder::new(&mut out)?
        .with_compression(tiff::encoder::Compression::Lzw);
    for page in pages {
        let rgb = page.to_rgb8();
        encoder.write_image::<tiff::encoder::colortype::RGB8>(
            rgb.width(),
            rgb.height(),
            rgb.as_raw(),
        )?;
    }
    Ok(out.into_inner())
}

/// A classic TIFF whose only directory claims `width` × `height` 8-bit grey pixels, backed by
/// one byte: intake must refuse it from its header.
///
/// ```
/// let t = idverify_testkit::tiff_claiming(100_000, 100_000);
/// assert!(t.len() < 200);
/// ```
pub fn tiff_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"II*\0\x08\0\0\0".to_vec();
    let entries: [(u16, u16, u32); 8] = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, 8 + 2 + 8 * 12 + 4),
        (278, 4, height),
        (279, 4, 1),
    ];
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if kind == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&[0; 4]);
    out.push(0x80);
    out
}

/// `png` converted to HEIC by Debian's `heif-enc` (package libheif-examples) at quality 90.
pub fn heic_from_png(png: &[u8]) -> anyhow::Result<Vec<u8>> {
    let dir = std::env::temp_dir().join(format!(
        "idverify-heic-{}-{:x}",
        std::process::id(),
        fnv(png)
    ));
    std::fs::create_dir_all(&dir)?;
    let input = dir.join("in.png");
    let output = dir.join("out.heic");
    std::fs::write(&input, png)?;
    let status = Command::new("heif-enc")
        .arg("-q")
        .arg("90")
        .arg("-o")
        .arg(&output)
        .arg(&input)
        .output()
        .map_err(|e| anyhow::anyhow!("heif-enc (Debian package libheif-examples): {e}"))?;
    anyhow::ensure!(
        status.status.success(),
        "heif-enc failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let heic = std::fs::read(&output)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(heic)
}

/// A copy of a HEIC file whose every image-size box (`ispe`) claims `width` × `height`:
/// the primary image (and, in a grid file, the grid) announces an enormous picture.
pub fn heic_claiming(heic: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = heic.to_vec();
    let mut at = 0;
    while let Some(pos) = out
        .get(at..)
        .and_then(|rest| rest.windows(4).position(|w| w == b"ispe"))
    {
        // "ispe", version and flags (4 bytes), width, height.
        let start = at + pos + 8;
        if let Some(field) = out.get_mut(start..start + 8) {
            let claim = width.to_be_bytes().into_iter().chain(height.to_be_bytes());
            for (dst, src) in field.iter_mut().zip(claim) {
                *dst = src;
            }
        }
        at = start;
    }
    out
}

/// A PDF with one page per JPEG, each image filling its page at 300 dpi (the way scanners and
/// "scan to PDF" apps write). Grey JPEGs are declared `DeviceGray`, colour ones `DeviceRGB`.
///
/// ```
/// let jpeg = idverify_testkit::encode_jpeg(&image::RgbImage::new(30, 20), 90).unwrap();
/// let pdf = idverify_testkit::pdf_of_jpegs(&[jpeg]).unwrap();
/// assert!(pdf.starts_with(b"%PDF-1.4"));
/// ```
pub fn pdf_of_jpegs(jpegs: &[Vec<u8>]) -> anyhow::Result<Vec<u8>> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..jpegs.len())
        .map(|i| format!("{} 0 R", 3 + 3 * i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            jpegs.len()
        )
        .into_bytes(),
    );
    for (i, jpeg) in jpegs.iter().enumerate() {
        let decoder = image::codecs::jpeg::JpegDecoder::new(Cursor::new(jpeg))?;
        let (w, h) = decoder.dimensions();
        let space = match decoder.color_type().channel_count() {
            1 => "DeviceGray",
            _ => "DeviceRGB",
        };
        let (pw, ph) = (w as f32 * 72.0 / 300.0, h as f32 * 72.0 / 300.0);
        let image_id = 4 + 3 * i;
        let content_id = 5 + 3 * i;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
            )
            .into_bytes(),
        );
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /{space} /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        image.extend_from_slice(jpeg);
        image.extend_from_slice(b"\nendstream");
        objects.push(image);
        objects.push(stream(
            "",
            format!("q {pw:.2} 0 0 {ph:.2} 0 0 cm /Im0 Do Q").as_bytes(),
        ));
    }
    Ok(pdf_file(&objects))
}

/// A PDF of `pages` empty A4 pages.
pub fn pdf_blank_pages(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 3 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} /MediaBox [0 0 595 842] >>",
            kids.join(" ")
        )
        .into_bytes(),
    ];
    objects.extend((0..pages).map(|_| b"<< /Type /Page /Parent 2 0 R >>".to_vec()));
    pdf_file(&objects)
}

/// A one-page PDF whose content stream is `inflated` zero bytes deflated (about a
/// thousandth of that in the file): a decompression bomb.
pub fn pdf_flate_bomb(inflated: usize) -> anyhow::Result<Vec<u8>> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(zeros.len());
        z.write_all(zeros.get(..n).unwrap_or(&[]))?;
        left -= n;
    }
    let data = z.finish()?;
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", &data),
    ];
    Ok(pdf_file(&objects))
}

/// A one-page PDF that runs JavaScript when opened.
pub fn pdf_with_javascript() -> Vec<u8> {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"
            .to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
    ];
    pdf_file(&objects)
}

/// A stream object: `extra` dictionary entries, the length, the data.
fn stream(extra: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {extra} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A PDF file of `objects` (numbered from 1, the first the catalog) with its cross-reference
/// table.
fn pdf_file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(object);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// FNV-1a of the bytes, to name temporary files.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
