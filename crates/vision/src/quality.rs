//! Image-quality measures for the usability check: size, sharpness and glare over the MRZ.
//!
//! - Sharpness is the variance of the 4-neighbour Laplacian of a grey raster whose scale does
//!   not depend on the photo's: the MRZ band rectified to [`LINE_PX`] pixels per line (or its
//!   own resolution when smaller: never enlarged) when the MRZ was located, else the whole image
//!   scaled down to a long side of at most [`NORM_LONG`] pixels (then
//!   the mean over the most detailed tenth of its tiles, so that a plain background does not
//!   count). In both cases grey levels are first stretched so that the 1st and 99th percentiles
//!   span 0–255: the figure measures blur, not exposure.
//! - Glare over the MRZ is the fraction of the band's blocks (one line high, two characters
//!   wide) whose print is washed out: brighter than the band's median and with less than
//!   [`GLARE_CONTRAST`] of the band's typical ink contrast (the 75th percentile of the blocks').
//!   0 when no MRZ was located.
//!
//! Calibration (measured with rendered specimens and the 57 images of the development set):
//! clean renders measure about 3,900–4,400 on the band, renders blurred with a Gaussian of
//! sigma 3 at their rendered size 140–180 (sigma 2.5: 210–280), the 993 read of 1,000
//! medium-degraded photos (seed 2026) at least 600, every development image whose MRZ was read
//! at least 950; so a minimum of 300 separates. Glare: at most 0.05 on every development image
//! read, 0.18–0.29 for a spot whitening the print by 60–65 % at its centre over a two-line MRZ.
//! Size: the smallest development images read are 250×159 and 580×184 pixels.

use crate::gray::Gray;
use crate::pipeline::MrzRegion;

/// What [`measure`] finds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quality {
    /// Width in pixels (after EXIF orientation).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Variance of the Laplacian of the normalised grey raster (higher is sharper).
    pub sharpness: f64,
    /// Fraction (0–1) of the MRZ band washed out by glare; 0 when no MRZ was located.
    pub glare_over_mrz: f64,
}

/// Rows per MRZ line of the rectified band (the character height is then about 20 pixels).
pub const LINE_PX: usize = 40;
/// Long side of the whole-image raster when no MRZ was located.
pub const NORM_LONG: usize = 1000;
/// Tile side of the whole-image measure.
const TILE: usize = 32;
/// A block is washed out when its contrast is below this fraction of the band's reference.
pub const GLARE_CONTRAST: f32 = 0.6;

/// Measures a decoded image; `region` is where [`crate::read_mrz`] found the MRZ
/// ([`crate::MrzReading::region`]), if it did.
pub fn measure(img: &image::DynamicImage, region: Option<&MrzRegion>) -> Quality {
    measure_gray(&Gray::from_image(img), region)
}

/// Measures a grey image; `region` as for [`measure`].
pub fn measure_gray(img: &Gray, region: Option<&MrzRegion>) -> Quality {
    let band = region.and_then(|r| rectify(img, r).map(|b| (b, r.lines.clamp(1, 3))));
    let (sharpness, glare_over_mrz) = match band {
        Some((b, lines)) => (
            laplacian_variance_of(&stretch(&b), b.w, b.h),
            glare_fraction(&b, lines),
        ),
        None => (whole_image_sharpness(img), 0.0),
    };
    Quality {
        width: u32::try_from(img.w).unwrap_or(u32::MAX),
        height: u32::try_from(img.h).unwrap_or(u32::MAX),
        sharpness,
        glare_over_mrz,
    }
}

