//! The document check on the project's rendered specimens (crates/testkit): the printed zone
//! is read from the renderer's text boxes — the text and geometry an ideal OCR would return, so
//! these tests measure the extraction and the rules, not a recogniser — with faults injected
//! one at a time.

// A test binary: a panic here is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use idverify_check::printed_date::parse_date;
use idverify_check::{CheckInput, Policy, SideInput, TextLine, assess, extract_printed};
use idverify_mrz::{Date, parse};
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, DocFormat, Field, GroundTruth, RenderOptions, SideTruth, SpecimenSpec, render,
};
use idverify_wire::Decision;

fn today() -> Date {
    Date::new(2026, 11, 27).unwrap()
}

fn kit_today() -> idverify_testkit::Date {
    idverify_testkit::Date::new(2026, 11, 27).unwrap()
}

/// The side's text as an OCR would return it: every title, label, value and MRZ line with its box.
fn lines_of(side: &SideTruth) -> Vec<TextLine> {
    let mut lines: Vec<TextLine> = side
        .texts
        .iter()
        .map(|t| {
            let b = t.bbox;
            TextLine::new(
                t.text.clone(),
                (b.x as f32, b.y as f32, b.width as f32, b.height as f32),
            )
        })
        .collect();
    for m in &side.mrz {
        let b = m.bbox;
        lines.push(TextLine::new(
            m.text.clone(),
            (b.x as f32, b.y as f32, b.width as f32, b.height as f32),
        ));
    }
    lines
}

fn side_input(side: &SideTruth) -> SideInput {
    let mrz_text: Vec<&str> = side.mrz.iter().map(|m| m.text.as_str()).collect();
    SideInput {
        lines: lines_of(side),
        mrz: if mrz_text.is_empty() {
            None
        } else {
            Some(parse(&mrz_text, today()).unwrap())
        },
        quality: None,
    }
}

fn input_of(spec: &SpecimenSpec) -> CheckInput {
    let s = render(spec, &RenderOptions { dpi: 150.0 }).unwrap();
    CheckInput {
        front: side_input(&s.truth.front),
        back: s.truth.back.as_ref().map(side_input),
    }
}

fn spec(seed: u64, format: DocFormat) -> SpecimenSpec {
    SpecimenSpec::random_valid_on(format, kit_today(), &mut ChaCha8Rng::seed_from_u64(seed))
}

fn policy_with_visas() -> Policy {
    let mut p = Policy::default();
    p.accepted_document_types
        .push(idverify_check::DocumentType::Visa);
    p
}

/// The ground truth of the rendered page.
struct Rendered<'a> {
    truth: &'a GroundTruth,
}

/// 500 documents (fixed seeds; every format, layout, label language, font and date style the
/// generator has), rendered once for the tests that read them.
fn five_hundred() -> &'static [(SpecimenSpec, GroundTruth)] {
    static RENDERS: OnceLock<Vec<(SpecimenSpec, GroundTruth)>> = OnceLock::new();
    RENDERS.get_or_init(|| {
        (0..500u64)
            .map(|seed| {
                let spec = spec(1000 + seed, DocFormat::ICAO[(seed % 5) as usize]);
                let truth = render(&spec, &RenderOptions { dpi: 150.0 }).unwrap().truth;
                (spec, truth)
            })
            .collect()
    })
}

