//! A plain calendar date for specimen data, and the forms documents print dates in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A proleptic Gregorian calendar date, always valid once built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// 2000-01-01, a fallback that needs no `Option`.
pub(crate) const Y2K: Date = Date {
    year: 2000,
    month: 1,
    day: 1,
};

impl Date {
    /// Builds a date, or `None` when it does not exist (e.g. 2023-02-29).
    ///
    /// ```
    /// use idverify_testkit::Date;
    /// assert!(Date::new(2024, 2, 29).is_some());
    /// assert!(Date::new(2023, 2, 29).is_none());
    /// ```
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// The year (four digits).
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    pub fn add_years(self, years: u16) -> Self {
        let year = self.year.saturating_add(years);
        let day = self.day.min(days_in_month(year, self.month));
        Self {
            year,
            month: self.month,
            day,
        }
    }

    /// The day before.
    pub fn previous_day(self) -> Self {
        if self.day > 1 {
            return Self {
                day: self.day - 1,
                ..self
            };
        }
        let (year, month) = if self.month == 1 {
            (self.year.saturating_sub(1), 12)
        } else {
            (self.year, self.month - 1)
        };
        Self {
            year,
            month,
            day: days_in_month(year, month),
        }
    }

    /// Days since 0000-03-01 (a monotonic day number, for arithmetic).
    pub fn day_number(self) -> i64 {
        let (y, m) = if self.month <= 2 {
            (i64::from(self.year) - 1, i64::from(self.month) + 9)
        } else {
            (i64::from(self.year), i64::from(self.month) - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + i64::from(self.day) - 1
    }

    /// The inverse of [`Date::day_number`]; `None` outside years 0–9999.
    pub fn from_day_number(n: i64) -> Option<Self> {
        // Civil-from-days, after H. Hinnant, shifted to a March-based year.
        let era = n.div_euclid(146_097);
        let doe = n.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }

    /// `YYMMDD`, the MRZ form.
    pub fn yymmdd(self) -> String {
        format!("{:02}{:02}{:02}", self.year % 100, self.month, self.day)
    }

    /// The date as printed in `style`.
    ///
    /// ```
    /// use idverify_testkit::{Date, DateStyle};
    /// let d = Date::new(1982, 12, 12).unwrap();
    /// assert_eq!(d.printed(DateStyle::Dotted), "12.12.1982");
    /// assert_eq!(d.printed(DateStyle::BilingualMonth), "12 DEC/DÉC 82");
    /// assert_eq!(d.printed(DateStyle::Slashed), "12/12/1982");
    /// assert_eq!(d.printed(DateStyle::Iso), "1982-12-12");
    /// ```
    pub fn printed(self, style: DateStyle) -> String {
        let (d, m, y) = (self.day, self.month, self.year);
        match style {
            DateStyle::Dotted => format!("{d:02}.{m:02}.{y:04}"),
            DateStyle::Slashed => format!("{d:02}/{m:02}/{y:04}"),
            DateStyle::Iso => format!("{y:04}-{m:02}-{d:02}"),
            DateStyle::BilingualMonth => {
                let idx = usize::from(m.saturating_sub(1));
                let en = MONTHS_EN.get(idx).copied().unwrap_or("???");
                let fr = MONTHS_FR.get(idx).copied().unwrap_or("???");
                format!("{d:02} {en}/{fr} {:02}", y % 100)
            }
            DateStyle::EnglishMonth => {
                let idx = usize::from(m.saturating_sub(1));
                let en = MONTHS_EN.get(idx).copied().unwrap_or("???");
                format!("{d:02} {en} {y:04}")
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let mut parts = s.splitn(3, '-').map(str::parse::<u16>);
        let bad = || serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s:?}"));
        let (Some(Ok(y)), Some(Ok(m)), Some(Ok(day))) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (Ok(m), Ok(day)) = (u8::try_from(m), u8::try_from(day)) else {
            return Err(bad());
        };
        Date::new(y, m, day).ok_or_else(bad)
    }
}

/// The forms in which documents print dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// `12.12.1982` (most of continental Europe).
    Dotted,
    /// `12 DEC/DÉC 82` (Canadian and French-bilingual passports).
    BilingualMonth,
    /// `12/12/1982`.
    Slashed,
    /// `1982-12-12`.
    Iso,
    /// `12 DEC 1982` (British and US style).
    EnglishMonth,
}

impl DateStyle {
    /// Every style, for random choice and exhaustive tests.
    pub const ALL: [DateStyle; 5] = [
        DateStyle::Dotted,
        DateStyle::BilingualMonth,
        DateStyle::Slashed,
        DateStyle::Iso,
        DateStyle::EnglishMonth,
    ];
}

const MONTHS_EN: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const MONTHS_FR: [&str; 12] = [
    "JAN", "FÉV", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn previous_day_crosses_months_and_years() {
        assert_eq!(
            Date::new(2024, 3, 1).unwrap().previous_day(),
            Date::new(2024, 2, 29).unwrap()
        );
        assert_eq!(
            Date::new(2025, 1, 1).unwrap().previous_day(),
            Date::new(2024, 12, 31).unwrap()
        );
    }

    #[test]
    fn leap_day_plus_one_year_is_feb_28() {
        assert_eq!(
            Date::new(2024, 2, 29).unwrap().add_years(1),
            Date::new(2025, 2, 28).unwrap()
        );
    }

    proptest! {
        #[test]
        fn day_number_round_trips(n in 500_000i64..900_000) {
            let d = Date::from_day_number(n).unwrap();
            prop_assert_eq!(d.day_number(), n);
            prop_assert_eq!(Date::from_day_number(n + 1).unwrap().previous_day(), d);
        }
    }
}
