//! The document check end to end on text: a clean card and a clean passport are approved with
//! no concern, and each fault injected alone yields exactly its concern and status.

// A test binary: a panic here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use idverify_check::{
    CheckInput, ImageQuality, Policy, SideInput, TextLine, assess, assess::Assessment,
};
use idverify_mrz::{Date, Format, MrzData, Sex, generate, parse};
use idverify_wire::Decision;

fn today() -> Date {
    Date::new(2026, 11, 27).unwrap()
}

/// A holder and document, printed form.
#[derive(Clone)]
struct Doc {
    format: Format,
    code: &'static str,
    state: &'static str,
    surname: String,
    given: String,
    number: String,
    nationality: &'static str,
    printed_nationality: &'static str,
    birth: Date,
    expiry: Date,
    sex: Sex,
    personal: &'static str,
    place_of_birth: &'static str,
}

fn willeke() -> Doc {
    Doc {
        format: Format::Td1,
        code: "I",
        state: "NLD",
        surname: "De Bruijn".into(),
        given: "Willeke Liselotte".into(),
        number: "SPECI2021".into(),
        nationality: "NLD",
        printed_nationality: "Nederlandse",
        birth: Date::new(1965, 3, 10).unwrap(),
        expiry: Date::new(2031, 8, 2).unwrap(),
        sex: Sex::Female,
        personal: "999999990",
        place_of_birth: "Specimen",
    }
}

fn anna() -> Doc {
    Doc {
        format: Format::Td3,
        code: "P",
        state: "UTO",
        surname: "Eriksson".into(),
        given: "Anna María".into(),
        number: "L898902C3".into(),
        nationality: "UTO",
        printed_nationality: "UTO",
        birth: Date::new(1974, 8, 12).unwrap(),
        expiry: Date::new(2032, 4, 15).unwrap(),
        sex: Sex::Female,
        personal: "ZE184226B",
        place_of_birth: "Zenith",
    }
}

fn mrz_lines(d: &Doc) -> Vec<String> {
    let td1 = d.format == Format::Td1;
    generate(&MrzData {
        format: d.format,
        document_code: d.code.into(),
        issuing_state: d.state.into(),
        last_name: d.surname.clone(),
        first_name: d.given.clone(),
        document_number: d.number.clone(),
        nationality: d.nationality.into(),
        birth_date: Some(d.birth),
        sex: d.sex,
        expiry_date: Some(d.expiry),
        personal_number: if td1 {
            String::new()
        } else {
            d.personal.into()
        },
        optional_data: if td1 {
            d.personal.into()
        } else {
            String::new()
        },
        optional_data2: String::new(),
    })
    .unwrap()
}

const MONTHS: [&str; 12] = [
    "JAN/JAN", "FEB/FEB", "MAR/MRT", "APR/APR", "MAY/MEI", "JUN/JUN", "JUL/JUL", "AUG/AUG",
    "SEP/SEP", "OCT/OKT", "NOV/NOV", "DEC/DEC",
];

fn printed_date(d: Date) -> String {
    format!(
        "{:02} {} {}",
        d.day,
        MONTHS[usize::from(d.month - 1)],
        d.year
    )
}

/// The printed zone: bilingual labels with the value in the box below.
fn printed_lines(d: &Doc) -> Vec<TextLine> {
    let sex = match d.sex {
        Sex::Female => "V/F",
        Sex::Male => "M/M",
        Sex::Unspecified => "X/X",
    };
    let fields: [(&str, String); 9] = [
        ("Naam / Surname", d.surname.clone()),
        ("Voornamen / Given names", d.given.clone()),
        (
            "Nationaliteit / Nationality",
            d.printed_nationality.to_string(),
        ),
        ("Geboortedatum / Date of birth", printed_date(d.birth)),
        (
            "Geboorteplaats / Place of birth",
            d.place_of_birth.to_string(),
        ),
        ("Geslacht / Sex", sex.to_string()),
        ("Documentnummer / Document no", d.number.clone()),
        ("Vervaldatum / Date of expiry", printed_date(d.expiry)),
        ("Persoonsnummer / Personal no", d.personal.to_string()),
    ];
    let mut lines = vec![TextLine::new(
        "KONINKRIJK DER NEDERLANDEN",
        (200.0, 20.0, 400.0, 24.0),
    )];
    for (i, (label, value)) in fields.iter().enumerate() {
        let y = 70.0 + 44.0 * i as f32;
        lines.push(TextLine::new(*label, (300.0, y, 220.0, 12.0)));
        lines.push(TextLine::new(value.clone(), (301.0, y + 15.0, 240.0, 18.0)));
    }
    lines
}

