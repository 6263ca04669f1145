//! Dates as documents print them (`12.12.1982`, `12 DEC/DÉC 82`, `1982-12-12`, `12/12/1982`,
//! `12 Dezember 1982` …), read tolerantly from OCR text, with two-digit years kept as such until
//! an MRZ date or the MRZ century rule resolves them.

use crate::fold::fold_char;
use idverify_mrz::Date;

/// The year of a printed date: as printed, four digits or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrintedYear {
    /// A four-digit year.
    Full(u16),
    /// A two-digit year (`82`), its century still open.
    Short(u8),
}

/// A date read from the printed zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrintedDate {
    /// Day of the month, 1–31.
    pub day: u8,
    /// Month, 1–12.
    pub month: u8,
    /// The year as printed.
    pub year: PrintedYear,
}

/// How a two-digit year is given its century (CONTRACT §5, the MRZ's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CenturyRule {
    /// A birth or issue date: the most recent year that does not put it after `today`.
    Past(Date),
    /// An expiry date: `20YY` when `YY < 70`, else `19YY`.
    Expiry,
}

impl PrintedDate {
    /// The calendar date, resolving a two-digit year by `rule`; `None` when no such day exists.
    ///
    /// ```
    /// use idverify_check::printed_date::{parse_date, CenturyRule};
    /// use idverify_mrz::Date;
    /// let today = Date::new(2026, 11, 27).unwrap();
    /// let d = parse_date("12 DEC/DÉC 82").unwrap();
    /// assert_eq!(d.resolve(CenturyRule::Past(today)), Date::new(1982, 12, 12));
    /// assert_eq!(d.resolve(CenturyRule::Expiry), Date::new(1982, 12, 12));
    /// ```
    pub fn resolve(&self, rule: CenturyRule) -> Option<Date> {
        let year = match (self.year, rule) {
            (PrintedYear::Full(y), _) => y,
            (PrintedYear::Short(yy), CenturyRule::Expiry) => {
                let yy = u16::from(yy);
                if yy < 70 { 2000 + yy } else { 1900 + yy }
            }
            (PrintedYear::Short(yy), CenturyRule::Past(today)) => {
                let candidate = today.year - today.year % 100 + u16::from(yy);
                if (candidate, self.month, self.day) > (today.year, today.month, today.day) {
                    candidate.saturating_sub(100)
                } else {
                    candidate
                }
            }
        };
        Date::new(year, self.month, self.day)
    }

    /// The calendar date when the year has four digits, or else in the century that puts it
    /// closest to `like` (the MRZ's reading of the same field), so that `82` next to
    /// `1982-12-12` is 1982 and `61` next to `2005-01-25` is 1961.
    pub fn resolve_like(&self, like: Date) -> Option<Date> {
        match self.year {
            PrintedYear::Full(y) => Date::new(y, self.month, self.day),
            PrintedYear::Short(yy) => {
                let base = like.year - like.year % 100 + u16::from(yy);
                let target = i32::from(like.year);
                [base.checked_sub(100), Some(base), base.checked_add(100)]
                    .into_iter()
                    .flatten()
                    .min_by_key(|y| (i32::from(*y) - target).abs())
                    .and_then(|y| Date::new(y, self.month, self.day))
            }
        }
    }

    /// Whether this printed date denotes `date` (a two-digit year agrees with any century).
    pub fn matches(&self, date: Date) -> bool {
        let year_ok = match self.year {
            PrintedYear::Full(y) => y == date.year,
            PrintedYear::Short(yy) => u16::from(yy) == date.year % 100,
        };
        year_ok && self.month == date.month && self.day == date.day
    }
}

impl std::fmt::Display for PrintedDate {
    /// `DD.MM.YYYY`, or `DD.MM.YY` for a two-digit year.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.year {
            PrintedYear::Full(y) => write!(f, "{:02}.{:02}.{y:04}", self.day, self.month),
            PrintedYear::Short(y) => write!(f, "{:02}.{:02}.{y:02}", self.day, self.month),
        }
    }
}

/// A token of date text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// A run of digits: its value and how many digits it had.
    Num(u32, usize),
    /// A month name or abbreviation, in any of the label languages.
    Month(u8),
    /// Any other word.
    Word,
}

