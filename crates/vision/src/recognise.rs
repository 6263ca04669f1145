//! Recognition of one MRZ line: a rectified ink strip, its segmentation into character cells
//! (pitch, phase and a linear change of pitch along the line, as perspective makes it, searched
//! against the column ink profile), and a small
//! multilayer perceptron that gives every cell a probability for each of the 37 MRZ
//! characters.
//!
//! The same [`Strip`], [`segment`] and [`cell_input`] code is used by the training program
//! (`examples/train.rs`), so the classifier sees exactly what it saw when it learned.

use crate::gray::{Gray, quad_inside, rect_filter};

/// The MRZ alphabet, in the classifier's output order.
pub const ALPHABET: &[u8; 37] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
/// Classifier input width (pixels).
pub const CELL_W: usize = 16;
/// Classifier input height (pixels).
pub const CELL_H: usize = 20;
/// Character (cap) height of a strip, in strip pixels.
pub const CAP: f32 = 24.0;
/// Strip half-height, in cap heights.
pub const STRIP_HALF: f32 = 1.25;
/// Cell window width, in pitches.
pub const WIN_W: f32 = 1.3;
/// Cell window height, in cap heights.
pub const WIN_H: f32 = 1.5;

/// A rectified line: ink in `[0, 1]` (1 = darkest), cap height ≈ [`CAP`], text centred
/// vertically.
#[derive(Debug, Clone)]
pub struct Strip {
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
    /// Ink, row-major.
    pub ink: Vec<f32>,
}

impl Strip {
    /// Samples a strip from `img` along a line through `(cx, cy)` with unit direction
    /// `(dx, dy)`, from `a0` to `a1` along it, `cap` being the character height in image
    /// pixels. Box-filtered when the image is larger than the strip.
    #[allow(clippy::too_many_arguments)]
    pub fn sample(
        img: &Gray,
        cx: f32,
        cy: f32,
        dx: f32,
        dy: f32,
        a0: f32,
        a1: f32,
        cap: f32,
    ) -> Strip {
        let s = cap / CAP; // image pixels per strip pixel
        let w = (((a1 - a0) / s).round() as usize).clamp(8, 4000);
        let h = (2.0 * STRIP_HALF * CAP).round() as usize;
        let (nx, ny) = (-dy, dx);
        let sub = (s.ceil() as usize).clamp(1, 4);
        let inv = 1.0 / (sub * sub) as f32;
        let mut vals = vec![0f32; w * h];
        for y in 0..h {
            let v = (y as f32 + 0.5 - h as f32 * 0.5) * s;
            for x in 0..w {
                let u = a0 + (x as f32 + 0.5) * s;
                let mut acc = 0.0;
                for sy in 0..sub {
                    let vv = v + ((sy as f32 + 0.5) / sub as f32 - 0.5) * s;
                    for sx in 0..sub {
                        let uu = u + ((sx as f32 + 0.5) / sub as f32 - 0.5) * s;
                        let px = cx + uu * dx + vv * nx - 0.5;
                        let py = cy + uu * dy + vv * ny - 0.5;
                        acc += img.bilinear(px, py);
                    }
                }
                if let Some(p) = vals.get_mut(y * w + x) {
                    *p = acc * inv;
                }
            }
        }
        Strip::from_luma(w, h, &vals)
    }

    /// Builds a strip from luma values (0 = black): ink is the black-hat of the luma (its
    /// closing minus itself, which keeps dark strokes and drops smooth backgrounds),
    /// normalised by the strip's stroke contrast.
    pub fn from_luma(w: usize, h: usize, vals: &[f32]) -> Strip {
        let g = Gray {
            w,
            h,
            data: vals
                .iter()
                .map(|&v| v.round().clamp(0.0, 255.0) as u8)
                .collect(),
        };
        let k = ((0.55 * CAP) as usize) | 1;
        let closed = rect_filter(&rect_filter(&g, k, k, true), k, k, false);
        let bh: Vec<f32> = closed
            .data
            .iter()
            .zip(&g.data)
            .map(|(c, v)| f32::from(c.saturating_sub(*v)))
            .collect();
        let mut sorted: Vec<f32> = bh.iter().step_by(3).copied().collect();
        sorted.sort_by(f32::total_cmp);
        let contrast = sorted
            .get(((sorted.len() as f32 - 1.0) * 0.97) as usize)
            .copied()
            .unwrap_or(0.0)
            .max(25.0);
        let ink = bh.iter().map(|v| (v / contrast).clamp(0.0, 1.0)).collect();
        Strip { w, h, ink }
    }

