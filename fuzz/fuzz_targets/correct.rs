//! Fuzz target: any bytes as OCR text, then as recogniser alternatives. `correct` never panics,
//! never changes a valid reading, and whatever it calls valid parses as valid.
#![no_main]

use idverify_mrz::{CharReading, Date, correct, correct_text, parse};
use libfuzzer_sys::fuzz_target;

fn today() -> Date {
    Date::from_unix_days(20_419)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<&str> = text.lines().take(4).collect();
    if lines.iter().any(|l| l.chars().count() > 60) {
        return;
    }
    if let Some(c) = correct_text(&lines, today()) {
        let as_read = parse(&lines, today());
        if as_read.as_ref().is_ok_and(|m| m.is_valid()) {
            assert!(c.changes.is_empty());
        }
        if c.valid {
            assert!(
                parse(&c.lines, today())
                    .expect("corrected lines parse")
                    .is_valid()
            );
        }
    }
    // The same characters as a recogniser's reading, with the byte values as probabilities of a
    // second choice.
    let readings: Vec<Vec<CharReading>> = lines
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| CharReading {
                    alternatives: vec![(c, 0.6), (char::from((u32::from(c) % 43 + 48) as u8), 0.3)],
                })
                .collect()
        })
        .collect();
    if let Some(c) = correct(&readings, today()) {
        if c.valid {
            assert!(
                parse(&c.lines, today())
                    .expect("corrected lines parse")
                    .is_valid()
            );
        }
    }
});
