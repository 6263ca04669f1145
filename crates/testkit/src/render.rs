//! Rendering a specimen to pixels: background, header, labelled fields, portrait, MRZ in OCR-B at
//! the ICAO pitch — together with the ground truth of everything drawn.

use crate::Error;
use crate::fonts::Fonts;
use crate::mrz_lines::mrz_lines;
use crate::spec::{DocFormat, Field, Layout, SpecimenSpec};
use crate::wording::{label_text, title_text};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use image::{Rgb, RgbImage};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// ICAO 9303 MRZ character pitch: 10 characters per inch.
pub const MRZ_PITCH_MM: f32 = 2.54;

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Resolution in dots per inch (300 by default; 100–600 accepted).
    pub dpi: f32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self { dpi: 300.0 }
    }
}

/// An axis-aligned box in pixels of the clean render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl BBox {
    fn from_f32(x0: f32, y0: f32, x1: f32, y1: f32) -> Self {
        let x = x0.floor().max(0.0);
        let y = y0.floor().max(0.0);
        Self {
            x: x as u32,
            y: y as u32,
            width: (x1.ceil() - x).max(0.0) as u32,
            height: (y1.ceil() - y).max(0.0) as u32,
        }
    }
}

/// What a piece of printed text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextKind {
    /// Country name or document title.
    Title,
    /// A field label such as `Surname / Nom`.
    Label,
    /// A field value.
    Value,
}

/// One piece of printed text and where its ink is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBox {
    /// Title, label or value.
    pub kind: TextKind,
    /// The field a label or value belongs to.
    pub field: Option<Field>,
    /// The text exactly as drawn.
    pub text: String,
    /// Tight box around the ink.
    pub bbox: BBox,
}

/// One MRZ line: its text, its box, and the box of each character cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MrzLineTruth {
    /// The line's characters.
    pub text: String,
    /// Box around the whole line (cell width × cap height).
    pub bbox: BBox,
    /// One cell per character, `MRZ_PITCH_MM` wide.
    pub char_boxes: Vec<BBox>,
}

/// What was drawn on one side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideTruth {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Titles, labels and values.
    pub texts: Vec<TextBox>,
    /// MRZ lines, top to bottom (empty on a side without MRZ).
    pub mrz: Vec<MrzLineTruth>,
    /// The portrait's box, if the side has one.
    pub portrait: Option<BBox>,
}

/// Everything known about a rendered specimen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    /// The specification it was rendered from.
    pub spec: SpecimenSpec,
    /// The MRZ lines printed (empty for a document without MRZ).
    pub mrz_lines: Vec<String>,
    /// The printed values as printed.
    pub printed: BTreeMap<Field, String>,
    /// The front (or only) side.
    pub front: SideTruth,
    /// The back of a card.
    pub back: Option<SideTruth>,
}

/// A rendered specimen.
#[derive(Debug, Clone)]
pub struct Specimen {
    /// The front (the data page for passports and visas).
    pub front: RgbImage,
    /// The back of a card (it carries the MRZ on TD1).
    pub back: Option<RgbImage>,
    /// The ground truth.
    pub truth: GroundTruth,
}

/// One side of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The front, or the only side.
    Front,
    /// The back of a card.
    Back,
}

impl GroundTruth {
    /// What was drawn on `side` (`None` for the back of a one-sided document).
    pub fn side(&self, side: Side) -> Option<&SideTruth> {
        match side {
            Side::Front => Some(&self.front),
            Side::Back => self.back.as_ref(),
        }
    }

    /// The printed values whose text is drawn on `side`.
    pub fn printed_on(&self, side: Side) -> BTreeMap<Field, String> {
        let Some(truth) = self.side(side) else {
            return BTreeMap::new();
        };
        self.printed
            .iter()
            .filter(|(f, _)| {
                truth
                    .texts
                    .iter()
                    .any(|t| t.kind == TextKind::Value && t.field == Some(**f))
            })
            .map(|(f, v)| (*f, v.clone()))
            .collect()
    }
}

impl Specimen {
    /// The image of `side`.
    pub fn image(&self, side: Side) -> Option<&RgbImage> {
        match side {
            Side::Front => Some(&self.front),
            Side::Back => self.back.as_ref(),
        }
    }

    /// The front with `photo` printed in the portrait's box instead of the drawn silhouette:
    /// scaled to cover the box (cropped to its shape, centred), for face-match tests. A front
    /// without a portrait box is left as it is.
    pub fn with_portrait_photo(mut self, photo: &RgbImage) -> Specimen {
        let Some(b) = self.truth.front.portrait else {
            return self;
        };
        let (pw, ph) = (photo.width().max(1) as f32, photo.height().max(1) as f32);
        let scale = (b.width as f32 / pw).max(b.height as f32 / ph);
        let (sw, sh) = (
            ((pw * scale).ceil() as u32).max(b.width),
            ((ph * scale).ceil() as u32).max(b.height),
        );
        let scaled = image::imageops::resize(photo, sw, sh, image::imageops::FilterType::Triangle);
        let crop = image::imageops::crop_imm(
            &scaled,
            (sw - b.width) / 2,
            (sh - b.height) / 2,
            b.width,
            b.height,
        )
        .to_image();
        image::imageops::replace(&mut self.front, &crop, i64::from(b.x), i64::from(b.y));
        self
    }