fn good_quality() -> ImageQuality {
    ImageQuality {
        width: 1000,
        height: 630,
        sharpness: 1500.0,
        glare_over_mrz: 0.0,
    }
}

fn side(lines: Vec<TextLine>, mrz: Option<Vec<String>>) -> SideInput {
    SideInput {
        lines,
        mrz: mrz.map(|l| parse(&l, today()).unwrap()),
        quality: Some(good_quality()),
    }
}

/// A card: printed zone on the front, MRZ on the back. A passport: both on the front.
fn input(printed: &Doc, mrz: Vec<String>) -> CheckInput {
    if printed.format == Format::Td1 {
        CheckInput {
            front: side(printed_lines(printed), None),
            back: Some(side(Vec::new(), Some(mrz))),
        }
    } else {
        CheckInput {
            front: side(printed_lines(printed), Some(mrz)),
            back: None,
        }
    }
}

fn run(input: &CheckInput) -> Assessment {
    assess(input, &Policy::default(), today())
}

fn ids(a: &Assessment) -> Vec<&str> {
    a.results.concerns.iter().map(|c| c.id.as_str()).collect()
}

/// Exactly the summary and one concern `id`, all with `status`.
fn assert_single(a: &Assessment, id: &str, status: Decision) {
    assert_eq!(ids(a), ["DC023", id], "{:#?}", a.results.concerns);
    assert_eq!(a.results.concerns[0].message, "Found 1 issue(s).");
    assert!(a.results.concerns.iter().all(|c| c.status == status));
    assert!(a.results.concerns.iter().all(|c| c.service == "doc-check"));
    assert_eq!(a.results.status, status);
    assert_eq!(a.check.status, status);
    assert_eq!(a.check.comment, "Found 1 issue(s).");
}

#[test]
fn clean_card_is_approved_with_no_concern() {
    let d = willeke();
    let a = run(&input(&d, mrz_lines(&d)));
    assert_eq!(a.results.status, Decision::Approved);
    assert!(a.results.concerns.is_empty(), "{:#?}", a.results.concerns);
    assert_eq!(a.check.name, "docCheck");
    assert_eq!(a.check.comment, "No issues found.");
    let cats: Vec<&str> = a
        .document_data_checking
        .iter()
        .map(|r| r.category.as_str())
        .collect();
    assert_eq!(
        cats,
        [
            "Document number",
            "Surname",
            "Given names",
            "Date of birth",
            "Date of expiry",
            "Sex",
            "Nationality"
        ]
    );
    assert!(
        a.document_data_checking
            .iter()
            .all(|r| r.equal && r.valid && r.status == Decision::Approved)
    );
    let at = &a.attributes;
    assert_eq!(at.document_type, "id-card");
    assert_eq!(
        (at.first_name.as_str(), at.original_first_name.as_str()),
        ("WILLEKE LISELOTTE", "Willeke Liselotte")
    );
    assert_eq!(
        (at.last_name.as_str(), at.original_last_name.as_str()),
        ("DE BRUIJN", "De Bruijn")
    );
    assert_eq!(at.document_numbers[0].value, "SPECI2021");
    assert_eq!(at.document_numbers[0].kind, "document-number");
    assert_eq!(at.id_number, "999999990");
    assert_eq!(at.gender, "female");
    assert_eq!(
        (at.nationality.as_str(), at.issue_country.as_str()),
        ("NLD", "NLD")
    );
    assert_eq!(
        (at.date_of_birth.as_str(), at.date_of_expiry.as_str()),
        ("1965-03-10", "2031-08-02")
    );
    assert_eq!(at.place_of_birth, "Specimen");
    let mrz = a.mrz.as_ref().unwrap();
    assert_eq!((mrz.format.as_str(), mrz.valid), ("TD1", true));
}

