//! Events that triggers react to. The host reports them (or derives them from
//! changes it made); triggers also derive them from their own planned actions.

use serde::{Deserialize, Serialize};

use crate::model::Opportunity;
use crate::routing::sla::{SlaKind, SlaStatus};

/// Something that happened to a lead. JSON: `{"type": "stage_changed", "from": "lead", "to": "mql"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The score went from `from` (none when first scored) to `to`.
    ScoreChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<f64>,
        to: f64,
    },
    StageChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
    },
    StatusChanged {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
    },
    /// An SLA of the lead was breached (see `routing::sla`).
    SlaBreached { sla: SlaKind, policy: String },
    /// An opportunity that came from the lead closed (won or lost; read from the opportunity).
    OpportunityClosed { opportunity: Box<Opportunity> },
    /// The lead matched an existing account.
    AccountMatched {
        account_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default)]
        is_customer: bool,
    },
}

impl Event {
    /// The `sla_breached` event of a breached SLA status (`None` when not breached),
    /// so SLA evaluation can feed the trigger engine directly.
    pub fn from_sla(status: &SlaStatus) -> Option<Event> {
        status.breached.then(|| Event::SlaBreached {
            sla: status.sla,
            policy: status.policy.clone(),
        })
    }

    /// The event type name (`stage_changed`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::ScoreChanged { .. } => "score_changed",
            Event::StageChanged { .. } => "stage_changed",
            Event::StatusChanged { .. } => "status_changed",
            Event::SlaBreached { .. } => "sla_breached",
            Event::OpportunityClosed { .. } => "opportunity_closed",
            Event::AccountMatched { .. } => "account_matched",
        }
    }
}
