//! Parsing: MRZ text → every field of its format, each check digit's verdict, and the list of
//! problems found. Only text that is no MRZ of any shape is an `Err`; everything else is data.

use std::fmt;

use crate::check_digit::{Verdict, judge};
use crate::countries;
use crate::date::{Century, Date, DateProblem, MrzDate, parse_yymmdd};
use crate::format::{CheckKind, CheckSpec, Format, Slot, Span};

/// The text is no MRZ of any format. The message is one line, fit for a CLI's stderr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotMrz {
    /// No line at all (or only blank ones).
    #[error("no MRZ: the text is empty")]
    Empty,
    /// Line count and lengths fit no format.
    #[error(
        "no MRZ: {} line(s) of length {}; expected 3×30 (TD1), 2×36 (TD2, MRV-B, French ID), 2×44 (TD3, MRV-A), 9+30+30 (Swiss licence) or 1×30 (French licence)",
        .lengths.len(),
        lengths_text(.lengths)
    )]
    Shape {
        /// The length of each line, in characters.
        lengths: Vec<usize>,
    },
    /// A line of the right length of which a quarter or more is outside `A–Z 0–9 <`.
    #[error("no MRZ: line {line} has {foreign} of its {length} characters outside A-Z 0-9 <")]
    NotMrzText {
        /// 1-based line number.
        line: usize,
        /// Characters outside the MRZ alphabet.
        foreign: usize,
        /// Length of the line.
        length: usize,
    },
}

fn lengths_text(lengths: &[usize]) -> String {
    lengths
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What kind of document the MRZ belongs to (the contract's `documentType`; serialised in the
/// contract's spelling, as a policy names it in its configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentType {
    /// Document code `P…`.
    Passport,
    /// Document code `I…`, `A…`, `C…` (other than residence permits), the French card.
    IdCard,
    /// Document code `IR`, `AR`, `CR`.
    ResidencePermit,
    /// The driving-licence formats.
    DrivingLicence,
    /// Document code `V…`, the visa formats.
    Visa,
    /// Anything else.
    Unknown,
}

impl DocumentType {
    /// The contract's name: `passport`, `id-card`, `residence-permit`, `driving-licence`, `visa`,
    /// `unknown`.
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

    fn of(format: Format, code: &str) -> DocumentType {
        match format {
            Format::SwissDrivingLicense | Format::FrenchDrivingLicense => {
                return DocumentType::DrivingLicence;
            }
            Format::Mrva | Format::Mrvb => return DocumentType::Visa,
            Format::FrenchNationalId => return DocumentType::IdCard,
            Format::Td1 | Format::Td2 | Format::Td3 => {}
        }
        let mut chars = code.chars();
        match (chars.next(), chars.next()) {
            (Some('P'), _) => DocumentType::Passport,
            (Some('V'), _) => DocumentType::Visa,
            (Some('I' | 'A' | 'C'), Some('R')) => DocumentType::ResidencePermit,
            (Some('I' | 'A' | 'C'), _) => DocumentType::IdCard,
            _ => DocumentType::Unknown,
        }
    }
}

/// The holder's sex as the MRZ states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `X` or `<`.
    Unspecified,
}

impl Sex {
    /// The contract's name: `male`, `female`, `unspecified`.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
            Sex::Unspecified => "unspecified",
        }
    }

    /// The MRZ character.
    pub fn as_char(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
            Sex::Unspecified => '<',
        }
    }
}

/// A field name, as it appears in `problems[].field` (the contract's key where there is one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `documentCode`.
    DocumentCode,
    /// `issueCountry`.
    IssueCountry,
    /// `lastName`.
    LastName,
    /// `firstName`.
    FirstName,
    /// `documentNumber`.
    DocumentNumber,
    /// `nationality`.
    Nationality,
    /// `dateOfBirth`.
    DateOfBirth,
    /// `gender`.
    Gender,
    /// `dateOfExpiry`.
    DateOfExpiry,
    /// `personalNumber`.
    PersonalNumber,
    /// `optionalData`.
    OptionalData,
    /// `optionalData2`.
    OptionalData2,
    /// The check digit of a check, e.g. `documentNumberCheckDigit`.
    CheckDigit(CheckKind),
    /// French card: `issueDate`.
    IssueDate,
    /// French card: `department`.
    Department,
    /// Swiss licence: `languageCode`.
    LanguageCode,
    /// Swiss licence: `versionNumber`.
    VersionNumber,
    /// Positions that must hold `<`: `filler`.
    Filler,
}

