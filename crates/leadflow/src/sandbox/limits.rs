//! [`Limits`]: the host's ceilings for everything a rule pack (or a routing script)
//! can spend. A pack's `[limits]` section may lower them, never raise or disable them.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::define::manifest::LimitsSpec;

/// What the host allows a pack to spend, per lead unless said otherwise.
///
/// Build one with [`Limits::default`] (safe defaults) and lower what you need; check
/// a hand-built value with [`Limits::validate`]. Every value must be at least 1 and at
/// most the hard ceiling in [`Limits::HARD`], which keeps the native stack and the
/// host's memory safe whatever the host configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// rhai operations per lead (each script source counts from zero).
    pub max_operations: u64,
    /// Nested function calls in a script.
    pub max_call_depth: usize,
    /// Nesting of expressions and statements, when parsing and running.
    pub max_expr_depth: usize,
    /// Bytes of one string (and of all strings inside one array or map).
    pub max_string_size: usize,
    /// Elements of one array.
    pub max_array_size: usize,
    /// Entries of one object map.
    pub max_map_size: usize,
    /// CPU time one lead may spend in scripts, in microseconds.
    pub lead_time_us: u64,
    /// Wall time one batch call may spend in scripts, in milliseconds; once spent,
    /// the batch's remaining script work ends in `LimitExceeded` for each lead.
    /// `None`: no batch budget (the per-lead budget still bounds every lead).
    pub batch_time_ms: Option<u64>,
    /// Bytes of one file a pack reads (manifest or script).
    pub max_file_bytes: u64,
    /// Bytes of all files of one pack together.
    pub max_pack_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 10_000,
            max_call_depth: 32,
            max_expr_depth: 64,
            max_string_size: 16_384,
            max_array_size: 4_096,
            max_map_size: 1_024,
            lead_time_us: DEFAULT_LEAD_TIME_US,
            batch_time_ms: None,
            max_file_bytes: 1 << 20,
            max_pack_bytes: 8 << 20,
        }
    }
}

/// The default CPU budget per lead: several times what the default operation limit
/// costs in cheap operations (about 1 ms in release), so the operation limit decides
/// every lead of normal operations and the budget stops only costly ones. Debug
/// builds (the test suites) run scripts 20-60x slower: their default is 20 times longer.
const DEFAULT_LEAD_TIME_US: u64 = if cfg!(debug_assertions) {
    100_000
} else {
    5_000
};

/// One limit: its key, its value, and the hard ceiling.
struct Knob {
    key: &'static str,
    value: u64,
    hard: u64,
}

impl Limits {
    /// The hard ceilings: no host setting goes above these. Depths are bounded by what
    /// the native stack reserved for a script run holds (`sandbox::stack`); sizes by
    /// what one lead may reasonably allocate.
    pub const HARD: Limits = Limits {
        max_operations: 100_000_000,
        max_call_depth: 64,
        max_expr_depth: 128,
        max_string_size: 16 << 20,
        max_array_size: 1 << 20,
        max_map_size: 1 << 20,
        lead_time_us: 60_000_000,
        batch_time_ms: Some(86_400_000),
        max_file_bytes: 64 << 20,
        max_pack_bytes: 256 << 20,
    };

    #[allow(clippy::cast_possible_truncation)] // usize -> u64 never truncates on supported targets
    fn knobs(&self) -> [Knob; 10] {
        let h = Self::HARD;
        let k = |key, value: u64, hard: u64| Knob { key, value, hard };
        [
            k("max_operations", self.max_operations, h.max_operations),
            k(
                "max_call_depth",
                self.max_call_depth as u64,
                h.max_call_depth as u64,
            ),
            k(
                "max_expr_depth",
                self.max_expr_depth as u64,
                h.max_expr_depth as u64,
            ),
            k(
                "max_string_size",
                self.max_string_size as u64,
                h.max_string_size as u64,
            ),
            k(
                "max_array_size",
                self.max_array_size as u64,
                h.max_array_size as u64,
            ),
            k(
                "max_map_size",
                self.max_map_size as u64,
                h.max_map_size as u64,
            ),
            k("lead_time_us", self.lead_time_us, h.lead_time_us),
            k(
                "batch_time_ms",
                self.batch_time_ms.unwrap_or(1),
                h.batch_time_ms.unwrap_or(1),
            ),
            k("max_file_bytes", self.max_file_bytes, h.max_file_bytes),
            k("max_pack_bytes", self.max_pack_bytes, h.max_pack_bytes),
        ]
    }

    /// Checks every value: 0 (which would mean "unlimited" to rhai) and values above the
    /// hard ceiling are a `ConfigError` naming the key.
    pub fn validate(&self) -> Result<()> {
        for k in self.knobs() {
            if k.value == 0 || k.value > k.hard {
                return Err(Error::config(format!(
                    "host limit {} = {} is out of range (1 to {})",
                    k.key, k.value, k.hard
                ))
                .with_field(format!("limits.{}", k.key)));
            }
        }
        Ok(())
    }

