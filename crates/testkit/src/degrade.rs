//! Photo-like degradations of a rendered document: pose (rotation, perspective, placement on a
//! table), optics (blur, low resolution), light (glare, brightness, contrast) and sensor/codec
//! artefacts (noise, JPEG).

use crate::Error;
use crate::render::SineTable;
use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::Projection;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// The largest output side accepted, so that no parameter mix can exhaust memory.
pub const MAX_OUTPUT_SIDE: u32 = 6000;

/// How hard a random degradation mix is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DegradeLevel {
    /// Leave the render untouched.
    None,
    /// A good phone photo: small skew, a table, light JPEG.
    Mild,
    /// A casual photo: any orientation, some perspective, blur, noise, glare.
    Medium,
    /// A poor photo: strong perspective, low resolution, heavy JPEG, glare.
    Hard,
}

impl std::str::FromStr for DegradeLevel {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "mild" => Ok(Self::Mild),
            "medium" => Ok(Self::Medium),
            "hard" => Ok(Self::Hard),
            _ => Err(Error::UnknownName {
                what: "degradation level",
                name: s.to_owned(),
            }),
        }
    }
}

/// A bright elliptical reflection, in coordinates relative to the output image (0–1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Glare {
    /// Centre, x.
    pub cx: f32,
    /// Centre, y.
    pub cy: f32,
    /// Half-width.
    pub rx: f32,
    /// Half-height.
    pub ry: f32,
    /// Peak whitening, 0–1.
    pub strength: f32,
}

/// The surface the document lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    /// Wood grain.
    Wood,
    /// A dark desk mat.
    DarkMat,
    /// A light speckled table top.
    LightTable,
}

/// One degradation recipe. `Default` is the identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Degradation {
    /// Quarter turns clockwise (0–3).
    pub quarter_turns: u8,
    /// Further rotation in degrees, any angle.
    pub rotation_deg: f32,
    /// Perspective strength: the largest corner displacement as a fraction of the document size (0–0.2).
    pub perspective: f32,
    /// The surface under the document, if any, and the margin around it as a fraction of its size.
    pub surface: Option<(Surface, f32)>,
    /// Output scale (1 = the render's resolution; 0.3 = a low-resolution photo).
    pub scale: f32,
    /// Gaussian blur sigma in output pixels (0 = none).
    pub blur_sigma: f32,
    /// Gaussian noise standard deviation in grey levels (0 = none).
    pub noise_sigma: f32,
    /// A reflection, if any.
    pub glare: Option<Glare>,
    /// Brightness offset in grey levels.
    pub brightness: f32,
    /// Contrast factor around mid-grey.
    pub contrast: f32,
    /// Final JPEG re-encoding quality (1–100), if any.
    pub jpeg_quality: Option<u8>,
}

impl Default for Degradation {
    fn default() -> Self {
        Self {
            quarter_turns: 0,
            rotation_deg: 0.0,
            perspective: 0.0,
            surface: None,
            scale: 1.0,
            blur_sigma: 0.0,
            noise_sigma: 0.0,
            glare: None,
            brightness: 0.0,
            contrast: 1.0,
            jpeg_quality: None,
        }
    }
}

