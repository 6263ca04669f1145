//! Reading the machine readable zone of identity documents from photos: bounded image intake,
//! MRZ location, per-character recognition with alternatives, and check-digit-guided
//! correction through `idverify-mrz`.
//!
//! Pure: no file, network or clock access. Images arrive as bytes or decoded rasters, the
//! recogniser's weights as a [`Models`] value built by the caller.

pub mod gray;
pub mod intake;
pub mod locate;
pub mod recognise;

pub use gray::Gray;
pub use intake::{Decoded, Format, IntakeError, IntakeLimits, decode_image, decode_pages};
pub mod pipeline;
pub mod quality;

pub use pipeline::{Models, MrzReading, MrzRegion, MrzText, read_mrz, read_mrz_gray};
pub use quality::{Quality, measure as measure_quality};
pub use recognise::ModelError;
