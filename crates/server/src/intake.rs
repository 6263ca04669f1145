//! Image intake at the edge (CONTRACT §3.4): size limit, format by magic bytes (JPEG, PNG,
//! WebP; HEIC refused with advice), dimensions read from the header before any decoding, then a
//! full decode under `image::Limits` to prove the file is a real image. Kept small so the
//! vision crate's intake can replace it.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use crate::config::UploadLimits;

/// A file that passed intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedImage {
    /// `image/jpeg`, `image/png` or `image/webp`.
    pub media_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Why a file was refused; the message is shown to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IntakeError {
    /// Empty upload.
    #[error("The file is empty")]
    Empty,
    /// Over the byte limit.
    #[error("The file is too large: {size} bytes, the limit is {limit} bytes")]
    TooLarge {
        /// Size received (or at least this many).
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// HEIC/HEIF.
    #[error("HEIC/HEIF images are not supported; send JPEG")]
    Heic,
    /// Not one of the accepted formats.
    #[error("The file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    /// Too many pixels or too wide/high.
    #[error(
        "The image is too large: {width}x{height} pixels, the limit is {max_pixels} pixels and {max_dimension} per side"
    )]
    TooManyPixels {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Pixel limit.
        max_pixels: u64,
        /// Side limit.
        max_dimension: u32,
    },
    /// The header or data is corrupt.
    #[error("The image could not be decoded: {0}")]
    Corrupt(String),
}

fn sniff(bytes: &[u8]) -> Option<(ImageFormat, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some((ImageFormat::Jpeg, "image/jpeg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((ImageFormat::Png, "image/png"))
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some((ImageFormat::WebP, "image/webp"))
    } else {
        None
    }
}

fn is_heic(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp")
        && matches!(
            bytes.get(8..12),
            Some(b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"avif")
        )
}

/// Checks an uploaded file; CPU-bound (it decodes), so call it on a blocking thread.
///
/// ```
/// use idverify_server::{config::UploadLimits, intake::{check_image, IntakeError}};
/// assert_eq!(check_image(b"hello", &UploadLimits::default()), Err(IntakeError::NotAnImage));
/// ```
pub fn check_image(bytes: &[u8], limits: &UploadLimits) -> Result<AcceptedImage, IntakeError> {
    if bytes.is_empty() {
        return Err(IntakeError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(IntakeError::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if is_heic(bytes) {
        return Err(IntakeError::Heic);
    }
    let (format, media_type) = sniff(bytes).ok_or(IntakeError::NotAnImage)?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|e| IntakeError::Corrupt(e.to_string()))?;
    let too_many = u64::from(width) * u64::from(height) > limits.max_pixels
        || width > limits.max_dimension
        || height > limits.max_dimension;
    if too_many || width == 0 || height == 0 {
        return Err(IntakeError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
            max_dimension: limits.max_dimension,
        });
    }
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    // Decoded RGBA at most, plus slack for the decoder's own buffers.
    decoder_limits.max_alloc = Some(limits.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    let mut r = reader();
    r.limits(decoder_limits);
    r.decode()
        .map_err(|e| IntakeError::Corrupt(e.to_string()))?;
    Ok(AcceptedImage {
        media_type,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 10, 10]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn accepts_png_and_refuses_bad_input() {
        let l = UploadLimits::default();
        let ok = check_image(&png(20, 10), &l).unwrap();
        assert_eq!((ok.media_type, ok.width, ok.height), ("image/png", 20, 10));
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(matches!(
            check_image(&truncated, &l),
            Err(IntakeError::Corrupt(_))
        ));
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
        assert_eq!(check_image(&heic, &l), Err(IntakeError::Heic));
        let small = UploadLimits { max_bytes: 10, ..l };
        assert!(matches!(
            check_image(&png(5, 5), &small),
            Err(IntakeError::TooLarge { .. })
        ));
    }

    #[test]
    fn refuses_a_pixel_bomb_from_its_header() {
        // A PNG header claiming 20000x20000 with no data behind it.
        let bomb = idverify_testkit::png_claiming(20_000, 20_000);
        let r = check_image(&bomb, &UploadLimits::default());
        assert!(
            matches!(
                r,
                Err(IntakeError::TooManyPixels {
                    width: 20000,
                    height: 20000,
                    ..
                })
            ),
            "{r:?}"
        );
    }
}
