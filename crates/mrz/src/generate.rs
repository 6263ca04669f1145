//! Generation: fields → MRZ lines for every format, with the check digits computed. Used by tests
//! and by the synthetic document images of the test kit.

use crate::check_digit::check_digit_chars;
use crate::date::Date;
use crate::format::{CheckKind, Format};
use crate::parse::{Sex, is_mrz_char};
use crate::transliterate::name_field;

/// The fields to write. Fields a format does not have are ignored; see [`generate`] for where
/// each goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzData {
    /// The layout to produce.
    pub format: Format,
    /// `P`, `PO`, `I`, `ID`, `IR`, `V`, `D1`, `FA`, …
    pub document_code: String,
    /// `UTO`, `D`, …
    pub issuing_state: String,
    /// Surname, printed or MRZ form (it is transliterated).
    pub last_name: String,
    /// Given names, printed or MRZ form.
    pub first_name: String,
    /// The document number. TD1/TD2: up to 9 characters, or longer with the overflow into the
    /// optional data. French card: the 12 characters (issue `YYMM`, department, serial). Swiss
    /// licence: 7 characters (3 + 3 digits + language code).
    pub document_number: String,
    /// Nationality code.
    pub nationality: String,
    /// Date of birth; `None` writes `<<<<<<` (unknown).
    pub birth_date: Option<Date>,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry (French licence: the date of its line); `None` writes `<<<<<<`.
    pub expiry_date: Option<Date>,
    /// TD3 personal number; Swiss licence PIN (9 digits).
    pub personal_number: String,
    /// TD1 line 1, TD2 and visa optional data; French card administrative code; Swiss licence
    /// version number (3 digits).
    pub optional_data: String,
    /// TD1 line 2 optional data.
    pub optional_data2: String,
}

/// Why the fields make no MRZ.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// A field is longer than its place in the format.
    #[error("{field} is {len} characters, {format} has room for {max}")]
    TooLong {
        /// The field.
        field: &'static str,
        /// The format.
        format: Format,
        /// Its length.
        len: usize,
        /// The room there is.
        max: usize,
    },
    /// A field holds characters outside `A–Z 0–9` (after spaces became `<`).
    #[error("{field} {value:?} holds characters outside A-Z 0-9")]
    BadCharacters {
        /// The field.
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// A field has the wrong shape for the format (Swiss PIN of 9 digits, French card number …).
    #[error("{field}: {reason}")]
    BadShape {
        /// The field.
        field: &'static str,
        /// What is expected.
        reason: &'static str,
    },
}

