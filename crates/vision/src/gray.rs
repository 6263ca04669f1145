//! A plain 8-bit grayscale raster and the few operations the MRZ pipeline needs: area
//! downscaling, quarter turns, separable min/max filters and bilinear sampling.

/// An 8-bit grayscale image, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    /// Width in pixels.
    pub w: usize,
    /// Height in pixels.
    pub h: usize,
    /// `w * h` samples, row-major.
    pub data: Vec<u8>,
}

impl Gray {
    /// A `w`×`h` image filled with `v`.
    pub fn new(w: usize, h: usize, v: u8) -> Gray {
        Gray {
            w,
            h,
            data: vec![v; w * h],
        }
    }

    /// Wraps a raw buffer; `None` when its length is not `w * h`.
    pub fn from_raw(w: usize, h: usize, data: Vec<u8>) -> Option<Gray> {
        (data.len() == w * h).then_some(Gray { w, h, data })
    }

    /// The luma of any decoded image.
    pub fn from_image(img: &image::DynamicImage) -> Gray {
        let luma = img.to_luma8();
        let (w, h) = (luma.width() as usize, luma.height() as usize);
        Gray {
            w,
            h,
            data: luma.into_raw(),
        }
    }

    /// Sample at integer coordinates, clamped to the border.
    #[inline(always)]
    pub fn at(&self, x: isize, y: isize) -> u8 {
        let xc = x.clamp(0, self.w as isize - 1) as usize;
        let yc = y.clamp(0, self.h as isize - 1) as usize;
        self.data.get(yc * self.w + xc).copied().unwrap_or(0)
    }

    /// Bilinear sample at real coordinates (pixel centres at integer + 0.5 is NOT used: pixel
    /// `i` covers `[i, i+1)` and its value sits at `i`).
    #[inline(always)]
    pub fn bilinear(&self, x: f32, y: f32) -> f32 {
        let x0 = x.floor();
        let y0 = y.floor();
        let fx = x - x0;
        let fy = y - y0;
        let (xi, yi) = (x0 as isize, y0 as isize);
        let [a, b, c, d] = self.quad(xi, yi).map(f32::from);
        let top = a + (b - a) * fx;
        let bot = c + (d - c) * fx;
        top + (bot - top) * fy
    }

    /// The samples at `(x, y)`, `(x + 1, y)`, `(x, y + 1)` and `(x + 1, y + 1)`, clamped to the
    /// border.
    #[inline(always)]
    fn quad(&self, x: isize, y: isize) -> [u8; 4] {
        quad_inside(&self.data, self.w, self.h, x, y).unwrap_or_else(|| {
            [(0, 0), (1, 0), (0, 1), (1, 1)].map(|(dx, dy)| self.at(x + dx, y + dy))
        })
    }

