//! Bounded image intake, the one door every untrusted picture goes through (uploads, `idverify
//! scan`, selfies): format recognised from the bytes, limits checked before decoding, then
//! decoding with the file's orientation applied.
//!
//! Accepted: JPEG, PNG, WebP, BMP, TIFF (each page a side), HEIC/HEIF (libheif) and PDF
//! (hayro, rendered at 300 dpi). The name or declared type of a file is never consulted.
//!
//! The same bounds hold for every format, in this order: the byte count; the format; the page
//! count; the width, height and pixel count that the header announces; the pixels announced per
//! byte of file (a decompression bomb announces many); then the decoder's own allocation limit
//! (`image::Limits`, libheif's security limits, a cap on the bytes a PDF's streams inflate to).

mod heif;
mod pdf;
mod tiff;

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The bounds applied to an untrusted image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntakeLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Largest accepted width, in pixels.
    pub max_width: u32,
    /// Largest accepted height, in pixels.
    pub max_height: u32,
    /// Largest accepted width × height of one page.
    pub max_pixels: u64,
    /// Largest allocation the decoder may make, in bytes.
    pub max_alloc: u64,
    /// Most pages a multi-page file (TIFF, PDF) may have; at most the first two are read.
    pub max_pages: usize,
    /// Most pixels the header may announce per byte of file. Deflate packs at most about
    /// 1,000 bytes into one and bilevel fax coding a few thousand pixels into one; a file that
    /// announces more is a bomb, not a document.
    pub max_pixels_per_byte: u64,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            max_bytes: 25 * 1024 * 1024,
            max_width: 12_000,
            max_height: 12_000,
            max_pixels: 50_000_000,
            max_alloc: 256 * 1024 * 1024,
            max_pages: 4,
            max_pixels_per_byte: 4_096,
        }
    }
}

/// The file formats the intake reads, recognised from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// JPEG (JFIF, Exif).
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    WebP,
    /// Windows bitmap.
    Bmp,
    /// TIFF (classic or BigTIFF), one or more pages.
    Tiff,
    /// HEIC/HEIF (an ISO-BMFF container with HEVC or AV1 images).
    Heif,
    /// PDF, one or more pages.
    Pdf,
}

impl Format {
    /// Recognises the format from the first bytes of a file, `None` for anything else.
    ///
    /// ```
    /// use idverify_vision::intake::Format;
    /// assert_eq!(Format::sniff(b"%PDF-1.7\n"), Some(Format::Pdf));
    /// assert_eq!(Format::sniff(b"II*\0\x08\0\0\0"), Some(Format::Tiff));
    /// assert_eq!(Format::sniff(b"hello"), None);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if is_heif_family(bytes) {
            return Some(Format::Heif);
        }
        // PDF readers accept the header within the first kilobyte (after junk such as a mail
        // header); so does the intake.
        let head = bytes.get(..bytes.len().min(1024)).unwrap_or(bytes);
        if head.windows(5).any(|w| w == b"%PDF-") {
            return Some(Format::Pdf);
        }
        match image::guess_format(bytes).ok()? {
            ImageFormat::Jpeg => Some(Format::Jpeg),
            ImageFormat::Png => Some(Format::Png),
            ImageFormat::WebP => Some(Format::WebP),
            ImageFormat::Bmp => Some(Format::Bmp),
            ImageFormat::Tiff => Some(Format::Tiff),
            _ => None,
        }
    }

    /// The media type the file is stored and served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Bmp => "image/bmp",
            Format::Tiff => "image/tiff",
            Format::Heif => "image/heic",
            Format::Pdf => "application/pdf",
        }
    }
}

