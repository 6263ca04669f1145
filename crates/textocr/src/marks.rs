//! Marks the recogniser does not give back, restored from the image: the diaeresis of `ÿ`
//! (read `ý`, `y`, `ï` or `ë`: the letter is rare in what the model learnt from), the ring
//! of `Å` (read `A` or `Á`) and the comma below of Romanian `Ș`, `Ț` (read `S`, `T`, or with a
//! cedilla). Each letter is looked at where the CTC output placed it: the ink above its body,
//! split from it by a blank row, is the mark above; a small blob apart from it just under its
//! baseline is a comma. Two dots side by side over a `y` make it `ÿ` (also when read `ï` or `ë`
//! if its stem goes below the line, as a `y`'s does); one stroke closed round a hole
//! above the x-height over an `a` makes it `å`; an `i` with nothing above the x-height is
//! Turkish `ı`. Anything less clear leaves the reading alone.

use image::RgbImage;

use crate::DetBox;
use crate::regions::regions;

/// The letters this module puts back.
pub(crate) const RESTORED: [&str; 9] = ["å", "Å", "ÿ", "Ÿ", "ș", "Ș", "ț", "Ț", "ı"];

/// The letters of [`RESTORED`] that the character read as `c` may be put back as.
pub(crate) fn targets(c: char) -> &'static [&'static str] {
    match family(c) {
        Some(Family::Y | Family::DotsOnly) => &["ÿ", "Ÿ"],
        Some(Family::A) => &["å", "Å"],
        Some(Family::Dotless) => &["ı"],
        Some(Family::Comma) => &["ș", "Ș", "ț", "Ț"],
        None => &[],
    }
}

/// The recogniser's least probability for `å` or `ÿ` where one is restored (see `restore`).
/// The comma below needs none: the recogniser gives a capital `Ț` 10⁻⁵ where it is printed.
const MIN_MARK_PROBABILITY: f32 = 3e-5;

/// The same for `ı` read `i`: where rendered documents printed it the recogniser gave it about
/// 0.3; on photos, `i`s whose dot was lost in print or glare (`Suomı`, `identifyıng`) had up to
/// 0.003.
const MIN_DOTLESS_PROBABILITY: f32 = 0.02;

