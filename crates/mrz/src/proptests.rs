//! Property tests: generate → parse gives the same fields for every format; one changed
//! character in a check-digit-covered place is caught; parse never panics.

use proptest::prelude::*;

use crate::check_digit::char_value;
use crate::format::{Format, Slot};
use crate::generate::{MrzData, generate};
use crate::parse::{Severity, parse};
use crate::testgen::{any_mrz_data, mrz_data, today};

fn spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn round_trip(data: &MrzData) -> Result<(), TestCaseError> {
    let lines = generate(data).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let m = parse(&lines, today()).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    let f = data.format;
    prop_assert_eq!(m.format, f);
    prop_assert!(m.is_valid(), "{:?} {:?}", lines, m.problems);
    prop_assert!(
        m.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:?}",
        m.problems
    );
    prop_assert_eq!(&m.document_code, &data.document_code);
    prop_assert_eq!(&m.issuing_state, &data.issuing_state);
    prop_assert_eq!(&m.document_number, &data.document_number);
    prop_assert_eq!(&m.last_name, &spaced(&data.last_name));
    prop_assert_eq!(&m.first_name, &spaced(&data.first_name));
    prop_assert_eq!(&m.nationality, &data.nationality);
    if f.span(Slot::BirthDate).is_some() {
        prop_assert_eq!(m.birth_date.date, data.birth_date);
    }
    if f.span(Slot::ExpiryDate).is_some() {
        prop_assert_eq!(m.expiry_date.date, data.expiry_date);
    }
    if f.span(Slot::Sex).is_some() {
        prop_assert_eq!(m.sex, Some(data.sex));
    }
    prop_assert_eq!(&m.personal_number, &data.personal_number);
    prop_assert_eq!(&m.optional_data, &data.optional_data);
    if f == Format::Td1 {
        prop_assert_eq!(&m.optional_data2, &data.optional_data2);
    }
    Ok(())
}

/// Positions (line, column) some check digit covers, with whether the place holds digits only.
fn covered(format: Format, lines: &[Vec<char>]) -> Vec<(usize, usize, bool)> {
    let digit_only = |line: usize, col: usize| {
        format.spans().iter().any(|s| {
            s.line == line
                && (s.start..s.end).contains(&col)
                && matches!(
                    s.slot,
                    Slot::BirthDate
                        | Slot::ExpiryDate
                        | Slot::IssueDate
                        | Slot::DocumentNumberCheck
                        | Slot::BirthDateCheck
                        | Slot::ExpiryDateCheck
                        | Slot::PersonalNumberCheck
                        | Slot::Composite
                )
        }) && lines
            .get(line)
            .and_then(|l| l.get(col))
            .is_some_and(char::is_ascii_digit)
    };
    let mut out = Vec::new();
    for check in format.checks() {
        let (l, c) = check.digit;
        out.push((l, c, digit_only(l, c)));
        for &(l, s, e) in check.data {
            out.extend((s..e).map(|c| (l, c, digit_only(l, c))));
        }
    }
    if let Some(opt) = format
        .span(Slot::Optional1)
        .filter(|_| format.has_number_overflow())
    {
        out.extend((opt.start..opt.end).map(|c| (opt.line, c, false)));
    }
    out.sort_unstable();
    out.dedup();
    out
}

const ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";

proptest! {
    #![proptest_config(ProptestConfig { max_global_rejects: 100_000, ..ProptestConfig::with_cases(400) })]

    #[test]
    fn generate_then_parse_gives_the_same_fields(data in any_mrz_data()) {
        round_trip(&data)?;
    }

    #[test]
    fn td1_round_trips(data in mrz_data(Format::Td1)) {
        round_trip(&data)?;
    }

    #[test]
    fn one_changed_character_is_caught(
        data in prop::sample::select(
            Format::ALL.iter().copied().filter(|f| !f.checks().is_empty()).collect::<Vec<_>>()
        ).prop_flat_map(mrz_data),
        pick in any::<prop::sample::Index>(),
        replacement in prop::sample::select(ALPHABET.chars().collect::<Vec<_>>()),
    ) {
        let lines = generate(&data).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let mut chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
        let places = covered(data.format, &chars);
        prop_assume!(!places.is_empty());
        let &(line, col, digit_only) = pick.get(&places);
        let original = chars[line][col];
        prop_assume!(replacement != original);
        // The 7-3-1 check digit cannot see a change between characters of equal value modulo 10
        // (`0`, `A`, `K`, `U`, `<`; `1`, `B`, `L`, `V`; …) in an alphanumeric field: ICAO's limit.
        // In digit-only places such a change puts a letter where a digit must stand.
        let same_value = char_value(replacement).map(|v| v % 10) == char_value(original).map(|v| v % 10);
        prop_assume!(!same_value || (digit_only && !replacement.is_ascii_digit()));
        chars[line][col] = replacement;
        let changed: Vec<String> = chars.iter().map(|l| l.iter().collect()).collect();
        match parse(&changed, today()) {
            Ok(m) => prop_assert!(!m.is_valid(), "{:?} → {:?} still valid", lines, changed),
            Err(e) => prop_assert!(false, "{:?}: {}", changed, e),
        }
    }

    #[test]
    fn a_letter_in_a_date_is_caught(data in any_mrz_data(), letter in "[A-Z]") {
        let lines = generate(&data).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let mut chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
        let Some(span) = data.format.span(Slot::BirthDate) else { return Ok(()) };
        chars[span.line][span.start + 2] = letter.chars().next().unwrap_or('O');
        let m = parse(&chars.iter().map(|l| l.iter().collect()).collect::<Vec<String>>(), today()).unwrap();
        prop_assert!(!m.is_valid());
        prop_assert_eq!(m.birth_date.iso(), "");
    }

    #[test]
    fn parse_never_panics(lines in prop::collection::vec(
        prop_oneof![
            "[A-Z0-9<]{30}", "[A-Z0-9<]{36}", "[A-Z0-9<]{44}", "[A-Z0-9<]{9}",
            "[A-Z0-9< a-z?é\u{0}]{30}", "[A-Z0-9<]{0,50}", any::<String>(),
            "(IDFRA|V|P<|I<)[A-Z0-9<]{31}",
        ],
        0..5,
    )) {
        if let Ok(m) = parse(&lines, today()) {
            let json = serde_json::to_string(&m.to_contract());
            prop_assert!(json.is_ok());
        }
    }
}
