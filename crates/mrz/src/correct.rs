//! Check-digit-guided correction of OCR output: the most likely reading whose check digits hold,
//! using what each position may contain, and a report of what changed.
//!
//! How it searches, bounded:
//! 1. Each position keeps the recogniser's alternatives its place allows (digits in dates and
//!    check digits, letters in codes and names, `M F X <` for the sex, …); a character the place
//!    does not allow is mapped through the OCR confusions (`O`→`0`, `I`→`1`, `B`→`8`, `S`→`5`,
//!    `Z`→`2`, `G`→`6`, `D`→`0`, `Q`→`0` and back; `K`, `C`, `S`, `X` → `<`). The best of each is
//!    the base reading.
//! 2. For each check-digit group (a field and its digit), readings with up to two substitutions
//!    among the alternatives are scored (sum of log-probabilities) and those whose digit holds —
//!    and, for dates, that make a real date — are kept, best first.
//! 3. Groups are combined best-first; where the format has a composite digit, a combination must
//!    satisfy it too (with at most one more substitution in the places only the composite covers).
//! 4. When two different readings satisfy every check with likelihoods within a factor of
//!    [`AMBIGUITY_RATIO`], nothing is guessed: the base reading is returned with `valid: false`.
//!
//! An MRZ that is already valid as read is returned unchanged.

use crate::check_digit::char_value;
use crate::date::{Century, Date, DateProblem, parse_yymmdd};
use crate::format::{CheckKind, Format, Slot};
use crate::parse::{Check, Mrz, evaluate_checks, is_mrz_char, parse};

/// Two readings whose likelihoods are within this factor are too close to choose between.
pub const AMBIGUITY_RATIO: f64 = 2.0;

/// Probability given, in [`correct_text`], to each OCR confusion of a character read as plain text.
pub const PLAIN_CONFUSION_PROBABILITY: f32 = 0.05;

/// What a recogniser read at one position: alternatives, best first, with probabilities 0..1.
#[derive(Debug, Clone, PartialEq)]
pub struct CharReading {
    /// `(character, probability)`, best first.
    pub alternatives: Vec<(char, f32)>,
}

impl CharReading {
    /// A character read as plain text: probability 1, and its OCR confusions as unlikely
    /// alternatives ([`PLAIN_CONFUSION_PROBABILITY`]).
    pub fn from_text(c: char) -> CharReading {
        let mut alternatives = vec![(c, 1.0)];
        for &alt in plain_confusions(c) {
            alternatives.push((alt, PLAIN_CONFUSION_PROBABILITY));
        }
        CharReading { alternatives }
    }
}

/// One changed character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// 0-based line.
    pub line: usize,
    /// 0-based column.
    pub column: usize,
    /// As read.
    pub from: char,
    /// As corrected.
    pub to: char,
}

/// The outcome of a correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The corrected lines (the reading as given, when nothing could be settled).
    pub lines: Vec<String>,
    /// What changed, in line and column order.
    pub changes: Vec<Change>,
    /// The parse of `lines`.
    pub mrz: Mrz,
    /// `mrz.is_valid()`.
    pub valid: bool,
    /// How the search ended.
    pub outcome: Outcome,
}

/// How a correction ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The reading was valid as given; nothing changed.
    AlreadyValid,
    /// One reading satisfies every check and is clearly the most likely.
    Corrected,
    /// Two or more readings satisfy every check with likelihoods too close to choose: only the
    /// forced changes were made.
    Ambiguous,
    /// No reading within the search's bounds satisfies every check: only the forced changes
    /// were made.
    NotFound,
}

/// The standard OCR confusions of a character read as plain text: what it may really be.
pub(crate) fn plain_confusions(c: char) -> &'static [char] {
    match c {
        'O' | 'Q' | 'D' => &['0'],
        'I' => &['1'],
        'B' => &['8'],
        'S' => &['5', '<'],
        'Z' => &['2'],
        'G' => &['6'],
        '0' => &['O', 'D', 'Q'],
        '1' => &['I'],
        '8' => &['B'],
        '5' => &['S'],
        '2' => &['Z'],
        '6' => &['G'],
        'K' | 'C' | 'X' => &['<'],
        _ => &[],
    }
}

