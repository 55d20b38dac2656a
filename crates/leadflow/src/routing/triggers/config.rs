//! Trigger definitions: on an event, when a condition holds, plan actions.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::routing::condition::{Condition, ScriptHost};
use crate::routing::config::Target;
use crate::routing::load::{ConfigFormat, parse_config, read_config};
use crate::routing::scripts::Scripts;
use crate::routing::sla::SlaKind;

/// Which way a score must cross its threshold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From below the threshold (or unscored) to at or above it.
    #[default]
    Up,
    /// From at or above the threshold to below it.
    Down,
}

/// The event a trigger listens to, with filters. Externally tagged: `{"stage_changed": {"to": "mql"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum On {
    ScoreCrossed {
        threshold: f64,
        #[serde(default)]
        direction: Direction,
    },
    StageChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    StatusChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<String>,
    },
    SlaBreached {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sla: Option<SlaKind>,
    },
    /// `won: true` for closed won, `false` for closed lost, absent for both.
    OpportunityClosed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        won: Option<bool>,
    },
    /// `customer: true` only for paying customers' accounts.
    AccountMatched {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        customer: Option<bool>,
    },
}

/// Who a notification is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The lead's `owner`.
    LeadOwner,
    /// The owner of the opportunity in the event.
    OpportunityOwner,
    /// The owner of the account in the event.
    AccountOwner,
    /// A fixed user or channel id.
    User(String),
}

/// What a trigger does (planned as data; the host executes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionSpec {
    /// `{"set_stage": "mql"}`; a backward move needs `recycle` instead.
    SetStage(String),
    /// `{"set_status": {"status": "nurture", "reason": "..."}}`.
    SetStatus {
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// `{"route": {}}`: run the routing config again for this lead.
    Route {},
    /// `{"assign": {"team": "enterprise"}}`: assign directly.
    Assign(Target),
    /// `{"convert": {}}`: convert the lead (`leadflow::convert`); put the SQL criteria in `when`.
    Convert {},
    /// `{"recycle": {"reason": "closed_lost", "stage": "lead"}}`: status to nurture (and the
    /// stage back, when given), with a reason.
    Recycle {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
    },
    /// `{"notify": {"to": "opportunity_owner", "template": "closed_lost"}}`.
    Notify { to: Recipient, template: String },
}

/// One trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    pub name: String,
    pub on: On,
    /// Extra condition on the lead (after the event's own changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    pub actions: Vec<ActionSpec>,
    /// Fire at most once per lead (recorded in `TriggerState`).
    #[serde(default)]
    pub one_shot: bool,
}

/// The ordered list of triggers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerConfig {
    pub triggers: Vec<Trigger>,
    /// Status used by `recycle` (default `nurture`).
    #[serde(default = "nurture")]
    pub recycle_status: String,
    /// Longest chain of triggers firing on each other's output.
    #[serde(default = "max_depth")]
    pub max_depth: usize,
}

fn nurture() -> String {
    "nurture".into()
}
fn max_depth() -> usize {
    8
}

impl TriggerConfig {
    pub fn from_str(text: &str, format: ConfigFormat) -> Result<Self> {
        parse_config(text, format, "trigger config")
    }

    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        read_config(path.as_ref(), "trigger config")
    }

    /// Checks names, actions and conditions (script conditions are compiled in
    /// a throwaway sandbox); errors name the trigger.
    pub fn validate(&self) -> Result<()> {
        self.validate_with(&Scripts::default())
    }

    /// [`TriggerConfig::validate`], compiling script conditions into `scripts`.
    pub(crate) fn validate_with(&self, scripts: &dyn ScriptHost) -> Result<()> {
        let mut names = BTreeSet::new();
        for (i, t) in self.triggers.iter().enumerate() {
            let at = format!("triggers[{i}]");
            let err =
                |m: String, f: String| Error::config(m).with_rule(t.name.clone()).with_field(f);
            if t.name.trim().is_empty() {
                return Err(Error::config("trigger name must not be empty").with_field(at));
            }
            if !names.insert(t.name.as_str()) {
                return Err(err(format!("trigger {:?} is defined twice", t.name), at));
            }
            if t.actions.is_empty() {
                return Err(err(
                    format!("trigger {:?} has no actions", t.name),
                    format!("{at}.actions"),
                ));
            }
            if let On::ScoreCrossed { threshold, .. } = t.on
                && !threshold.is_finite()
            {
                return Err(err(
                    format!("trigger {:?}: threshold must be a number", t.name),
                    format!("{at}.on"),
                ));
            }
            for (j, a) in t.actions.iter().enumerate() {
                let blank = match a {
                    ActionSpec::SetStage(s) => s.trim().is_empty(),
                    ActionSpec::SetStatus { status, .. } => status.trim().is_empty(),
                    ActionSpec::Recycle { reason, .. } => reason.trim().is_empty(),
                    ActionSpec::Notify { template, .. } => template.trim().is_empty(),
                    _ => false,
                };
                if blank {
                    return Err(err(
                        format!(
                            "trigger {:?}: action {j} has an empty name or reason",
                            t.name
                        ),
                        format!("{at}.actions[{j}]"),
                    ));
                }
            }
            if let Some(c) = &t.when {
                c.validate(&format!("{at}.when"), Some(scripts))
                    .map_err(|e| e.with_rule(t.name.clone()))?;
            }
        }
        if self.max_depth == 0 {
            return Err(Error::config("max_depth must be at least 1").with_field("max_depth"));
        }
        Ok(())
    }
}