    /// The front with its portrait box painted over in the colour of the box's corner (a
    /// document whose portrait cannot be seen); the truth no longer has a portrait.
    pub fn without_portrait(mut self) -> Specimen {
        let Some(b) = self.truth.front.portrait.take() else {
            return self;
        };
        let fill = self
            .front
            .get_pixel_checked(b.x.saturating_sub(2), b.y.saturating_sub(2))
            .copied()
            .unwrap_or(Rgb([235, 235, 235]));
        for y in b.y..(b.y + b.height).min(self.front.height()) {
            for x in b.x..(b.x + b.width).min(self.front.width()) {
                self.front.put_pixel(x, y, fill);
            }
        }
        self
    }

    /// The image that carries the MRZ (the back of a TD1 card, otherwise the front).
    pub fn mrz_side(&self) -> &RgbImage {
        match (&self.back, self.truth.spec.format.mrz_on_back()) {
            (Some(back), true) => back,
            _ => &self.front,
        }
    }
}

/// Whether the render carries its MRZ; a document without one serves as a negative sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mrz {
    Printed,
    Omitted,
}

/// Renders `spec`: the document image(s) and the ground truth.
///
/// ```
/// use idverify_testkit::{render, RenderOptions, SpecimenSpec, DocFormat, ChaCha8Rng, rand::SeedableRng};
/// let spec = SpecimenSpec::random_of(DocFormat::Td3, &mut ChaCha8Rng::seed_from_u64(1));
/// let s = render(&spec, &RenderOptions::default()).unwrap();
/// assert_eq!(s.truth.mrz_lines.len(), 2);
/// assert!(s.front.width() > 1400);
/// ```
pub fn render(spec: &SpecimenSpec, opts: &RenderOptions) -> Result<Specimen, Error> {
    render_inner(spec, opts, Mrz::Printed)
}

/// Renders the front of `spec` with no MRZ at all (the MRZ band left blank): a document-like
/// image for negative samples. For a TD1 card only the front is returned.
pub fn render_without_mrz(spec: &SpecimenSpec, opts: &RenderOptions) -> Result<Specimen, Error> {
    render_inner(spec, opts, Mrz::Omitted)
}

fn render_inner(spec: &SpecimenSpec, opts: &RenderOptions, mrz: Mrz) -> Result<Specimen, Error> {
    if !(100.0..=600.0).contains(&opts.dpi) {
        return Err(Error::Dpi(opts.dpi));
    }
    let fonts = Fonts::load(spec.font)?;
    let lines = match mrz {
        Mrz::Printed => mrz_lines(spec)?,
        Mrz::Omitted => Vec::new(),
    };
    let printed = spec.printed_values();
    let palette = Palette::from_seed(spec.seed);
    let ppm = opts.dpi / 25.4;
    let (w_mm, h_mm) = spec.format.size_mm();

    let mut front = Canvas::new(w_mm, h_mm, ppm, &palette, spec.seed);
    draw_front(&mut front, &fonts, spec, &printed, &palette)?;
    if !spec.format.mrz_on_back() && mrz == Mrz::Printed {
        front.draw_mrz(&fonts.ocrb, spec.format, &lines)?;
    }
    let (back_img, back_truth) = if spec.format.has_back() && mrz == Mrz::Printed {
        let mut back = Canvas::new(w_mm, h_mm, ppm, &palette, spec.seed ^ 0x5eed);
        draw_card_back(&mut back, &fonts, spec, &printed, &palette)?;
        if spec.format.mrz_on_back() {
            back.draw_mrz(&fonts.ocrb, spec.format, &lines)?;
        }
        (Some(back.img), Some(back.truth))
    } else {
        (None, None)
    };
    // The truth lists only what is actually printed somewhere on the document.
    let drawn = |f: &Field| {
        std::iter::once(&front.truth)
            .chain(back_truth.as_ref())
            .any(|side| {
                side.texts
                    .iter()
                    .any(|t| t.kind == TextKind::Value && t.field == Some(*f))
            })
    };
    let printed = printed.into_iter().filter(|(f, _)| drawn(f)).collect();
    Ok(Specimen {
        front: front.img,
        back: back_img,
        truth: GroundTruth {
            spec: spec.clone(),
            mrz_lines: lines,
            printed,
            front: front.truth,
            back: back_truth,
        },
    })
}

/// Colours of one document, drawn from its seed.
#[derive(Debug, Clone)]
struct Palette {
    base: [f32; 3],
    tint: [f32; 3],
    pattern: [f32; 3],
    label: Rgb<u8>,
    value: Rgb<u8>,
    title: Rgb<u8>,
}