/// Writes the MRZ lines of `data`, computing every check digit.
///
/// ```
/// use idverify_mrz::{generate, parse, Date, Format, MrzData, Sex};
/// let data = MrzData {
///     format: Format::Td3,
///     document_code: "P".into(),
///     issuing_state: "UTO".into(),
///     last_name: "Eriksson".into(),
///     first_name: "Anna Maria".into(),
///     document_number: "L898902C3".into(),
///     nationality: "UTO".into(),
///     birth_date: Date::new(1974, 8, 12),
///     sex: Sex::Female,
///     expiry_date: Date::new(2012, 4, 15),
///     personal_number: "ZE184226B".into(),
///     optional_data: String::new(),
///     optional_data2: String::new(),
/// };
/// let lines = generate(&data).unwrap();
/// assert_eq!(lines, ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///                    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]);
/// ```
pub fn generate(data: &MrzData) -> Result<Vec<String>, GenerateError> {
    let f = data.format;
    let code = field(f, "documentCode", &data.document_code, 2)?;
    let state = field(f, "issueCountry", &data.issuing_state, 3)?;
    let nationality = field(f, "nationality", &data.nationality, 3)?;
    let birth = yymmdd(data.birth_date);
    let expiry = yymmdd(data.expiry_date);
    let sex = data.sex.as_char().to_string();
    let lines = match f {
        Format::Td3 => {
            let number = field(f, "documentNumber", &data.document_number, 9)?;
            let personal = field(f, "personalNumber", &data.personal_number, 14)?;
            let personal_cd = if personal.chars().all(|c| c == '<') {
                '<'
            } else {
                cd(&personal)
            };
            let names = name_field(&data.last_name, &data.first_name, 39);
            let mut l1 = format!(
                "{number}{}{nationality}{birth}{}{sex}{expiry}{}{personal}{personal_cd}",
                cd(&number),
                cd(&birth),
                cd(&expiry)
            );
            l1.push(composite(f, &l1));
            vec![format!("{code}{state}{names}"), l1]
        }
        Format::Td1 => {
            let (number, number_cd, optional) = overflowing_number(f, data, 15)?;
            let optional2 = field(f, "optionalData2", &data.optional_data2, 11)?;
            let names = name_field(&data.last_name, &data.first_name, 30);
            let l0 = format!("{code}{state}{number}{number_cd}{optional}");
            let mut l1 = format!(
                "{birth}{}{sex}{expiry}{}{nationality}{optional2}",
                cd(&birth),
                cd(&expiry)
            );
            let composite_data: String = l0
                .chars()
                .skip(5)
                .chain(l1.chars().take(7))
                .chain(l1.chars().skip(8).take(7))
                .chain(l1.chars().skip(18))
                .collect();
            l1.push(cd(&composite_data));
            vec![l0, l1, names]
        }
        Format::Td2 => {
            let (number, number_cd, optional) = overflowing_number(f, data, 7)?;
            let names = name_field(&data.last_name, &data.first_name, 31);
            let mut l1 = format!(
                "{number}{number_cd}{nationality}{birth}{}{sex}{expiry}{}{optional}",
                cd(&birth),
                cd(&expiry)
            );
            l1.push(composite(f, &l1));
            vec![format!("{code}{state}{names}"), l1]
        }
        Format::Mrva | Format::Mrvb => {
            let (width, room) = if f == Format::Mrva { (39, 16) } else { (31, 8) };
            let number = field(f, "documentNumber", &data.document_number, 9)?;
            let optional = field(f, "optionalData", &data.optional_data, room)?;
            let names = name_field(&data.last_name, &data.first_name, width);
            let l1 = format!(
                "{number}{}{nationality}{birth}{}{sex}{expiry}{}{optional}",
                cd(&number),
                cd(&birth),
                cd(&expiry)
            );
            vec![format!("{code}{state}{names}"), l1]
        }
        Format::FrenchNationalId => {
            let number = mrz_text(&data.document_number);
            if number.chars().count() != 12 {
                return Err(GenerateError::BadShape {
                    field: "documentNumber",
                    reason: "the French card number is 12 characters: issue YYMM, department, serial",
                });
            }
            let admin = field(f, "optionalData", &data.optional_data, 6)?;
            let last = name_field(&data.last_name, "", 25);
            let first = name_field(&data.first_name, "", 14);
            let l0 = format!("{code}{state}{last}{admin}");
            let mut l1 = format!("{number}{}{first}{birth}{}{sex}", cd(&number), cd(&birth));
            let composite_data = format!("{l0}{l1}");
            l1.push(cd(&composite_data));
            vec![l0, l1]
        }
        Format::SwissDrivingLicense => {
            let number = mrz_text(&data.document_number);
            let chars: Vec<char> = number.chars().collect();
            let shape_ok = chars.len() == 7
                && chars.iter().take(3).all(|c| c.is_ascii_alphanumeric())
                && chars.iter().skip(3).take(3).all(char::is_ascii_digit)
                && matches!(chars.last(), Some('D' | 'F' | 'I' | 'R'));
            if !shape_ok {
                return Err(GenerateError::BadShape {
                    field: "documentNumber",
                    reason: "the Swiss licence number is 3 letters or digits, 3 digits and a language code (D, F, I, R)",
                });
            }
            let pin = mrz_text(&data.personal_number);
            let version = mrz_text(&data.optional_data);
            if pin.len() != 9 || !pin.chars().all(|c| c.is_ascii_digit()) {
                return Err(GenerateError::BadShape {
                    field: "personalNumber",
                    reason: "the Swiss PIN is 9 digits",
                });
            }
            if version.len() != 3 || !version.chars().all(|c| c.is_ascii_digit()) {
                return Err(GenerateError::BadShape {
                    field: "optionalData",
                    reason: "the Swiss version number is 3 digits",
                });
            }
            let names = name_field(&data.last_name, &data.first_name, 30);
            vec![
                format!("{number}<<"),
                format!("{code}{state}{pin}{version}<<{birth}<<<<<"),
                names,
            ]
        }
        Format::FrenchDrivingLicense => {
            let number = field(f, "documentNumber", &data.document_number, 9)?;
            let last = name_field(&data.last_name, "", 8);
            let head = format!("{code}{state}{number}");
            let mut l0 = format!("{head}{}{expiry}{last}", cd(&head));
            l0.push(cd(&l0));
            vec![l0]
        }
    };
    Ok(lines)
}

/// A check digit as a character (`0` for data that cannot be computed, which callers exclude).
fn cd(data: &str) -> char {
    check_digit_chars(data.chars())
        .and_then(|d| char::from_digit(u32::from(d), 10))
        .unwrap_or('0')
}

/// The composite of TD2/TD3 from the second line so far.
fn composite(format: Format, line: &str) -> char {
    let spec = format
        .checks()
        .iter()
        .find(|c| c.kind == CheckKind::Composite);
    let chars: Vec<char> = line.chars().collect();
    let data: String = spec
        .map(|s| {
            s.data
                .iter()
                .flat_map(|&(_, start, end)| chars.get(start..end).unwrap_or(&[]).iter())
                .collect()
        })
        .unwrap_or_default();
    cd(&data)
}