/// Where a character stands that its place cannot hold, what it most likely is: the standard
/// confusions, and a few more that are only worth trying then.
fn forced_confusions(c: char) -> &'static [char] {
    match c {
        'U' => &['0'],
        'L' => &['1'],
        'T' => &['7'],
        'A' => &['4'],
        '7' => &['T'],
        '4' => &['A'],
        'N' | 'H' => &['M'],
        'P' | 'E' => &['F'],
        '<' => &['K', 'C', 'S', 'X'],
        _ => plain_confusions(c),
    }
}

/// What a position may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `0–9`, or `<` (dates with an unknown part, check digits over empty fields).
    Digit,
    /// `A–Z`.
    Letter,
    /// `A–Z` or `<`.
    LetterOrFiller,
    /// `M`, `F`, `X`, `<`.
    Sex,
    /// `<` only.
    Filler,
    /// `A–Z 0–9 <`.
    Any,
}

impl Class {
    fn allows(self, c: char) -> bool {
        match self {
            Class::Digit => c.is_ascii_digit() || c == '<',
            Class::Letter => c.is_ascii_uppercase(),
            Class::LetterOrFiller => c.is_ascii_uppercase() || c == '<',
            Class::Sex => matches!(c, 'M' | 'F' | 'X' | '<'),
            Class::Filler => c == '<',
            Class::Any => is_mrz_char(c),
        }
    }

    /// Every character of the class, for a position nothing legible was read at.
    fn members(self) -> Vec<char> {
        let all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
        all.chars().filter(|&c| self.allows(c)).collect()
    }
}

fn class_at(format: Format, line: usize, col: usize) -> Class {
    let Some(span) = format
        .spans()
        .iter()
        .find(|s| s.line == line && (s.start..s.end).contains(&col))
    else {
        return Class::Any;
    };
    let offset = col - span.start;
    match span.slot {
        Slot::DocumentCode => match (format, offset) {
            (Format::FrenchDrivingLicense, 1) => Class::Any,
            (_, 0) => Class::Letter,
            (Format::SwissDrivingLicense, _) => Class::Letter,
            _ => Class::LetterOrFiller,
        },
        Slot::IssuingState | Slot::Nationality => {
            if offset == 0 {
                Class::Letter
            } else {
                Class::LetterOrFiller
            }
        }
        Slot::Names | Slot::LastName | Slot::FirstName => Class::LetterOrFiller,
        Slot::BirthDate
        | Slot::ExpiryDate
        | Slot::IssueDate
        | Slot::DocumentNumberCheck
        | Slot::BirthDateCheck
        | Slot::ExpiryDateCheck
        | Slot::PersonalNumberCheck
        | Slot::Composite
        | Slot::PinCode
        | Slot::VersionNumber => Class::Digit,
        Slot::Sex => Class::Sex,
        Slot::Filler => Class::Filler,
        Slot::LanguageCode => Class::Letter,
        Slot::LicenceNumber if offset >= 3 => Class::Digit,
        Slot::LicenceNumber
        | Slot::DocumentNumber
        | Slot::Optional1
        | Slot::Optional2
        | Slot::PersonalNumber
        | Slot::Department
        | Slot::AdministrativeCode => Class::Any,
    }
}

/// How much a character the place does not allow keeps of its probability when mapped through a
/// confusion: enough to be the base when nothing else is offered, little enough that a
/// recogniser's own allowed second choice wins over a blind mapping.
const FORCED_FACTOR: f32 = 0.3;
/// Alternatives kept per position.
const MAX_ALTERNATIVES: usize = 4;
/// Substitutions tried per check-digit group, cheapest first.
const MAX_GROUP_SUBSTITUTIONS: usize = 60;
/// Readings kept per group.
const MAX_GROUP_CANDIDATES: usize = 6;
/// Substitutions tried in the places only the composite covers.
const MAX_COMPOSITE_SUBSTITUTIONS: usize = 48;
/// Combinations for which pairs of composite-only substitutions are tried.
const MAX_COMPOSITE_PAIR_ROUNDS: usize = 3;
/// Combinations of group readings examined.
const MAX_COMBINATIONS: usize = 2000;

