//! Text recognition: each detected line cropped from the full-resolution image, scaled to the
//! recogniser's 48-pixel height, batched with lines of similar width, and the CTC output decoded
//! greedily with a probability per character.

use image::RgbImage;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use crate::{DetBox, Error, OcrLine, ReadOptions, Recogniser, marks};

/// The recogniser's input height.
const REC_HEIGHT: usize = 48;
/// The widest line fed to the recogniser (pixels at `REC_HEIGHT`).
const MAX_WIDTH: usize = 1600;
/// The narrowest.
const MIN_WIDTH: usize = 16;

/// The line's width at the recogniser's height.
fn rec_width(b: &DetBox) -> usize {
    let w = (b.width / b.height.max(1.0) * REC_HEIGHT as f32).round() as usize;
    w.clamp(MIN_WIDTH, MAX_WIDTH)
}

/// Recognises `boxes` of `image`; the result is in the order of `boxes` (at most
/// `opts.max_lines` of them, the highest-scoring kept).
pub(crate) fn recognise(
    rec: &Recogniser,
    image: &RgbImage,
    boxes: &[DetBox],
    opts: &ReadOptions,
) -> Result<Vec<OcrLine>, Error> {
    let mut keep: Vec<usize> = (0..boxes.len()).collect();
    if keep.len() > opts.max_lines {
        keep.sort_by(|&a, &b| {
            let s = |i: usize| boxes.get(i).map_or(0.0, |b| b.score);
            s(b).total_cmp(&s(a))
        });
        keep.truncate(opts.max_lines);
        keep.sort_unstable();
    }
    // Batches of similar widths.
    let mut by_width = keep.clone();
    by_width.sort_by_key(|&i| boxes.get(i).map_or(0, rec_width));
    let mut results: Vec<Option<OcrLine>> = vec![None; boxes.len()];
    for chunk in by_width.chunks(opts.batch.max(1)) {
        let chosen: Vec<DetBox> = chunk
            .iter()
            .filter_map(|&i| boxes.get(i).copied())
            .collect();
        let lines = run_batch(rec, image, &chosen)?;
        for (&i, line) in chunk.iter().zip(lines) {
            if let Some(slot) = results.get_mut(i) {
                *slot = Some(line);
            }
        }
    }
    Ok(results.into_iter().flatten().collect())
}

fn run_batch(
    Recogniser {
        model,
        dict,
        restored,
    }: &Recogniser,
    image: &RgbImage,
    boxes: &[DetBox],
) -> Result<Vec<OcrLine>, Error> {
    let width = boxes.iter().map(rec_width).max().unwrap_or(MIN_WIDTH);
    let n = boxes.len();
    let plane = REC_HEIGHT * width;
    // Padding is 0 after normalisation, as PaddleOCR pads.
    let mut data = vec![0f32; n * 3 * plane];
    for (k, b) in boxes.iter().enumerate() {
        let bw = rec_width(b);
        if let Some(dst) = data.get_mut(k * 3 * plane..(k + 1) * 3 * plane) {
            sample_line(image, b, bw, width, dst);
        }
    }
    let input = NdTensor::try_from_data([n, 3, REC_HEIGHT, width], data)
        .map_err(|e| Error::Inference(format!("recogniser input: {e:?}")))?;
    let out = model
        .run_one(input.into(), None)
        .map_err(|e| Error::Inference(format!("recogniser: {e}")))?;
    let probs: NdTensor<f32, 3> = out
        .try_into()
        .map_err(|e| Error::Inference(format!("recogniser output: {e:?}")))?;
    let shape = probs.shape();
    let (t, c) = (shape[1], shape[2]);
    if c != dict.len() {
        return Err(Error::Dictionary(format!(
            "the model has {c} classes, the dictionary gives {}",
            dict.len()
        )));
    }
    let data = probs.into_data();
    let mut lines = Vec::with_capacity(n);
    for (k, b) in boxes.iter().enumerate() {
        let seq = data.get(k * t * c..(k + 1) * t * c).unwrap_or(&[]);
        let decoded = ctc_greedy(seq, c, dict);
        // Per character, the classes of the letters it may be restored as.
        let classes: Vec<Vec<usize>> = decoded
            .text
            .chars()
            .map(|ch| {
                let t = marks::targets(ch);
                restored
                    .iter()
                    .filter(|(s, _)| t.contains(s))
                    .map(|&(_, i)| i)
                    .collect()
            })
            .collect();
        let marked = class_probability(seq, c, &decoded, &classes);
        // Step → column of the padded input → pixel of the image.
        let px_per_step = width as f32 / t.max(1) as f32 * b.width / rec_width(b) as f32;
        let char_x: Vec<f32> = decoded
            .steps()
            .map(|s| b.x + (s + 0.5) * px_per_step)
            .collect();
        let text = marks::restore(image, b, &decoded.text, &char_x, &marked);
        let confs = decoded.confs;
        let confidence = if confs.is_empty() {
            0.0
        } else {
            confs.iter().sum::<f32>() / confs.len() as f32
        };
        lines.push(OcrLine {
            text: text.trim().to_string(),
            bbox: (b.x, b.y, b.width, b.height),
            confidence,
            char_confidences: confs,
        });
    }
    Ok(lines)
}

