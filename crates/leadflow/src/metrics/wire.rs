//! Partials on the wire: a [`MetricsAccumulator`] as JSON text, so per-partition
//! aggregates can travel between processes (Spark executors, worker pools) and be
//! merged where the report is wanted.
//!
//! The text is the accumulator's serde form (configuration + counters, never
//! records), `O(groups x histogram buckets)` in size. Reading it back validates it:
//! malformed text is a `ParseError`, a partial whose counters do not fit its own
//! configuration is a `ValidationError`, so a corrupted partial can never produce a
//! wrong report or a panic. Two partials only merge when their configurations are
//! equal ([`MetricsAccumulator::merge`] checks it).

use serde_json::Value;

use super::aggregate::MetricsAccumulator;
use crate::error::{Error, Result};

impl MetricsAccumulator {
    /// The partial as compact JSON text (read back with [`MetricsAccumulator::from_json`]).
    #[must_use]
    pub fn to_json(&self) -> String {
        // Plain data with string keys and finite numbers: serializing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The partial as a JSON value.
    #[must_use]
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads a partial written by [`MetricsAccumulator::to_json`], checking it.
    pub fn from_json(text: &str) -> Result<Self> {
        let acc: MetricsAccumulator = serde_json::from_str(text)
            .map_err(|e| Error::parse(format!("not a metrics partial: {e}")))?;
        acc.check_consistent()?;
        Ok(acc)
    }

    /// Reads a partial from a JSON value, checking it.
    pub fn from_value(value: Value) -> Result<Self> {
        let acc: MetricsAccumulator = serde_json::from_value(value)
            .map_err(|e| Error::parse(format!("not a metrics partial: {e}")))?;
        acc.check_consistent()?;
        Ok(acc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::metrics::{MetricsConfig, Period, sample, utc};
    use crate::time::parse_timestamp;

    fn filled() -> MetricsAccumulator {
        let now = parse_timestamp("2026-10-01T00:00:00Z").unwrap();
        let start = parse_timestamp("2026-06-15T00:00:00Z").unwrap();
        let period = Period::parse("2026-Q3", utc()).unwrap();
        let mut acc = MetricsAccumulator::new(MetricsConfig::new(period, now)).unwrap();
        for i in 0..200 {
            let (lead, opp) = sample::lead(3, i, start, 100, now);
            acc.add_lead(&lead);
            if let Some(o) = opp {
                acc.add_opportunity(&o);
            }
        }
        acc
    }

    #[test]
    fn round_trip_gives_the_same_report() {
        let acc = filled();
        let back = MetricsAccumulator::from_json(&acc.to_json()).unwrap();
        assert_eq!(back.finish(), acc.finish());
        let back = MetricsAccumulator::from_value(acc.to_value()).unwrap();
        assert_eq!(back.finish(), acc.finish());
    }

    #[test]
    fn malformed_text_is_a_parse_error() {
        let err = MetricsAccumulator::from_json("{\"config\": 1}").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Parse);
        assert_eq!(
            MetricsAccumulator::from_json("not json")
                .unwrap_err()
                .kind(),
            ErrorKind::Parse
        );
    }

    #[test]
    fn inconsistent_partial_is_rejected() {
        let acc = filled();
        // Counters sized for a shorter ladder than the configuration's.
        let mut v = acc.to_value();
        v["velocity"]["latest"] = serde_json::json!([]);
        let err = MetricsAccumulator::from_value(v).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        // A derived rank that disagrees with the configuration.
        let mut v = acc.to_value();
        v["mql_rank"] = serde_json::json!(99);
        assert_eq!(
            MetricsAccumulator::from_value(v).unwrap_err().kind(),
            ErrorKind::Validation
        );
        // Funnel counters longer than the ladder.
        let mut v = acc.to_value();
        v["funnel"]["total"]["by_max_rank"] = serde_json::json!(vec![0_u64; 40]);
        assert_eq!(
            MetricsAccumulator::from_value(v).unwrap_err().kind(),
            ErrorKind::Validation
        );
        // An invalid configuration inside the partial is a configuration error.
        let mut v = acc.to_value();
        v["config"]["options"]["cohort_stage"] = serde_json::json!("nope");
        assert_eq!(
            MetricsAccumulator::from_value(v).unwrap_err().kind(),
            ErrorKind::Config
        );
    }

    #[test]
    fn partials_with_different_configs_do_not_merge() {
        let mut a = filled();
        let mut v = a.to_value();
        v["config"]["options"]["sla_minutes"] = serde_json::json!(5);
        let b = MetricsAccumulator::from_value(v).unwrap();
        assert_eq!(a.merge(&b).unwrap_err().kind(), ErrorKind::Config);
    }
}
