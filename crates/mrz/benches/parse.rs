//! Parse + validate per format (`is_valid` and the contract view included), and correction of a
//! TD3 with two misreads.

use criterion::{Criterion, criterion_group, criterion_main};
use idverify_mrz::{Date, correct_text, parse};
use std::hint::black_box;

const SPECIMENS: &[(&str, &[&str])] = &[
    (
        "TD1",
        &[
            "I<UTOD231458907<<<<<<<<<<<<<<<",
            "7408122F1204159UTO<<<<<<<<<<<6",
            "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        ],
    ),
    (
        "TD2",
        &[
            "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "D231458907UTO7408122F1204159<<<<<<<6",
        ],
    ),
    (
        "TD3",
        &[
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ],
    ),
    (
        "MRVA",
        &[
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
        ],
    ),
    (
        "MRVB",
        &[
            "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
            "L8988901C4XXX4009078F9612109<<<<<<<<",
        ],
    ),
    (
        "FRENCH_NATIONAL_ID",
        &[
            "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<",
            "9409923102854CORINNE<<<<<<<6512068F4",
        ],
    ),
    (
        "SWISS_DRIVING_LICENSE",
        &[
            "AAA001D<<",
            "FACHE305142128097<<800126<<<<<",
            "MARCHAND<<FABIENNE<<<<<<<<<<<<",
        ],
    ),
    (
        "FRENCH_DRIVING_LICENSE",
        &["D1FRA13AA000026181231MARTIN<<9"],
    ),
];

fn bench(c: &mut Criterion) {
    let today = Date::new(2026, 11, 27).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    });
    let mut group = c.benchmark_group("parse_validate");
    for (name, lines) in SPECIMENS {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mrz = parse(black_box(*lines), today);
                mrz.map(|m| (m.is_valid(), m.to_contract())).is_ok()
            })
        });
    }
    group.finish();
    let damaged = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO740BI22F1204159ZE184226B<<<<<10",
    ];
    c.bench_function("correct_text/TD3_two_misreads", |b| {
        b.iter(|| correct_text(black_box(&damaged), today).map(|c| c.valid))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