    /// Box-averaged downscale to `nw`×`nh` (each output pixel averages its source area).
    pub fn resize_area(&self, nw: usize, nh: usize) -> Gray {
        let nw = nw.max(1);
        let nh = nh.max(1);
        let mut out = Gray::new(nw, nh, 0);
        let sx = self.w as f32 / nw as f32;
        let sy = self.h as f32 / nh as f32;
        if sx <= 1.0 && sy <= 1.0 {
            // Upscale: bilinear, as `bilinear` samples, with the taps of each column and row
            // worked out once.
            if self.w == 0 || self.h == 0 {
                return out;
            }
            let cols: Vec<(usize, usize, f32)> = (0..nw)
                .map(|x| taps((x as f32 + 0.5) * sx - 0.5, self.w))
                .collect();
            for (y, out_row) in out.data.chunks_exact_mut(nw).enumerate() {
                let (y0, y1, fy) = taps((y as f32 + 0.5) * sy - 0.5, self.h);
                let (Some(r0), Some(r1)) = (
                    self.data.get(y0 * self.w..(y0 + 1) * self.w),
                    self.data.get(y1 * self.w..(y1 + 1) * self.w),
                ) else {
                    continue;
                };
                for (p, &(x0, x1, fx)) in out_row.iter_mut().zip(&cols) {
                    let px = |r: &[u8], i: usize| f32::from(r.get(i).copied().unwrap_or(0));
                    let (a, b) = (px(r0, x0), px(r0, x1));
                    let (c, d) = (px(r1, x0), px(r1, x1));
                    let top = a + (b - a) * fx;
                    let bot = c + (d - c) * fx;
                    *p = (top + (bot - top) * fy).round().clamp(0.0, 255.0) as u8;
                }
            }
            return out;
        }
        // Per output row: the source rows summed column by column (a loop the compiler
        // vectorises), then each output column's run of those sums.
        let mut col_start = Vec::with_capacity(nw + 1);
        for x in 0..=nw {
            col_start.push(((x as f32 * sx).round() as usize).min(self.w));
        }
        let mut row_start = Vec::with_capacity(nh + 1);
        for y in 0..=nh {
            row_start.push(((y as f32 * sy).round() as usize).min(self.h));
        }
        let mut sums = vec![0u32; self.w];
        for oy in 0..nh {
            sums.iter_mut().for_each(|a| *a = 0);
            let (y0, y1) = (
                row_start.get(oy).copied().unwrap_or(0),
                row_start.get(oy + 1).copied().unwrap_or(0),
            );
            let y1 = y1.max(y0 + 1).min(self.h);
            for y in y0..y1 {
                let row = self.data.get(y * self.w..(y + 1) * self.w).unwrap_or(&[]);
                for (a, &v) in sums.iter_mut().zip(row) {
                    *a += u32::from(v);
                }
            }
            let out_row = out.data.get_mut(oy * nw..(oy + 1) * nw).unwrap_or(&mut []);
            for (ox, p) in out_row.iter_mut().enumerate() {
                let x0 = col_start.get(ox).copied().unwrap_or(0);
                let x1 = col_start
                    .get(ox + 1)
                    .copied()
                    .unwrap_or(0)
                    .max(x0 + 1)
                    .min(self.w);
                let a: u32 = sums.get(x0..x1).unwrap_or(&[]).iter().sum();
                let n = ((x1.saturating_sub(x0)) * (y1.saturating_sub(y0))).max(1) as u32;
                *p = ((a + n / 2) / n).min(255) as u8;
            }
        }
        out
    }

    /// The image turned a quarter turn clockwise.
    pub fn rotate90(&self) -> Gray {
        Gray {
            w: self.h,
            h: self.w,
            data: rotate90(&self.data, self.w, self.h),
        }
    }
}

/// A `w`×`h` row-major raster turned a quarter turn clockwise (it is then `h` wide and `w`
/// high).
pub fn rotate90<T: Copy + Default>(src: &[T], w: usize, h: usize) -> Vec<T> {
    let mut out = vec![T::default(); w * h];
    // out(x, y) = src(y, h - 1 - x), out being h wide.
    for (y, row) in out.chunks_exact_mut(h.max(1)).enumerate() {
        for (x, p) in row.iter_mut().enumerate() {
            if let Some(v) = src.get((h - 1 - x) * w + y) {
                *p = *v;
            }
        }
    }
    out
}

/// The samples at `(x, y)`, `(x + 1, y)`, `(x, y + 1)` and `(x + 1, y + 1)` of a `w`-wide
/// row-major raster of height `h`, when all four lie inside.
#[inline(always)]
pub(crate) fn quad_inside<T: Copy>(
    data: &[T],
    w: usize,
    h: usize,
    x: isize,
    y: isize,
) -> Option<[T; 4]> {
    if x < 0 || y < 0 || (x as usize) + 1 >= w || (y as usize) + 1 >= h {
        return None;
    }
    let i = y as usize * w + x as usize;
    match (data.get(i..i + 2), data.get(i + w..i + w + 2)) {
        (Some(&[a, b]), Some(&[c, d])) => Some([a, b, c, d]),
        _ => None,
    }
}

