//! Printed-zone OCR: finds the lines of text on a document image and reads them, keeping case
//! and diacritics, for the check's printed-zone extraction ([`idverify_check::extract_printed`]).
//!
//! The models are PaddleOCR's PP-OCRv5 text detector (DB) and PP-OCRv6 small CTC recogniser,
//! whose dictionary has the Latin diacritics of European names, run in pure Rust with `rten`.
//! The library never touches the file system: the caller
//! passes the model bytes; `scripts/setup-ocr-models` installs them under `models/` at the
//! repository root ([`MODEL_FILES`] names them). Origin, versions and licence:
//! `docs/ocr-models.md`.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = std::path::Path::new("models");
//! let read = |p: &str| std::fs::read(dir.join(p));
//! let text = |p: &str| std::fs::read_to_string(dir.join(p));
//! let models = idverify_textocr::Models::from_bytes(
//!     read("ppocrv5/det.onnx")?,
//!     read("ppocrv6/rec.onnx")?,
//!     &text("ppocrv6/dict.txt")?,
//! )?;
//! let image = image::RgbImage::new(640, 400);
//! let lines = models.read(&image, &idverify_textocr::ReadOptions::default())?;
//! let printed = idverify_check::extract_printed(&idverify_textocr::to_text_lines(&lines));
//! # let _ = printed;
//! # Ok(())
//! # }
//! ```

mod det;
mod marks;
mod rec;
mod regions;
mod text_fix;

use image::RgbImage;

pub use det::DetBox;

/// The files `scripts/setup-ocr-models` installs under `models/`: detector, recogniser and
/// its dictionary.
pub const MODEL_FILES: [&str; 3] = ["ppocrv5/det.onnx", "ppocrv6/rec.onnx", "ppocrv6/dict.txt"];

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
    /// A model file could not be read.
    #[error("cannot read OCR model {path}: {message}; run scripts/setup-ocr-models")]
    Missing {
        /// The file, relative to the models folder.
        path: &'static str,
        /// The reader's message.
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
    /// The detector runs on the image scaled so its long side is this (pixels; smaller images
    /// are scaled up). 1280 by default: at 960 the detector missed a letter standing alone
    /// (the `F` of the sex, 9 of 500 rendered documents at 150 dpi), at 1280 it missed 2; it
    /// costs ~45% more time a side (docs/ocr-models.md).
    pub det_long_side: u32,
    /// At most this many lines are recognised (the largest-scoring boxes first).
    pub max_lines: usize,
    /// Lines recognised in one batch (padded to the widest). Measured on a 26-line specimen:
    /// 1 line a batch ~1.1 s, 4 ~1.1 s, 8 ~1.4–1.9 s (padding costs more than batching saves
    /// with rten on two cores), and padding changes readings slightly; so 1 by default.
    pub batch: usize,
    /// Detection boxes lower than this (pixels of the upright image) are ignored.
    pub min_line_height: f32,
    /// Leave out lines shaped like MRZ lines (at least 60% as wide as all the text found,
    /// at least 18 times wider than high, in the lower half): the MRZ is read by
    /// `idverify-vision`, and these are the widest lines, the costliest to recognise.
    pub skip_mrz_lines: bool,
    /// Lines read with a lower mean character probability are left out (specks of the
    /// portrait or the guilloche read as `.` or `2` score well under 0.3; text over 0.8).
    pub min_confidence: f32,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            quarter_turns: 0,
            det_long_side: 1280,
            max_lines: 48,
            batch: 1,
            min_line_height: 6.0,
            skip_mrz_lines: true,
            min_confidence: 0.4,
        }
    }
}

/// A recogniser and its classes.
#[derive(Debug)]
struct Recogniser {
    model: rten::Model,
    /// Output class `i` is `dict[i]`: index 0 the CTC blank (empty), last the space.
    dict: Vec<String>,
    /// The letters the mark restoration puts back (`marks::RESTORED`) and their classes.
    restored: Vec<(&'static str, usize)>,
}

impl Recogniser {
    fn new(bytes: Vec<u8>, dict: &str) -> Result<Self, Error> {
        let model = rten::Model::load(bytes).map_err(|e| Error::ModelLoad {
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
        let restored = classes
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                marks::RESTORED
                    .iter()
                    .find(|r| **r == s.as_str())
                    .map(|r| (*r, i))
            })
            .collect();
        Ok(Self {
            model,
            dict: classes,
            restored,
        })
    }
}

/// The loaded detector and recogniser(s).
#[derive(Debug)]
pub struct Models {
    det: rten::Model,
    rec: Recogniser,
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
        Ok(Self {
            det,
            rec: Recogniser::new(rec, dict)?,
        })
    }

