//! Hand-made PNG files for tests of image intake: a header that claims more pixels than the
//! bytes behind it hold (a decompression bomb seen from its header).

/// A PNG whose `IHDR` claims `width` × `height` 8-bit RGB pixels, with valid chunk CRCs, one
/// tiny `IDAT` (an empty zlib stream) and `IEND`. Intake must refuse it from its header
/// before a decoder allocates for the claim.
///
/// ```
/// let png = idverify_testkit::png_claiming(20_000, 20_000);
/// assert_eq!(&png[1..4], b"PNG");
/// assert_eq!(&png[16..20], &20_000u32.to_be_bytes());
/// ```
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// Appends one PNG chunk to `out`: length, type, data, and the CRC-32 of type and data.
fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(out.get(start..).unwrap_or(&[]));
    out.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG uses it), bit by bit: test data is small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_the_standard_check_string_and_of_iend() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        let mut out = Vec::new();
        png_chunk(&mut out, b"IEND", &[]);
        assert_eq!(
            out,
            [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]
        );
    }

    #[test]
    fn the_image_crate_reads_the_claimed_size_from_the_header() {
        let png = png_claiming(20_000, 19_000);
        let reader =
            image::ImageReader::with_format(std::io::Cursor::new(&png), image::ImageFormat::Png);
        assert_eq!(reader.into_dimensions().ok(), Some((20_000, 19_000)));
    }
}
