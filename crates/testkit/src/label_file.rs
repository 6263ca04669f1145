//! One row of a `labels.json` file, in the format of the dev set's `mrz-images/labels.json`,
//! extended with the printed values.

use crate::render::{GroundTruth, Side};
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
    /// `synthetic` for an image with an MRZ, `negative` for one without.
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
    /// The row for the image of `side` of a rendered specimen.
    ///
    /// ```
    /// use idverify_testkit::{render, LabelRow, RenderOptions, Side, SpecimenSpec, DocFormat, ChaCha8Rng, rand::SeedableRng};
    /// let spec = SpecimenSpec::random_of(DocFormat::Td1, &mut ChaCha8Rng::seed_from_u64(1));
    /// let s = render(&spec, &RenderOptions { dpi: 150.0 }).unwrap();
    /// let front = LabelRow::for_side("0_td1.jpg".into(), &s.truth, Side::Front, String::new());
    /// let back = LabelRow::for_side("0_td1_back.jpg".into(), &s.truth, Side::Back, String::new());
    /// assert!(!front.has_mrz && back.has_mrz);
    /// ```
    pub fn for_side(image: String, truth: &GroundTruth, side: Side, note: String) -> Self {
        let has_mrz = truth.side(side).is_some_and(|t| !t.mrz.is_empty());
        Self {
            source: "idverify-testkit".into(),
            image,
            has_mrz,
            mrz_lines: has_mrz.then(|| truth.mrz_lines.clone()),
            label_quality: if has_mrz { "synthetic" } else { "negative" }.into(),
            note,
            passporteye_expected_valid_score: None,
            printed: Some(truth.printed_on(side)),
        }
    }
}
