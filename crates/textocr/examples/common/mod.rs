//! The examples' model loading: `models/` at the repository root, as `scripts/setup-ocr-models`
//! installs it, or `OCR_MODELS_DIR`, another folder of the same layout.

use std::path::PathBuf;

use anyhow::Result;
use idverify_textocr::Models;

pub fn load_models() -> Result<Models> {
    let root = std::env::var_os("OCR_MODELS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models"),
        PathBuf::from,
    );
    Ok(Models::load_with(|p| std::fs::read(root.join(p)))?)
}
