//! Calendar dates and instants, without a clock.
//!
//! Card dates are civil dates in China Standard Time (UTC+8, no daylight
//! saving), so "today" for a check made at a Unix instant is the CST date.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A civil date, stored as days since 1970-01-01 (the format's wire value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Seconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(pub u64);

/// China Standard Time offset from UTC, in seconds.
pub const CST_OFFSET_SECONDS: u64 = 8 * 3600;

/// Earliest date the format accepts (1900-01-01).
pub const MIN_DAY: i32 = -25_567;
/// Latest date the format accepts (2199-12-31).
pub const MAX_DAY: i32 = 84_005;

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a date (expected YYYY-MM-DD): {}", self.0)
    }
}

impl std::error::Error for DateError {}

// Civil-date conversions after the well-known days-from-civil algorithm
// (proleptic Gregorian calendar, era-based).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Date {
    /// The date `days` after 1970-01-01, if within the format's range.
    pub fn from_days(days: i64) -> Option<Date> {
        i32::try_from(days)
            .ok()
            .filter(|d| (MIN_DAY..=MAX_DAY).contains(d))
            .map(Date)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The date from year, month and day, if it exists and is in range.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
            return None;
        }
        Date::from_days(days_from_civil(i64::from(year), month, day))
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let (y, m, d) = civil_from_days(i64::from(self.0));
        (y as i32, m, d)
    }

    /// The date in China Standard Time at instant `t`.
    pub fn in_china_at(t: UnixTime) -> Date {
        let days = (t.0.saturating_add(CST_OFFSET_SECONDS) / 86_400) as i64;
        Date(days.clamp(i64::from(MIN_DAY), i64::from(MAX_DAY)) as i32)
    }

    /// This date plus `n` days (saturating at the format's range).
    pub fn add_days(self, n: i32) -> Date {
        Date(self.0.saturating_add(n).clamp(MIN_DAY, MAX_DAY))
    }

    /// Adds whole years, clamping 29 February to 28 February.
    pub fn add_years(self, n: i32) -> Date {
        let (y, m, d) = self.ymd();
        let y = y.saturating_add(n);
        let d = d.min(days_in_month(i64::from(y), m));
        Date::from_ymd(y, m, d).unwrap_or(if n >= 0 { Date(MAX_DAY) } else { Date(MIN_DAY) })
    }

    /// Midnight at the start of this date in China Standard Time.
    pub fn start_in_china(self) -> UnixTime {
        let secs = i64::from(self.0) * 86_400 - CST_OFFSET_SECONDS as i64;
        UnixTime(secs.max(0) as u64)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DateError(s.to_string());
        let t = s.trim();
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 3
            || parts[0].len() != 4
            || parts[1].len() != 2
            || parts[2].len() != 2
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let y: i32 = parts[0].parse().map_err(|_| bad())?;
        let m: u32 = parts[1].parse().map_err(|_| bad())?;
        let d: u32 = parts[2].parse().map_err(|_| bad())?;
        Date::from_ymd(y, m, d).ok_or_else(bad)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl UnixTime {
    /// Formats as RFC 3339 in UTC, e.g. `2025-06-01T08:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let days = (self.0 / 86_400) as i64;
        let rem = self.0 % 86_400;
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )
    }

    /// The instant as people in China read it: `YYYY-MM-DD HH:MM`, Beijing
    /// time (UTC+8, no daylight saving). Screens say "北京时间" beside it.
    pub fn beijing(self) -> String {
        let local = self.0 + 8 * 3600;
        let (y, m, d) = civil_from_days((local / 86_400) as i64);
        let rem = local % 86_400;
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            rem / 3600,
            rem / 60 % 60
        )
    }

    /// Parses `YYYY-MM-DD` (midnight China time that day) or
    /// `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    pub fn parse(s: &str) -> Result<UnixTime, DateError> {
        let s = s.trim();
        let bad = || DateError(s.to_string());
        match s.split_once('T') {
            None => Ok(s.parse::<Date>()?.start_in_china()),
            Some((date, time)) => {
                let date: Date = date.parse()?;
                let time = time.strip_suffix('Z').ok_or_else(bad)?;
                let hms: Vec<&str> = time.split(':').collect();
                if hms.len() != 3 || hms.iter().any(|p| p.len() != 2) {
                    return Err(bad());
                }
                let n =
                    |p: &str, max: u64| p.parse::<u64>().ok().filter(|v| *v <= max).ok_or_else(bad);
                let secs = n(hms[0], 23)? * 3600 + n(hms[1], 59)? * 60 + n(hms[2], 59)?;
                let day = u64::try_from(date.days()).map_err(|_| bad())?;
                Ok(UnixTime(day * 86_400 + secs))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(Date::from_ymd(1970, 1, 1).map(Date::days), Some(0));
        assert_eq!(Date::from_ymd(2000, 3, 1).map(Date::days), Some(11_017));
        assert_eq!(
            "2024-02-29".parse::<Date>().map(|d| d.ymd()),
            Ok((2024, 2, 29))
        );
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2023-2-01".parse::<Date>().is_err());
        assert_eq!(
            "2024-02-29"
                .parse::<Date>()
                .map(|d| d.add_years(1).to_string()),
            Ok("2025-02-28".to_string())
        );
    }

    #[test]
    fn round_trip_all_days() {
        for d in MIN_DAY..=MAX_DAY {
            let date = Date(d);
            assert_eq!(date.to_string().parse::<Date>(), Ok(date));
        }
    }

    #[test]
    fn china_time() {
        // 2025-06-01T16:00:00Z is 2025-06-02 00:00 in Beijing.
        let t = UnixTime::parse("2025-06-01T16:00:00Z").expect("valid");
        assert_eq!(Date::in_china_at(t).to_string(), "2025-06-02");
        let t2 = UnixTime(t.0 - 1);
        assert_eq!(Date::in_china_at(t2).to_string(), "2025-06-01");
        assert_eq!(UnixTime::parse("2025-06-02"), Ok(t));
        assert_eq!(t.to_rfc3339(), "2025-06-01T16:00:00Z");
        assert_eq!(t.beijing(), "2025-06-02 00:00");
        assert_eq!(UnixTime(t.0 - 61).beijing(), "2025-06-01 23:58");
    }
}