impl Degradation {
    /// A random mix for `level`.
    ///
    /// ```
    /// use idverify_testkit::{Degradation, DegradeLevel, ChaCha8Rng, rand::SeedableRng};
    /// let d = Degradation::random(DegradeLevel::Medium, &mut ChaCha8Rng::seed_from_u64(3));
    /// assert!(d.scale > 0.0 && d.scale <= 1.0);
    /// ```
    pub fn random<R: Rng + ?Sized>(level: DegradeLevel, rng: &mut R) -> Self {
        let surface = |rng: &mut R, lo: f32, hi: f32| {
            let s = match rng.random_range(0..3) {
                0 => Surface::Wood,
                1 => Surface::DarkMat,
                _ => Surface::LightTable,
            };
            (s, rng.random_range(lo..hi))
        };
        let glare = |rng: &mut R, max: f32| Glare {
            cx: rng.random_range(0.15..0.85),
            cy: rng.random_range(0.15..0.85),
            rx: rng.random_range(0.08..0.25),
            ry: rng.random_range(0.06..0.18),
            strength: rng.random_range(0.25..max),
        };
        match level {
            DegradeLevel::None => Self::default(),
            DegradeLevel::Mild => Self {
                quarter_turns: if rng.random_bool(0.1) { 2 } else { 0 },
                rotation_deg: rng.random_range(-3.0..3.0),
                perspective: rng.random_range(0.0..0.02),
                surface: rng.random_bool(0.6).then(|| surface(rng, 0.04, 0.2)),
                scale: rng.random_range(0.6..1.0),
                blur_sigma: rng.random_range(0.0..0.8),
                noise_sigma: rng.random_range(0.0..4.0),
                glare: rng.random_bool(0.1).then(|| glare(rng, 0.45)),
                brightness: rng.random_range(-15.0..15.0),
                contrast: rng.random_range(0.9..1.1),
                jpeg_quality: Some(rng.random_range(75..=95)),
            },
            DegradeLevel::Medium => Self {
                quarter_turns: if rng.random_bool(0.25) {
                    rng.random_range(1..=3)
                } else {
                    0
                },
                rotation_deg: rng.random_range(-10.0..10.0),
                perspective: rng.random_range(0.0..0.05),
                surface: rng.random_bool(0.85).then(|| surface(rng, 0.05, 0.35)),
                scale: rng.random_range(0.4..0.8),
                blur_sigma: rng.random_range(0.3..1.3),
                noise_sigma: rng.random_range(2.0..8.0),
                glare: rng.random_bool(0.3).then(|| glare(rng, 0.6)),
                brightness: rng.random_range(-30.0..30.0),
                contrast: rng.random_range(0.8..1.2),
                jpeg_quality: Some(rng.random_range(50..=85)),
            },
            DegradeLevel::Hard => Self {
                quarter_turns: if rng.random_bool(0.5) {
                    rng.random_range(1..=3)
                } else {
                    0
                },
                rotation_deg: if rng.random_bool(0.2) {
                    rng.random_range(-180.0..180.0)
                } else {
                    rng.random_range(-25.0..25.0)
                },
                perspective: rng.random_range(0.03..0.08),
                surface: Some(surface(rng, 0.1, 0.5)),
                // Hard but legible: the MRZ pitch stays at 10 px or more, blur below a stroke.
                scale: rng.random_range(0.35..0.6),
                blur_sigma: rng.random_range(0.7..1.5),
                noise_sigma: rng.random_range(5.0..12.0),
                glare: rng.random_bool(0.6).then(|| glare(rng, 0.75)),
                brightness: rng.random_range(-45.0..45.0),
                contrast: rng.random_range(0.65..1.3),
                jpeg_quality: Some(rng.random_range(35..=65)),
            },
        }
    }

    fn check(&self) -> Result<(), Error> {
        let finite = [
            self.rotation_deg,
            self.perspective,
            self.scale,
            self.blur_sigma,
            self.noise_sigma,
            self.brightness,
            self.contrast,
        ]
        .iter()
        .all(|v| v.is_finite());
        let margin_ok = self
            .surface
            .is_none_or(|(_, m)| m.is_finite() && (0.0..=2.0).contains(&m));
        if !finite
            || !margin_ok
            || !(0.05..=1.0).contains(&self.scale)
            || !(0.0..=0.2).contains(&self.perspective)
            || self.blur_sigma < 0.0
            || self.noise_sigma < 0.0
            || self.quarter_turns > 3
            || self.jpeg_quality.is_some_and(|q| !(1..=100).contains(&q))
        {
            return Err(Error::Degradation(format!("{self:?}")));
        }
        Ok(())
    }
}

/// A degraded image and the map from clean-render pixel coordinates to its own.
#[derive(Debug, Clone)]
pub struct Degraded {
    /// The degraded image.
    pub image: RgbImage,
    /// Clean-render coordinates → degraded-image coordinates.
    pub transform: PointMap,
}

/// A projective map of points (a 3 × 3 homography, row-major).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PointMap(pub [f32; 9]);