impl Palette {
    fn from_seed(seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x00c0_10f5);
        // Pastel security-paper tones: pale green, blue, rose, sand, lilac.
        const BASES: [[f32; 3]; 5] = [
            [226.0, 240.0, 226.0],
            [224.0, 234.0, 246.0],
            [246.0, 228.0, 232.0],
            [244.0, 238.0, 218.0],
            [234.0, 228.0, 244.0],
        ];
        let i = rng.random_range(0..BASES.len());
        let j = (i + rng.random_range(1..BASES.len())) % BASES.len();
        let base = BASES.get(i).copied().unwrap_or(BASES[0]);
        let tint = BASES.get(j).copied().unwrap_or(BASES[1]);
        let pattern = [base[0] - 40.0, base[1] - 34.0, base[2] - 30.0];
        const LABELS: [[u8; 3]; 4] = [[30, 60, 120], [70, 70, 80], [110, 40, 60], [20, 90, 90]];
        let l = LABELS
            .get(rng.random_range(0..LABELS.len()))
            .copied()
            .unwrap_or(LABELS[0]);
        Self {
            base,
            tint,
            pattern,
            label: Rgb(l),
            value: Rgb([18, 18, 24]),
            title: Rgb([l[0] / 2, l[1] / 2, l[2] / 2 + 20]),
        }
    }
}

/// Sine by table, so the full-resolution background stays cheap.
pub(crate) struct SineTable([f32; 1024]);

impl SineTable {
    pub(crate) fn new() -> Self {
        let mut t = [0.0f32; 1024];
        for (i, v) in t.iter_mut().enumerate() {
            *v = (i as f32 / 1024.0 * std::f32::consts::TAU).sin();
        }
        Self(t)
    }
    pub(crate) fn sin(&self, x: f32) -> f32 {
        let i = ((x * (1024.0 / std::f32::consts::TAU)) as i64).rem_euclid(1024) as usize;
        self.0.get(i).copied().unwrap_or(0.0)
    }
}

struct Canvas {
    img: RgbImage,
    ppm: f32,
    truth: SideTruth,
}

impl Canvas {
    fn new(w_mm: f32, h_mm: f32, ppm: f32, palette: &Palette, seed: u64) -> Self {
        let w = (w_mm * ppm).round().max(1.0) as u32;
        let h = (h_mm * ppm).round().max(1.0) as u32;
        let mut img = RgbImage::new(w, h);
        paint_background(&mut img, ppm, palette, seed);
        Self {
            img,
            ppm,
            truth: SideTruth {
                width: w,
                height: h,
                texts: Vec::new(),
                mrz: Vec::new(),
                portrait: None,
            },
        }
    }

    fn px(&self, mm: f32) -> f32 {
        mm * self.ppm
    }

    /// Draws `text` with its baseline at `(x, baseline)` pixels; returns the ink box.
    fn draw_text(
        &mut self,
        font: &FontRef<'_>,
        size_px: f32,
        x: f32,
        baseline: f32,
        text: &str,
        color: Rgb<u8>,
    ) -> Result<Option<BBox>, Error> {
        let scale = PxScale::from(size_px);
        let scaled = font.as_scaled(scale);
        let mut caret = x;
        let mut prev = None;
        let mut ink: Option<(f32, f32, f32, f32)> = None;
        for c in text.chars() {
            let id = font.glyph_id(c);
            if id.0 == 0 && !c.is_whitespace() {
                return Err(Error::MissingGlyph(c));
            }
            if let Some(p) = prev {
                caret += scaled.kern(p, id);
            }
            let glyph = id.with_scale_and_position(scale, point(caret, baseline));
            caret += scaled.h_advance(id);
            prev = Some(id);
            if let Some(outlined) = font.outline_glyph(glyph) {
                let b = outlined.px_bounds();
                ink = Some(match ink {
                    None => (b.min.x, b.min.y, b.max.x, b.max.y),
                    Some((a, bb, c2, d)) => (
                        a.min(b.min.x),
                        bb.min(b.min.y),
                        c2.max(b.max.x),
                        d.max(b.max.y),
                    ),
                });
                let (ox, oy) = (b.min.x as i64, b.min.y as i64);
                let img = &mut self.img;
                outlined.draw(|gx, gy, cov| {
                    blend(img, ox + i64::from(gx), oy + i64::from(gy), color, cov);
                });
            }
        }
        Ok(ink.map(|(x0, y0, x1, y1)| BBox::from_f32(x0, y0, x1, y1)))
    }

    fn record(&mut self, kind: TextKind, field: Option<Field>, text: &str, bbox: Option<BBox>) {
        if let Some(bbox) = bbox {
            self.truth.texts.push(TextBox {
                kind,
                field,
                text: text.to_owned(),
                bbox,
            });
        }
    }