    #[inline(always)]
    fn at(&self, x: isize, y: isize) -> f32 {
        if x < 0 || y < 0 || x >= self.w as isize || y >= self.h as isize {
            return 0.0;
        }
        self.ink
            .get(y as usize * self.w + x as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// The ink at `(x, y)`, `(x + 1, y)`, `(x, y + 1)` and `(x + 1, y + 1)` (outside = 0).
    #[inline(always)]
    fn quad(&self, x: isize, y: isize) -> [f32; 4] {
        quad_inside(&self.ink, self.w, self.h, x, y).unwrap_or_else(|| {
            [(0, 0), (1, 0), (0, 1), (1, 1)].map(|(dx, dy)| self.at(x + dx, y + dy))
        })
    }

    /// Bilinear ink at real coordinates (outside = 0).
    #[inline(always)]
    pub fn bilinear(&self, x: f32, y: f32) -> f32 {
        let (xt, yt) = (Tap::at(x), Tap::at(y));
        self.interpolate(xt, yt)
    }

    /// Bilinear ink between the pixels of two taps.
    #[inline(always)]
    fn interpolate(&self, x: Tap, y: Tap) -> f32 {
        let [a, b, c, d] = self.quad(x.i, y.i);
        let top = a + (b - a) * x.f;
        let bot = c + (d - c) * x.f;
        top + (bot - top) * y.f
    }

    /// The strip turned half a turn.
    pub fn rotate180(&self) -> Strip {
        let mut ink = self.ink.clone();
        ink.reverse();
        Strip {
            w: self.w,
            h: self.h,
            ink,
        }
    }
}

/// Where bilinear interpolation at a coordinate reads along one axis: the pixel before it and
/// the weight of the one after.
#[derive(Debug, Clone, Copy)]
struct Tap {
    i: isize,
    f: f32,
}

impl Tap {
    #[inline(always)]
    fn at(x: f32) -> Tap {
        let x0 = x.floor();
        Tap {
            i: x0 as isize,
            f: x - x0,
        }
    }
}

/// Where the characters of a line are: the boundary before cell `i` is at
/// `x0 + i·pitch + curve·i·(i − n)/n` horizontally (the pitch changes linearly along the line by
/// `±curve`, as under perspective), the characters span `[top, bottom]` vertically.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segmentation {
    /// Left edge of the first cell.
    pub x0: f32,
    /// Mean character pitch.
    pub pitch: f32,
    /// Pitch change: the first cell is about `pitch − curve` wide, the last `pitch + curve`.
    pub curve: f32,
    /// Top of the characters.
    pub top: f32,
    /// Bottom of the characters.
    pub bottom: f32,
    /// Number of cells.
    pub n: usize,
}

impl Segmentation {
    /// The boundary before cell `i` (`i` may lie outside `0..=n`).
    pub fn boundary(&self, i: f32) -> f32 {
        let n = self.n.max(1) as f32;
        self.x0 + i * self.pitch + self.curve * i * (i - n) / n
    }

    /// Width of cell `i`.
    pub fn pitch_at(&self, i: isize) -> f32 {
        let i = i as f32;
        self.boundary(i + 1.0) - self.boundary(i)
    }