impl PointMap {
    /// Maps `(x, y)`.
    pub fn map(&self, x: f32, y: f32) -> (f32, f32) {
        let m = &self.0;
        let w = m[6] * x + m[7] * y + m[8];
        let w = if w.abs() < 1e-9 { 1e-9 } else { w };
        (
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }

    /// The four corners of `b` (clockwise from top-left) after the map: a quadrilateral.
    pub fn map_box(&self, b: &crate::BBox) -> [(f32, f32); 4] {
        let (x0, y0) = (b.x as f32, b.y as f32);
        let (x1, y1) = (x0 + b.width as f32, y0 + b.height as f32);
        [
            self.map(x0, y0),
            self.map(x1, y0),
            self.map(x1, y1),
            self.map(x0, y1),
        ]
    }

    fn then(&self, next: &PointMap) -> PointMap {
        let (a, b) = (&next.0, &self.0);
        let mut out = [0.0f32; 9];
        for (i, o) in out.iter_mut().enumerate() {
            let (r, c) = (i / 3, i % 3);
            *o = (0..3)
                .map(|k| {
                    a.get(r * 3 + k).copied().unwrap_or(0.0)
                        * b.get(k * 3 + c).copied().unwrap_or(0.0)
                })
                .sum();
        }
        PointMap(out)
    }

    fn affine(a: f32, b: f32, c: f32, d: f32, e: f32, f: f32) -> Self {
        PointMap([a, b, c, d, e, f, 0.0, 0.0, 1.0])
    }
}

/// Degrades `img` per `d`; `rng` drives the noise and the surface texture.
///
/// ```
/// use idverify_testkit::{degrade, Degradation, ChaCha8Rng, rand::SeedableRng};
/// let img = image::RgbImage::from_pixel(200, 100, image::Rgb([200, 220, 200]));
/// let d = Degradation { rotation_deg: 30.0, ..Degradation::default() };
/// let out = degrade(&img, &d, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
/// assert!(out.width() > 200);
/// ```
pub fn degrade<R: Rng + ?Sized>(
    img: &RgbImage,
    d: &Degradation,
    rng: &mut R,
) -> Result<RgbImage, Error> {
    degrade_mapped(img, d, rng).map(|o| o.image)
}

/// Like [`degrade`], also returning where each clean-render point went.
pub fn degrade_mapped<R: Rng + ?Sized>(
    img: &RgbImage,
    d: &Degradation,
    rng: &mut R,
) -> Result<Degraded, Error> {
    // Everything random comes from one seed, so the pixel work below is not generic: it is
    // compiled once, in this crate, at this crate's optimisation level.
    degrade_seeded(img, d, rng.random())
}

fn degrade_seeded(img: &RgbImage, d: &Degradation, seed: u64) -> Result<Degraded, Error> {
    let rng = &mut ChaCha8Rng::seed_from_u64(seed);
    d.check()?;
    if img.width() < 2 || img.height() < 2 {
        return Err(Error::Degradation("image smaller than 2 × 2".into()));
    }
    // Low resolution first, by area averaging, so the warp does not alias.
    let (src, pre) = if d.scale < 0.999 {
        let w = ((img.width() as f32 * d.scale).round() as u32).max(2);
        let h = ((img.height() as f32 * d.scale).round() as u32).max(2);
        let small = image::imageops::thumbnail(img, w, h);
        let sx = w as f32 / img.width() as f32;
        let sy = h as f32 / img.height() as f32;
        (small, PointMap::affine(sx, 0.0, 0.0, 0.0, sy, 0.0))
    } else {
        (img.clone(), PointMap::affine(1.0, 0.0, 0.0, 0.0, 1.0, 0.0))
    };
    let (w, h) = (src.width() as f32, src.height() as f32);

    // Perspective: move each corner inwards/outwards by up to `perspective` of the size.
    let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)];
    let p = d.perspective;
    let mut moved = corners;
    for c in moved.iter_mut() {
        c.0 += rng.random_range(-1.0..=1.0f32) * p * w;
        c.1 += rng.random_range(-1.0..=1.0f32) * p * h;
    }
    let persp = Projection::from_control_points(corners, moved)
        .map(|pr| projection_matrix(&pr))
        .unwrap_or(PointMap::affine(1.0, 0.0, 0.0, 0.0, 1.0, 0.0));

    // Rotation about the origin; translation fixed below from the bounding box.
    let theta = (f32::from(d.quarter_turns) * 90.0 + d.rotation_deg).to_radians();
    let (c, s) = (theta.cos(), theta.sin());
    let rot = PointMap::affine(c, -s, 0.0, s, c, 0.0);
    let geo = persp.then(&rot);
    let pts: Vec<(f32, f32)> = corners.iter().map(|&(x, y)| geo.map(x, y)).collect();
    let min_x = pts.iter().map(|p| p.0).fold(f32::INFINITY, f32::min);
    let max_x = pts.iter().map(|p| p.0).fold(f32::NEG_INFINITY, f32::max);
    let min_y = pts.iter().map(|p| p.1).fold(f32::INFINITY, f32::min);
    let max_y = pts.iter().map(|p| p.1).fold(f32::NEG_INFINITY, f32::max);
    let (bw, bh) = (max_x - min_x, max_y - min_y);
    let margin = d.surface.map_or(0.0, |(_, m)| m);
    let (mx, my) = (bw * margin, bh * margin);
    // An off-centre placement on the table, as hand-held photos are.
    let jx = if margin > 0.0 {
        rng.random_range(-0.5..0.5) * mx
    } else {
        0.0
    };
    let jy = if margin > 0.0 {
        rng.random_range(-0.5..0.5) * my
    } else {
        0.0
    };
    let out_w = (bw + 2.0 * mx).ceil().max(2.0);
    let out_h = (bh + 2.0 * my).ceil().max(2.0);
    if out_w > MAX_OUTPUT_SIDE as f32 || out_h > MAX_OUTPUT_SIDE as f32 {
        return Err(Error::Degradation(format!(
            "output would be {out_w} × {out_h} pixels (max {MAX_OUTPUT_SIDE})"
        )));
    }
    let place = PointMap::affine(1.0, 0.0, mx - min_x + jx, 0.0, 1.0, my - min_y + jy);
    let fwd = geo.then(&place);
    let inv = invert(&fwd).ok_or_else(|| Error::Degradation("singular transform".into()))?;
    let (ow, oh) = (out_w as u32, out_h as u32);

    let moves = theta.abs() > 1e-6 || p > 0.0 || d.surface.is_some();
    let mut out = if moves {
        let mut out = match d.surface {
            Some((surface, _)) => paint_surface(ow, oh, surface, rng),
            None => RgbImage::from_pixel(ow, oh, Rgb([128, 128, 128])),
        };
        warp_over(&src, &inv, &mut out);
        out
    } else {
        src
    };

    apply_light(&mut out, d);
    if d.blur_sigma > 0.05 {
        out = imageproc::filter::gaussian_blur_f32(&out, d.blur_sigma);
    }
    if d.noise_sigma > 0.05 {
        add_noise(&mut out, d.noise_sigma, rng.random::<u64>() | 1);
    }
    if let Some(q) = d.jpeg_quality {
        out = jpeg_round_trip(&out, q)?;
    }
    Ok(Degraded {
        image: out,
        transform: pre.then(&fwd),
    })
}