/// Why an image was refused. The messages are shown to people (HTTP 400 bodies, CLI errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// No bytes at all.
    #[error("The file is empty")]
    Empty,
    /// More bytes than `max_bytes`.
    #[error("The file is too large: {size} bytes, the limit is {limit} bytes")]
    TooLarge {
        /// Size of the input (or at least this many bytes).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// None of the accepted formats.
    #[error("The file is not a JPEG, PNG, WebP, HEIC, TIFF, BMP or PDF file")]
    UnsupportedFormat,
    /// More pages than `max_pages`.
    #[error(
        "The file has {pages} pages, at most {max} are accepted (the document's front and back)"
    )]
    TooManyPages {
        /// Pages counted (counting stops a little past the limit).
        pages: usize,
        /// The limit.
        max: usize,
    },
    /// The header announces more pixels than accepted.
    #[error(
        "The image is too large: {width}x{height} pixels, the limit is {max_pixels} pixels and {max_side} per side"
    )]
    Dimensions {
        /// Announced width.
        width: u64,
        /// Announced height.
        height: u64,
        /// Pixel limit.
        max_pixels: u64,
        /// Side limit.
        max_side: u32,
    },
    /// The header announces far more pixels than the file's bytes can hold.
    #[error(
        "The file announces {pixels} pixels in {bytes} bytes, more than {max_per_byte} per byte: refused as a decompression bomb"
    )]
    Bomb {
        /// Pixels announced.
        pixels: u64,
        /// Size of the file.
        bytes: usize,
        /// The limit per byte.
        max_per_byte: u64,
    },
    /// A PDF with scripts, actions, launches or attached files.
    #[error("The PDF contains active content ({0}); send a plain scan")]
    ActiveContent(String),
    /// A PDF protected by a password or encryption.
    #[error("The PDF is encrypted; send an unprotected scan")]
    Encrypted,
    /// The decoder refused by the limits (dimensions, allocation, inflated size, tiles).
    #[error("The image exceeds the decoding limits: {0}")]
    Limits(String),
    /// Corrupt or truncated data.
    #[error("The image could not be decoded: {0}")]
    Decode(String),
}

/// A file that passed intake: its format and its pages (one or two) decoded and upright.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The format recognised from the bytes.
    pub format: Format,
    /// How many pages the file has (1 for single-image formats).
    pub page_count: usize,
    /// The first page, and the second when the file has one (the back of a two-page scan).
    pub pages: Vec<DynamicImage>,
}

impl Decoded {
    /// The first page.
    pub fn first(&self) -> Option<&DynamicImage> {
        self.pages.first()
    }

    /// The second page, when the file has one.
    pub fn second(&self) -> Option<&DynamicImage> {
        self.pages.get(1)
    }
}

/// Whether the bytes are an ISO-BMFF container of the HEIF family (HEIC, HEIF, AVIF).
pub fn is_heif_family(bytes: &[u8]) -> bool {
    let Some(tag) = bytes.get(4..8) else {
        return false;
    };
    if tag != b"ftyp" {
        return false;
    }
    let Some(brand) = bytes.get(8..12) else {
        return true;
    };
    const BRANDS: [&[u8; 4]; 10] = [
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
    ];
    BRANDS.iter().any(|b| *b == brand) || brand.starts_with(b"he")
}

/// Decodes an untrusted image within `limits`, upright; for a multi-page file, its first page.
///
/// ```
/// use idverify_vision::{IntakeError, IntakeLimits, decode_image};
/// let err = decode_image(b"hello", &IntakeLimits::default()).unwrap_err();
/// assert_eq!(err, IntakeError::UnsupportedFormat);
/// ```
pub fn decode_image(bytes: &[u8], limits: &IntakeLimits) -> Result<DynamicImage, IntakeError> {
    let mut decoded = decode_pages(bytes, limits)?;
    if decoded.pages.is_empty() {
        return Err(IntakeError::Decode("the file has no pages".into()));
    }
    Ok(decoded.pages.swap_remove(0))
}

