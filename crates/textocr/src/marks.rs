//! Two marks the recogniser does not give back, restored from the image: the diaeresis of `ÿ`
//! (read `ý` or `y`: the letter is rare in what the model learnt from) and the ring of `Å`
//! (read `A` or `Á`). Each letter is looked at where the CTC output placed it: the ink above
//! its body, split from it by a blank row, is the mark. Two dots side by side over a `y` make
//! it `ÿ` (also when read `ï` or `ë` if its stem goes below the line, as a `y`'s does); one
//! stroke closed round a hole over an `a` makes it `å`. Anything less clear leaves the reading
//! alone.

use image::RgbImage;

use crate::DetBox;
use crate::regions::regions;

/// `text` (as the recogniser read the line in box `b`, its characters centred at `char_x`)
/// with the diaeresis of `ÿ` and the ring of `å` put back where the image shows them.
pub(crate) fn restore(image: &RgbImage, b: &DetBox, text: &str, char_x: &[f32]) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != char_x.len() || !chars.iter().any(|c| family(*c).is_some()) {
        return text.to_string();
    }
    let pitch = pitch_of(char_x, b.height);
    let mut out = chars.clone();
    for (i, c) in chars.iter().enumerate() {
        let (Some(fam), Some(&cx)) = (family(*c), char_x.get(i)) else {
            continue;
        };
        let Some(win) = Window::at(image, b, cx, pitch) else {
            continue;
        };
        let restored = match (fam, mark_above(&win, fam)) {
            (Family::Y, Some(Mark::TwoDots)) => Some(if c.is_uppercase() { 'Ÿ' } else { 'ÿ' }),
            (Family::A, Some(Mark::Ring)) => Some(if c.is_uppercase() { 'Å' } else { 'å' }),
            // `ÿ` read as `ï` or `ë`: the dots are there, and the stem goes below the line.
            (Family::DotsOnly, Some(Mark::TwoDots))
                if descends(&win, image, b, char_x, i, pitch, &chars) =>
            {
                Some('ÿ')
            }
            _ => None,
        };
        if let (Some(r), Some(slot)) = (restored, out.get_mut(i)) {
            *slot = r;
        }
    }
    out.into_iter().collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Y,
    A,
    /// `ï`, `ë`: a diaeresis seen over the wrong letter.
    DotsOnly,
}

/// The letters read for `ÿ` and `å`.
fn family(c: char) -> Option<Family> {
    match c {
        'y' | 'ý' | 'Y' | 'Ý' => Some(Family::Y),
        'a' | 'á' | 'A' | 'Á' => Some(Family::A),
        'ï' | 'ë' => Some(Family::DotsOnly),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    TwoDots,
    Ring,
}

/// Letters that go below the line.
const DESCENDERS: &str = "gjpqyÿýçşţșțęąųQJ,;()";

/// Whether the letter `i` (its column `win`) reaches below the line more than a quarter of
/// its neighbours' height: its body ends lower than theirs, the neighbours being letters
/// without a descender.
fn descends(
    win: &Window,
    image: &RgbImage,
    b: &DetBox,
    char_x: &[f32],
    i: usize,
    pitch: f32,
    chars: &[char],
) -> bool {
    let Some((_, bottom)) = win.body_rows() else {
        return false;
    };
    let mut others: Vec<(usize, usize)> = [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter(|&k| {
            chars
                .get(k)
                .is_some_and(|c| c.is_alphabetic() && !DESCENDERS.contains(*c))
        })
        .filter_map(|k| char_x.get(k))
        .filter_map(|&x| Window::at(image, b, x, pitch)?.body_rows())
        .collect();
    others.sort_unstable();
    let Some(&(top, base)) = others.first() else {
        return false;
    };
    let height = base.saturating_sub(top).max(1);
    bottom > base + height / 4
}

/// The median gap between neighbouring character middles, else half the line height.
fn pitch_of(char_x: &[f32], line_height: f32) -> f32 {
    let mut gaps: Vec<f32> = char_x
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if b > a => Some(b - a),
            _ => None,
        })
        .collect();
    gaps.sort_by(f32::total_cmp);
    gaps.get(gaps.len() / 2)
        .copied()
        .unwrap_or(0.5 * line_height)
        .max(2.0)
}