/// The MRZ band resampled to [`LINE_PX`] rows per line, the same scale across; `None` when the
/// region is degenerate.
fn rectify(img: &Gray, r: &MrzRegion) -> Option<Gray> {
    let [tl, tr, br, bl] = r.corners;
    let dist = |a: (f32, f32), b: (f32, f32)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
    let band_w = 0.5 * (dist(tl, tr) + dist(bl, br));
    let band_h = 0.5 * (dist(tl, bl) + dist(tr, br));
    if !(band_w >= 4.0 && band_h >= 2.0 && band_w.is_finite() && band_h.is_finite()) {
        return None;
    }
    // Never enlarged: upsampling a small photo would blur it and make it look worse than it is.
    // An MRZ has one to three lines.
    let lines = r.lines.clamp(1, 3);
    let line_px = line_rows(band_h, lines);
    let h = line_px * lines;
    let scale = band_h / h as f32; // image pixels per raster pixel
    let w = ((band_w / scale).round() as usize).clamp(8, 8000);
    let sub = (scale.ceil() as usize).clamp(1, 4);
    let mut data = Vec::with_capacity(w * h);
    let lerp =
        |a: (f32, f32), b: (f32, f32), t: f32| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
    for y in 0..h {
        for x in 0..w {
            let mut acc = 0.0;
            for sy in 0..sub {
                let v = (y as f32 + (sy as f32 + 0.5) / sub as f32) / h as f32;
                let (left, right) = (lerp(tl, bl, v), lerp(tr, br, v));
                for sx in 0..sub {
                    let u = (x as f32 + (sx as f32 + 0.5) / sub as f32) / w as f32;
                    let p = lerp(left, right, u);
                    acc += img.bilinear(p.0 - 0.5, p.1 - 0.5);
                }
            }
            data.push((acc / (sub * sub) as f32).round().clamp(0.0, 255.0) as u8);
        }
    }
    Gray::from_raw(w, h, data)
}

/// Rows per line of the rectified band: [`LINE_PX`], or the band's own resolution when it is
/// smaller (at least 8).
fn line_rows(band_h: f32, lines: usize) -> usize {
    let native = (band_h / lines.max(1) as f32).round();
    if native.is_finite() && native < LINE_PX as f32 {
        (native as usize).max(8)
    } else {
        LINE_PX
    }
}

/// The `q` quantile of a histogram of `n` samples.
fn hist_quantile(hist: &[u32; 256], n: u64, q: f64) -> u8 {
    let target = (q * n as f64).ceil().max(1.0) as u64;
    let mut seen = 0u64;
    for (v, &c) in hist.iter().enumerate() {
        seen += u64::from(c);
        if seen >= target {
            return u8::try_from(v).unwrap_or(u8::MAX);
        }
    }
    u8::MAX
}

fn histogram(values: impl Iterator<Item = u8>) -> ([u32; 256], u64) {
    let mut hist = [0u32; 256];
    let mut n = 0u64;
    for v in values {
        if let Some(h) = hist.get_mut(usize::from(v)) {
            *h += 1;
        }
        n += 1;
    }
    (hist, n)
}

/// Grey levels stretched so that the 1st and 99th percentiles span 0–255 (unchanged when the
/// image is flat).
fn stretch(img: &Gray) -> Vec<f32> {
    let (hist, n) = histogram(img.data.iter().copied());
    let lo = f32::from(hist_quantile(&hist, n, 0.01));
    let hi = f32::from(hist_quantile(&hist, n, 0.99));
    let k = if hi - lo >= 8.0 {
        255.0 / (hi - lo)
    } else {
        1.0
    };
    img.data
        .iter()
        .map(|&v| ((f32::from(v) - lo) * k).clamp(0.0, 255.0))
        .collect()
}

/// Sum and sum of squares of the Laplacian over the interior of `[x0, x1) × [y0, y1)` of a
/// `w`-wide raster, and the number of pixels.
fn laplacian_sums(
    v: &[f32],
    w: usize,
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
) -> (f64, f64, u64) {
    let at = |x: usize, y: usize| f64::from(v.get(y * w + x).copied().unwrap_or(0.0));
    let h = v.len() / w.max(1);
    let (mut s, mut s2, mut n) = (0.0f64, 0.0f64, 0u64);
    for y in y0.max(1)..y1.min(h.saturating_sub(1)) {
        for x in x0.max(1)..x1.min(w.saturating_sub(1)) {
            let l = 4.0 * at(x, y) - at(x - 1, y) - at(x + 1, y) - at(x, y - 1) - at(x, y + 1);
            s += l;
            s2 += l * l;
            n += 1;
        }
    }
    (s, s2, n)
}