#[test]
fn clean_passport_is_approved_with_no_concern() {
    let d = anna();
    let a = run(&input(&d, mrz_lines(&d)));
    assert_eq!(
        a.results.status,
        Decision::Approved,
        "{:#?}",
        a.results.concerns
    );
    assert!(a.results.concerns.is_empty());
    assert_eq!(a.document_data_checking.len(), 7);
    assert_eq!(a.attributes.document_type, "passport");
    assert_eq!(a.attributes.first_name, "ANNA MARIA");
    assert_eq!(a.attributes.original_first_name, "Anna María");
    assert_eq!(a.attributes.id_number, "ZE184226B");
}

#[test]
fn expired() {
    let mut d = willeke();
    d.expiry = Date::new(2026, 11, 26).unwrap();
    let a = run(&input(&d, mrz_lines(&d)));
    assert_single(&a, "DC010", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Document expired on 2026-11-26."
    );
    // Expiring today is not expired.
    d.expiry = today();
    assert!(run(&input(&d, mrz_lines(&d))).results.concerns.is_empty());
}

#[test]
fn under_age() {
    let mut d = anna();
    d.birth = Date::new(2008, 11, 28).unwrap();
    let a = run(&input(&d, mrz_lines(&d)));
    assert_single(&a, "DC011", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Holder is under the minimum age of 18."
    );
    // Eighteen today is old enough.
    d.birth = Date::new(2008, 11, 27).unwrap();
    assert!(run(&input(&d, mrz_lines(&d))).results.concerns.is_empty());
    // A policy of 21.
    let policy = Policy {
        minimum_age: 21,
        ..Policy::default()
    };
    d.birth = Date::new(2005, 12, 1).unwrap();
    let a = assess(&input(&d, mrz_lines(&d)), &policy, today());
    assert_single(&a, "DC011", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Holder is under the minimum age of 21."
    );
}

#[test]
fn birth_date_changed_in_the_printed_zone_only() {
    let d = willeke();
    let mut printed = d.clone();
    printed.birth = Date::new(1965, 3, 11).unwrap();
    let a = run(&input(&printed, mrz_lines(&d)));
    assert_single(&a, "DC030", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Fields from ocr and mrz have conflict: 1965-03-10, 1965-03-11"
    );
    let row = a
        .document_data_checking
        .iter()
        .find(|r| r.category == "Date of birth")
        .unwrap();
    assert_eq!(
        (row.equal, row.valid, row.status),
        (false, false, Decision::Declined)
    );
    // The attributes keep the MRZ's reading.
    assert_eq!(a.attributes.date_of_birth, "1965-03-10");
}

#[test]
fn mrz_birth_date_changed_gives_the_guides_example() {
    // The guide's example: the MRZ says 1965-03-10 but its check digit fails, the printed zone
    // says 2022-03-10: one DC030 with two issues.
    let d = willeke();
    let mut printed = d.clone();
    printed.birth = Date::new(2022, 3, 10).unwrap();
    printed.expiry = d.expiry;
    let mut lines = mrz_lines(&d);
    // Line 2 of a TD1 starts with YYMMDD and its check digit: break the check digit.
    let cd = lines[1].as_bytes()[6] as char;
    let wrong = if cd == '0' { '1' } else { '0' };
    lines[1].replace_range(6..7, &wrong.to_string());
    let policy = Policy {
        minimum_age: 0,
        ..Policy::default()
    };
    let a = assess(&input(&printed, lines), &policy, today());
    assert_eq!(ids(&a), ["DC023", "DC030"], "{:#?}", a.results.concerns);
    assert_eq!(a.results.concerns[0].message, "Found 2 issue(s).");
    assert_eq!(
        a.results.concerns[1].message,
        "Fields from ocr and mrz have conflict: 1965-03-10, 2022-03-10, Checksum is not valid"
    );
    assert_eq!(a.results.status, Decision::Declined);
    assert_eq!(a.check.comment, "Found 2 issue(s).");
    let row = a
        .document_data_checking
        .iter()
        .find(|r| r.category == "Date of birth")
        .unwrap();
    assert_eq!(
        (row.mrz.as_str(), row.ocr.as_str()),
        ("1965-03-10", "2022-03-10")
    );
    assert_eq!((row.equal, row.valid), (false, false));
}

