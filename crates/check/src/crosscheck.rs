//! The cross-check: each field both zones carry, compared in the MRZ's terms — names after
//! transliteration and with the MRZ's truncation in mind, dates as dates, the sex and the
//! nationality as codes — with the MRZ field's own check digit.

use idverify_mrz::{CheckKind, Field, Format, Mrz, Severity};
use idverify_wire::{DataCheckRow, Decision};

use crate::extract::PrintedFields;
use crate::names::{nationality_code, same_name};
use crate::printed_date::PrintedDate;

/// A field compared between the MRZ and the printed zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompareField {
    /// Document number.
    DocumentNumber,
    /// Surname.
    Surname,
    /// Given names.
    GivenNames,
    /// Date of birth.
    BirthDate,
    /// Date of expiry.
    ExpiryDate,
    /// Sex.
    Sex,
    /// Nationality.
    Nationality,
}

impl CompareField {
    /// The row's `category`.
    pub fn category(self) -> &'static str {
        match self {
            CompareField::DocumentNumber => "Document number",
            CompareField::Surname => "Surname",
            CompareField::GivenNames => "Given names",
            CompareField::BirthDate => "Date of birth",
            CompareField::ExpiryDate => "Date of expiry",
            CompareField::Sex => "Sex",
            CompareField::Nationality => "Nationality",
        }
    }

    /// The check digit that covers the field in the MRZ, if any.
    pub fn check_kind(self) -> Option<CheckKind> {
        match self {
            CompareField::DocumentNumber => Some(CheckKind::DocumentNumber),
            CompareField::BirthDate => Some(CheckKind::DateOfBirth),
            CompareField::ExpiryDate => Some(CheckKind::DateOfExpiry),
            _ => None,
        }
    }

    fn mrz_field(self) -> Field {
        match self {
            CompareField::DocumentNumber => Field::DocumentNumber,
            CompareField::Surname => Field::LastName,
            CompareField::GivenNames => Field::FirstName,
            CompareField::BirthDate => Field::DateOfBirth,
            CompareField::ExpiryDate => Field::DateOfExpiry,
            CompareField::Sex => Field::Gender,
            CompareField::Nationality => Field::Nationality,
        }
    }
}

/// One field compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Which field.
    pub field: CompareField,
    /// The MRZ's value, in the Result's form (ISO dates, MRZ-form names).
    pub mrz: String,
    /// The printed value (dates in ISO form; names as printed).
    pub ocr: String,
    /// The two agree.
    pub equal: bool,
    /// The MRZ field is well formed and its check digit (if it has one) holds.
    pub check_holds: bool,
    /// Unequal names that differ by at most one edit per five letters: as likely a misread
    /// as a change, so a person looks (DC033) rather than the check declining.
    pub near: bool,
}

impl Comparison {
    /// Agrees and its check digit holds.
    pub fn valid(&self) -> bool {
        self.equal && self.check_holds
    }
}

/// Whether the MRZ's name field is full, so the MRZ's names may be cut short.
pub fn names_truncated(mrz: &Mrz) -> bool {
    use idverify_mrz::Format;
    let line = match mrz.format {
        Format::Td1 => mrz.lines.get(2),
        Format::Td2 | Format::Td3 | Format::Mrva | Format::Mrvb => mrz.lines.first(),
        _ => None,
    };
    line.and_then(|l| l.chars().last())
        .is_some_and(|c| c != '<')
}

/// Document numbers compare without spaces, in upper case, and with the letters the OCR
/// confuses with digits (`O`/`0`, `I`/`1`) taken as the same.
fn number_key(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' | 'Q' => '0',
            'I' => '1',
            other => other,
        })
        .collect()
}

/// Whether a printed document number is the MRZ's: equal up to spaces and `O`/`0`, `I`/`1`, or
/// longer than the MRZ's nine-character field and cut by it (a visa's MRZ keeps the first nine
/// characters of a longer passport number; TD1 cards carry the rest in the optional data, which
/// the parser puts back, so their numbers compare whole).
fn same_number(printed: &str, mrz_number: &str) -> bool {
    let (p, m) = (number_key(printed), number_key(mrz_number));
    p == m || (m.len() == 9 && p.len() > 9 && p.starts_with(&m))
}

fn check_holds(mrz: &Mrz, field: CompareField) -> bool {
    let digit_ok = field
        .check_kind()
        .and_then(|k| mrz.check(k))
        .is_none_or(|c| c.holds());
    let well_formed = !mrz
        .problems
        .iter()
        .any(|p| p.field == field.mrz_field() && p.severity == Severity::Error);
    digit_ok && well_formed
}