/// A letter's column of the line, binarised: ink mask `w` × `h`, the runs of rows with ink
/// (first row, rows, ink pixels), and which run is the letter's body (the most ink).
struct Window {
    ink: Vec<bool>,
    /// Ink by a stricter threshold (the darker 35% of the range): the paper inside a small ring
    /// that the Otsu threshold fills in shows.
    strict: Vec<bool>,
    w: usize,
    h: usize,
    runs: Vec<(usize, usize, usize)>,
    body: usize,
}

impl Window {
    /// The column one `pitch` wide centred at `cx` over the height of box `b`; `None` when it
    /// is too small or too flat to hold a letter.
    fn at(image: &RgbImage, b: &DetBox, cx: f32, pitch: f32) -> Option<Window> {
        let (iw, ih) = image.dimensions();
        let x0 = (cx - 0.5 * pitch).floor().max(0.0) as u32;
        let x1 = ((cx + 0.5 * pitch).ceil() as u32).min(iw);
        let y0 = b.y.floor().max(0.0) as u32;
        let y1 = ((b.y + b.height).ceil() as u32).min(ih);
        let (w, h) = (x1.checked_sub(x0)? as usize, y1.checked_sub(y0)? as usize);
        if w < 3 || h < 6 {
            return None;
        }
        let grey: Vec<u8> = (y0..y1)
            .flat_map(|y| {
                (x0..x1).map(move |x| {
                    let [r, g, b] = image.get_pixel(x, y).0;
                    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
                })
            })
            .collect();
        let (lo, hi) = grey
            .iter()
            .fold((u8::MAX, 0u8), |(l, h), &v| (l.min(v), h.max(v)));
        if hi.saturating_sub(lo) < 60 {
            return None;
        }
        let t = otsu(&grey);
        let ink: Vec<bool> = grey.iter().map(|&v| v <= t).collect();
        let strict_t = f32::from(lo) + 0.35 * f32::from(hi - lo);
        let strict: Vec<bool> = grey.iter().map(|&v| f32::from(v) <= strict_t).collect();
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for y in 0..h {
            let n = (0..w)
                .filter(|&x| ink.get(y * w + x).copied().unwrap_or(false))
                .count();
            match runs.last_mut() {
                Some(r) if n > 0 && r.0 + r.1 == y => {
                    r.1 += 1;
                    r.2 += n;
                }
                _ if n > 0 => runs.push((y, 1, n)),
                _ => {}
            }
        }
        let body = runs
            .iter()
            .enumerate()
            .max_by_key(|(_, r)| r.2)
            .map(|(k, _)| k)?;
        Some(Window {
            ink,
            strict,
            w,
            h,
            runs,
            body,
        })
    }

    /// The body's first and last rows.
    fn body_rows(&self) -> Option<(usize, usize)> {
        let (top, rows, _) = *self.runs.get(self.body)?;
        Some((top, top + rows - 1))
    }
}

/// What stands above the letter of family `fam` in `win`: two dots side by side, a ring, or
/// nothing this module knows (`None`).
fn mark_above(win: &Window, fam: Family) -> Option<Mark> {
    let (ink, w, h) = (&win.ink, win.w, win.h);
    // A ring set close on its letter touches it: then the letter holds two pockets of paper
    // one above the other (the ring's and the counter's of `A` or the bowl's of `a`).
    if fam == Family::A && (stacked_holes(ink, w, h) || stacked_holes(&win.strict, w, h)) {
        return Some(Mark::Ring);
    }
    // The mark is the run of rows right above the body, smaller than it.
    let (body_top, body_rows, _) = *win.runs.get(win.body)?;
    let (mark_top, mark_rows, _) = *win.runs.get(win.body.checked_sub(1)?)?;
    if mark_rows * 2 > body_rows || mark_top + mark_rows >= body_top {
        return None;
    }
    let comps = components(ink, w, mark_top, mark_rows);
    match comps.as_slice() {
        [a, b] => {
            let (l, r) = if a.x0 <= b.x0 { (a, b) } else { (b, a) };
            let side_by_side = r.x0 > l.x1 + 1;
            let alike = a.pixels * 3 >= b.pixels && b.pixels * 3 >= a.pixels;
            let small = a.x1 - a.x0 < w / 2 && b.x1 - b.x0 < w / 2;
            (side_by_side && alike && small).then_some(Mark::TwoDots)
        }
        [ring] if ring.hole => Some(Mark::Ring),
        _ => None,
    }
}

