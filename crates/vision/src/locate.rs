//! Locating the MRZ band on a downscaled grayscale: black-hat text map, connected components,
//! components chained into text lines, and lines grouped into bands of two or three parallel,
//! equal-length, regularly spaced lines — the geometry of a machine readable zone.
//!
//! Everything here works in a *frame*: the downscaled image, or the same turned a quarter
//! turn, so that vertical MRZ lines become horizontal. [`Frame::to_full`] maps frame
//! coordinates back to the full-resolution image.

use crate::gray::{Gray, rect_filter, rotate90};

/// A working raster and how it maps to the full-resolution image.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The working raster.
    pub img: Gray,
    /// Downscale factor: working pixel = full pixel × `scale` (before turning).
    pub scale: f32,
    /// Whether the working raster is the downscaled image turned a quarter turn clockwise.
    pub turned: bool,
    /// Height of the downscaled (unturned) image.
    pub down_h: usize,
}

impl Frame {
    /// Maps a point of the frame to full-resolution coordinates.
    pub fn to_full(&self, x: f32, y: f32) -> (f32, f32) {
        let (xd, yd) = if self.turned {
            (y, self.down_h as f32 - x)
        } else {
            (x, y)
        };
        (xd / self.scale, yd / self.scale)
    }

    /// Maps a direction of the frame to full-resolution coordinates (not normalised).
    pub fn dir_to_full(&self, dx: f32, dy: f32) -> (f32, f32) {
        let (a, b) = if self.turned { (dy, -dx) } else { (dx, dy) };
        (a / self.scale, b / self.scale)
    }
}

/// One text line found in a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// A point on the fitted centre line.
    pub cx: f32,
    /// A point on the fitted centre line.
    pub cy: f32,
    /// Slope angle in radians (image y down).
    pub angle: f32,
    /// Extent along the line direction, relative to `(cx, cy)`: left end (negative).
    pub left: f32,
    /// Extent along the line direction: right end.
    pub right: f32,
    /// Estimated character height.
    pub height: f32,
    /// Number of components.
    pub count: usize,
}

impl TextLine {
    /// Length along the line.
    pub fn length(&self) -> f32 {
        self.right - self.left
    }
    fn dir(&self) -> (f32, f32) {
        (self.angle.cos(), self.angle.sin())
    }
    /// Signed distance of point from this line's centre line (positive = below).
    fn normal_offset(&self, x: f32, y: f32) -> f32 {
        let (dx, dy) = self.dir();
        -(x - self.cx) * dy + (y - self.cy) * dx
    }
    fn along(&self, x: f32, y: f32) -> f32 {
        let (dx, dy) = self.dir();
        (x - self.cx) * dx + (y - self.cy) * dy
    }
}

/// A candidate MRZ band: two or three lines in one frame, top to bottom.
#[derive(Debug, Clone)]
pub struct Band {
    /// Index of the frame it was found in.
    pub frame: usize,
    /// The lines, top to bottom.
    pub lines: Vec<TextLine>,
    /// Geometric plausibility, higher is better.
    pub score: f32,
}

#[derive(Debug, Clone, Copy)]
struct Comp {
    x0: i32,
    y0: i32,
    x1: i32,
    y1: i32,
    n: u32,
}

impl Comp {
    fn h(&self) -> i32 {
        self.y1 - self.y0 + 1
    }
    fn w(&self) -> i32 {
        self.x1 - self.x0 + 1
    }
    fn cx(&self) -> f32 {
        (self.x0 + self.x1) as f32 * 0.5
    }
    fn cy(&self) -> f32 {
        (self.y0 + self.y1) as f32 * 0.5
    }
}

/// The black-hat text mask of a frame: dark strokes thinner than the kernel, thresholded.
pub fn text_mask(img: &Gray) -> Vec<bool> {
    let k = ((img.w.max(img.h) as f32 / 110.0).round() as usize).clamp(7, 21) | 1;
    let closed = rect_filter(&rect_filter(img, k, k, true), k, k, false);
    let bh: Vec<u8> = closed
        .data
        .iter()
        .zip(&img.data)
        .map(|(c, v)| c.saturating_sub(*v))
        .collect();
    let mut hist = [0u32; 256];
    for &v in &bh {
        if let Some(h) = hist.get_mut(usize::from(v)) {
            *h += 1;
        }
    }
    let t = otsu(&hist).max(18);
    // Where glare or shade lowers the print's contrast, strokes fall below the image-wide
    // threshold: also keep strokes that stand out from their neighbourhood (at least half the
    // strongest stroke within a few characters, and a third of the image-wide threshold).
    let local = rect_filter(
        &Gray {
            w: img.w,
            h: img.h,
            data: bh.clone(),
        },
        3 * k,
        3 * k,
        true,
    );
    let floor = (t / 3).max(18);
    bh.iter()
        .zip(&local.data)
        .map(|(&v, &m)| v > t || (v > floor && u16::from(v) * 2 >= u16::from(m)))
        .collect()
}