/// States whose documents print numeric dates month first (`10/04/1949` is 4 October): the
/// United States and the states in free association with it.
const MONTH_FIRST_STATES: [&str; 4] = ["USA", "FSM", "MHL", "PLW"];

/// The printed date as the issuing state writes it: day and month swapped when the state
/// prints month first and both read as a month (a numeric date; `05 FEB` keeps its month).
fn as_issued(printed: &PrintedDate, mrz: &Mrz) -> PrintedDate {
    if MONTH_FIRST_STATES.contains(&mrz.issuing_state.as_str()) && printed.day <= 12 {
        PrintedDate {
            day: printed.month,
            month: printed.day,
            year: printed.year,
        }
    } else {
        *printed
    }
}

/// The reading of a printed date to compare with the MRZ's `date`: as written when that agrees,
/// else as the issuing state writes dates (which then agrees or shows the conflict).
fn date_reading(printed: &PrintedDate, mrz: &Mrz, date: idverify_mrz::Date) -> PrintedDate {
    if printed.matches(date) {
        *printed
    } else {
        as_issued(printed, mrz)
    }
}

/// `mrz` with its birth date in the century of the printed birth date, when that is the same
/// day with a four-digit year (the MRZ's two-digit year is only a guess at the century).
pub fn with_printed_century(mrz: &Mrz, printed: &PrintedFields) -> Mrz {
    let mut out = mrz.clone();
    if let (Some(p), Some(m)) = (printed.birth_date, mrz.birth_date.date) {
        let p = date_reading(&p, mrz, m);
        if let crate::printed_date::PrintedYear::Full(year) = p.year
            && year != m.year
            && year % 100 == m.year % 100
            && p.month == m.month
            && p.day == m.day
            && let Some(d) = idverify_mrz::Date::new(year, m.month, m.day)
        {
            out.birth_date.date = Some(d);
        }
    }
    out
}

fn date_text(printed: &PrintedDate, like: idverify_mrz::Date) -> String {
    match printed.resolve_like(like) {
        Some(d) => d.to_string(),
        None => printed.to_string(),
    }
}

/// The printed surname and given names, with a surname field that holds `SURNAME, GIVEN
/// NAMES` split at its comma.
fn split_combined(printed: &PrintedFields) -> (Option<String>, Option<String>) {
    let given = printed.given_names.clone();
    match printed.surname.as_deref().and_then(|s| s.split_once(',')) {
        Some((last, first)) if !last.trim().is_empty() => {
            let first = first.trim();
            let given = given.or_else(|| (!first.is_empty()).then(|| first.to_string()));
            (Some(last.trim().to_string()), given)
        }
        _ => (printed.surname.clone(), given),
    }
}

/// A printed name that can be compared, or `None` when what was read is no name: a label read
/// as a value (`Nombre d'entrées` as given names, `No`), text in another script, brackets or
/// slashes. Not comparing is right there: a false conflict would decline a genuine document.
fn comparable_name(value: &str) -> Option<String> {
    let v = value.trim();
    let first = v.chars().next()?;
    // Names are printed in capitals or with a capital first; a lower-case start is a label's
    // italic translation, punctuation first a fragment of one. (`l` is a capital I misread.)
    if !first.is_uppercase() && first != 'l' {
        return None;
    }
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    let latin = v.chars().all(|c| {
        (c.is_alphabetic() && crate::fold::fold_char(c).is_ascii_alphabetic())
            || c.is_ascii_digit()
            || matches!(c, ' ' | '-' | '\'' | '’' | '.')
    });
    // The abbreviations of "number" that end so many labels (`Doc No.`, `Pass-Nr`).
    let bare: String = v.chars().filter(|c| c.is_alphabetic()).collect();
    let abbreviation = matches!(bare.to_uppercase().as_str(), "NO" | "NR" | "NUM");
    if letters < 2 || !latin || abbreviation || crate::extract::is_label_only(v) {
        return None;
    }
    Some(v.to_string())
}

/// The parts of a printed line that may hold one value: the whole line, and what follows a
/// `Label:` on it.
fn value_parts(text: &str) -> impl Iterator<Item = &str> {
    std::iter::once(text.trim()).chain(
        text.rsplit_once(':')
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty()),
    )
}

