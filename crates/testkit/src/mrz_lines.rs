//! The MRZ lines of a specimen, generated from its data by the MRZ crate (`idverify_mrz`).

use crate::Error;
use crate::spec::{DocFormat, Sex, SpecimenSpec};
use idverify_mrz::{Format, MrzData, generate};

/// ICAO 9303 Part 3 transliteration of a printed name to the MRZ alphabet, re-exported from
/// `idverify_mrz`.
pub use idverify_mrz::transliterate;

/// The MRZ lines `spec` prints: its `mrz_override` if set, else lines generated from its data.
///
/// ```
/// use idverify_testkit::{mrz_lines, SpecimenSpec, DocFormat, ChaCha8Rng, rand::SeedableRng};
/// let spec = SpecimenSpec::random_of(DocFormat::Td2, &mut ChaCha8Rng::seed_from_u64(3));
/// let lines = mrz_lines(&spec).unwrap();
/// assert_eq!(lines.len(), 2);
/// assert!(lines.iter().all(|l| l.len() == 36));
/// ```
pub fn mrz_lines(spec: &SpecimenSpec) -> Result<Vec<String>, Error> {
    if let Some(lines) = &spec.mrz_override {
        return Ok(lines.clone());
    }
    generate(&mrz_data(spec)?).map_err(|e| Error::Mrz(e.to_string()))
}

/// The MRZ crate's input for `spec`: the true data, never the printed overrides.
pub fn mrz_data(spec: &SpecimenSpec) -> Result<MrzData, Error> {
    let date = |d: crate::Date| {
        idverify_mrz::Date::new(d.year(), d.month(), d.day())
            .ok_or_else(|| Error::Mrz(format!("date {d} out of the MRZ range")))
    };
    let personal = spec.personal_number.clone().unwrap_or_default();
    // The personal number sits in the TD3 personal-number field, and in the optional data of
    // cards; visas carry none.
    let (personal_number, optional_data) = match spec.format {
        DocFormat::Td3 => (personal, String::new()),
        DocFormat::Td1 | DocFormat::Td2 => (String::new(), personal),
        DocFormat::Mrva | DocFormat::Mrvb => (String::new(), String::new()),
        // The administrative code: the department and office of issue, derived from the
        // card number (`YYMM` + department + serial) so that the spec stays the only input.
        DocFormat::FrenchId => {
            let dept: String = spec.document_number.chars().skip(4).take(3).collect();
            let office: String = spec.document_number.chars().skip(9).take(3).collect();
            (String::new(), format!("{dept}{office}"))
        }
    };
    Ok(MrzData {
        format: match spec.format {
            DocFormat::Td1 => Format::Td1,
            DocFormat::Td2 => Format::Td2,
            DocFormat::Td3 => Format::Td3,
            DocFormat::Mrva => Format::Mrva,
            DocFormat::Mrvb => Format::Mrvb,
            DocFormat::FrenchId => Format::FrenchNationalId,
        },
        document_code: spec.format.document_code().to_owned(),
        issuing_state: spec.issuing_state.clone(),
        last_name: spec.surname.clone(),
        first_name: spec.given_names.clone(),
        document_number: spec.document_number.clone(),
        nationality: spec.nationality.clone(),
        birth_date: Some(date(spec.birth_date)?),
        sex: match spec.sex {
            Sex::M => idverify_mrz::Sex::Male,
            Sex::F => idverify_mrz::Sex::Female,
            Sex::X => idverify_mrz::Sex::Unspecified,
        },
        expiry_date: Some(date(spec.expiry_date)?),
        personal_number,
        optional_data,
        optional_data2: String::new(),
    })
}