/// The two samples that bilinear interpolation at `x` reads along an axis of `n > 0` samples
/// (clamped to the border, as [`Gray::at`]) and the weight of the second.
#[inline]
fn taps(x: f32, n: usize) -> (usize, usize, f32) {
    let x0 = x.floor();
    let i = x0 as isize;
    let last = n.saturating_sub(1) as isize;
    (
        i.clamp(0, last) as usize,
        (i + 1).clamp(0, last) as usize,
        x - x0,
    )
}

/// Separable rectangular min (erosion) or max (dilation) filter of size `kw`×`kh` (odd); the
/// window is cut at the image border.
pub fn rect_filter(src: &Gray, kw: usize, kh: usize, max: bool) -> Gray {
    if max {
        axis_filter::<true>(&axis_filter::<true>(src, kw, true), kh, false)
    } else {
        axis_filter::<false>(&axis_filter::<false>(src, kw, true), kh, false)
    }
}

/// The extreme of `a` and `b`: the larger when `MAX`, else the smaller.
#[inline(always)]
fn pick<const MAX: bool>(a: u8, b: u8) -> u8 {
    if MAX { a.max(b) } else { a.min(b) }
}

/// Sliding extreme over `k` consecutive elements of a padded flat buffer, in place: on return
/// `buf[p]` holds the extreme of `buf[p..p + k]` (as it was) for every `p` with `p + k <=
/// buf.len()`, the tail is left undefined. `step` is the distance between consecutive elements
/// (1 along rows, the row length down columns). By doubling windows (1, 2, 4, …), every pass a
/// plain element-wise extreme of two slices, which the compiler vectorises.
fn sliding_extreme<const MAX: bool>(buf: &mut Vec<u8>, tmp: &mut Vec<u8>, k: usize, step: usize) {
    let len = buf.len();
    let mut span = 1;
    while 2 * span <= k {
        let off = span * step;
        if off >= len {
            break;
        }
        tmp.resize(len, 0);
        extreme_into::<MAX>(tmp, buf, off);
        std::mem::swap(buf, tmp);
        span *= 2;
    }
    let off = (k - span) * step;
    if off > 0 && off < len {
        tmp.resize(len, 0);
        extreme_into::<MAX>(tmp, buf, off);
        std::mem::swap(buf, tmp);
    }
}

/// `dst[p] = extreme(src[p], src[p + off])` where both exist; the last `off` elements of `dst`
/// are copied from `src`.
fn extreme_into<const MAX: bool>(dst: &mut [u8], src: &[u8], off: usize) {
    let n = src.len().saturating_sub(off);
    let (head, tail) = dst.split_at_mut(n.min(dst.len()));
    let (Some(a), Some(b)) = (src.get(..head.len()), src.get(off..off + head.len())) else {
        return;
    };
    for ((d, &x), &y) in head.iter_mut().zip(a).zip(b) {
        *d = pick::<MAX>(x, y);
    }
    if let Some(rest) = src.get(n..) {
        for (d, &x) in tail.iter_mut().zip(rest) {
            *d = x;
        }
    }
}

