//! Calendar dates without a clock: the `Date` type, the MRZ's `YYMMDD` form and the century rules.

use std::fmt;

/// A calendar date (proleptic Gregorian), printed in ISO form `YYYY-MM-DD`.
///
/// ```
/// use idverify_mrz::Date;
/// let d = Date::new(2012, 4, 15).unwrap();
/// assert_eq!(d.to_string(), "2012-04-15");
/// assert!(Date::new(2023, 2, 29).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl Date {
    /// A date, or `None` when the day does not exist (month 13, 31 April, 29 February 2023).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// assert_eq!(idverify_mrz::Date::parse_iso("1974-08-12").map(|d| d.month), Some(8));
    /// ```
    pub fn parse_iso(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
        let month = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        let day = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Date::new(year, month, day)
    }

    /// The date `days` days after 1970-01-01 (negative: before), for callers that hold a Unix time.
    ///
    /// ```
    /// assert_eq!(idverify_mrz::Date::from_unix_days(0).to_string(), "1970-01-01");
    /// assert_eq!(idverify_mrz::Date::from_unix_days(19723).to_string(), "2024-01-01");
    /// ```
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year.clamp(0, 9999)).unwrap_or(1970),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Which century rule applies to a two-digit year (CONTRACT §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Century {
    /// The most recent year that puts the date not after `today`.
    Past,
    /// `20YY` when `YY < 70`, else `19YY`.
    Expiry,
}

/// A date as the MRZ holds it: the raw six characters and, when they make a real date, the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MrzDate {
    /// The characters as read (`YYMMDD`, possibly broken).
    pub raw: String,
    /// The date, when the raw characters make one.
    pub date: Option<Date>,
}

impl MrzDate {
    /// Empty: the format has no such date.
    pub fn absent() -> MrzDate {
        MrzDate {
            raw: String::new(),
            date: None,
        }
    }

    /// The ISO form, or `""` when there is no valid date.
    pub fn iso(&self) -> String {
        self.date.map(|d| d.to_string()).unwrap_or_default()
    }
}

/// Why a `YYMMDD` field is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// A whole pair or more is `<` (date or part of it unknown, which ICAO 9303 allows).
    Unknown,
    /// A character other than a digit or `<`, a pair half filler, or not 6 characters.
    NotDigits,
    /// Digits, but no such day (month 13, 30 February).
    NoSuchDay,
}

/// Reads `YYMMDD` with the given century rule.
pub(crate) fn parse_yymmdd(raw: &str, century: Century, today: Date) -> Result<Date, DateProblem> {
    let chars: Vec<char> = raw.chars().collect();
    if chars.len() != 6 || !chars.iter().all(|&c| c == '<' || c.is_ascii_digit()) {
        return Err(DateProblem::NotDigits);
    }
    // ICAO 9303 Part 3: unknown parts of a date are fillers, a whole pair at a time.
    let pairs_whole = chars
        .chunks(2)
        .all(|p| p.iter().all(|&c| c == '<') || p.iter().all(char::is_ascii_digit));
    if !pairs_whole {
        return Err(DateProblem::NotDigits);
    }
    if chars.contains(&'<') {
        return Err(DateProblem::Unknown);
    }
    let digits: Vec<u8> = chars
        .iter()
        .filter_map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
        .collect();
    let pair = |i: usize| -> u8 {
        let hi = digits.get(i).copied().unwrap_or(0);
        let lo = digits.get(i + 1).copied().unwrap_or(0);
        hi * 10 + lo
    };
    let (yy, month, day) = (u16::from(pair(0)), pair(2), pair(4));
    let year = match century {
        Century::Expiry => {
            if yy < 70 {
                2000 + yy
            } else {
                1900 + yy
            }
        }
        Century::Past => {
            let base = today.year - today.year % 100;
            let candidate = base + yy;
            // Compare (year, month, day) without requiring the day to exist in that year.
            if (candidate, month, day) > (today.year, today.month, today.day) {
                candidate.saturating_sub(100)
            } else {
                candidate
            }
        }
    };
    Date::new(year, month, day).ok_or(DateProblem::NoSuchDay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap()
    }

    #[test]
    fn century_rules() {
        let t = today();
        assert_eq!(parse_yymmdd("740812", Century::Past, t).unwrap().year, 1974);
        assert_eq!(parse_yymmdd("251231", Century::Past, t).unwrap().year, 2025);
        assert_eq!(parse_yymmdd("261127", Century::Past, t).unwrap().year, 2026);
        assert_eq!(parse_yymmdd("261128", Century::Past, t).unwrap().year, 1926);
        assert_eq!(
            parse_yymmdd("690101", Century::Expiry, t).unwrap().year,
            2069
        );
        assert_eq!(
            parse_yymmdd("700101", Century::Expiry, t).unwrap().year,
            1970
        );
    }

    #[test]
    fn broken_dates() {
        let t = today();
        assert_eq!(
            parse_yymmdd("741312", Century::Past, t),
            Err(DateProblem::NoSuchDay)
        );
        assert_eq!(
            parse_yymmdd("230229", Century::Expiry, t),
            Err(DateProblem::NoSuchDay)
        );
        assert_eq!(parse_yymmdd("240229", Century::Expiry, t).unwrap().day, 29);
        assert_eq!(
            parse_yymmdd("74O812", Century::Past, t),
            Err(DateProblem::NotDigits)
        );
        assert_eq!(
            parse_yymmdd("<<<<<<", Century::Past, t),
            Err(DateProblem::Unknown)
        );
        assert_eq!(
            parse_yymmdd("7408<<", Century::Past, t),
            Err(DateProblem::Unknown)
        );
        assert_eq!(
            parse_yymmdd("74<8<<", Century::Past, t),
            Err(DateProblem::NotDigits)
        );
        assert_eq!(
            parse_yymmdd("7408", Century::Past, t),
            Err(DateProblem::NotDigits)
        );
    }

    #[test]
    fn iso_round_trip() {
        let d = Date::new(2000, 2, 29).unwrap();
        assert_eq!(Date::parse_iso(&d.to_string()), Some(d));
        assert_eq!(Date::parse_iso("2000-02-30"), None);
        assert_eq!(Date::parse_iso("20000229"), None);
    }

    #[test]
    fn unix_days() {
        assert_eq!(Date::from_unix_days(20_419).to_string(), "2025-11-27");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
    }
}
