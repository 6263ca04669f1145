//! What the check takes in: recognised text lines with their boxes, image quality measures, and
//! the MRZ read from each side.

use serde::{Deserialize, Serialize};

use crate::MrzInput;

/// One line of recognised text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    /// The text as recognised (case and diacritics kept).
    pub text: String,
    /// Bounding box `(x, y, width, height)` in pixels of the image, origin top left.
    pub bbox: (f32, f32, f32, f32),
    /// Recogniser confidence, 0–1.
    pub confidence: f32,
}

impl TextLine {
    /// A line with a box and full confidence.
    ///
    /// ```
    /// let l = idverify_check::TextLine::new("Surname", (10.0, 20.0, 80.0, 12.0));
    /// assert_eq!(l.confidence, 1.0);
    /// ```
    pub fn new(text: impl Into<String>, bbox: (f32, f32, f32, f32)) -> TextLine {
        TextLine {
            text: text.into(),
            bbox,
            confidence: 1.0,
        }
    }

    pub(crate) fn x(&self) -> f32 {
        self.bbox.0
    }
    pub(crate) fn y(&self) -> f32 {
        self.bbox.1
    }
    pub(crate) fn w(&self) -> f32 {
        self.bbox.2
    }
    pub(crate) fn h(&self) -> f32 {
        self.bbox.3
    }
    /// Whether the box carries geometry at all (some callers have text only).
    pub(crate) fn has_box(&self) -> bool {
        self.bbox.2 > 0.0 && self.bbox.3 > 0.0 && self.bbox.2.is_finite() && self.bbox.3.is_finite()
    }
}

/// Measures of how usable an image is, computed by the vision crate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImageQuality {
    /// Width in pixels after orientation.
    pub width: u32,
    /// Height in pixels after orientation.
    pub height: u32,
    /// Variance of the Laplacian of the grey image (higher is sharper).
    pub sharpness: f64,
    /// Fraction (0–1) of the MRZ area that is saturated by glare; 0 when no MRZ was located.
    pub glare_over_mrz: f64,
}

/// Everything read from one image of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SideInput {
    /// Recognised text lines of the whole image (the MRZ lines may be among them).
    pub lines: Vec<TextLine>,
    /// The MRZ read on this side, if one was found.
    pub mrz: Option<MrzInput>,
    /// Image quality, when measured.
    pub quality: Option<ImageQuality>,
}

/// The input of [`crate::assess`]: the front and, for cards, the back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckInput {
    /// The front image (the data page of a passport).
    pub front: SideInput,
    /// The back image, when one was given.
    pub back: Option<SideInput>,
}
