//! The MRZ reading pipeline: locate candidate bands in both quarter-turn frames, rectify each
//! line from the full-resolution image, read it in both half-turn orientations and the line
//! lengths its geometry allows, hold the state codes to the ICAO code list, and let
//! `idverify_mrz::correct` choose among the per-character alternatives by the check digits; a
//! hypothesis whose check digits hold beats a more confident one whose digits fail.

use idverify_mrz::{CharReading, Correction, Date, Format, Mrz, Outcome, correct, parse};

use crate::gray::Gray;
use crate::locate::{self, Band, Frame};
use crate::recognise::{CharGuess, Mlp, ModelError, Strip, read_line};

/// The recogniser's weights.
#[derive(Debug, Clone)]
pub struct Models {
    mlp: Mlp,
}

/// The weights trained by `training/train-recogniser` and committed with the crate.
const EMBEDDED: &[u8] = include_bytes!("../weights/mrz-ocrb-mlp.bin");

impl Models {
    /// Loads weights from the bytes of a weights file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Models, ModelError> {
        Ok(Models {
            mlp: Mlp::from_bytes(bytes)?,
        })
    }

    /// The weights built into the crate (`crates/vision/weights/mrz-ocrb-mlp.bin`).
    pub fn embedded() -> Result<Models, ModelError> {
        Models::from_bytes(EMBEDDED)
    }
}

/// An MRZ as read from an image.
#[derive(Debug, Clone, PartialEq)]
pub struct MrzText {
    /// The lines after check-digit-guided correction (as read when nothing was settled).
    pub lines: Vec<String>,
    /// The recogniser's best characters, before correction (country codes already held to the
    /// ICAO code list where the alternatives allow).
    pub raw_lines: Vec<String>,
    /// Per character, the recogniser's alternatives.
    pub chars: Vec<Vec<CharReading>>,
    /// The parse of `lines`, when they have an MRZ shape.
    pub mrz: Option<Mrz>,
    /// Every check digit holds and every field is well formed.
    pub valid: bool,
    /// How the correction ended (`None` when it could not run).
    pub outcome: Option<Outcome>,
    /// Characters changed by the correction.
    pub changes: usize,
    /// Mean probability of the best characters.
    pub confidence: f32,
    /// Quarter turns clockwise the image was read at (0–3).
    pub quarter_turns: u8,
    /// Where the MRZ lies in the image.
    pub region: MrzRegion,
}

/// Where an MRZ was read: the corners of its band (the lines with a margin of a fifth of the
/// character height above the first and below the last), in pixels of the image as given to
/// [`read_mrz`], in reading order: top left, top right, bottom right, bottom left of the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MrzRegion {
    /// Top left, top right, bottom right, bottom left, as `(x, y)`.
    pub corners: [(f32, f32); 4],
    /// Number of MRZ lines in the band.
    pub lines: usize,
}

/// The result of [`read_mrz`].
#[derive(Debug, Clone, PartialEq)]
pub struct MrzReading {
    /// The MRZ, when one was found.
    pub text: Option<MrzText>,
    /// Candidate bands examined.
    pub candidates: usize,
    /// When nothing was reported: the most confident reading that was turned down, with its
    /// mean character probability (diagnostics only; never an MRZ).
    pub rejected: Option<(Vec<String>, f32)>,
    /// Where the MRZ was read, or, when the reading was turned down, where the most confident
    /// candidate band lies (for image-quality measures such as glare over the MRZ).
    pub region: Option<MrzRegion>,
}

impl MrzReading {
    /// Whether an MRZ was found.
    pub fn found(&self) -> bool {
        self.text.is_some()
    }
}

/// Long side of the working raster used for location.
const WORK_LONG: usize = 1000;
/// Candidate bands read at most.
const MAX_BANDS: usize = 4;

/// Reads the MRZ of a decoded image.
pub fn read_mrz(img: &image::DynamicImage, models: &Models, today: Date) -> MrzReading {
    read_mrz_gray(&Gray::from_image(img), models, today)
}

struct Hypothesis {
    chars: Vec<Vec<CharGuess>>,
    score: f32,
    quarter_turns: u8,
    region: MrzRegion,
}