fn projection_matrix(p: &Projection) -> PointMap {
    // imageproc keeps the matrix private; recover it from the images of three points and the
    // projective column from a fourth.
    let o = *p * (0.0f32, 0.0f32);
    let ex = *p * (1.0f32, 0.0f32);
    let ey = *p * (0.0f32, 1.0f32);
    let exy = *p * (1.0f32, 1.0f32);
    // Solve for h with h8 = 1: x' = (a x + b y + c) / (g x + h y + 1), likewise y'.
    // From (0,0): c = o.x, f = o.y.
    // From (1,0): a + c = ex.x (g + 1); d + f = ex.y (g + 1)
    // From (0,1): b + c = ey.x (h + 1); e + f = ey.y (h + 1)
    // From (1,1): a + b + c = exy.x (g + h + 1); d + e + f = exy.y (g + h + 1)
    // Substituting a, b, d, e gives two linear equations in g, h.
    let (c, f) = o;
    // a = ex.x (g+1) - c; b = ey.x (h+1) - c
    // ex.x (g+1) - c + ey.x (h+1) - c + c = exy.x (g+h+1)
    // g (ex.x - exy.x) + h (ey.x - exy.x) = exy.x - ex.x - ey.x + c
    let a11 = ex.0 - exy.0;
    let a12 = ey.0 - exy.0;
    let b1 = exy.0 - ex.0 - ey.0 + c;
    let a21 = ex.1 - exy.1;
    let a22 = ey.1 - exy.1;
    let b2 = exy.1 - ex.1 - ey.1 + f;
    let det = a11 * a22 - a12 * a21;
    let (g, h) = if det.abs() < 1e-12 {
        (0.0, 0.0)
    } else {
        ((b1 * a22 - a12 * b2) / det, (a11 * b2 - b1 * a21) / det)
    };
    let a = ex.0 * (g + 1.0) - c;
    let b = ey.0 * (h + 1.0) - c;
    let d = ex.1 * (g + 1.0) - f;
    let e = ey.1 * (h + 1.0) - f;
    PointMap([a, b, c, d, e, f, g, h, 1.0])
}

