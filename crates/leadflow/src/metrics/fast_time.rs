//! A fast path for the RFC 3339 timestamps that fill history-heavy input.
//!
//! chrono's parser is general (it walks a format description); record files
//! almost always hold the one shape `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`,
//! which this reads directly. Anything else (leap seconds, lowercase `t`/`z`,
//! spaces, longer fractions, odd offsets) goes to chrono's own `FromStr`, the
//! parser serde uses for [`Timestamp`], so the result is always what
//! deserializing a [`Timestamp`] gives: same instant, same offset, same errors.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone as _};

use crate::time::Timestamp;

/// Parses a timestamp exactly as `serde` deserializes a [`Timestamp`] (chrono's
/// `FromStr`), taking a fast path for the common RFC 3339 shape.
pub fn parse_rfc3339(text: &str) -> Result<Timestamp, chrono::ParseError> {
    match fast(text.as_bytes()) {
        Some(t) => Ok(t),
        None => text.parse::<DateTime<FixedOffset>>(),
    }
}

fn digits2(b: &[u8], at: usize) -> Option<u32> {
    let (h, l) = (
        b.get(at)?.wrapping_sub(b'0'),
        b.get(at + 1)?.wrapping_sub(b'0'),
    );
    (h < 10 && l < 10).then(|| u32::from(h) * 10 + u32::from(l))
}

/// `None` when the text is not in the common shape (the caller falls back).
fn fast(b: &[u8]) -> Option<Timestamp> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let year = digits2(b, 0)? * 100 + digits2(b, 2)?;
    let (month, day) = (digits2(b, 5)?, digits2(b, 8)?);
    let (hour, minute, second) = (digits2(b, 11)?, digits2(b, 14)?, digits2(b, 17)?);
    if second > 59 {
        return None; // Leap second: chrono's rules apply.
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start == 9 {
                return None;
            }
            nanos = nanos * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        nanos *= 10u32.pow(u32::try_from(9 - n).ok()?);
    }
    let offset_secs = match &b[i..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (digits2(b, i + 1)?, digits2(b, i + 4)?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i32::try_from(h * 3600 + m * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    FixedOffset::east_opt(offset_secs)?
        .from_local_datetime(&date.and_time(time))
        .single()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn chrono(s: &str) -> Option<(Timestamp, i32)> {
        s.parse::<DateTime<FixedOffset>>()
            .ok()
            .map(|t| (t, t.offset().local_minus_utc()))
    }

    fn ours(s: &str) -> Option<(Timestamp, i32)> {
        parse_rfc3339(s)
            .ok()
            .map(|t| (t, t.offset().local_minus_utc()))
    }

    #[test]
    fn common_shapes_take_the_fast_path() {
        for s in [
            "2026-09-08T02:31:31Z",
            "2026-09-08T02:31:31.5Z",
            "2026-09-08T02:31:31.123456789+09:00",
            "2026-02-28T23:59:59-05:30",
            "2024-02-29T00:00:00-00:00",
        ] {
            assert!(fast(s.as_bytes()).is_some(), "{s}");
            assert_eq!(ours(s), chrono(s), "{s}");
        }
    }

    #[test]
    fn other_shapes_fall_back_to_chrono() {
        for s in [
            "2026-09-08 02:31:31Z",
            "2026-09-08t02:31:31z",
            "2016-12-31T23:59:60Z",
            "2026-09-08T02:31:31.1234567891Z",
            "2026-09-08T02:31:31+0900",
            "2026-02-30T00:00:00Z",
            "2026-09-08T02:31:31",
            "2026-09-08T02:31:31.Z",
            "not a time",
            "",
        ] {
            assert_eq!(ours(s), chrono(s), "{s}");
        }
    }

    proptest! {
        // Any text of (nearly) the common shape parses exactly as chrono parses it.
        #[test]
        fn agrees_with_chrono(
            y in 0u32..10_000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61,
            s in 0u32..62, frac in proptest::option::of("[0-9]{0,11}"),
            off in prop_oneof![Just("Z".to_owned()), Just("z".to_owned()),
                "[+-][0-9]{2}:[0-9]{2}", "[+-][0-9]{4}"],
        ) {
            let frac = frac.map(|f| format!(".{f}")).unwrap_or_default();
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}");
            prop_assert_eq!(ours(&text), chrono(&text), "{}", text);
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_rfc3339(&text);
        }
    }
}