impl Field {
    /// The name used in `problems[].field`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::DocumentCode => "documentCode",
            Field::IssueCountry => "issueCountry",
            Field::LastName => "lastName",
            Field::FirstName => "firstName",
            Field::DocumentNumber => "documentNumber",
            Field::Nationality => "nationality",
            Field::DateOfBirth => "dateOfBirth",
            Field::Gender => "gender",
            Field::DateOfExpiry => "dateOfExpiry",
            Field::PersonalNumber => "personalNumber",
            Field::OptionalData => "optionalData",
            Field::OptionalData2 => "optionalData2",
            Field::CheckDigit(CheckKind::DocumentNumber) => "documentNumberCheckDigit",
            Field::CheckDigit(CheckKind::DateOfBirth) => "dateOfBirthCheckDigit",
            Field::CheckDigit(CheckKind::DateOfExpiry) => "dateOfExpiryCheckDigit",
            Field::CheckDigit(CheckKind::PersonalNumber) => "personalNumberCheckDigit",
            Field::CheckDigit(CheckKind::Composite) => "compositeCheckDigit",
            Field::IssueDate => "issueDate",
            Field::Department => "department",
            Field::LanguageCode => "languageCode",
            Field::VersionNumber => "versionNumber",
            Field::Filler => "filler",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a problem weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The field is not well formed or a check digit fails: the MRZ is not valid.
    Error,
    /// Worth knowing, but the MRZ stays valid (an unlisted country code, a date given as unknown).
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing found wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The field.
    pub field: Field,
    /// Whether it makes the MRZ invalid.
    pub severity: Severity,
    /// Why, in a sentence.
    pub reason: String,
}

/// One check digit and its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Which check.
    pub kind: CheckKind,
    /// The character in the check-digit position.
    pub found: char,
    /// The verdict.
    pub verdict: Verdict,
}

impl Check {
    /// True when the check digit holds.
    pub fn holds(&self) -> bool {
        self.verdict.holds()
    }
}

/// A national field with no place in the common ones (French card, Swiss licence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalField {
    /// Name, e.g. `issueDate`, `department`, `languageCode`.
    pub name: &'static str,
    /// Value as read, fillers trimmed.
    pub value: String,
}

/// A parsed MRZ: every field of its format, the checks, the problems.
///
/// ```
/// use idverify_mrz::{parse, Date, Format};
/// let mrz = parse(
///     &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
///     Date::new(2026, 1, 1).unwrap(),
/// ).unwrap();
/// assert_eq!(mrz.format, Format::Td3);
/// assert_eq!(mrz.first_name, "ANNA MARIA");
/// assert_eq!(mrz.birth_date.iso(), "1974-08-12");
/// assert!(mrz.is_valid());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mrz {
    /// The layout.
    pub format: Format,
    /// The lines as given.
    pub lines: Vec<String>,
    /// Document code, fillers trimmed (`P`, `ID`, `VB`, `D1`).
    pub document_code: String,
    /// Kind of document.
    pub document_type: DocumentType,
    /// Issuing state or organisation, fillers trimmed (`UTO`, `D`).
    pub issuing_state: String,
    /// Document number, with a TD1/TD2 overflow joined, fillers trimmed.
    pub document_number: String,
    /// Surname (primary identifier), `<` as space.
    pub last_name: String,
    /// Given names (secondary identifier), `<` as space.
    pub first_name: String,
    /// Nationality, fillers trimmed; `""` where the format has none.
    pub nationality: String,
    /// Date of birth.
    pub birth_date: MrzDate,
    /// Sex; `None` where the format has none or the character is not `M`, `F`, `X`, `<`.
    pub sex: Option<Sex>,
    /// Date of expiry (French licence: the date of its line, which the `mrz` library calls expiry).
    pub expiry_date: MrzDate,
    /// TD3 personal number; Swiss licence PIN.
    pub personal_number: String,
    /// TD1 line 1 / TD2 / visa optional data (after an overflowing number); French card
    /// administrative code; Swiss licence version number.
    pub optional_data: String,
    /// TD1 line 2 optional data; Swiss licence language code.
    pub optional_data2: String,
    /// National fields that have no common place.
    pub national: Vec<NationalField>,
    /// Every check digit of the format, in the contract's order.
    pub checks: Vec<Check>,
    /// Everything found wrong, errors and warnings.
    pub problems: Vec<Problem>,
}

