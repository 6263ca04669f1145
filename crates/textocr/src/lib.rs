//! Printed-zone OCR: finds the lines of text on a document image and reads them, keeping case
//! and diacritics, for the check's printed-zone extraction ([`idverify_check::extract_printed`]).
//!
//! The models are PaddleOCR's PP-OCRv5 text detector (DB) and recogniser (CTC), run in pure Rust
//! with `rten`. The library never touches the file system: the caller passes the model bytes to
//! [`Models::from_bytes`] (`scripts/setup-ocr-models` installs them into `models/ppocrv5/`;
//! [`MODEL_FILES`] names the files). See `docs/ocr-models.md` for origin, version and licence.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::path::Path::new("models/ppocrv5");
//! let models = idverify_textocr::Models::from_bytes(
//!     std::fs::read(dir.join("det.onnx"))?,
//!     std::fs::read(dir.join("rec.onnx"))?,
//!     &std::fs::read_to_string(dir.join("ppocrv5_dict.txt"))?,
//! )?;
//! let image = image::RgbImage::new(640, 400);
//! let lines = models.read(&image, &idverify_textocr::ReadOptions::default())?;
//! let printed = idverify_check::extract_printed(&idverify_textocr::to_text_lines(&lines));
//! # let _ = printed;
//! # Ok(())
//! # }
//! ```

mod det;
mod rec;
mod text_fix;

use image::RgbImage;

pub use det::DetBox;

/// The files `scripts/setup-ocr-models` installs in `models/ppocrv5/`: detector, recogniser,
/// recogniser dictionary.
pub const MODEL_FILES: [&str; 3] = ["det.onnx", "rec.onnx", "ppocrv5_dict.txt"];

/// What can go wrong while loading the models or reading an image.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A model's bytes are not a model `rten` can load.
    #[error("cannot load the {which} model: {message}")]
    ModelLoad {
        /// `detection` or `recognition`.
        which: &'static str,
        /// The loader's message.
        message: String,
    },
    /// The dictionary does not match the recogniser's output.
    #[error("the recognition dictionary does not fit the model: {0}")]
    Dictionary(String),
    /// The image cannot be read (empty, or too large to process).
    #[error("unusable image: {0}")]
    Image(String),
    /// Running a model failed.
    #[error("inference failed: {0}")]
    Inference(String),
}

/// One line of text as read, with its box.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrLine {
    /// The text (case and diacritics as recognised).
    pub text: String,
    /// `(x, y, width, height)` in pixels of the upright image: the input after the
    /// [`ReadOptions::quarter_turns`] rotation (the input itself when it is 0).
    pub bbox: (f32, f32, f32, f32),
    /// Mean probability of the recognised characters, 0–1.
    pub confidence: f32,
    /// Probability of each recognised character, in order.
    pub char_confidences: Vec<f32>,
}

impl From<OcrLine> for idverify_check::TextLine {
    fn from(l: OcrLine) -> Self {
        idverify_check::TextLine {
            text: l.text,
            bbox: l.bbox,
            confidence: l.confidence,
        }
    }
}

/// The lines as the check's [`idverify_check::TextLine`]s.
pub fn to_text_lines(lines: &[OcrLine]) -> Vec<idverify_check::TextLine> {
    lines.iter().cloned().map(Into::into).collect()
}

/// How to read an image.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Quarter turns clockwise that make the image upright (0–3; taken modulo 4), as
    /// `idverify-vision`'s MRZ reading reports them.
    pub quarter_turns: u8,
    /// The detector runs on the image scaled so its long side is at most this (pixels).
    pub det_long_side: u32,
    /// At most this many lines are recognised (the largest-scoring boxes first).
    pub max_lines: usize,
    /// Lines recognised in one batch.
    pub batch: usize,
    /// Detection boxes lower than this (pixels of the upright image) are ignored.
    pub min_line_height: f32,
    /// Leave out lines shaped like MRZ lines (at least 60% as wide as all the text found,
    /// at least 18 times wider than high, in the lower half): the MRZ is read by
    /// `idverify-vision`, and these are the widest lines, the costliest to recognise.
    pub skip_mrz_lines: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            quarter_turns: 0,
            det_long_side: 960,
            max_lines: 48,
            batch: 8,
            min_line_height: 6.0,
            skip_mrz_lines: true,
        }
    }
}