/// Decodes an untrusted file within `limits`: its first page, and its second when it has one
/// (a two-page TIFF or PDF scan holds the front and the back of a document).
pub fn decode_pages(bytes: &[u8], limits: &IntakeLimits) -> Result<Decoded, IntakeError> {
    if bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(IntakeError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let format = Format::sniff(bytes).ok_or(IntakeError::UnsupportedFormat)?;
    let (page_count, pages) = match format {
        Format::Heif => (1, vec![heif::decode(bytes, limits)?]),
        Format::Pdf => pdf::decode(bytes, limits)?,
        Format::Tiff => tiff::decode(bytes, limits)?,
        Format::Jpeg | Format::Png | Format::WebP | Format::Bmp => {
            (1, vec![decode_raster(bytes, format, limits)?])
        }
    };
    Ok(Decoded {
        format,
        page_count,
        pages,
    })
}

/// The check every format makes on the width and height its header announces, before
/// decoding.
pub(crate) fn check_dimensions(
    width: u64,
    height: u64,
    limits: &IntakeLimits,
) -> Result<(), IntakeError> {
    if width > u64::from(limits.max_width)
        || height > u64::from(limits.max_height)
        || width.saturating_mul(height) > limits.max_pixels
    {
        return Err(IntakeError::Dimensions {
            width,
            height,
            max_pixels: limits.max_pixels,
            max_side: limits.max_width.max(limits.max_height),
        });
    }
    if width == 0 || height == 0 {
        return Err(IntakeError::Decode("the image has no pixels".into()));
    }
    Ok(())
}

/// [`check_dimensions`], then the pixels announced per byte of a raster file (a PDF page's
/// pixels come from its size in points, not from compressed data, so PDF checks only the size).
pub(crate) fn check_announced(
    width: u64,
    height: u64,
    file_bytes: usize,
    limits: &IntakeLimits,
) -> Result<(), IntakeError> {
    check_dimensions(width, height, limits)?;
    let pixels = width.saturating_mul(height);
    let bytes = u64::try_from(file_bytes).unwrap_or(u64::MAX).max(1);
    if pixels / bytes > limits.max_pixels_per_byte {
        return Err(IntakeError::Bomb {
            pixels,
            bytes: file_bytes,
            max_per_byte: limits.max_pixels_per_byte,
        });
    }
    Ok(())
}

/// The `image` crate's limits for `limits`.
fn image_limits(limits: &IntakeLimits) -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_width);
    l.max_image_height = Some(limits.max_height);
    l.max_alloc = Some(limits.max_alloc);
    l
}

/// Decodes one image of a format the `image` crate reads (the first page of a TIFF), with
/// its EXIF or TIFF orientation applied.
fn decode_raster(
    bytes: &[u8],
    format: Format,
    limits: &IntakeLimits,
) -> Result<DynamicImage, IntakeError> {
    let image_format = match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::WebP => ImageFormat::WebP,
        Format::Bmp => ImageFormat::Bmp,
        Format::Tiff => ImageFormat::Tiff,
        Format::Heif | Format::Pdf => return Err(IntakeError::UnsupportedFormat),
    };
    if format == Format::Jpeg && !jpeg_has_scan(bytes) {
        return Err(IntakeError::Decode(
            "the JPEG file is truncated (no image data)".into(),
        ));
    }
    // The header is read under the allocation limit only, so that a size over the limits is
    // reported with its figures; the width and height limits apply to the decoding.
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(header_limits);
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;
    let (width, height) = decoder.dimensions();
    check_announced(width.into(), height.into(), bytes.len(), limits)?;
    decoder
        .set_limits(image_limits(limits))
        .map_err(map_image_error)?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(map_image_error)?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// Whether a JPEG stream reaches its image data (a start-of-scan marker). A file cut inside
/// its scan data is decoded leniently, as browsers do (real photos often lack their last
/// bytes); one cut before it is refused.
fn jpeg_has_scan(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == [0xFF, 0xDA])
}