/// Bilinear samples the box into `dst` (3 planes, B, G, R, of `REC_HEIGHT` × `stride`),
/// `width` columns wide, normalised to −1…1.
fn sample_line(image: &RgbImage, b: &DetBox, width: usize, stride: usize, dst: &mut [f32]) {
    let (iw, ih) = image.dimensions();
    let plane = REC_HEIGHT * stride;
    let sx = b.width / width as f32;
    let sy = b.height / REC_HEIGHT as f32;
    let px = |x: i64, y: i64| {
        let x = x.clamp(0, i64::from(iw) - 1) as u32;
        let y = y.clamp(0, i64::from(ih) - 1) as u32;
        image.get_pixel(x, y).0
    };
    for oy in 0..REC_HEIGHT {
        let fy = b.y + (oy as f32 + 0.5) * sy - 0.5;
        let y0 = fy.floor();
        let wy = fy - y0;
        for ox in 0..width {
            let fx = b.x + (ox as f32 + 0.5) * sx - 0.5;
            let x0 = fx.floor();
            let wx = fx - x0;
            let (x0, y0i) = (x0 as i64, y0 as i64);
            let p00 = px(x0, y0i);
            let p10 = px(x0 + 1, y0i);
            let p01 = px(x0, y0i + 1);
            let p11 = px(x0 + 1, y0i + 1);
            for c in 0..3 {
                let ch = 2 - c; // B, G, R
                let g = |p: [u8; 3]| f32::from(p.get(ch).copied().unwrap_or(0));
                let top = g(p00) * (1.0 - wx) + g(p10) * wx;
                let bottom = g(p01) * (1.0 - wx) + g(p11) * wx;
                let v = top * (1.0 - wy) + bottom * wy;
                if let Some(slot) = dst.get_mut(c * plane + oy * stride + ox) {
                    *slot = v / 127.5 - 1.0;
                }
            }
        }
    }
}

/// What greedy CTC decoding gives for a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    pub(crate) text: String,
    /// Each emitted class's probability (one per dictionary entry emitted).
    pub(crate) confs: Vec<f32>,
    /// For each character of the text, its run of time steps (first, last).
    pub(crate) runs: Vec<(usize, usize)>,
}

impl Decoded {
    /// For each character of the text, the middle of the run of time steps that emitted it
    /// (a fraction of a step when the run is even).
    pub(crate) fn steps(&self) -> impl Iterator<Item = f32> + '_ {
        self.runs
            .iter()
            .map(|&(start, end)| 0.5 * (start + end) as f32)
    }
}

/// Greedy CTC decoding of `seq` (time steps × `classes` probabilities): the best class at each
/// step, repeats merged, blanks (class 0) dropped.
pub(crate) fn ctc_greedy(seq: &[f32], classes: usize, dict: &[String]) -> Decoded {
    let mut text = String::new();
    let mut confs = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut prev = 0usize;
    // First step of the current run and how many characters its dictionary entry has.
    let mut run: Option<(usize, usize)> = None;
    let close = |runs: &mut Vec<(usize, usize)>, run: Option<(usize, usize)>, end: usize| {
        if let Some((start, n)) = run {
            runs.extend(std::iter::repeat_n((start, end), n));
        }
    };
    for (t, step) in seq.chunks_exact(classes.max(1)).enumerate() {
        let (best, p) = best_class(step, dict);
        if best != prev {
            close(&mut runs, run.take(), t.saturating_sub(1));
        }
        if best != 0
            && best != prev
            && let Some(s) = dict.get(best)
        {
            text.push_str(s);
            confs.push(p);
            run = Some((t, s.chars().count()));
        }
        prev = best;
    }
    let last = (seq.len() / classes.max(1)).saturating_sub(1);
    close(&mut runs, run, last);
    Decoded { text, confs, runs }
}