/// Month names and abbreviations (folded), English, French, German, Spanish, Italian, Dutch,
/// Portuguese, Polish (nominative and genitive) and Swedish.
const MONTHS: &[(&str, u8)] = &[
    ("JAN", 1),
    ("JANUARY", 1),
    ("JANV", 1),
    ("JANVIER", 1),
    ("JANUAR", 1),
    ("JAN", 1),
    ("ENE", 1),
    ("ENERO", 1),
    ("GEN", 1),
    ("GENNAIO", 1),
    ("JANUARI", 1),
    ("JANEIRO", 1),
    ("STY", 1),
    ("STYCZEN", 1),
    ("STYCZNIA", 1),
    ("FEB", 2),
    ("FEBRUARY", 2),
    ("FEV", 2),
    ("FEVR", 2),
    ("FEVRIER", 2),
    ("FEBRUAR", 2),
    ("FEBRERO", 2),
    ("FEBBRAIO", 2),
    ("FEBRUARI", 2),
    ("FEVEREIRO", 2),
    ("LUT", 2),
    ("LUTY", 2),
    ("LUTEGO", 2),
    ("MAR", 3),
    ("MARCH", 3),
    ("MARS", 3),
    ("MARZ", 3),
    ("MARZO", 3),
    ("MRT", 3),
    ("MAART", 3),
    ("MARCO", 3),
    ("MARZEC", 3),
    ("MARCA", 3),
    ("APR", 4),
    ("APRIL", 4),
    ("AVR", 4),
    ("AVRIL", 4),
    ("ABR", 4),
    ("ABRIL", 4),
    ("APRILE", 4),
    ("KWI", 4),
    ("KWIECIEN", 4),
    ("KWIETNIA", 4),
    ("MAY", 5),
    ("MAI", 5),
    ("MAYO", 5),
    ("MAG", 5),
    ("MAGGIO", 5),
    ("MEI", 5),
    ("MAIO", 5),
    ("MAJ", 5),
    ("MAJA", 5),
    ("JUN", 6),
    ("JUNE", 6),
    ("JUIN", 6),
    ("JUNI", 6),
    ("JUNIO", 6),
    ("GIU", 6),
    ("GIUGNO", 6),
    ("JUNHO", 6),
    ("CZE", 6),
    ("CZERWIEC", 6),
    ("CZERWCA", 6),
    ("JUL", 7),
    ("JULY", 7),
    ("JUIL", 7),
    ("JUILLET", 7),
    ("JULI", 7),
    ("JULIO", 7),
    ("LUG", 7),
    ("LUGLIO", 7),
    ("JULHO", 7),
    ("LIP", 7),
    ("LIPIEC", 7),
    ("LIPCA", 7),
    ("AUG", 8),
    ("AUGUST", 8),
    ("AOU", 8),
    ("AOUT", 8),
    ("AGO", 8),
    ("AGOSTO", 8),
    ("AUGUSTUS", 8),
    ("AUGUSTI", 8),
    ("SIE", 8),
    ("SIERPIEN", 8),
    ("SIERPNIA", 8),
    ("SEP", 9),
    ("SEPT", 9),
    ("SEPTEMBER", 9),
    ("SEPTEMBRE", 9),
    ("SEPTIEMBRE", 9),
    ("SETIEMBRE", 9),
    ("SET", 9),
    ("SETTEMBRE", 9),
    ("SETEMBRO", 9),
    ("WRZ", 9),
    ("WRZESIEN", 9),
    ("WRZESNIA", 9),
    ("OCT", 10),
    ("OCTOBER", 10),
    ("OCTOBRE", 10),
    ("OKT", 10),
    ("OKTOBER", 10),
    ("OCTUBRE", 10),
    ("OTT", 10),
    ("OTTOBRE", 10),
    ("OUT", 10),
    ("OUTUBRO", 10),
    ("PAZ", 10),
    ("PAZDZIERNIK", 10),
    ("PAZDZIERNIKA", 10),
    ("NOV", 11),
    ("NOVEMBER", 11),
    ("NOVEMBRE", 11),
    ("NOVIEMBRE", 11),
    ("NOVEMBRO", 11),
    ("LIS", 11),
    ("LISTOPAD", 11),
    ("LISTOPADA", 11),
    ("DEC", 12),
    ("DECEMBER", 12),
    ("DECEMBRE", 12),
    ("DEZ", 12),
    ("DEZEMBER", 12),
    ("DIC", 12),
    ("DICIEMBRE", 12),
    ("DICEMBRE", 12),
    ("DEZEMBRO", 12),
    ("GRU", 12),
    ("GRUDZIEN", 12),
    ("GRUDNIA", 12),
];

/// The month a (folded) word names, if any.
pub fn month_from_word(folded: &str) -> Option<u8> {
    MONTHS
        .iter()
        .find(|(name, _)| *name == folded)
        .map(|(_, m)| *m)
}