/// The allowed candidates of one position, best first, with log-probabilities.
fn candidates(reading: &CharReading, class: Class) -> Vec<(char, f64)> {
    fn add(out: &mut Vec<(char, f32)>, class: Class, c: char, p: f32) {
        if p.is_nan() || p <= 0.0 || !class.allows(c) {
            return;
        }
        match out.iter_mut().find(|(x, _)| *x == c) {
            Some(existing) => existing.1 = existing.1.max(p),
            None => out.push((c, p)),
        }
    }
    let mut out: Vec<(char, f32)> = Vec::new();
    for &(c, p) in &reading.alternatives {
        if class.allows(c) {
            add(&mut out, class, c, p);
        } else {
            for &alt in forced_confusions(c) {
                add(&mut out, class, alt, p * FORCED_FACTOR);
            }
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    if out.is_empty() {
        // Nothing legible: every character of the class, equally unlikely, for the check digits
        // to choose from.
        let members = class.members();
        let p = 0.01 / members.len().max(1) as f32;
        out = members.into_iter().map(|c| (c, p)).collect();
    } else {
        out.truncate(MAX_ALTERNATIVES);
    }
    out.into_iter()
        .map(|(c, p)| (c, f64::from(p).ln()))
        .collect()
}

/// Weight of a letter or digit inside the run of fillers that ends a field (`B<<C<<`), where a
/// misread `<` is far likelier than data.
const FILLER_RUN_PRIOR: f64 = 0.1;
/// Weight of a letter among digits (`12O45`) in an alphanumeric field.
const LETTER_AMONG_DIGITS_PRIOR: f64 = 0.2;

/// Context priors, from the top reading: a non-filler in the run of fillers (and `K`, `C`, `S`,
/// `X`) that ends a field or a name, and a letter between two digits in an alphanumeric field,
/// are less likely than the recogniser alone says. They only weigh between readings the check digits
/// allow; they never decide against a check digit.
fn apply_context_priors(format: Format, top: &[Vec<char>], cands: &mut [Vec<Vec<(char, f64)>>]) {
    for span in format.spans().iter().filter(|s| {
        matches!(
            s.slot,
            Slot::DocumentNumber
                | Slot::Optional1
                | Slot::Optional2
                | Slot::PersonalNumber
                | Slot::AdministrativeCode
                | Slot::Department
                | Slot::Names
                | Slot::LastName
                | Slot::FirstName
        )
    }) {
        let is_name = matches!(span.slot, Slot::Names | Slot::LastName | Slot::FirstName);
        let Some(field) = top.get(span.line).and_then(|l| l.get(span.start..span.end)) else {
            continue;
        };
        // The run that ends the field, of fillers and of letters a filler is misread as.
        let run_start = field.len()
            - field
                .iter()
                .rev()
                .take_while(|&&c| matches!(c, '<' | 'K' | 'C' | 'S' | 'X'))
                .count();
        // In a name, letters glued to the last word (`JONES<<`) are the name's own.
        let run_start = if is_name {
            field
                .get(run_start..)
                .and_then(|run| run.iter().position(|&c| c == '<'))
                .map_or(field.len(), |i| run_start + i)
        } else {
            run_start
        };
        let run_is_filler = field
            .get(run_start..)
            .is_some_and(|run| run.len() >= 2 || run.contains(&'<'));
        for i in 0..field.len() {
            let in_filler_run = run_is_filler && i >= run_start && i > 0;
            let among_digits = i > 0
                && field.get(i - 1).is_some_and(char::is_ascii_digit)
                && field.get(i + 1).is_some_and(char::is_ascii_digit);
            let Some(pos_cands) = cands
                .get_mut(span.line)
                .and_then(|l| l.get_mut(span.start + i))
            else {
                continue;
            };
            for (c, lp) in pos_cands.iter_mut() {
                if in_filler_run && *c != '<' {
                    *lp += FILLER_RUN_PRIOR.ln();
                }
                if among_digits && c.is_ascii_uppercase() {
                    *lp += LETTER_AMONG_DIGITS_PRIOR.ln();
                }
            }
            pos_cands.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
    }
}

type Pos = (usize, usize);

/// A substitution: position, character, cost (log-probability below the base, ≤ 0).
#[derive(Debug, Clone, Copy)]
struct Sub {
    pos: Pos,
    to: char,
    delta: f64,
}

/// One reading of a group: its substitutions and their summed cost.
#[derive(Debug, Clone)]
struct GroupReading {
    subs: Vec<Sub>,
    delta: f64,
}

struct Search<'a> {
    format: Format,
    today: Date,
    cands: &'a [Vec<Vec<(char, f64)>>],
}

impl Search<'_> {
    fn subs_at(&self, positions: &[Pos], limit: usize) -> Vec<Sub> {
        let best_of = |(l, c): Pos| {
            self.cands
                .get(l)
                .and_then(|line| line.get(c))
                .and_then(|cs| cs.first())
                .map(|&(_, lp)| lp)
                .unwrap_or(0.0)
        };
        let mut subs: Vec<Sub> = positions
            .iter()
            .flat_map(|&pos| {
                let base = best_of(pos);
                self.cands
                    .get(pos.0)
                    .and_then(|line| line.get(pos.1))
                    .map(|cs| cs.iter().skip(1).copied().collect::<Vec<_>>())
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |(to, lp)| Sub {
                        pos,
                        to,
                        delta: lp - base,
                    })
            })
            .collect();
        subs.sort_by(|a, b| b.delta.total_cmp(&a.delta));
        subs.truncate(limit);
        subs
    }

    /// Whether the group's check holds on `lines` (and, for a date group, the date is real).
    fn group_ok(&self, kind: CheckKind, lines: &[Vec<char>]) -> bool {
        let holds = evaluate_checks(self.format, lines)
            .iter()
            .any(|c: &Check| c.kind == kind && c.holds());
        if !holds {
            return false;
        }
        let (slot, century) = match kind {
            CheckKind::DateOfBirth => (Slot::BirthDate, Century::Past),
            CheckKind::DateOfExpiry => (Slot::ExpiryDate, Century::Expiry),
            _ => return true,
        };
        self.format.span(slot).is_none_or(|s| {
            let raw: String = lines
                .get(s.line)
                .and_then(|l| l.get(s.start..s.end))
                .unwrap_or(&[])
                .iter()
                .collect();
            matches!(
                parse_yymmdd(&raw, century, self.today),
                Ok(_) | Err(DateProblem::Unknown)
            )
        })
    }

    /// Readings of the group with up to two substitutions that satisfy its check, best first.
    fn group_readings(
        &self,
        kind: CheckKind,
        positions: &[Pos],
        base: &[Vec<char>],
    ) -> Vec<GroupReading> {
        let subs = self.subs_at(positions, MAX_GROUP_SUBSTITUTIONS);
        let mut scratch = base.to_vec();
        let mut found: Vec<GroupReading> = Vec::new();
        let mut try_subs = |chosen: &[Sub], scratch: &mut Vec<Vec<char>>| {
            for s in chosen {
                set(scratch, s.pos, s.to);
            }
            if self.group_ok(kind, scratch) {
                found.push(GroupReading {
                    subs: chosen.to_vec(),
                    delta: chosen.iter().map(|s| s.delta).sum(),
                });
            }
            for s in chosen {
                set(scratch, s.pos, get(base, s.pos));
            }
        };
        try_subs(&[], &mut scratch);
        for (i, a) in subs.iter().enumerate() {
            try_subs(&[*a], &mut scratch);
            for b in subs.iter().skip(i + 1).filter(|b| b.pos != a.pos) {
                try_subs(&[*a, *b], &mut scratch);
            }
        }
        found.sort_by(|a, b| b.delta.total_cmp(&a.delta));
        found.truncate(MAX_GROUP_CANDIDATES);
        found
    }
}