#[test]
fn an_mrz_digit_changed() {
    // A digit of the MRZ's birth date changed, check digit left: the MRZ disagrees with the
    // printed zone and its check digit fails.
    let d = anna();
    let mut lines = mrz_lines(&d);
    // TD3 line 2: birth date at 13..19.
    lines[1].replace_range(18..19, "3");
    let a = run(&input(&d, lines));
    assert_eq!(ids(&a), ["DC023", "DC030"], "{:#?}", a.results.concerns);
    assert_eq!(
        a.results.concerns[1].message,
        "Fields from ocr and mrz have conflict: 1974-08-13, 1974-08-12, Checksum is not valid"
    );
    assert_eq!(a.results.concerns[0].message, "Found 2 issue(s).");
    assert_eq!(a.results.status, Decision::Declined);
}

#[test]
fn a_check_digit_changed() {
    // The check digit itself is wrong; every field agrees with the printed zone.
    let d = anna();
    let mut lines = mrz_lines(&d);
    let cd = lines[1].as_bytes()[9] as char; // document number check digit
    lines[1].replace_range(9..10, if cd == '0' { "1" } else { "0" });
    let a = run(&input(&d, lines));
    assert_single(&a, "DC002", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Check digit of the document number is not valid."
    );
    let row = a
        .document_data_checking
        .iter()
        .find(|r| r.category == "Document number")
        .unwrap();
    assert_eq!(
        (row.equal, row.valid, row.status),
        (true, false, Decision::Declined)
    );
}

#[test]
fn only_the_composite_check_digit_fails() {
    let d = anna();
    let mut lines = mrz_lines(&d);
    let cd = lines[1].as_bytes()[43] as char;
    lines[1].replace_range(43..44, if cd == '0' { "1" } else { "0" });
    let a = run(&input(&d, lines));
    assert_single(&a, "DC002", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Check digit of the whole zone (composite) is not valid."
    );
}

#[test]
fn surname_changed_in_the_printed_zone() {
    let d = willeke();
    let mut printed = d.clone();
    printed.surname = "De Bruyn".into();
    let a = run(&input(&printed, mrz_lines(&d)));
    assert_single(&a, "DC030", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Fields from ocr and mrz have conflict: DE BRUIJN, De Bruyn"
    );
    assert_eq!(a.attributes.original_last_name, "De Bruyn");
    assert_eq!(a.attributes.last_name, "DE BRUIJN");
}

#[test]
fn back_of_another_document() {
    let d = willeke();
    let other = Doc {
        surname: "Jansen".into(),
        given: "Pieter".into(),
        number: "NX4R9T2K1".into(),
        birth: Date::new(1980, 6, 1).unwrap(),
        sex: Sex::Male,
        ..willeke()
    };
    let a = run(&input(&d, mrz_lines(&other)));
    assert_single(&a, "DC031", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Front and back are from different documents: document number, surname, given names, date of birth, sex differ."
    );
}

#[test]
fn two_mrzs_of_different_documents() {
    let d = anna();
    let other = Doc {
        number: "X12345678".into(),
        ..anna()
    };
    let mut i = input(&d, mrz_lines(&d));
    i.back = Some(side(Vec::new(), Some(mrz_lines(&other))));
    let a = run(&i);
    assert_single(&a, "DC031", Decision::Declined);
}

