//! YuNet face detection: the image letterboxed into the model's 640×640 input, the three
//! heads (strides 8, 16, 32) decoded into boxes and five landmarks, overlapping boxes merged.

use image::RgbImage;
use rten::NodeId;
use rten_tensor::NdTensor;
use rten_tensor::prelude::*;

use crate::{Error, Face};

/// YuNet's fixed input side.
pub(crate) const INPUT: u32 = 640;
const STRIDES: [usize; 3] = [8, 16, 32];
/// Boxes overlapping a better one by more than this (intersection over union) are dropped.
const NMS_IOU: f32 = 0.3;

/// The detector and its node ids.
#[derive(Debug)]
pub(crate) struct Detector {
    model: rten::Model,
    input: NodeId,
    /// Per stride: cls, obj, bbox, kps.
    heads: [[NodeId; 4]; 3],
}

impl Detector {
    pub(crate) fn new(model: rten::Model) -> Result<Self, Error> {
        let id = |name: &str| {
            model.find_node(name).ok_or_else(|| Error::ModelLoad {
                which: "detection",
                message: format!("no node {name}"),
            })
        };
        let head = |s: usize| -> Result<[NodeId; 4], Error> {
            Ok([
                id(&format!("cls_{s}"))?,
                id(&format!("obj_{s}"))?,
                id(&format!("bbox_{s}"))?,
                id(&format!("kps_{s}"))?,
            ])
        };
        Ok(Self {
            input: id("input")?,
            heads: [head(8)?, head(16)?, head(32)?],
            model,
        })
    }

    /// The faces scoring at least `min_score`, best first, in the image's pixel coordinates.
    pub(crate) fn detect(&self, image: &RgbImage, min_score: f32) -> Result<Vec<Face>, Error> {
        let (w, h) = image.dimensions();
        if w == 0 || h == 0 {
            return Ok(Vec::new());
        }
        let scale = INPUT as f32 / w.max(h) as f32;
        let (sw, sh) = (
            ((w as f32 * scale).round() as u32).clamp(1, INPUT),
            ((h as f32 * scale).round() as u32).clamp(1, INPUT),
        );
        // A box filter when shrinking (as the OCR detector does): a large photo's Triangle
        // resize costs more than the detector itself.
        let small = if sw < w && sh < h {
            image::imageops::thumbnail(image, sw, sh)
        } else {
            image::imageops::resize(image, sw, sh, image::imageops::FilterType::Triangle)
        };
        let side = INPUT as usize;
        let plane = side * side;
        let mut data = vec![0f32; 3 * plane];
        for (x, y, p) in small.enumerate_pixels() {
            let i = y as usize * side + x as usize;
            // B, G, R planes, 0..255.
            for c in 0..3 {
                if let (Some(slot), Some(v)) = (data.get_mut(c * plane + i), p.0.get(2 - c)) {
                    *slot = f32::from(*v);
                }
            }
        }
        let input = NdTensor::try_from_data([1, 3, side, side], data)
            .map_err(|e| Error::Inference(format!("detector input: {e:?}")))?;
        let outputs: Vec<NodeId> = self.heads.iter().flatten().copied().collect();
        let values = self
            .model
            .run(vec![(self.input, input.into())], &outputs, None)
            .map_err(|e| Error::Inference(format!("detector: {e}")))?;
        let mut tensors = Vec::with_capacity(values.len());
        for v in values {
            let t: NdTensor<f32, 3> = v
                .try_into()
                .map_err(|e| Error::Inference(format!("detector output: {e:?}")))?;
            tensors.push(t);
        }
        let mut faces = Vec::new();
        for (k, stride) in STRIDES.iter().enumerate() {
            let get = |j: usize| {
                tensors
                    .get(k * 4 + j)
                    .ok_or_else(|| Error::Inference("detector output missing".into()))
            };
            let (cls, obj, bbox, kps) = (get(0)?, get(1)?, get(2)?, get(3)?);
            let cols = side / stride;
            let cells = cols * (side / stride);
            let st = *stride as f32;
            for idx in 0..cells.min(cls.size(1)) {
                let c = cls.get([0, idx, 0]).copied().unwrap_or(0.0).clamp(0.0, 1.0);
                let o = obj.get([0, idx, 0]).copied().unwrap_or(0.0).clamp(0.0, 1.0);
                let score = (c * o).sqrt();
                if score < min_score {
                    continue;
                }
                let (col, row) = ((idx % cols) as f32, (idx / cols) as f32);
                let b = |j: usize| bbox.get([0, idx, j]).copied().unwrap_or(0.0);
                let cx = (col + b(0)) * st;
                let cy = (row + b(1)) * st;
                let bw = b(2).exp() * st;
                let bh = b(3).exp() * st;
                let mut landmarks = [[0f32; 2]; 5];
                for (n, lm) in landmarks.iter_mut().enumerate() {
                    let kx = kps.get([0, idx, 2 * n]).copied().unwrap_or(0.0);
                    let ky = kps.get([0, idx, 2 * n + 1]).copied().unwrap_or(0.0);
                    *lm = [(kx + col) * st / scale, (ky + row) * st / scale];
                }
                faces.push(Face {
                    x: (cx - bw / 2.0) / scale,
                    y: (cy - bh / 2.0) / scale,
                    width: bw / scale,
                    height: bh / scale,
                    score,
                    landmarks,
                });
            }
        }
        Ok(suppress(faces))
    }
}

fn iou(a: &Face, b: &Face) -> f32 {
    let x0 = a.x.max(b.x);
    let y0 = a.y.max(b.y);
    let x1 = (a.x + a.width).min(b.x + b.width);
    let y1 = (a.y + a.height).min(b.y + b.height);
    let inter = (x1 - x0).max(0.0) * (y1 - y0).max(0.0);
    let union = a.width * a.height + b.width * b.height - inter;
    if union <= 0.0 { 0.0 } else { inter / union }
}

/// Non-maximum suppression: best first, each box kept unless it overlaps a kept one.
fn suppress(mut faces: Vec<Face>) -> Vec<Face> {
    faces.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Face> = Vec::new();
    for f in faces {
        if kept.iter().all(|k| iou(k, &f) <= NMS_IOU) {
            kept.push(f);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(x: f32, score: f32) -> Face {
        Face {
            x,
            y: 0.0,
            width: 10.0,
            height: 10.0,
            score,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn overlapping_boxes_keep_the_best_and_apart_ones_stay() {
        let kept = suppress(vec![face(0.0, 0.7), face(1.0, 0.9), face(50.0, 0.8)]);
        let xs: Vec<f32> = kept.iter().map(|f| f.x).collect();
        assert_eq!(xs, vec![1.0, 50.0]);
    }
}