fn get(lines: &[Vec<char>], (l, c): Pos) -> char {
    lines
        .get(l)
        .and_then(|line| line.get(c))
        .copied()
        .unwrap_or('<')
}

fn set(lines: &mut [Vec<char>], (l, c): Pos, to: char) {
    if let Some(slot) = lines.get_mut(l).and_then(|line| line.get_mut(c)) {
        *slot = to;
    }
}

/// Positions of each check's group (its data and digit; a TD1/TD2 number also its possible
/// overflow), and the positions only the composite covers.
pub(crate) fn groups(format: Format) -> (Vec<(CheckKind, Vec<Pos>)>, Vec<Pos>) {
    let mut out = Vec::new();
    let mut composite_only = Vec::new();
    for check in format.checks() {
        let mut positions: Vec<Pos> = check
            .data
            .iter()
            .flat_map(|&(l, s, e)| (s..e).map(move |c| (l, c)))
            .collect();
        positions.push(check.digit);
        if let Some(opt) = format
            .span(Slot::Optional1)
            .filter(|_| check.kind == CheckKind::DocumentNumber && format.has_number_overflow())
        {
            positions.extend((opt.start..opt.end).map(|c| (opt.line, c)));
        }
        if check.kind == CheckKind::Composite {
            composite_only = positions;
        } else {
            out.push((check.kind, positions));
        }
    }
    composite_only.retain(|p| !out.iter().any(|(_, ps)| ps.contains(p)));
    for (_, ps) in &mut out {
        ps.sort_unstable();
        ps.dedup();
    }
    (out, composite_only)
}