/// Whether the `w` × `h` mask has two enclosed pockets of paper (not 4-connected to its edge)
/// in its middle half of columns (the CTC output places a letter only roughly), one wholly
/// above the other.
fn stacked_holes(ink: &[bool], w: usize, h: usize) -> bool {
    let central: Vec<(usize, usize)> = pockets(w, h, |i| ink.get(i).copied().unwrap_or(true))
        .iter()
        .filter(|p| {
            let cx = p.iter().map(|i| i % w).sum::<usize>() as f32 / p.len() as f32;
            (cx - (w as f32 - 1.0) / 2.0).abs() <= w as f32 / 4.0
        })
        .map(|p| {
            let rows = p.iter().map(|i| i / w);
            (rows.clone().min().unwrap_or(0), rows.max().unwrap_or(0))
        })
        .collect();
    central.iter().any(|a| central.iter().any(|b| a.1 < b.0))
}

/// The pockets of paper of a `w` × `h` grid whose ink is `ink(index)`: 4-connected regions of
/// paper that do not reach the grid's edge.
fn pockets(w: usize, h: usize, ink: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut out = regions(w, h, false, |i| !ink(i));
    out.retain(|p| {
        !p.iter().any(|&i| {
            let (x, y) = (i % w, i / w);
            x == 0 || y == 0 || x + 1 == w || y + 1 == h
        })
    });
    out
}

/// One 8-connected blob of ink in the mark's rows.
#[derive(Debug)]
struct Blob {
    x0: usize,
    x1: usize,
    pixels: usize,
    /// Whether it closes round paper that cannot reach its bounding box's edge.
    hole: bool,
}

/// The blobs of two pixels or more in rows `top..top + rows` of the `w`-wide mask.
fn components(ink: &[bool], w: usize, top: usize, rows: usize) -> Vec<Blob> {
    let is_ink = |i: usize| ink.get(top * w + i).copied().unwrap_or(false);
    regions(w, rows, true, is_ink)
        .into_iter()
        .filter(|pts| pts.len() >= 2)
        .map(|pts| {
            let xs = pts.iter().map(|i| i % w);
            let ys = pts.iter().map(|i| i / w);
            let (x0, x1) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
            let (y0, y1) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
            // The blob alone in its bounding box: paper it closes round is a pocket there.
            let bw = x1 - x0 + 1;
            let mut grid = vec![false; bw * (y1 - y0 + 1)];
            for &i in &pts {
                if let Some(g) = grid.get_mut((i / w - y0) * bw + (i % w - x0)) {
                    *g = true;
                }
            }
            Blob {
                x0,
                x1,
                pixels: pts.len(),
                hole: !pockets(bw, y1 - y0 + 1, |k| grid.get(k).copied().unwrap_or(true))
                    .is_empty(),
            }
        })
        .collect()
}

