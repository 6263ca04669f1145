//! The kind of document, in the contract's spelling, as a policy names it in its configuration.

use serde::{Deserialize, Serialize};

/// The kind of document (`attributes.documentType` of CONTRACT §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentType {
    /// A passport (MRZ code `P…`).
    Passport,
    /// An identity card (`I…`, `A…`, `C…`).
    IdCard,
    /// A residence permit (`IR`, `AR`, `RP`… by issuer convention).
    ResidencePermit,
    /// A driving licence with an MRZ (`D…`).
    DrivingLicence,
    /// A visa (`V…`).
    Visa,
    /// Anything else, or no MRZ read.
    Unknown,
}

impl DocumentType {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Passport => "passport",
            DocumentType::IdCard => "id-card",
            DocumentType::ResidencePermit => "residence-permit",
            DocumentType::DrivingLicence => "driving-licence",
            DocumentType::Visa => "visa",
            DocumentType::Unknown => "unknown",
        }
    }
}

impl From<idverify_mrz::DocumentType> for DocumentType {
    fn from(t: idverify_mrz::DocumentType) -> DocumentType {
        use idverify_mrz::DocumentType as M;
        match t {
            M::Passport => DocumentType::Passport,
            M::IdCard => DocumentType::IdCard,
            M::ResidencePermit => DocumentType::ResidencePermit,
            M::DrivingLicence => DocumentType::DrivingLicence,
            M::Visa => DocumentType::Visa,
            M::Unknown => DocumentType::Unknown,
        }
    }
}
