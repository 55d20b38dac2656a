//! Lifecycle history entries, shared by leads and opportunities.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// Which state dimension a transition changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Lead lifecycle stage (subscriber ... customer).
    Stage,
    /// Lead working status (new, attempting, connected ...).
    Status,
    /// Opportunity sales stage.
    OpportunityStage,
}

/// How a transition relates to the configured order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    /// First state of the record.
    Initial,
    /// A move to the next state, or an allowed move of an unordered machine.
    Advance,
    /// A forward move that skipped one or more stages (recorded, not refused).
    Skip,
    /// A backward move to an earlier stage or to nurture; always carries a reason.
    Recycle,
    /// Re-opening a closed or terminal state; always carries a reason.
    Reopen,
}

/// One entry of a record's history. Appended by the lifecycle module, never edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub dimension: Dimension,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    pub to: String,
    pub at: Timestamp,
    pub kind: TransitionKind,
    /// Who made the move: a user id, `rule:<name>`, `trigger:<name>`, `system`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Reason code or text; required for recycle and reopen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
