//! The kind of document, in the contract's spelling, as a policy names it in its configuration:
//! the MRZ crate's type, which already serialises that way.

pub use idverify_mrz::DocumentType;
