//! Acceptance test of the correction (issue 2, acceptance 4): 10,000 generated MRZs with one or
//! two OCR confusions injected into check-digit-covered places. Run with `--nocapture` to see
//! the figures.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

use crate::check_digit::char_value;
use crate::correct::{CharReading, Outcome, correct, correct_text, groups, plain_confusions};
use crate::format::{Format, Slot};
use crate::generate::generate;
use crate::parse::parse;
use crate::testgen::{mrz_data, today};

/// SplitMix64: a fixed-seed generator for the test's choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// How `truth` may be misread: the characters whose standard confusions include it.
fn misreads(truth: char) -> Vec<char> {
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
        .chars()
        .filter(|&m| m != truth && plain_confusions(m).contains(&truth))
        .collect()
}

/// A misread no 7-3-1 sum can see: equal values modulo 10 (`<`/`K`, `6`/`G`) in a place that
/// allows both.
fn invisible(format: Format, (l, c): (usize, usize), truth: char, misread: char) -> bool {
    let same = char_value(truth).map(|v| v % 10) == char_value(misread).map(|v| v % 10);
    let digits_only = format.spans().iter().any(|s| {
        s.line == l
            && (s.start..s.end).contains(&c)
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
    });
    same && !digits_only
}

/// A simulated recogniser's reading of `lines` with `injected` misreads: at a misread place the
/// wrong character is on top (probability 0.4–0.75) and the true one second (60–95 % of the
/// rest); elsewhere the true one is on top with a probability drawn from `clean`, and a lookalike
/// or a random character takes 70 % of the rest.
///
/// Two recognisers are simulated: [`CONFIDENT`], sure of what it reads right (as a recogniser
/// trained on OCR-B is), which the acceptance figure uses, and [`HESITANT`], unsure of every
/// character, whose figure is printed for comparison.
fn simulate(
    lines: &[String],
    injected: &[((usize, usize), char)],
    clean: (f32, f32),
    rng: &mut Rng,
) -> Vec<Vec<CharReading>> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
    lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            line.chars()
                .enumerate()
                .map(
                    |(c, truth)| match injected.iter().find(|(p, _)| *p == (l, c)) {
                        Some(&(_, wrong)) => {
                            let p1 = rng.range(0.4, 0.75);
                            let p2 = (1.0 - p1) * rng.range(0.6, 0.95);
                            CharReading {
                                alternatives: vec![(wrong, p1), (truth, p2)],
                            }
                        }
                        None => {
                            let p1 = rng.range(clean.0, clean.1);
                            let looks = misreads(truth);
                            let second = if looks.is_empty() || rng.below(2) == 0 {
                                char::from(ALPHABET[rng.below(ALPHABET.len())])
                            } else {
                                looks[rng.below(looks.len())]
                            };
                            let mut alternatives = vec![(truth, p1)];
                            if second != truth {
                                alternatives.push((second, (1.0 - p1) * 0.7));
                            }
                            CharReading { alternatives }
                        }
                    },
                )
                .collect()
        })
        .collect()
}

/// Top probability of a correctly read character, confident recogniser.
const CONFIDENT: (f32, f32) = (0.9, 0.999);
/// Top probability of a correctly read character, hesitant recogniser.
const HESITANT: (f32, f32) = (0.85, 0.995);

#[derive(Default, Debug)]
struct Tally {
    cases: usize,
    valid_as_read: usize,
    plain_recovered: usize,
    plain_wrong: usize,
    recogniser_recovered: usize,
    recogniser_wrong: usize,
    valid_changed: usize,
    invisible_cases: usize,
    recogniser_ambiguous: usize,
    recogniser_not_found: usize,
    hesitant_recovered: usize,
    hesitant_wrong: usize,
    invisible_recovered: usize,
}

