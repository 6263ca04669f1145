//! The document check: reads the printed zone, cross-checks it with the MRZ, applies the
//! validity rules and the policy, and decides `approved`, `declined` or `needs-review` with every
//! reason as a concern from one catalogue.
//!
//! Pure: no IO, no clock (`today` is a parameter), no panics on any input.

pub mod assess;
pub mod concerns;
pub mod crosscheck;
pub mod document;
pub mod extract;
pub mod fold;
pub mod input;
pub mod names;
pub mod policy;
pub mod printed_date;

pub use assess::{Assessment, assess};
pub use crosscheck::crosscheck;
pub use document::DocumentType;
pub use extract::{PrintedFields, extract_printed};
pub use input::{CheckInput, ImageQuality, SideInput, TextLine};
pub use policy::{ImagePolicy, Policy, PolicyError};

/// The MRZ as the MRZ crate parses it, per-field validity included.
pub type MrzInput = idverify_mrz::Mrz;