    /// Host limits from a JSON object (the bindings' `limits=` / `{ limits }` and CLI
    /// files): unknown keys, wrong types and out-of-range values are `ConfigError`s.
    pub fn from_value(value: &serde_json::Value) -> Result<Self> {
        let limits: Limits = serde_json::from_value(value.clone())
            .map_err(|e| Error::config(format!("invalid host limits: {e}")).with_field("limits"))?;
        limits.validate()?;
        Ok(limits)
    }

    /// The limits a pack runs under: the host's, lowered by the pack's `[limits]`.
    /// A pack value of 0 or above the host's ceiling is a `ConfigError` naming the key
    /// (a pack can lower its sandbox, never raise or disable it).
    pub fn lowered_by(&self, pack: &LimitsSpec) -> Result<Limits> {
        self.validate()?;
        let mut out = *self;
        let wanted: [(&str, Option<u64>, &mut u64); 1] = [(
            "max_operations",
            pack.max_operations,
            &mut out.max_operations,
        )];
        for (key, value, slot) in wanted {
            if let Some(v) = value {
                *slot = lower(key, v, *slot)?;
            }
        }
        let sizes: [(&str, Option<usize>, &mut usize); 5] = [
            (
                "max_call_depth",
                pack.max_call_depth,
                &mut out.max_call_depth,
            ),
            (
                "max_expr_depth",
                pack.max_expr_depth,
                &mut out.max_expr_depth,
            ),
            (
                "max_string_size",
                pack.max_string_size,
                &mut out.max_string_size,
            ),
            (
                "max_array_size",
                pack.max_array_size,
                &mut out.max_array_size,
            ),
            ("max_map_size", pack.max_map_size, &mut out.max_map_size),
        ];
        for (key, value, slot) in sizes {
            if let Some(v) = value {
                let v = u64::try_from(v).unwrap_or(u64::MAX);
                let ceiling = u64::try_from(*slot).unwrap_or(u64::MAX);
                *slot = usize::try_from(lower(key, v, ceiling)?).unwrap_or(*slot);
            }
        }
        if let Some(ms) = pack.lead_time_ms {
            let us = ms.saturating_mul(1_000);
            out.lead_time_us = lower("lead_time_ms", us, out.lead_time_us).map_err(|_| {
                pack_error(
                    "lead_time_ms",
                    ms,
                    &format!("1 to {} ms", out.lead_time_us / 1_000),
                )
            })?;
        }
        Ok(out)
    }

    /// The per-lead CPU budget.
    pub fn lead_time(&self) -> Duration {
        Duration::from_micros(self.lead_time_us)
    }

    /// The per-batch wall-clock budget, if any.
    pub fn batch_time(&self) -> Option<Duration> {
        self.batch_time_ms.map(Duration::from_millis)
    }
}

fn lower(key: &str, value: u64, ceiling: u64) -> Result<u64> {
    if value == 0 || value > ceiling {
        return Err(pack_error(key, value, &format!("1 to {ceiling}")));
    }
    Ok(value)
}

fn pack_error(key: &str, value: u64, range: &str) -> Error {
    Error::config(format!(
        "pack limit {key} = {value} is out of range ({range}): a pack can lower the host's \
         limits, never raise or disable them"
    ))
    .with_field(format!("limits.{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(v: serde_json::Value) -> LimitsSpec {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_pack_lowers_but_never_raises_or_disables() {
        let host = Limits::default();
        let got = host
            .lowered_by(&spec(
                serde_json::json!({"max_operations": 500, "lead_time_ms": 2}),
            ))
            .unwrap();
        assert_eq!(got.max_operations, 500);
        assert_eq!(got.lead_time_us, 2_000);
        assert_eq!(got.max_call_depth, host.max_call_depth);
        for (key, value) in [
            ("max_operations", 0u64),
            ("max_operations", 10_001),
            ("max_call_depth", 10_000_000),
            ("max_expr_depth", 0),
            ("max_string_size", 0),
            ("max_array_size", 1 << 40),
            ("lead_time_ms", 100_000),
        ] {
            let e = host
                .lowered_by(&spec(serde_json::json!({ key: value })))
                .unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config, "{key}");
            assert_eq!(e.field(), Some(format!("limits.{key}").as_str()), "{key}");
        }
    }

    #[test]
    fn host_values_are_range_checked() {
        Limits::default().validate().unwrap();
        Limits::HARD.validate().unwrap();
        let e = Limits {
            max_operations: 0,
            ..Limits::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field(), Some("limits.max_operations"));
        let e = Limits {
            max_call_depth: 65,
            ..Limits::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field(), Some("limits.max_call_depth"));
        let e = Limits::from_value(&serde_json::json!({"max_operations": -1})).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        let e = Limits::from_value(&serde_json::json!({"bogus": 1})).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config);
        let l = Limits::from_value(&serde_json::json!({"lead_time_us": 100})).unwrap();
        assert_eq!(l.lead_time(), Duration::from_micros(100));
    }
}