/// Reads the MRZ of a grayscale image.
pub fn read_mrz_gray(full: &Gray, models: &Models, today: Date) -> MrzReading {
    let frames = locate::frames(full, WORK_LONG);
    let mut bands: Vec<Band> = Vec::new();
    for (i, lines) in locate::frame_lines(&frames).iter().enumerate() {
        bands.extend(locate::bands(lines, i));
    }
    bands.sort_by(|a, b| b.score.total_cmp(&a.score));
    bands.truncate(MAX_BANDS);
    let detected = bands.len();
    let completed: Vec<Band> = bands.iter().flat_map(locate::complete_td1).collect();
    bands.extend(completed);
    let mut best: Option<(Hypothesis, Option<Correction>)> = None;
    let mut examined = 0;
    'bands: for (bi, band) in bands.iter().enumerate() {
        let Some(frame) = frames.get(band.frame) else {
            continue;
        };
        examined += 1;
        for mut h in read_band(full, frame, band, &models.mlp) {
            constrain_codes(&mut h.chars);
            let readings = to_readings(&h.chars);
            let corr = correct(&readings, today);
            let valid = corr.as_ref().is_some_and(|c| c.valid);
            // A third line assumed where none was detected is only believed when the reading
            // checks or every line reads clearly (a pattern next to a two-line band can read as
            // a line of confident nonsense, which the check digits then reject).
            if bi >= detected
                && !valid
                && min_line_confidence(&h.chars) < MIN_ASSUMED_LINE_CONFIDENCE
            {
                continue;
            }
            let better = match &best {
                None => true,
                Some((b, bc)) => {
                    let bvalid = bc.as_ref().is_some_and(|c| c.valid);
                    (valid && !bvalid) || (valid == bvalid && h.score > b.score)
                }
            };
            if better {
                best = Some((h, corr));
            }
            if valid {
                break 'bands;
            }
        }
    }
    let mut rejected = None;
    let region = best.as_ref().map(|(h, _)| h.region);
    let text = best.and_then(|(h, corr)| {
        let raw: Vec<String> = h
            .chars
            .iter()
            .map(|l| l.iter().map(CharGuess::best).collect())
            .collect();
        let conf = mean_confidence(&h.chars);
        let t = finish(h, corr, today);
        if t.is_none() {
            rejected = Some((raw, conf));
        }
        t
    });
    MrzReading {
        text,
        candidates: examined,
        rejected,
        region,
    }
}

fn to_readings(chars: &[Vec<CharGuess>]) -> Vec<Vec<CharReading>> {
    chars
        .iter()
        .map(|l| {
            l.iter()
                .map(|g| CharReading {
                    alternatives: g.alternatives.clone(),
                })
                .collect()
        })
        .collect()
}

/// Minimum mean character probability for an MRZ whose check digits fail to be reported.
const MIN_CONFIDENCE_INVALID: f32 = 0.80;
/// Minimum mean character probability for a reading valid as read to be trusted.
const MIN_CONFIDENCE_AS_READ: f32 = 0.75;
/// Minimum mean character probability for a corrected reading to be trusted.
const MIN_CONFIDENCE_CORRECTED: f32 = 0.85;
/// A trusted correction changes no character read with at least this probability.
const MAX_OVERRIDDEN_CONFIDENCE: f32 = 0.97;
/// A corrected reading with an unsettled character read with less than this probability is
/// reported only when its mean probability reaches [`MIN_CONFIDENCE_INVALID`].
const MIN_CHAR_CONFIDENCE: f32 = 0.5;
/// A reading reported valid has no unsettled character that no check digit covers (names,
/// codes, sex) with less than this share of the probability of the characters its place can
/// hold.
const MIN_VALID_CHAR_CONFIDENCE: f32 = 0.75;
/// Most characters a trusted correction may change.
const MAX_CHANGES: usize = 4;

/// Keeps, at the first position of an MRZ, only the document-code letters among the
/// alternatives when the recogniser offered any, renormalised.
fn restrict_first(g: &mut CharGuess) {
    let keep: Vec<(char, f32)> = g
        .alternatives
        .iter()
        .copied()
        .filter(|(c, _)| matches!(c, 'P' | 'V' | 'I' | 'A' | 'C'))
        .collect();
    let total: f32 = keep.iter().map(|a| a.1).sum();
    if total > 1e-3 {
        g.alternatives = keep.into_iter().map(|(c, p)| (c, p / total)).collect();
    }
}

