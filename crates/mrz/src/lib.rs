//! ICAO 9303 machine readable zones: parse, validate, generate and correct.
//!
//! Pure: no IO, no clock (`today` is a parameter), no panics on any input. Parsing returns data
//! with a list of problems rather than stopping at the first; only text that is no MRZ of any
//! format is an `Err`.
//!
//! ```
//! use idverify_mrz::{parse, Date};
//! let today = Date::new(2026, 11, 27).unwrap();
//! let mrz = parse(
//!     &["I<UTOD231458907<<<<<<<<<<<<<<<",
//!       "7408122F1204159UTO<<<<<<<<<<<6",
//!       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
//!     today,
//! ).unwrap();
//! assert_eq!(mrz.document_number, "D23145890");
//! assert!(mrz.is_valid());
//! assert!(parse(&["hello"], today).is_err());
//! ```

mod check_digit;
mod contract;
mod correct;
#[cfg(test)]
mod correct_eval;
pub mod countries;
mod date;
mod format;
mod generate;
mod parse;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod testgen;
mod transliterate;

pub use check_digit::{Verdict, char_value, check_digit, check_digit_chars};
pub use contract::{Checks, ContractMrz, ContractProblem, RawDates};
pub use correct::{
    AMBIGUITY_RATIO, Change, CharReading, Correction, Outcome, PLAIN_CONFUSION_PROBABILITY,
    correct, correct_text,
};
pub use date::{Century, Date, MrzDate};
pub use format::{CheckKind, Format};
pub use generate::{GenerateError, MrzData, generate};
pub use parse::{
    Check, DocumentType, Field, Mrz, NationalField, NotMrz, Problem, Severity, Sex, is_mrz_char,
    parse,
};
pub use transliterate::{name_field, transliterate};