    /// Draws the MRZ at the ICAO position at the bottom: pitch 2.54 mm, lines centred.
    fn draw_mrz(
        &mut self,
        ocrb: &FontRef<'_>,
        format: DocFormat,
        lines: &[String],
    ) -> Result<(), Error> {
        let (_, cols) = format.mrz_shape();
        let pitch = self.px(MRZ_PITCH_MM);
        let (line_pitch_mm, bottom_baseline_mm, band_mm) = match format {
            DocFormat::Td1 => (4.2, 4.0, 17.9),
            DocFormat::Td2 | DocFormat::Mrvb | DocFormat::FrenchId => (4.6, 4.6, 14.0),
            DocFormat::Td3 | DocFormat::Mrva => (4.8, 5.2, 16.5),
        };
        let line_pitch = self.px(line_pitch_mm);
        let h = self.img.height() as f32;
        // A calmer band behind the MRZ, as on real documents.
        let band_top = (h - self.px(band_mm)).max(0.0) as u32;
        lighten_rows(&mut self.img, band_top, 0.55);

        let zero = ocrb.glyph_id('0');
        let advance_units = ocrb.h_advance_unscaled(zero);
        let units_per_em = ocrb.units_per_em().unwrap_or(1000.0);
        if advance_units <= 0.0 {
            return Err(Error::Font("OCRB.otf"));
        }
        // Scale so that the font's own advance equals the ICAO pitch.
        let size_px = pitch * units_per_em / advance_units * ocrb.height_unscaled() / units_per_em;
        let scale = PxScale::from(size_px);
        let scaled = ocrb.as_scaled(scale);
        let cap = cap_height(ocrb, scale);
        let width = pitch * cols as f32;
        let left = ((self.img.width() as f32 - width) / 2.0).max(0.0);
        let n = lines.len();
        let first_baseline = h - self.px(bottom_baseline_mm) - line_pitch * (n as f32 - 1.0);
        let ink = Rgb([12, 12, 16]);
        for (i, line) in lines.iter().enumerate() {
            let baseline = first_baseline + line_pitch * i as f32;
            let mut char_boxes = Vec::with_capacity(line.len());
            for (j, c) in line.chars().enumerate() {
                let id = ocrb.glyph_id(c);
                if id.0 == 0 {
                    return Err(Error::MissingGlyph(c));
                }
                let cell_x = left + pitch * j as f32;
                let x = cell_x + (pitch - scaled.h_advance(id)) / 2.0;
                let glyph = id.with_scale_and_position(scale, point(x, baseline));
                if let Some(outlined) = ocrb.outline_glyph(glyph) {
                    let b = outlined.px_bounds();
                    let (ox, oy) = (b.min.x as i64, b.min.y as i64);
                    let img = &mut self.img;
                    outlined.draw(|gx, gy, cov| {
                        blend(img, ox + i64::from(gx), oy + i64::from(gy), ink, cov);
                    });
                }
                char_boxes.push(BBox::from_f32(
                    cell_x,
                    baseline - cap,
                    cell_x + pitch,
                    baseline,
                ));
            }
            let bbox = BBox::from_f32(
                left,
                baseline - cap,
                left + pitch * line.chars().count() as f32,
                baseline,
            );
            self.truth.mrz.push(MrzLineTruth {
                text: line.clone(),
                bbox,
                char_boxes,
            });
        }
        Ok(())
    }
}

fn cap_height(font: &FontRef<'_>, scale: PxScale) -> f32 {
    let g = font.glyph_id('H').with_scale(scale);
    font.outline_glyph(g)
        .map_or(scale.y * 0.7, |o| o.px_bounds().height())
}

fn blend(img: &mut RgbImage, x: i64, y: i64, color: Rgb<u8>, alpha: f32) {
    let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else {
        return;
    };
    if let Some(p) = img.get_pixel_mut_checked(x, y) {
        let a = alpha.clamp(0.0, 1.0);
        for (d, s) in p.0.iter_mut().zip(color.0) {
            *d = (f32::from(*d) * (1.0 - a) + f32::from(s) * a).round() as u8;
        }
    }
}

fn lighten_rows(img: &mut RgbImage, from_row: u32, amount: f32) {
    let h = img.height();
    for y in from_row..h {
        // Fade in over the first rows so the band has no hard edge.
        let fade = ((y - from_row) as f32 / 12.0).min(1.0) * amount;
        for x in 0..img.width() {
            let p = img.get_pixel_mut(x, y);
            for v in p.0.iter_mut() {
                *v = (f32::from(*v) + (255.0 - f32::from(*v)) * fade).round() as u8;
            }
        }
    }
}