/// A `<` misread as `K`, `C`, `S` or `X` after three fillers in the run that ends a name field
/// (`ANNA<<<K<<`): no check digit covers names (and `K` is worth `<` in any 7-3-1 sum), so
/// this is settled by the shape alone. `SMITH<<K` (an initial) is left alone.
fn clean_name_tails(format: Format, lines: &mut [Vec<char>]) {
    for span in format
        .spans()
        .iter()
        .filter(|s| matches!(s.slot, Slot::Names | Slot::LastName | Slot::FirstName))
    {
        let Some(field) = lines
            .get_mut(span.line)
            .and_then(|l| l.get_mut(span.start..span.end))
        else {
            continue;
        };
        let n = field.len();
        for i in 3..n {
            let before = field.get(i - 3..i).is_some_and(|p| p == ['<', '<', '<']);
            let after_all_filler = field
                .get(i + 1..)
                .is_some_and(|rest| rest.iter().all(|&c| c == '<'));
            let is_misread = field
                .get(i)
                .is_some_and(|c| matches!(c, 'K' | 'C' | 'S' | 'X'));
            if let Some(c) = field
                .get_mut(i)
                .filter(|_| before && after_all_filler && is_misread)
            {
                *c = '<';
            }
        }
    }
}

/// Corrects plain OCR text: each character is taken with probability 1 and its OCR confusions as
/// unlikely alternatives. `None` when the text has no MRZ shape.
///
/// ```
/// use idverify_mrz::{correct_text, Date};
/// let fixed = correct_text(
///     &["P<UT0ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
///       "L898902C36UTO740BI22F1204159ZE184226B<<<<<10"],
///     Date::new(2026, 1, 1).unwrap(),
/// ).unwrap();
/// assert!(fixed.valid);
/// assert_eq!(fixed.lines[1], "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
/// assert_eq!(fixed.changes.len(), 3);
/// ```
pub fn correct_text<S: AsRef<str>>(lines: &[S], today: Date) -> Option<Correction> {
    let readings: Vec<Vec<CharReading>> = lines
        .iter()
        .map(|l| l.as_ref().chars().map(CharReading::from_text).collect())
        .collect();
    correct(&readings, today)
}

