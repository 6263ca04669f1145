//! The document check: reads the printed zone, cross-checks it with the MRZ, applies the
//! validity rules and the policy, and decides `approved`, `declined` or `needs-review` with every
//! reason as a concern from one catalogue.
//!
//! Pure: no IO, no clock (`today` is a parameter), no panics on any input.

pub mod document;
pub mod fold;
pub mod input;
pub mod printed_date;

pub use document::DocumentType;
pub use input::{CheckInput, ImageQuality, SideInput, TextLine};

/// The MRZ as the MRZ crate parses it, per-field validity included.
pub type MrzInput = idverify_mrz::Mrz;
