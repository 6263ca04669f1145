//! The port to the document check: the worker hands it the verification's images and today's
//! date and gets back the parts of the Result that come from reading the document. The real
//! implementation (MRZ, printed zone, rules) lives in other crates and is passed in by the CLI.

use idverify_wire::{Attributes, Check, DataCheckRow, MrzSummary, Results};

use crate::clock::CivilDate;

/// One file as uploaded (validated at intake: an image, or a TIFF or PDF of up to four pages,
/// within the limits).
#[derive(Debug, Clone)]
pub struct InputImage {
    /// The file's bytes, decrypted from the blob store.
    pub bytes: Vec<u8>,
    /// The media type the intake recognised (`image/jpeg`, `image/heic`, `application/pdf`, …).
    pub media_type: String,
}

/// What the check reads.
#[derive(Debug, Clone)]
pub struct CheckInput {
    /// The document's front (always present: submit requires it).
    pub front: InputImage,
    /// The back, if uploaded.
    pub back: Option<InputImage>,
    /// The selfie, if uploaded.
    pub selfie: Option<InputImage>,
    /// Today (UTC), for expiry and age rules.
    pub today: CivilDate,
    /// The application the verification belongs to: the check applies that application's
    /// policy (configuration `[policy]` and `[policy.apps."<app id>"]`).
    pub app_id: String,
}

/// What the check decides: the document-derived parts of the Result (CONTRACT §3.2).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutput {
    /// Decision and concerns.
    pub results: Results,
    /// Per-service verdicts.
    pub checks: Vec<Check>,
    /// What was read. `referenceId` is filled in by the service from `externalId`.
    pub attributes: Attributes,
    /// The MRZ, when one was read.
    pub mrz: Option<MrzSummary>,
    /// Field-by-field MRZ versus printed zone.
    pub document_data_checking: Vec<DataCheckRow>,
}

/// The check could not run at all (not "the document is bad" — that is a declined Result).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("document check failed: {0}")]
pub struct CheckError(pub String);

/// The document check the worker runs (CPU-heavy; called on a blocking thread).
pub trait DocumentCheck: Send + Sync + 'static {
    /// Reads and checks the document.
    fn check(&self, input: &CheckInput) -> Result<CheckOutput, CheckError>;
}