/// The class a time step emits: the most probable, except that a blank short of 0.4 gives way
/// to a letter of 0.25 or more. A rare letter the recogniser is unsure of can lose to the blank
/// by a hair (`Faÿ` read `Fa` with the blank at 0.32 and `ý` at 0.32 at one step); where
/// nothing is printed the blank has 0.99 and more.
fn best_class(step: &[f32], dict: &[String]) -> (usize, f32) {
    let best = |from: usize| {
        step.iter()
            .copied()
            .enumerate()
            .skip(from)
            .fold(
                (0usize, f32::MIN),
                |acc, (i, v)| if v > acc.1 { (i, v) } else { acc },
            )
    };
    let (b, p) = best(0);
    if b != 0 || p >= 0.4 {
        return (b, p);
    }
    let (k, q) = best(1);
    let letter = dict
        .get(k)
        .is_some_and(|s| s.chars().next().is_some_and(char::is_alphabetic));
    if letter && q >= 0.25 { (k, q) } else { (b, p) }
}

/// For each character of `d`, the highest probability any of its `classes` (one list per
/// character) had over the time steps of its run and one step either side: how much the
/// recogniser thought of those letters there.
pub(crate) fn class_probability(
    seq: &[f32],
    n_classes: usize,
    d: &Decoded,
    classes: &[Vec<usize>],
) -> Vec<f32> {
    let steps = seq.len() / n_classes.max(1);
    d.runs
        .iter()
        .zip(classes)
        .map(|(&(start, end), classes)| {
            (start.saturating_sub(1)..=(end + 1).min(steps.saturating_sub(1)))
                .flat_map(|t| classes.iter().map(move |&k| t * n_classes + k))
                .filter_map(|i| seq.get(i).copied())
                .fold(0.0, f32::max)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ctc_merges_repeats_and_drops_blanks() {
        let dict: Vec<String> = ["", "a", "b", " "].iter().map(|s| s.to_string()).collect();
        // a a _ a b b _ ' '
        let steps = [1, 1, 0, 1, 2, 2, 0, 3];
        let mut seq = Vec::new();
        for s in steps {
            let mut row = vec![0.1f32; 4];
            row[s] = 0.7;
            seq.extend(row);
        }
        let d = ctc_greedy(&seq, 4, &dict);
        assert_eq!(d.text, "aab ");
        assert_eq!(d.confs.len(), 4);
        // `a a` at steps 0–1, `a` at 3, `b b` at 4–5, the space at 7.
        assert_eq!(d.steps().collect::<Vec<_>>(), vec![0.5, 3.0, 4.5, 7.0]);
        assert_eq!(d.runs, vec![(0, 1), (3, 3), (4, 5), (7, 7)]);
        assert!(d.confs.iter().all(|&c| (c - 0.7).abs() < 1e-6));
        // `b` (class 2) beside the second `a`: 0.7 at step 4, one step after its run.
        let pb = class_probability(&seq, 4, &d, &[vec![2], vec![2], vec![], vec![]]);
        assert!((pb[1] - 0.7).abs() < 1e-6);
        assert!((pb[0] - 0.1).abs() < 1e-6);
    }

    #[test]
    fn a_letter_close_behind_an_unsure_blank_is_read() {
        let dict: Vec<String> = ["", "a", "-"].iter().map(|s| s.to_string()).collect();
        assert_eq!(best_class(&[0.35, 0.33, 0.32], &dict).0, 1);
        // Not a letter, or too far behind, or the blank sure enough.
        assert_eq!(best_class(&[0.35, 0.30, 0.35], &dict).0, 0);
        assert_eq!(best_class(&[0.38, 0.2, 0.42], &dict).0, 2);
        assert_eq!(best_class(&[0.5, 0.3, 0.2], &dict).0, 0);
        assert_eq!(best_class(&[0.39, 0.2, 0.41], &dict).0, 2);
    }

    #[test]
    fn rec_width_keeps_the_aspect_ratio_within_bounds() {
        let b = |w: f32, h: f32| DetBox {
            x: 0.0,
            y: 0.0,
            width: w,
            height: h,
            score: 1.0,
        };
        assert_eq!(rec_width(&b(200.0, 24.0)), 400);
        assert_eq!(rec_width(&b(2.0, 24.0)), MIN_WIDTH);
        assert_eq!(rec_width(&b(100_000.0, 24.0)), MAX_WIDTH);
    }
}
