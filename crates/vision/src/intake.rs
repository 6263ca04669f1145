//! Bounded image intake: byte cap, format sniffing, header-checked dimensions and allocation
//! limits, then decoding and EXIF orientation.
//!
//! Untrusted bytes are bounded before anything is decoded: the byte count first, then the
//! width, height and allocation that the header announces (`image::Limits`), so a
//! decompression bomb is refused from its header.

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
    /// Largest allocation the decoder may make, in bytes.
    pub max_alloc: u64,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            max_bytes: 25 * 1024 * 1024,
            max_width: 12_000,
            max_height: 12_000,
            max_alloc: 256 * 1024 * 1024,
        }
    }
}

/// Why an image was refused.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// No bytes at all.
    #[error("the file is empty")]
    Empty,
    /// More bytes than `max_bytes`.
    #[error("the file is too large: {size} bytes, at most {max} accepted")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// An HEIC/HEIF (or AVIF) container.
    #[error("HEIC is not supported: send JPEG, PNG or WebP")]
    Heic,
    /// Not a JPEG, PNG or WebP file.
    #[error("unsupported or unrecognised image format: send JPEG, PNG or WebP")]
    UnsupportedFormat,
    /// The header announces more pixels than accepted.
    #[error("the image is too large: {width}x{height} pixels, at most {max_width}x{max_height}")]
    Dimensions {
        /// Announced width.
        width: u32,
        /// Announced height.
        height: u32,
        /// Width limit.
        max_width: u32,
        /// Height limit.
        max_height: u32,
    },
    /// The decoder refused by the limits (dimensions or allocation).
    #[error("the image exceeds the decoding limits: {0}")]
    Limits(String),
    /// Corrupt or truncated data.
    #[error("the image could not be decoded: {0}")]
    Decode(String),
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

/// Decodes an untrusted JPEG, PNG or WebP image within `limits`, with its EXIF orientation
/// applied.
pub fn decode_image(bytes: &[u8], limits: &IntakeLimits) -> Result<DynamicImage, IntakeError> {
    if bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(IntakeError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    if is_heif_family(bytes) {
        return Err(IntakeError::Heic);
    }
    let format = image::guess_format(bytes).map_err(|_| IntakeError::UnsupportedFormat)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(IntakeError::UnsupportedFormat);
    }
    if format == ImageFormat::Jpeg && !jpeg_has_scan(bytes) {
        return Err(IntakeError::Decode(
            "the JPEG file is truncated (no image data)".into(),
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut l = Limits::default();
    l.max_image_width = Some(limits.max_width);
    l.max_image_height = Some(limits.max_height);
    l.max_alloc = Some(limits.max_alloc);
    reader.limits(l);
    let mut decoder = reader.into_decoder().map_err(map_image_error)?;
    let (width, height) = decoder.dimensions();
    if width > limits.max_width || height > limits.max_height {
        return Err(IntakeError::Dimensions {
            width,
            height,
            max_width: limits.max_width,
            max_height: limits.max_height,
        });
    }
    if width == 0 || height == 0 {
        return Err(IntakeError::Decode("the image has no pixels".into()));
    }
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

    fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let img = image::GrayImage::from_pixel(w, h, image::Luma([200]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn jpeg_bytes(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
            .unwrap();
        out
    }

    #[test]
    fn decodes_png_and_jpeg() {
        let img = decode_image(&png_bytes(40, 30), &IntakeLimits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (40, 30));
        let img = decode_image(&jpeg_bytes(64, 48), &IntakeLimits::default()).unwrap();
        assert_eq!((img.width(), img.height()), (64, 48));
    }

    #[test]
    fn refuses_empty() {
        assert!(matches!(
            decode_image(&[], &IntakeLimits::default()),
            Err(IntakeError::Empty)
        ));
    }

    #[test]
    fn refuses_bomb_from_header() {
        let bomb = idverify_testkit::png_claiming(20_000, 20_000);
        assert!(bomb.len() < 100);
        let err = decode_image(&bomb, &IntakeLimits::default()).unwrap_err();
        assert!(
            matches!(err, IntakeError::Dimensions { .. } | IntakeError::Limits(_)),
            "{err}"
        );
    }

    #[test]
    fn refuses_allocation_over_limit() {
        // 11000×11000 fits the dimension limits but not 64 MiB of allocation.
        let limits = IntakeLimits {
            max_alloc: 64 * 1024 * 1024,
            ..IntakeLimits::default()
        };
        let err =
            decode_image(&idverify_testkit::png_claiming(11_000, 11_000), &limits).unwrap_err();
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
    fn refuses_heic_with_message() {
        let mut heic = vec![0, 0, 0, 0x18];
        heic.extend_from_slice(b"ftypheic");
        heic.extend_from_slice(&[0; 12]);
        let err = decode_image(&heic, &IntakeLimits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "HEIC is not supported: send JPEG, PNG or WebP"
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