/// A printed line that holds the MRZ's value of `field`, when one does: the MRZ says what to
/// look for, and a printed zone that shows it anywhere agrees with it, whichever label the
/// layout tied to which line. (A changed printed value is not found: the conflict stands.)
fn found_in_texts(
    field: CompareField,
    mrz: &Mrz,
    printed: &PrintedFields,
    besides: Option<&str>,
) -> Option<String> {
    let truncated = names_truncated(mrz);
    let holds = |part: &str| -> bool {
        match field {
            CompareField::DocumentNumber => {
                !mrz.document_number.is_empty() && same_number(part, &mrz.document_number)
            }
            CompareField::Surname => {
                !mrz.last_name.is_empty()
                    && comparable_name(part).is_some()
                    && same_name(part, &mrz.last_name, truncated)
            }
            CompareField::GivenNames => {
                !mrz.first_name.is_empty()
                    && comparable_name(part).is_some()
                    && same_name(part, &mrz.first_name, truncated)
            }
            CompareField::BirthDate | CompareField::ExpiryDate => {
                let date = if field == CompareField::BirthDate {
                    mrz.birth_date.date
                } else {
                    mrz.expiry_date.date
                };
                date.zip(crate::printed_date::parse_date(part))
                    .is_some_and(|(m, p)| date_reading(&p, mrz, m).matches(m))
            }
            CompareField::Nationality => {
                !mrz.nationality.is_empty()
                    && nationality_code(part).is_some_and(|c| c == mrz.nationality)
            }
            CompareField::Sex => false,
        }
    };
    let exact = printed
        .texts
        .iter()
        .find(|t| value_parts(t).any(holds))
        .cloned();
    // The MRZ's name printed on another line than the one its label gave, misread by a letter
    // or so: the same name read by an OCR under a layout it did not follow (the line the label
    // gave, `besides`, is what is being judged and is no evidence for itself).
    exact.or_else(|| {
        printed
            .texts
            .iter()
            .filter(|t| Some(t.as_str()) != besides)
            .find(|t| value_parts(t).any(|p| near_name(field, mrz, p)))
            .cloned()
    })
}

/// A printed name within one edit per five letters of the MRZ's name of `field` (in the MRZ
/// form: transliterated, letters only), at least four letters long.
fn near_name(field: CompareField, mrz: &Mrz, printed: &str) -> bool {
    let mrz_name = match field {
        CompareField::Surname => &mrz.last_name,
        CompareField::GivenNames => &mrz.first_name,
        _ => return false,
    };
    let want: Vec<char> = mrz_name.chars().filter(char::is_ascii_alphabetic).collect();
    let allowed = (want.len() / 5).max(1);
    want.len() >= 4
        && comparable_name(printed).is_some()
        && crate::names::mrz_forms(printed).iter().any(|f| {
            let got: Vec<char> = f.chars().filter(char::is_ascii_alphabetic).collect();
            crate::extract::edit_distance(&got, &want, allowed).is_some()
        })
}

/// Compares every field both zones carry. A field whose printed value (found by its label)
/// disagrees with the MRZ, or that was not found by label, agrees when another printed line
/// holds the MRZ's value ([`found_in_texts`]).
pub fn compare(mrz: &Mrz, printed: &PrintedFields) -> Vec<Comparison> {
    let mut by_label = compare_by_label(mrz, printed);
    for c in by_label.iter_mut().filter(|c| !c.equal) {
        if let Some(text) = found_in_texts(c.field, mrz, printed, Some(&c.ocr)) {
            c.ocr = text;
            c.equal = true;
        } else {
            c.near = near_name(c.field, mrz, &c.ocr);
        }
    }
    for field in [
        CompareField::DocumentNumber,
        CompareField::Surname,
        CompareField::GivenNames,
        CompareField::BirthDate,
        CompareField::ExpiryDate,
        CompareField::Nationality,
    ] {
        if by_label.iter().any(|c| c.field == field) {
            continue;
        }
        if let Some(text) = found_in_texts(field, mrz, printed, None) {
            by_label.push(Comparison {
                field,
                mrz: mrz_value(field, mrz),
                ocr: text,
                equal: true,
                check_holds: check_holds(mrz, field),
                near: false,
            });
        }
    }
    by_label.sort_by_key(|c| c.field);
    by_label
}

