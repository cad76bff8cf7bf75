//! The CLI's clock and its time arguments. Core never reads a clock; this is
//! the one place the tool does.

use std::time::{SystemTime, UNIX_EPOCH};

use yanzheng_core::{Date, UnixTime};

use crate::error::CliError;

/// The current instant (a clock before 1970 reads as the epoch).
pub fn now() -> UnixTime {
    UnixTime(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// Today's date in China Standard Time, the calendar the cards use.
pub fn today_in_china() -> Date {
    Date::in_china_at(now())
}

/// Parses a time argument: `YYYY-MM-DD` (00:00 China time that day) or
/// `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn parse_instant(flag: &str, s: &str) -> Result<UnixTime, CliError> {
    UnixTime::parse(s).map_err(|_| {
        CliError::usage(format!("{flag}: `{s}` is not a date or time"))
            .hint("write YYYY-MM-DD (midnight China time) or YYYY-MM-DDTHH:MM:SSZ (UTC)")
    })
}

/// Parses a `YYYY-MM-DD` date argument.
pub fn parse_date(flag: &str, s: &str) -> Result<Date, CliError> {
    s.parse::<Date>().map_err(|_| {
        CliError::usage(format!("{flag}: `{s}` is not a date"))
            .hint("write YYYY-MM-DD, e.g. 2025-06-01")
    })
}

/// Adds days to an instant.
pub fn plus_days(t: UnixTime, days: u64) -> UnixTime {
    UnixTime(t.0.saturating_add(days.saturating_mul(86_400)))
}
