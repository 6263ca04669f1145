//! MRZ formats: their names, how a text's shape selects one, and where each field and check digit
//! stands in each (ICAO 9303 Parts 4–7 and the national layouts).

use std::fmt;

/// An MRZ layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// ID-1 card, 3 lines of 30 (ICAO 9303 Part 5).
    Td1,
    /// ID-2 card, 2 lines of 36 (Part 6).
    Td2,
    /// Passport book, 2 lines of 44 (Part 4).
    Td3,
    /// Visa A, 2 lines of 44 starting with `V` (Part 7).
    Mrva,
    /// Visa B, 2 lines of 36 starting with `V` (Part 7).
    Mrvb,
    /// French identity card issued before 2021, 2 lines of 36 starting with `IDFRA` (or with a
    /// digit in the administrative code at the end of line 1).
    FrenchNationalId,
    /// Swiss driving licence, 3 lines of 9, 30 and 30.
    SwissDrivingLicense,
    /// French driving licence, 1 line of 30.
    FrenchDrivingLicense,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 8] = [
        Format::Td1,
        Format::Td2,
        Format::Td3,
        Format::Mrva,
        Format::Mrvb,
        Format::FrenchNationalId,
        Format::SwissDrivingLicense,
        Format::FrenchDrivingLicense,
    ];

    /// The contract's name (`TD1`, …, `FRENCH_NATIONAL_ID`).
    ///
    /// ```
    /// assert_eq!(idverify_mrz::Format::Mrva.as_str(), "MRVA");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Td1 => "TD1",
            Format::Td2 => "TD2",
            Format::Td3 => "TD3",
            Format::Mrva => "MRVA",
            Format::Mrvb => "MRVB",
            Format::FrenchNationalId => "FRENCH_NATIONAL_ID",
            Format::SwissDrivingLicense => "SWISS_DRIVING_LICENSE",
            Format::FrenchDrivingLicense => "FRENCH_DRIVING_LICENSE",
        }
    }

    /// The number of characters of each line.
    pub fn line_lengths(self) -> &'static [usize] {
        match self {
            Format::Td1 => &[30, 30, 30],
            Format::Td2 | Format::Mrvb | Format::FrenchNationalId => &[36, 36],
            Format::Td3 | Format::Mrva => &[44, 44],
            Format::SwissDrivingLicense => &[9, 30, 30],
            Format::FrenchDrivingLicense => &[30],
        }
    }

    /// The format a text of this shape is, judged by line count, line lengths and the first
    /// characters (`V` for visas, `IDFRA` for the French card). `None` when no format has that shape.
    pub fn detect(lines: &[Vec<char>]) -> Option<Format> {
        let lengths: Vec<usize> = lines.iter().map(Vec::len).collect();
        let first = lines.first().map(Vec::as_slice).unwrap_or(&[]);
        let starts = |prefix: &str| {
            prefix
                .chars()
                .enumerate()
                .all(|(i, c)| first.get(i) == Some(&c))
        };
        match lengths.as_slice() {
            [30] => Some(Format::FrenchDrivingLicense),
            [30, 30, 30] => Some(Format::Td1),
            [9, 30, 30] => Some(Format::SwissDrivingLicense),
            [36, 36] if starts("V") => Some(Format::Mrvb),
            [36, 36] if starts("IDFRA") || french_admin_code(first) => {
                Some(Format::FrenchNationalId)
            }
            [36, 36] => Some(Format::Td2),
            [44, 44] if starts("V") => Some(Format::Mrva),
            [44, 44] => Some(Format::Td3),
            _ => None,
        }
    }

    /// Where each field stands.
    pub(crate) fn spans(self) -> &'static [Span] {
        match self {
            Format::Td1 => TD1,
            Format::Td2 => TD2,
            Format::Td3 => TD3,
            Format::Mrva => MRVA,
            Format::Mrvb => MRVB,
            Format::FrenchNationalId => FRENCH_ID,
            Format::SwissDrivingLicense => SWISS_DL,
            Format::FrenchDrivingLicense => FRENCH_DL,
        }
    }

    /// The check digits of the format, in the contract's order.
    pub(crate) fn checks(self) -> &'static [CheckSpec] {
        match self {
            Format::Td1 => TD1_CHECKS,
            Format::Td2 => TD2_CHECKS,
            Format::Td3 => TD3_CHECKS,
            Format::Mrva | Format::Mrvb => MRV_CHECKS,
            Format::FrenchNationalId => FRENCH_ID_CHECKS,
            Format::SwissDrivingLicense => &[],
            Format::FrenchDrivingLicense => FRENCH_DL_CHECKS,
        }
    }

    /// The span of a slot, if the format has it.
    pub(crate) fn span(self, slot: Slot) -> Option<Span> {
        self.spans().iter().copied().find(|s| s.slot == slot)
    }

    /// True when a document number longer than 9 characters may continue in the optional data
    /// (ICAO 9303 Parts 5 and 6, note j).
    pub(crate) fn has_number_overflow(self) -> bool {
        matches!(self, Format::Td1 | Format::Td2)
    }
}

