//! When a framework's evidence adds up to "qualified".

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The rule that turns criterion statuses into an outcome. A disqualifying
/// criterion always disqualifies; otherwise the lead is qualified when every
/// condition that is switched on holds.
///
/// ```json
/// {"all_required": true}                                   // the default
/// {"all_required": false, "min_met": 3}                    // any 3 of 4
/// {"all_required": false, "min_met": 3, "partial_credit": 0.5}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Every required criterion must be confirmed.
    #[serde(default = "yes")]
    pub all_required: bool,
    /// A `partial` required criterion counts as met for `all_required`.
    #[serde(default)]
    pub partial_meets_required: bool,
    /// At least this much credit over all criteria (required or not): a
    /// confirmed criterion is worth 1, a partial one `partial_credit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_met: Option<f64>,
    /// Credit of a partial criterion towards `min_met`, from 0 to 1.
    #[serde(default = "half")]
    pub partial_credit: f64,
}

fn yes() -> bool {
    true
}
fn half() -> f64 {
    0.5
}

impl Default for Policy {
    fn default() -> Self {
        Policy::all_required()
    }
}

impl Policy {
    /// Every required criterion confirmed (partial does not count).
    pub fn all_required() -> Self {
        Policy {
            all_required: true,
            partial_meets_required: false,
            min_met: None,
            partial_credit: half(),
        }
    }

    /// At least `n` criteria confirmed, a partial one counting `partial_credit`;
    /// required flags are not checked.
    pub fn at_least(n: f64, partial_credit: f64) -> Self {
        Policy {
            all_required: false,
            partial_meets_required: false,
            min_met: Some(n),
            partial_credit,
        }
    }

    /// Checks the policy against a framework with `criteria` criteria of which
    /// `required` are required: credits in range, and something to satisfy.
    pub(crate) fn validate(&self, criteria: usize, required: usize) -> Result<()> {
        if !(0.0..=1.0).contains(&self.partial_credit) {
            return Err(Error::config(format!(
                "partial_credit must be between 0 and 1, found {}",
                self.partial_credit
            ))
            .with_field("policy.partial_credit"));
        }
        if let Some(n) = self.min_met
            && (!n.is_finite() || n < 0.0 || n > criteria as f64)
        {
            return Err(Error::config(format!(
                "min_met must be between 0 and the number of criteria ({criteria}), found {n}"
            ))
            .with_field("policy.min_met"));
        }
        let requires_something =
            (self.all_required && required > 0) || self.min_met.is_some_and(|n| n > 0.0);
        if !requires_something {
            return Err(Error::config(
                "the policy requires nothing: set all_required with at least one required criterion, or min_met above 0",
            )
            .with_field("policy"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn defaults_from_json() {
        let p: Policy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, Policy::all_required());
        let p: Policy = serde_json::from_str(r#"{"all_required": false, "min_met": 3}"#).unwrap();
        assert_eq!(p, Policy::at_least(3.0, 0.5));
        assert!(serde_json::from_str::<Policy>(r#"{"min": 3}"#).is_err());
    }

    #[test]
    fn validation() {
        assert!(Policy::all_required().validate(4, 4).is_ok());
        let e = Policy::all_required().validate(4, 0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(Policy::at_least(5.0, 0.5).validate(4, 4).is_err());
        assert!(Policy::at_least(3.0, 1.5).validate(4, 4).is_err());
        assert!(Policy::at_least(f64::NAN, 0.5).validate(4, 4).is_err());
        assert!(Policy::at_least(0.0, 0.5).validate(4, 0).is_err());
        assert!(Policy::at_least(2.0, 0.0).validate(4, 0).is_ok());
    }
}
