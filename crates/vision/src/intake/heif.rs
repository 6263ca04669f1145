//! HEIC/HEIF through libheif (built from the `libheif-sys` crate's sources, see docs/models.md
//! "Native libraries"): the primary image, bounded by libheif's security limits (pixels,
//! tiles of a grid, items, memory) and by the announced size before anything is decoded.
//! libheif applies the container's rotation and mirroring (`irot`, `imir`) while decoding;
//! those, not an EXIF tag, are what HEIF defines as the orientation.

use image::{DynamicImage, RgbImage};
use libheif_rs::{ColorSpace, HeifContext, HeifError, LibHeif, RgbChroma, SecurityLimits};

use super::{IntakeError, IntakeLimits, check_announced};

/// Most tiles a grid image may have: a 48-megapixel phone photo is 192 tiles of 512×512.
const MAX_TILES: u64 = 1_024;
/// Most items (images, thumbnails, metadata) a file may declare.
const MAX_ITEMS: u32 = 2_000;

/// Decodes the primary image of a HEIF file, upright, as 8-bit RGB.
pub(super) fn decode(bytes: &[u8], limits: &IntakeLimits) -> Result<DynamicImage, IntakeError> {
    let lib = LibHeif::new();
    let mut ctx = HeifContext::new().map_err(map_error)?;
    let mut security = SecurityLimits::new();
    security.set_max_image_size_pixels(limits.max_pixels);
    security.set_max_number_of_tiles(MAX_TILES);
    security.set_max_items(MAX_ITEMS);
    security.set_max_total_memory(limits.max_alloc);
    security.set_max_memory_block_size(limits.max_alloc);
    ctx.set_security_limits(&security).map_err(map_error)?;
    ctx.read_bytes(bytes).map_err(map_error)?;
    let handle = ctx.primary_image_handle().map_err(map_error)?;
    check_announced(
        handle.width().into(),
        handle.height().into(),
        bytes.len(),
        limits,
    )?;
    // The coded size (before rotation) is what gets allocated; it may differ from the
    // displayed one.
    let (coded_w, coded_h) = (handle.ispe_width(), handle.ispe_height());
    if coded_w > 0 && coded_h > 0 {
        check_announced(
            u64::try_from(coded_w).unwrap_or(u64::MAX),
            u64::try_from(coded_h).unwrap_or(u64::MAX),
            bytes.len(),
            limits,
        )?;
    }
    let image = lib
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(map_error)?;
    let plane = image
        .planes()
        .interleaved
        .ok_or_else(|| IntakeError::Decode("libheif gave no interleaved RGB plane".into()))?;
    let (w, h) = (plane.width, plane.height);
    let row = usize::try_from(w).unwrap_or(usize::MAX).saturating_mul(3);
    let mut pixels = Vec::with_capacity(row.saturating_mul(usize::try_from(h).unwrap_or(0)));
    for y in 0..usize::try_from(h).unwrap_or(0) {
        let start = y.saturating_mul(plane.stride);
        let line = plane
            .data
            .get(start..start.saturating_add(row))
            .ok_or_else(|| IntakeError::Decode("libheif gave a short image plane".into()))?;
        pixels.extend_from_slice(line);
    }
    RgbImage::from_raw(w, h, pixels)
        .map(DynamicImage::ImageRgb8)
        .ok_or_else(|| IntakeError::Decode("libheif gave a short image plane".into()))
}

fn map_error(e: HeifError) -> IntakeError {
    use libheif_rs::{HeifErrorCode, HeifErrorSubCode};
    let detail = if e.message.is_empty() {
        format!("{:?}", e.sub_code)
    } else {
        e.message.clone()
    };
    if matches!(e.sub_code, HeifErrorSubCode::SecurityLimitExceeded)
        || matches!(e.code, HeifErrorCode::MemoryAllocationError)
    {
        IntakeError::Limits(format!("HEIC: {detail}"))
    } else {
        IntakeError::Decode(format!("HEIC: {detail}"))
    }
}