/// A digit in columns 31–36 of line 1: the French card's administrative code. In TD2 those
/// columns belong to the names, which hold no digits (the rule of the `mrz` library, which lets
/// an OCR-damaged `IDFRA` still be recognised).
fn french_admin_code(first: &[char]) -> bool {
    first
        .get(30..36)
        .is_some_and(|tail| tail.iter().any(char::is_ascii_digit))
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a position of a layout holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Slot {
    DocumentCode,
    IssuingState,
    /// Surname and given names, split at the first `<<`.
    Names,
    /// Surname alone (French card, French licence).
    LastName,
    /// Given names alone (French card).
    FirstName,
    DocumentNumber,
    DocumentNumberCheck,
    /// TD1 line 1 optional data; also where a long document number overflows.
    Optional1,
    Nationality,
    BirthDate,
    BirthDateCheck,
    Sex,
    ExpiryDate,
    ExpiryDateCheck,
    PersonalNumber,
    PersonalNumberCheck,
    /// TD1 line 2 optional data.
    Optional2,
    Composite,
    /// French card: `YYMM` of issue (first part of the 12-character card number).
    IssueDate,
    /// French card: issuing department (second part of the card number).
    Department,
    /// French card: administrative code at the end of line 1.
    AdministrativeCode,
    /// Swiss licence: 3 characters of the issuing office and 3 digits.
    LicenceNumber,
    LanguageCode,
    PinCode,
    VersionNumber,
    /// Positions that must hold `<`.
    Filler,
}

/// One field's place: `line`, and the characters `start..end` of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub slot: Slot,
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

const fn s(slot: Slot, line: usize, start: usize, end: usize) -> Span {
    Span {
        slot,
        line,
        start,
        end,
    }
}

/// The checks a format may have, with the contract's key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    /// Over the document number.
    DocumentNumber,
    /// Over the date of birth.
    DateOfBirth,
    /// Over the date of expiry.
    DateOfExpiry,
    /// Over the TD3 personal number.
    PersonalNumber,
    /// Over the whole zone.
    Composite,
}

impl CheckKind {
    /// The key under `checks` in the contract's JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::DocumentNumber => "documentNumber",
            CheckKind::DateOfBirth => "dateOfBirth",
            CheckKind::DateOfExpiry => "dateOfExpiry",
            CheckKind::PersonalNumber => "personalNumber",
            CheckKind::Composite => "composite",
        }
    }
}

/// A check digit at `digit` (line, column) over the characters of `data` (line, start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CheckSpec {
    pub kind: CheckKind,
    pub digit: (usize, usize),
    pub data: &'static [(usize, usize, usize)],
}

const fn ck(
    kind: CheckKind,
    digit: (usize, usize),
    data: &'static [(usize, usize, usize)],
) -> CheckSpec {
    CheckSpec { kind, digit, data }
}

use CheckKind as K;
use Slot::*;

static TD1: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(DocumentNumber, 0, 5, 14),
    s(DocumentNumberCheck, 0, 14, 15),
    s(Optional1, 0, 15, 30),
    s(BirthDate, 1, 0, 6),
    s(BirthDateCheck, 1, 6, 7),
    s(Sex, 1, 7, 8),
    s(ExpiryDate, 1, 8, 14),
    s(ExpiryDateCheck, 1, 14, 15),
    s(Nationality, 1, 15, 18),
    s(Optional2, 1, 18, 29),
    s(Composite, 1, 29, 30),
    s(Names, 2, 0, 30),
];
static TD1_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (0, 14), &[(0, 5, 14)]),
    ck(K::DateOfBirth, (1, 6), &[(1, 0, 6)]),
    ck(K::DateOfExpiry, (1, 14), &[(1, 8, 14)]),
    ck(
        K::Composite,
        (1, 29),
        &[(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)],
    ),
];

static TD2: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(Names, 0, 5, 36),
    s(DocumentNumber, 1, 0, 9),
    s(DocumentNumberCheck, 1, 9, 10),
    s(Nationality, 1, 10, 13),
    s(BirthDate, 1, 13, 19),
    s(BirthDateCheck, 1, 19, 20),
    s(Sex, 1, 20, 21),
    s(ExpiryDate, 1, 21, 27),
    s(ExpiryDateCheck, 1, 27, 28),
    s(Optional1, 1, 28, 35),
    s(Composite, 1, 35, 36),
];
static TD2_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (1, 9), &[(1, 0, 9)]),
    ck(K::DateOfBirth, (1, 19), &[(1, 13, 19)]),
    ck(K::DateOfExpiry, (1, 27), &[(1, 21, 27)]),
    ck(
        K::Composite,
        (1, 35),
        &[(1, 0, 10), (1, 13, 20), (1, 21, 35)],
    ),
];