#[test]
fn tiny_image() {
    let d = willeke();
    let mut i = input(&d, mrz_lines(&d));
    i.front.quality = Some(ImageQuality {
        width: 200,
        height: 126,
        sharpness: 3.0,
        ..good_quality()
    });
    let a = run(&i);
    assert_single(&a, "DC020", Decision::NeedsReview);
    assert_eq!(
        a.results.concerns[1].message,
        "The front image is too small (200x126 px)."
    );
}

#[test]
fn an_unusable_image_explains_what_could_not_be_read() {
    // A tiny front whose MRZ was misread (a check digit fails, the birth date disagrees with
    // the printed zone) and the MRZ not found on a tiny card back: only the image's concern.
    let d = anna();
    let mut lines = mrz_lines(&d);
    lines[1].replace_range(18..19, "3");
    let mut i = input(&d, lines);
    i.front.quality = Some(ImageQuality {
        width: 200,
        height: 120,
        ..good_quality()
    });
    let a = run(&i);
    assert_single(&a, "DC020", Decision::NeedsReview);
    // The row still shows the disagreement, at the image's status.
    let row = a
        .document_data_checking
        .iter()
        .find(|r| r.category == "Date of birth")
        .unwrap();
    assert!(!row.equal);
    assert_eq!(row.status, Decision::NeedsReview);
    // Expiry still counts: a valid MRZ read from a small image is still expired.
    let mut old = willeke();
    old.expiry = Date::new(2020, 1, 1).unwrap();
    let mut i = input(&old, mrz_lines(&old));
    i.back.as_mut().unwrap().mrz = None;
    i.back.as_mut().unwrap().quality = Some(ImageQuality {
        sharpness: 1.0,
        ..good_quality()
    });
    assert_eq!(ids(&run(&i)), ["DC023", "DC010", "DC021"]);
    // When the policy switches the image rule off, the reading's concerns come back.
    let mut policy = Policy::default();
    policy
        .status_overrides
        .insert("DC021".into(), Decision::Approved);
    let a = assess(&i, &policy, today());
    assert_eq!(ids(&a), ["DC023", "DC001", "DC010"]);
}

#[test]
fn blurred_image() {
    let d = willeke();
    let mut i = input(&d, mrz_lines(&d));
    i.back.as_mut().unwrap().quality = Some(ImageQuality {
        sharpness: 4.5,
        ..good_quality()
    });
    let a = run(&i);
    assert_single(&a, "DC021", Decision::NeedsReview);
    assert_eq!(
        a.results.concerns[1].message,
        "The back image is too blurred."
    );
    i.back.as_mut().unwrap().quality = Some(ImageQuality {
        sharpness: f64::NAN,
        ..good_quality()
    });
    assert_single(&run(&i), "DC021", Decision::NeedsReview);
}

#[test]
fn glare_over_the_mrz() {
    let d = anna();
    let mut i = input(&d, mrz_lines(&d));
    i.front.quality = Some(ImageQuality {
        glare_over_mrz: 0.4,
        ..good_quality()
    });
    let a = run(&i);
    assert_single(&a, "DC022", Decision::NeedsReview);
    assert_eq!(
        a.results.concerns[1].message,
        "Glare covers 40% of the MRZ on the front image."
    );
}

#[test]
fn glare_is_no_concern_on_a_side_without_an_mrz() {
    // Issue 17: a card's front (no MRZ) measured "glare" over a band of its printed text and
    // was sent to retake forever. Glare is an MRZ measure: only the MRZ's side has it.
    let d = willeke();
    let mut i = input(&d, mrz_lines(&d));
    assert!(i.front.mrz.is_none() && i.back.as_ref().unwrap().mrz.is_some());
    i.front.quality = Some(ImageQuality {
        glare_over_mrz: 0.5,
        ..good_quality()
    });
    let a = run(&i);
    assert!(a.results.concerns.is_empty(), "{:#?}", a.results.concerns);
    // The back, whose MRZ was read, still gets it, naming its side.
    i.back.as_mut().unwrap().quality = Some(ImageQuality {
        glare_over_mrz: 0.5,
        ..good_quality()
    });
    let a = run(&i);
    assert_single(&a, "DC022", Decision::NeedsReview);
    assert_eq!(
        a.results.concerns[1].message,
        "Glare covers 50% of the MRZ on the back image."
    );
}