/// Security-paper background: a diagonal gradient between two pastels, fine wavy interference
/// lines, and a few guilloche rosettes.
fn paint_background(img: &mut RgbImage, ppm: f32, palette: &Palette, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let sine = SineTable::new();
    let (w, h) = (img.width() as f32, img.height() as f32);
    let freq = rng.random_range(0.9..1.6) / ppm; // one wave per ~0.8 mm
    let wobble = rng.random_range(8.0..20.0) * ppm / 12.0;
    let wfreq = rng.random_range(0.05..0.12) / ppm;
    let phase = rng.random_range(0.0..std::f32::consts::TAU);
    let angle = rng.random_range(0.2..1.2f32);
    let (ca, sa) = (angle.cos(), angle.sin());
    let strength = rng.random_range(0.22..0.4f32);
    for y in 0..img.height() {
        let yf = y as f32;
        for x in 0..img.width() {
            let xf = x as f32;
            let t = ((xf / w) * 0.6 + (yf / h) * 0.4).clamp(0.0, 1.0);
            let u = xf * ca + yf * sa;
            let v = -xf * sa + yf * ca;
            let s =
                sine.sin(u * freq * std::f32::consts::TAU + wobble * sine.sin(v * wfreq + phase));
            let line = (s * s * s * s).abs() * strength;
            let mut px = [0u8; 3];
            for (k, out) in px.iter_mut().enumerate() {
                let b = palette.base.get(k).copied().unwrap_or(230.0);
                let tn = palette.tint.get(k).copied().unwrap_or(230.0);
                let pt = palette.pattern.get(k).copied().unwrap_or(190.0);
                let bg = b * (1.0 - t) + tn * t;
                *out = (bg * (1.0 - line) + pt * line).clamp(0.0, 255.0) as u8;
            }
            img.put_pixel(x, y, Rgb(px));
        }
    }
    // Rosettes: hypotrochoids drawn as fine dotted curves.
    let n = rng.random_range(2..=4);
    for _ in 0..n {
        let cx = rng.random_range(0.1..0.9) * w;
        let cy = rng.random_range(0.1..0.9) * h;
        let big = rng.random_range(0.18..0.4) * h;
        let r_ratio: f32 = rng.random_range(0.2..0.45);
        let d_ratio: f32 = rng.random_range(0.4..0.9);
        let k = rng.random_range(7..19) as f32;
        let color = Rgb([
            palette.pattern[0] as u8,
            palette.pattern[1] as u8,
            palette.pattern[2] as u8,
        ]);
        let steps = (big * 60.0) as usize;
        for i in 0..steps {
            let t = i as f32 / steps as f32 * std::f32::consts::TAU * 7.0;
            let r = big * r_ratio;
            let rr = big - r;
            let d = r * d_ratio * k / 8.0;
            let x = cx + rr * t.cos() + d * ((rr / r) * t).cos();
            let y = cy + rr * t.sin() - d * ((rr / r) * t).sin();
            blend(img, x as i64, y as i64, color, 0.5);
        }
    }
}

/// Pixel region in which fields flow.
#[derive(Debug, Clone, Copy)]
struct Region {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// One labelled field to place.
struct Item {
    field: Field,
    value: String,
    /// Fraction of the region width the item takes.
    frac: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelPlacement {
    Above,
    Left,
}

fn text_width(font: &FontRef<'_>, size_px: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size_px));
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            w += scaled.kern(p, id);
        }
        w += scaled.h_advance(id);
        prev = Some(id);
    }
    w
}

/// The size at most `size` at which `text` fits in `max_w` pixels.
fn fit(font: &FontRef<'_>, size: f32, text: &str, max_w: f32) -> f32 {
    let w = text_width(font, size, text);
    if w <= max_w || w <= 0.0 {
        size
    } else {
        size * max_w / w
    }
}

struct FlowStyle {
    label_px: f32,
    value_px: f32,
    placement: LabelPlacement,
    upper_labels: bool,
}

fn flow_fields(
    canvas: &mut Canvas,
    fonts: &Fonts,
    spec: &SpecimenSpec,
    palette: &Palette,
    region: Region,
    items: &[Item],
    style: &FlowStyle,
) -> Result<(), Error> {
    // Group items into rows.
    let mut rows: Vec<Vec<&Item>> = Vec::new();
    let mut used = 1.0;
    for item in items {
        let frac = if style.placement == LabelPlacement::Left {
            1.0
        } else {
            item.frac
        };
        if used + frac > 1.001 {
            rows.push(Vec::new());
            used = 0.0;
        }
        used += frac;
        if let Some(r) = rows.last_mut() {
            r.push(item);
        }
    }
    let row_h = |k: f32| match style.placement {
        LabelPlacement::Above => (style.label_px * 1.05 + style.value_px * 1.2) * k,
        LabelPlacement::Left => style.value_px * 1.45 * k,
    };
    let needed = row_h(1.0) * rows.len() as f32;
    let k = if needed > region.h {
        region.h / needed
    } else {
        1.0
    };
    let (label_px, value_px) = (style.label_px * k, style.value_px * k);
    let pad = canvas.px(1.2);
    let mut y = region.y;
    for row in &rows {
        let mut x = region.x;
        for item in row {
            let frac = if style.placement == LabelPlacement::Left {
                1.0
            } else {
                item.frac
            };
            let cell_w = region.w * frac - pad;
            let mut label = label_text(spec.labels, item.field, spec.format).to_owned();
            if style.upper_labels {
                label = label.to_uppercase();
            }
            match style.placement {
                LabelPlacement::Above => {
                    let lp = fit(&fonts.regular, label_px, &label, cell_w);
                    let lb = y + label_px * 0.85;
                    let bb = canvas.draw_text(&fonts.regular, lp, x, lb, &label, palette.label)?;
                    canvas.record(TextKind::Label, Some(item.field), &label, bb);
                    let vp = fit(&fonts.regular, value_px, &item.value, cell_w);
                    let vb = lb + value_px * 1.05;
                    let bb =
                        canvas.draw_text(&fonts.regular, vp, x, vb, &item.value, palette.value)?;
                    canvas.record(TextKind::Value, Some(item.field), &item.value, bb);
                }
                LabelPlacement::Left => {
                    let col = cell_w * 0.42;
                    let vb = y + value_px * 1.05;
                    let lp = fit(&fonts.regular, label_px, &label, col - pad);
                    let bb = canvas.draw_text(&fonts.regular, lp, x, vb, &label, palette.label)?;
                    canvas.record(TextKind::Label, Some(item.field), &label, bb);
                    let vp = fit(&fonts.regular, value_px, &item.value, cell_w - col);
                    let bb = canvas.draw_text(
                        &fonts.regular,
                        vp,
                        x + col,
                        vb,
                        &item.value,
                        palette.value,
                    )?;
                    canvas.record(TextKind::Value, Some(item.field), &item.value, bb);
                }
            }
            x += region.w * frac;
        }
        y += row_h(k);
    }
    Ok(())
}