    /// Centre of cell `i` (`i` may lie outside the line).
    pub fn center(&self, i: isize) -> (f32, f32) {
        let i = i as f32;
        (
            0.5 * (self.boundary(i) + self.boundary(i + 1.0)),
            (self.top + self.bottom) * 0.5,
        )
    }
}

/// Finds the vertical extent of the text and `n` equal-pitch cells in a strip.
///
/// `hint` is the expected horizontal ink extent (strip pixels), from the locator.
pub fn segment(strip: &Strip, n: usize, hint: (f32, f32)) -> Option<Segmentation> {
    if n == 0 || strip.w < 8 {
        return None;
    }
    // Vertical: row ink profile within the hinted extent.
    let hx0 = (hint.0.max(0.0) as usize).min(strip.w);
    let hx1 = (hint.1.max(0.0) as usize).min(strip.w).max(hx0);
    let mut rows = vec![0f32; strip.h];
    for (y, r) in rows.iter_mut().enumerate() {
        let row = strip
            .ink
            .get(y * strip.w + hx0..y * strip.w + hx1)
            .unwrap_or(&[]);
        *r = row.iter().sum::<f32>() / (hx1 - hx0).max(1) as f32;
    }
    // Grow from the centre row while the row carries ink.
    let mid = strip.h / 2;
    let peak = rows
        .get(mid.saturating_sub(6)..(mid + 6).min(strip.h))
        .unwrap_or(&[])
        .iter()
        .copied()
        .fold(0.0f32, f32::max);
    if peak <= 0.02 {
        return None;
    }
    let base = rows.iter().copied().fold(f32::MAX, f32::min);
    let thr = base + (peak - base) * 0.3;
    let mut top = mid;
    while top > 0 && rows.get(top - 1).copied().unwrap_or(0.0) > thr {
        top -= 1;
    }
    let mut bottom = mid;
    while bottom + 1 < strip.h && rows.get(bottom + 1).copied().unwrap_or(0.0) > thr {
        bottom += 1;
    }
    let (mut top, mut bottom) = (top as f32, bottom as f32 + 1.0);
    let hgt = bottom - top;
    if !(0.55 * CAP..=1.6 * CAP).contains(&hgt) {
        // Implausible: fall back to the nominal extent.
        top = strip.h as f32 * 0.5 - CAP * 0.5;
        bottom = strip.h as f32 * 0.5 + CAP * 0.5;
    }
    // Column profile within [top, bottom].
    let (ty, by) = (top.max(0.0) as usize, (bottom as usize).min(strip.h));
    let mut cols = vec![0f32; strip.w];
    for y in ty..by {
        let row = strip.ink.get(y * strip.w..(y + 1) * strip.w).unwrap_or(&[]);
        for (c, v) in cols.iter_mut().zip(row) {
            *c += v;
        }
    }
    let span = (by - ty).max(1) as f32;
    cols.iter_mut().for_each(|c| *c /= span);
    // Ink extent: from the hint, move outwards/inwards to the first columns with ink.
    let margin = (0.6 * CAP) as usize;
    let search0 = hx0.saturating_sub(margin);
    let search1 = (hx1 + margin).min(strip.w);
    let mut sorted: Vec<f32> = cols.get(search0..search1).unwrap_or(&[]).to_vec();
    sorted.sort_by(f32::total_cmp);
    let q = |f: f32| {
        sorted
            .get(((sorted.len() as f32 - 1.0) * f) as usize)
            .copied()
            .unwrap_or(0.0)
    };
    let (cbase, chigh) = (q(0.1), q(0.9));
    let cthr = cbase + 0.25 * (chigh - cbase);
    let on = |x: usize| cols.get(x).copied().unwrap_or(0.0) > cthr;
    let mut left = None;
    for x in search0..search1 {
        if on(x) && on(x + 1) {
            left = Some(x as f32);
            break;
        }
    }
    let mut right = None;
    for x in (search0..search1).rev() {
        if on(x) && x > 0 && on(x - 1) {
            right = Some(x as f32 + 1.0);
            break;
        }
    }
    let (left, right) = (left?, right?);
    if right - left < n as f32 * 0.3 * CAP {
        return None;
    }
    // Pitch/phase search: boundaries should fall on low-ink columns, cells must cover the ink.
    let interp = |x: f32| -> f32 {
        let xi = x.floor();
        let f = x - xi;
        let i = xi as isize;
        let g = |k: isize| {
            if k < 0 {
                0.0
            } else {
                cols.get(k as usize).copied().unwrap_or(0.0)
            }
        };
        g(i) * (1.0 - f) + g(i + 1) * f
    };
    let ext = right - left;
    let nf = n as f32;
    let (p_lo, p_hi) = (ext / (nf + 0.15), ext / (nf - 0.75));
    let mut best = (f32::MAX, 0.0f32, 0.0f32, 0.0f32);
    let psteps = 24;
    let osteps = 16;
    for &cf in &CURVES {
        for pi in 0..=psteps {
            let p = p_lo + (p_hi - p_lo) * pi as f32 / psteps as f32;
            let c = cf * p;
            // The first cell starts at most 0.45 pitch before the first ink, the last ends
            // after the last ink.
            let o_lo = left - 0.45 * p;
            let o_hi = left + 0.05 * p;
            for oi in 0..=osteps {
                let o = o_lo + (o_hi - o_lo) * oi as f32 / osteps as f32;
                let end = o + nf * p;
                if end < right - 0.05 * p || end > right + 0.5 * p {
                    continue;
                }
                let mut s = 0.0;
                for i in 0..=n {
                    let fi = i as f32;
                    s += interp(o + fi * p + c * fi * (fi - nf) / nf);
                }
                // Prefer symmetric margins when the profile is flat, and an even pitch unless
                // the profile clearly says otherwise.
                let sym = ((left - o) - (end - right)).abs() / p * 0.02 * nf;
                let bend = cf.abs() * CURVE_PENALTY * nf;
                let s = s + sym + bend;
                if s < best.0 {
                    best = (s, o, p, c);
                }
            }
        }
    }
    if best.0 == f32::MAX {
        let p = ext / (nf - 0.3);
        best = (0.0, left - 0.15 * p, p, 0.0);
    }
    Some(Segmentation {
        x0: best.1,
        pitch: best.2,
        curve: best.3,
        top,
        bottom,
        n,
    })
}

/// Pitch changes along a line tried by [`segment`], as fractions of the pitch (perspective makes
/// the far end of a line narrower).
const CURVES: [f32; 5] = [0.0, -0.04, 0.04, -0.08, 0.08];
/// Column-ink cost per cell of a pitch change of one pitch (keeps flat profiles even).
const CURVE_PENALTY: f32 = 0.05;

/// The classifier input for cell `i`: a [`CELL_W`]×[`CELL_H`] ink window, [`WIN_W`] pitches
/// wide and [`WIN_H`] character heights tall, centred on the cell, shifted by
/// `(shift_x, shift_y)` strip pixels.
pub fn cell_input(strip: &Strip, seg: &Segmentation, i: isize, shift: (f32, f32), out: &mut [f32]) {
    let (cx, cy) = seg.center(i);
    let (cx, cy) = (cx + shift.0, cy + shift.1);
    let ww = WIN_W * seg.pitch_at(i);
    let wh = WIN_H * (seg.bottom - seg.top).max(1.0);
    let sx = ww / CELL_W as f32;
    let sy = wh / CELL_H as f32;
    // 2×2 supersampling: the two sample columns of every input column and the two sample rows
    // of every input row.
    let xs: [[Tap; 2]; CELL_W] = std::array::from_fn(|x| {
        let px = cx - ww * 0.5 + (x as f32 + 0.5) * sx - 0.5;
        [Tap::at(px - 0.25 * sx), Tap::at(px + 0.25 * sx)]
    });
    for (y, row) in out.chunks_exact_mut(CELL_W).take(CELL_H).enumerate() {
        let py = cy - wh * 0.5 + (y as f32 + 0.5) * sy - 0.5;
        let (y0, y1) = (Tap::at(py - 0.25 * sy), Tap::at(py + 0.25 * sy));
        for (o, [x0, x1]) in row.iter_mut().zip(xs) {
            *o = 0.25
                * (strip.interpolate(x0, y0)
                    + strip.interpolate(x1, y0)
                    + strip.interpolate(x0, y1)
                    + strip.interpolate(x1, y1));
        }
    }
}

/// One dense layer, `out = W·in + b`, `W` row-major `[outputs][inputs]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dense {
    /// Number of inputs.
    pub inputs: usize,
    /// Number of outputs.
    pub outputs: usize,
    /// Weights.
    pub w: Vec<f32>,
    /// Biases.
    pub b: Vec<f32>,
}

