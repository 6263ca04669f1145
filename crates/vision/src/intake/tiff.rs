//! TIFF pages: the chain of image file directories is walked (bounded, loops refused) to count
//! the pages and find the second; each page read is decoded by the `image` crate's TIFF
//! decoder (with its orientation tag) from a copy of the file whose header points at it.

use image::DynamicImage;

use super::{Format, IntakeError, IntakeLimits, check_announced, decode_raster};

/// Decodes the first page of a TIFF and its second when it has one; returns the page count.
pub(super) fn decode(
    bytes: &[u8],
    limits: &IntakeLimits,
) -> Result<(usize, Vec<DynamicImage>), IntakeError> {
    let layout = Layout::read(bytes)?;
    let offsets = layout.ifd_offsets(bytes, limits.max_pages)?;
    if offsets.len() > limits.max_pages {
        return Err(IntakeError::TooManyPages {
            pages: offsets.len(),
            max: limits.max_pages,
        });
    }
    // The tiff decoder checks the strips against the size before the limits apply: the size
    // each page read announces is checked here first.
    for &ifd in offsets.iter().take(2) {
        let (width, height) = layout.dimensions(bytes, ifd)?;
        check_announced(width, height, bytes.len(), limits)?;
    }
    let mut pages = Vec::with_capacity(2);
    pages.push(decode_raster(bytes, Format::Tiff, limits)?);
    if let Some(&second) = offsets.get(1) {
        let copy = layout.pointing_at(bytes, second)?;
        pages.push(decode_raster(&copy, Format::Tiff, limits)?);
    }
    Ok((offsets.len(), pages))
}

/// Byte order and offset width of a TIFF file.
#[derive(Debug, Clone, Copy)]
struct Layout {
    little: bool,
    big_tiff: bool,
}

impl Layout {
    fn read(bytes: &[u8]) -> Result<Layout, IntakeError> {
        let truncated = || IntakeError::Decode("the TIFF file is truncated".into());
        let little = match bytes.get(..2).ok_or_else(truncated)? {
            b"II" => true,
            b"MM" => false,
            _ => return Err(IntakeError::Decode("not a TIFF header".into())),
        };
        let layout = Layout {
            little,
            big_tiff: false,
        };
        let big_tiff = match layout.uint(bytes, 2, 2).ok_or_else(truncated)? {
            42 => false,
            43 => true,
            _ => return Err(IntakeError::Decode("not a TIFF header".into())),
        };
        Ok(Layout { little, big_tiff })
    }

    /// An unsigned integer of `len` bytes (2, 4 or 8) at `at`, in the file's byte order.
    fn uint(self, bytes: &[u8], at: usize, len: usize) -> Option<u64> {
        let raw = bytes.get(at..at.checked_add(len)?)?;
        let fold = |acc: u64, b: &u8| (acc << 8) | u64::from(*b);
        Some(if self.little {
            raw.iter().rev().fold(0, fold)
        } else {
            raw.iter().fold(0, fold)
        })
    }

    /// Where the header stores the first directory's offset, and that offset's width.
    fn first_offset_field(self) -> (usize, usize) {
        if self.big_tiff { (8, 8) } else { (4, 4) }
    }

    /// The offsets of the file's directories, in order, at most `max_pages + 1` of them (one
    /// more than accepted, so that too many pages can be told).
    fn ifd_offsets(self, bytes: &[u8], max_pages: usize) -> Result<Vec<u64>, IntakeError> {
        let truncated = || IntakeError::Decode("the TIFF file is truncated".into());
        let (at, len) = self.first_offset_field();
        let mut next = self.uint(bytes, at, len).ok_or_else(truncated)?;
        let (count_len, entry_len, next_len) = if self.big_tiff {
            (8, 20, 8)
        } else {
            (2, 12, 4)
        };
        let mut offsets = Vec::new();
        while next != 0 && offsets.len() <= max_pages {
            if offsets.contains(&next) {
                return Err(IntakeError::Decode(
                    "the TIFF file's pages form a loop".into(),
                ));
            }
            let start = usize::try_from(next).map_err(|_| truncated())?;
            let entries = self.uint(bytes, start, count_len).ok_or_else(truncated)?;
            let after = usize::try_from(entries)
                .ok()
                .and_then(|n| n.checked_mul(entry_len))
                .and_then(|n| n.checked_add(start + count_len))
                .ok_or_else(truncated)?;
            offsets.push(next);
            next = self.uint(bytes, after, next_len).ok_or_else(truncated)?;
        }
        Ok(offsets)
    }