fn otsu(hist: &[u32; 256]) -> u8 {
    let total: f64 = hist.iter().map(|&c| f64::from(c)).sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * f64::from(c))
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0.0f64, 0.0f64, -1.0f64, 0u8);
    for (t, &c) in hist.iter().enumerate() {
        w0 += f64::from(c);
        sum0 += t as f64 * f64::from(c);
        let w1 = total - w0;
        if w0 <= 0.0 || w1 <= 0.0 {
            continue;
        }
        let m0 = sum0 / w0;
        let m1 = (sum_all - sum0) / w1;
        let between = w0 * w1 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t.min(255) as u8;
        }
    }
    best_t
}

fn components(mask: &[bool], w: usize, h: usize) -> Vec<Comp> {
    let mut label = vec![false; mask.len()];
    let mut out = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for start in 0..mask.len() {
        if !mask.get(start).copied().unwrap_or(false) || label.get(start).copied().unwrap_or(true) {
            continue;
        }
        if let Some(l) = label.get_mut(start) {
            *l = true;
        }
        stack.push(start);
        let mut c = Comp {
            x0: i32::MAX,
            y0: i32::MAX,
            x1: i32::MIN,
            y1: i32::MIN,
            n: 0,
        };
        while let Some(p) = stack.pop() {
            let (x, y) = ((p % w) as i32, (p / w) as i32);
            c.x0 = c.x0.min(x);
            c.x1 = c.x1.max(x);
            c.y0 = c.y0.min(y);
            c.y1 = c.y1.max(y);
            c.n += 1;
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= w as i32 || ny >= h as i32 {
                        continue;
                    }
                    let q = ny as usize * w + nx as usize;
                    if mask.get(q).copied().unwrap_or(false)
                        && !label.get(q).copied().unwrap_or(true)
                    {
                        if let Some(l) = label.get_mut(q) {
                            *l = true;
                        }
                        stack.push(q);
                    }
                }
            }
        }
        out.push(c);
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(x) = parent.get_mut(i) {
            *x = gp;
        }
        i = gp;
    }
    i
}

/// Text lines of a frame: components chained left to right by vertical overlap, similar
/// height and a gap of at most about one character height.
pub fn text_lines(img: &Gray) -> Vec<TextLine> {
    text_lines_in_mask(&text_mask(img), img.w, img.h)
}

/// The text lines of every frame of [`frames`]. The text mask is computed once: the mask of a
/// quarter-turned frame is the quarter-turned mask (square kernels, one histogram).
pub fn frame_lines(frames: &[Frame]) -> Vec<Vec<TextLine>> {
    let upright = frames
        .iter()
        .find(|f| !f.turned)
        .map(|f| (f, text_mask(&f.img)));
    frames
        .iter()
        .map(|f| match &upright {
            Some((u, mask)) if std::ptr::eq(f, *u) => text_lines_in_mask(mask, u.img.w, u.img.h),
            Some((u, mask)) if f.turned && f.img.w == u.img.h && f.img.h == u.img.w => {
                text_lines_in_mask(&rotate90(mask, u.img.w, u.img.h), f.img.w, f.img.h)
            }
            _ => text_lines(&f.img),
        })
        .collect()
}