/// Why recogniser weights could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not the expected file.
    #[error(
        "not an idverify MRZ recogniser file (bad magic); rebuild it with training/train-recogniser"
    )]
    BadMagic,
    /// Truncated or inconsistent.
    #[error("the MRZ recogniser file is truncated or inconsistent")]
    Corrupt,
}

const MAGIC: &[u8; 8] = b"IVMLP01\n";

/// The MRZ character classifier: a multilayer perceptron with ReLU hidden layers and a
/// softmax over [`ALPHABET`].
#[derive(Debug, Clone, PartialEq)]
pub struct Mlp {
    /// Layers, input first.
    pub layers: Vec<Dense>,
}

impl Mlp {
    /// Parses the weights file format: magic, `u32` layer count, then per layer `u32` inputs,
    /// `u32` outputs, `f32` weights and `f32` biases, all little-endian.
    pub fn from_bytes(bytes: &[u8]) -> Result<Mlp, ModelError> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(ModelError::BadMagic);
        }
        let mut pos = 8usize;
        let u32_at = |pos: &mut usize| -> Result<u32, ModelError> {
            let b = bytes.get(*pos..*pos + 4).ok_or(ModelError::Corrupt)?;
            *pos += 4;
            Ok(u32::from_le_bytes([
                b.first().copied().unwrap_or(0),
                b.get(1).copied().unwrap_or(0),
                b.get(2).copied().unwrap_or(0),
                b.get(3).copied().unwrap_or(0),
            ]))
        };
        let count = u32_at(&mut pos)? as usize;
        if count == 0 || count > 8 {
            return Err(ModelError::Corrupt);
        }
        let mut layers = Vec::with_capacity(count);
        let mut expected_in = CELL_W * CELL_H;
        for _ in 0..count {
            let inputs = u32_at(&mut pos)? as usize;
            let outputs = u32_at(&mut pos)? as usize;
            if inputs != expected_in || outputs == 0 || outputs > 4096 {
                return Err(ModelError::Corrupt);
            }
            let mut read_f32s = |k: usize| -> Result<Vec<f32>, ModelError> {
                let raw = bytes.get(pos..pos + 4 * k).ok_or(ModelError::Corrupt)?;
                pos += 4 * k;
                Ok(raw
                    .chunks_exact(4)
                    .filter_map(|c| <[u8; 4]>::try_from(c).ok().map(f32::from_le_bytes))
                    .collect())
            };
            let w = read_f32s(inputs * outputs)?;
            let b = read_f32s(outputs)?;
            layers.push(Dense {
                inputs,
                outputs,
                w,
                b,
            });
            expected_in = outputs;
        }
        if expected_in != ALPHABET.len() || pos != bytes.len() {
            return Err(ModelError::Corrupt);
        }
        Ok(Mlp { layers })
    }

    /// Serialises to the format read by [`Mlp::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(self.layers.len() as u32).to_le_bytes());
        for l in &self.layers {
            out.extend_from_slice(&(l.inputs as u32).to_le_bytes());
            out.extend_from_slice(&(l.outputs as u32).to_le_bytes());
            for v in l.w.iter().chain(&l.b) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Class probabilities for one input.
    pub fn probabilities(&self, input: &[f32]) -> Vec<f32> {
        self.probabilities_batch(input, 1)
    }

    /// Class probabilities for `count` inputs laid end to end: `count` rows of
    /// [`ALPHABET`]`.len()` probabilities, each exactly what [`Mlp::probabilities`] gives for its
    /// input. Each layer runs over the inputs a few at a time, every weight row applied to all
    /// of them while it is in cache.
    pub fn probabilities_batch(&self, inputs: &[f32], count: usize) -> Vec<f32> {
        /// Inputs that share one pass over a layer's weights.
        const CHUNK: usize = 16;
        let mut cur: Vec<f32> = inputs.to_vec();
        let mut width = inputs.len() / count.max(1);
        let last = self.layers.len().saturating_sub(1);
        for (li, l) in self.layers.iter().enumerate() {
            let mut next = vec![0f32; count * l.outputs];
            for (ins, outs) in cur
                .chunks(CHUNK * width.max(1))
                .zip(next.chunks_mut(CHUNK * l.outputs))
            {
                for (o, (row, bias)) in l.w.chunks_exact(l.inputs).zip(&l.b).enumerate() {
                    for (x, y) in ins
                        .chunks_exact(width.max(1))
                        .zip(outs.chunks_exact_mut(l.outputs))
                    {
                        if let Some(v) = y.get_mut(o) {
                            *v = bias + dot(row, x);
                        }
                    }
                }
            }
            if li != last {
                next.iter_mut().for_each(|v| *v = v.max(0.0));
            }
            cur = next;
            width = l.outputs;
        }
        for p in cur.chunks_exact_mut(width.max(1)) {
            softmax(p);
        }
        cur
    }
}

