//! Evaluating SLAs for a lead at an explicit `now`.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::config::{ClockStart, FirstTouchPolicy, SlaConfig};
use crate::error::Error;
use crate::model::{Dimension, Lead};
use crate::routing::assign::RuleError;
use crate::routing::condition::{LeadFacts, LeadView};
use crate::time::Timestamp;

/// Which SLA a status is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaKind {
    FirstTouch,
    FollowUp,
    TimeInStatus,
}

/// Where an SLA stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Not yet met; the deadline is at or after `now`.
    Pending,
    /// Met in time.
    Met,
    /// Deadline passed unmet, or met late (`met_at` after `due_at`).
    Breached,
    /// The clock has not started (a `from: mql` policy for a lead not yet MQL).
    NotStarted,
    /// Not applicable any more (the lead was closed before its first touch).
    Waived,
}

/// One SLA of one lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaStatus {
    pub lead_id: String,
    pub sla: SlaKind,
    /// The first-touch policy name, or the status for follow-up and time in status.
    pub policy: String,
    pub state: SlaState,
    pub breached: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_at: Option<Timestamp>,
    /// Seconds from `now` to `due_at` while unmet (negative when overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_seconds: Option<i64>,
}

/// Every SLA of a lead plus its speed to lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaReport {
    pub lead_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_touch_at: Option<Timestamp>,
    /// First touch minus the first-touch clock start (creation or MQL), in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_to_lead_seconds: Option<i64>,
    pub slas: Vec<SlaStatus>,
    /// First-touch policies whose script condition failed for this lead (`rule`
    /// is the policy name); they were skipped and the next policy applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_errors: Vec<RuleError>,
}

impl SlaConfig {
    /// The deadline; `None` when it is beyond the representable time range (a
    /// config that skipped `validate`): reported as an error, never a panic.
    fn due(&self, start: Timestamp, minutes: i64, business: bool) -> Option<Timestamp> {
        match (&self.business_hours, business) {
            (Some(bh), true) => bh.add_minutes(start, minutes),
            _ => start.checked_add_signed(TimeDelta::try_minutes(minutes)?),
        }
    }

    /// The first policy that applies. A policy whose script fails is skipped and
    /// reported: unlike routing (where a catch-all rule could misroute), the next
    /// policy keeps the lead on a clock rather than on none.
    fn policy_for(
        &self,
        lead: &Lead,
        facts: &LeadFacts,
        now: Timestamp,
        errors: &mut Vec<RuleError>,
    ) -> Option<&FirstTouchPolicy> {
        let view = LeadView::borrowing(lead, facts).at(now);
        self.first_touch.iter().enumerate().find_map(|(i, p)| {
            let in_segment = p.segments.is_empty()
                || facts
                    .segment
                    .as_ref()
                    .is_some_and(|s| p.segments.contains(s));
            if !in_segment {
                return None;
            }
            let Some(c) = &p.when else { return Some(p) };
            match c.eval(&view, Some(&self.scripts)) {
                Ok(holds) => holds.then_some(p),
                Err(e) => {
                    errors.push(RuleError::new(
                        &p.name,
                        &e.with_field(format!("first_touch[{i}].when")),
                    ));
                    None
                }
            }
        })
    }

    /// When the lead first reached an MQL stage (history), or its creation when it
    /// carries an MQL stage without history (created as MQL).
    fn mql_at(&self, lead: &Lead) -> Option<Timestamp> {
        let from_history = lead
            .history
            .iter()
            .filter(|t| t.dimension == Dimension::Stage && self.mql_stages.contains(&t.to))
            .map(|t| t.at)
            .min();
        from_history.or_else(|| {
            lead.stage
                .as_ref()
                .filter(|s| self.mql_stages.contains(s))
                .map(|_| lead.created_at)
        })
    }