#[test]
fn an_mrz_read_too_damaged_is_a_retake_not_a_decline() {
    // Three check digits failing at once is a photo the reader could not read, not a forgery:
    // DC004 (needs-review, retake), no DC002 and nothing judged on the reading.
    let d = anna();
    let mut lines = mrz_lines(&d);
    let bump = |c: u8| if c == b'9' { '0' } else { char::from(c + 1) };
    for col in [9, 19, 27] {
        let old = lines[1].as_bytes()[col];
        lines[1].replace_range(col..col + 1, &bump(old).to_string());
    }
    let a = run(&input(&d, lines.clone()));
    assert_single(&a, "DC004", Decision::NeedsReview);
    // The reading is shown (not valid); nothing was compared on it.
    assert_eq!(a.mrz.as_ref().map(|m| m.valid), Some(false));
    assert!(a.document_data_checking.is_empty());
    // One failing check digit is the document's: declined with DC002.
    let mut one = mrz_lines(&d);
    let old = one[1].as_bytes()[9];
    one[1].replace_range(9..10, &bump(old).to_string());
    let a = run(&input(&d, one));
    assert_eq!(a.results.status, Decision::Declined);
    assert!(!ids(&a).contains(&"DC004"), "{:?}", ids(&a));
}

#[test]
fn no_mrz_found() {
    let d = willeke();
    let mut i = input(&d, mrz_lines(&d));
    i.back.as_mut().unwrap().mrz = None;
    let a = run(&i);
    assert_single(&a, "DC001", Decision::NeedsReview);
    assert!(a.mrz.is_none());
    assert!(a.document_data_checking.is_empty());
    // The attributes come from the printed zone.
    assert_eq!(a.attributes.last_name, "DE BRUIJN");
    assert_eq!(a.attributes.original_last_name, "De Bruijn");
    assert_eq!(a.attributes.date_of_birth, "1965-03-10");
    assert_eq!(a.attributes.nationality, "NLD");
    assert_eq!(a.attributes.document_type, "unknown");
    // And the expiry rule still applies, from the printed date.
    let mut old = willeke();
    old.expiry = Date::new(2020, 1, 1).unwrap();
    let mut i = input(&old, mrz_lines(&old));
    i.back.as_mut().unwrap().mrz = None;
    assert_eq!(ids(&run(&i)), ["DC023", "DC001", "DC010"]);
}

#[test]
fn printed_zone_not_read() {
    let d = anna();
    let mut i = input(&d, mrz_lines(&d));
    i.front.lines.clear();
    let a = run(&i);
    assert_single(&a, "DC032", Decision::NeedsReview);
    assert_eq!(a.attributes.original_first_name, "");
    assert_eq!(a.attributes.first_name, "ANNA MARIA");
}

#[test]
fn document_type_not_accepted() {
    let d = anna();
    let policy = Policy {
        accepted_document_types: vec![idverify_check::DocumentType::IdCard],
        ..Policy::default()
    };
    let a = assess(&input(&d, mrz_lines(&d)), &policy, today());
    assert_single(&a, "DC012", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Document type passport is not accepted."
    );
}

#[test]
fn issuing_country_not_accepted() {
    let d = willeke();
    let policy = Policy {
        accepted_issuing_countries: vec!["D".into(), "FRA".into()],
        ..Policy::default()
    };
    let a = assess(&input(&d, mrz_lines(&d)), &policy, today());
    assert_single(&a, "DC013", Decision::Declined);
    assert_eq!(
        a.results.concerns[1].message,
        "Issuing country NLD is not accepted."
    );
}

#[test]
fn malformed_mrz_field() {
    let d = anna();
    let mut lines = mrz_lines(&d);
    // Nationality `UTO` → `U7O`: not a code.
    lines[1].replace_range(11..12, "7");
    let a = run(&input(&d, lines));
    assert!(ids(&a).contains(&"DC003"), "{:#?}", a.results.concerns);
    assert_eq!(a.results.status, Decision::Declined);
}