/// Where the three-letter state codes stand (line, column) in a reading of this shape: the
/// issuing state of every ICAO format, and the nationality except on the French card, whose
/// second line holds no nationality.
fn code_positions(chars: &[Vec<CharGuess>]) -> Vec<(usize, usize)> {
    let best: Vec<Vec<char>> = chars
        .iter()
        .map(|l| l.iter().map(CharGuess::best).collect())
        .collect();
    let lens: Vec<usize> = chars.iter().map(Vec::len).collect();
    match lens.as_slice() {
        [30, 30, 30] => vec![(0, 2), (1, 15)],
        [36, 36] if Format::detect(&best) == Some(Format::FrenchNationalId) => vec![(0, 2)],
        [36, 36] | [44, 44] => vec![(0, 2), (1, 10)],
        _ => Vec::new(),
    }
}

/// When no check digit covers the character at `(line, col)` of a reading of this shape
/// (document code, states, names, sex, the optional data of visas): the characters that place
/// can hold. `None` for a checked place.
fn unchecked(chars: &[Vec<CharGuess>], line: usize, col: usize) -> Option<fn(char) -> bool> {
    fn letter(c: char) -> bool {
        c.is_ascii_uppercase() || c == '<'
    }
    fn sex(c: char) -> bool {
        matches!(c, 'M' | 'F' | 'X' | '<')
    }
    fn any(_: char) -> bool {
        true
    }
    let lens: Vec<usize> = chars.iter().map(Vec::len).collect();
    let visa = chars
        .first()
        .and_then(|l| l.first())
        .is_some_and(|g| g.best() == 'V');
    let f: fn(char) -> bool = match (lens.as_slice(), line) {
        ([30, 30, 30], 0) if col < 5 => letter,
        ([30, 30, 30], 1) if col == 7 => sex,
        ([30, 30, 30], 1) if (15..18).contains(&col) => letter,
        ([30, 30, 30], 2) => letter,
        // Line 1 of the two-line formats: names; the French card's last six are a code.
        ([36, 36], 0) if col >= 30 => any,
        ([36, 36] | [44, 44], 0) => letter,
        ([36, 36] | [44, 44], 1) if col == 20 => sex,
        ([36, 36] | [44, 44], 1) if (10..13).contains(&col) => letter,
        ([36, 36] | [44, 44], 1) if visa && col >= 28 => any,
        _ => return None,
    };
    Some(f)
}

