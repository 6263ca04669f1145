//! The MRZ reading pipeline: locate candidate bands in both quarter-turn frames, rectify each
//! line from the full-resolution image, read it in both half-turn orientations and the line
//! lengths its geometry allows, keep the most confident hypothesis, and let
//! `idverify_mrz::correct` choose among the per-character alternatives by the check digits.

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
    /// The recogniser's best characters, before correction.
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
}

/// Reads the MRZ of a grayscale image.
pub fn read_mrz_gray(full: &Gray, models: &Models, today: Date) -> MrzReading {
    let frames = locate::frames(full, WORK_LONG);
    let mut bands: Vec<Band> = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let lines = locate::text_lines(&f.img);
        bands.extend(locate::bands(&lines, i));
    }
    bands.sort_by(|a, b| b.score.total_cmp(&a.score));
    bands.truncate(MAX_BANDS);
    let completed: Vec<Band> = bands.iter().flat_map(locate::complete_td1).collect();
    bands.extend(completed);
    let mut best: Option<(Hypothesis, Option<Correction>)> = None;
    let mut examined = 0;
    for band in &bands {
        let Some(frame) = frames.get(band.frame) else {
            continue;
        };
        examined += 1;
        let Some(h) = read_band(full, frame, band, &models.mlp) else {
            continue;
        };
        let readings = to_readings(&h.chars);
        let corr = correct(&readings, today);
        let valid = corr.as_ref().is_some_and(|c| c.valid);
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
            break;
        }
    }
    let mut rejected = None;
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
/// A reading reported valid has no unsettled character read with less than this probability.
const MIN_CHAR_CONFIDENCE: f32 = 0.5;
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

/// The round glyphs that OCR-B barely tells apart at low resolution.
fn round(x: char) -> bool {
    matches!(x, 'O' | '0' | 'D' | 'Q')
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
            let unsure = h.chars.iter().enumerate().any(|(li, l)| {
                l.iter().enumerate().any(|(ci, g)| {
                    g.confidence() < MIN_CHAR_CONFIDENCE
                        && !c.changes.iter().any(|ch| ch.line == li && ch.column == ci)
                })
            });
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
                    // Corrected and checked, but with an unsure character: reported, not valid.
                    valid: !unsure,
                    outcome: Some(c.outcome),
                    changes: c.changes.len(),
                    mrz: Some(c.mrz),
                    confidence,
                    quarter_turns: h.quarter_turns,
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
            })
        }
    }
}

/// Reads a band in every orientation and line length its geometry allows; the most confident
/// hypothesis wins.
fn read_band(full: &Gray, frame: &Frame, band: &Band, mlp: &Mlp) -> Option<Hypothesis> {
    // Strips from the full-resolution image, top to bottom in frame order.
    let mut strips = Vec::with_capacity(band.lines.len());
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
    let lengths: &[usize] = match band.lines.len() {
        3 => &[30],
        _ if ratio > 41.0 => &[44],
        _ if ratio < 37.0 => &[36],
        _ => &[44, 36],
    };
    let mut best: Option<Hypothesis> = None;
    for &n in lengths {
        for flip in [false, true] {
            let mut chars = Vec::with_capacity(strips.len());
            let mut logp = 0.0f32;
            let mut count = 0usize;
            let order: Vec<usize> = if flip {
                (0..strips.len()).rev().collect()
            } else {
                (0..strips.len()).collect()
            };
            for i in order {
                let (strip, hint) = strips.get(i)?;
                let (line, _seg) = if flip {
                    let r = strip.rotate180();
                    let w = r.w as f32;
                    read_line(&r, n, (w - hint.1, w - hint.0), mlp)?
                } else {
                    read_line(strip, n, *hint, mlp)?
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
                best = Some(Hypothesis {
                    chars,
                    score,
                    quarter_turns,
                });
            }
        }
    }
    best
}