/// [`text_lines`] of a `w`×`h` frame whose text mask is given.
pub fn text_lines_in_mask(mask: &[bool], w: usize, h: usize) -> Vec<TextLine> {
    let max_h = (h.min(w) / 6).max(8) as i32;
    let mut comps: Vec<Comp> = components(mask, w, h)
        .into_iter()
        .filter(|c| c.h() >= 4 && c.h() <= max_h && c.n >= 6 && c.w() <= w as i32 / 2)
        .collect();
    comps.sort_by_key(|c| c.x0);
    let n = comps.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        let Some(a) = comps.get(i).copied() else {
            continue;
        };
        let mut best: Option<(i32, usize)> = None;
        for j in (i + 1)..n {
            let Some(b) = comps.get(j).copied() else {
                continue;
            };
            let href = a.h().max(b.h());
            if b.x0 > a.x1 + 4 * a.h() + 4 {
                break;
            }
            if b.x0 > a.x1 + (13 * href) / 10 + 2 {
                continue;
            }
            if b.x0 <= a.x0 || b.cx() <= a.cx() {
                continue;
            }
            let gap = b.x0 - a.x1;
            if gap < -(href / 3) {
                continue;
            }
            let hmin = a.h().min(b.h());
            if href as f32 > 2.4 * hmin as f32 {
                continue;
            }
            let overlap = a.y1.min(b.y1) - a.y0.max(b.y0) + 1;
            if (overlap as f32) < 0.6 * hmin as f32 {
                continue;
            }
            if best.is_none_or(|(g, _)| gap < g) {
                best = Some((gap, j));
            }
        }
        if let Some((_, j)) = best {
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            if ri != rj
                && let Some(p) = parent.get_mut(ri)
            {
                *p = rj;
            }
        }
    }
    // Ordered by root so the lines (and the order equal-scoring bands are tried in) are the same
    // on every run: a HashMap's random order made readings of ties vary between runs.
    let mut groups: std::collections::BTreeMap<usize, Vec<Comp>> =
        std::collections::BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        if let Some(c) = comps.get(i) {
            groups.entry(r).or_default().push(*c);
        }
    }
    let mut lines = Vec::new();
    for (_, g) in groups {
        if g.len() < 5 {
            continue;
        }
        if let Some(l) = fit_line(&g)
            && l.length() >= 12.0 * l.height
        {
            lines.push(l);
        }
    }
    lines
}

fn fit_line(g: &[Comp]) -> Option<TextLine> {
    let mut hs: Vec<i32> = g.iter().map(|c| c.h()).collect();
    hs.sort_unstable();
    let h = *hs.get(hs.len() * 3 / 4)? as f32;
    let tall: Vec<&Comp> = g.iter().filter(|c| c.h() as f32 >= 0.6 * h).collect();
    let pts: Vec<&Comp> = if tall.len() >= 3 {
        tall
    } else {
        g.iter().collect()
    };
    let nf = pts.len() as f32;
    let mx = pts.iter().map(|c| c.cx()).sum::<f32>() / nf;
    let my = pts.iter().map(|c| c.cy()).sum::<f32>() / nf;
    let sxx: f32 = pts.iter().map(|c| (c.cx() - mx).powi(2)).sum();
    let sxy: f32 = pts.iter().map(|c| (c.cx() - mx) * (c.cy() - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let angle = (sxy / sxx).atan();
    let mut line = TextLine {
        cx: mx,
        cy: my,
        angle,
        left: 0.0,
        right: 0.0,
        height: h,
        count: g.len(),
    };
    let (mut lo, mut hi) = (f32::MAX, f32::MIN);
    for c in g {
        for (x, y) in [
            (c.x0, c.y0),
            (c.x1 + 1, c.y0),
            (c.x0, c.y1 + 1),
            (c.x1 + 1, c.y1 + 1),
        ] {
            let a = line.along(x as f32, y as f32);
            lo = lo.min(a);
            hi = hi.max(a);
        }
    }
    // Height corrected for the skew's inflation of bounding boxes.
    line.height = (h - (angle.sin().abs() * 0.5 * (hi - lo) / g.len().max(1) as f32)).max(h * 0.7);
    line.left = lo;
    line.right = hi;
    Some(line)
}

/// Groups text lines into candidate bands (two or three lines).
pub fn bands(lines: &[TextLine], frame: usize) -> Vec<Band> {
    let mut out = Vec::new();
    let n = lines.len();
    // Pairwise compatibility: b directly below a.
    let below = |a: &TextLine, b: &TextLine| -> Option<f32> {
        let h = a.height.max(b.height);
        if (a.angle - b.angle).abs() > 0.06 {
            return None;
        }
        if a.height.max(b.height) > 1.45 * a.height.min(b.height) {
            return None;
        }
        let (la, lb) = (a.length(), b.length());
        if la.max(lb) > 1.8 * la.min(lb) {
            return None;
        }
        let d = a.normal_offset(b.cx, b.cy);
        if d < 1.15 * h || d > 3.2 * h {
            return None;
        }
        // Ends aligned along the direction; or, for a line cut short (a run of characters
        // lost to glare, blur or a stroke gap), one end aligned and the other within the
        // longer line's extent.
        let bl = a.along(b.cx, b.cy) + b.left;
        let br = a.along(b.cx, b.cy) + b.right;
        let tol = 0.12 * la.max(lb);
        let (el, er) = ((bl - a.left).abs(), (br - a.right).abs());
        let aligned = la.max(lb) <= 1.2 * la.min(lb) && el <= tol && er <= tol;
        let cut_short = el.min(er) <= tol
            && if lb < la {
                bl >= a.left - tol && br <= a.right + tol
            } else {
                a.left >= bl - tol && a.right <= br + tol
            };
        if !aligned && !cut_short {
            return None;
        }
        let len_score = 1.0 - (la - lb).abs() / la.max(lb);
        let end_score = 1.0 - el.min(er).max(if aligned { el.max(er) } else { tol }) / tol;
        Some(d / h + len_score + 0.5 * (1.0 + end_score) - if aligned { 0.0 } else { 0.5 })
    };
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let (Some(a), Some(b)) = (lines.get(i), lines.get(j)) else {
                continue;
            };
            let Some(s_ab) = below(a, b) else { continue };
            let mut made_triple = false;
            for k in 0..n {
                if k == i || k == j {
                    continue;
                }
                let Some(c) = lines.get(k) else { continue };
                if let Some(s_bc) = below(b, c) {
                    let d1 = a.normal_offset(b.cx, b.cy);
                    let d2 = b.normal_offset(c.cx, c.cy);
                    if (d1 - d2).abs() < 0.25 * d1.max(d2) {
                        made_triple = true;
                        out.push(Band {
                            frame,
                            lines: equalised(vec![a.clone(), b.clone(), c.clone()]),
                            score: 0.5
                                + s_ab.min(s_bc).min(4.0)
                                + ratio_score(a, 30.0)
                                + density(&[a, b, c]),
                        });
                    }
                }
            }
            if !made_triple {
                out.push(Band {
                    frame,
                    lines: equalised(vec![a.clone(), b.clone()]),
                    score: s_ab.min(4.0)
                        + ratio_score(a, 44.0).max(ratio_score(a, 36.0))
                        + density(&[a, b]),
                });
            }
        }
    }
    out
}