/// Page geometry in millimetres for a format's front.
struct FrontPlan {
    header_h: f32,
    portrait: (f32, f32),
    body_top: f32,
    body_bottom: f32,
    label_mm: f32,
    value_mm: f32,
}

fn front_plan(format: DocFormat) -> FrontPlan {
    match format {
        DocFormat::Td1 => FrontPlan {
            header_h: 10.0,
            portrait: (22.0, 28.5),
            body_top: 11.5,
            body_bottom: 51.5,
            label_mm: 1.9,
            value_mm: 3.1,
        },
        DocFormat::Td2 => FrontPlan {
            header_h: 11.0,
            portrait: (26.0, 33.0),
            body_top: 12.5,
            body_bottom: 58.0,
            label_mm: 2.0,
            value_mm: 3.3,
        },
        DocFormat::Td3 => FrontPlan {
            header_h: 12.0,
            portrait: (32.0, 41.0),
            body_top: 13.5,
            body_bottom: 69.0,
            label_mm: 2.1,
            value_mm: 3.5,
        },
        DocFormat::Mrva => FrontPlan {
            header_h: 11.0,
            portrait: (28.0, 36.0),
            body_top: 12.5,
            body_bottom: 61.0,
            label_mm: 2.0,
            value_mm: 3.3,
        },
        DocFormat::FrenchId => FrontPlan {
            header_h: 11.0,
            portrait: (26.0, 33.0),
            body_top: 12.5,
            body_bottom: 58.0,
            label_mm: 2.0,
            value_mm: 3.4,
        },
        DocFormat::Mrvb => FrontPlan {
            header_h: 11.0,
            portrait: (25.0, 32.0),
            body_top: 12.5,
            body_bottom: 58.0,
            label_mm: 1.9,
            value_mm: 3.1,
        },
    }
}

fn front_items(spec: &SpecimenSpec, printed: &BTreeMap<Field, String>) -> Vec<Item> {
    let order: &[(Field, f32)] = match spec.format {
        DocFormat::Td3 => &[
            (Field::DocumentType, 0.2),
            (Field::IssuingState, 0.3),
            (Field::DocumentNumber, 0.5),
            (Field::Surname, 1.0),
            (Field::GivenNames, 1.0),
            (Field::Nationality, 0.5),
            (Field::DateOfBirth, 0.5),
            (Field::Sex, 0.25),
            (Field::PlaceOfBirth, 0.75),
            (Field::DateOfIssue, 0.5),
            (Field::Authority, 0.5),
            (Field::DateOfExpiry, 0.5),
            (Field::PersonalNumber, 0.5),
        ],
        DocFormat::Td1 => &[
            (Field::Surname, 1.0),
            (Field::GivenNames, 1.0),
            (Field::Sex, 0.3),
            (Field::Nationality, 0.7),
            (Field::DateOfBirth, 0.5),
            (Field::DocumentNumber, 0.5),
            (Field::DateOfExpiry, 0.5),
        ],
        DocFormat::Td2 => &[
            (Field::Surname, 1.0),
            (Field::GivenNames, 1.0),
            (Field::Sex, 0.3),
            (Field::Nationality, 0.7),
            (Field::DateOfBirth, 0.5),
            (Field::PlaceOfBirth, 0.5),
            (Field::DocumentNumber, 0.5),
            (Field::DateOfExpiry, 0.5),
            (Field::DateOfIssue, 0.5),
            (Field::Authority, 0.5),
        ],
        DocFormat::FrenchId => &[
            (Field::DocumentNumber, 1.0),
            (Field::Surname, 1.0),
            (Field::GivenNames, 1.0),
            (Field::Sex, 0.3),
            (Field::DateOfBirth, 0.7),
            (Field::PlaceOfBirth, 1.0),
        ],
        DocFormat::Mrva | DocFormat::Mrvb => &[
            (Field::DateOfIssue, 0.5),
            (Field::DateOfExpiry, 0.5),
            (Field::Authority, 1.0),
            (Field::Surname, 1.0),
            (Field::GivenNames, 1.0),
            (Field::DocumentNumber, 0.5),
            (Field::Sex, 0.5),
            (Field::DateOfBirth, 0.5),
            (Field::Nationality, 0.5),
        ],
    };
    order
        .iter()
        .filter_map(|(field, frac)| {
            printed.get(field).map(|v| Item {
                field: *field,
                value: v.clone(),
                frac: *frac,
            })
        })
        .collect()
}