/// Characters an OCR engine puts for a digit in a numeric context.
fn digit_like(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        'O' | 'o' | 'Q' | 'D' => Some(0),
        'I' | 'l' | '|' | 'i' | '!' => Some(1),
        'Z' | 'z' => Some(2),
        'S' | 's' => Some(5),
        'B' => Some(8),
        _ => None,
    }
}

/// Splits text into tokens: digit runs, month words, other words. A word made only of
/// digit-like characters with at least one real digit (`1O`, `I2`) counts as a number; a word
/// gluing digits and letters (`12DEC82`) is split at the transitions.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || c == '|' || c == '!')) {
        if raw.is_empty() {
            continue;
        }
        let has_digit = raw.chars().any(|c| c.is_ascii_digit());
        if has_digit && raw.chars().all(|c| digit_like(c).is_some()) {
            push_number(&mut tokens, raw.chars().filter_map(digit_like));
            continue;
        }
        // Split at letter/digit transitions.
        let mut run = String::new();
        let mut run_is_digit = false;
        for c in raw.chars() {
            let is_digit = c.is_ascii_digit();
            if !run.is_empty() && is_digit != run_is_digit {
                push_run(&mut tokens, &run, run_is_digit);
                run.clear();
            }
            run_is_digit = is_digit;
            run.push(c);
        }
        if !run.is_empty() {
            push_run(&mut tokens, &run, run_is_digit);
        }
    }
    tokens
}

fn push_run(tokens: &mut Vec<Token>, run: &str, is_digit: bool) {
    if is_digit {
        push_number(tokens, run.chars().filter_map(|c| c.to_digit(10)));
    } else {
        let folded: String = run.chars().map(fold_char).collect();
        tokens.push(match month_from_word(&folded) {
            Some(m) => Token::Month(m),
            None => Token::Word,
        });
    }
}

fn push_number(tokens: &mut Vec<Token>, digits: impl Iterator<Item = u32>) {
    let mut value: u32 = 0;
    let mut count = 0usize;
    for d in digits {
        count += 1;
        // Longer runs than any date field are kept with their length so no pattern takes them.
        value = value.saturating_mul(10).saturating_add(d);
    }
    tokens.push(Token::Num(value, count));
}

/// Words that may stand between the parts of a date (`12 de diciembre de 1982`, `12. März`).
fn is_filler(tokens: &[Token], i: usize) -> bool {
    matches!(tokens.get(i), Some(Token::Word))
}

fn day_of(t: Option<&Token>) -> Option<u8> {
    match t {
        Some(Token::Num(v, n)) if (1..=2).contains(n) && (1..=31).contains(v) => {
            u8::try_from(*v).ok()
        }
        _ => None,
    }
}

fn month_num(t: Option<&Token>) -> Option<u8> {
    match t {
        Some(Token::Num(v, n)) if (1..=2).contains(n) && (1..=12).contains(v) => {
            u8::try_from(*v).ok()
        }
        _ => None,
    }
}

fn year_of(t: Option<&Token>) -> Option<PrintedYear> {
    match t {
        Some(Token::Num(v, 4)) if (1800..=2200).contains(v) => {
            u16::try_from(*v).ok().map(PrintedYear::Full)
        }
        Some(Token::Num(v, 2)) => u8::try_from(*v).ok().map(PrintedYear::Short),
        _ => None,
    }
}

/// Whether the day can exist in the month (29 February allowed for a two-digit year).
fn plausible(day: u8, month: u8, year: PrintedYear) -> Option<PrintedDate> {
    let candidate = PrintedDate { day, month, year };
    match year {
        PrintedYear::Full(y) => Date::new(y, month, day).map(|_| candidate),
        PrintedYear::Short(_) => Date::new(2000, month, day).map(|_| candidate),
    }
}

