//! Evaluating a framework's evidence under a policy.

use serde::{Deserialize, Serialize};

use super::evidence::{Evidence, Status};
use super::framework::Framework;
use super::policy::Policy;
use crate::error::Result;
use crate::model::QualificationState;
use crate::time::Timestamp;

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Qualified,
    NotYet,
    Disqualified,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Qualified => "qualified",
            Outcome::NotYet => "not_yet",
            Outcome::Disqualified => "disqualified",
        }
    }
}

/// One criterion in a result: its definition's key and label, and the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

impl CriterionResult {
    /// `label: evidence`, or the label alone: how a disqualification reads on the lead.
    fn reason(&self) -> String {
        match &self.evidence {
            Some(e) if !e.trim().is_empty() => format!("{}: {e}", self.key),
            _ => self.key.clone(),
        }
    }
}

/// The outcome of a framework for one lead, with the per-criterion detail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualificationResult {
    pub framework: String,
    pub outcome: Outcome,
    /// Keys of criteria still `unknown` or `partial`, in framework order.
    pub missing: Vec<String>,
    /// The disqualifying criteria with their evidence (empty unless disqualified).
    pub disqualified_by: Vec<CriterionResult>,
    /// Credit earned: 1 per confirmed criterion, `partial_credit` per partial one.
    pub credit: f64,
    /// Every criterion of the framework, in order.
    pub criteria: Vec<CriterionResult>,
}

impl QualificationResult {
    /// The verdict to store on the lead (`lead.qualification`), as of `now`.
    /// `disqualified_by` entries read `key: evidence`.
    pub fn to_state(&self, now: Timestamp) -> QualificationState {
        QualificationState {
            framework: self.framework.clone(),
            outcome: self.outcome.as_str().to_owned(),
            missing: self.missing.clone(),
            disqualified_by: self
                .disqualified_by
                .iter()
                .map(CriterionResult::reason)
                .collect(),
            at: now,
        }
    }
}

/// Evaluates `evidence` against `framework` under `policy`:
///
/// - any `disqualifying` criterion (required or not) gives `disqualified`, naming it;
/// - otherwise `qualified` when the policy holds: with `all_required`, every
///   required criterion is confirmed (or partial, if `partial_meets_required`);
///   with `min_met`, the credit reaches it;
/// - otherwise `not_yet`.
///
/// Evidence for keys the framework does not define is ignored. Fails with a
/// `ConfigError` only when the policy cannot work with this framework.
pub fn evaluate(
    framework: &Framework,
    evidence: &Evidence,
    policy: &Policy,
) -> Result<QualificationResult> {
    framework.check_policy(policy)?;
    let criteria: Vec<CriterionResult> = framework
        .criteria
        .iter()
        .map(|c| {
            let e = evidence.get(&c.key);
            CriterionResult {
                key: c.key.clone(),
                label: c.label.clone(),
                required: c.required,
                status: e.map_or(Status::Unknown, |e| e.status),
                evidence: e.and_then(|e| e.evidence.clone()),
                source: e.and_then(|e| e.source.clone()),
                at: e.and_then(|e| e.at),
            }
        })
        .collect();

    let disqualified_by: Vec<CriterionResult> = criteria
        .iter()
        .filter(|c| c.status == Status::Disqualifying)
        .cloned()
        .collect();
    let missing = criteria
        .iter()
        .filter(|c| matches!(c.status, Status::Unknown | Status::Partial))
        .map(|c| c.key.clone())
        .collect();
    let credit: f64 = criteria
        .iter()
        .map(|c| match c.status {
            Status::Confirmed => 1.0,
            Status::Partial => policy.partial_credit,
            Status::Unknown | Status::Disqualifying => 0.0,
        })
        .sum();

    let required_met = !policy.all_required
        || criteria.iter().filter(|c| c.required).all(|c| {
            c.status == Status::Confirmed
                || (policy.partial_meets_required && c.status == Status::Partial)
        });
    // A small tolerance so that 0.5 + 0.5 + ... reaches a whole-number min_met.
    let credit_met = policy.min_met.is_none_or(|n| credit + 1e-9 >= n);

    let outcome = if !disqualified_by.is_empty() {
        Outcome::Disqualified
    } else if required_met && credit_met {
        Outcome::Qualified
    } else {
        Outcome::NotYet
    };
    Ok(QualificationResult {
        framework: framework.name.clone(),
        outcome,
        missing,
        disqualified_by,
        credit,
        criteria,
    })
}

#[cfg(test)]
mod tests;