fn invert(m: &PointMap) -> Option<PointMap> {
    let a = &m.0;
    let det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6])
        + a[2] * (a[3] * a[7] - a[4] * a[6]);
    if det.abs() < 1e-12 {
        return None;
    }
    let inv = [
        (a[4] * a[8] - a[5] * a[7]) / det,
        (a[2] * a[7] - a[1] * a[8]) / det,
        (a[1] * a[5] - a[2] * a[4]) / det,
        (a[5] * a[6] - a[3] * a[8]) / det,
        (a[0] * a[8] - a[2] * a[6]) / det,
        (a[2] * a[3] - a[0] * a[5]) / det,
        (a[3] * a[7] - a[4] * a[6]) / det,
        (a[1] * a[6] - a[0] * a[7]) / det,
        (a[0] * a[4] - a[1] * a[3]) / det,
    ];
    Some(PointMap(inv))
}

/// Inverse-maps every output pixel into `src` and composites the bilinear sample over `out`,
/// with a one-pixel soft edge.
fn warp_over(src: &RgbImage, inv: &PointMap, out: &mut RgbImage) {
    let (sw, sh) = (src.width() as f32, src.height() as f32);
    let (swu, shu) = (src.width() as usize, src.height() as usize);
    let raw = src.as_raw();
    let stride = swu * 3;
    let m = inv.0;
    let ow = out.width() as usize;
    for (row_idx, row) in out.chunks_exact_mut(ow * 3).enumerate() {
        let oy = row_idx as f32 + 0.5;
        // Homogeneous source coordinates at x = 0.5, advanced by one column per step.
        let mut hx = m[0] * 0.5 + m[1] * oy + m[2];
        let mut hy = m[3] * 0.5 + m[4] * oy + m[5];
        let mut hw = m[6] * 0.5 + m[7] * oy + m[8];
        for px in row.chunks_exact_mut(3) {
            let w = if hw.abs() < 1e-9 { 1e-9 } else { hw };
            let (sx, sy) = (hx / w, hy / w);
            hx += m[0];
            hy += m[3];
            hw += m[6];
            // Coverage: 1 inside, fading to 0 across one source pixel at the border.
            let cov = (sx.min(sw - sx).min(sy).min(sh - sy) + 0.5).clamp(0.0, 1.0);
            if cov <= 0.0 {
                continue;
            }
            let fx = (sx - 0.5).clamp(0.0, sw - 1.0);
            let fy = (sy - 0.5).clamp(0.0, sh - 1.0);
            let (x0, y0) = (fx as usize, fy as usize);
            let x1 = (x0 + 1).min(swu - 1);
            let y1 = (y0 + 1).min(shu - 1);
            let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
            let (Some(r00), Some(r01), Some(r10), Some(r11)) = (
                raw.get(y0 * stride + x0 * 3..y0 * stride + x0 * 3 + 3),
                raw.get(y0 * stride + x1 * 3..y0 * stride + x1 * 3 + 3),
                raw.get(y1 * stride + x0 * 3..y1 * stride + x0 * 3 + 3),
                raw.get(y1 * stride + x1 * 3..y1 * stride + x1 * 3 + 3),
            ) else {
                continue;
            };
            for k in 0..3 {
                let (Some(&a), Some(&b), Some(&c), Some(&e)) =
                    (r00.get(k), r01.get(k), r10.get(k), r11.get(k))
                else {
                    continue;
                };
                let top = f32::from(a) * (1.0 - tx) + f32::from(b) * tx;
                let bot = f32::from(c) * (1.0 - tx) + f32::from(e) * tx;
                let s = top * (1.0 - ty) + bot * ty;
                if let Some(v) = px.get_mut(k) {
                    *v = (f32::from(*v) * (1.0 - cov) + s * cov + 0.5).clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

fn paint_surface(w: u32, h: u32, surface: Surface, rng: &mut ChaCha8Rng) -> RgbImage {
    use std::f32::consts::TAU;
    let sine = SineTable::new();
    let mut img = RgbImage::new(w, h);
    let (base, dark, freq, sharp): ([f32; 3], [f32; 3], f32, i32) = match surface {
        Surface::Wood => (
            [
                rng.random_range(170.0..205.0),
                rng.random_range(125.0..150.0),
                rng.random_range(80.0..100.0),
            ],
            [128.0, 86.0, 52.0],
            rng.random_range(0.008..0.02),
            3,
        ),
        Surface::DarkMat => ([58.0, 60.0, 66.0], [44.0, 46.0, 50.0], 0.002, 1),
        Surface::LightTable => ([214.0, 212.0, 206.0], [196.0, 194.0, 188.0], 0.004, 1),
    };
    let phase = rng.random_range(0.0..TAU);
    let wobble = rng.random_range(1.5..4.0f32);
    let knot_x = rng.random_range(0.0..w as f32);
    let mut state: u32 = rng.random::<u32>() | 1;
    // Grain: lines along x whose phase wanders slowly, bending around a "knot".
    let bends: Vec<f32> = (0..w)
        .map(|x| {
            let xf = x as f32;
            wobble * sine.sin(xf * 0.0035 + phase)
                + 1.2 * sine.sin(xf * 0.011)
                + 2.5 / (1.0 + ((xf - knot_x) * 0.01).powi(2))
        })
        .collect();
    for y in 0..h {
        let yf = y as f32;
        for (x, bend) in (0..w).zip(&bends) {
            // xorshift: cheap per-pixel speckle, deterministic from the rng.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let speckle = (state % 13) as f32 - 6.0;
            let grain = 0.5 + 0.5 * sine.sin(yf * freq * TAU + bend);
            let t = grain.powi(sharp);
            let mut c = [0u8; 3];
            for (k, v) in c.iter_mut().enumerate() {
                let b = base.get(k).copied().unwrap_or(128.0);
                let dk = dark.get(k).copied().unwrap_or(100.0);
                *v = (b * (1.0 - t) + dk * t + speckle).clamp(0.0, 255.0) as u8;
            }
            img.put_pixel(x, y, Rgb(c));
        }
    }
    img
}

/// Adds zero-mean, roughly Gaussian noise (the sum of four uniforms) of standard deviation
/// `sigma` to every channel.
fn add_noise(img: &mut RgbImage, sigma: f32, seed: u64) {
    let mut state = seed;
    // Four uniforms in [0, 1) have variance 4/12; scale to sigma.
    let k = sigma / (4.0f32 / 12.0).sqrt();
    for v in img.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let u = (state & 0xffff) as f32
            + ((state >> 16) & 0xffff) as f32
            + ((state >> 32) & 0xffff) as f32
            + ((state >> 48) & 0xffff) as f32;
        let n = (u / 65536.0 - 2.0) * k;
        *v = (f32::from(*v) + n).round().clamp(0.0, 255.0) as u8;
    }
}

fn apply_light(img: &mut RgbImage, d: &Degradation) {
    let identity =
        d.brightness.abs() < 0.5 && (d.contrast - 1.0).abs() < 0.005 && d.glare.is_none();
    if identity {
        return;
    }
    let (w, h) = (img.width() as f32, img.height() as f32);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let g = d.glare.map_or(0.0, |g| {
            let dx = (x as f32 / w - g.cx) / g.rx.max(1e-3);
            let dy = (y as f32 / h - g.cy) / g.ry.max(1e-3);
            let r2 = dx * dx + dy * dy;
            g.strength * (-r2 * 1.5).exp()
        });
        for v in p.0.iter_mut() {
            let c = (f32::from(*v) - 128.0) * d.contrast + 128.0 + d.brightness;
            let c = c + (255.0 - c) * g;
            *v = c.round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Encodes as JPEG at `quality` and decodes again.
pub fn jpeg_round_trip(img: &RgbImage, quality: u8) -> Result<RgbImage, Error> {
    let bytes = encode_jpeg(img, quality)?;
    let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
        .map_err(|e| Error::Image(e.to_string()))?;
    Ok(decoded.to_rgb8())
}

/// Encodes `img` as JPEG at `quality` (1–100).
pub fn encode_jpeg(img: &RgbImage, quality: u8) -> Result<Vec<u8>, Error> {
    let mut buf = Cursor::new(Vec::new());
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, quality.clamp(1, 100));
    img.write_with_encoder(enc)
        .map_err(|e| Error::Image(e.to_string()))?;
    Ok(buf.into_inner())
}