/// Tries every date pattern at token `i`; returns the date and the index after it.
fn date_at(tokens: &[Token], i: usize) -> Option<(PrintedDate, usize)> {
    // 8 digits glued: DDMMYYYY or YYYYMMDD.
    if let Some(Token::Num(v, 8)) = tokens.get(i) {
        let (a, b, c) = (v / 1_000_000, v / 10_000 % 100, v % 10_000);
        let (y1, m1, d1) = (v / 10_000, v / 100 % 100, v % 100);
        let ddmmyyyy = u8::try_from(a)
            .ok()
            .zip(u8::try_from(b).ok())
            .and_then(|(d, m)| {
                u16::try_from(c)
                    .ok()
                    .filter(|y| (1800..=2200).contains(y))
                    .and_then(|y| plausible(d, m, PrintedYear::Full(y)))
            });
        let yyyymmdd = u16::try_from(y1)
            .ok()
            .filter(|y| (1800..=2200).contains(y))
            .and_then(|y| {
                u8::try_from(m1)
                    .ok()
                    .zip(u8::try_from(d1).ok())
                    .and_then(|(m, d)| plausible(d, m, PrintedYear::Full(y)))
            });
        if let Some(d) = yyyymmdd.or(ddmmyyyy) {
            return Some((d, i + 1));
        }
    }
    // YYYY MM DD
    if let Some(Token::Num(y, 4)) = tokens.get(i)
        && let (Some(m), Some(d)) = (month_num(tokens.get(i + 1)), day_of(tokens.get(i + 2)))
        && let Some(y) = u16::try_from(*y).ok().filter(|y| (1800..=2200).contains(y))
        && let Some(date) = plausible(d, m, PrintedYear::Full(y))
    {
        return Some((date, i + 3));
    }
    let day = day_of(tokens.get(i))?;
    // DD MM YY(YY)
    if let (Some(m), Some(y)) = (month_num(tokens.get(i + 1)), year_of(tokens.get(i + 2)))
        && let Some(date) = plausible(day, m, y)
    {
        return Some((date, i + 3));
    }
    // DD [word] MONTH [MONTH…] [word] YY(YY)
    let mut j = i + 1;
    if is_filler(tokens, j) {
        j += 1;
    }
    let Some(Token::Month(month)) = tokens.get(j) else {
        return None;
    };
    let month = *month;
    j += 1;
    // A bilingual month (`DEC/DÉC`, `MAR/MÄR`) repeats the month.
    while let Some(Token::Month(_)) = tokens.get(j) {
        j += 1;
    }
    if is_filler(tokens, j) && year_of(tokens.get(j)).is_none() {
        j += 1;
    }
    let year = year_of(tokens.get(j))?;
    plausible(day, month, year).map(|d| (d, j + 1))
}

/// Every date found in `text`, in reading order.
///
/// ```
/// use idverify_check::printed_date::{find_dates, PrintedYear};
/// let dates = find_dates("01.02.2020 01 FEB/FÉV 30");
/// assert_eq!(dates.len(), 2);
/// assert_eq!(dates[1].year, PrintedYear::Short(30));
/// ```
pub fn find_dates(text: &str) -> Vec<PrintedDate> {
    let tokens = tokenize(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match date_at(&tokens, i) {
            Some((date, next)) => {
                found.push(date);
                i = next;
            }
            None => i += 1,
        }
    }
    found
}