/// The lines of a band extended to their common extent: MRZ lines are all equally long, so a
/// line found shorter than the others by more than a character and a half lost characters at
/// an end.
fn equalised(mut lines: Vec<TextLine>) -> Vec<TextLine> {
    let Some(r) = lines.first().cloned() else {
        return lines;
    };
    let (mut lo, mut hi) = (f32::MAX, f32::MIN);
    for l in &lines {
        let o = r.along(l.cx, l.cy);
        lo = lo.min(o + l.left);
        hi = hi.max(o + l.right);
    }
    for l in &mut lines {
        if hi - lo - l.length() > 1.5 * l.height {
            let o = r.along(l.cx, l.cy);
            l.left = l.left.min(lo - o);
            l.right = l.right.max(hi - o);
        }
    }
    lines
}

/// MRZ lines are dense: about one component per character (every filler is printed), where
/// prose has spaces and merged letters. Up to 2 points.
fn density(lines: &[&TextLine]) -> f32 {
    let d: f32 = lines
        .iter()
        .map(|l| l.count as f32 / (l.length() / l.height).max(1.0))
        .fold(f32::MAX, f32::min);
    2.0 * d.min(1.0)
}

/// How well a line's length over height fits `n` OCR-B characters.
fn ratio_score(l: &TextLine, n: f32) -> f32 {
    let r = l.length() / (l.height * n);
    // Measured pitch / cap height of printed MRZs is close to 1.
    1.0 - ((r - 1.0).abs() * 2.0).min(1.0)
}

/// Builds the working frames of a full-resolution gray image: downscaled so that the long
/// side is at most `work_long` (upscaled up to 2× for small images), and its quarter turn.
pub fn frames(full: &Gray, work_long: usize) -> Vec<Frame> {
    let long = full.w.max(full.h).max(1);
    let scale = (work_long as f32 / long as f32).min(2.0);
    let nw = ((full.w as f32 * scale).round() as usize).max(1);
    let nh = ((full.h as f32 * scale).round() as usize).max(1);
    let down = if nw == full.w && nh == full.h {
        full.clone()
    } else {
        full.resize_area(nw, nh)
    };
    let sx = nw as f32 / full.w as f32;
    let turned = down.rotate90();
    vec![
        Frame {
            img: down.clone(),
            scale: sx,
            turned: false,
            down_h: nh,
        },
        Frame {
            img: turned,
            scale: sx,
            turned: true,
            down_h: nh,
        },
    ]
}