    /// Evaluates every SLA of `lead` at `now`. Activities after `now` are ignored.
    #[allow(clippy::too_many_lines)] // the three SLA kinds in one pass, in report order
    pub fn evaluate(&self, lead: &Lead, now: Timestamp) -> SlaReport {
        let facts = self.segmentation.facts(lead);
        let touches: Vec<Timestamp> = self.touch.touches(lead, now).map(|(a, _)| a.at).collect();
        let status = lead.status.clone().unwrap_or_else(|| "new".to_owned());
        let mut report = SlaReport {
            lead_id: lead.id.clone(),
            segment: facts.segment.clone(),
            first_touch_at: None,
            speed_to_lead_seconds: None,
            slas: Vec::new(),
            rule_errors: Vec::new(),
        };
        let status_of = |sla, policy: String, started_at, due_at: Option<Timestamp>, met_at| {
            let state = match (started_at, due_at, met_at) {
                (None, _, _) => SlaState::NotStarted,
                (_, Some(due), Some(met)) if met <= due => SlaState::Met,
                (_, Some(_), Some(_)) => SlaState::Breached,
                (_, Some(due), None) if now > due => SlaState::Breached,
                _ => SlaState::Pending,
            };
            SlaStatus {
                lead_id: lead.id.clone(),
                sla,
                policy,
                state,
                breached: state == SlaState::Breached,
                started_at,
                due_at,
                met_at,
                remaining_seconds: match (due_at, met_at) {
                    (Some(due), None) => Some(due.signed_duration_since(now).num_seconds()),
                    _ => None,
                },
            }
        };

        let policy = self.policy_for(lead, &facts, now, &mut report.rule_errors);
        let clock = match policy.map(|p| p.from) {
            Some(ClockStart::Mql) => self.mql_at(lead).filter(|t| *t <= now),
            _ => Some(lead.created_at),
        };
        let first = clock.and_then(|c| touches.iter().copied().find(|t| *t >= c));
        report.first_touch_at = touches.first().copied();
        report.speed_to_lead_seconds = clock
            .zip(first)
            .map(|(c, f)| f.signed_duration_since(c).num_seconds());
        if let Some(p) = policy {
            let due = clock.map(|c| self.due(c, p.within_minutes, p.business_hours));
            if let Some(None) = due {
                let i = self.first_touch.iter().position(|q| std::ptr::eq(q, p));
                let field = format!("first_touch[{}].within_minutes", i.unwrap_or(0));
                report
                    .rule_errors
                    .push(out_of_range(&p.name, &field, p.within_minutes));
            } else {
                let mut s = status_of(
                    SlaKind::FirstTouch,
                    p.name.clone(),
                    clock,
                    due.flatten(),
                    first,
                );
                if first.is_none() && self.closed_statuses.contains(&status) {
                    s.state = SlaState::Waived;
                    s.breached = false;
                    s.remaining_seconds = None;
                }
                report.slas.push(s);
            }
        }

        if let Some(f) = &self.follow_up
            && f.statuses.contains(&status)
            && let Some(last) = touches.last().copied()
        {
            if let Some(due) = self.due(last, f.within_minutes, f.business_hours) {
                let s = status_of(
                    SlaKind::FollowUp,
                    status.clone(),
                    Some(last),
                    Some(due),
                    None,
                );
                report.slas.push(s);
            } else {
                let (field, minutes) = ("follow_up.within_minutes", f.within_minutes);
                report
                    .rule_errors
                    .push(out_of_range("follow_up", field, minutes));
            }
        }

        if let Some(days) = self.max_days_in_status.get(&status) {
            let entered = last_entered(lead, &status);
            if let Some(due) = add_days(entered, *days) {
                let s = status_of(
                    SlaKind::TimeInStatus,
                    status,
                    Some(entered),
                    Some(due),
                    None,
                );
                report.slas.push(s);
            } else {
                let field = format!("max_days_in_status.{status}");
                report.rule_errors.push(out_of_range(&status, &field, days));
            }
        }
        report
    }

    /// Reports for a batch, one per lead, in order.
    pub fn evaluate_batch(&self, leads: &[Lead], now: Timestamp) -> Vec<SlaReport> {
        leads.iter().map(|l| self.evaluate(l, now)).collect()
    }

    /// Every breached SLA of a batch, in lead order.
    pub fn breaches(&self, leads: &[Lead], now: Timestamp) -> Vec<SlaStatus> {
        leads
            .iter()
            .flat_map(|l| self.evaluate(l, now).slas)
            .filter(|s| s.breached)
            .collect()
    }
}

/// When the lead last entered `status` (its creation when history does not say).
fn last_entered(lead: &Lead, status: &str) -> Timestamp {
    lead.history
        .iter()
        .rev()
        .find(|t| t.dimension == Dimension::Status && t.to == status)
        .map_or(lead.created_at, |t| t.at)
}

/// `at` plus fractional days, rounded to whole seconds (sub-second deadlines are
/// noise here); `None` for a non-finite or out-of-range result.
fn add_days(at: Timestamp, days: f64) -> Option<Timestamp> {
    let secs = (days * 86_400.0).round();
    // i64 range check in f64: beyond it the cast would saturate to a wrong deadline.
    if !secs.is_finite() || secs.abs() >= 9.2e18 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // range checked above
    let delta = TimeDelta::try_seconds(secs as i64)?;
    at.checked_add_signed(delta)
}

/// The error of an SLA whose deadline cannot be computed (a config that was not
/// validated, see [`SlaConfig::validate`]); the SLA is left out of the report.
fn out_of_range(rule: &str, field: &str, value: impl std::fmt::Display) -> RuleError {
    let e = Error::config(format!(
        "{field} = {value} puts the deadline beyond the supported time range"
    ))
    .with_field(field);
    RuleError::new(rule, &e)
}