fn draw_header(
    canvas: &mut Canvas,
    fonts: &Fonts,
    spec: &SpecimenSpec,
    palette: &Palette,
    header_h: f32,
) -> Result<(), Error> {
    let w = canvas.img.width() as f32;
    let margin = canvas.px(4.0);
    let country = spec.country_name().to_uppercase();
    let title = title_text(spec.labels, spec.format);
    let size = canvas.px(header_h * 0.27);
    let cs = fit(&fonts.regular, size, &country, w - 2.0 * margin);
    let bb = canvas.draw_text(
        &fonts.regular,
        cs,
        margin,
        canvas.px(header_h * 0.38),
        &country,
        palette.title,
    )?;
    canvas.record(TextKind::Title, None, &country, bb);
    let ts = fit(&fonts.bold, size * 1.25, title, w - 2.0 * margin);
    let bb = canvas.draw_text(
        &fonts.bold,
        ts,
        margin,
        canvas.px(header_h * 0.82),
        title,
        palette.title,
    )?;
    canvas.record(TextKind::Title, None, title, bb);
    Ok(())
}

fn draw_front(
    canvas: &mut Canvas,
    fonts: &Fonts,
    spec: &SpecimenSpec,
    printed: &BTreeMap<Field, String>,
    palette: &Palette,
) -> Result<(), Error> {
    let plan = front_plan(spec.format);
    draw_header(canvas, fonts, spec, palette, plan.header_h)?;
    let w_mm = spec.format.size_mm().0;
    let margin = 4.0;
    let (pw, ph) = plan.portrait;
    let portrait_left = spec.layout != Layout::Mirrored;
    let px_mm = if portrait_left {
        margin
    } else {
        w_mm - margin - pw
    };
    let portrait = BBox::from_f32(
        canvas.px(px_mm),
        canvas.px(plan.body_top),
        canvas.px(px_mm + pw),
        canvas.px(plan.body_top + ph),
    );
    draw_portrait(&mut canvas.img, portrait, spec.seed);
    canvas.truth.portrait = Some(portrait);
    let body_x = if portrait_left {
        margin + pw + 3.5
    } else {
        margin
    };
    let body_w = w_mm - 2.0 * margin - pw - 3.5;
    let region = Region {
        x: canvas.px(body_x),
        y: canvas.px(plan.body_top),
        w: canvas.px(body_w),
        h: canvas.px(plan.body_bottom - plan.body_top),
    };
    let style = FlowStyle {
        label_px: canvas.px(plan.label_mm),
        value_px: canvas.px(plan.value_mm),
        placement: if spec.layout == Layout::Inline {
            LabelPlacement::Left
        } else {
            LabelPlacement::Above
        },
        upper_labels: spec.layout == Layout::Inline,
    };
    let items = front_items(spec, printed);
    flow_fields(canvas, fonts, spec, palette, region, &items, &style)
}

fn draw_card_back(
    canvas: &mut Canvas,
    fonts: &Fonts,
    spec: &SpecimenSpec,
    printed: &BTreeMap<Field, String>,
    palette: &Palette,
) -> Result<(), Error> {
    let fields: &[(Field, f32)] = if spec.format == DocFormat::FrenchId {
        &[
            (Field::DateOfExpiry, 1.0),
            (Field::DateOfIssue, 1.0),
            (Field::Authority, 1.0),
        ]
    } else {
        &[
            (Field::PlaceOfBirth, 1.0),
            (Field::DateOfIssue, 0.5),
            (Field::PersonalNumber, 0.5),
            (Field::Authority, 1.0),
        ]
    };
    let items: Vec<Item> = fields
        .iter()
        .filter_map(|(field, frac)| {
            printed.get(field).map(|v| Item {
                field: *field,
                value: v.clone(),
                frac: *frac,
            })
        })
        .collect();
    let region = Region {
        x: canvas.px(5.0),
        y: canvas.px(4.0),
        w: canvas.px(55.0),
        h: canvas.px(29.0),
    };
    let style = FlowStyle {
        label_px: canvas.px(1.9),
        value_px: canvas.px(3.0),
        placement: if spec.layout == Layout::Inline {
            LabelPlacement::Left
        } else {
            LabelPlacement::Above
        },
        upper_labels: spec.layout == Layout::Inline,
    };
    flow_fields(canvas, fonts, spec, palette, region, &items, &style)?;
    // A small ghost portrait on the right, as many cards print.
    let ghost = BBox::from_f32(
        canvas.px(66.0),
        canvas.px(6.0),
        canvas.px(81.0),
        canvas.px(25.0),
    );
    draw_portrait(&mut canvas.img, ghost, spec.seed);
    fade_box(&mut canvas.img, ghost, 0.6);
    Ok(())
}