impl Mrz {
    /// True when every check digit holds and no field has an error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.checks.iter().all(Check::holds)
            && !self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// The check of that kind, if the format has it.
    pub fn check(&self, kind: CheckKind) -> Option<&Check> {
        self.checks.iter().find(|c| c.kind == kind)
    }
}

/// True for `A–Z`, `0–9`, `<`.
pub fn is_mrz_char(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit() || c == '<'
}

/// Parses MRZ lines. `today` fixes the century of the date of birth.
///
/// `Err` only when the text is no MRZ of any format: no line, a line count and lengths that fit
/// no format, or a line of which a quarter or more of the characters are outside `A–Z 0–9 <`
/// (lower case, prose). Anything else — a stray character, a wrong check digit, month 13 — gives an
/// `Mrz` whose `problems` say what is wrong and whose `is_valid()` is false.
pub fn parse<S: AsRef<str>>(lines: &[S], today: Date) -> Result<Mrz, NotMrz> {
    let chars: Vec<Vec<char>> = lines.iter().map(|l| l.as_ref().chars().collect()).collect();
    if chars.is_empty() || chars.iter().all(Vec::is_empty) {
        return Err(NotMrz::Empty);
    }
    let format = Format::detect(&chars).ok_or_else(|| NotMrz::Shape {
        lengths: chars.iter().map(Vec::len).collect(),
    })?;
    for (i, line) in chars.iter().enumerate() {
        let foreign = line.iter().filter(|&&c| !is_mrz_char(c)).count();
        if foreign * 4 >= line.len() {
            return Err(NotMrz::NotMrzText {
                line: i + 1,
                foreign,
                length: line.len(),
            });
        }
    }
    Ok(parse_chars(format, &chars, today))
}

/// The characters of a span.
pub(crate) fn span_chars(lines: &[Vec<char>], line: usize, start: usize, end: usize) -> &[char] {
    lines
        .get(line)
        .and_then(|l| l.get(start..end))
        .unwrap_or(&[])
}

fn text(chars: &[char]) -> String {
    chars.iter().collect()
}

fn trim_fillers(chars: &[char]) -> String {
    text(chars).trim_end_matches('<').to_string()
}

