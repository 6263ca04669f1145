//! Per-field accuracy of the printed-zone reading on rendered specimens: each document's front
//! (and back) is read by the OCR, the lines go through `idverify_check::extract_printed`, and
//! each printed field is compared with the renderer's ground truth. Prints the accuracy per
//! field, milliseconds per image, and the misses.
//!
//! `cargo run --release -p idverify-textocr --example eval_printed -- [COUNT] [SEED] [DPI] [LEVEL]`
//! (needs `scripts/setup-ocr-models`; LEVEL is none, mild, medium or hard).

mod common;
use common::load_models;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use idverify_check::printed_date::parse_date;
use idverify_check::{PrintedFields, extract_printed};
use idverify_testkit::rand::SeedableRng;
use idverify_testkit::{
    ChaCha8Rng, Degradation, DegradeLevel, DocFormat, Field, RenderOptions, SpecimenSpec, degrade,
    render,
};
use idverify_textocr::ReadOptions;

/// Right or not, the truth, what was read.
type Outcome = (bool, String, String);

fn field_checks(
    p: &PrintedFields,
    truth: &BTreeMap<Field, String>,
) -> Vec<(&'static str, Option<Outcome>)> {
    let date = |f: Field| truth.get(&f).and_then(|t| parse_date(t));
    let s = |f: Field, got: &Option<String>| {
        truth
            .get(&f)
            .map(|t| (got.as_ref() == Some(t), t.clone(), format!("{got:?}")))
    };
    let d = |f: Field, got: Option<idverify_check::printed_date::PrintedDate>| {
        truth.get(&f).map(|t| {
            (
                got.is_some() && got == date(f),
                t.clone(),
                format!("{got:?}"),
            )
        })
    };
    vec![
        ("surname", s(Field::Surname, &p.surname)),
        ("given names", s(Field::GivenNames, &p.given_names)),
        (
            "document number",
            s(Field::DocumentNumber, &p.document_number),
        ),
        (
            "personal number",
            s(Field::PersonalNumber, &p.personal_number),
        ),
        ("place of birth", s(Field::PlaceOfBirth, &p.place_of_birth)),
        ("nationality", s(Field::Nationality, &p.nationality)),
        (
            "sex",
            truth.get(&Field::Sex).map(|t| {
                let want = if t == "X" { "<".to_string() } else { t.clone() };
                let got = p.sex.map(|s| s.as_char().to_string());
                (
                    got.as_deref() == Some(want.as_str()),
                    t.clone(),
                    format!("{got:?}"),
                )
            }),
        ),
        ("date of birth", d(Field::DateOfBirth, p.birth_date)),
        ("date of expiry", d(Field::DateOfExpiry, p.expiry_date)),
        ("date of issue", d(Field::DateOfIssue, p.issue_date)),
    ]
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let count: u64 = args.get(1).map_or(Ok(50), |s| s.parse())?;
    let seed: u64 = args.get(2).map_or(Ok(1000), |s| s.parse())?;
    let dpi: f32 = args.get(3).map_or(Ok(150.0), |s| s.parse())?;
    let level: DegradeLevel = args.get(4).map_or(Ok(DegradeLevel::None), |s| s.parse())?;
    let models = load_models()?;
    let kit_today = idverify_testkit::Date::new(2026, 11, 27).context("date")?;
    let opts = ReadOptions::default();
    let mut right: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    // How varied the generated documents are.
    let mut variety: BTreeMap<String, usize> = BTreeMap::new();
    let mut times = Vec::new();
    // `EVAL_FIRST=K` starts at the K-th document (to look again at one of a run's misses).
    let first: u64 = std::env::var("EVAL_FIRST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for k in first..count {
        let mut rng = ChaCha8Rng::seed_from_u64(seed + k);
        // Every format in turn, the French card included.
        let format = DocFormat::ALL
            .get((k % DocFormat::ALL.len() as u64) as usize)
            .copied()
            .unwrap_or(DocFormat::Td3);
        let spec = SpecimenSpec::random_valid_on(format, kit_today, &mut rng);
        let s = render(&spec, &RenderOptions { dpi })?;
        for kind in [
            format!("format {:?}", spec.format),
            format!("layout {:?}", spec.layout),
            format!("font {:?}", spec.font),
        ] {
            *variety.entry(kind).or_default() += 1;
        }
        let accented = s
            .truth
            .printed
            .iter()
            .filter(|(f, _)| matches!(f, Field::Surname | Field::GivenNames))
            .any(|(_, v)| !v.is_ascii());
        *variety
            .entry(format!("names with diacritics {accented}"))
            .or_default() += 1;
        let mut sides = vec![s.front.clone()];
        sides.extend(s.back.clone());
        let mut printed: Option<PrintedFields> = None;
        for img in &sides {
            let img = if level == DegradeLevel::None {
                img.clone()
            } else {
                let d = Degradation::random(level, &mut rng);
                degrade(img, &d, &mut rng)?
            };
            if let Some(dir) = std::env::var_os("EVAL_SAVE") {
                let n = times.len();
                img.save(PathBuf::from(dir).join(format!("{}_{n}.png", seed + k)))?;
            }
            let t0 = Instant::now();
            let lines = models.read(&img, &opts)?;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            let p = extract_printed(&idverify_textocr::to_text_lines(&lines));
            printed = Some(match printed {
                None => p,
                Some(front) => front.or(p),
            });
            if std::env::var_os("EVAL_VERBOSE").is_some() {
                for l in &lines {
                    println!("  {:.2} {}", l.confidence, l.text);
                }
            }
        }
        let p = printed.unwrap_or_default();
        for (name, check) in field_checks(&p, &s.truth.printed) {
            let Some((ok, want, got)) = check else {
                continue;
            };
            let e = right.entry(name).or_default();
            e.1 += 1;
            if ok {
                e.0 += 1;
            } else {
                misses.push(format!(
                    "seed {} {:?} {:?} {:?}: {name}: want {want:?} got {got}",
                    seed + k,
                    spec.format,
                    spec.layout,
                    spec.font
                ));
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or(0.0);
    let p95 = times
        .get((times.len() * 95 / 100).min(times.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0);
    println!(
        "{count} documents, {} images, dpi {dpi}, degradation {level:?}",
        times.len()
    );
    for (name, (ok, n)) in &right {
        println!(
            "{name:>16}: {ok}/{n} ({:.1}%)",
            *ok as f64 * 100.0 / (*n).max(1) as f64
        );
    }
    println!("ms per image: median {median:.0}, p95 {p95:.0}");
    println!(
        "{}",
        variety
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for m in &misses {
        println!("{m}");
    }
    Ok(())
}
