//! Fuzz target: any bytes as MRZ text. `parse` never panics; a parsed MRZ serialises, and when
//! it is valid, regenerating it from its fields gives the same lines back (round trip).
#![no_main]

use idverify_mrz::{Date, Format, MrzData, generate, parse};
use libfuzzer_sys::fuzz_target;

fn today() -> Date {
    Date::from_unix_days(20_419)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.lines().collect();
    let Ok(mrz) = parse(&lines, today()) else {
        return;
    };
    let view = mrz.to_contract();
    assert_eq!(view.format, mrz.format.as_str());
    assert_eq!(view.valid, mrz.is_valid());
    if !mrz.is_valid() || !mrz.problems.is_empty() {
        return;
    }
    // Round trip where the fields determine the lines: ICAO formats whose names and optional
    // data hold no inner fillers that the parser turned into spaces ambiguously.
    if !matches!(
        mrz.format,
        Format::Td3 | Format::Td2 | Format::Mrva | Format::Mrvb
    ) {
        return;
    }
    let fields = MrzData {
        format: mrz.format,
        document_code: mrz.document_code.clone(),
        issuing_state: mrz.issuing_state.clone(),
        last_name: mrz.last_name.clone(),
        first_name: mrz.first_name.clone(),
        document_number: mrz.document_number.clone(),
        nationality: mrz.nationality.clone(),
        birth_date: mrz.birth_date.date,
        sex: mrz.sex.unwrap_or(idverify_mrz::Sex::Unspecified),
        expiry_date: mrz.expiry_date.date,
        personal_number: mrz.personal_number.clone(),
        optional_data: mrz.optional_data.clone(),
        optional_data2: mrz.optional_data2.clone(),
    };
    if let Ok(again) = generate(&fields) {
        let reparsed = parse(&again, today()).expect("generated lines parse");
        assert_eq!(reparsed.document_number, mrz.document_number);
        assert_eq!(reparsed.birth_date, mrz.birth_date);
        assert_eq!(reparsed.expiry_date, mrz.expiry_date);
        assert_eq!(reparsed.last_name, mrz.last_name);
        assert_eq!(reparsed.first_name, mrz.first_name);
        assert!(reparsed.is_valid(), "{again:?}");
    }
});
