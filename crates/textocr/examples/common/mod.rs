//! The examples' model loading: `models/` at the repository root, as `scripts/setup-ocr-models`
//! installs it; `OCR_RECOGNISER` = `v4+v5` (default), `v5` or `v4` picks the recogniser(s).

use std::path::PathBuf;

use anyhow::{Context, Result};
use idverify_textocr::Models;

pub fn load_models() -> Result<Models> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let read = |path: &str| {
        std::fs::read(root.join(path)).with_context(|| {
            format!("models/{path}: the OCR models are missing: run scripts/setup-ocr-models")
        })
    };
    let text = |path: &str| -> Result<String> { Ok(String::from_utf8(read(path)?)?) };
    let which = std::env::var("OCR_RECOGNISER").unwrap_or_else(|_| "v4+v5".into());
    let det = read("ppocrv5/det.onnx")?;
    Ok(match which.as_str() {
        "v5" => Models::from_bytes(
            det,
            read("ppocrv5/rec.onnx")?,
            &text("ppocrv5/ppocrv5_dict.txt")?,
        )?,
        "v4" => Models::from_bytes(det, read("ppocrv4/rec.onnx")?, &text("ppocrv4/dict.txt")?)?,
        _ => Models::from_bytes(det, read("ppocrv4/rec.onnx")?, &text("ppocrv4/dict.txt")?)?
            .with_diacritics_reader(
                read("ppocrv5/rec.onnx")?,
                &text("ppocrv5/ppocrv5_dict.txt")?,
            )?,
    })
}
