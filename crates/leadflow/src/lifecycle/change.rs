//! `Change`: the when, who and why of a transition.

use serde::{Deserialize, Serialize};

use serde_json::json;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Dimension, Transition, TransitionKind};
use crate::time::Timestamp;

/// Context of a lifecycle move: the explicit time, the actor and the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Change {
    pub fn new(at: Timestamp) -> Self {
        Change {
            at,
            actor: None,
            reason: None,
        }
    }

    /// Who makes the move: a user id, `rule:<name>`, `trigger:<name>`, `system`.
    #[must_use]
    pub fn actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }

    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The reason, if it is present and not blank.
    pub(crate) fn reason_text(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
    }

    pub(crate) fn record(
        &self,
        dimension: Dimension,
        from: Option<&str>,
        to: &str,
        kind: TransitionKind,
    ) -> Transition {
        Transition {
            dimension,
            from: from.map(str::to_owned),
            to: to.to_owned(),
            at: self.at,
            kind,
            actor: self.actor.clone(),
            reason: self.reason_text().map(str::to_owned),
        }
    }

    /// Refuses a move dated before the latest `history` entry of `dimension`:
    /// time in stage and velocity are differences of consecutive entries, so an
    /// out-of-order entry would make them negative or wrong. Equal times are fine
    /// (several moves in one step).
    pub(crate) fn ensure_in_order(
        &self,
        id: &str,
        history: &[Transition],
        dimension: Dimension,
        from: &str,
        to: &str,
    ) -> Result<()> {
        let Some(previous) = history
            .iter()
            .filter(|t| t.dimension == dimension)
            .map(|t| t.at)
            .max()
        else {
            return Ok(());
        };
        if self.at >= previous {
            return Ok(());
        }
        let what = match dimension {
            Dimension::Stage => "stage",
            Dimension::Status => "status",
            Dimension::OpportunityStage => "opportunity stage",
        };
        Err(Error::new(
            ErrorKind::InvalidTransition,
            format!(
                "cannot move from {from:?} to {to:?} at {}: before the previous {what} change at {}",
                self.at.to_rfc3339(),
                previous.to_rfc3339()
            ),
        )
        .with_record(id.to_owned())
        .with_details(json!({
            "dimension": dimension,
            "from": from,
            "to": to,
            "at": self.at,
            "previous_at": previous,
        })))
    }
}