/// Each printed field read right in at least 98% of 500 generated documents.
#[test]
fn printed_fields_are_read_on_500_specimens() {
    let mut right: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    for (seed, (spec, truth)) in (0u64..).zip(five_hundred()) {
        let s = Rendered { truth };
        let mut lines = lines_of(&s.truth.front);
        let front = extract_printed(&lines);
        if let Some(back) = &s.truth.back {
            lines = lines_of(back);
        }
        let p = front.or(extract_printed(&lines));
        let truth = &s.truth.printed;
        let date = |f: Field| truth.get(&f).and_then(|t| parse_date(t));
        let checks: Vec<(&str, Option<bool>)> = vec![
            (
                "surname",
                truth
                    .get(&Field::Surname)
                    .map(|t| p.surname.as_ref() == Some(t)),
            ),
            (
                "given names",
                truth
                    .get(&Field::GivenNames)
                    .map(|t| p.given_names.as_ref() == Some(t)),
            ),
            (
                "document number",
                truth
                    .get(&Field::DocumentNumber)
                    .map(|t| p.document_number.as_ref() == Some(t)),
            ),
            (
                "personal number",
                truth
                    .get(&Field::PersonalNumber)
                    .map(|t| p.personal_number.as_ref() == Some(t)),
            ),
            (
                "place of birth",
                truth
                    .get(&Field::PlaceOfBirth)
                    .map(|t| p.place_of_birth.as_ref() == Some(t)),
            ),
            (
                "nationality",
                truth
                    .get(&Field::Nationality)
                    .map(|t| p.nationality.as_ref() == Some(t)),
            ),
            (
                "sex",
                truth.get(&Field::Sex).map(|t| {
                    p.sex.map(|s| s.as_char().to_string())
                        == Some(if t == "X" { "<".to_string() } else { t.clone() })
                }),
            ),
            (
                "date of birth",
                truth
                    .get(&Field::DateOfBirth)
                    .map(|_| p.birth_date.is_some() && p.birth_date == date(Field::DateOfBirth)),
            ),
            (
                "date of expiry",
                truth
                    .get(&Field::DateOfExpiry)
                    .map(|_| p.expiry_date.is_some() && p.expiry_date == date(Field::DateOfExpiry)),
            ),
            (
                "date of issue",
                truth
                    .get(&Field::DateOfIssue)
                    .map(|_| p.issue_date.is_some() && p.issue_date == date(Field::DateOfIssue)),
            ),
        ];
        for (name, ok) in checks {
            let Some(ok) = ok else { continue };
            let e = right.entry(name).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else if misses.len() < 40 {
                misses.push(format!(
                    "seed {} {:?} {:?} {:?}: {name}: {:?}",
                    1000 + seed,
                    spec.format,
                    spec.layout,
                    spec.labels,
                    p
                ));
            }
        }
    }
    let mut report = String::new();
    for (name, (ok, n)) in &right {
        report.push_str(&format!("{name}: {ok}/{n}\n"));
    }
    println!("{report}");
    for m in &misses {
        println!("{m}");
    }
    for (name, (ok, n)) in &right {
        assert!(
            *ok * 100 >= *n * 98,
            "{name} read right in {ok} of {n}\n{report}\n{misses:#?}"
        );
    }
}

/// What a recogniser does to text, roughly: labels in another case or without accents, one
/// letter of a long label word wrong, `0` read `O` in dates, boxes a little off, and a label
/// and the value to its right read as one line. Values' letters are left alone: no reader can
/// undo a wrong letter in a name.
fn ocr_noise(side: &SideTruth, rng: &mut ChaCha8Rng) -> Vec<TextLine> {
    use idverify_testkit::TextKind;
    use idverify_testkit::rand::Rng;
    let lines = lines_of(side);
    let is_label = |k: usize| side.texts.get(k).is_some_and(|t| t.kind == TextKind::Label);
    let mut out: Vec<TextLine> = Vec::new();
    let mut merged = std::collections::BTreeSet::new();
    for (i, original) in lines.iter().enumerate() {
        if merged.contains(&i) {
            continue;
        }
        let mut l = original.clone();
        let (x, y, w, h) = l.bbox;
        let jitter = |r: &mut ChaCha8Rng, s: f32| r.random_range(-s..=s);
        l.bbox = (
            x + jitter(rng, 0.3 * h),
            y + jitter(rng, 0.25 * h),
            w * (1.0 + jitter(rng, 0.1)),
            h * (1.0 + jitter(rng, 0.15)),
        );
        if i >= side.texts.len() {
            out.push(l); // an MRZ line
            continue;
        }
        if is_label(i) {
            if rng.random_bool(0.3) {
                l.text = l.text.to_uppercase();
            }
            if rng.random_bool(0.2) {
                l.text = l
                    .text
                    .chars()
                    .map(|c| {
                        let f = idverify_check::fold::fold_char(c);
                        if c.is_lowercase() {
                            f.to_ascii_lowercase()
                        } else {
                            f
                        }
                    })
                    .collect();
            }
            if rng.random_bool(0.3) {
                let mut words: Vec<String> = l.text.split(' ').map(str::to_string).collect();
                if let Some(word) = words.iter_mut().max_by_key(|w| w.chars().count()) {
                    let mut chars: Vec<char> = word.chars().collect();
                    if chars.len() >= 6 {
                        let at = rng.random_range(1..chars.len() - 1);
                        chars[at] = 'x';
                        *word = chars.into_iter().collect();
                    }
                }
                l.text = words.join(" ");
            }
            if rng.random_bool(0.5) {
                let (lx, ly, lw, lh) = original.bbox;
                let right = lines.iter().enumerate().find(|(k, v)| {
                    let (vx, vy, _, vh) = v.bbox;
                    *k < side.texts.len()
                        && !is_label(*k)
                        && vx > lx + lw
                        && vx - (lx + lw) < 12.0 * lh
                        && (vy + vh / 2.0 - (ly + lh / 2.0)).abs() < lh
                });
                if let Some((k, v)) = right {
                    l.text = format!("{} {}", l.text, v.text);
                    l.bbox.2 = v.bbox.0 + v.bbox.2 - l.bbox.0;
                    merged.insert(k);
                }
            }
        } else if l.text.chars().filter(char::is_ascii_digit).count() >= 6
            && rng.random_bool(0.3)
            && let Some(pos) = l.text.find('0')
        {
            l.text.replace_range(pos..pos + 1, "O");
        }
        out.push(l);
    }
    out
}