#[test]
fn recovers_ten_thousand_injected_confusions() {
    const N: usize = 10_000;
    let formats: Vec<Format> = Format::ALL
        .iter()
        .copied()
        .filter(|f| !f.checks().is_empty())
        .collect();
    let mut runner = TestRunner::deterministic();
    let mut rng = Rng(0x1D7E_21F9_2026_0002);
    let mut t = Tally::default();
    let mut per_format: Vec<(Format, usize, usize)> = formats.iter().map(|&f| (f, 0, 0)).collect();
    let mut failures = Vec::new();
    let mut attempts = 0;
    while t.cases < N {
        attempts += 1;
        assert!(attempts < N * 3, "too many rejected samples");
        let format = formats[rng.below(formats.len())];
        let data = mrz_data(format).new_tree(&mut runner).unwrap().current();
        let lines = generate(&data).unwrap();
        let original = parse(&lines, today()).unwrap();
        assert!(original.is_valid(), "{lines:?}");

        // A valid MRZ is never changed, read as text or through the recogniser.
        let as_text = correct_text(&lines, today()).unwrap();
        let as_seen = correct(&simulate(&lines, &[], HESITANT, &mut rng), today()).unwrap();
        if !as_text.changes.is_empty() || as_seen.lines != lines {
            t.valid_changed += 1;
        }

        // Inject one or two confusions at distinct covered places whose character has a lookalike
        // the check digits can see.
        let (group_positions, composite_only) = groups(format);
        let mut places: Vec<(usize, usize)> = group_positions
            .into_iter()
            .flat_map(|(_, ps)| ps)
            .chain(composite_only)
            .collect();
        places.sort_unstable();
        places.dedup();
        let chars: Vec<Vec<char>> = lines.iter().map(|l| l.chars().collect()).collect();
        let visible_at = |p: (usize, usize)| -> Vec<char> {
            misreads(chars[p.0][p.1])
                .into_iter()
                .filter(|&m| !invisible(format, p, chars[p.0][p.1], m))
                .collect()
        };
        let invisible_at = |p: (usize, usize)| -> Vec<char> {
            misreads(chars[p.0][p.1])
                .into_iter()
                .filter(|&m| invisible(format, p, chars[p.0][p.1], m))
                .collect()
        };
        let visible: Vec<(usize, usize)> = places
            .iter()
            .copied()
            .filter(|&p| !visible_at(p).is_empty())
            .collect();
        if visible.is_empty() {
            continue;
        }
        let count = 1 + rng.below(2);
        let mut injected = Vec::new();
        while injected.len() < count.min(visible.len()) {
            let p = visible[rng.below(visible.len())];
            if injected.iter().any(|(q, _)| *q == p) {
                continue;
            }
            let options = visible_at(p);
            injected.push((p, options[rng.below(options.len())]));
        }
        let damage = |injected: &[((usize, usize), char)]| -> Vec<String> {
            let mut damaged = chars.clone();
            for &((l, c), m) in injected {
                damaged[l][c] = m;
            }
            damaged.iter().map(|l| l.iter().collect()).collect()
        };
        let damaged = damage(&injected);

        // Apart: one visible misread plus one the sums cannot see; only context priors and the
        // recogniser's probabilities can settle the second.
        let hidden: Vec<(usize, usize)> = places
            .iter()
            .copied()
            .filter(|&p| !invisible_at(p).is_empty() && p != injected[0].0)
            .collect();
        if !hidden.is_empty() {
            let p = hidden[rng.below(hidden.len())];
            let options = invisible_at(p);
            let pair = [injected[0], (p, options[rng.below(options.len())])];
            let damaged_pair = damage(&pair);
            if parse(&damaged_pair, today()).is_ok_and(|m| !m.is_valid()) {
                t.invisible_cases += 1;
                if correct(&simulate(&lines, &pair, CONFIDENT, &mut rng), today())
                    .is_some_and(|c| c.lines == lines)
                {
                    t.invisible_recovered += 1;
                }
            }
        }

        // Two visible misreads can, rarely, cancel out in every sum.
        if parse(&damaged, today()).is_ok_and(|m| m.is_valid()) {
            t.valid_as_read += 1;
            continue;
        }
        t.cases += 1;
        let entry = per_format.iter_mut().find(|e| e.0 == format).unwrap();
        entry.1 += 1;

        match correct_text(&damaged, today()) {
            Some(c) if c.lines == lines => t.plain_recovered += 1,
            Some(c) if c.valid => t.plain_wrong += 1,
            _ => {}
        }
        match correct(&simulate(&lines, &injected, HESITANT, &mut rng), today()) {
            Some(c) if c.lines == lines => t.hesitant_recovered += 1,
            Some(c) if c.valid => t.hesitant_wrong += 1,
            _ => {}
        }
        let readings = simulate(&lines, &injected, CONFIDENT, &mut rng);
        match correct(&readings, today()) {
            Some(c) if c.lines == lines => {
                t.recogniser_recovered += 1;
                entry.2 += 1;
            }
            Some(c) => {
                if c.valid {
                    t.recogniser_wrong += 1;
                }
                match c.outcome {
                    Outcome::Ambiguous => t.recogniser_ambiguous += 1,
                    Outcome::NotFound => t.recogniser_not_found += 1,
                    _ => {}
                }
                if failures.len() < 40 && (c.outcome == Outcome::NotFound || failures.len() < 8) {
                    failures.push(format!(
                        "{lines:?} read {damaged:?} → {:?} {:?}",
                        c.lines, c.outcome
                    ));
                }
            }
            None => failures.push(format!("{damaged:?}: no shape")),
        }
    }
    let pct = |n: usize| 100.0 * n as f64 / t.cases as f64;
    println!(
        "correction acceptance: {} damaged MRZs (seeded), one or two confusions each",
        t.cases
    );
    println!(
        "  confident recogniser:    recovered exactly {} ({:.2}%), wrong but valid {}",
        t.recogniser_recovered,
        pct(t.recogniser_recovered),
        t.recogniser_wrong
    );
    println!(
        "    not recovered: {} ambiguous (left uncorrected), {} with no reading found",
        t.recogniser_ambiguous, t.recogniser_not_found
    );
    println!(
        "  hesitant recogniser:     recovered exactly {} ({:.2}%), wrong but valid {}",
        t.hesitant_recovered,
        pct(t.hesitant_recovered),
        t.hesitant_wrong
    );
    println!(
        "  plain text:              recovered exactly {} ({:.2}%), wrong but valid {}",
        t.plain_recovered,
        pct(t.plain_recovered),
        t.plain_wrong
    );
    println!(
        "  valid MRZs changed: {} of {} (as text and as a recogniser reading)",
        t.valid_changed, attempts
    );
    println!(
        "  two misreads cancelling out in every sum (valid as read, not counted): {}",
        t.valid_as_read
    );
    println!(
        "  apart, one visible + one invisible misread (`<`/`K`, `6`/`G` in alphanumeric places): recovered {} of {}",
        t.invisible_recovered, t.invisible_cases
    );
    for (f, n, ok) in &per_format {
        println!("  {f}: {ok}/{n}");
    }
    for f in &failures {
        println!("  miss: {f}");
    }
    assert_eq!(t.valid_changed, 0);
    assert!(t.recogniser_recovered * 100 >= t.cases * 99, "{t:?}");
}