/// Corrects a recogniser's reading (per position, its alternatives with probabilities). Returns
/// the most likely reading whose check digits hold; the reading as given when it is already
/// valid; the reading with only the forced changes (characters the place cannot hold) and
/// `valid: false` when no reading holds or two are too close to choose. `None` when the top
/// reading has no MRZ shape.
pub fn correct(lines: &[Vec<CharReading>], today: Date) -> Option<Correction> {
    let top: Vec<Vec<char>> = lines
        .iter()
        .map(|l| {
            l.iter()
                .map(|r| r.alternatives.first().map_or('?', |a| a.0))
                .collect()
        })
        .collect();
    let detected = Format::detect(&top)?;
    let top_text: Vec<String> = top.iter().map(|l| l.iter().collect()).collect();
    let as_read = parse(&top_text, today).ok();
    if let Some(mrz) = as_read.as_ref().filter(|m| m.is_valid()) {
        return Some(Correction {
            lines: top_text,
            changes: Vec::new(),
            mrz: mrz.clone(),
            valid: true,
            outcome: Outcome::AlreadyValid,
        });
    }
    // A damaged `IDFRA` (`I0FRA`, `1DFRA`) looks like TD2: the French card is tried too.
    let first_line = top.first().map(Vec::as_slice).unwrap_or(&[]);
    let french = detected == Format::Td2 && first_line.get(2..5) == Some(&['F', 'R', 'A'][..]);
    let mut fallback = None;
    for format in [Some(detected), french.then_some(Format::FrenchNationalId)]
        .into_iter()
        .flatten()
    {
        let Some(c) = correct_as(format, lines, &top, today) else {
            continue;
        };
        if c.outcome == Outcome::Corrected && c.valid && c.mrz.format == format {
            return Some(c);
        }
        fallback.get_or_insert(c);
    }
    fallback
}

/// [`correct`] with the format fixed.
fn correct_as(
    format: Format,
    lines: &[Vec<CharReading>],
    top: &[Vec<char>],
    today: Date,
) -> Option<Correction> {
    let cands: Vec<Vec<Vec<(char, f64)>>> = lines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            line.iter()
                .enumerate()
                .map(|(c, r)| candidates(r, class_at(format, l, c)))
                .collect()
        })
        .collect();
    let mut cands = cands;
    apply_context_priors(format, top, &mut cands);
    let mut base: Vec<Vec<char>> = cands
        .iter()
        .zip(top)
        .map(|(line, top_line)| {
            line.iter()
                .zip(top_line)
                .map(|(cs, &t)| cs.first().map_or(t, |&(c, _)| c))
                .collect()
        })
        .collect();
    clean_name_tails(format, &mut base);

    let search = Search {
        format,
        today,
        cands: &cands,
    };
    let (groups, composite_only) = groups(format);
    let readings: Vec<Vec<GroupReading>> = groups
        .iter()
        .map(|(kind, positions)| search.group_readings(*kind, positions, &base))
        .collect();
    let has_composite = format
        .checks()
        .iter()
        .any(|c| c.kind == CheckKind::Composite);

    let chosen = if readings.iter().any(Vec::is_empty) {
        Err(Outcome::NotFound)
    } else {
        best_combination(&search, &readings, &composite_only, has_composite, &base)
    };
    let (final_lines, outcome) = match chosen {
        Ok(subs) => {
            let mut lines = base.clone();
            for s in subs {
                set(&mut lines, s.pos, s.to);
            }
            (lines, Outcome::Corrected)
        }
        Err(outcome) => (base, outcome),
    };
    let text: Vec<String> = final_lines.iter().map(|l| l.iter().collect()).collect();
    let mrz = parse(&text, today).ok()?;
    let changes = top
        .iter()
        .zip(&final_lines)
        .enumerate()
        .flat_map(|(l, (a, b))| {
            a.iter()
                .zip(b)
                .enumerate()
                .filter(|(_, (x, y))| x != y)
                .map(move |(c, (&from, &to))| Change {
                    line: l,
                    column: c,
                    from,
                    to,
                })
        })
        .collect();
    let valid = mrz.is_valid();
    Some(Correction {
        lines: text,
        changes,
        mrz,
        valid,
        outcome,
    })
}