/// The MRZ's value of `field` as a comparison row shows it.
fn mrz_value(field: CompareField, mrz: &Mrz) -> String {
    match field {
        CompareField::DocumentNumber => mrz.document_number.clone(),
        CompareField::Surname => mrz.last_name.clone(),
        CompareField::GivenNames => mrz.first_name.clone(),
        CompareField::BirthDate => mrz
            .birth_date
            .date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        CompareField::ExpiryDate => mrz
            .expiry_date
            .date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        CompareField::Sex => mrz.sex.map(|s| s.as_str().to_string()).unwrap_or_default(),
        CompareField::Nationality => mrz.nationality.clone(),
    }
}

/// Compares every field both zones carry, each printed field as its label found it.
fn compare_by_label(mrz: &Mrz, printed: &PrintedFields) -> Vec<Comparison> {
    let mut out = Vec::new();
    let mut push = |field: CompareField, m: String, o: String, equal: bool| {
        out.push(Comparison {
            field,
            mrz: m,
            ocr: o,
            equal,
            check_holds: check_holds(mrz, field),
            near: false,
        });
    };
    // A visa's MRZ carries the passport's number (ICAO 9303 Part 7) and its printed
    // `Document No.` is the visa's own: a printed number that differs is another number, not a
    // conflict; one that agrees (a printed passport number) is compared.
    let visa = matches!(mrz.format, Format::Mrva | Format::Mrvb);
    if let Some(n) = &printed.document_number
        && !mrz.document_number.is_empty()
        && (!visa || same_number(n, &mrz.document_number))
    {
        let equal = same_number(n, &mrz.document_number);
        push(
            CompareField::DocumentNumber,
            mrz.document_number.clone(),
            n.clone(),
            equal,
        );
    }
    let truncated = names_truncated(mrz);
    // "SURNAME, GIVEN NAMES" printed in one field: the part before the comma is the surname,
    // the rest the given names when no field of their own was read.
    let (surname, given) = split_combined(printed);
    let surname = surname.as_deref().and_then(comparable_name);
    let given = given.as_deref().and_then(comparable_name);
    // A name read under the other name's label is a swap of lines, not a conflict: under
    // ICAO's `Name / Nom` the surname and the given names stand on two lines and either may be
    // the one read (an Australian passport photo gave `JANE` for `CITIZEN`; an Icelandic one
    // its given names' line under the surname's label). Such a name is not compared.
    let swapped = |printed: &str, other: &str, own: &str| {
        !other.is_empty()
            && same_name(printed, other, truncated)
            && !same_name(printed, own, truncated)
    };
    if let Some(s) = &surname
        && !mrz.last_name.is_empty()
        && !swapped(s, &mrz.first_name, &mrz.last_name)
    {
        // A combined "Surname, Given names" field read without its comma holds the whole name.
        let whole = format!("{} {}", mrz.last_name, mrz.first_name);
        let equal =
            same_name(s, &mrz.last_name, truncated) || same_name(s, whole.trim(), truncated);
        push(
            CompareField::Surname,
            mrz.last_name.clone(),
            s.clone(),
            equal,
        );
    }
    if let Some(g) = &given
        && (!mrz.first_name.is_empty() || !mrz.last_name.is_empty())
        && !swapped(g, &mrz.last_name, &mrz.first_name)
    {
        let equal = same_name(g, &mrz.first_name, truncated);
        push(
            CompareField::GivenNames,
            mrz.first_name.clone(),
            g.clone(),
            equal,
        );
    }
    for (field, printed_date, mrz_date) in [
        (
            CompareField::BirthDate,
            printed.birth_date,
            mrz.birth_date.date,
        ),
        (
            CompareField::ExpiryDate,
            printed.expiry_date,
            mrz.expiry_date.date,
        ),
    ] {
        if let (Some(p), Some(m)) = (printed_date, mrz_date) {
            let p = date_reading(&p, mrz, m);
            push(field, m.to_string(), date_text(&p, m), p.matches(m));
        }
    }
    if let (Some(p), Some(m)) = (printed.sex, mrz.sex) {
        push(
            CompareField::Sex,
            m.as_str().to_string(),
            p.as_str().to_string(),
            p == m,
        );
    }
    if let Some(p) = &printed.nationality
        && !mrz.nationality.is_empty()
        && let Some(code) = nationality_code(p)
    {
        let equal = code == mrz.nationality;
        push(
            CompareField::Nationality,
            mrz.nationality.clone(),
            p.clone(),
            equal,
        );
    }
    out
}