/// Holds each state code of a reading to the ICAO 9303 code list (the check digits do not
/// cover it): among the combinations of the recogniser's alternatives that spell a listed code,
/// each character's probability becomes its share of the listed combinations. Left as read when
/// no combination is a listed code.
fn constrain_codes(chars: &mut [Vec<CharGuess>]) {
    for (line, col) in code_positions(chars) {
        let Some(cells) = chars.get_mut(line).and_then(|l| l.get_mut(col..col + 3)) else {
            continue;
        };
        let opts: Vec<Vec<(char, f32)>> = cells
            .iter()
            .map(|g| {
                g.alternatives
                    .iter()
                    .copied()
                    .filter(|a| a.1 > 1e-3)
                    .collect()
            })
            .collect();
        let (Some(a), Some(b), Some(c)) = (opts.first(), opts.get(1), opts.get(2)) else {
            continue;
        };
        // Probability mass of each character at each place, over the listed combinations.
        let mut mass: [Vec<(char, f32)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
        let mut total = 0.0f32;
        for &(x, px) in a {
            for &(y, py) in b {
                for &(z, pz) in c {
                    let code: String = [x, y, z].iter().collect();
                    let listed = idverify_mrz::countries::lookup(&code).is_some()
                        && !code.trim_end_matches('<').contains('<');
                    if !listed {
                        continue;
                    }
                    let p = px * py * pz;
                    total += p;
                    for (m, ch) in mass.iter_mut().zip([x, y, z]) {
                        match m.iter_mut().find(|e| e.0 == ch) {
                            Some(e) => e.1 += p,
                            None => m.push((ch, p)),
                        }
                    }
                }
            }
        }
        if total <= 1e-6 {
            continue;
        }
        for (g, mut m) in cells.iter_mut().zip(mass) {
            m.iter_mut().for_each(|e| e.1 /= total);
            m.sort_by(|x, y| y.1.total_cmp(&x.1));
            g.alternatives = m;
        }
    }
}

/// The round glyphs that OCR-B barely tells apart at low resolution.
fn round(x: char) -> bool {
    matches!(x, 'O' | '0' | 'D' | 'Q')
}

/// Minimum mean character probability of every line of a reading whose third line was assumed
/// (not detected) and whose check digits fail, for it to compete.
const MIN_ASSUMED_LINE_CONFIDENCE: f32 = 0.85;

/// The lowest mean character probability among the lines.
fn min_line_confidence(chars: &[Vec<CharGuess>]) -> f32 {
    chars
        .iter()
        .map(|l| l.iter().map(CharGuess::confidence).sum::<f32>() / l.len().max(1) as f32)
        .fold(1.0, f32::min)
}

fn mean_confidence(chars: &[Vec<CharGuess>]) -> f32 {
    let n: usize = chars.iter().map(Vec::len).sum();
    chars
        .iter()
        .flatten()
        .map(CharGuess::confidence)
        .sum::<f32>()
        / n.max(1) as f32
}

fn finish(h: Hypothesis, corr: Option<Correction>, today: Date) -> Option<MrzText> {
    let raw_lines: Vec<String> = h
        .chars
        .iter()
        .map(|l| l.iter().map(CharGuess::best).collect())
        .collect();
    let confidence = mean_confidence(&h.chars);
    let chars = to_readings(&h.chars);
    match corr {
        Some(c) => {
            // Check digits do not cover names and codes: a character the recogniser was
            // unsure of (and the correction did not settle) keeps the reading from `valid`.
            let below = |min: f32| {
                h.chars.iter().enumerate().any(|(li, l)| {
                    l.iter().enumerate().any(|(ci, g)| {
                        g.confidence() < min
                            && !c.changes.iter().any(|ch| ch.line == li && ch.column == ci)
                    })
                })
            };
            let unsure = below(MIN_CHAR_CONFIDENCE);
            // Doubtful: below the stricter bound where no check digit covers the character.
            let mut doubtful = false;
            for (li, l) in h.chars.iter().enumerate() {
                for (ci, g) in l.iter().enumerate() {
                    if g.confidence() >= MIN_VALID_CHAR_CONFIDENCE
                        || c.changes.iter().any(|ch| ch.line == li && ch.column == ci)
                    {
                        continue;
                    }
                    // The share of the characters the place can hold (a digit cannot stand in
                    // a name: `O` at 0.6 against `0` at 0.4 is sure there).
                    if let Some(allowed) = unchecked(&h.chars, li, ci) {
                        let total: f32 = g
                            .alternatives
                            .iter()
                            .filter(|a| allowed(a.0))
                            .map(|a| a.1)
                            .sum();
                        let p = g.alternatives.first().map_or(0.0, |a| a.1);
                        if p < MIN_VALID_CHAR_CONFIDENCE * total.max(1e-6) {
                            doubtful = true;
                        }
                    }
                }
            }
            let doubtful = unsure || doubtful;
            let trusted = c.valid
                && match c.outcome {
                    Outcome::AlreadyValid => confidence >= MIN_CONFIDENCE_AS_READ,
                    Outcome::Corrected => {
                        c.changes.len() <= MAX_CHANGES
                            && confidence >= MIN_CONFIDENCE_CORRECTED
                            && c.changes.iter().all(|ch| {
                                // A change over a character the recogniser was sure of is a
                                // rule overriding the print (digits in a code field): distrust,
                                // except between the round glyphs that OCR-B barely tells apart.
                                (round(ch.from) && round(ch.to))
                                    || h.chars
                                        .get(ch.line)
                                        .and_then(|l| l.get(ch.column))
                                        .is_none_or(|g| g.confidence() < MAX_OVERRIDDEN_CONFIDENCE)
                            })
                    }
                    _ => false,
                };
            if trusted && (!unsure || confidence >= MIN_CONFIDENCE_INVALID) {
                return Some(MrzText {
                    lines: c.lines,
                    raw_lines,
                    chars,
                    // Corrected and checked, but with a doubtful character: reported, not valid.
                    valid: !doubtful,
                    outcome: Some(c.outcome),
                    changes: c.changes.len(),
                    mrz: Some(c.mrz),
                    confidence,
                    quarter_turns: h.quarter_turns,
                    region: h.region,
                });
            }
            if confidence < MIN_CONFIDENCE_INVALID {
                return None;
            }
            // Not settled: report the lines with only the forced changes when the search found
            // nothing, the raw reading when it found a correction we do not trust.
            let (lines, mrz, changes) = if c.valid {
                // Keep only the O/0-type changes of the distrusted correction.
                let mut lines: Vec<Vec<char>> =
                    raw_lines.iter().map(|l| l.chars().collect()).collect();
                let mut kept = 0;
                for ch in c.changes.iter().filter(|ch| round(ch.from) && round(ch.to)) {
                    if let Some(x) = lines.get_mut(ch.line).and_then(|l| l.get_mut(ch.column)) {
                        *x = ch.to;
                        kept += 1;
                    }
                }
                let lines: Vec<String> =
                    lines.into_iter().map(|l| l.into_iter().collect()).collect();
                let mrz = parse(&lines, today).ok();
                (lines, mrz, kept)
            } else {
                (c.lines, Some(c.mrz), c.changes.len())
            };
            Some(MrzText {
                lines,
                raw_lines,
                chars,
                valid: false,
                outcome: Some(c.outcome),
                changes,
                mrz,
                confidence,
                quarter_turns: h.quarter_turns,
                region: h.region,
            })
        }
        None => {
            if confidence < MIN_CONFIDENCE_INVALID {
                return None;
            }
            let raw: Vec<Vec<char>> = raw_lines.iter().map(|l| l.chars().collect()).collect();
            Format::detect(&raw)?;
            let mrz = parse(&raw_lines, today).ok();
            Some(MrzText {
                lines: raw_lines.clone(),
                raw_lines,
                chars,
                valid: false,
                mrz,
                outcome: None,
                changes: 0,
                confidence,
                quarter_turns: h.quarter_turns,
                region: h.region,
            })
        }
    }
}

/// Reads a band in every orientation and line length its geometry allows: for each line length,
/// the more confident orientation, most confident first.
fn read_band(full: &Gray, frame: &Frame, band: &Band, mlp: &Mlp) -> Vec<Hypothesis> {
    // Strips from the full-resolution image, top to bottom in frame order.
    let mut strips = Vec::with_capacity(band.lines.len());
    // Band corners (top left, top right, bottom right, bottom left in frame order).
    let mut corners = [(0.0f32, 0.0f32); 4];
    let last = band.lines.len().saturating_sub(1);
    for l in &band.lines {
        let (cx, cy) = frame.to_full(l.cx, l.cy);
        let (ddx, ddy) = frame.dir_to_full(l.angle.cos(), l.angle.sin());
        let norm = (ddx * ddx + ddy * ddy).sqrt().max(1e-6);
        let (dx, dy) = (ddx / norm, ddy / norm);
        let k = 1.0 / frame.scale;
        let cap = l.height * k;
        let (left, right) = (l.left * k, l.right * k);
        let a0 = left - cap;
        let a1 = right + cap;
        let (nx, ny) = (-dy, dx);
        let at = |u: f32, v: f32| (cx + u * dx + v * nx, cy + u * dy + v * ny);
        let li = strips.len();
        if li == 0 {
            corners[0] = at(left, -0.7 * cap);
            corners[1] = at(right, -0.7 * cap);
        }
        if li == last {
            corners[2] = at(right, 0.7 * cap);
            corners[3] = at(left, 0.7 * cap);
        }
        let strip = Strip::sample(full, cx, cy, dx, dy, a0, a1, cap);
        let s = cap / crate::recognise::CAP;
        let hint = ((left - a0) / s, (right - a0) / s);
        strips.push((strip, hint));
    }
    let ratio = band
        .lines
        .iter()
        .map(|l| l.length() / l.height)
        .sum::<f32>()
        / band.lines.len().max(1) as f32;
    // Two-line bands: both lengths unless the geometry is unmistakable (the locator's extent
    // can be short or long by a few characters under perspective and blur).
    let lengths: &[usize] = match band.lines.len() {
        3 => &[30],
        _ if ratio > 47.0 => &[44],
        _ if ratio < 33.0 => &[36],
        _ if ratio > 41.0 => &[44, 36],
        _ => &[36, 44],
    };
    let mut out: Vec<Hypothesis> = Vec::new();
    for &n in lengths {
        let mut best: Option<Hypothesis> = None;
        'flip: for flip in [false, true] {
            let mut chars = Vec::with_capacity(strips.len());
            let mut logp = 0.0f32;
            let mut count = 0usize;
            let order: Vec<usize> = if flip {
                (0..strips.len()).rev().collect()
            } else {
                (0..strips.len()).collect()
            };
            for i in order {
                let Some((strip, hint)) = strips.get(i) else {
                    continue 'flip;
                };
                let read = if flip {
                    let r = strip.rotate180();
                    let w = r.w as f32;
                    read_line(&r, n, (w - hint.1, w - hint.0), mlp)
                } else {
                    read_line(strip, n, *hint, mlp)
                };
                let Some((line, _seg)) = read else {
                    continue 'flip;
                };
                for g in &line {
                    logp += g.confidence().max(1e-6).ln();
                    count += 1;
                }
                chars.push(line);
            }
            // The first character is a document code letter (P, V, I, A, C in every format).
            if let Some(g) = chars.first_mut().and_then(|l| l.first_mut()) {
                restrict_first(g);
            }
            let score = logp / count.max(1) as f32;
            let base_turns: u8 = if frame.turned { 1 } else { 0 };
            let quarter_turns = (base_turns + if flip { 2 } else { 0 }) % 4;
            if best.as_ref().is_none_or(|b| score > b.score) {
                let [tl, tr, br, bl] = corners;
                best = Some(Hypothesis {
                    chars,
                    score,
                    quarter_turns,
                    region: MrzRegion {
                        corners: if flip { [br, bl, tl, tr] } else { corners },
                        lines: band.lines.len(),
                    },
                });
            }
        }
        out.extend(best);
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)] // a panic is a failed test

    use super::*;

    /// A place read with these alternatives: line, column, alternatives.
    type Doubt = (usize, usize, Vec<(char, f32)>);

    /// The ICAO 9303 specimen passport, every character read at 0.99 except the given places.
    fn hypothesis(doubts: &[Doubt]) -> Hypothesis {
        let lines = [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ];
        let mut chars: Vec<Vec<CharGuess>> = lines
            .iter()
            .map(|l| {
                l.chars()
                    .map(|c| CharGuess {
                        alternatives: vec![(c, 0.99)],
                    })
                    .collect()
            })
            .collect();
        for (li, ci, alts) in doubts {
            chars[*li][*ci].alternatives = alts.clone();
        }
        Hypothesis {
            chars,
            score: 0.0,
            quarter_turns: 0,
            region: MrzRegion {
                corners: [(0.0, 0.0); 4],
                lines: 2,
            },
        }
    }

    fn finished(h: Hypothesis) -> MrzText {
        let today = Date::new(2010, 1, 1).unwrap();
        let corr = correct(&to_readings(&h.chars), today);
        finish(h, corr, today).unwrap()
    }

    #[test]
    fn a_doubtful_name_letter_is_reported_but_not_valid() {
        let t = finished(hypothesis(&[(0, 16, vec![('N', 0.6), ('M', 0.4)])]));
        assert!(t.lines[0].starts_with("P<UTOERIKSSON<<ANNA"));
        assert!(!t.valid);
    }

    #[test]
    fn a_digit_runner_up_in_a_name_is_no_doubt() {
        let t = finished(hypothesis(&[(0, 11, vec![('O', 0.6), ('0', 0.4)])]));
        assert!(t.valid);
        let clear = finished(hypothesis(&[]));
        assert!(clear.valid);
    }

    #[test]
    fn an_unlisted_state_code_is_held_to_the_code_list() {
        let mut h = hypothesis(&[(1, 10, vec![('Z', 0.8), ('U', 0.2)])]);
        constrain_codes(&mut h.chars);
        assert_eq!(h.chars[1][10].best(), 'U');
        assert!(finished(h).valid);
    }
}
