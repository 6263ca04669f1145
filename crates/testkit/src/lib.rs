//! Synthetic specimen documents for the tests: ICAO 9303 TD1/TD2/TD3 and MRV-A/B rendered with a
//! printed zone, a portrait placeholder and the MRZ in OCR-B at the ICAO pitch, together with
//! their ground truth, plus photo-like degradations.
//!
//! Everything is deterministic: the same [`SpecimenSpec`] renders the same pixels, and the same
//! seed draws the same spec and degradation.
//!
//! ```
//! use idverify_testkit::{render, degrade, Degradation, DegradeLevel, RenderOptions, SpecimenSpec, DocFormat, ChaCha8Rng, rand::SeedableRng};
//! let mut rng = ChaCha8Rng::seed_from_u64(42);
//! let spec = SpecimenSpec::random_of(DocFormat::Td1, &mut rng);
//! let specimen = render(&spec, &RenderOptions::default()).unwrap();
//! assert_eq!(specimen.truth.mrz_lines.len(), 3);
//! let photo = degrade(specimen.mrz_side(), &Degradation::random(DegradeLevel::Mild, &mut rng), &mut rng).unwrap();
//! assert!(photo.width() > 100);
//! ```

mod date;
mod degrade;
mod fonts;
mod formats;
mod label_file;
mod mrz_lines;
mod png;
mod render;
mod set;
mod spec;
mod wording;

pub use date::{Date, DateStyle};
pub use degrade::{
    Degradation, DegradeLevel, Degraded, Glare, MAX_OUTPUT_SIDE, PointMap, Surface, degrade,
    degrade_mapped, encode_jpeg, jpeg_round_trip,
};
pub use fonts::ocrb_bytes;
pub use formats::{
    heic_claiming, heic_from_png, pdf_blank_pages, pdf_flate_bomb, pdf_of_jpegs,
    pdf_with_javascript, tiff_claiming, tiff_pages,
};
pub use label_file::LabelRow;
pub use mrz_lines::{mrz_data, mrz_lines, transliterate};
pub use png::png_claiming;
pub use render::{
    BBox, GroundTruth, MRZ_PITCH_MM, MrzLineTruth, RenderOptions, Side, SideTruth, Specimen,
    TextBox, TextKind, render, render_without_mrz,
};
pub use set::{Photo, SetDocument, SpecimenSet};
pub use spec::{
    COUNTRIES, DocFormat, Field, LabelLanguage, Layout, PrintedFont, Sex, SpecimenSpec,
};
pub use wording::{label_text, title_text};

/// The `rand` crate this one is built against (`rand::SeedableRng`, `rand::Rng`).
pub use rand;
/// The random-number generator the fixtures use, re-exported so callers need not pin `rand`.
pub use rand_chacha::ChaCha8Rng;

/// What can go wrong while generating fixtures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An embedded font failed to parse.
    #[error("embedded font {0} could not be parsed")]
    Font(&'static str),
    /// Text contains a character the font has no glyph for.
    #[error("no glyph for {0:?} in the chosen font")]
    MissingGlyph(char),
    /// Resolution outside 100–600 dpi.
    #[error("resolution {0} dpi is outside 100–600")]
    Dpi(f32),
    /// A degradation parameter out of range.
    #[error("degradation out of range: {0}")]
    Degradation(String),
    /// Encoding or decoding an image failed.
    #[error("image codec: {0}")]
    Image(String),
    /// The MRZ library refused the specimen's data.
    #[error("MRZ generation: {0}")]
    Mrz(String),
    /// An unknown format, level or similar name.
    #[error("unknown {what} {name:?}")]
    UnknownName {
        /// What kind of name.
        what: &'static str,
        /// The name given.
        name: String,
    },
}