#[test]
fn policy_overrides() {
    let d = willeke();
    let mut i = input(&d, mrz_lines(&d));
    i.back.as_mut().unwrap().mrz = None;
    let mut policy = Policy::default();
    policy
        .status_overrides
        .insert("DC001".into(), Decision::Declined);
    let a = assess(&i, &policy, today());
    assert_single(&a, "DC001", Decision::Declined);
    // `approved` switches a rule off.
    policy
        .status_overrides
        .insert("DC001".into(), Decision::Approved);
    let a = assess(&i, &policy, today());
    assert!(a.results.concerns.is_empty());
    assert_eq!(a.results.status, Decision::Approved);
}

#[test]
fn several_faults_roll_up_worst_of() {
    let mut d = willeke();
    d.expiry = Date::new(2025, 1, 1).unwrap();
    let mut i = input(&d, mrz_lines(&d));
    i.front.quality = Some(ImageQuality {
        sharpness: 1.0,
        ..good_quality()
    });
    let a = run(&i);
    assert_eq!(ids(&a), ["DC023", "DC010", "DC021"]);
    assert_eq!(a.results.concerns[0].message, "Found 2 issue(s).");
    assert_eq!(a.results.concerns[0].status, Decision::Declined);
    assert_eq!(a.results.concerns[2].status, Decision::NeedsReview);
    assert_eq!(a.results.status, Decision::Declined);
}

#[test]
fn truncated_names_agree_with_their_printed_form() {
    let mut d = anna();
    d.surname = "Vandenbroucke-Delacroix Oostenrijk".into();
    d.given = "Maximiliaan Alexander Constantijn".into();
    let lines = mrz_lines(&d);
    assert!(
        !lines[0].ends_with('<'),
        "the name field must be full: {}",
        lines[0]
    );
    let a = run(&input(&d, lines));
    assert!(a.results.concerns.is_empty(), "{:#?}", a.results.concerns);
}

#[test]
fn the_result_serialises_to_the_contract_shape() {
    let d = willeke();
    let a = run(&input(&d, mrz_lines(&d)));
    let result = a.into_result(Vec::new(), Default::default());
    let v = serde_json::to_value(&result).unwrap();
    assert_eq!(v["results"]["status"], "approved");
    assert_eq!(v["checks"][0]["name"], "docCheck");
    assert_eq!(v["status"], "done");
    assert_eq!(v["attributes"]["originalFirstName"], "Willeke Liselotte");
    assert_eq!(v["documentDataChecking"][0]["category"], "Document number");
    assert_eq!(v["mrz"]["format"], "TD1");
}