/// Dot product, written to vectorise.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let ca = a.chunks_exact(8);
    let cb = b.chunks_exact(8);
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for ((s, xv), yv) in acc.iter_mut().zip(x).zip(y) {
            *s += xv * yv;
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// In-place softmax.
pub fn softmax(v: &mut [f32]) {
    let m = v.iter().copied().fold(f32::MIN, f32::max);
    let mut sum = 0.0;
    for x in v.iter_mut() {
        *x = (*x - m).exp();
        sum += *x;
    }
    if sum > 0.0 {
        v.iter_mut().for_each(|x| *x /= sum);
    }
}

/// Per-character reading: the alternatives, best first, with probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct CharGuess {
    /// `(character, probability)`, best first.
    pub alternatives: Vec<(char, f32)>,
}

impl CharGuess {
    /// The best character.
    pub fn best(&self) -> char {
        self.alternatives.first().map(|a| a.0).unwrap_or('<')
    }
    /// Probability of the best character.
    pub fn confidence(&self) -> f32 {
        self.alternatives.first().map(|a| a.1).unwrap_or(0.0)
    }
}

/// Classifies cell `i` of a segmentation (`i` may lie one cell outside the line), averaged over a
/// small horizontal jitter.
pub fn classify_cell(strip: &Strip, seg: &Segmentation, i: isize, mlp: &Mlp) -> CharGuess {
    classify_cells(strip, seg, i..i + 1, mlp)
        .pop()
        .unwrap_or(CharGuess {
            alternatives: Vec::new(),
        })
}

