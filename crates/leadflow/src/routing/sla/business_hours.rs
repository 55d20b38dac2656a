//! Business hours: SLA clocks that only run on working days between opening
//! and closing time, in a given time zone (holidays as data).

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::routing::zone::Zone;
use crate::time::Timestamp;

/// `{"time_zone": "America/New_York", "days": ["mon", ...], "start": "09:00", "end": "17:00"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    #[serde(default)]
    pub time_zone: Zone,
    /// Working days; Monday to Friday by default.
    #[serde(default = "weekdays", with = "day_names")]
    pub days: Vec<Weekday>,
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
    /// Dates (local) with no business hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<NaiveDate>,
}

fn weekdays() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// Longest search for enough business time (guards against configs with almost none).
const MAX_DAYS: i64 = 3660;

impl BusinessHours {
    pub fn validate(&self) -> Result<()> {
        if self.days.is_empty() {
            return Err(
                Error::config("business_hours.days is empty").with_field("business_hours.days")
            );
        }
        if self.start >= self.end {
            return Err(Error::config(format!(
                "business_hours.start {} is not before end {}",
                self.start.format("%H:%M"),
                self.end.format("%H:%M")
            ))
            .with_field("business_hours"));
        }
        Ok(())
    }

    fn is_open_day(&self, d: NaiveDate) -> bool {
        self.days.contains(&d.weekday()) && !self.holidays.contains(&d)
    }

    /// The instant `minutes` business minutes after `from`. With 0 minutes, `from`
    /// itself; `None` when the deadline is beyond the representable time range.
    pub fn add_minutes(&self, from: Timestamp, minutes: i64) -> Option<Timestamp> {
        if minutes <= 0 {
            return Some(from);
        }
        let mut remaining = TimeDelta::try_minutes(minutes)?;
        let local = self.time_zone.local(from);
        let mut day = local.date();
        for _ in 0..MAX_DAYS {
            if self.is_open_day(day) {
                let open = self.time_zone.instant(day.and_time(self.start));
                let close = self.time_zone.instant(day.and_time(self.end));
                let cursor = open.max(from);
                if cursor < close {
                    let avail = close.signed_duration_since(cursor);
                    if remaining <= avail {
                        return cursor.checked_add_signed(remaining);
                    }
                    remaining -= avail;
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        // No business time within ten years: fall back to wall-clock minutes.
        from.checked_add_signed(TimeDelta::try_minutes(minutes)?)
    }
}

mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref)] // serde `with` passes a reference
    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let s = String::deserialize(d)?;
        NaiveTime::parse_from_str(&s, "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("invalid time {s:?}: expected HH:MM")))
    }
}

mod day_names {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer};

    const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    #[allow(clippy::ptr_arg)] // serde `with` passes the field as declared
    pub fn serialize<S: Serializer>(days: &Vec<Weekday>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            days.iter()
                .map(|d| NAMES[d.num_days_from_monday() as usize]),
        )
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| {
                s.parse::<Weekday>().map_err(|_| {
                    serde::de::Error::custom(format!(
                        "invalid day {s:?}: expected mon, tue, ... sun"
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn bh() -> BusinessHours {
        serde_json::from_value(serde_json::json!({
            "time_zone": "Asia/Tokyo", "start": "09:00", "end": "18:00", "holidays": ["2026-03-20"]
        }))
        .unwrap()
    }

    #[test]
    fn adds_minutes_across_nights_weekends_and_holidays() {
        let t = |s: &str| parse_timestamp(s).unwrap();
        let b = bh();
        b.validate().unwrap();
        // Friday 17:30 JST + 60 business minutes = Monday 09:30 JST.
        assert_eq!(
            b.add_minutes(t("2026-03-06T17:30:00+09:00"), 60),
            Some(t("2026-03-09T09:30:00+09:00"))
        );
        // Saturday night (UTC input) + 5 minutes = Monday 09:05 JST.
        assert_eq!(
            b.add_minutes(t("2026-03-07T13:00:00Z"), 5),
            Some(t("2026-03-09T09:05:00+09:00"))
        );
        // Thursday 17:00 before a Friday holiday: next Monday.
        assert_eq!(
            b.add_minutes(t("2026-03-19T17:00:00+09:00"), 120),
            Some(t("2026-03-23T10:00:00+09:00"))
        );
        // Inside hours: plain addition.
        assert_eq!(
            b.add_minutes(t("2026-03-09T10:00:00+09:00"), 30),
            Some(t("2026-03-09T01:30:00Z"))
        );
    }

    #[test]
    fn huge_minutes_are_none_not_a_panic() {
        let b = bh();
        let from = parse_timestamp("2026-03-06T17:30:00+09:00").unwrap();
        assert_eq!(b.add_minutes(from, i64::MAX), None);
        assert_eq!(b.add_minutes(from, 1_000_000_000_000), None);
    }

    #[test]
    fn bad_hours_are_config_errors() {
        let mut b = bh();
        b.end = b.start;
        assert_eq!(b.validate().unwrap_err().kind(), crate::ErrorKind::Config);
        let e = serde_json::from_value::<BusinessHours>(
            serde_json::json!({"start": "9am", "end": "17:00"}),
        );
        assert!(e.unwrap_err().to_string().contains("HH:MM"));
    }
}
