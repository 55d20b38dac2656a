//! Lead working status: what sales is doing with the lead.

use serde::{Deserialize, Serialize};

use super::change::Change;
use super::pipeline::{Pipeline, ensure_open, refuse};
use crate::error::{Error, Result};
use crate::model::{ConversionRef, Dimension, Lead, Transition, TransitionKind};

/// The outcome of one touch (call, email, meeting) on a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchOutcome {
    /// A touch that did not reach the person (call attempt, email sent).
    Attempt,
    /// A touch that reached the person (call connected, meeting).
    Connected,
}

impl Pipeline {
    /// Moves the working status along a configured transition. Entering the recycle
    /// status (`nurture`) requires a reason; the converted status is reached only
    /// through conversion.
    pub fn set_status(&self, lead: &mut Lead, to: &str, change: &Change) -> Result<Transition> {
        let from = self.current_status(lead)?;
        let cfg = &self.config().lead_statuses;
        if !cfg.states.iter().any(|s| s == to) {
            return Err(Error::not_found(format!("unknown status {to:?}"))
                .with_record(lead.id.clone())
                .with_details(serde_json::json!({ "known": cfg.states })));
        }
        if cfg.converted.as_deref() == Some(to) {
            return Err(refuse(
                lead,
                Dimension::Status,
                &from,
                to,
                "a lead becomes converted only through conversion",
            ));
        }
        let allowed = cfg
            .transitions
            .get(&from)
            .is_some_and(|tos| tos.iter().any(|t| t == to));
        if !allowed {
            let why = if cfg.terminal.contains(&from) {
                "the status is terminal"
            } else {
                "not an allowed transition"
            };
            return Err(refuse(lead, Dimension::Status, &from, to, why));
        }
        let kind = if cfg.recycle.as_deref() == Some(to) {
            if change.reason_text().is_none() {
                return Err(refuse(
                    lead,
                    Dimension::Status,
                    &from,
                    to,
                    "recycling to nurture requires a reason",
                ));
            }
            TransitionKind::Recycle
        } else if cfg.recycle.as_deref() == Some(from.as_str()) {
            TransitionKind::Reopen
        } else {
            TransitionKind::Advance
        };
        change.ensure_in_order(&lead.id, &lead.history, Dimension::Status, &from, to)?;
        if kind == TransitionKind::Recycle {
            lead.attempts = 0;
        }
        Ok(commit_status(self, lead, &from, to, kind, change))
    }

    /// Records one touch: an attempt counts up and moves `new` to `attempting`; a
    /// connect moves to `connected` and resets the count. Returns the status
    /// transition, if the status changed. (When to recycle after N attempts is a
    /// routing policy, see `routing`.)
    pub fn record_touch(
        &self,
        lead: &mut Lead,
        outcome: TouchOutcome,
        change: &Change,
    ) -> Result<Option<Transition>> {
        let from = self.current_status(lead)?;
        let cfg = &self.config().lead_statuses;
        if cfg.terminal.contains(&from) {
            return Err(refuse(
                lead,
                Dimension::Status,
                &from,
                &from,
                "no touches on a lead in a terminal status",
            ));
        }
        let target = match outcome {
            TouchOutcome::Attempt => cfg.attempting.as_deref(),
            TouchOutcome::Connected => cfg.connected.as_deref(),
        };
        let moved = match target {
            // An attempt on a connected lead is a follow-up: it does not undo the connect.
            Some(to)
                if to != from
                    && !(outcome == TouchOutcome::Attempt
                        && cfg.connected.as_deref() == Some(from.as_str())) =>
            {
                Some(self.set_status(lead, to, change)?)
            }
            _ => None,
        };
        match outcome {
            TouchOutcome::Attempt => lead.attempts = lead.attempts.saturating_add(1),
            TouchOutcome::Connected => lead.attempts = 0,
        }
        Ok(moved)
    }

    /// Marks a lead converted: stores the references, moves the status to the
    /// converted state and, when an opportunity was created, the stage up to
    /// `opportunity`. Called by `convert::apply`; atomic (nothing changes on error).
    pub fn mark_converted(
        &self,
        lead: &mut Lead,
        conversion: ConversionRef,
        change: &Change,
    ) -> Result<Vec<Transition>> {
        let from_status = self.current_status(lead)?;
        let cfg = &self.config().lead_statuses;
        let Some(to_status) = cfg.converted.clone() else {
            return Err(Error::config(
                "lead_statuses has no `converted` status; conversion is not configured",
            ));
        };
        // Decide the stage move before touching anything.
        let from_stage = lead
            .stage
            .clone()
            .unwrap_or_else(|| self.initial_stage().to_owned());
        let stage_move = match (
            conversion.opportunity_id.is_some(),
            self.stage_rank("opportunity"),
            self.stage_rank(&from_stage),
        ) {
            (true, Some(target), Some(current)) if current < target => {
                Some(if target > current + 1 {
                    TransitionKind::Skip
                } else {
                    TransitionKind::Advance
                })
            }
            _ => None,
        };
        if stage_move.is_some() {
            let h = &lead.history;
            change.ensure_in_order(&lead.id, h, Dimension::Stage, &from_stage, "opportunity")?;
        }
        if from_status != to_status {
            let h = &lead.history;
            change.ensure_in_order(&lead.id, h, Dimension::Status, &from_status, &to_status)?;
        }
        let mut out = self.place_unchecked(lead, change);
        if let Some(kind) = stage_move {
            let t = change.record(Dimension::Stage, Some(&from_stage), "opportunity", kind);
            lead.stage = Some(t.to.clone());
            lead.history.push(t.clone());
            out.push(t);
        }
        if from_status != to_status {
            out.push(commit_status(
                self,
                lead,
                &from_status,
                &to_status,
                TransitionKind::Advance,
                change,
            ));
        }
        lead.conversion = Some(conversion);
        Ok(out)
    }

    /// The lead's status (the initial one when unplaced). Pure, like `current_stage`.
    fn current_status(&self, lead: &Lead) -> Result<String> {
        ensure_open(lead)?;
        let status = lead
            .status
            .clone()
            .unwrap_or_else(|| self.initial_status().to_owned());
        if !self.config().lead_statuses.states.contains(&status) {
            return Err(Error::validation(format!(
                "current status {status:?} is not in the pipeline"
            ))
            .with_record(lead.id.clone())
            .with_field("status"));
        }
        Ok(status)
    }
}

fn commit_status(
    pipeline: &Pipeline,
    lead: &mut Lead,
    from: &str,
    to: &str,
    kind: TransitionKind,
    change: &Change,
) -> Transition {
    pipeline.place_unchecked(lead, change);
    let t = change.record(Dimension::Status, Some(from), to, kind);
    lead.status = Some(to.to_owned());
    lead.history.push(t.clone());
    t
}
