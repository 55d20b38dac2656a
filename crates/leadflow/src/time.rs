//! Time handling. The core never reads the wall clock: every time-dependent
//! function takes an explicit `now`.
//!
//! Timestamps keep the offset they were written with, so records round-trip
//! byte-for-byte, while comparisons and durations use the instant.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta};

use crate::error::{Error, Result};

/// An instant with the UTC offset it was recorded in (RFC 3339 in JSON).
pub type Timestamp = DateTime<FixedOffset>;

/// Serializes a timestamp exactly as chrono's `Serialize` does (RFC 3339, `Z`
/// for UTC, as many fraction digits as needed), but formatted into one string
/// first: chrono hands serializers the text a character at a time, which
/// JSON writers escape call by call (most of the cost of writing activities).
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `serialize_with` signature
pub(crate) fn serialize_timestamp<S: serde::Serializer>(
    t: &Timestamp,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

/// Parses an RFC 3339 timestamp (`2026-03-01T09:30:00Z`, `2026-03-01T18:30:00+09:00`).
pub fn parse_timestamp(text: &str) -> Result<Timestamp> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        Error::validation(format!(
            "invalid timestamp {text:?}: {e} (expected RFC 3339, e.g. 2026-03-01T09:30:00Z)"
        ))
    })
}

/// Parses a calendar date (`2026-03-31`).
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|e| Error::validation(format!("invalid date {text:?}: {e} (expected YYYY-MM-DD)")))
}

/// Fractional days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    let delta: TimeDelta = to.signed_duration_since(from);
    delta.num_milliseconds() as f64 / 86_400_000.0
}

/// Whole days (rounded down) from `from` to `to`; 0 when `to` is earlier.
pub fn whole_days_between(from: Timestamp, to: Timestamp) -> u64 {
    let secs = to.signed_duration_since(from).num_seconds();
    u64::try_from(secs.max(0) / 86_400).unwrap_or(0)
}

/// The last day of the calendar quarter that contains `now`, in `now`'s own offset
/// (the default close date of an opportunity created by conversion).
pub fn end_of_quarter(now: Timestamp) -> NaiveDate {
    let date = now.date_naive();
    let last_month = ((date.month0() / 3) + 1) * 3;
    let (year, next_month) = if last_month == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), last_month + 1)
    };
    NaiveDate::from_ymd_opt(year, next_month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[derive(serde::Serialize)]
    struct Fast(#[serde(serialize_with = "serialize_timestamp")] Timestamp);

    proptest! {
        #[test]
        fn fast_timestamps_write_what_chrono_writes(
            secs in -62_000_000_000i64..250_000_000_000,
            nanos in prop_oneof![Just(0u32), Just(5_000_000), Just(123_456_000), Just(7), 0u32..1_000_000_000, 1_000_000_000u32..1_500_000_000],
            offset in prop_oneof![Just(0i32), Just(32_400), Just(-18_000), -86_399i32..86_400],
        ) {
            let Some(utc) = DateTime::from_timestamp(secs, nanos) else { return Ok(()); };
            let t = utc.with_timezone(&FixedOffset::east_opt(offset).unwrap());
            prop_assert_eq!(
                serde_json::to_string(&Fast(t)).unwrap(),
                serde_json::to_string(&t).unwrap()
            );
        }
    }

    fn ts(s: &str) -> Timestamp {
        parse_timestamp(s).unwrap()
    }

    #[test]
    fn quarter_ends() {
        assert_eq!(
            end_of_quarter(ts("2026-01-15T00:00:00Z")).to_string(),
            "2026-03-31"
        );
        assert_eq!(
            end_of_quarter(ts("2026-06-30T23:59:59Z")).to_string(),
            "2026-06-30"
        );
        assert_eq!(
            end_of_quarter(ts("2026-11-22T10:00:00Z")).to_string(),
            "2026-12-31"
        );
        // 2026-03-31T23:30 UTC is already April 1 in Tokyo: the quarter follows the offset given.
        assert_eq!(
            end_of_quarter(ts("2026-04-01T08:30:00+09:00")).to_string(),
            "2026-06-30"
        );
    }

    #[test]
    fn days_use_instants_not_offsets() {
        let a = ts("2026-01-01T09:00:00+09:00");
        let b = ts("2026-01-01T00:00:00Z");
        assert!(days_between(a, b).abs() < 1e-12);
        assert_eq!(whole_days_between(a, ts("2026-01-03T23:59:59Z")), 2);
        assert_eq!(whole_days_between(ts("2026-01-03T00:00:00Z"), a), 0);
    }

    #[test]
    fn bad_timestamp_is_a_validation_error() {
        let e = parse_timestamp("yesterday").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        assert!(e.message().contains("RFC 3339"));
    }
}