fn variance(s: f64, s2: f64, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let m = s / n as f64;
    (s2 / n as f64 - m * m).max(0.0)
}

/// Variance of the Laplacian of a stretched band.
fn laplacian_variance_of(v: &[f32], w: usize, h: usize) -> f64 {
    let (s, s2, n) = laplacian_sums(v, w, 0, w, 0, h);
    variance(s, s2, n)
}

/// Sharpness of a whole image: scaled down to a long side of at most [`NORM_LONG`], stretched, the mean
/// Laplacian variance of the most detailed tenth of its tiles.
fn whole_image_sharpness(img: &Gray) -> f64 {
    let long = img.w.max(img.h).max(1);
    let k = (NORM_LONG as f32 / long as f32).min(1.0);
    let nw = ((img.w as f32 * k).round() as usize).max(1);
    let nh = ((img.h as f32 * k).round() as usize).max(1);
    let g = img.resize_area(nw, nh);
    let v = stretch(&g);
    let mut tiles: Vec<f64> = Vec::new();
    for ty in (0..nh).step_by(TILE) {
        for tx in (0..nw).step_by(TILE) {
            let (s, s2, n) = laplacian_sums(&v, nw, tx, tx + TILE, ty, ty + TILE);
            if n >= (TILE * TILE / 2) as u64 {
                tiles.push(variance(s, s2, n));
            }
        }
    }
    if tiles.is_empty() {
        return laplacian_variance_of(&v, nw, nh);
    }
    tiles.sort_by(|a, b| b.total_cmp(a));
    let top = (tiles.len() / 10).max(1);
    tiles.iter().take(top).sum::<f64>() / top as f64
}

/// Fraction of the band's blocks washed out by glare.
fn glare_fraction(band: &Gray, lines: usize) -> f64 {
    // Blocks one line high and about two characters wide.
    let line_px = band.h / lines.max(1);
    let bw = line_px.max(1);
    let mut blocks: Vec<(u8, u8)> = Vec::new(); // (contrast, median)
    for li in 0..lines {
        let (y0, y1) = (li * line_px, ((li + 1) * line_px).min(band.h));
        for x0 in (0..band.w).step_by(bw) {
            let x1 = (x0 + bw).min(band.w);
            if x1 - x0 < bw / 2 {
                continue;
            }
            let vals = (y0..y1).flat_map(|y| {
                band.data
                    .get(y * band.w + x0..y * band.w + x1)
                    .unwrap_or(&[])
                    .iter()
                    .copied()
            });
            let (hist, n) = histogram(vals);
            let lo = hist_quantile(&hist, n, 0.02);
            let hi = hist_quantile(&hist, n, 0.98);
            let med = hist_quantile(&hist, n, 0.5);
            blocks.push((hi.saturating_sub(lo), med));
        }
    }
    if blocks.is_empty() {
        return 0.0;
    }
    let mut contrasts: Vec<u8> = blocks.iter().map(|b| b.0).collect();
    contrasts.sort_unstable();
    let mut medians: Vec<u8> = blocks.iter().map(|b| b.1).collect();
    medians.sort_unstable();
    let pick = |v: &[u8], q: f32| {
        v.get(((v.len() as f32 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(0)
    };
    let reference = f32::from(pick(&contrasts, 0.75));
    let band_median = pick(&medians, 0.5);
    let washed = blocks
        .iter()
        .filter(|(c, m)| f32::from(*c) < GLARE_CONTRAST * reference && *m >= band_median)
        .count();
    washed as f64 / blocks.len() as f64
}
