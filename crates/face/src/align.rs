//! Alignment: the similarity transform (scale, rotation, shift) that best maps a face's five
//! landmarks onto the 112×112 template SFace was trained on, and the warped crop.

use image::{Rgb, RgbImage};

use crate::Face;

/// Side of the aligned crop.
pub const SIDE: u32 = 112;

/// Where the eyes, nose tip and mouth corners sit in the 112×112 crop (the ArcFace template,
/// which SFace uses too), in YuNet's landmark order: the subject's right eye (the image's
/// left), left eye, nose, right and left mouth corners.
const TEMPLATE: [[f32; 2]; 5] = [
    [38.2946, 51.6963],
    [73.5318, 51.5014],
    [56.0252, 71.7366],
    [41.5493, 92.3655],
    [70.7299, 92.2041],
];

/// Least-squares similarity `d = [a -b; b a] s + t` from `src` to `dst`.
fn similarity(src: &[[f32; 2]; 5], dst: &[[f32; 2]; 5]) -> (f32, f32, f32, f32) {
    let n = src.len() as f32;
    let mean = |p: &[[f32; 2]; 5]| {
        let (sx, sy) = p.iter().fold((0.0, 0.0), |(x, y), q| (x + q[0], y + q[1]));
        (sx / n, sy / n)
    };
    let (msx, msy) = mean(src);
    let (mdx, mdy) = mean(dst);
    let (mut num_a, mut num_b, mut den) = (0f32, 0f32, 0f32);
    for (s, d) in src.iter().zip(dst) {
        let (sx, sy) = (s[0] - msx, s[1] - msy);
        let (dx, dy) = (d[0] - mdx, d[1] - mdy);
        num_a += sx * dx + sy * dy;
        num_b += sx * dy - sy * dx;
        den += sx * sx + sy * sy;
    }
    if den <= f32::EPSILON {
        return (1.0, 0.0, mdx - msx, mdy - msy);
    }
    let (a, b) = (num_a / den, num_b / den);
    (a, b, mdx - (a * msx - b * msy), mdy - (b * msx + a * msy))
}

/// The face cropped, rotated upright and scaled onto the 112×112 template (bilinear sampling,
/// black outside the image).
pub fn align(image: &RgbImage, face: &Face) -> RgbImage {
    let (a, b, tx, ty) = similarity(&face.landmarks, &TEMPLATE);
    let norm = a * a + b * b;
    let (w, h) = image.dimensions();
    let mut out = RgbImage::new(SIDE, SIDE);
    if norm <= f32::EPSILON {
        return out;
    }
    let sample = |x: i64, y: i64| -> [f32; 3] {
        if x < 0 || y < 0 || x >= i64::from(w) || y >= i64::from(h) {
            return [0.0; 3];
        }
        let p = image.get_pixel(x as u32, y as u32).0;
        [f32::from(p[0]), f32::from(p[1]), f32::from(p[2])]
    };
    for (u, v, px) in out.enumerate_pixels_mut() {
        // Inverse of [a -b; b a]: [a b; -b a] / (a² + b²).
        let (du, dv) = (u as f32 - tx, v as f32 - ty);
        let sx = (a * du + b * dv) / norm;
        let sy = (-b * du + a * dv) / norm;
        let (x0, y0) = (sx.floor(), sy.floor());
        let (fx, fy) = (sx - x0, sy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let (p00, p10, p01, p11) = (
            sample(x0, y0),
            sample(x0 + 1, y0),
            sample(x0, y0 + 1),
            sample(x0 + 1, y0 + 1),
        );
        let mut rgb = [0u8; 3];
        for (c, slot) in rgb.iter_mut().enumerate() {
            let at = |p: [f32; 3]| p.get(c).copied().unwrap_or(0.0);
            let top = at(p00) * (1.0 - fx) + at(p10) * fx;
            let bottom = at(p01) * (1.0 - fx) + at(p11) * fx;
            *slot = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
        }
        *px = Rgb(rgb);
    }
    out
}

/// Sharpness of an aligned crop: the variance of the Laplacian of its grey levels over the
/// face's middle (eyes to mouth). A blurred or heavily smoothed face scores low.
pub fn sharpness(aligned: &RgbImage) -> f32 {
    let grey = |x: u32, y: u32| {
        let p = aligned.get_pixel(x, y).0;
        0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
    };
    let (mut sum, mut sum2, mut n) = (0f64, 0f64, 0f64);
    for y in 40..100u32 {
        for x in 28..84u32 {
            let l = 4.0 * grey(x, y)
                - grey(x - 1, y)
                - grey(x + 1, y)
                - grey(x, y - 1)
                - grey(x, y + 1);
            sum += f64::from(l);
            sum2 += f64::from(l) * f64::from(l);
            n += 1.0;
        }
    }
    let mean = sum / n;
    (sum2 / n - mean * mean) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_maps_onto_itself() {
        let (a, b, tx, ty) = similarity(&TEMPLATE, &TEMPLATE);
        assert!((a - 1.0).abs() < 1e-4 && b.abs() < 1e-4, "{a} {b}");
        assert!(tx.abs() < 1e-3 && ty.abs() < 1e-3, "{tx} {ty}");
    }

    #[test]
    fn a_face_twice_as_large_and_shifted_is_scaled_back() {
        let src = TEMPLATE.map(|[x, y]| [2.0 * x + 100.0, 2.0 * y + 40.0]);
        let (a, b, tx, ty) = similarity(&src, &TEMPLATE);
        assert!((a - 0.5).abs() < 1e-4 && b.abs() < 1e-4, "{a} {b}");
        assert!(
            (tx + 50.0).abs() < 1e-2 && (ty + 20.0).abs() < 1e-2,
            "{tx} {ty}"
        );
    }

    #[test]
    fn a_flat_crop_has_no_sharpness_and_a_checkerboard_has_much() {
        let flat = RgbImage::from_pixel(SIDE, SIDE, Rgb([120, 120, 120]));
        assert!(sharpness(&flat) < 1e-3);
        let checks = RgbImage::from_fn(SIDE, SIDE, |x, y| {
            if (x + y) % 2 == 0 {
                Rgb([0, 0, 0])
            } else {
                Rgb([255, 255, 255])
            }
        });
        assert!(sharpness(&checks) > 1000.0);
    }
}