/// For a two-line band whose lines are short enough for 30 characters, the three-line bands
/// with a third line assumed at the same spacing above or below (a TD1 whose third line was
/// not detected, e.g. on a patterned background).
pub fn complete_td1(band: &Band) -> Vec<Band> {
    let (Some(a), Some(b)) = (band.lines.first(), band.lines.get(1)) else {
        return Vec::new();
    };
    if band.lines.len() != 2 || a.length() / a.height > 33.0 {
        return Vec::new();
    }
    let d = a.normal_offset(b.cx, b.cy);
    let (nx, ny) = (-a.angle.sin(), a.angle.cos());
    let shifted = |l: &TextLine, k: f32| TextLine {
        cx: l.cx + k * d * nx,
        cy: l.cy + k * d * ny,
        count: 0,
        ..l.clone()
    };
    vec![
        Band {
            frame: band.frame,
            lines: vec![shifted(a, -1.0), a.clone(), b.clone()],
            score: band.score - 1.0,
        },
        Band {
            frame: band.frame,
            lines: vec![a.clone(), b.clone(), shifted(b, 1.0)],
            score: band.score - 1.0,
        },
    ]
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a panic is a failed test

    use super::*;

    fn line(cy: f32, left: f32, right: f32) -> TextLine {
        TextLine {
            cx: 500.0,
            cy,
            angle: 0.0,
            left,
            right,
            height: 20.0,
            count: 40,
        }
    }

    #[test]
    fn a_line_cut_short_at_one_end_pairs_and_is_extended() {
        // Second line lost its last 40 % (e.g. under glare); left ends aligned.
        let lines = [line(100.0, -440.0, 440.0), line(140.0, -440.0, 90.0)];
        let found = bands(&lines, 0);
        let band = found
            .iter()
            .find(|b| b.lines.len() == 2 && b.lines[0].cy < b.lines[1].cy)
            .unwrap();
        assert_eq!(band.lines[1].left, -440.0);
        assert_eq!(band.lines[1].right, 440.0);
        // The band of two whole lines scores higher.
        let whole = bands(&[line(100.0, -440.0, 440.0), line(140.0, -440.0, 440.0)], 0);
        assert!(whole.iter().map(|b| b.score).fold(f32::MIN, f32::max) > band.score);
    }

    #[test]
    fn lines_of_the_turned_frame_come_from_the_turned_mask() {
        // Two rows of character-like strokes (thinner than the black-hat kernel), and a column
        // of them (a line of the turned frame).
        let (w, h) = (420, 300);
        let mut img = Gray::new(w, h, 200);
        let mut block = |x0: usize, y0: usize, bw: usize, bh: usize| {
            for y in y0..y0 + bh {
                for x in x0..x0 + bw {
                    img.data[y * w + x] = 40;
                }
            }
        };
        for i in 0..30 {
            block(40 + 11 * i, 200, 3, 11);
            block(40 + 11 * i, 222, 3, 11);
        }
        for i in 0..16 {
            block(20, 10 + 11 * i, 11, 3);
        }
        let frames = frames(&img, 1000);
        let shared = frame_lines(&frames);
        assert_eq!(shared.len(), 2);
        let key = |l: &TextLine| (l.cy.to_bits(), l.cx.to_bits());
        for (f, lines) in frames.iter().zip(&shared) {
            let mut own = text_lines(&f.img);
            let mut got = lines.clone();
            own.sort_by_key(key);
            got.sort_by_key(key);
            assert!(!got.is_empty());
            assert_eq!(got, own);
        }
    }

    #[test]
    fn lines_misaligned_at_both_ends_do_not_pair() {
        let lines = [line(100.0, -440.0, 440.0), line(140.0, -300.0, 300.0)];
        assert!(bands(&lines, 0).is_empty());
        let shifted = [line(100.0, -440.0, 440.0), line(140.0, -200.0, 680.0)];
        assert!(bands(&shifted, 0).is_empty());
    }
}
