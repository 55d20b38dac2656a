//! The result of routing one lead: who, why, and which reps were passed over.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::routing::condition::LeadFacts;
use crate::routing::config::Strategy;
use crate::time::Timestamp;

/// Who got the lead: a rep or a queue. JSON: `{"rep": "ana"}` or `{"queue": "unrouted"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    Rep(String),
    Queue(String),
}

/// Which step decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The lead matched an existing account and went to its owner.
    Ownership,
    /// A routing rule matched.
    Rule,
    /// Nothing could take the lead; it went to the fallback queue.
    Fallback,
}

/// Why a lead ended in the fallback queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FallbackReason {
    /// No rule matched the lead.
    NoRuleMatched,
    /// A rule matched, but every rep it could use was capped, away, paused or out of territory.
    NoEligibleRep,
    /// A rule's script condition failed (see `rule_errors`); later rules were not tried.
    ScriptError,
}

/// Why a rep was passed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// `active: false`.
    Inactive,
    /// The lead is outside every territory the rep covers.
    NotInTerritory,
    /// In an out-of-office period at `now`.
    Away,
    /// Daily cap reached.
    DailyCap,
    /// Weekly cap reached.
    WeeklyCap,
}

/// A rep that was considered and not chosen because they could not take the lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub rep: String,
    pub reason: SkipReason,
    /// Human detail: `"3 of 3 leads on 2026-03-02 (Asia/Tokyo)"`.
    pub detail: String,
}

/// A rule whose condition could not be evaluated (a failing script); the lead
/// went to the fallback queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleError {
    pub rule: String,
    /// `ScriptError`, or `LimitExceeded` when the script hit a sandbox limit; a
    /// `ValidationError` for a weighted counter at the i64 edge, a `ConfigError`
    /// for an SLA deadline beyond the calendar (unvalidated config).
    pub kind: ErrorKind,
    /// Where the failing condition is in the config (`rules[2].when[1]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// One routing decision. Serialized in `snake_case`; optional parts are omitted when empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub lead_id: String,
    pub assignee: Assignee,
    pub via: Via,
    /// The rule that matched (also set when its team had nobody eligible).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The team's strategy, when a team picked the rep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    /// The matched account, when ownership was checked and found one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<FallbackReason>,
    /// One sentence for humans.
    pub reason: String,
    /// Reps that could have taken the lead at this step, in the order considered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eligible: Vec<String>,
    /// Reps passed over and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_errors: Vec<RuleError>,
    /// Segment, region and territories derived for the lead.
    #[serde(default, skip_serializing_if = "is_empty_facts")]
    pub facts: LeadFacts,
    pub at: Timestamp,
}

impl RuleError {
    /// The error of `rule`'s condition.
    pub fn new(rule: &str, e: &Error) -> Self {
        RuleError {
            rule: rule.to_owned(),
            kind: e.kind(),
            field: e.field().map(str::to_owned),
            message: e.message().to_owned(),
        }
    }
}

fn is_empty_facts(f: &LeadFacts) -> bool {
    *f == LeadFacts::default()
}

impl Assignment {
    /// The rep, when a rep got the lead.
    pub fn rep(&self) -> Option<&str> {
        match &self.assignee {
            Assignee::Rep(r) => Some(r),
            Assignee::Queue(_) => None,
        }
    }

    /// The queue, when the lead went to a queue.
    pub fn queue(&self) -> Option<&str> {
        match &self.assignee {
            Assignee::Queue(q) => Some(q),
            Assignee::Rep(_) => None,
        }
    }
}
