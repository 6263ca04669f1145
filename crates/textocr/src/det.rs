//! Text detection: PP-OCR's DB detector on the image scaled to a bounded size, then the
//! probability map thresholded, split into connected components, each scored and its box grown
//! back to the text's full extent ("unclipped"), in pixels of the input image.

use image::RgbImage;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use crate::{Error, ReadOptions};

/// Pixels whose text probability is above this belong to a text kernel.
const BIN_THRESHOLD: f32 = 0.3;
/// A component whose mean probability is below this is dropped.
const BOX_THRESHOLD: f32 = 0.6;
/// How much a kernel's box is grown: offset = area × ratio / perimeter (DB's unclip).
const UNCLIP_RATIO: f32 = 1.5;
/// ImageNet normalisation, in the B, G, R channel order PaddleOCR feeds its models.
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// One detected text line: an axis-aligned box in pixels of the (upright) image and the mean
/// text probability inside its kernel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DetBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Mean probability of the kernel's pixels.
    pub score: f32,
}

/// The detector's input size for an image: long side `long_side` (small images are scaled
/// up: the detector misses text under ~10 pixels high), both sides multiples of 32.
fn det_size(w: u32, h: u32, long_side: u32) -> (u32, u32) {
    let long = w.max(h).max(1);
    let target = long_side.max(32);
    let scale = target as f32 / long as f32;
    let round32 = |v: u32| (((v as f32 * scale) / 32.0).round() as u32).max(1) * 32;
    (round32(w), round32(h))
}

/// Runs the detector and returns the line boxes in reading order.
pub(crate) fn detect(
    model: &rten::Model,
    image: &RgbImage,
    opts: &ReadOptions,
) -> Result<Vec<DetBox>, Error> {
    let (w, h) = image.dimensions();
    let (dw, dh) = det_size(w, h, opts.det_long_side);
    let small = if dw < w && dh < h {
        image::imageops::thumbnail(image, dw, dh)
    } else {
        image::imageops::resize(image, dw, dh, image::imageops::FilterType::Triangle)
    };
    let plane = (dw * dh) as usize;
    let mut data = vec![0f32; 3 * plane];
    for (i, p) in small.pixels().enumerate() {
        // B, G, R planes.
        for c in 0..3 {
            let v = f32::from(p.0.get(2 - c).copied().unwrap_or(0)) / 255.0;
            if let Some(slot) = data.get_mut(c * plane + i) {
                *slot =
                    (v - MEAN.get(c).copied().unwrap_or(0.5)) / STD.get(c).copied().unwrap_or(1.0);
            }
        }
    }
    let input = NdTensor::try_from_data([1, 3, dh as usize, dw as usize], data)
        .map_err(|e| Error::Inference(format!("detector input: {e:?}")))?;
    let out = model
        .run_one(input.into(), None)
        .map_err(|e| Error::Inference(format!("detector: {e}")))?;
    let map: NdTensor<f32, 4> = out
        .try_into()
        .map_err(|e| Error::Inference(format!("detector output: {e:?}")))?;
    let shape = map.shape();
    let (mh, mw) = (shape[2], shape[3]);
    if mh != dh as usize || mw != dw as usize {
        return Err(Error::Inference(format!(
            "detector map is {mw}×{mh}, expected {dw}×{dh}"
        )));
    }
    let prob = map.into_data();
    let sx = w as f32 / dw as f32;
    let sy = h as f32 / dh as f32;
    let mut boxes: Vec<DetBox> = components(&prob, mw, mh)
        .into_iter()
        .filter_map(|c| {
            let bw = (c.x1 - c.x0 + 1) as f32;
            let bh = (c.y1 - c.y0 + 1) as f32;
            if bw.min(bh) < 2.0 || c.score < BOX_THRESHOLD {
                return None;
            }
            let d = bw * bh * UNCLIP_RATIO / (2.0 * (bw + bh));
            let x0 = ((c.x0 as f32 - d) * sx).max(0.0);
            let y0 = ((c.y0 as f32 - d) * sy).max(0.0);
            let x1 = ((c.x1 as f32 + 1.0 + d) * sx).min(w as f32);
            let y1 = ((c.y1 as f32 + 1.0 + d) * sy).min(h as f32);
            let b = DetBox {
                x: x0,
                y: y0,
                width: x1 - x0,
                height: y1 - y0,
                score: c.score,
            };
            (b.height >= opts.min_line_height).then_some(b)
        })
        .collect();
    sort_reading_order(&mut boxes);
    Ok(boxes)
}

/// Removes the boxes shaped like MRZ lines: at least 60% as wide as the horizontal extent of
/// all boxes, at least 18 times wider than high, centre in the lower half of that extent, and
/// nothing under them but other such lines or much smaller print (the MRZ is the bottom zone).
pub(crate) fn drop_mrz_like(boxes: &mut Vec<DetBox>) {
    let x0 = boxes.iter().map(|b| b.x).fold(f32::MAX, f32::min);
    let x1 = boxes.iter().map(|b| b.x + b.width).fold(f32::MIN, f32::max);
    let y0 = boxes.iter().map(|b| b.y).fold(f32::MAX, f32::min);
    let y1 = boxes
        .iter()
        .map(|b| b.y + b.height)
        .fold(f32::MIN, f32::max);
    let (span, mid) = (x1 - x0, (y0 + y1) / 2.0);
    let shaped = |b: &DetBox| {
        b.width >= 0.6 * span && b.width >= 18.0 * b.height && b.y + b.height / 2.0 > mid
    };
    // The MRZ is the bottom zone: a long line with other text under it (a card's row of
    // labels, `Date of birth / …   Document No. / …`) is printed text.
    let is_mrz: Vec<bool> = boxes
        .iter()
        .map(|b| {
            shaped(b)
                && boxes
                    .iter()
                    .filter(|o| o.y >= b.y + b.height)
                    .all(|o| shaped(o) || o.height < 0.5 * b.height)
        })
        .collect();
    let mut k = 0;
    boxes.retain(|_| {
        let keep = !is_mrz.get(k).copied().unwrap_or(false);
        k += 1;
        keep
    });
}