/// The loaded detector and recogniser.
#[derive(Debug)]
pub struct Models {
    det: rten::Model,
    rec: rten::Model,
    /// Output class `i` is `dict[i]`: index 0 the CTC blank (empty), last the space.
    dict: Vec<String>,
}

/// The largest image side accepted, in pixels (decoded images are bounded earlier by intake).
pub const MAX_SIDE: u32 = 12_000;

impl Models {
    /// Loads the detector and recogniser from their ONNX bytes and the recogniser's
    /// dictionary (one character per line, as in `ppocrv5_dict.txt`).
    ///
    /// # Errors
    /// [`Error::ModelLoad`] for bytes that are not a model, [`Error::Dictionary`] for an empty
    /// dictionary.
    pub fn from_bytes(det: Vec<u8>, rec: Vec<u8>, dict: &str) -> Result<Self, Error> {
        let det = rten::Model::load(det).map_err(|e| Error::ModelLoad {
            which: "detection",
            message: e.to_string(),
        })?;
        let rec = rten::Model::load(rec).map_err(|e| Error::ModelLoad {
            which: "recognition",
            message: e.to_string(),
        })?;
        let mut classes = vec![String::new()];
        classes.extend(
            dict.split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
        if classes.len() < 2 {
            return Err(Error::Dictionary("the dictionary is empty".into()));
        }
        classes.push(" ".into());
        Ok(Self {
            det,
            rec,
            dict: classes,
        })
    }

    /// Finds the text lines of `image` (boxes in pixels of the upright image, reading order).
    ///
    /// # Errors
    /// [`Error::Image`] for an empty or oversized image, [`Error::Inference`] when the model
    /// fails.
    pub fn detect(&self, image: &RgbImage, opts: &ReadOptions) -> Result<Vec<DetBox>, Error> {
        let upright = upright(image, opts.quarter_turns)?;
        det::detect(&self.det, &upright, opts)
    }

    /// Finds and reads the text lines of `image`, in reading order (top to bottom, then left
    /// to right). Lines read as empty are left out.
    ///
    /// # Errors
    /// As [`Models::detect`], and [`Error::Dictionary`] when the recogniser's output does not
    /// fit the dictionary.
    pub fn read(&self, image: &RgbImage, opts: &ReadOptions) -> Result<Vec<OcrLine>, Error> {
        let upright = upright(image, opts.quarter_turns)?;
        let mut boxes = det::detect(&self.det, &upright, opts)?;
        if opts.skip_mrz_lines {
            det::drop_mrz_like(&mut boxes);
        }
        let mut lines = rec::recognise(&self.rec, &self.dict, &upright, &boxes, opts)?;
        lines.retain(|l| !l.text.trim().is_empty());
        for l in &mut lines {
            l.text = text_fix::fix_case(&l.text);
        }
        Ok(lines)
    }

    /// Reads one already cropped line image (the whole image is the line).
    ///
    /// # Errors
    /// [`Error::Image`] for an empty image, [`Error::Inference`] when the model fails.
    pub fn read_line(&self, line: &RgbImage) -> Result<OcrLine, Error> {
        check_size(line)?;
        let b = DetBox {
            x: 0.0,
            y: 0.0,
            width: line.width() as f32,
            height: line.height() as f32,
            score: 1.0,
        };
        let opts = ReadOptions::default();
        let mut out = rec::recognise(&self.rec, &self.dict, line, &[b], &opts)?;
        out.pop()
            .ok_or_else(|| Error::Inference("no output for the line".into()))
    }
}

fn check_size(image: &RgbImage) -> Result<(), Error> {
    let (w, h) = image.dimensions();
    if w < 8 || h < 8 {
        return Err(Error::Image(format!("{w}×{h} is too small")));
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(Error::Image(format!(
            "{w}×{h} exceeds the {MAX_SIDE}-pixel side limit"
        )));
    }
    Ok(())
}

/// The image turned clockwise by `quarter_turns` quarter turns.
fn upright(image: &RgbImage, quarter_turns: u8) -> Result<std::borrow::Cow<'_, RgbImage>, Error> {
    check_size(image)?;
    Ok(match quarter_turns % 4 {
        0 => std::borrow::Cow::Borrowed(image),
        1 => std::borrow::Cow::Owned(image::imageops::rotate90(image)),
        2 => std::borrow::Cow::Owned(image::imageops::rotate180(image)),
        _ => std::borrow::Cow::Owned(image::imageops::rotate270(image)),
    })
}
