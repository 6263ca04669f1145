//! The binary's one reading of the system clock, and the `--today` override of the commands
//! that judge dates (expiry, age, two-digit birth years).

use std::process::ExitCode;

use idverify_mrz::Date;

/// Today's date (UTC) from the system clock.
#[allow(clippy::disallowed_methods)]
pub fn today_utc() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_unix_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The day given as `--today YYYY-MM-DD`, else today; a malformed day is a one-line error on
/// stderr and exit status 2.
pub fn today_or(arg: Option<&str>) -> Result<Date, ExitCode> {
    match arg {
        None => Ok(today_utc()),
        Some(t) => Date::parse_iso(t).ok_or_else(|| {
            eprintln!("error: --today must be YYYY-MM-DD");
            ExitCode::from(2)
        }),
    }
}