/// `<` to space, runs of spaces to one, trimmed.
fn filler_to_space(s: &str) -> String {
    s.split('<')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The document number, its check and what remains of the optional data after an overflow.
struct NumberReading {
    number: String,
    check: Check,
    optional_rest: Option<String>,
}

/// Reads the document number of formats with a number check, following a TD1/TD2 overflow: when
/// the check-digit position holds `<` and the optional data starts with a non-filler, the number
/// continues there up to the next `<`, and the last character before it is the check digit.
/// The digit is accepted computed over the number with or without the `<` that stands in the
/// check-digit position: Belgian cards of series BEL-BO-03003 and the ICAO 9303 Part 5 example
/// use the first, Belgian BEL-BO-11005 and Portuguese cards the second.
fn read_number(format: Format, lines: &[Vec<char>], spec: &CheckSpec) -> Option<NumberReading> {
    let field = format.span(Slot::DocumentNumber)?;
    let (dl, dc) = spec.digit;
    let found = *span_chars(lines, dl, dc, dc + 1).first()?;
    let data: Vec<char> = spec
        .data
        .iter()
        .flat_map(|&(l, s, e)| span_chars(lines, l, s, e).iter().copied())
        .collect();
    let optional = if format.has_number_overflow() {
        format.span(Slot::Optional1)
    } else {
        None
    };
    if let Some(opt) = optional {
        let opt_chars = span_chars(lines, opt.line, opt.start, opt.end);
        if found == '<' && opt_chars.first().is_some_and(|&c| c != '<') {
            let run: Vec<char> = opt_chars
                .iter()
                .copied()
                .take_while(|&c| c != '<')
                .collect();
            let (digit, ext) = match run.split_last() {
                Some((d, e)) => (*d, e.to_vec()),
                None => ('<', Vec::new()),
            };
            let with_filler: Vec<char> = data
                .iter()
                .copied()
                .chain(std::iter::once('<'))
                .chain(ext.iter().copied())
                .collect();
            let without: Vec<char> = data.iter().copied().chain(ext.iter().copied()).collect();
            let first = judge(&with_filler, digit);
            let verdict = if first.holds() {
                first
            } else {
                judge(&without, digit)
            };
            let rest = opt_chars.get(run.len() + 1..).unwrap_or(&[]);
            return Some(NumberReading {
                number: format!("{}{}", trim_fillers(&data), text(&ext)),
                check: Check {
                    kind: spec.kind,
                    found: digit,
                    verdict,
                },
                optional_rest: Some(trim_fillers(rest)),
            });
        }
    }
    let number = match format {
        Format::FrenchNationalId => trim_fillers(&data),
        _ => trim_fillers(span_chars(lines, field.line, field.start, field.end)),
    };
    Some(NumberReading {
        number,
        check: Check {
            kind: spec.kind,
            found,
            verdict: judge(&data, found),
        },
        optional_rest: None,
    })
}

/// Every check of the format over these lines (lines must have the format's shape).
pub(crate) fn evaluate_checks(format: Format, lines: &[Vec<char>]) -> Vec<Check> {
    format
        .checks()
        .iter()
        .filter_map(|spec| {
            if spec.kind == CheckKind::DocumentNumber {
                return read_number(format, lines, spec).map(|r| r.check);
            }
            let (dl, dc) = spec.digit;
            let found = *span_chars(lines, dl, dc, dc + 1).first()?;
            let data: Vec<char> = spec
                .data
                .iter()
                .flat_map(|&(l, s, e)| span_chars(lines, l, s, e).iter().copied())
                .collect();
            Some(Check {
                kind: spec.kind,
                found,
                verdict: judge(&data, found),
            })
        })
        .collect()
}

struct Builder {
    problems: Vec<Problem>,
}

impl Builder {
    fn error(&mut self, field: Field, reason: String) {
        self.problems.push(Problem {
            field,
            severity: Severity::Error,
            reason,
        });
    }

    fn warning(&mut self, field: Field, reason: String) {
        self.problems.push(Problem {
            field,
            severity: Severity::Warning,
            reason,
        });
    }

    /// Reports characters that `allowed` rejects; true when all pass.
    fn chars_ok(
        &mut self,
        field: Field,
        chars: &[char],
        allowed: fn(char) -> bool,
        what: &str,
    ) -> bool {
        let bad: Vec<char> = chars.iter().copied().filter(|&c| !allowed(c)).collect();
        if bad.is_empty() {
            return true;
        }
        let shown: String = bad
            .iter()
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.error(field, format!("{what} may not contain {shown}"));
        false
    }

    fn country(&mut self, field: Field, chars: &[char]) -> String {
        let code = trim_fillers(chars);
        let shape_ok = self.chars_ok(
            field,
            chars,
            |c| c.is_ascii_uppercase() || c == '<',
            "a country code",
        );
        if !shape_ok {
            return code;
        }
        if code.is_empty() || code.contains('<') {
            self.error(field, format!("{:?} is not a country code", text(chars)));
        } else if countries::lookup(&code).is_none() {
            self.warning(field, format!("{code} is not in the ICAO 9303 code list"));
        }
        code
    }

    fn date(&mut self, field: Field, chars: &[char], century: Century, today: Date) -> MrzDate {
        let raw = text(chars);
        let date = match parse_yymmdd(&raw, century, today) {
            Ok(d) => Some(d),
            Err(DateProblem::Unknown) => {
                self.warning(field, format!("{raw:?} gives the date as unknown"));
                None
            }
            Err(DateProblem::NotDigits) => {
                self.error(
                    field,
                    format!("{raw:?} is not a YYMMDD date (digits, or `<<` for an unknown part)"),
                );
                None
            }
            Err(DateProblem::NoSuchDay) => {
                self.error(field, format!("{raw:?} is no calendar date"));
                None
            }
        };
        MrzDate { raw, date }
    }

    fn names(&mut self, field: Field, chars: &[char]) -> String {
        self.chars_ok(
            field,
            chars,
            |c| c.is_ascii_uppercase() || c == '<',
            "a name",
        );
        filler_to_space(&text(chars))
    }

    fn check(&mut self, check: &Check) {
        let field = Field::CheckDigit(check.kind);
        let what = check.kind.as_str();
        match check.verdict {
            Verdict::Holds => {}
            Verdict::Mismatch { expected } => self.error(
                field,
                format!("{what} check digit is {}, the data computes to {expected}", check.found),
            ),
            Verdict::NotADigit { expected: Some(e) } => self.error(
                field,
                format!("{what} check digit {:?} is not a digit (the data computes to {e})", check.found),
            ),
            Verdict::NotADigit { expected: None } | Verdict::Uncomputable => self.error(
                field,
                format!("{what} check digit cannot be verified: its data holds characters outside A-Z 0-9 <"),
            ),
        }
    }
}

fn alnum(c: char) -> bool {
    is_mrz_char(c)
}

fn digit_or_filler(c: char) -> bool {
    c.is_ascii_digit() || c == '<'
}

fn parse_chars(format: Format, lines: &[Vec<char>], today: Date) -> Mrz {
    let mut b = Builder {
        problems: Vec::new(),
    };
    let get = |slot: Slot| -> &[char] {
        format
            .span(slot)
            .map(
                |Span {
                     line, start, end, ..
                 }| span_chars(lines, line, start, end),
            )
            .unwrap_or(&[])
    };

    // Document code.
    let code_chars = get(Slot::DocumentCode);
    let document_code = trim_fillers(code_chars);
    let code_ok = match format {
        Format::FrenchDrivingLicense => {
            code_chars.first() == Some(&'D') && code_chars.iter().all(|&c| alnum(c) && c != '<')
        }
        Format::SwissDrivingLicense => code_chars.iter().all(char::is_ascii_uppercase),
        _ => {
            code_chars.first().is_some_and(char::is_ascii_uppercase)
                && code_chars
                    .get(1)
                    .is_some_and(|&c| c.is_ascii_uppercase() || c == '<')
        }
    };
    if !code_ok {
        b.error(
            Field::DocumentCode,
            format!("{:?} is not a document code of {format}", text(code_chars)),
        );
    }
    let document_type = DocumentType::of(format, &document_code);

    let issuing_state = b.country(Field::IssueCountry, get(Slot::IssuingState));
    let nationality = match format.span(Slot::Nationality) {
        Some(_) => b.country(Field::Nationality, get(Slot::Nationality)),
        None => String::new(),
    };

    // Names.
    let (last_name, first_name) = if format.span(Slot::Names).is_some() {
        let chars = get(Slot::Names);
        let raw = text(chars);
        let (last, first) = match raw.split_once("<<") {
            Some((l, f)) => (l.to_string(), f.to_string()),
            None => (raw.clone(), String::new()),
        };
        let ok = b.chars_ok(
            Field::LastName,
            chars,
            |c| c.is_ascii_uppercase() || c == '<',
            "a name",
        );
        if ok && chars.iter().all(|&c| c == '<') {
            b.warning(Field::LastName, "the name field is empty".to_string());
        }
        (filler_to_space(&last), filler_to_space(&first))
    } else {
        let last = b.names(Field::LastName, get(Slot::LastName));
        let first = if format.span(Slot::FirstName).is_some() {
            b.names(Field::FirstName, get(Slot::FirstName))
        } else {
            String::new()
        };
        (last, first)
    };

    // Checks, document number and the optional data left after an overflow.
    let checks = evaluate_checks(format, lines);
    let mut optional_rest = None;
    let mut document_number = String::new();
    if let Some(reading) = format
        .checks()
        .iter()
        .find(|c| c.kind == CheckKind::DocumentNumber)
        .and_then(|spec| read_number(format, lines, spec))
    {
        document_number = reading.number;
        optional_rest = reading.optional_rest;
    }
    let number_chars: &[char] = match format {
        Format::SwissDrivingLicense => {
            let licence = get(Slot::LicenceNumber);
            let lang = get(Slot::LanguageCode);
            document_number = format!("{}{}", text(licence), text(lang));
            licence
        }
        Format::FrenchNationalId => span_chars(lines, 1, 0, 12),
        _ => get(Slot::DocumentNumber),
    };
    if b.chars_ok(
        Field::DocumentNumber,
        number_chars,
        alnum,
        "a document number",
    ) && number_chars.iter().all(|&c| c == '<')
    {
        b.error(
            Field::DocumentNumber,
            "the document number is empty".to_string(),
        );
    }
    for check in &checks {
        b.check(check);
    }

    let birth_date = match format.span(Slot::BirthDate) {
        Some(_) => b.date(
            Field::DateOfBirth,
            get(Slot::BirthDate),
            Century::Past,
            today,
        ),
        None => MrzDate::absent(),
    };
    let expiry_date = match format.span(Slot::ExpiryDate) {
        Some(_) => b.date(
            Field::DateOfExpiry,
            get(Slot::ExpiryDate),
            Century::Expiry,
            today,
        ),
        None => MrzDate::absent(),
    };

    let sex = match format.span(Slot::Sex) {
        Some(_) => match get(Slot::Sex).first() {
            Some('M') => Some(Sex::Male),
            Some('F') => Some(Sex::Female),
            Some('X' | '<') => Some(Sex::Unspecified),
            other => {
                b.error(
                    Field::Gender,
                    format!(
                        "{:?} is not a sex (M, F, X or <)",
                        other.copied().unwrap_or(' ')
                    ),
                );
                None
            }
        },
        None => None,
    };

    let mut personal_number = String::new();
    let mut optional_data = String::new();
    let mut optional_data2 = String::new();
    let mut national = Vec::new();
    match format {
        Format::Td3 => {
            let chars = get(Slot::PersonalNumber);
            b.chars_ok(Field::PersonalNumber, chars, alnum, "the personal number");
            personal_number = filler_to_space(&text(chars));
        }
        Format::Td1 | Format::Td2 | Format::Mrva | Format::Mrvb => {
            let chars = get(Slot::Optional1);
            b.chars_ok(Field::OptionalData, chars, alnum, "optional data");
            optional_data = filler_to_space(&optional_rest.unwrap_or_else(|| text(chars)));
            if format == Format::Td1 {
                let chars = get(Slot::Optional2);
                b.chars_ok(Field::OptionalData2, chars, alnum, "optional data");
                optional_data2 = filler_to_space(&text(chars));
            }
        }
        Format::FrenchNationalId => {
            let admin = get(Slot::AdministrativeCode);
            b.chars_ok(Field::OptionalData, admin, alnum, "the administrative code");
            optional_data = filler_to_space(&text(admin));
            let issue = get(Slot::IssueDate);
            let issue_ok = b.chars_ok(
                Field::IssueDate,
                issue,
                |c| c.is_ascii_digit(),
                "the issue date (YYMM)",
            );
            let month: String = issue.get(2..4).map(text).unwrap_or_default();
            if issue_ok && !matches!(month.parse::<u8>(), Ok(1..=12)) {
                b.error(
                    Field::IssueDate,
                    format!("{:?} is not a YYMM date", text(issue)),
                );
            }
            national.push(NationalField {
                name: "issueDate",
                value: text(issue),
            });
            let dept = get(Slot::Department);
            b.chars_ok(Field::Department, dept, alnum, "the department");
            national.push(NationalField {
                name: "department",
                value: trim_fillers(dept),
            });
            let serial = get(Slot::DocumentNumber);
            national.push(NationalField {
                name: "serialNumber",
                value: trim_fillers(serial),
            });
        }
        Format::SwissDrivingLicense => {
            let licence = get(Slot::LicenceNumber);
            let office_ok = licence
                .get(0..3)
                .is_some_and(|p| p.iter().all(|&c| alnum(c) && c != '<'));
            let digits_ok = licence
                .get(3..6)
                .is_some_and(|p| p.iter().all(char::is_ascii_digit));
            if !(office_ok && digits_ok) {
                b.error(
                    Field::DocumentNumber,
                    format!(
                        "{:?} is not 3 letters or digits then 3 digits",
                        text(licence)
                    ),
                );
            }
            let lang = get(Slot::LanguageCode);
            if !matches!(lang, ['D' | 'F' | 'I' | 'R']) {
                b.error(
                    Field::LanguageCode,
                    format!("{:?} is not a language code (D, F, I, R)", text(lang)),
                );
            }
            optional_data2 = text(lang);
            let pin = get(Slot::PinCode);
            b.chars_ok(
                Field::PersonalNumber,
                pin,
                |c| c.is_ascii_digit(),
                "the PIN",
            );
            personal_number = text(pin);
            let version = get(Slot::VersionNumber);
            b.chars_ok(
                Field::VersionNumber,
                version,
                |c| c.is_ascii_digit(),
                "the version number",
            );
            optional_data = text(version);
        }
        Format::FrenchDrivingLicense => {}
    }
    for span in format.spans().iter().filter(|s| s.slot == Slot::Filler) {
        let chars = span_chars(lines, span.line, span.start, span.end);
        if chars.iter().any(|&c| c != '<') {
            b.error(
                Field::Filler,
                format!(
                    "line {} columns {}-{} must be '<', found {:?}",
                    span.line + 1,
                    span.start + 1,
                    span.end,
                    text(chars)
                ),
            );
        }
    }
    // Digits-or-filler shape of dates is reported above; check digits must be digits or '<'.
    for span in format.spans() {
        let field = match span.slot {
            Slot::DocumentNumberCheck => Field::CheckDigit(CheckKind::DocumentNumber),
            Slot::BirthDateCheck => Field::CheckDigit(CheckKind::DateOfBirth),
            Slot::ExpiryDateCheck => Field::CheckDigit(CheckKind::DateOfExpiry),
            Slot::PersonalNumberCheck => Field::CheckDigit(CheckKind::PersonalNumber),
            Slot::Composite => Field::CheckDigit(CheckKind::Composite),
            _ => continue,
        };
        let chars = span_chars(lines, span.line, span.start, span.end);
        if !chars.iter().all(|&c| digit_or_filler(c)) && b.problems.iter().all(|p| p.field != field)
        {
            b.error(field, format!("{:?} is not a check digit", text(chars)));
        }
    }

    Mrz {
        format,
        lines: lines.iter().map(|l| text(l)).collect(),
        document_code,
        document_type,
        issuing_state,
        document_number,
        last_name,
        first_name,
        nationality,
        birth_date,
        sex,
        expiry_date,
        personal_number,
        optional_data,
        optional_data2,
        national,
        checks,
        problems: b.problems,
    }
}