/// One `documentDataChecking` row per field both zones carry, with the catalogue's default
/// statuses (`declined` for a conflict or a failed check digit). [`crate::assess`] applies the
/// policy's.
///
/// ```
/// use idverify_check::{crosscheck::crosscheck, extract::PrintedFields, printed_date::parse_date};
/// let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
/// let mrz = idverify_mrz::parse(
///     &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today).unwrap();
/// let printed = PrintedFields {
///     surname: Some("Eriksson".into()),
///     birth_date: parse_date("12 AUG/AOÛT 74"),
///     ..PrintedFields::default()
/// };
/// let rows = crosscheck(&mrz, &printed);
/// assert_eq!(rows.len(), 2);
/// assert!(rows.iter().all(|r| r.equal && r.valid));
/// assert_eq!(rows[1].ocr, "1974-08-12");
/// ```
pub fn crosscheck(mrz: &Mrz, printed: &PrintedFields) -> Vec<DataCheckRow> {
    compare(mrz, printed)
        .into_iter()
        .map(|c| {
            row(
                &c,
                if c.valid() {
                    Decision::Approved
                } else {
                    Decision::Declined
                },
            )
        })
        .collect()
}

/// The wire row of a comparison with `status`.
pub fn row(c: &Comparison, status: Decision) -> DataCheckRow {
    DataCheckRow {
        category: c.field.category().to_string(),
        mrz: c.mrz.clone(),
        ocr: c.ocr.clone(),
        equal: c.equal,
        valid: c.valid(),
        status,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::{comparable_name, date_reading, same_number};
    use crate::printed_date::PrintedDate;

    /// Whether the printed date agrees with the MRZ's, read as the comparison reads it.
    fn same_date(printed: &PrintedDate, mrz: &idverify_mrz::Mrz, date: idverify_mrz::Date) -> bool {
        date_reading(printed, mrz, date).matches(date)
    }

    #[test]
    fn what_is_no_name_is_not_compared() {
        for name in [
            "ERIKSSON",
            "Müller-Lüdenscheidt",
            "D'Artagnan",
            "Ødegård",
            "lbáñez",
        ] {
            assert_eq!(comparable_name(name).as_deref(), Some(name), "{name}");
        }
        for junk in [
            "dfertrees",
            "'ENTREES",
            "(Last,First)/姓名",
            "LIN/林",
            "X",
            "Surname / Nom",
            "No",
            "Nr.",
        ] {
            assert_eq!(comparable_name(junk), None, "{junk}");
        }
    }
    use crate::printed_date::parse_date;

    #[test]
    fn numeric_dates_of_month_first_states() {
        let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
        let line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let mrz = |state: &str| {
            let line1 = format!("P<{state}ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
            idverify_mrz::parse(&[line1.as_str(), line2], today).unwrap()
        };
        let (usa, uto) = (mrz("USA"), mrz("UTO"));
        let birth = usa.birth_date.date.unwrap(); // 1974-08-12
        let month_first = parse_date("08/12/1974").unwrap();
        assert!(same_date(&month_first, &usa, birth));
        assert!(!same_date(&month_first, &uto, birth));
        // Day first agrees everywhere; a written month is never swapped.
        assert!(same_date(&parse_date("12.08.1974").unwrap(), &usa, birth));
        assert!(!same_date(&parse_date("08 DEC 1974").unwrap(), &uto, birth));
        // Another date still conflicts on a US document.
        assert!(!same_date(&parse_date("07/12/1974").unwrap(), &usa, birth));
    }

    #[test]
    fn the_given_names_alone_under_a_name_label_are_not_a_surname_conflict() {
        use super::{CompareField, compare};
        use crate::extract::PrintedFields;
        let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
        let mrz = idverify_mrz::parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ],
            today,
        )
        .unwrap();
        let surname_row = |surname: &str, given: Option<&str>| {
            let printed = PrintedFields {
                surname: Some(surname.into()),
                given_names: given.map(Into::into),
                ..PrintedFields::default()
            };
            compare(&mrz, &printed)
                .into_iter()
                .find(|c| c.field == CompareField::Surname)
                .map(|c| c.equal)
        };
        assert_eq!(surname_row("Anna Maria", None), None);
        // The MRZ's given names under the surname's label are a swap of lines whether or not
        // the given names were read too; another name is compared.
        assert_eq!(surname_row("Anna Maria", Some("Anna Maria")), None);
        assert_eq!(surname_row("Anderson", None), Some(false));
        assert_eq!(surname_row("Eriksson", None), Some(true));
    }

    #[test]
    fn names_read_under_each_others_labels_are_a_swap_not_a_conflict() {
        use super::{CompareField, compare};
        use crate::extract::PrintedFields;
        let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
        let mrz = idverify_mrz::parse(
            &[
                "P<ISLJONSDOTTIR<<GUDRUN<<<<<<<<<<<<<<<<<<<<<",
                "L898902C36ISL7408122F1204159ZE184226B<<<<<10",
            ],
            today,
        )
        .unwrap();
        // The Icelandic passport of issue 17: the given names' line taken for the surname and
        // the surname's line for the given names.
        let printed = PrintedFields {
            surname: Some("Guðrún".into()),
            given_names: Some("Jónsdóttir".into()),
            ..PrintedFields::default()
        };
        let rows = compare(&mrz, &printed);
        assert!(rows.iter().all(|c| c.equal), "{rows:?}");
        assert!(
            !rows
                .iter()
                .any(|c| matches!(c.field, CompareField::Surname | CompareField::GivenNames))
        );
        // A misread letter of the surname printed on another line is the same name.
        let printed = PrintedFields {
            surname: Some("Polismyndigheten".into()),
            texts: vec!["Polismyndigheten".into(), "Jonsdotfir".into()],
            ..PrintedFields::default()
        };
        assert!(compare(&mrz, &printed).iter().all(|c| c.equal));
        // Another surname is still a conflict.
        let printed = PrintedFields {
            surname: Some("Sigurðardóttir".into()),
            ..PrintedFields::default()
        };
        let rows = compare(&mrz, &printed);
        assert!(
            rows.iter()
                .any(|c| c.field == CompareField::Surname && !c.equal)
        );
    }

    #[test]
    fn an_mrz_value_printed_under_another_label_agrees() {
        use super::{CompareField, compare};
        use crate::extract::PrintedFields;
        use crate::printed_date::parse_date;
        let today = idverify_mrz::Date::new(2026, 11, 27).unwrap();
        // The TD2 card of the benchmark (medium degradation): the date of issue (27 AUG 23)
        // was read under the expiry's label; the expiry's own line was read too.
        let mrz = idverify_mrz::parse(
            &[
                "I<USAWASHINGTON<<EMILY<ROSE<MADISON<",
                "08C1N02534USA7403286<2808266<<<<<<<6",
            ],
            today,
        )
        .unwrap();
        let printed = PrintedFields {
            expiry_date: parse_date("27 AUG/AOÛT 23"),
            texts: vec!["26 AUG/AOÛT 28".into(), "27 AUG/AOÛT 23".into()],
            ..PrintedFields::default()
        };
        let rows = compare(&mrz, &printed);
        let expiry = rows
            .iter()
            .find(|c| c.field == CompareField::ExpiryDate)
            .unwrap();
        assert!(expiry.equal, "{rows:?}");
        assert_eq!(expiry.ocr, "26 AUG/AOÛT 28");
        // Without the expiry's own line, the date under its label is a conflict.
        let printed = PrintedFields {
            expiry_date: parse_date("27 AUG/AOÛT 23"),
            texts: vec!["27 AUG/AOÛT 23".into()],
            ..PrintedFields::default()
        };
        let rows = compare(&mrz, &printed);
        assert!(
            rows.iter()
                .any(|c| c.field == CompareField::ExpiryDate && !c.equal)
        );
        // A value found only among the lines is compared too (no label tied it to a field).
        let printed = PrintedFields {
            texts: vec!["Washington".into(), "Emily Rose Madison".into(), "X".into()],
            ..PrintedFields::default()
        };
        let fields: Vec<CompareField> = compare(&mrz, &printed).iter().map(|c| c.field).collect();
        assert_eq!(fields, [CompareField::Surname, CompareField::GivenNames]);
    }

    #[test]
    fn document_numbers() {
        assert!(same_number("L898902C3", "L898902C3"));
        assert!(same_number("L 8989 02C3", "L898902C3"));
        assert!(same_number("SPECI2O21", "SPEC12021"));
        // A passport number longer than the nine characters the visa's MRZ keeps.
        assert!(same_number("555123ABC12", "555123ABC"));
        assert!(!same_number("555123ABD12", "555123ABC"));
        assert!(!same_number("L898902C", "L898902C3"));
        // A shorter MRZ number is the whole number: a longer printed one is another number.
        assert!(!same_number("1234567X", "1234567"));
        assert!(!same_number("M123889546", "L8988901C"));
    }
}