/// The same 500 documents through the OCR-like noise above.
#[test]
fn printed_fields_survive_ocr_like_noise() {
    let mut right: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses: Vec<String> = Vec::new();
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    for (seed, (spec, truth)) in (0u64..).zip(five_hundred()) {
        let s = Rendered { truth };
        let front_lines = ocr_noise(&s.truth.front, &mut rng);
        let mut p = extract_printed(&front_lines);
        if let Some(back) = &s.truth.back {
            p = p.or(extract_printed(&ocr_noise(back, &mut rng)));
        }
        let truth = &s.truth.printed;
        let date = |f: Field| truth.get(&f).and_then(|t| parse_date(t));
        let checks: Vec<(&str, Option<bool>)> = vec![
            (
                "surname",
                truth
                    .get(&Field::Surname)
                    .map(|t| p.surname.as_ref() == Some(t)),
            ),
            (
                "given names",
                truth
                    .get(&Field::GivenNames)
                    .map(|t| p.given_names.as_ref() == Some(t)),
            ),
            // The cross-check takes `O` and `0` for the same in a document number.
            (
                "document number",
                truth.get(&Field::DocumentNumber).map(|t| {
                    p.document_number.as_ref().map(|v| v.replace('O', "0"))
                        == Some(t.replace('O', "0"))
                }),
            ),
            (
                "sex",
                truth.get(&Field::Sex).map(|t| {
                    p.sex.map(|s| s.as_char().to_string())
                        == Some(if t == "X" { "<".to_string() } else { t.clone() })
                }),
            ),
            (
                "date of birth",
                truth
                    .get(&Field::DateOfBirth)
                    .map(|_| p.birth_date.is_some() && p.birth_date == date(Field::DateOfBirth)),
            ),
            (
                "date of expiry",
                truth
                    .get(&Field::DateOfExpiry)
                    .map(|_| p.expiry_date.is_some() && p.expiry_date == date(Field::DateOfExpiry)),
            ),
            (
                "nationality",
                truth.get(&Field::Nationality).map(|t| {
                    p.nationality
                        .as_ref()
                        .is_some_and(|v| v.eq_ignore_ascii_case(t))
                }),
            ),
        ];
        for (name, ok) in checks {
            let Some(ok) = ok else { continue };
            let e = right.entry(name).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else if misses.len() < 30 {
                misses.push(format!(
                    "seed {} {:?} {:?}: {name}: {}",
                    1000 + seed,
                    spec.format,
                    spec.layout,
                    front_lines
                        .iter()
                        .map(|l| l.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
    }
    let mut report = String::new();
    for (name, (ok, n)) in &right {
        report.push_str(&format!("{name}: {ok}/{n}\n"));
    }
    println!("with OCR-like noise:\n{report}");
    for (name, (ok, n)) in &right {
        assert!(
            *ok * 100 >= *n * 98,
            "{name} read right in {ok} of {n}\n{report}\n{}",
            misses.join("\n")
        );
    }
}

/// Clean specimens of every format are approved with no concern.
#[test]
fn clean_specimens_are_approved() {
    for seed in 0..25u64 {
        let spec = spec(seed, DocFormat::ICAO[(seed % 5) as usize]);
        let a = assess(&input_of(&spec), &policy_with_visas(), today());
        assert_eq!(
            a.results.status,
            Decision::Approved,
            "seed {seed} {:?}: {:#?}\n{:#?}",
            spec.format,
            a.results.concerns,
            a.document_data_checking
        );
        assert!(a.results.concerns.is_empty());
        assert!(
            a.document_data_checking.len() >= 5,
            "seed {seed}: {:#?}",
            a.document_data_checking
        );
        assert_eq!(a.attributes.original_last_name, spec.surname);
        assert_eq!(a.attributes.original_first_name, spec.given_names);
    }
}

fn only(a: &idverify_check::Assessment, id: &str, status: Decision) {
    let ids: Vec<&str> = a.results.concerns.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["DC023", id], "{:#?}", a.results.concerns);
    assert_eq!(a.results.status, status);
}

#[test]
fn faults_on_specimens_yield_their_concern() {
    for seed in 0..10u64 {
        let format = [DocFormat::Td1, DocFormat::Td2, DocFormat::Td3][(seed % 3) as usize];
        let base = spec(100 + seed, format);
        let policy = Policy::default();

        // Expired.
        let mut s = base.clone();
        s.expiry_date = idverify_testkit::Date::new(2026, 11, 1).unwrap();
        only(
            &assess(&input_of(&s), &policy, today()),
            "DC010",
            Decision::Declined,
        );

        // Under age.
        let mut s = base.clone();
        s.birth_date = idverify_testkit::Date::new(2010, 5, 5).unwrap();
        only(
            &assess(&input_of(&s), &policy, today()),
            "DC011",
            Decision::Declined,
        );

        // Birth date changed in the printed zone only.
        let mut s = base.clone();
        let other = idverify_testkit::Date::new(1961, 2, 3).unwrap();
        s.printed_overrides
            .insert(Field::DateOfBirth, other.printed(s.date_style));
        let a = assess(&input_of(&s), &policy, today());
        only(&a, "DC030", Decision::Declined);
        assert!(
            a.results.concerns[1].message.ends_with("1961-02-03"),
            "{}",
            a.results.concerns[1].message
        );

        // Surname changed in the printed zone: another name is declined; one letter more is
        // as likely a misreading, and a person looks.
        let mut s = base.clone();
        s.printed_overrides
            .insert(Field::Surname, format!("Zyx{}", s.surname.to_lowercase()));
        only(
            &assess(&input_of(&s), &policy, today()),
            "DC030",
            Decision::Declined,
        );
        let mut s = base.clone();
        s.printed_overrides
            .insert(Field::Surname, format!("Z{}", s.surname));
        let near = assess(&input_of(&s), &policy, today());
        if s.surname.chars().filter(|c| c.is_alphabetic()).count() >= 5 {
            only(&near, "DC033", Decision::NeedsReview);
        } else {
            only(&near, "DC030", Decision::Declined);
        }

        // An MRZ digit changed: the last digit of the birth date, check digit left as it was.
        let mut i = input_of(&base);
        let mrz_side = if i.back.as_ref().is_some_and(|b| b.mrz.is_some()) {
            i.back.as_mut().unwrap()
        } else {
            &mut i.front
        };
        let mut lines = mrz_side.mrz.as_ref().unwrap().lines.clone();
        let (line, col) = match format {
            DocFormat::Td1 => (1, 5),
            _ => (1, 18),
        };
        let old = lines[line].as_bytes()[col];
        let new = if old == b'1' { '2' } else { '1' };
        lines[line].replace_range(col..col + 1, &new.to_string());
        mrz_side.mrz = Some(parse(&lines, today()).unwrap());
        let a = assess(&i, &policy, today());
        let ids: Vec<&str> = a.results.concerns.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["DC023", "DC030"],
            "seed {seed}: {:#?}",
            a.results.concerns
        );
        assert!(
            a.results.concerns[1]
                .message
                .ends_with(", Checksum is not valid")
        );
        assert_eq!(a.results.concerns[0].message, "Found 2 issue(s).");

        // The back of another document (cards: the MRZ is on the back).
        if format == DocFormat::Td1 {
            let other = spec(9000 + seed, DocFormat::Td1);
            let mut i = input_of(&base);
            i.back = input_of(&other).back;
            only(&assess(&i, &policy, today()), "DC031", Decision::Declined);
        }
    }
}

#[test]
#[ignore = "a debugging aid: prints a specimen's text boxes"]
fn dump_specimen() {
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let spec = spec(seed, DocFormat::ICAO[((seed - 1000) % 5) as usize]);
    let s = render(&spec, &RenderOptions { dpi: 150.0 }).unwrap();
    for l in lines_of(&s.truth.front) {
        println!("{:?} {:?}", l.bbox, l.text);
    }
    println!("{:?}", extract_printed(&lines_of(&s.truth.front)));
}