/// `text` (as the recogniser read the line in box `b`, its characters centred at `char_x`)
/// with the diaeresis of `ÿ`, the ring of `å` and the comma of `ș`, `ț` put back where the
/// image shows them. `marked`: for each character, the recogniser's probability for the
/// letters it may be put back as ([`targets`]) there.
pub(crate) fn restore(
    image: &RgbImage,
    b: &DetBox,
    text: &str,
    char_x: &[f32],
    marked: &[f32],
) -> String {
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
        if fam == Family::Comma {
            if let (Some(slot), true) = (out.get_mut(i), comma_below(image, b, cx, pitch)) {
                *slot = with_comma(*c);
            }
            continue;
        }
        // The recogniser must have given the marked letter some thought there: on photos,
        // specks in a bold `A` or a `y` looked like rings and dots where it gave `Å`, `ÿ`
        // 1.2·10⁻⁵ at most; where rendered documents had them, 8.8·10⁻⁵ and more.
        let least = if fam == Family::Dotless {
            MIN_DOTLESS_PROBABILITY
        } else {
            MIN_MARK_PROBABILITY
        };
        if marked.get(i).is_none_or(|&p| p < least) {
            continue;
        }
        let Some(win) = Window::at(image, b, cx, pitch) else {
            continue;
        };
        let x_line = matches!(fam, Family::A | Family::Dotless)
            .then(|| reference_top(image, b, char_x, i, pitch, &chars))
            .flatten();
        if fam == Family::Dotless {
            if let (Some(slot), true) = (out.get_mut(i), x_line.is_some_and(|l| no_dot(&win, l))) {
                *slot = 'ı';
            }
            continue;
        }
        let mut mark = mark_above(&win, fam, x_line);
        // Dots a pixel or two across: looked at again with their grey counted as ink.
        if mark.is_none() && fam != Family::A {
            mark = Window::thresholded(image, b, cx, pitch, Some(0.7))
                .and_then(|faint| mark_above(&faint, fam, None));
        }
        let restored = match (fam, mark) {
            (Family::Y, Some(Mark::TwoDots)) => Some(if c.is_uppercase() { 'Ÿ' } else { 'ÿ' }),
            (Family::A, Some(Mark::Ring)) => Some(if c.is_uppercase() { 'Å' } else { 'å' }),
            // `ÿ` read as `ï` or `ë`: the dots are there, and the stem goes below the
            // line (with no letter beside it that does: its tail may reach into the column).
            (Family::DotsOnly, Some(Mark::TwoDots))
                if !beside_descender(&chars, i)
                    && descends(&win, image, b, char_x, i, pitch, &chars) =>
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
    /// `ï`, `ë`: a diaeresis seen over the wrong letter (not `ü`, common where `ÿ` is rare: a
    /// neighbour's tail reaching into its column would make too many `Mÿller`s).
    DotsOnly,
    /// `i`: Turkish `ı` has no dot, and the recogniser reads it `i`.
    Dotless,
    /// `S`, `T` and the cedilla forms: the comma below of Romanian `Ș`, `Ț`, `ș`, `ț`. (The
    /// recogniser reads the small letters with their comma; on photos a speck under a `t`
    /// of `Signature` looked like one.)
    Comma,
}

/// What the letter read as `c` may be put back as, if anything.
fn family(c: char) -> Option<Family> {
    match c {
        'y' | 'ý' | 'Y' | 'Ý' => Some(Family::Y),
        'a' | 'á' | 'A' | 'Á' => Some(Family::A),
        'ï' | 'ë' => Some(Family::DotsOnly),
        'i' => Some(Family::Dotless),
        'S' | 'T' | 'Ş' | 'ş' | 'Ţ' | 'ţ' => Some(Family::Comma),
        _ => None,
    }
}

/// `c` (an `S` or `T`, or an `s`, `t` with a cedilla) with the comma below.
fn with_comma(c: char) -> char {
    match c {
        'S' | 'Ş' => 'Ș',
        's' | 'ş' => 'ș',
        'T' | 'Ţ' => 'Ț',
        't' | 'ţ' => 'ț',
        other => other,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    TwoDots,
    Ring,
}

/// Letters that go below the line.
const DESCENDERS: &str = "gjpqyÿýçşţșțęąųQJ,;()";

/// Whether the `i` in `win` has no ink above the x-height `line` in its middle third of
/// columns (its neighbours' capitals and ascenders may reach into the others), its body being
/// seven rows high at least (under that a dot merges or vanishes).
fn no_dot(win: &Window, line: usize) -> bool {
    let Some((_, foot)) = win.body_rows() else {
        return false;
    };
    if foot < line + 6 {
        return false;
    }
    let (c0, c1) = (win.w / 3, (2 * win.w).div_ceil(3));
    !(0..line.saturating_sub(1))
        .any(|y| (c0..c1).any(|x| win.ink.get(y * win.w + x).copied().unwrap_or(false)))
}

/// Whether a letter next to letter `i` goes below the line.
fn beside_descender(chars: &[char], i: usize) -> bool {
    [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|k| chars.get(k))
        .any(|c| DESCENDERS.contains(*c))
}

/// Whether the letter `i` (its column `win`) reaches below the line by a quarter of its
/// x-height or more: its body ends that much lower than its neighbours', the neighbours being
/// letters without a descender.
fn descends(
    win: &Window,
    image: &RgbImage,
    b: &DetBox,
    char_x: &[f32],
    i: usize,
    pitch: f32,
    chars: &[char],
) -> bool {
    let Some((top, bottom)) = win.body_rows() else {
        return false;
    };
    // The baseline: the highest bottom of the letters up to two away (a neighbour's window may
    // take in the tail of the letter beside it, so it never ends above the line).
    let base = neighbour_bodies(image, b, char_x, i, pitch, chars, |c| {
        c.is_alphabetic() && !DESCENDERS.contains(c)
    })
    .map(|(_, bottom)| bottom)
    .min();
    let Some(base) = base else {
        return false;
    };
    // The letter's body starts at the x-height (its dots stand apart above it).
    let height = base.saturating_sub(top).max(1);
    bottom >= base + (height / 4).max(2)
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
        Window::thresholded(image, b, cx, pitch, None)
    }

    /// As [`Window::at`]; with `faint` (a fraction), the grey of anti-aliased small marks
    /// counts as ink too: the threshold is at least that fraction of the way from the darkest
    /// to the lightest grey.
    fn thresholded(
        image: &RgbImage,
        b: &DetBox,
        cx: f32,
        pitch: f32,
        faint: Option<f32>,
    ) -> Option<Window> {
        let Patch {
            grey, w, h, lo, hi, ..
        } = Patch::cut(
            image,
            (cx - 0.5 * pitch, cx + 0.5 * pitch),
            (b.y, b.y + b.height),
            (3, 6),
        )?;
        let t = match faint {
            Some(f) => faint_threshold(&grey, lo, hi, f),
            None => otsu(&grey),
        };
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
/// nothing this module knows (`None`). A ring must end above `ring_line`, the top of the
/// line's letters without marks or ascenders (without it no ring is seen): the counters of a
/// small `a` are no ring.
fn mark_above(win: &Window, fam: Family, ring_line: Option<usize>) -> Option<Mark> {
    let (ink, w, h) = (&win.ink, win.w, win.h);
    // Below ten rows from the highest ink to the body's foot, an `a`'s counters and a ring
    // cannot be told apart. And a ring makes its letter stand out above its neighbours by a
    // fifth of their height at least (a speck of noise in a bold `A` makes a pocket, not that).
    let stands_out = match (win.runs.first(), win.body_rows(), ring_line) {
        (Some(first), Some((_, foot)), Some(line)) => {
            let rise = foot.saturating_sub(line) / 5;
            foot + 1 >= first.0 + 10 && first.0 + rise.max(2) <= line
        }
        _ => false,
    };
    let above_line = |bottom: usize| stands_out && ring_line.is_some_and(|line| bottom <= line);
    // A ring set close on its letter touches it: then the letter holds two pockets of paper
    // one above the other (the ring's and the counter's of `A` or the bowl's of `a`).
    if fam == Family::A
        && [ink, &win.strict]
            .into_iter()
            .filter_map(|m| upper_pocket_bottom(m, w, h))
            .any(above_line)
    {
        return Some(Mark::Ring);
    }
    // The mark is the run of rows right above the body, smaller than it.
    let (body_top, body_rows, _) = *win.runs.get(win.body)?;
    let (mark_top, mark_rows, _) = *win.runs.get(win.body.checked_sub(1)?)?;
    if mark_rows * 2 > body_rows || mark_top + mark_rows >= body_top {
        return None;
    }
    let ring_fits = above_line(mark_top + mark_rows - 1);
    let comps = components(ink, w, mark_top, mark_rows);
    match comps.as_slice() {
        [a, b] => {
            let (l, r) = if a.x0 <= b.x0 { (a, b) } else { (b, a) };
            let side_by_side = r.x0 > l.x1 + 1;
            let alike = a.pixels * 3 >= b.pixels && b.pixels * 3 >= a.pixels;
            let small = a.x1 - a.x0 < w / 2 && b.x1 - b.x0 < w / 2;
            (side_by_side && alike && small).then_some(Mark::TwoDots)
        }
        [ring] if ring.hole && ring_fits => Some(Mark::Ring),
        _ => None,
    }
}

/// When the `w` × `h` mask has two enclosed pockets of paper (not 4-connected to its edge)
/// in its middle half of columns (the CTC output places a letter only roughly), one wholly
/// above the other: the last row of the highest such upper pocket.
fn upper_pocket_bottom(ink: &[bool], w: usize, h: usize) -> Option<usize> {
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
    central
        .iter()
        .filter(|a| central.iter().any(|b| a.1 < b.0))
        .map(|a| a.1)
        .min()
}

/// The top row (in the line's windows) of the letters up to two away from letter `i` that
/// have no mark and reach no higher than the others of their case: the x-height of lowercase,
/// the cap height of capitals (the lower of the two when both are there). `None` without such
/// a neighbour.
fn reference_top(
    image: &RgbImage,
    b: &DetBox,
    char_x: &[f32],
    i: usize,
    pitch: f32,
    chars: &[char],
) -> Option<usize> {
    neighbour_bodies(image, b, char_x, i, pitch, chars, |c| {
        "acemnorsuvwxz".contains(c) || (c.is_ascii_uppercase() && !"AJQ".contains(c))
    })
    .map(|(top, _)| top)
    .max()
}

/// The body rows (first, last) of the letters up to two away from letter `i` that `keep`
/// accepts, each in its own window of the line.
fn neighbour_bodies<'a>(
    image: &'a RgbImage,
    b: &'a DetBox,
    char_x: &'a [f32],
    i: usize,
    pitch: f32,
    chars: &'a [char],
    keep: impl Fn(char) -> bool + 'a,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    (i.saturating_sub(2)..=i + 2)
        .filter(move |&k| k != i && chars.get(k).is_some_and(|&c| keep(c)))
        .filter_map(|k| char_x.get(k))
        .filter_map(move |&x| Window::at(image, b, x, pitch)?.body_rows())
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

/// Whether a comma stands under the letter centred at `cx` of line box `b`: a small blob of
/// ink apart from the letter, starting just under its baseline (the box may end above it, so
/// the strip looked at reaches below the box), under the letter's middle, and wholly above
/// whatever of the next line is near (the tops of its letters, an `i`'s dot).
fn comma_below(image: &RgbImage, b: &DetBox, cx: f32, pitch: f32) -> bool {
    let Some(Patch {
        grey,
        w,
        h,
        lo,
        hi,
        x0,
    }) = Patch::cut(
        image,
        (cx - 1.5 * pitch, cx + 1.5 * pitch),
        (b.y, b.y + 1.6 * b.height),
        (6, 8),
    )
    else {
        return false;
    };
    // The comma of a small print is a few grey pixels.
    let t = faint_threshold(&grey, lo, hi, 0.55);
    let blobs: Vec<Blob> = regions(w, h, true, |i| grey.get(i).is_some_and(|&v| v <= t))
        .iter()
        .map(|pts| Blob::of(pts, w))
        .collect();
    // The letter: the biggest blob over the letter's middle column that crosses the box's
    // middle row.
    let mid_row = (b.height * 0.5) as usize;
    let centre = (cx - x0 as f32) as usize;
    let half = (0.5 * pitch) as usize;
    let in_column = |x: usize| x + half >= centre && x <= centre + half;
    // (Letters the threshold joins make one blob.)
    let Some(letter) = blobs
        .iter()
        .filter(|o| o.y0 <= mid_row && o.y1 >= mid_row && o.x0 <= centre && o.x1 >= centre)
        .max_by_key(|o| o.pixels)
    else {
        return false;
    };
    let (base, height) = (letter.y1, letter.y1 - letter.y0 + 1);
    // Under nine pixels a comma is a pixel or two, and a thin letter's strokes break up.
    if height < 9 {
        return false;
    }
    let below = |o: &&Blob| o.y0 > base;
    // The comma: small, in the letter's column, its top at most a fifth of the letter's
    // height under the baseline, clear of the strip's edges.
    let comma = blobs.iter().filter(below).find(|o| {
        o.pixels >= 2
            && o.pixels * 5 <= letter.pixels
            && o.y0 <= base + 1 + height / 5
            && o.y1 - o.y0 < height / 2
            && o.x1 - o.x0 < half.max(2)
            && in_column(o.cx())
            && (letter.x0..=letter.x1).contains(&o.cx())
            && o.y1 + 1 < h
            && o.x0 > 0
            && o.x1 + 1 < w
    });
    let Some(comma) = comma else {
        return false;
    };
    // Ink of the next line near it (blobs starting under the baseline, other than the comma)
    // must all start lower than the comma ends.
    blobs
        .iter()
        .filter(below)
        .filter(|o| !std::ptr::eq(*o, comma))
        .all(|o| o.y0 > comma.y1)
}

/// Grey level of an RGB pixel (ITU-R 601 weights).
fn luma([r, g, b]: [u8; 3]) -> u8 {
    ((u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000) as u8
}

/// A rectangle of the image in grey levels, row by row.
struct Patch {
    grey: Vec<u8>,
    w: usize,
    h: usize,
    /// Its darkest and lightest grey.
    lo: u8,
    hi: u8,
    /// Its first column in the image.
    x0: u32,
}

impl Patch {
    /// The part of `image` in columns `xs` and rows `ys` (clipped to it); `None` when it is
    /// narrower or lower than `min` (width, height) or too flat to hold ink (a grey range
    /// under 60).
    fn cut(image: &RgbImage, xs: (f32, f32), ys: (f32, f32), min: (usize, usize)) -> Option<Patch> {
        let (iw, ih) = image.dimensions();
        let x0 = xs.0.floor().max(0.0) as u32;
        let x1 = (xs.1.ceil().max(0.0) as u32).min(iw);
        let y0 = ys.0.floor().max(0.0) as u32;
        let y1 = (ys.1.ceil().max(0.0) as u32).min(ih);
        let (w, h) = (x1.checked_sub(x0)? as usize, y1.checked_sub(y0)? as usize);
        if w < min.0 || h < min.1 {
            return None;
        }
        let grey: Vec<u8> = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| luma(image.get_pixel(x, y).0)))
            .collect();
        let (lo, hi) = grey
            .iter()
            .fold((u8::MAX, 0u8), |(l, h), &v| (l.min(v), h.max(v)));
        (hi.saturating_sub(lo) >= 60).then_some(Patch {
            grey,
            w,
            h,
            lo,
            hi,
            x0,
        })
    }
}

/// An 8-connected blob of ink: its bounding box and size.
#[derive(Debug)]
struct Blob {
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    pixels: usize,
    /// Whether it closes round paper that cannot reach its bounding box's edge.
    hole: bool,
}

impl Blob {
    /// The blob of pixels `pts` (indices of a `w`-wide grid).
    fn of(pts: &[usize], w: usize) -> Blob {
        let xs = pts.iter().map(|i| i % w);
        let ys = pts.iter().map(|i| i / w);
        let (x0, x1) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
        let (y0, y1) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
        // The blob alone in its bounding box: paper it closes round is a pocket there.
        let bw = x1 - x0 + 1;
        let mut grid = vec![false; bw * (y1 - y0 + 1)];
        for &i in pts {
            if let Some(g) = grid.get_mut((i / w - y0) * bw + (i % w - x0)) {
                *g = true;
            }
        }
        Blob {
            x0,
            x1,
            y0,
            y1,
            pixels: pts.len(),
            hole: !pockets(bw, y1 - y0 + 1, |k| grid.get(k).copied().unwrap_or(true)).is_empty(),
        }
    }

    fn cx(&self) -> usize {
        (self.x0 + self.x1) / 2
    }
}

/// The blobs of two pixels or more in rows `top..top + rows` of the `w`-wide mask.
fn components(ink: &[bool], w: usize, top: usize, rows: usize) -> Vec<Blob> {
    let is_ink = |i: usize| ink.get(top * w + i).copied().unwrap_or(false);
    regions(w, rows, true, is_ink)
        .iter()
        .filter(|pts| pts.len() >= 2)
        .map(|pts| Blob::of(pts, w))
        .collect()
}

/// A threshold that keeps the grey pixels of a mark a pixel or two across: Otsu's, raised to
/// `frac` of the way from the darkest grey `lo` to the lightest `hi` when below.
fn faint_threshold(grey: &[u8], lo: u8, hi: u8, frac: f32) -> u8 {
    let level = f32::from(lo) + frac * f32::from(hi.saturating_sub(lo));
    otsu(grey).max(level.round().clamp(0.0, 255.0) as u8)
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

    /// The recogniser thinking a restored letter likely everywhere.
    const SURE: [f32; 8] = [1.0; 8];

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
        assert_eq!(restore(&img, &line(), "Faý", &xs, &SURE), "Faÿ");
        assert_eq!(restore(&img, &line(), "FAY", &xs, &SURE), "FAŸ");
        // One stroke: an acute stays.
        let acute = drawn(&[(26, 16, 9, 18), (29, 9, 4, 3)]);
        assert_eq!(restore(&acute, &line(), "Faý", &xs, &SURE), "Faý");
        // Nothing above.
        let plain = drawn(&[(26, 16, 9, 18)]);
        assert_eq!(restore(&plain, &line(), "Fay", &xs, &SURE), "Fay");
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
        assert_eq!(restore(&y, &line(), "Faï", &xs, &SURE), "Faÿ");
        assert_eq!(restore(&y, &line(), "Faë", &xs, &SURE), "Faÿ");
        assert_eq!(restore(&y, &line(), "Faü", &xs, &SURE), "Faü");
        // An `ï` that stays on the line is an `ï`.
        let i = drawn(&[
            (16, 16, 8, 12),
            (28, 16, 3, 12),
            (26, 10, 2, 2),
            (32, 10, 2, 2),
        ]);
        assert_eq!(restore(&i, &line(), "Faï", &xs, &SURE), "Faï");
    }

    #[test]
    fn a_ring_over_an_a_makes_it_a_ring() {
        // A ring (a square outline round one paper pixel) above the body; `s` and `e` beside
        // it, their tops at the x-height (row 22).
        let se = [(36, 22, 7, 12), (46, 22, 7, 12)];
        let img = drawn(&[
            (26, 16, 9, 18),
            (28, 8, 5, 1),
            (28, 12, 5, 1),
            (28, 8, 1, 5),
            (32, 8, 1, 5),
            se[0],
            se[1],
        ]);
        let xs = [30.0, 40.0, 50.0];
        assert_eq!(restore(&img, &line(), "Ase", &xs, &SURE), "Åse");
        assert_eq!(restore(&img, &line(), "áse", &xs, &SURE), "åse");
        // A ring touching the letter: two pockets of paper one above the other.
        let touching = drawn(&[
            (26, 14, 9, 20),
            (29, 8, 3, 1),
            (29, 8, 1, 6),
            (31, 8, 1, 6),
            se[0],
            se[1],
        ]);
        let mut touching = touching;
        // The letter's own counter.
        for yy in 22..26 {
            for xx in 29..32 {
                touching.put_pixel(xx, yy, image::Rgb([245, 245, 245]));
            }
        }
        // The ring's pocket at rows 9–13, column 30, closed by the letter's top at row 14.
        assert_eq!(restore(&touching, &line(), "Ase", &xs, &SURE), "Åse");
        // A filled blob is no ring.
        let blob = drawn(&[(26, 16, 9, 18), (28, 8, 5, 5), se[0], se[1]]);
        assert_eq!(restore(&blob, &line(), "Ase", &xs, &SURE), "Ase");
        // Other letters are left alone.
        assert_eq!(restore(&img, &line(), "Ose", &xs, &SURE), "Ose");
    }

    #[test]
    fn the_counters_of_a_small_a_are_no_ring() {
        // `D`, `a`, `t`, `e` at x = 10, 20, 30, 40; the `a` holds two pockets of paper one above
        // the other, both below the x-height of the `e` (row 14).
        let mut img = drawn(&[
            (6, 10, 8, 18),
            (16, 14, 8, 14),
            (29, 10, 2, 18),
            (36, 14, 8, 14),
        ]);
        for (x0, y0, y1) in [(18, 16, 18), (18, 21, 25)] {
            for yy in y0..y1 {
                for xx in x0..x0 + 4 {
                    img.put_pixel(xx, yy, image::Rgb([245, 245, 245]));
                }
            }
        }
        let xs = [10.0, 20.0, 30.0, 40.0];
        assert_eq!(restore(&img, &line(), "Date", &xs, &SURE), "Date");
        // With nothing to tell the x-height by, no ring either.
        assert_eq!(restore(&img, &line(), "a", &[20.0], &SURE), "a");
    }

    /// A line box 24 pixels high with a `T` (rows 6–20) at x = 30 and the ink `extra`.
    fn t_over(extra: &[(u32, u32, u32, u32)]) -> (RgbImage, DetBox) {
        let mut rects = vec![(26, 6, 9, 2), (29, 6, 3, 15)];
        rects.extend_from_slice(extra);
        let b = DetBox {
            height: 24.0,
            ..line()
        };
        (drawn(&rects), b)
    }

    #[test]
    fn a_comma_under_an_s_or_t_makes_it_romanian() {
        let xs = [30.0, 40.0];
        // A comma just under the stem, below the box's bottom (row 23).
        let (img, b) = t_over(&[(29, 22, 2, 3)]);
        assert_eq!(restore(&img, &b, "Tu", &xs, &SURE), "Țu");
        assert_eq!(restore(&img, &b, "tu", &xs, &SURE), "tu");
        assert_eq!(restore(&img, &b, "ţu", &xs, &SURE), "țu");
        assert_eq!(restore(&img, &b, "Ţu", &xs, &SURE), "Țu");
        assert_eq!(restore(&img, &b, "Su", &xs, &SURE), "Șu");
        assert_eq!(restore(&img, &b, "Şu", &xs, &SURE), "Șu");
        // Nothing under it: unchanged, the cedilla's form too.
        let (plain, b) = t_over(&[]);
        assert_eq!(restore(&plain, &b, "Tu", &xs, &SURE), "Tu");
        assert_eq!(restore(&plain, &b, "Şu", &xs, &SURE), "Şu");
        // A cedilla joined to the letter is no comma.
        let (joined, b) = t_over(&[(29, 21, 2, 3)]);
        assert_eq!(restore(&joined, &b, "Şu", &xs, &SURE), "Şu");
        // The next line's ink beside the blob, as high as it: the blob is that line's (an `i`'s
        // dot), not a comma.
        let (next, b) = t_over(&[(29, 22, 2, 3), (36, 23, 6, 12)]);
        assert_eq!(restore(&next, &b, "Tu", &xs, &SURE), "Tu");
        // Too far below the baseline, or off the letter's column.
        let (low, b) = t_over(&[(29, 28, 2, 3)]);
        assert_eq!(restore(&low, &b, "Tu", &xs, &SURE), "Tu");
        let (aside, b) = t_over(&[(37, 22, 2, 3)]);
        assert_eq!(restore(&aside, &b, "Tu", &xs, &SURE), "Tu");
    }

    #[test]
    fn an_i_without_a_dot_is_dotless() {
        // `n`, `i`, `m` at x = 10, 20, 30, their tops at the x-height (row 20).
        let body = [(6, 20, 8, 14), (19, 20, 3, 14), (26, 20, 9, 14)];
        let xs = [10.0, 20.0, 30.0];
        let dotless = drawn(&body);
        assert_eq!(restore(&dotless, &line(), "nim", &xs, &SURE), "nım");
        // Unless the recogniser all but ruled `ı` out.
        assert_eq!(restore(&dotless, &line(), "nim", &xs, &[0.01; 3]), "nim");
        let mut with_dot = body.to_vec();
        with_dot.push((19, 14, 3, 3));
        assert_eq!(
            restore(&drawn(&with_dot), &line(), "nim", &xs, &SURE),
            "nim"
        );
    }

    #[test]
    fn no_mark_where_the_recogniser_thought_nothing_of_it() {
        let img = drawn(&[(26, 16, 9, 18), (26, 10, 2, 2), (32, 10, 2, 2)]);
        let xs = [10.0, 20.0, 30.0];
        assert_eq!(restore(&img, &line(), "Faý", &xs, &[1.0, 1.0, 1e-5]), "Faý");
        assert_eq!(restore(&img, &line(), "Faý", &xs, &[0.0, 0.0, 1e-3]), "Faÿ");
    }

    #[test]
    fn mismatched_positions_or_flat_images_change_nothing() {
        let img = drawn(&[]);
        assert_eq!(
            restore(&img, &line(), "Faý", &[1.0, 2.0, 3.0], &SURE),
            "Faý"
        );
        assert_eq!(restore(&img, &line(), "Faý", &[1.0], &SURE), "Faý");
        assert_eq!(otsu(&[0, 0, 255, 255]), 0);
    }
}
