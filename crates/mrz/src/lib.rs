//! ICAO 9303 machine readable zones: parse, validate, generate and correct.
//!
//! Pure: no IO, no clock (`today` is a parameter), no panics on any input. Parsing returns data
//! with a list of problems rather than stopping at the first; only text that is no MRZ of any
//! format is an `Err`.
//!
//! Decisions worth knowing:
//! - **Format** comes from the shape: line count and lengths, `V` for visas, `IDFRA` (or a digit
//!   in the last 6 columns of line 1) for the French card; see [`Format::detect`].
//! - **No MRZ** ([`NotMrz`]): no line, a shape no format has, or a line of which a quarter or
//!   more is outside `A–Z 0–9 <` (lower case, prose). Fewer stray characters are field errors.
//! - **Valid** ([`Mrz::is_valid`]): every check digit holds and no field has an error. A
//!   well-formed code missing from the ICAO list (`countries`) is a *warning*, as is a date given
//!   as unknown (`<<` pairs); neither makes the MRZ invalid. A date that is no day (month 13) is
//!   an error and its ISO form is `""` (the raw characters stay in `raw`).
//! - **Lenient where documents are**: a `<` check digit over an all-`<` field holds; `D<<` is
//!   Germany; one- and two-letter document codes; a TD1/TD2 number longer than 9 continues in
//!   the optional data, its check digit accepted computed with or without the `<` of the
//!   check-digit position (Belgian cards use both).
//! - **Names**: split at the first `<<`; `<` becomes a space; runs of fillers collapse.
//! - **French card**: the document number is the 12 characters its check digit covers (issue
//!   `YYMM`, department, serial); the administrative code goes to `optional_data`.
//! - **Swiss licence**: number + language code as document number, PIN as personal number,
//!   version as optional data, language code as second optional data.
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