/// The first date in `text`, if any.
///
/// ```
/// use idverify_check::printed_date::{parse_date, PrintedYear};
/// let d = parse_date("1982-12-12").unwrap();
/// assert_eq!((d.day, d.month, d.year), (12, 12, PrintedYear::Full(1982)));
/// assert_eq!(parse_date("12 Dezember 1982"), Some(d));
/// assert_eq!(parse_date("1O.12.1982").map(|d| d.day), Some(10));
/// assert!(parse_date("SPECIMEN").is_none());
/// ```
pub fn parse_date(text: &str) -> Option<PrintedDate> {
    find_dates(text).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full(d: u8, m: u8, y: u16) -> PrintedDate {
        PrintedDate {
            day: d,
            month: m,
            year: PrintedYear::Full(y),
        }
    }

    fn short(d: u8, m: u8, y: u8) -> PrintedDate {
        PrintedDate {
            day: d,
            month: m,
            year: PrintedYear::Short(y),
        }
    }

    #[test]
    fn every_printed_form() {
        let cases = [
            ("12.12.1982", full(12, 12, 1982)),
            ("12 12 1982", full(12, 12, 1982)),
            ("12 DEC/DÉC 82", short(12, 12, 82)),
            ("12 DEC 1982", full(12, 12, 1982)),
            ("1982-12-12", full(12, 12, 1982)),
            ("12/12/1982", full(12, 12, 1982)),
            ("12-12-82", short(12, 12, 82)),
            ("12DEC82", short(12, 12, 82)),
            ("03 MAR/MÄR 1965", full(3, 3, 1965)),
            ("10 mrt 1965", full(10, 3, 1965)),
            ("10 de marzo de 1965", full(10, 3, 1965)),
            ("10. März 1965", full(10, 3, 1965)),
            ("10 marca 1965", full(10, 3, 1965)),
            ("2 AOÛT 2031", full(2, 8, 2031)),
            ("02 08 31", short(2, 8, 31)),
            ("10031965", full(10, 3, 1965)),
            ("19650310", full(10, 3, 1965)),
            ("12 ott 2020", full(12, 10, 2020)),
            ("5 GRU 2029", full(5, 12, 2029)),
            ("14 OUT 2029", full(14, 10, 2029)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), Some(want), "{text}");
        }
    }

    #[test]
    fn ocr_noise() {
        assert_eq!(parse_date("1O.O3.1965"), Some(full(10, 3, 1965)));
        assert_eq!(parse_date(" :12 .12. 1982,"), Some(full(12, 12, 1982)));
        assert_eq!(parse_date("I2/I2/I982"), Some(full(12, 12, 1982)));
        assert_eq!(parse_date("12/I2/I982"), Some(full(12, 12, 1982)));
        assert_eq!(parse_date("12 dec 1982"), Some(full(12, 12, 1982)));
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            "SPECIMEN",
            "31.02.1982",
            "32 12 1982",
            "12 13 1982",
            "L898902C3",
            "999999990",
            "De Bruijn",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn two_digit_years() {
        let today = Date::new(2026, 11, 27).unwrap();
        assert_eq!(
            short(12, 12, 82).resolve(CenturyRule::Past(today)),
            Date::new(1982, 12, 12)
        );
        assert_eq!(
            short(1, 1, 20).resolve(CenturyRule::Past(today)),
            Date::new(2020, 1, 1)
        );
        assert_eq!(
            short(28, 11, 26).resolve(CenturyRule::Past(today)),
            Date::new(1926, 11, 28)
        );
        assert_eq!(
            short(1, 1, 31).resolve(CenturyRule::Expiry),
            Date::new(2031, 1, 1)
        );
        assert_eq!(
            short(1, 1, 75).resolve(CenturyRule::Expiry),
            Date::new(1975, 1, 1)
        );
        let mrz = Date::new(1965, 3, 10).unwrap();
        assert!(short(10, 3, 65).matches(mrz));
        assert!(!short(10, 3, 22).matches(mrz));
        assert_eq!(short(10, 3, 22).resolve_like(mrz), Date::new(1922, 3, 10));
        assert_eq!(
            short(3, 2, 61).resolve_like(Date::new(2005, 1, 25).unwrap()),
            Date::new(1961, 2, 3)
        );
        assert_eq!(
            short(3, 2, 99).resolve_like(Date::new(2001, 1, 1).unwrap()),
            Date::new(1999, 2, 3)
        );
        assert_eq!(short(29, 2, 23).resolve_like(mrz), None);
    }

    fn render(date: Date, form: usize) -> String {
        const EN: [&str; 12] = [
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ];
        const FR: [&str; 12] = [
            "JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV",
            "DÉC",
        ];
        const DE: [&str; 12] = [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ];
        let (y, m, d) = (date.year, date.month, date.day);
        let mi = usize::from(m - 1);
        match form {
            0 => format!("{d:02}.{m:02}.{y}"),
            1 => format!("{d:02} {m:02} {y}"),
            2 => format!("{d:02} {}/{} {:02}", EN[mi], FR[mi], y % 100),
            3 => format!("{d:02} {} {y}", EN[mi]),
            4 => format!("{y}-{m:02}-{d:02}"),
            5 => format!("{d:02}/{m:02}/{y}"),
            6 => format!("{d:02}-{m:02}-{:02}", y % 100),
            7 => format!("{d}. {} {y}", DE[mi]),
            _ => format!("{d:02}{m:02}{y}"),
        }
    }

    proptest! {
        #[test]
        fn round_trip_every_form(days in -25_000i64..40_000, form in 0usize..9) {
            let date = Date::from_unix_days(days);
            let text = render(date, form);
            let parsed = parse_date(&text);
            prop_assert!(parsed.is_some(), "{text}");
            let parsed = parsed.unwrap();
            prop_assert!(parsed.matches(date), "{text} -> {parsed:?}");
            prop_assert_eq!(parsed.resolve_like(date), Some(date));
        }

        #[test]
        fn never_panics(text in "\\PC{0,60}") {
            let _ = find_dates(&text);
        }

        #[test]
        fn never_panics_on_date_like_noise(text in "[0-9OIlS .:/-]{0,30}") {
            for d in find_dates(&text) {
                prop_assert!((1..=12).contains(&d.month) && (1..=31).contains(&d.day));
            }
        }
    }
}
