//! ICAO 9303 specimens of every format (typed from Parts 4–7), the national quirks real documents
//! have, and text that is no MRZ.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test helpers: a panic is a failed test

use idverify_mrz::{CheckKind, Date, DocumentType, Format, Mrz, NotMrz, Severity, Sex, parse};

fn today() -> Date {
    Date::new(2026, 11, 27).unwrap()
}

fn ok(lines: &[&str]) -> Mrz {
    parse(lines, today()).unwrap()
}

fn errors(mrz: &Mrz) -> Vec<&'static str> {
    mrz.problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.field.as_str())
        .collect()
}

#[test]
fn td3_passport_specimen_part4() {
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]);
    assert_eq!(m.format, Format::Td3);
    assert_eq!(m.document_code, "P");
    assert_eq!(m.document_type, DocumentType::Passport);
    assert_eq!(m.issuing_state, "UTO");
    assert_eq!(m.last_name, "ERIKSSON");
    assert_eq!(m.first_name, "ANNA MARIA");
    assert_eq!(m.document_number, "L898902C3");
    assert_eq!(m.nationality, "UTO");
    assert_eq!(m.birth_date.iso(), "1974-08-12");
    assert_eq!(m.sex, Some(Sex::Female));
    assert_eq!(m.expiry_date.iso(), "2012-04-15");
    assert_eq!(m.personal_number, "ZE184226B");
    assert_eq!(m.checks.len(), 5);
    assert!(m.is_valid(), "{:?}", m.problems);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
}

#[test]
fn td1_card_specimen_part5() {
    let m = ok(&[
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]);
    assert_eq!(m.format, Format::Td1);
    assert_eq!(m.document_type, DocumentType::IdCard);
    assert_eq!(m.document_number, "D23145890");
    assert_eq!(m.optional_data, "");
    assert_eq!(m.optional_data2, "");
    assert_eq!(m.birth_date.iso(), "1974-08-12");
    assert_eq!(m.expiry_date.iso(), "2012-04-15");
    assert!(m.is_valid(), "{:?}", m.problems);
    assert_eq!(m.checks.len(), 4);
}

#[test]
fn td2_card_specimen_part6() {
    let m = ok(&[
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ]);
    assert_eq!(m.format, Format::Td2);
    assert_eq!(m.document_number, "D23145890");
    assert_eq!(m.first_name, "ANNA MARIA");
    assert!(m.is_valid(), "{:?}", m.problems);
}

#[test]
fn mrva_specimen_part7() {
    let m = ok(&[
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ]);
    assert_eq!(m.format, Format::Mrva);
    assert_eq!(m.document_type, DocumentType::Visa);
    assert_eq!(m.document_number, "L8988901C");
    assert_eq!(m.nationality, "XXX");
    assert_eq!(m.birth_date.iso(), "1940-09-07");
    assert_eq!(m.expiry_date.iso(), "1996-12-10");
    assert_eq!(m.optional_data, "6ZE184226B");
    assert!(m.check(CheckKind::Composite).is_none());
    assert!(m.is_valid(), "{:?}", m.problems);
}

#[test]
fn mrvb_specimen_part7() {
    let m = ok(&[
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    ]);
    assert_eq!(m.format, Format::Mrvb);
    assert_eq!(m.checks.len(), 3);
    assert!(m.is_valid(), "{:?}", m.problems);
}

#[test]
fn belgian_long_document_number_overflows_into_optional_data() {
    // BEL-BO-03003: check digit over the number including the `<` of the check-digit position.
    let m = ok(&[
        "IDBEL000590240<6013<<<<<<<<<<<",
        "8512017F1311048BEL851201002007",
        "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
    ]);
    assert_eq!(m.document_number, "000590240601");
    assert_eq!(m.check(CheckKind::DocumentNumber).unwrap().found, '3');
    assert_eq!(m.optional_data, "");
    assert_eq!(m.optional_data2, "85120100200");
    assert!(m.is_valid(), "{:?}", m.problems);
    // BEL-BO-11005: check digit over the number without it.
    let m = ok(&[
        "IDBEL600001795<0152<<<<<<<<<<<",
        "1301014F2311207BEL130101987398",
        "SPECIMEN<<SPECIMEN<<<<<<<<<<<<",
    ]);
    assert_eq!(m.document_number, "600001795015");
    assert!(m.is_valid(), "{:?}", m.problems);
    // A wrong digit in the overflow is caught.
    let m = ok(&[
        "IDBEL000590240<6016<<<<<<<<<<<",
        "8512017F1311048BEL851201002007",
        "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
    ]);
    assert!(!m.check(CheckKind::DocumentNumber).unwrap().holds());
    assert!(!m.is_valid());
}

#[test]
fn french_identity_card_before_2021() {
    let m = ok(&[
        "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
        "9409923102854CORINNE<<<<<<<6512068F4",
    ]);
    assert_eq!(m.format, Format::FrenchNationalId);
    assert_eq!(m.document_type, DocumentType::IdCard);
    assert_eq!(m.last_name, "BERTHIER");
    assert_eq!(m.first_name, "CORINNE");
    assert_eq!(m.document_number, "940992310285");
    assert_eq!(m.birth_date.iso(), "1965-12-06");
    assert_eq!(m.expiry_date.raw, "");
    assert_eq!(m.nationality, "");
    assert!(m.is_valid(), "{:?}", m.problems);
    let issue = m.national.iter().find(|f| f.name == "issueDate").unwrap();
    assert_eq!(issue.value, "9409");
}