fn map_image_error(e: image::ImageError) -> IntakeError {
    match e {
        image::ImageError::Limits(l) => IntakeError::Limits(l.to_string()),
        image::ImageError::Unsupported(u) => IntakeError::Decode(u.to_string()),
        other => IntakeError::Decode(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let img = image::GrayImage::from_pixel(w, h, image::Luma([200]));
        encode(&DynamicImage::ImageLuma8(img), ImageFormat::Png)
    }

    fn pattern(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }))
    }

    fn jpeg_bytes(w: u32, h: u32) -> Vec<u8> {
        encode(&pattern(w, h), ImageFormat::Jpeg)
    }

    #[test]
    fn decodes_png_jpeg_bmp_and_tiff() {
        let img = decode_image(&png_bytes(40, 30), &IntakeLimits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
        let img = decode_image(&jpeg_bytes(64, 48), &IntakeLimits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (64, 48));
        for format in [ImageFormat::Bmp, ImageFormat::Tiff] {
            let bytes = encode(&pattern(64, 48), format);
            let d = decode_pages(&bytes, &IntakeLimits::default()).unwrap();
            assert_eq!(d.pages.len(), 1);
            assert_eq!(d.first().unwrap().to_rgb8(), pattern(64, 48).to_rgb8());
        }
    }

    #[test]
    fn sniffs_from_bytes_only() {
        assert_eq!(Format::sniff(&png_bytes(2, 2)), Some(Format::Png));
        assert_eq!(Format::sniff(&jpeg_bytes(8, 8)), Some(Format::Jpeg));
        assert_eq!(
            Format::sniff(&encode(&pattern(4, 4), ImageFormat::Bmp)),
            Some(Format::Bmp)
        );
        assert_eq!(Format::sniff(b"MM\0*\0\0\0\x08"), Some(Format::Tiff));
        assert_eq!(
            Format::sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"),
            Some(Format::Heif)
        );
        assert_eq!(Format::sniff(b"GIF89a"), None);
    }

    #[test]
    fn refuses_empty() {
        assert_eq!(
            decode_image(&[], &IntakeLimits::default()).unwrap_err(),
            IntakeError::Empty
        );
    }

    #[test]
    fn refuses_bomb_from_header() {
        let bomb = idverify_testkit::png_claiming(20_000, 20_000);
        assert!(bomb.len() < 100);
        let err = decode_image(&bomb, &IntakeLimits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Dimensions { .. }), "{err}");
    }

    #[test]
    fn refuses_many_pixels_per_byte() {
        // Within the size limits, but 6 million pixels from 57 bytes.
        let bomb = idverify_testkit::png_claiming(3_000, 2_000);
        let err = decode_image(&bomb, &IntakeLimits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Bomb { .. }), "{err}");
    }

    #[test]
    fn refuses_allocation_over_limit() {
        // 7000×7000 fits the size limits but not 64 MiB of allocation.
        let limits = IntakeLimits {
            max_alloc: 64 * 1024 * 1024,
            max_pixels_per_byte: u64::MAX,
            ..IntakeLimits::default()
        };
        let err = decode_image(&idverify_testkit::png_claiming(7_000, 7_000), &limits).unwrap_err();
        assert!(
            matches!(err, IntakeError::Limits(_) | IntakeError::Decode(_)),
            "{err}"
        );
    }

    #[test]
    fn refuses_jpeg_cut_in_its_header() {
        let full = jpeg_bytes(200, 150);
        let sos = full.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let err = decode_image(&full[..sos], &IntakeLimits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Decode(_)), "{err}");
    }

    #[test]
    fn jpeg_cut_anywhere_never_panics() {
        let full = jpeg_bytes(120, 90);
        for cut in (0..full.len()).step_by(37) {
            // Either a clean error or a (partly grey) image of the announced size.
            if let Ok(img) = decode_image(&full[..cut], &IntakeLimits::default()) {
                assert_eq!((img.width(), img.height()), (120, 90));
            }
        }
    }

    #[test]
    fn every_format_cut_anywhere_never_panics() {
        for format in [
            ImageFormat::Png,
            ImageFormat::Bmp,
            ImageFormat::Tiff,
            ImageFormat::WebP,
        ] {
            let full = encode(&pattern(60, 40), format);
            for cut in (0..full.len()).step_by(53) {
                let _ = decode_pages(&full[..cut], &IntakeLimits::default());
            }
        }
    }

    #[test]
    fn refuses_random_bytes() {
        let mut state = 0x1234_5678u32;
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 24) as u8
            })
            .collect();
        assert!(decode_image(&bytes, &IntakeLimits::default()).is_err());
    }

    #[test]
    fn refuses_unknown_formats_with_the_list() {
        let err = decode_image(b"GIF89a\x01\0\x01\0", &IntakeLimits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The file is not a JPEG, PNG, WebP, HEIC, TIFF, BMP or PDF file"
        );
    }

    #[test]
    fn refuses_too_many_bytes() {
        let limits = IntakeLimits {
            max_bytes: 100,
            ..IntakeLimits::default()
        };
        let err = decode_image(&png_bytes(100, 100), &limits).unwrap_err();
        assert!(matches!(err, IntakeError::TooLarge { .. }));
    }
}