fn yymmdd(date: Option<Date>) -> String {
    match date {
        Some(d) => format!("{:02}{:02}{:02}", d.year % 100, d.month, d.day),
        None => "<<<<<<".to_string(),
    }
}

/// Upper case, spaces to `<`.
fn mrz_text(value: &str) -> String {
    value.to_uppercase().replace(' ', "<")
}

/// A field padded with `<` to `width`, or an error when it does not fit or is no MRZ text.
fn field(
    format: Format,
    name: &'static str,
    value: &str,
    width: usize,
) -> Result<String, GenerateError> {
    let mut text = mrz_text(value);
    if !text.chars().all(is_mrz_char) {
        return Err(GenerateError::BadCharacters {
            field: name,
            value: value.to_string(),
        });
    }
    let len = text.chars().count();
    if len > width {
        return Err(GenerateError::TooLong {
            field: name,
            format,
            len,
            max: width,
        });
    }
    text.extend(std::iter::repeat_n('<', width - len));
    Ok(text)
}

/// TD1/TD2 document number, its check digit and the optional data, with the overflow of a
/// number longer than 9 (ICAO 9303 Parts 5–6 note j): 9 characters, `<` in the check-digit
/// position, the rest of the number, its check digit (over the whole number) and a `<` in the
/// optional data.
fn overflowing_number(
    format: Format,
    data: &MrzData,
    room: usize,
) -> Result<(String, char, String), GenerateError> {
    let number = mrz_text(&data.document_number);
    if !number.chars().all(is_mrz_char) {
        return Err(GenerateError::BadCharacters {
            field: "documentNumber",
            value: data.document_number.clone(),
        });
    }
    let optional_value = transliterate_optional(&data.optional_data);
    if number.chars().count() <= 9 {
        let padded = field(format, "documentNumber", &number, 9)?;
        let optional = field(format, "optionalData", &optional_value, room)?;
        let number_cd = cd(&padded);
        return Ok((padded, number_cd, optional));
    }
    let head: String = number.chars().take(9).collect();
    let tail: String = number.chars().skip(9).collect();
    let overflow = if optional_value.is_empty() {
        format!("{tail}{}", cd(&number))
    } else {
        format!("{tail}{}<{optional_value}", cd(&number))
    };
    let len = overflow.chars().count();
    if len > room {
        return Err(GenerateError::TooLong {
            field: "documentNumber",
            format,
            len: number.chars().count(),
            max: 9 + room.saturating_sub(1),
        });
    }
    let optional = field(format, "optionalData", &overflow, room)?;
    Ok((head, '<', optional))
}

fn transliterate_optional(value: &str) -> String {
    mrz_text(value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    fn base(format: Format) -> MrzData {
        MrzData {
            format,
            document_code: "I".into(),
            issuing_state: "UTO".into(),
            last_name: "Eriksson".into(),
            first_name: "Anna Maria".into(),
            document_number: "D23145890".into(),
            nationality: "UTO".into(),
            birth_date: Date::new(1974, 8, 12),
            sex: Sex::Female,
            expiry_date: Date::new(2012, 4, 15),
            personal_number: String::new(),
            optional_data: String::new(),
            optional_data2: String::new(),
        }
    }

    #[test]
    fn icao_td1_and_td2_specimens() {
        assert_eq!(
            generate(&base(Format::Td1)).unwrap(),
            [
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
            ]
        );
        assert_eq!(
            generate(&base(Format::Td2)).unwrap(),
            [
                "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
                "D231458907UTO7408122F1204159<<<<<<<6"
            ]
        );
    }

    #[test]
    fn long_number_overflows_and_parses_back() {
        let mut data = base(Format::Td1);
        data.document_number = "D23145890734".into();
        data.optional_data = "XYZ".into();
        let lines = generate(&data).unwrap();
        assert_eq!(lines[0], "I<UTOD23145890<7349<XYZ<<<<<<<");
        let today = Date::new(2026, 1, 1).unwrap();
        let mrz = parse(&lines, today).unwrap();
        assert_eq!(mrz.document_number, "D23145890734");
        assert_eq!(mrz.optional_data, "XYZ");
        assert!(mrz.is_valid(), "{:?}", mrz.problems);
    }

    #[test]
    fn errors_when_a_field_does_not_fit() {
        let mut data = base(Format::Td3);
        data.document_number = "L898902C3X".into();
        assert!(matches!(
            generate(&data),
            Err(GenerateError::TooLong { .. })
        ));
        let mut data = base(Format::Td1);
        data.document_number = "D23145890734123451234567".into();
        assert!(matches!(
            generate(&data),
            Err(GenerateError::TooLong { .. })
        ));
        let mut data = base(Format::Td2);
        data.issuing_state = "U?O".into();
        assert!(matches!(
            generate(&data),
            Err(GenerateError::BadCharacters { .. })
        ));
        let data = base(Format::SwissDrivingLicense);
        assert!(matches!(
            generate(&data),
            Err(GenerateError::BadShape { .. })
        ));
    }
}