/// Otsu's threshold of grey levels: ink is at or below it.
fn otsu(grey: &[u8]) -> u8 {
    let mut hist = [0u64; 256];
    for &v in grey {
        if let Some(h) = hist.get_mut(usize::from(v)) {
            *h += 1;
        }
    }
    let total = grey.len() as f64;
    let sum: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w_b, mut sum_b, mut best, mut best_t) = (0f64, 0f64, -1f64, 0u8);
    for (t, &n) in hist.iter().enumerate() {
        w_b += n as f64;
        if w_b == 0.0 {
            continue;
        }
        let w_f = total - w_b;
        if w_f == 0.0 {
            break;
        }
        sum_b += t as f64 * n as f64;
        let (m_b, m_f) = (sum_b / w_b, (sum - sum_b) / w_f);
        let between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A white line image with black rectangles `(x, y, w, h)`.
    fn drawn(rects: &[(u32, u32, u32, u32)]) -> RgbImage {
        let mut img = RgbImage::from_pixel(60, 40, image::Rgb([245, 245, 245]));
        for &(x, y, w, h) in rects {
            for yy in y..y + h {
                for xx in x..x + w {
                    img.put_pixel(xx, yy, image::Rgb([20, 20, 20]));
                }
            }
        }
        img
    }

    fn line() -> DetBox {
        DetBox {
            x: 0.0,
            y: 0.0,
            width: 60.0,
            height: 40.0,
            score: 1.0,
        }
    }

    #[test]
    fn two_dots_over_a_y_make_it_y_diaeresis() {
        // A body at rows 16–33 around x = 30, two dots at rows 10–11 above it.
        let img = drawn(&[(26, 16, 9, 18), (26, 10, 2, 2), (32, 10, 2, 2)]);
        let xs = [10.0, 20.0, 30.0];
        assert_eq!(restore(&img, &line(), "Faý", &xs), "Faÿ");
        assert_eq!(restore(&img, &line(), "FAY", &xs), "FAŸ");
        // One stroke: an acute stays.
        let acute = drawn(&[(26, 16, 9, 18), (29, 9, 4, 3)]);
        assert_eq!(restore(&acute, &line(), "Faý", &xs), "Faý");
        // Nothing above.
        let plain = drawn(&[(26, 16, 9, 18)]);
        assert_eq!(restore(&plain, &line(), "Fay", &xs), "Fay");
    }

    #[test]
    fn dots_over_a_letter_that_goes_below_the_line_make_y_diaeresis() {
        // `a` at x = 20 on rows 16–27; the letter at x = 30 reaches row 33, dots above it.
        let xs = [10.0, 20.0, 30.0];
        let y = drawn(&[
            (16, 16, 8, 12),
            (26, 16, 9, 18),
            (26, 10, 2, 2),
            (32, 10, 2, 2),
        ]);
        assert_eq!(restore(&y, &line(), "Faï", &xs), "Faÿ");
        assert_eq!(restore(&y, &line(), "Faë", &xs), "Faÿ");
        // An `ï` that stays on the line is an `ï`.
        let i = drawn(&[
            (16, 16, 8, 12),
            (28, 16, 3, 12),
            (26, 10, 2, 2),
            (32, 10, 2, 2),
        ]);
        assert_eq!(restore(&i, &line(), "Faï", &xs), "Faï");
    }

    #[test]
    fn a_ring_over_an_a_makes_it_a_ring() {
        // A ring (a square outline round one paper pixel) above the body.
        let img = drawn(&[
            (26, 16, 9, 18),
            (28, 8, 5, 1),
            (28, 12, 5, 1),
            (28, 8, 1, 5),
            (32, 8, 1, 5),
        ]);
        let xs = [30.0, 40.0, 50.0];
        assert_eq!(restore(&img, &line(), "Ase", &xs), "Åse");
        assert_eq!(restore(&img, &line(), "áse", &xs), "åse");
        // A ring touching the letter: two pockets of paper one above the other.
        let touching = drawn(&[(26, 14, 9, 20), (29, 8, 3, 1), (29, 8, 1, 6), (31, 8, 1, 6)]);
        let mut touching = touching;
        // The letter's own counter.
        for yy in 22..26 {
            for xx in 29..32 {
                touching.put_pixel(xx, yy, image::Rgb([245, 245, 245]));
            }
        }
        // The ring's pocket at rows 9–13, column 30, closed by the letter's top at row 14.
        assert_eq!(restore(&touching, &line(), "Ase", &xs), "Åse");
        // A filled blob is no ring.
        let blob = drawn(&[(26, 16, 9, 18), (28, 8, 5, 5)]);
        assert_eq!(restore(&blob, &line(), "Ase", &xs), "Ase");
        // Other letters are left alone.
        assert_eq!(restore(&img, &line(), "Ose", &xs), "Ose");
    }

    #[test]
    fn mismatched_positions_or_flat_images_change_nothing() {
        let img = drawn(&[]);
        assert_eq!(restore(&img, &line(), "Faý", &[1.0, 2.0, 3.0]), "Faý");
        assert_eq!(restore(&img, &line(), "Faý", &[1.0]), "Faý");
        assert_eq!(otsu(&[0, 0, 255, 255]), 0);
    }
}