#[test]
fn germany_is_d_and_an_empty_personal_number_may_have_a_filler_check_digit() {
    let m = ok(&[
        "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
        "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
    ]);
    assert_eq!(m.issuing_state, "D");
    assert_eq!(m.nationality, "D");
    assert_eq!(m.personal_number, "");
    let pn = m.check(CheckKind::PersonalNumber).unwrap();
    assert_eq!(pn.found, '<');
    assert!(pn.holds());
    assert!(m.is_valid(), "{:?}", m.problems);
    assert!(m.problems.is_empty(), "{:?}", m.problems);
}

#[test]
fn two_letter_document_codes_and_residence_permits() {
    let m = ok(&[
        "POCHNABULIKEMU<<ABULA<<<<<<<<<<<<<<<<<<<<<<<",
        "E596593216CHN9701078M2510077LAKCLCLMMBKGG932",
    ]);
    assert_eq!(m.document_code, "PO");
    assert_eq!(m.document_type, DocumentType::Passport);
    assert!(m.is_valid(), "{:?}", m.problems);
    let permit = ok(&[
        "IRUTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]);
    assert_eq!(permit.document_type, DocumentType::ResidencePermit);
}

#[test]
fn swiss_and_french_driving_licences() {
    let m = ok(&[
        "AAA001D<<",
        "FACHE305142128097<<800126<<<<<",
        "MARCHAND<<FABIENNE<<<<<<<<<<<<",
    ]);
    assert_eq!(m.format, Format::SwissDrivingLicense);
    assert_eq!(m.document_type, DocumentType::DrivingLicence);
    assert_eq!(m.document_number, "AAA001D");
    assert_eq!(m.personal_number, "305142128");
    assert_eq!(m.birth_date.iso(), "1980-01-26");
    assert!(m.checks.is_empty());
    assert!(m.is_valid(), "{:?}", m.problems);
    let m = ok(&["D1FRA13AA000026181231MARTIN<<9"]);
    assert_eq!(m.format, Format::FrenchDrivingLicense);
    assert_eq!(m.document_number, "13AA00002");
    assert_eq!(m.last_name, "MARTIN");
    assert!(m.is_valid(), "{:?}", m.problems);
}

#[test]
fn unlisted_country_is_a_warning_not_an_error() {
    let m = ok(&[
        "I<QQQD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159QQQ<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]);
    assert!(m.is_valid());
    assert_eq!(m.problems.len(), 2);
    assert!(m.problems.iter().all(|p| p.severity == Severity::Warning));
}

#[test]
fn a_date_that_is_no_day_is_invalid_and_output_empty() {
    // Month 13 with a matching check digit: the check holds, the field does not.
    let m = ok(&[
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7413122F1204159UTO<<<<<<<<<<<5",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]);
    assert_eq!(m.birth_date.raw, "741312");
    assert_eq!(m.birth_date.iso(), "");
    assert!(errors(&m).contains(&"dateOfBirth"), "{:?}", m.problems);
    assert!(!m.is_valid());
}

#[test]
fn bad_characters_make_fields_invalid() {
    let m = ok(&[
        "P<UTOERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO74O8122F1204159ZE184226B<<<<<10",
    ]);
    let e = errors(&m);
    assert!(e.contains(&"lastName"), "{e:?}");
    assert!(e.contains(&"dateOfBirth"), "{e:?}");
    assert!(!m.is_valid());
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122Q1204159ZE184226B<<<<<10",
    ]);
    assert_eq!(errors(&m), ["gender"]);
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<1?",
    ]);
    assert!(errors(&m).contains(&"compositeCheckDigit"));
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<é",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]);
    assert_eq!(errors(&m), ["lastName"]);
}

#[test]
fn text_that_is_no_mrz() {
    let t = today();
    let empty: [&str; 0] = [];
    assert_eq!(parse(&empty, t), Err(NotMrz::Empty));
    assert_eq!(parse(&[""], t), Err(NotMrz::Empty));
    assert!(matches!(parse(&["P<UTO"], t), Err(NotMrz::Shape { .. })));
    assert!(matches!(
        parse(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<1"
            ],
            t
        ),
        Err(NotMrz::Shape { .. })
    ));
    let four = ["I<UTOD231458907<<<<<<<<<<<<<<<"; 4];
    assert!(matches!(parse(&four, t), Err(NotMrz::Shape { .. })));
    assert!(matches!(
        parse(
            &[
                "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<",
                "l898902c36uto7408122f1204159ze184226b<<<<<10"
            ],
            t
        ),
        Err(NotMrz::NotMrzText { line: 1, .. })
    ));
    assert!(matches!(
        parse(
            &[
                "The quick brown fox jumps over",
                "the lazy dog, twice and again.",
                "And then it rests for a while."
            ],
            t
        ),
        Err(NotMrz::NotMrzText { .. })
    ));
    let message = parse(&["P<UTO"], t).unwrap_err().to_string();
    assert!(!message.contains('\n'));
}

#[test]
fn spaces_are_not_mrz_characters() {
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]);
    assert_eq!(errors(&m), ["lastName"]);
    let m = ok(&[
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<< 10",
    ]);
    assert!(!m.is_valid());
    assert!(errors(&m).contains(&"personalNumber"), "{:?}", m.problems);
}
