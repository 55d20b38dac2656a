//! Reporting periods: half-open ranges of instants, read in an explicit UTC offset.
//!
//! A period written as dates (`2026-Q3`, `2026-07-01..2026-09-30`) starts at
//! midnight of its first day and ends at midnight after its last day, both in the
//! offset given (UTC unless told otherwise). Record timestamps are compared as
//! instants, so `2026-03-31T23:30:00-05:00` (= `2026-04-01T04:30:00Z`) is in Q2
//! for a UTC period and in Q1 for a `-05:00` period.

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::Timestamp;

/// The instants `from <= t < to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    /// A period from two instants; `from` must be before `to`.
    pub fn new(from: Timestamp, to: Timestamp) -> Result<Self> {
        if from >= to {
            return Err(
                Error::validation(format!("empty period: {from} is not before {to}"))
                    .with_field("period"),
            );
        }
        Ok(Period { from, to })
    }

    /// Whole days `first..=last` (inclusive) in `offset`.
    pub fn dates(first: NaiveDate, last: NaiveDate, offset: FixedOffset) -> Result<Self> {
        let end = last
            .succ_opt()
            .ok_or_else(|| Error::validation("period end out of range").with_field("period"))?;
        Period::new(midnight(first, offset)?, midnight(end, offset)?)
    }

    /// Parses `2026-Q3`, `2026-07` (a month), `2026` (a year) or
    /// `2026-07-01..2026-09-30` (inclusive dates), in `offset`.
    pub fn parse(spec: &str, offset: FixedOffset) -> Result<Self> {
        let spec = spec.trim();
        let bad = || {
            Error::validation(format!(
                "invalid period {spec:?} (expected 2026-Q3, 2026-07, 2026 or 2026-07-01..2026-09-30)"
            ))
            .with_field("period")
        };
        if let Some((a, b)) = spec.split_once("..") {
            let first = crate::time::parse_date(a).map_err(|_| bad())?;
            let last = crate::time::parse_date(b).map_err(|_| bad())?;
            return Period::dates(first, last, offset);
        }
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1..=9999).contains(y));
        if let Some((y, q)) = spec
            .split_once(['-', ' '])
            .filter(|(_, q)| q.starts_with(['Q', 'q']))
        {
            let y = year(y).ok_or_else(bad)?;
            let q: u32 = q[1..]
                .parse()
                .ok()
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad)?;
            let first = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
            return Period::months(first, 3, offset);
        }
        if let Some((y, m)) = spec.split_once('-') {
            let y = year(y).ok_or_else(bad)?;
            let m: u32 = m.parse().ok().ok_or_else(bad)?;
            let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)?;
            return Period::months(first, 1, offset);
        }
        let y = year(spec).ok_or_else(bad)?;
        let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
        Period::months(first, 12, offset)
    }

    fn months(first: NaiveDate, months: u32, offset: FixedOffset) -> Result<Self> {
        let end = first
            .checked_add_months(chrono::Months::new(months))
            .ok_or_else(|| Error::validation("period out of range").with_field("period"))?;
        Period::new(midnight(first, offset)?, midnight(end, offset)?)
    }

    /// True when `t` is inside the period.
    pub fn contains(&self, t: Timestamp) -> bool {
        t >= self.from && t < self.to
    }

    /// True when the calendar date `d`, read in the period's offset, falls inside it
    /// (used for opportunity close dates).
    pub fn contains_date(&self, d: NaiveDate) -> bool {
        midnight(d, *self.from.offset()).is_ok_and(|t| self.contains(t))
    }

    /// A short label: `2026-Q3` style when the period is a calendar quarter, else
    /// `first..last` dates.
    pub fn label(&self) -> String {
        let first = self.from.date_naive();
        let last = self.to.date_naive().pred_opt().unwrap_or(first);
        let is_midnight = |t: Timestamp| t.time() == chrono::NaiveTime::MIN;
        if is_midnight(self.from) && is_midnight(self.to) && first.day() == 1 {
            let q_end = first.checked_add_months(chrono::Months::new(3));
            if first.month0().is_multiple_of(3) && q_end == Some(self.to.date_naive()) {
                return format!("{}-Q{}", first.year(), first.month0() / 3 + 1);
            }
        }
        format!("{first}..{last}")
    }
}

/// Midnight at the start of `d` in `offset`.
fn midnight(d: NaiveDate, offset: FixedOffset) -> Result<Timestamp> {
    offset
        .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
        .single()
        .ok_or_else(|| Error::validation(format!("invalid date {d}")).with_field("period"))
}

/// Parses a UTC offset: `Z`, `UTC`, `+09:00`, `-05:00`, `+0530`.
pub fn parse_offset(text: &str) -> Result<FixedOffset> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") || t.is_empty() {
        return Ok(utc());
    }
    let bad = || {
        Error::validation(format!(
            "invalid UTC offset {text:?} (expected +09:00, -05:00 or Z)"
        ))
    };
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let h: i32 = digits[..2].parse().map_err(|_| bad())?;
    let m: i32 = digits[2..].parse().map_err(|_| bad())?;
    if h > 23 || m > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(bad)
}

/// UTC as a fixed offset.
pub fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("zero is a valid offset"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn quarter_in_utc_and_in_an_offset() {
        let q2 = Period::parse("2026-Q2", utc()).unwrap();
        assert_eq!(q2.from, parse_timestamp("2026-04-01T00:00:00Z").unwrap());
        assert_eq!(q2.to, parse_timestamp("2026-07-01T00:00:00Z").unwrap());
        let edge = parse_timestamp("2026-03-31T23:30:00-05:00").unwrap();
        assert!(q2.contains(edge));
        let q1_ny = Period::parse("2026-Q1", parse_offset("-05:00").unwrap()).unwrap();
        assert!(q1_ny.contains(edge));
        assert!(!Period::parse("2026-Q1", utc()).unwrap().contains(edge));
        assert_eq!(q2.label(), "2026-Q2");
    }

    #[test]
    fn other_forms() {
        let m = Period::parse("2026-02", utc()).unwrap();
        assert_eq!(m.to, parse_timestamp("2026-03-01T00:00:00Z").unwrap());
        let y = Period::parse("2026", utc()).unwrap();
        assert_eq!(y.to, parse_timestamp("2027-01-01T00:00:00Z").unwrap());
        let r = Period::parse("2026-07-01..2026-07-31", utc()).unwrap();
        assert_eq!(r.to, parse_timestamp("2026-08-01T00:00:00Z").unwrap());
        assert_eq!(r.label(), "2026-07-01..2026-07-31");
        for bad in ["2026-Q5", "Q3", "2026-13", "2026-07-31..2026-07-01", "soon"] {
            assert!(Period::parse(bad, utc()).is_err(), "{bad}");
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+09:00").unwrap().local_minus_utc(), 9 * 3600);
        assert_eq!(
            parse_offset("-0530").unwrap().local_minus_utc(),
            -(5 * 3600 + 1800)
        );
        assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
        assert!(parse_offset("9").is_err());
    }
}
