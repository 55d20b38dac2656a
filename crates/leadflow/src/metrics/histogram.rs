//! A compact, mergeable, exact-enough store of durations for medians and p90s.
//!
//! Durations are kept as counts per bucket: one bucket per whole minute below
//! 24 hours, one per whole hour from 24 hours on (values are rounded down to
//! the bucket). So speed-to-lead figures are exact to the minute and multi-day
//! figures to the hour, and a group holds at most 1,440 + (max days x 24) buckets
//! whatever the number of leads. Merging adds counts, so any split of the input
//! merges to exactly the same histogram, hence the same quantiles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

const MINUTES_PER_DAY: u64 = 1_440;

/// Counts of durations per bucket, plus the exact count, sum and maximum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DurationHistogram {
    /// Bucket lower bound in minutes -> number of durations.
    buckets: BTreeMap<u32, u64>,
    count: u64,
    /// Exact sum of the durations in seconds (for means).
    sum_seconds: u64,
    max_seconds: u64,
}

/// Median, p90, mean and maximum of a set of durations, in days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DurationStats {
    pub count: u64,
    pub median_days: f64,
    pub p90_days: f64,
    pub mean_days: f64,
    pub max_days: f64,
}

impl DurationHistogram {
    /// Records the time from `from` to `to` (a negative span counts as zero).
    pub fn record(&mut self, from: Timestamp, to: Timestamp) {
        self.record_seconds(to.signed_duration_since(from).num_seconds());
    }

    /// Records a duration in seconds (negative counts as zero).
    pub fn record_seconds(&mut self, seconds: i64) {
        let secs = u64::try_from(seconds).unwrap_or(0);
        *self.buckets.entry(bucket_of(secs / 60)).or_insert(0) += 1;
        self.count += 1;
        self.sum_seconds = self.sum_seconds.saturating_add(secs);
        self.max_seconds = self.max_seconds.max(secs);
    }

    /// Adds another histogram's durations.
    pub fn merge(&mut self, other: &DurationHistogram) {
        for (b, n) in &other.buckets {
            *self.buckets.entry(*b).or_insert(0) += n;
        }
        self.count += other.count;
        self.sum_seconds = self.sum_seconds.saturating_add(other.sum_seconds);
        self.max_seconds = self.max_seconds.max(other.max_seconds);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Durations in minutes per bucket lower bound, ascending.
    pub fn buckets(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.buckets.iter().map(|(b, n)| (*b, *n))
    }

    /// Number of durations strictly below `minutes` (exact when `minutes` is a
    /// bucket bound: any whole minute below a day, any whole hour above).
    pub fn count_below(&self, minutes: u64) -> u64 {
        let bound = u32::try_from(minutes).unwrap_or(u32::MAX);
        self.buckets.range(..bound).map(|(_, n)| n).sum()
    }

    /// The `q` quantile (0..=1) in minutes, linear interpolation between the two
    /// nearest ranks (the method of numpy's default and Excel's `PERCENTILE.INC`).
    pub fn quantile_minutes(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let q = q.clamp(0.0, 1.0);
        let h = (self.count - 1) as f64 * q;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0 <= h < count
        let lo = h.floor() as u64;
        let frac = h - lo as f64;
        let v_lo = f64::from(self.value_at(lo)?);
        if frac == 0.0 {
            return Some(v_lo);
        }
        let v_hi = f64::from(self.value_at(lo + 1)?);
        Some(v_lo + (v_hi - v_lo) * frac)
    }

    /// The bucket value of the durations at 0-based rank `rank` in ascending order.
    fn value_at(&self, rank: u64) -> Option<u32> {
        let mut seen = 0;
        for (b, n) in &self.buckets {
            seen += n;
            if rank < seen {
                return Some(*b);
            }
        }
        None
    }

    /// Summary in days; `None` when empty.
    pub fn stats(&self) -> Option<DurationStats> {
        let day = MINUTES_PER_DAY as f64;
        Some(DurationStats {
            count: self.count,
            median_days: self.quantile_minutes(0.5)? / day,
            p90_days: self.quantile_minutes(0.9)? / day,
            mean_days: self.sum_seconds as f64 / self.count as f64 / 86_400.0,
            max_days: self.max_seconds as f64 / 86_400.0,
        })
    }

    /// Mean in minutes; `None` when empty.
    pub fn mean_minutes(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_seconds as f64 / self.count as f64 / 60.0)
    }
}

/// Bucket lower bound for a duration in whole minutes.
fn bucket_of(minutes: u64) -> u32 {
    let b = if minutes < MINUTES_PER_DAY {
        minutes
    } else {
        minutes - minutes % 60
    };
    u32::try_from(b).unwrap_or(u32::MAX - u32::MAX % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(minutes: &[i64]) -> DurationHistogram {
        let mut h = DurationHistogram::default();
        for m in minutes {
            h.record_seconds(m * 60);
        }
        h
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let h = hist(&[1, 2, 3, 4]);
        assert_eq!(h.quantile_minutes(0.5), Some(2.5));
        // numpy.percentile([1,2,3,4], 90) == 3.7
        assert!((h.quantile_minutes(0.9).unwrap() - 3.7).abs() < 1e-9);
        assert_eq!(hist(&[7]).quantile_minutes(0.9), Some(7.0));
        assert_eq!(DurationHistogram::default().quantile_minutes(0.5), None);
    }

    #[test]
    fn resolution_is_minutes_then_hours() {
        let h = hist(&[59, 1_439, 1_440 + 59, 3 * 1_440 + 61]);
        let b: Vec<u32> = h.buckets().map(|(b, _)| b).collect();
        assert_eq!(b, vec![59, 1_439, 1_440, 3 * 1_440 + 60]);
        assert_eq!(h.count_below(1_440), 2);
        // Negative spans count as zero.
        assert_eq!(hist(&[-5]).buckets().next(), Some((0, 1)));
    }

    #[test]
    fn merge_equals_whole() {
        let mut a = hist(&[1, 5, 3000]);
        a.merge(&hist(&[2, 5, 90_000]));
        assert_eq!(a, hist(&[1, 2, 5, 5, 3000, 90_000]));
    }
}