/// The best combination of group readings (plus composite-only substitutions) that satisfies
/// every check; `Err` when none does or the runner-up is too close.
fn best_combination(
    search: &Search<'_>,
    readings: &[Vec<GroupReading>],
    composite_only: &[Pos],
    has_composite: bool,
    base: &[Vec<char>],
) -> Result<Vec<Sub>, Outcome> {
    // Every combination's indices and score, best first.
    let mut combos: Vec<(Vec<usize>, f64)> = vec![(Vec::new(), 0.0)];
    for group in readings {
        let mut next = Vec::new();
        for (idx, score) in &combos {
            for (i, r) in group.iter().enumerate() {
                let mut idx = idx.clone();
                idx.push(i);
                next.push((idx, score + r.delta));
            }
        }
        next.sort_by(|a, b| b.1.total_cmp(&a.1));
        next.truncate(MAX_COMBINATIONS);
        combos = next;
    }
    let extra = if has_composite {
        search.subs_at(composite_only, MAX_COMPOSITE_SUBSTITUTIONS)
    } else {
        Vec::new()
    };
    let margin = AMBIGUITY_RATIO.ln();
    let mut solutions: Vec<(Vec<Vec<char>>, Vec<Sub>, f64)> = Vec::new();
    let mut scratch = base.to_vec();
    let mut pair_budget = MAX_COMPOSITE_PAIR_ROUNDS;
    for (idx, score) in &combos {
        let best = solutions.first().map(|s| s.2);
        if best.is_some_and(|b| *score < b - margin) {
            break;
        }
        let mut subs: Vec<Sub> = idx
            .iter()
            .zip(readings)
            .filter_map(|(&i, group)| group.get(i))
            .flat_map(|r| r.subs.iter().copied())
            .collect();
        // Groups may overlap (a TD1 number's overflow lies in the composite's span); a combination
        // that sets one place two ways is no reading.
        let conflicting = subs.iter().enumerate().any(|(i, a)| {
            subs.iter()
                .skip(i + 1)
                .any(|b| b.pos == a.pos && b.to != a.to)
        });
        if conflicting {
            continue;
        }
        for s in &subs {
            set(&mut scratch, s.pos, s.to);
        }
        let mut record = |lines: &[Vec<char>], subs: Vec<Sub>, score: f64| {
            if !solutions.iter().any(|(l, _, _)| l == lines) {
                solutions.push((lines.to_vec(), subs, score));
                solutions.sort_by(|a, b| b.2.total_cmp(&a.2));
            }
        };
        let all_hold = |lines: &[Vec<char>]| {
            evaluate_checks(search.format, lines)
                .iter()
                .all(Check::holds)
        };
        if all_hold(&scratch) {
            record(&scratch, subs.clone(), *score);
        } else if has_composite {
            let free: Vec<Sub> = extra
                .iter()
                .copied()
                .filter(|e| !subs.iter().any(|s| s.pos == e.pos))
                .collect();
            let mut found_single = false;
            for e in &free {
                set(&mut scratch, e.pos, e.to);
                if all_hold(&scratch) {
                    let mut with = subs.clone();
                    with.push(*e);
                    record(&scratch, with, score + e.delta);
                    found_single = true;
                }
                set(&mut scratch, e.pos, get(base, e.pos));
            }
            // Two places only the composite covers (a French card's names), for the best few
            // combinations only.
            if !found_single && pair_budget > 0 {
                pair_budget -= 1;
                for (i, a) in free.iter().enumerate() {
                    for b in free.iter().skip(i + 1).filter(|b| b.pos != a.pos) {
                        set(&mut scratch, a.pos, a.to);
                        set(&mut scratch, b.pos, b.to);
                        if all_hold(&scratch) {
                            let mut with = subs.clone();
                            with.extend([*a, *b]);
                            record(&scratch, with, score + a.delta + b.delta);
                        }
                        set(&mut scratch, a.pos, get(base, a.pos));
                        set(&mut scratch, b.pos, get(base, b.pos));
                    }
                }
            }
        }
        for s in &subs {
            set(&mut scratch, s.pos, get(base, s.pos));
        }
        subs.clear();
    }
    let mut solutions = solutions.into_iter();
    let (best_lines, best_subs, best_score) = solutions.next().ok_or(Outcome::NotFound)?;
    // A reading that differs from the best only by characters of equal value modulo 10 (`<` and
    // `K`, `6` and `G`) is no rival: no check digit can tell them apart, so the recogniser's
    // probabilities alone choose, and they chose the best.
    let rival = solutions.find(|(lines, _, _)| {
        lines.iter().zip(&best_lines).any(|(a, b)| {
            a.iter().zip(b).any(|(&x, &y)| {
                x != y && char_value(x).map(|v| v % 10) != char_value(y).map(|v| v % 10)
            })
        })
    });
    if rival.is_some_and(|(_, _, s)| s >= best_score - margin) {
        return Err(Outcome::Ambiguous);
    }
    Ok(best_subs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testgen::today;

    const TD3: [&str; 2] = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];

    #[test]
    fn valid_text_is_never_changed() {
        let c = correct_text(&TD3, today()).unwrap();
        assert!(c.valid);
        assert!(c.changes.is_empty());
        assert_eq!(c.lines, TD3);
    }

    #[test]
    fn digits_in_letter_places_and_letters_in_digit_places() {
        let c = correct_text(
            &[
                "P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O",
            ],
            today(),
        )
        .unwrap();
        assert!(c.valid, "{:?}", c.mrz.problems);
        assert_eq!(c.lines, TD3);
        assert_eq!(c.changes.len(), 10);
        assert!(c.changes.contains(&Change {
            line: 0,
            column: 4,
            from: '0',
            to: 'O'
        }));
    }

    #[test]
    fn filler_misread_in_an_empty_field_and_a_name_tail() {
        let c = correct_text(
            &[
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<K<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<C<<10",
            ],
            today(),
        )
        .unwrap();
        assert!(c.valid, "{:?}", c.mrz.problems);
        assert_eq!(c.lines, TD3);
        // `K` (value 20) where `<` (0) stands changes no 7-3-1 sum: read that way, the zone is
        // valid, and a valid reading is never changed, not even its name.
        let k = [TD3[0].replacen("<<<<<<<", "<<<<<K<", 1), TD3[1].to_string()];
        let c = correct_text(&k, today()).unwrap();
        assert!(c.valid && c.changes.is_empty());
    }

    #[test]
    fn recogniser_alternatives_settle_a_document_number() {
        // `0` in the number read as `O` (top), with `0` as the second choice.
        let mut lines: Vec<Vec<CharReading>> = TD3
            .iter()
            .map(|l| {
                l.chars()
                    .map(|c| CharReading {
                        alternatives: vec![(c, 0.97), ('<', 0.01)],
                    })
                    .collect()
            })
            .collect();
        lines[1][5] = CharReading {
            alternatives: vec![('O', 0.55), ('0', 0.4), ('Q', 0.05)],
        };
        let c = correct(&lines, today()).unwrap();
        assert!(c.valid);
        assert_eq!(c.lines, TD3);
        assert_eq!(
            c.changes,
            [Change {
                line: 1,
                column: 5,
                from: 'O',
                to: '0'
            }]
        );
    }

    #[test]
    fn does_not_invent_a_number_when_the_composite_fails() {
        // Document number check digit and composite both wrong: no single or double swap
        // in the number should be accepted on its own digit alone.
        let c = correct_text(
            &[TD3[0], "L898902C35UTO7408122F1204159ZE184226B<<<<<19"],
            today(),
        )
        .unwrap();
        if c.valid {
            // Only acceptable if it changed the check digits back, not the number.
            assert_eq!(c.mrz.document_number, "L898902C3");
        }
        assert!(
            c.changes.iter().all(|ch| ch.column == 9 || ch.column == 43),
            "{:?}",
            c.changes
        );
    }

    #[test]
    fn no_shape_no_correction() {
        assert!(correct_text(&["P<UTO"], today()).is_none());
        let empty: [&str; 0] = [];
        assert!(correct_text(&empty, today()).is_none());
    }
}
