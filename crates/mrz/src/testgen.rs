//! Test-only: proptest strategies of well-formed MRZ fields for every format.

use proptest::prelude::*;

use crate::date::Date;
use crate::format::Format;
use crate::generate::MrzData;
use crate::parse::Sex;

/// The `today` of the tests.
pub(crate) fn today() -> Date {
    Date {
        year: 2026,
        month: 11,
        day: 27,
    }
}

fn word(max: usize) -> BoxedStrategy<String> {
    proptest::string::string_regex(&format!("[A-Z]{{1,{max}}}"))
        .map(|s| s.boxed())
        .unwrap_or_else(|_| Just(String::new()).boxed())
}

fn alnum(min: usize, max: usize) -> BoxedStrategy<String> {
    proptest::string::string_regex(&format!("[A-Z0-9]{{{min},{max}}}"))
        .map(|s| s.boxed())
        .unwrap_or_else(|_| Just(String::new()).boxed())
}

fn digits(n: usize) -> BoxedStrategy<String> {
    proptest::string::string_regex(&format!("[0-9]{{{n}}}"))
        .map(|s| s.boxed())
        .unwrap_or_else(|_| Just(String::new()).boxed())
}

/// One or two words, joined by a space, at most `max` characters in all.
fn name(max: usize) -> impl Strategy<Value = String> {
    let half = (max.saturating_sub(1) / 2).max(1);
    prop_oneof![
        word(max.min(12)).boxed(),
        (word(half.min(8)), word(half.min(8)))
            .prop_map(|(a, b)| format!("{a} {b}"))
            .boxed(),
    ]
    .prop_filter("fits", move |n| n.len() <= max)
}

fn date(years: std::ops::RangeInclusive<u16>) -> impl Strategy<Value = Date> {
    (years, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

fn birth() -> impl Strategy<Value = Date> {
    date(1927..=2025)
}

fn expiry() -> impl Strategy<Value = Date> {
    date(1970..=2069)
}

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female), Just(Sex::Unspecified)]
}

fn country() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "UTO", "D", "GBR", "NLD", "FRA", "XXA", "CHE", "BEL", "PRT",
    ])
    .prop_map(str::to_string)
}

/// Fields of a well-formed MRZ of `format`, short enough that nothing is truncated.
pub(crate) fn mrz_data(format: Format) -> BoxedStrategy<MrzData> {
    let (name_width, codes): (usize, Vec<&'static str>) = match format {
        Format::Td1 => (30, vec!["I", "ID", "IR", "AC", "C"]),
        Format::Td2 => (31, vec!["I", "IP", "AR"]),
        Format::Td3 => (39, vec!["P", "PO", "PT"]),
        Format::Mrva => (39, vec!["V", "VB"]),
        Format::Mrvb => (31, vec!["V", "VC"]),
        Format::FrenchNationalId => (25, vec!["ID"]),
        Format::SwissDrivingLicense => (30, vec!["FA"]),
        Format::FrenchDrivingLicense => (8, vec!["D1"]),
    };
    let names = match format {
        Format::FrenchNationalId => (name(25), name(14)).boxed(),
        Format::FrenchDrivingLicense => (word(8), Just(String::new())).boxed(),
        _ => {
            let half = (name_width - 2) / 2;
            (name(half), prop_oneof![Just(String::new()), name(half)]).boxed()
        }
    };
    let number = match format {
        Format::Td1 => prop_oneof![3 => alnum(1, 9), 1 => alnum(10, 13)].boxed(),
        Format::Td2 => prop_oneof![3 => alnum(1, 9), 1 => alnum(10, 12)].boxed(),
        Format::FrenchNationalId => (digits(2), 1u8..=12, alnum(3, 3), digits(5))
            .prop_map(|(yy, mm, dept, serial)| format!("{yy}{mm:02}{dept}{serial}"))
            .boxed(),
        Format::SwissDrivingLicense => (
            alnum(3, 3),
            digits(3),
            prop::sample::select(vec!['D', 'F', 'I', 'R']),
        )
            .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
            .boxed(),
        Format::FrenchDrivingLicense => alnum(9, 9),
        _ => alnum(1, 9),
    };
    let optional = match format {
        Format::Td1 => alnum(0, 9),
        Format::Td2 => alnum(0, 2),
        Format::Mrva => alnum(0, 16),
        Format::Mrvb => alnum(0, 8),
        Format::FrenchNationalId => alnum(0, 6),
        Format::SwissDrivingLicense => digits(3),
        Format::Td3 | Format::FrenchDrivingLicense => Just(String::new()).boxed(),
    };
    let personal = match format {
        Format::Td3 => alnum(0, 14),
        Format::SwissDrivingLicense => digits(9),
        _ => Just(String::new()).boxed(),
    };
    let optional2 = match format {
        Format::Td1 => alnum(0, 11),
        _ => Just(String::new()).boxed(),
    };
    let (state, nationality) = match format {
        Format::FrenchNationalId | Format::FrenchDrivingLicense => {
            (Just("FRA".to_string()).boxed(), Just(String::new()).boxed())
        }
        Format::SwissDrivingLicense => {
            (Just("CHE".to_string()).boxed(), Just(String::new()).boxed())
        }
        _ => (country().boxed(), country().boxed()),
    };
    (
        prop::sample::select(codes),
        state,
        names,
        number,
        nationality,
        (birth(), sex(), expiry()),
        (personal, optional, optional2),
    )
        .prop_map(
            move |(code, state, (last, first), number, nationality, (b, s, e), (p, o, o2))| {
                MrzData {
                    format,
                    document_code: code.to_string(),
                    issuing_state: state,
                    last_name: last,
                    first_name: first,
                    document_number: number,
                    nationality,
                    birth_date: Some(b),
                    sex: if matches!(
                        format,
                        Format::SwissDrivingLicense | Format::FrenchDrivingLicense
                    ) {
                        Sex::Unspecified
                    } else {
                        s
                    },
                    expiry_date: Some(e),
                    personal_number: p,
                    optional_data: o,
                    optional_data2: o2,
                }
            },
        )
        .boxed()
}

/// Any format's fields.
pub(crate) fn any_mrz_data() -> BoxedStrategy<MrzData> {
    prop::sample::select(Format::ALL.to_vec())
        .prop_flat_map(mrz_data)
        .boxed()
}