    /// The width and height (tags 256 and 257) of the directory at `ifd`.
    fn dimensions(self, bytes: &[u8], ifd: u64) -> Result<(u64, u64), IntakeError> {
        let truncated = || IntakeError::Decode("the TIFF file is truncated".into());
        let (count_len, entry_len, value_at) = if self.big_tiff {
            (8, 20, 12)
        } else {
            (2, 12, 8)
        };
        let start = usize::try_from(ifd).map_err(|_| truncated())?;
        let entries = self.uint(bytes, start, count_len).ok_or_else(truncated)?;
        let (mut width, mut height) = (None, None);
        for i in 0..usize::try_from(entries).map_err(|_| truncated())? {
            let at = i
                .checked_mul(entry_len)
                .and_then(|n| n.checked_add(start + count_len))
                .ok_or_else(truncated)?;
            let tag = self.uint(bytes, at, 2).ok_or_else(truncated)?;
            if tag != 256 && tag != 257 {
                continue;
            }
            let value = match self.uint(bytes, at + 2, 2).ok_or_else(truncated)? {
                3 => self.uint(bytes, at + value_at, 2),
                4 => self.uint(bytes, at + value_at, 4),
                16 => self.uint(bytes, at + value_at, 8),
                _ => None,
            }
            .ok_or_else(|| IntakeError::Decode("the TIFF image size is malformed".into()))?;
            if tag == 256 {
                width = Some(value);
            } else {
                height = Some(value);
            }
        }
        width
            .zip(height)
            .ok_or_else(|| IntakeError::Decode("the TIFF page has no width or height".into()))
    }

    /// A copy of the file whose header's first-directory offset is `ifd`: the `image` crate
    /// reads the first page only, so the second is made the first.
    fn pointing_at(self, bytes: &[u8], ifd: u64) -> Result<Vec<u8>, IntakeError> {
        let (at, len) = self.first_offset_field();
        let mut copy = bytes.to_vec();
        let field = copy
            .get_mut(at..at + len)
            .ok_or_else(|| IntakeError::Decode("the TIFF file is truncated".into()))?;
        let value = ifd.to_le_bytes();
        for (i, b) in field.iter_mut().enumerate() {
            let from_low = if self.little { i } else { len - 1 - i };
            *b = value.get(from_low).copied().unwrap_or(0);
        }
        Ok(copy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey_pages(pages: &[(u32, u32, u8)]) -> Vec<u8> {
        let images: Vec<DynamicImage> = pages
            .iter()
            .map(|&(w, h, v)| {
                DynamicImage::ImageLuma8(image::GrayImage::from_pixel(w, h, image::Luma([v])))
            })
            .collect();
        idverify_testkit::tiff_pages(&images).unwrap()
    }

    #[test]
    fn two_pages_give_two_images() {
        let bytes = grey_pages(&[(30, 20, 10), (40, 25, 200)]);
        let (count, pages) = decode(&bytes, &IntakeLimits::default()).unwrap();
        assert_eq!(count, 2);
        assert_eq!((pages[0].width(), pages[0].height()), (30, 20));
        assert_eq!((pages[1].width(), pages[1].height()), (40, 25));
        assert_eq!(pages[1].to_luma8().get_pixel(3, 3).0, [200]);
    }

    #[test]
    fn too_many_pages_are_refused() {
        let bytes = grey_pages(&[(8, 8, 1); 6]);
        let err = decode(&bytes, &IntakeLimits::default()).unwrap_err();
        assert_eq!(err, IntakeError::TooManyPages { pages: 5, max: 4 });
    }

    #[test]
    fn a_loop_of_pages_is_refused() {
        let mut bytes = grey_pages(&[(8, 8, 1), (8, 8, 2)]);
        let layout = Layout::read(&bytes).unwrap();
        let offsets = layout.ifd_offsets(&bytes, 4).unwrap();
        // The second directory's "next" points back at the first.
        let second = offsets[1] as usize;
        let entries = layout.uint(&bytes, second, 2).unwrap() as usize;
        let next_at = second + 2 + entries * 12;
        bytes[next_at..next_at + 4].copy_from_slice(&(offsets[0] as u32).to_le_bytes());
        assert!(matches!(
            decode(&bytes, &IntakeLimits::default()),
            Err(IntakeError::Decode(_))
        ));
    }

    #[test]
    fn a_huge_claim_is_refused_from_the_header() {
        let bytes = idverify_testkit::tiff_claiming(100_000, 100_000);
        let err = decode(&bytes, &IntakeLimits::default()).unwrap_err();
        assert!(matches!(err, IntakeError::Dimensions { .. }), "{err}");
    }
}