fn fade_box(img: &mut RgbImage, b: BBox, amount: f32) {
    for y in b.y..b.y.saturating_add(b.height).min(img.height()) {
        for x in b.x..b.x.saturating_add(b.width).min(img.width()) {
            let p = img.get_pixel_mut(x, y);
            for v in p.0.iter_mut() {
                *v = (f32::from(*v) + (235.0 - f32::from(*v)) * amount) as u8;
            }
        }
    }
}

/// A face-like silhouette: backdrop, shoulders, neck, hair and face, with eyes and mouth.
fn draw_portrait(img: &mut RgbImage, b: BBox, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xface);
    let skins: [[f32; 3]; 5] = [
        [236.0, 200.0, 170.0],
        [210.0, 165.0, 130.0],
        [170.0, 120.0, 90.0],
        [120.0, 85.0, 60.0],
        [245.0, 215.0, 190.0],
    ];
    let hairs: [[f32; 3]; 4] = [
        [40.0, 30.0, 25.0],
        [90.0, 60.0, 30.0],
        [200.0, 170.0, 110.0],
        [120.0, 120.0, 120.0],
    ];
    let skin = skins
        .get(rng.random_range(0..skins.len()))
        .copied()
        .unwrap_or(skins[0]);
    let hair = hairs
        .get(rng.random_range(0..hairs.len()))
        .copied()
        .unwrap_or(hairs[0]);
    let cloth = [
        rng.random_range(30.0..120.0f32),
        rng.random_range(30.0..120.0f32),
        rng.random_range(40.0..140.0f32),
    ];
    let bg_top = [214.0f32, 222.0, 232.0];
    let bg_bot = [188.0f32, 198.0, 212.0];
    let (w, h) = (b.width as f32, b.height as f32);
    let cx = w * rng.random_range(0.47..0.53);
    let face_w = w * rng.random_range(0.24..0.29);
    let face_h = h * rng.random_range(0.22..0.26);
    let face_cy = h * 0.42;
    let hair_extra = rng.random_range(0.06..0.16f32) * w;
    let inside = |px: f32, py: f32, cx: f32, cy: f32, rx: f32, ry: f32| {
        let dx = (px - cx) / rx;
        let dy = (py - cy) / ry;
        dx * dx + dy * dy <= 1.0
    };
    for yy in 0..b.height {
        for xx in 0..b.width {
            let (px, py) = (xx as f32 + 0.5, yy as f32 + 0.5);
            let t = py / h;
            let mut c = [
                bg_top[0] * (1.0 - t) + bg_bot[0] * t,
                bg_top[1] * (1.0 - t) + bg_bot[1] * t,
                bg_top[2] * (1.0 - t) + bg_bot[2] * t,
            ];
            if inside(px, py, cx, h * 1.08, w * 0.48, h * 0.36) {
                c = cloth;
            }
            if (px - cx).abs() < face_w * 0.42 && py > face_cy && py < h * 0.8 {
                c = [skin[0] * 0.9, skin[1] * 0.9, skin[2] * 0.9];
            }
            if inside(
                px,
                py,
                cx,
                face_cy - face_h * 0.15,
                face_w + hair_extra * 0.5,
                face_h * 1.02 + hair_extra * 0.3,
            ) {
                c = hair;
            }
            if inside(
                px,
                py,
                cx,
                face_cy + face_h * 0.08,
                face_w * 0.92,
                face_h * 0.98,
            ) {
                c = skin;
                let eye_y = face_cy - face_h * 0.05;
                let eye_dx = face_w * 0.38;
                if inside(px, py, cx - eye_dx, eye_y, face_w * 0.13, face_h * 0.06)
                    || inside(px, py, cx + eye_dx, eye_y, face_w * 0.13, face_h * 0.06)
                {
                    c = [50.0, 40.0, 40.0];
                }
                if inside(
                    px,
                    py,
                    cx,
                    face_cy + face_h * 0.55,
                    face_w * 0.3,
                    face_h * 0.045,
                ) {
                    c = [150.0, 70.0, 70.0];
                }
            }
            let (ix, iy) = (b.x + xx, b.y + yy);
            if let Some(p) = img.get_pixel_mut_checked(ix, iy) {
                *p = Rgb([c[0] as u8, c[1] as u8, c[2] as u8]);
            }
        }
    }
}