    /// The standard set: [`MODEL_FILES`] fetched through `read` (given a path relative to the
    /// models folder, `models/` at the repository root once `scripts/setup-ocr-models` ran),
    /// the PP-OCRv5 detector and the PP-OCRv6 recogniser. The library does no IO of
    /// its own: `read` is the caller's, e.g. `|p| std::fs::read(dir.join(p))`.
    ///
    /// # Errors
    /// [`Error::Missing`] naming the file and the script when `read` fails, else as
    /// [`Models::from_bytes`].
    pub fn load_with(
        mut read: impl FnMut(&str) -> std::io::Result<Vec<u8>>,
    ) -> Result<Self, Error> {
        let mut get = |path: &'static str| {
            read(path).map_err(|e| Error::Missing {
                path,
                message: e.to_string(),
            })
        };
        let text = |bytes: Vec<u8>, path: &'static str| {
            String::from_utf8(bytes).map_err(|_| Error::Dictionary(format!("{path} is not UTF-8")))
        };
        let [det, rec, dict] = MODEL_FILES;
        let det_bytes = get(det)?;
        let rec_bytes = get(rec)?;
        let dict_text = text(get(dict)?, dict)?;
        Self::from_bytes(det_bytes, rec_bytes, &dict_text)
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
        let mut lines = rec::recognise(&self.rec, &upright, &boxes, opts)?;
        for l in &mut lines {
            l.text = text_fix::latin_only(&l.text);
        }
        lines.retain(|l| !l.text.trim().is_empty() && l.confidence >= opts.min_confidence);
        merge_row_fragments(&mut lines);
        // After joining: a word the detector cut in two (`Ano` + `Uk`) is one word again.
        for l in &mut lines {
            l.text = text_fix::mend(&l.text);
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
        let mut out = rec::recognise(&self.rec, line, &[b], &opts)?;
        out.pop()
            .ok_or_else(|| Error::Inference("no output for the line".into()))
    }
}

/// Whether `right` continues `left` on the same row: boxes of about the same height, mostly
/// overlapping vertically, with at most half a line height between them (a word space; the
/// columns of a card stand several heights apart) or overlapping by up to a height (the boxes
/// are padded), the right one starting in the left one's right half.
fn continues(left: &OcrLine, right: &OcrLine) -> bool {
    let (lx, ly, lw, lh) = left.bbox;
    let (rx, ry, _, rh) = right.bbox;
    let (low, high) = (lh.min(rh), lh.max(rh));
    if low <= 0.0 || high > 1.6 * low {
        return false;
    }
    let overlap = (ly + lh).min(ry + rh) - ly.max(ry);
    let gap = rx - (lx + lw);
    overlap >= 0.6 * low && gap >= -low && gap <= 0.5 * low && rx > lx + 0.5 * lw
}

/// Joins the pieces the detector split one printed line into (`04FEB` + `2007`, `Date` + `of` +
/// `expiry`) into one line, left to right, with a space between.
fn merge_row_fragments(lines: &mut Vec<OcrLine>) {
    loop {
        let pair = (0..lines.len()).find_map(|i| {
            let left = lines.get(i)?;
            let j = (0..lines.len())
                .filter(|&j| j != i && lines.get(j).is_some_and(|r| continues(left, r)))
                .min_by(|&a, &b| {
                    let x = |k: usize| lines.get(k).map_or(0.0, |l| l.bbox.0);
                    x(a).total_cmp(&x(b))
                })?;
            Some((i, j))
        });
        let Some((i, j)) = pair else { break };
        let right = lines.remove(j);
        let i = if j < i { i - 1 } else { i };
        let Some(left) = lines.get_mut(i) else { break };
        let (lx, ly, lw, lh) = left.bbox;
        let (rx, ry, rw, rh) = right.bbox;
        let (x0, y0) = (lx.min(rx), ly.min(ry));
        let (x1, y1) = ((lx + lw).max(rx + rw), (ly + lh).max(ry + rh));
        left.bbox = (x0, y0, x1 - x0, y1 - y0);
        left.text = format!("{} {}", left.text, right.text);
        let space = left.confidence.min(right.confidence);
        left.char_confidences.push(space);
        left.char_confidences.extend(right.char_confidences);
        let n = left.char_confidences.len().max(1) as f32;
        left.confidence = left.char_confidences.iter().sum::<f32>() / n;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x: f32, y: f32, w: f32, h: f32) -> OcrLine {
        OcrLine {
            text: text.into(),
            bbox: (x, y, w, h),
            confidence: 0.9,
            char_confidences: vec![0.9; text.chars().count()],
        }
    }

    #[test]
    fn pieces_of_one_printed_line_are_joined_columns_are_not() {
        let mut lines = vec![
            line("Date", 173.0, 203.0, 26.0, 12.0),
            line("Document No.", 327.0, 203.0, 65.0, 12.0),
            line("expiry", 206.0, 204.0, 32.0, 14.0),
            line("of", 195.0, 204.0, 15.0, 10.0),
            line("04FEB", 172.0, 184.0, 60.0, 17.0),
            line("2007", 230.0, 184.0, 41.0, 16.0),
            line("03NOV", 173.0, 218.0, 67.0, 17.0),
            line("2029", 231.0, 217.0, 43.0, 16.0),
        ];
        merge_row_fragments(&mut lines);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Date of expiry", "Document No.", "04FEB 2007", "03NOV 2029"]
        );
        let joined = &lines[0];
        assert_eq!(joined.char_confidences.len(), joined.text.chars().count());
        assert_eq!(joined.bbox.0, 173.0);
        assert!((joined.bbox.0 + joined.bbox.2 - 238.0).abs() < 1e-3);
    }
}
