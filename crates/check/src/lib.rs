//! The document check: reads the printed zone, cross-checks it with the MRZ, applies the
//! validity rules and the policy, and decides `approved`, `declined` or `needs-review` with every
//! reason as a concern from one catalogue.
//!
//! Pure: no IO, no clock (`today` is a parameter), no panics on any input.
//!
//! The flow, one module each:
//!
//! - [`extract`]: recognised text lines (with boxes) → [`PrintedFields`], guided by the labels
//!   documents print (English, French, German, Spanish, Italian, Dutch, Portuguese, Polish,
//!   Swedish; bilingual `Surname / Nom`, numbered `1. Surname`, OCR-garbled `Sumame`), the value
//!   taken on the same line, in the box to the right, or in the box below the label;
//!   [`printed_date`] reads the dates (`12.12.1982`, `12 DEC/DÉC 82`, `1982-12-12`, month names
//!   in those languages, `O` for `0`).
//! - [`crosscheck`]: each field both zones carry, in the MRZ's terms ([`names`] transliterates
//!   and knows the MRZ's truncation), with the MRZ field's check digit.
//! - [`assess()`]: the rules (image quality, MRZ found and valid, conflicts, front and back of one
//!   document, expiry, age, type, issuing state) → concerns from the [`concerns`] catalogue,
//!   statuses from the [`Policy`], the worst-of roll-up and the attributes.
//!
//! ```
//! use idverify_check::{assess, CheckInput, Policy, SideInput, TextLine};
//! let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
//! let back = SideInput {
//!     mrz: Some(idverify_mrz::parse(&["I<NLDSPECI20212999999990<<<<<<",
//!                                     "6503101F3108022NLD<<<<<<<<<<<2",
//!                                     "DE<BRUIJN<<WILLEKE<LISELOTTE<<"], today).unwrap()),
//!     ..SideInput::default()
//! };
//! let front = SideInput {
//!     lines: vec![
//!         TextLine::new("Naam / Surname", (300.0, 60.0, 200.0, 10.0)),
//!         TextLine::new("De Bruyn", (301.0, 73.0, 200.0, 18.0)),
//!     ],
//!     ..SideInput::default()
//! };
//! let a = assess(&CheckInput { front, back: Some(back) }, &Policy::default(), today);
//! assert_eq!(a.results.status.as_str(), "declined");
//! assert_eq!(a.results.concerns[0].message, "Found 1 issue(s).");
//! assert_eq!(a.results.concerns[1].message,
//!            "Fields from ocr and mrz have conflict: DE BRUIJN, De Bruyn");
//! assert_eq!(a.attributes.original_last_name, "De Bruyn");
//! ```

pub mod assess;
pub mod concerns;
pub mod crosscheck;
pub mod document;
pub mod extract;
pub mod face;
pub mod fold;
pub mod input;
pub mod names;
pub mod policy;
pub mod printed_date;

pub use assess::{Assessment, assess};
pub use crosscheck::crosscheck;
pub use document::DocumentType;
pub use extract::{PrintedFields, extract_printed};
pub use face::{FaceInput, FaceSide, assess_face};
pub use input::{CheckInput, ImageQuality, SideInput, TextLine};
pub use policy::{FacePolicy, ImagePolicy, Policy, PolicyError};

/// The MRZ as the MRZ crate parses it, per-field validity included.
pub type MrzInput = idverify_mrz::Mrz;
