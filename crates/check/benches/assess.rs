//! How long the document check takes on a read card: printed-zone extraction alone, and the
//! whole assessment (extraction, cross-check, rules, decision).

// A bench binary: a panic here is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use idverify_check::{CheckInput, Policy, SideInput, TextLine, assess, extract_printed};
use idverify_mrz::{Date, parse};
use std::hint::black_box;

fn card_lines() -> Vec<TextLine> {
    let fields = [
        ("Naam / Surname", "De Bruijn"),
        ("Voornamen / Given names", "Willeke Liselotte"),
        ("Nationaliteit / Nationality", "Nederlandse"),
        ("Geboortedatum / Date of birth", "10 MAA/MAR 1965"),
        ("Geboorteplaats / Place of birth", "Specimen"),
        ("Geslacht / Sex", "V/F"),
        ("Documentnummer / Document no", "SPECI2021"),
        ("Vervaldatum / Date of expiry", "02 AUG/AUG 2031"),
        ("Persoonsnummer / Personal no", "999999990"),
        ("Autoriteit / Authority", "Burg. van Stad"),
    ];
    let mut lines = vec![TextLine::new(
        "KONINKRIJK DER NEDERLANDEN",
        (200.0, 10.0, 400.0, 22.0),
    )];
    for (i, (label, value)) in fields.iter().enumerate() {
        let y = 60.0 + 40.0 * i as f32;
        lines.push(TextLine::new(*label, (300.0, y, 200.0, 10.0)));
        lines.push(TextLine::new(*value, (301.0, y + 13.0, 200.0, 18.0)));
    }
    lines
}

fn bench(c: &mut Criterion) {
    let today = Date::new(2026, 11, 27).unwrap();
    let lines = card_lines();
    c.bench_function("extract_printed, 21 lines", |b| {
        b.iter(|| extract_printed(black_box(&lines)))
    });
    let mrz = parse(
        &[
            "I<NLDSPECI20212999999990<<<<<<",
            "6503101F3108022NLD<<<<<<<<<<<2",
            "DE<BRUIJN<<WILLEKE<LISELOTTE<<",
        ],
        today,
    )
    .unwrap();
    let input = CheckInput {
        front: SideInput {
            lines,
            mrz: None,
            quality: None,
        },
        back: Some(SideInput {
            lines: Vec::new(),
            mrz: Some(mrz),
            quality: None,
        }),
    };
    let policy = Policy::default();
    c.bench_function("assess, card front and back", |b| {
        b.iter(|| assess(black_box(&input), &policy, today))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