/// [`classify_cell`] for each cell of `cells`, the classifier run on all of them together.
pub fn classify_cells(
    strip: &Strip,
    seg: &Segmentation,
    cells: std::ops::Range<isize>,
    mlp: &Mlp,
) -> Vec<CharGuess> {
    const JITTER: [f32; 3] = [0.0, -0.08, 0.08];
    let d = CELL_W * CELL_H;
    let count = cells.len() * JITTER.len();
    let mut inputs = vec![0f32; count * d];
    let mut slots = inputs.chunks_exact_mut(d);
    for i in cells.clone() {
        let p = seg.pitch_at(i);
        for j in JITTER {
            if let Some(input) = slots.next() {
                cell_input(strip, seg, i, (j * p, 0.0), input);
            }
        }
    }
    let all = mlp.probabilities_batch(&inputs, count);
    all.chunks_exact(ALPHABET.len() * JITTER.len())
        .map(|cell| {
            let mut probs = vec![0f32; ALPHABET.len()];
            for q in cell.chunks_exact(ALPHABET.len()) {
                for (p, q) in probs.iter_mut().zip(q) {
                    *p += q / JITTER.len() as f32;
                }
            }
            best_of(&probs)
        })
        .collect()
}

/// The four most probable characters (those above 1e-4), best first.
fn best_of(probs: &[f32]) -> CharGuess {
    let mut idx: Vec<usize> = (0..probs.len()).collect();
    idx.sort_by(|a, b| {
        probs
            .get(*b)
            .copied()
            .unwrap_or(0.0)
            .total_cmp(&probs.get(*a).copied().unwrap_or(0.0))
    });
    let alternatives = idx
        .iter()
        .take(4)
        .filter_map(|&k| Some((char::from(*ALPHABET.get(k)?), probs.get(k).copied()?)))
        .filter(|(_, p)| *p > 1e-4)
        .collect();
    CharGuess { alternatives }
}

/// Reads the `n` characters of a strip: segmentation, then the classifier on every cell.
pub fn read_line(
    strip: &Strip,
    n: usize,
    hint: (f32, f32),
    mlp: &Mlp,
) -> Option<(Vec<CharGuess>, Segmentation)> {
    let seg = segment(strip, n, hint)?;
    let out = classify_cells(strip, &seg, 0..n as isize, mlp);
    Some((out, seg))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a panic is a failed test

    use super::*;

    #[test]
    fn a_batch_gives_each_input_its_own_probabilities() {
        let mlp = Mlp::from_bytes(include_bytes!("../weights/mrz-ocrb-mlp.bin")).unwrap();
        let d = CELL_W * CELL_H;
        // More inputs than one pass over the weights takes, and a partial last pass.
        let count = 37;
        let mut s = 5u32;
        let inputs: Vec<f32> = (0..count * d)
            .map(|_| {
                s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (s >> 8) as f32 / 16_777_216.0
            })
            .collect();
        let batch = mlp.probabilities_batch(&inputs, count);
        assert_eq!(batch.len(), count * ALPHABET.len());
        for (k, input) in inputs.chunks_exact(d).enumerate() {
            let one = mlp.probabilities(input);
            assert_eq!(
                &batch[k * ALPHABET.len()..(k + 1) * ALPHABET.len()],
                &one[..]
            );
            assert!((one.iter().sum::<f32>() - 1.0).abs() < 1e-4);
        }
        // Nothing in, nothing out.
        assert!(mlp.probabilities_batch(&[], 0).is_empty());
    }
}