mod properties {
    use super::*;
    use idverify_check::concerns::CATALOGUE;
    use proptest::prelude::*;

    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
    const SOUP: [&str; 22] = [
        "Surname",
        "Nom",
        "Date of birth",
        "12.12.1982",
        "Sex",
        "F",
        "/",
        "1.",
        "Given names",
        "Anna",
        "Document No.",
        "L898902C3",
        "Nationality",
        "UTO",
        "Date of expiry",
        "12 DEC 82",
        "<<<",
        "Place of birth",
        "Zenith",
        ":",
        "Eriksson",
        "10 MAR 2040",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Whatever is read, the assessment holds together: the roll-up is worst-of, the
        /// summary leads and counts, every code is in the catalogue.
        #[test]
        fn the_assessment_is_always_consistent(
            corruptions in proptest::collection::vec((0usize..2, 0usize..44, 0usize..37), 0..4),
            picks in proptest::collection::vec((0usize..22, 0usize..3, 0f32..400.0, 0f32..400.0), 0..14),
            has_mrz in any::<bool>(),
            sharpness in 0f64..2000.0,
            side in 100u32..2000,
            glare in 0f64..1.0,
        ) {
            let d = anna();
            let mut lines = mrz_lines(&d);
            for (l, c, a) in corruptions {
                let ch = ALPHABET[a] as char;
                lines[l].replace_range(c..c + 1, &ch.to_string());
            }
            let printed: Vec<TextLine> = picks
                .iter()
                .map(|(w, n, x, y)| {
                    let text = (0..=*n).map(|k| SOUP[(w + k) % SOUP.len()]).collect::<Vec<_>>().join(" ");
                    TextLine::new(text, (*x, *y, 90.0, 12.0))
                })
                .collect();
            let input = CheckInput {
                front: SideInput {
                    lines: printed,
                    mrz: has_mrz.then(|| parse(&lines, today()).unwrap()),
                    quality: Some(ImageQuality { width: side, height: side * 2 / 3, sharpness, glare_over_mrz: glare }),
                },
                back: None,
            };
            let a = run(&input);
            let concerns = &a.results.concerns;
            prop_assert_eq!(a.results.status, a.check.status);
            prop_assert_eq!(a.results.status, Decision::worst(concerns.iter().map(|c| c.status)));
            for c in concerns {
                prop_assert!(CATALOGUE.iter().any(|e| e.id == c.id), "{}", c.id);
                prop_assert_eq!(c.service.as_str(), "doc-check");
                prop_assert!(c.status != Decision::Approved && c.status != Decision::Pending);
            }
            if concerns.is_empty() {
                prop_assert_eq!(a.check.comment.as_str(), "No issues found.");
                prop_assert_eq!(a.results.status, Decision::Approved);
            } else {
                prop_assert_eq!(concerns[0].id.as_str(), "DC023");
                prop_assert_eq!(&concerns[0].message, &a.check.comment);
                prop_assert_eq!(concerns[0].status, Decision::worst(concerns[1..].iter().map(|c| c.status)));
                prop_assert!(concerns[1..].iter().all(|c| c.id != "DC023"));
                let n: usize = a.check.comment.trim_start_matches("Found ").trim_end_matches(" issue(s).").parse().unwrap();
                prop_assert!(n >= concerns.len() - 1);
            }
            prop_assert_eq!(a.mrz.is_some(), has_mrz);
        }
    }
}

#[test]
fn a_holder_born_a_century_back_takes_the_printed_century() {
    // The MRZ's `110101` reads 2011 (a birth date is never in the future); the printed
    // `01 JAN 1911` says which century: no conflict, not under age.
    let mut d = anna();
    d.birth = Date::new(1911, 1, 1).unwrap();
    let a = run(&input(&d, mrz_lines(&d)));
    assert!(a.results.concerns.is_empty(), "{:#?}", a.results.concerns);
    assert_eq!(a.attributes.date_of_birth, "1911-01-01");
    let row = a
        .document_data_checking
        .iter()
        .find(|r| r.category == "Date of birth")
        .unwrap();
    assert!(row.equal, "{row:?}");
    // Without a printed birth date the MRZ's rule stands: 2011, under age.
    let mut no_date = input(&d, mrz_lines(&d));
    no_date
        .front
        .lines
        .retain(|l| !l.text.contains("1911") && !l.text.contains("Date of birth"));
    let a = run(&no_date);
    assert_eq!(a.attributes.date_of_birth, "2011-01-01");
    assert!(ids(&a).contains(&"DC011"), "{:?}", ids(&a));
}

#[test]
fn a_visas_own_number_is_not_the_passports() {
    // An MRV-A's MRZ carries the passport number; the printed `Document no` is the visa's.
    let mut d = anna();
    d.format = Format::Mrva;
    d.code = "V";
    let mut printed = d.clone();
    printed.number = "M123889546".into();
    let a = run(&input(&printed, mrz_lines(&d)));
    // The default policy takes no visas (DC012); no conflict beside it.
    assert_eq!(ids(&a), ["DC023", "DC012"]);
    assert!(
        !a.document_data_checking
            .iter()
            .any(|r| r.category == "Document number")
    );
    // The passport number printed on the visa agrees and is compared.
    let a = run(&input(&d, mrz_lines(&d)));
    assert!(
        a.document_data_checking
            .iter()
            .any(|r| r.category == "Document number" && r.equal)
    );
}