static TD3: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(Names, 0, 5, 44),
    s(DocumentNumber, 1, 0, 9),
    s(DocumentNumberCheck, 1, 9, 10),
    s(Nationality, 1, 10, 13),
    s(BirthDate, 1, 13, 19),
    s(BirthDateCheck, 1, 19, 20),
    s(Sex, 1, 20, 21),
    s(ExpiryDate, 1, 21, 27),
    s(ExpiryDateCheck, 1, 27, 28),
    s(PersonalNumber, 1, 28, 42),
    s(PersonalNumberCheck, 1, 42, 43),
    s(Composite, 1, 43, 44),
];
static TD3_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (1, 9), &[(1, 0, 9)]),
    ck(K::DateOfBirth, (1, 19), &[(1, 13, 19)]),
    ck(K::DateOfExpiry, (1, 27), &[(1, 21, 27)]),
    ck(K::PersonalNumber, (1, 42), &[(1, 28, 42)]),
    ck(
        K::Composite,
        (1, 43),
        &[(1, 0, 10), (1, 13, 20), (1, 21, 43)],
    ),
];

static MRVA: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(Names, 0, 5, 44),
    s(DocumentNumber, 1, 0, 9),
    s(DocumentNumberCheck, 1, 9, 10),
    s(Nationality, 1, 10, 13),
    s(BirthDate, 1, 13, 19),
    s(BirthDateCheck, 1, 19, 20),
    s(Sex, 1, 20, 21),
    s(ExpiryDate, 1, 21, 27),
    s(ExpiryDateCheck, 1, 27, 28),
    s(Optional1, 1, 28, 44),
];
static MRVB: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(Names, 0, 5, 36),
    s(DocumentNumber, 1, 0, 9),
    s(DocumentNumberCheck, 1, 9, 10),
    s(Nationality, 1, 10, 13),
    s(BirthDate, 1, 13, 19),
    s(BirthDateCheck, 1, 19, 20),
    s(Sex, 1, 20, 21),
    s(ExpiryDate, 1, 21, 27),
    s(ExpiryDateCheck, 1, 27, 28),
    s(Optional1, 1, 28, 36),
];
static MRV_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (1, 9), &[(1, 0, 9)]),
    ck(K::DateOfBirth, (1, 19), &[(1, 13, 19)]),
    ck(K::DateOfExpiry, (1, 27), &[(1, 21, 27)]),
];

static FRENCH_ID: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(LastName, 0, 5, 30),
    s(AdministrativeCode, 0, 30, 36),
    s(IssueDate, 1, 0, 4),
    s(Department, 1, 4, 7),
    s(DocumentNumber, 1, 7, 12),
    s(DocumentNumberCheck, 1, 12, 13),
    s(FirstName, 1, 13, 27),
    s(BirthDate, 1, 27, 33),
    s(BirthDateCheck, 1, 33, 34),
    s(Sex, 1, 34, 35),
    s(Composite, 1, 35, 36),
];
static FRENCH_ID_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (1, 12), &[(1, 0, 12)]),
    ck(K::DateOfBirth, (1, 33), &[(1, 27, 33)]),
    ck(K::Composite, (1, 35), &[(0, 0, 36), (1, 0, 35)]),
];

static SWISS_DL: &[Span] = &[
    s(LicenceNumber, 0, 0, 6),
    s(LanguageCode, 0, 6, 7),
    s(Filler, 0, 7, 9),
    s(DocumentCode, 1, 0, 2),
    s(IssuingState, 1, 2, 5),
    s(PinCode, 1, 5, 14),
    s(VersionNumber, 1, 14, 17),
    s(Filler, 1, 17, 19),
    s(BirthDate, 1, 19, 25),
    s(Filler, 1, 25, 30),
    s(Names, 2, 0, 30),
];

static FRENCH_DL: &[Span] = &[
    s(DocumentCode, 0, 0, 2),
    s(IssuingState, 0, 2, 5),
    s(DocumentNumber, 0, 5, 14),
    s(DocumentNumberCheck, 0, 14, 15),
    s(ExpiryDate, 0, 15, 21),
    s(LastName, 0, 21, 29),
    s(Composite, 0, 29, 30),
];
static FRENCH_DL_CHECKS: &[CheckSpec] = &[
    ck(K::DocumentNumber, (0, 14), &[(0, 0, 14)]),
    ck(K::Composite, (0, 29), &[(0, 0, 29)]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_tile_every_line() {
        for format in Format::ALL {
            for (line, &len) in format.line_lengths().iter().enumerate() {
                let mut covered = vec![0u8; len];
                for span in format.spans().iter().filter(|s| s.line == line) {
                    for c in &mut covered[span.start..span.end] {
                        *c += 1;
                    }
                }
                assert!(
                    covered.iter().all(|&c| c == 1),
                    "{format} line {line}: {covered:?}"
                );
            }
        }
    }

    #[test]
    fn check_digits_sit_on_their_spans() {
        for format in Format::ALL {
            for check in format.checks() {
                let (line, col) = check.digit;
                let span = format
                    .spans()
                    .iter()
                    .find(|s| s.line == line && s.start == col)
                    .unwrap();
                assert_eq!(span.end, col + 1, "{format} {:?}", check.kind);
            }
        }
    }
}
