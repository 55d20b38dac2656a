//! Time zones for reps and business hours: an IANA name (`Asia/Tokyo`, with
//! daylight saving) or a fixed offset (`+09:00`, `Z`, `UTC`).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::time::Timestamp;

/// A time zone used to decide local days, weeks and business hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Named(Tz),
    Fixed(FixedOffset),
}

impl Default for Zone {
    fn default() -> Self {
        Zone::Fixed(chrono::Utc.fix())
    }
}

impl Zone {
    /// Local wall-clock time of an instant.
    pub fn local(&self, t: Timestamp) -> NaiveDateTime {
        match self {
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
            Zone::Fixed(off) => t.with_timezone(off).naive_local(),
        }
    }

    /// Local calendar date of an instant.
    pub fn local_date(&self, t: Timestamp) -> NaiveDate {
        self.local(t).date()
    }

    /// First day (Monday) of the ISO week containing the local date of `t`.
    pub fn week_start(&self, t: Timestamp) -> NaiveDate {
        let d = self.local_date(t);
        // Checked: the first week of the calendar has no Monday before it.
        d.checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The instant of a local wall-clock time. In a daylight-saving gap the
    /// clock is moved forward by the gap; in an overlap the earlier instant wins.
    pub fn instant(&self, local: NaiveDateTime) -> Timestamp {
        match self {
            Zone::Fixed(off) => resolve(off, local),
            Zone::Named(tz) => {
                let t = resolve(tz, local);
                t.with_timezone(&t.offset().fix())
            }
        }
    }
}

fn resolve<Z: TimeZone>(zone: &Z, local: NaiveDateTime) -> Timestamp
where
    Z::Offset: Offset,
{
    // Gaps are at most a few hours; step forward until a valid local time exists.
    let mut probe = local;
    for _ in 0..48 {
        if let Some(t) = zone.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&t.offset().fix());
        }
        match probe.checked_add_signed(TimeDelta::minutes(30)) {
            Some(next) => probe = next,
            None => break,
        }
    }
    // Unreachable for real zones; treat the wall time as UTC rather than panic.
    local.and_utc().fixed_offset()
}

impl FromStr for Zone {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("utc") || t == "Z" {
            return Ok(Zone::default());
        }
        if t.starts_with('+') || t.starts_with('-') {
            // Reuse RFC 3339 parsing for the offset syntax.
            if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(&format!("2000-01-01T00:00:00{t}"))
            {
                return Ok(Zone::Fixed(*dt.offset()));
            }
        }
        t.parse::<Tz>().map(Zone::Named).map_err(|_| {
            Error::config(format!(
                "unknown time zone {s:?}: use an IANA name like \"Europe/Berlin\" or an offset like \"+09:00\""
            ))
        })
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Named(tz) => f.write_str(tz.name()),
            Zone::Fixed(off) if off.local_minus_utc() == 0 => f.write_str("UTC"),
            Zone::Fixed(off) => write!(f, "{off}"),
        }
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse()
            .map_err(|e: Error| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn parses_names_and_offsets() {
        assert_eq!(
            "Asia/Tokyo".parse::<Zone>().unwrap().to_string(),
            "Asia/Tokyo"
        );
        assert_eq!("+09:00".parse::<Zone>().unwrap().to_string(), "+09:00");
        assert_eq!("UTC".parse::<Zone>().unwrap().to_string(), "UTC");
        assert!("Mars/Olympus".parse::<Zone>().is_err());
    }

    #[test]
    fn local_dates_follow_the_zone() {
        let t = parse_timestamp("2026-03-01T20:00:00Z").unwrap();
        let tokyo: Zone = "Asia/Tokyo".parse().unwrap();
        assert_eq!(tokyo.local_date(t).to_string(), "2026-03-02");
        assert_eq!(Zone::default().local_date(t).to_string(), "2026-03-01");
        // 2026-03-02 is a Monday.
        assert_eq!(tokyo.week_start(t).to_string(), "2026-03-02");
        assert_eq!(Zone::default().week_start(t).to_string(), "2026-02-23");
    }

    #[test]
    fn dst_gap_moves_forward() {
        let ny: Zone = "America/New_York".parse().unwrap();
        let local = NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        let t = ny.instant(local);
        assert_eq!(t.to_rfc3339(), "2026-03-08T03:00:00-04:00");
    }
}