/// Extreme over a centred window of `k` (odd) pixels along each row (`horizontal`) or down
/// each column.
fn axis_filter<const MAX: bool>(src: &Gray, k: usize, horizontal: bool) -> Gray {
    let k = k.max(1) | 1;
    let r = k / 2;
    if k == 1 || src.w == 0 {
        return src.clone();
    }
    let pad = if MAX { 0u8 } else { 255u8 };
    let mut tmp = Vec::new();
    let data = if horizontal {
        // Every row padded by `r` neutral pixels on both sides, rows laid end to end: a window
        // of `k` starting inside a row's padded extent never leaves it.
        let pw = src.w + 2 * r;
        let mut buf = Vec::with_capacity(pw * src.h);
        for row in src.data.chunks_exact(src.w) {
            buf.extend(std::iter::repeat_n(pad, r));
            buf.extend_from_slice(row);
            buf.extend(std::iter::repeat_n(pad, r));
        }
        sliding_extreme::<MAX>(&mut buf, &mut tmp, k, 1);
        let mut data = Vec::with_capacity(src.w * src.h);
        for row in buf.chunks_exact(pw) {
            data.extend_from_slice(row.get(..src.w).unwrap_or(&[]));
        }
        data
    } else {
        // `r` neutral rows above and below.
        let mut buf = Vec::with_capacity(src.w * (src.h + 2 * r));
        buf.extend(std::iter::repeat_n(pad, r * src.w));
        buf.extend_from_slice(&src.data);
        buf.extend(std::iter::repeat_n(pad, r * src.w));
        sliding_extreme::<MAX>(&mut buf, &mut tmp, k, src.w);
        buf.truncate(src.w * src.h);
        buf
    };
    Gray {
        w: src.w,
        h: src.h,
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w`×`h` image of pseudo-random samples.
    fn noise(w: usize, h: usize, mut seed: u32) -> Gray {
        let data: Vec<u8> = (0..w * h)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (seed >> 16) as u8
            })
            .collect();
        Gray::from_raw(w, h, data).unwrap()
    }

    #[test]
    fn min_max_filter_matches_naive() {
        let img = noise(37, 23, 7);
        for (kw, kh, max) in [
            (5, 3, true),
            (7, 1, false),
            (1, 9, true),
            (3, 3, false),
            (9, 9, true),
            (21, 11, false),
            (27, 27, true),
            (39, 49, false),
        ] {
            let f = rect_filter(&img, kw, kh, max);
            for y in 0..img.h {
                for x in 0..img.w {
                    let mut best = if max { 0u8 } else { 255u8 };
                    for dy in -(kh as isize / 2)..=(kh as isize / 2) {
                        for dx in -(kw as isize / 2)..=(kw as isize / 2) {
                            let (xx, yy) = (x as isize + dx, y as isize + dy);
                            if xx < 0 || yy < 0 || xx >= img.w as isize || yy >= img.h as isize {
                                continue;
                            }
                            let v = img.data[yy as usize * img.w + xx as usize];
                            best = if max { best.max(v) } else { best.min(v) };
                        }
                    }
                    assert_eq!(
                        f.data[y * img.w + x],
                        best,
                        "k={kw}x{kh} max={max} at {x},{y}"
                    );
                }
            }
        }
    }

    #[test]
    fn bilinear_interpolates_and_clamps_at_the_border() {
        let img = Gray::from_raw(3, 2, vec![0, 100, 200, 50, 150, 250]).unwrap();
        assert_eq!(img.bilinear(0.5, 0.5), 75.0);
        assert_eq!(img.bilinear(1.0, 0.0), 100.0);
        assert_eq!(img.bilinear(2.5, 1.0), 250.0);
        assert_eq!(img.bilinear(-3.0, -3.0), 0.0);
        assert_eq!(img.bilinear(1.5, 5.0), 200.0);
    }

    #[test]
    fn rotate90_four_times_is_identity() {
        let img = Gray::from_raw(3, 2, vec![1, 2, 3, 4, 5, 6]).unwrap();
        let r = img.rotate90();
        assert_eq!((r.w, r.h), (2, 3));
        assert_eq!(r.data, vec![4, 1, 5, 2, 6, 3]);
        assert_eq!(r.rotate90().rotate90().rotate90(), img);
    }

    #[test]
    fn upscale_samples_bilinearly() {
        let img = noise(13, 7, 3);
        let (nw, nh) = (25, 11);
        let up = img.resize_area(nw, nh);
        let (sx, sy) = (13.0 / nw as f32, 7.0 / nh as f32);
        for y in 0..nh {
            for x in 0..nw {
                let v = img.bilinear((x as f32 + 0.5) * sx - 0.5, (y as f32 + 0.5) * sy - 0.5);
                assert_eq!(up.data[y * nw + x], v.round().clamp(0.0, 255.0) as u8);
            }
        }
    }

    #[test]
    fn area_resize_averages() {
        let img = Gray::from_raw(4, 2, vec![0, 100, 200, 200, 0, 100, 200, 200]).unwrap();
        let r = img.resize_area(2, 1);
        assert_eq!(r.data, vec![50, 200]);
    }
}
