//! One row of a `labels.json` file, in the format of the dev set's `mrz-images/labels.json`,
//! extended with the printed values.

use crate::render::GroundTruth;
use crate::spec::Field;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A labelled image: `image` is relative to the labels file's folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRow {
    /// Where the image came from (`idverify-testkit`).
    pub source: String,
    /// Path of the image relative to the labels file.
    pub image: String,
    /// Whether the image shows an MRZ.
    pub has_mrz: bool,
    /// The MRZ lines, when it has one.
    pub mrz_lines: Option<Vec<String>>,
    /// `synthetic` for rendered specimens, `negative` for images without an MRZ.
    pub label_quality: String,
    /// Free text: format, side, seed, degradation.
    pub note: String,
    /// Always `null` here; kept for the dev-set format.
    pub passporteye_expected_valid_score: Option<f64>,
    /// The printed values as printed on this image's side (absent on other sources).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed: Option<BTreeMap<Field, String>>,
}

impl LabelRow {
    /// The row for an image showing the MRZ side (or the only side) of a specimen.
    pub fn with_mrz(image: String, truth: &GroundTruth, note: String) -> Self {
        let has_mrz = !truth.mrz_lines.is_empty();
        Self {
            source: "idverify-testkit".into(),
            image,
            has_mrz,
            mrz_lines: has_mrz.then(|| truth.mrz_lines.clone()),
            label_quality: if has_mrz { "synthetic" } else { "negative" }.into(),
            note,
            passporteye_expected_valid_score: None,
            printed: Some(printed_on(truth, has_mrz && truth.back.is_some())),
        }
    }

    /// The row for the front of a card, which has no MRZ.
    pub fn card_front(image: String, truth: &GroundTruth, note: String) -> Self {
        Self {
            source: "idverify-testkit".into(),
            image,
            has_mrz: false,
            mrz_lines: None,
            label_quality: "negative".into(),
            note,
            passporteye_expected_valid_score: None,
            printed: Some(printed_on(truth, false)),
        }
    }
}

/// The printed values whose text is drawn on the front (`back == false`) or the back.
fn printed_on(truth: &GroundTruth, back: bool) -> BTreeMap<Field, String> {
    let side = if back {
        truth.back.as_ref()
    } else {
        Some(&truth.front)
    };
    let shown: Vec<Field> = side
        .map(|s| s.texts.iter().filter_map(|t| t.field).collect())
        .unwrap_or_default();
    truth
        .printed
        .iter()
        .filter(|(f, _)| shown.contains(f))
        .map(|(f, v)| (*f, v.clone()))
        .collect()
}