/// Top to bottom; boxes whose vertical centres are within half a line height of each other
/// count as one row and go left to right.
pub(crate) fn sort_reading_order(boxes: &mut [DetBox]) {
    boxes.sort_by(|a, b| (a.y + a.height / 2.0).total_cmp(&(b.y + b.height / 2.0)));
    // Insertion pass: within a row, left to right.
    for i in 1..boxes.len() {
        let mut j = i;
        while j > 0 {
            let (Some(prev), Some(cur)) = (boxes.get(j - 1), boxes.get(j)) else {
                break;
            };
            let same_row = ((cur.y + cur.height / 2.0) - (prev.y + prev.height / 2.0)).abs()
                < 0.5 * cur.height.min(prev.height);
            if same_row && cur.x < prev.x {
                boxes.swap(j - 1, j);
                j -= 1;
            } else {
                break;
            }
        }
    }
}

/// A connected component of the thresholded map: its bounding box and mean probability.
#[derive(Debug, Clone, Copy)]
struct Component {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
    score: f32,
}

/// 8-connected components of `prob > BIN_THRESHOLD`.
fn components(prob: &[f32], w: usize, h: usize) -> Vec<Component> {
    let on = |i: usize| prob.get(i).is_some_and(|&p| p > BIN_THRESHOLD);
    crate::regions::regions(w, h, true, on)
        .into_iter()
        .map(|region| {
            let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
            let mut sum = 0f32;
            for &i in &region {
                let (x, y) = (i % w, i / w);
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x);
                y1 = y1.max(y);
                sum += prob.get(i).copied().unwrap_or(0.0);
            }
            Component {
                x0,
                y0,
                x1,
                y1,
                score: sum / region.len().max(1) as f32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn det_size_is_bounded_and_a_multiple_of_32() {
        assert_eq!(det_size(2000, 1000, 960), (960, 480));
        let (w, h) = det_size(333, 1000, 960);
        assert_eq!((w % 32, h % 32), (0, 0));
        assert_eq!(h, 960);
        assert_eq!(det_size(10, 10, 960), (960, 960));
    }

    #[test]
    fn components_finds_two_blobs_with_their_scores() {
        let (w, h) = (10, 5);
        let mut p = vec![0f32; w * h];
        for x in 1..4 {
            p[w + x] = 0.9;
        }
        for y in 2..5 {
            p[y * w + 8] = 0.5;
        }
        let c = components(&p, w, h);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].x0, c[0].x1, c[0].y0, c[0].y1), (1, 3, 1, 1));
        assert!((c[0].score - 0.9).abs() < 1e-6);
        assert_eq!((c[1].x0, c[1].y0, c[1].y1), (8, 2, 4));
    }

    #[test]
    fn mrz_like_lines_are_dropped() {
        let b = |x: f32, y: f32, width: f32, height: f32| DetBox {
            x,
            y,
            width,
            height,
            score: 1.0,
        };
        let mut v = vec![
            b(0.0, 0.0, 300.0, 20.0),   // a title, wide but at the top
            b(0.0, 100.0, 80.0, 12.0),  // a value
            b(5.0, 400.0, 980.0, 30.0), // MRZ line
            b(5.0, 440.0, 990.0, 30.0), // MRZ line
            b(0.0, 470.0, 120.0, 12.0), // a short line at the bottom
        ];
        v[0].width = 990.0;
        drop_mrz_like(&mut v);
        assert_eq!(v.len(), 3);
        assert!(v.iter().all(|d| d.y < 400.0 || d.width < 200.0));
        // A card's row of labels, long and thin, with values under it, stays.
        let mut card = vec![
            b(22.0, 7.0, 136.0, 19.0),
            b(22.0, 68.0, 74.0, 13.0),
            b(22.0, 169.0, 302.0, 13.0),
            b(22.0, 183.0, 88.0, 17.0),
            b(175.0, 183.0, 94.0, 17.0),
        ];
        drop_mrz_like(&mut card);
        assert_eq!(card.len(), 5);
    }

    #[test]
    fn reading_order_is_rows_then_left_to_right() {
        let b = |x: f32, y: f32| DetBox {
            x,
            y,
            width: 50.0,
            height: 10.0,
            score: 1.0,
        };
        let mut v = vec![b(100.0, 41.0), b(0.0, 0.0), b(10.0, 40.0), b(200.0, 1.0)];
        sort_reading_order(&mut v);
        let xs: Vec<f32> = v.iter().map(|d| d.x).collect();
        assert_eq!(xs, vec![0.0, 200.0, 10.0, 100.0]);
    }
}
