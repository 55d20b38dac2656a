//! Touch status: which activities count as touches, and when a lead that is
//! never reached is recycled to nurture.
//!
//! Attempts (`call_attempt`, `email_sent`) move a lead `new -> attempting` and
//! count up; a connect (`call_connected`, `meeting`) moves it to `connected`.
//! After `max_attempts` attempts without a connect the lead goes to `nurture`
//! with reason `no_connect`. Once connected, follow-up attempts never recycle.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::lifecycle::{Change, Pipeline, TouchOutcome};
use crate::model::{Activity, Lead, Transition, activity_kinds};
use crate::time::Timestamp;

/// What a touch activity means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    /// An outreach that did not (yet) reach the person.
    Attempt,
    /// A two-way conversation.
    Connected,
}

/// Which activities are touches and when to give up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TouchPolicy {
    /// Attempts without a connect before the lead is recycled to nurture.
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    #[serde(default = "default_attempt_kinds")]
    pub attempt_kinds: Vec<String>,
    #[serde(default = "default_connect_kinds")]
    pub connect_kinds: Vec<String>,
    /// Status a never-reached lead is recycled to.
    #[serde(default = "default_recycle_status")]
    pub recycle_status: String,
    /// Reason recorded on that recycle.
    #[serde(default = "default_recycle_reason")]
    pub recycle_reason: String,
}

fn default_max_attempts() -> u32 {
    4
}
fn default_attempt_kinds() -> Vec<String> {
    vec![
        activity_kinds::CALL_ATTEMPT.into(),
        activity_kinds::EMAIL_SENT.into(),
    ]
}
fn default_connect_kinds() -> Vec<String> {
    vec![
        activity_kinds::CALL_CONNECTED.into(),
        activity_kinds::MEETING.into(),
    ]
}
fn default_recycle_status() -> String {
    "nurture".into()
}
fn default_recycle_reason() -> String {
    "no_connect".into()
}

impl Default for TouchPolicy {
    fn default() -> Self {
        TouchPolicy {
            max_attempts: default_max_attempts(),
            attempt_kinds: default_attempt_kinds(),
            connect_kinds: default_connect_kinds(),
            recycle_status: default_recycle_status(),
            recycle_reason: default_recycle_reason(),
        }
    }
}

/// Touch facts of a lead, from its activities up to `now`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TouchSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_touch_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_touch_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_connect_at: Option<Timestamp>,
    /// Attempts since the last connect.
    pub attempts_since_connect: u32,
    pub total_attempts: u32,
}

impl TouchPolicy {
    /// The meaning of an activity type, if it is a touch.
    pub fn classify(&self, kind: &str) -> Option<TouchKind> {
        if self.connect_kinds.iter().any(|k| k == kind) {
            Some(TouchKind::Connected)
        } else if self.attempt_kinds.iter().any(|k| k == kind) {
            Some(TouchKind::Attempt)
        } else {
            None
        }
    }

    /// Touches of `lead` at or before `now`, in time order.
    pub fn touches<'a>(
        &'a self,
        lead: &'a Lead,
        now: Timestamp,
    ) -> impl Iterator<Item = (&'a Activity, TouchKind)> + 'a {
        let mut v: Vec<_> = lead
            .activities
            .iter()
            .filter(move |a| a.at <= now)
            .filter_map(|a| self.classify(&a.kind).map(|k| (a, k)))
            .collect();
        v.sort_by_key(|(a, _)| a.at);
        v.into_iter()
    }

    /// First/last touch, first connect and attempt counts up to `now`.
    pub fn summarize(&self, lead: &Lead, now: Timestamp) -> TouchSummary {
        let mut s = TouchSummary::default();
        for (a, kind) in self.touches(lead, now) {
            s.first_touch_at.get_or_insert(a.at);
            s.last_touch_at = Some(a.at);
            match kind {
                TouchKind::Attempt => {
                    s.total_attempts += 1;
                    s.attempts_since_connect += 1;
                }
                TouchKind::Connected => {
                    s.first_connect_at.get_or_insert(a.at);
                    s.attempts_since_connect = 0;
                }
            }
        }
        s
    }

    /// True when `attempts` attempts without a connect call for recycling.
    pub fn should_recycle(&self, attempts: u32) -> bool {
        self.max_attempts > 0 && attempts >= self.max_attempts
    }
}

/// What recording one activity did to a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchResult {
    /// The activity's meaning; `None` when it is not a touch (a page view).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touch: Option<TouchKind>,
    /// Attempts without a connect after this activity.
    pub attempts: u32,
    /// True when this attempt reached `max_attempts` and the lead went to nurture.
    pub recycled: bool,
    /// Status transitions made, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<Transition>,
}

impl TouchPolicy {
    /// Records `activity` on `lead`: appends it to the activities and, for a touch,
    /// moves the working status through the lifecycle `pipeline` (attempt count,
    /// `new -> attempting -> connected`), recycling to nurture with the reason
    /// `no_connect` once `max_attempts` attempts went unanswered.
    ///
    /// Atomic: on error (converted lead, refused transition) the lead is unchanged.
    pub fn record(
        &self,
        pipeline: &Pipeline,
        lead: &mut Lead,
        activity: Activity,
        actor: &str,
    ) -> Result<TouchResult> {
        let mut next = lead.clone();
        let change = Change::new(activity.at).actor(actor.to_owned());
        let touch = self.classify(&activity.kind);
        next.activities.push(activity);
        let mut transitions = Vec::new();
        let mut recycled = false;
        if let Some(kind) = touch {
            let outcome = match kind {
                TouchKind::Attempt => TouchOutcome::Attempt,
                TouchKind::Connected => TouchOutcome::Connected,
            };
            transitions.extend(pipeline.record_touch(&mut next, outcome, &change)?);
            // A connected lead is being worked: follow-up attempts never recycle it.
            let connected =
                next.status.is_some() && next.status == pipeline.config().lead_statuses.connected;
            if kind == TouchKind::Attempt && !connected && self.should_recycle(next.attempts) {
                let why = change.clone().reason(self.recycle_reason.clone());
                transitions.push(pipeline.set_status(&mut next, &self.recycle_status, &why)?);
                recycled = true;
            }
        }
        let result = TouchResult {
            touch,
            attempts: next.attempts,
            recycled,
            transitions,
        };
        *lead = next;
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn summary_counts_attempts_since_connect() {
        let t = |s: &str| parse_timestamp(s).unwrap();
        let mut lead = Lead::new("L", t("2026-03-02T09:00:00Z"));
        for (k, at) in [
            ("email_sent", "2026-03-02T09:05:00Z"),
            ("page_view", "2026-03-02T09:06:00Z"),
            ("call_connected", "2026-03-02T10:00:00Z"),
            ("call_attempt", "2026-03-03T10:00:00Z"),
            ("call_attempt", "2026-03-04T10:00:00Z"),
            ("call_attempt", "2026-03-09T10:00:00Z"),
        ] {
            lead.activities.push(Activity::new(k, t(at)));
        }
        let p = TouchPolicy::default();
        let s = p.summarize(&lead, t("2026-03-05T00:00:00Z"));
        assert_eq!(s.first_touch_at, Some(t("2026-03-02T09:05:00Z")));
        assert_eq!(s.first_connect_at, Some(t("2026-03-02T10:00:00Z")));
        assert_eq!((s.attempts_since_connect, s.total_attempts), (2, 3));
        assert!(!p.should_recycle(3));
        assert!(p.should_recycle(4));
    }

    #[test]
    fn recycles_to_nurture_after_max_attempts() {
        let t = |s: &str| parse_timestamp(s).unwrap();
        let pipeline = Pipeline::default();
        let policy = TouchPolicy::default();
        let mut lead = Lead::new("L", t("2026-03-02T09:00:00Z"));
        let days = ["02", "03", "04", "05"];
        let mut results = Vec::new();
        for d in days {
            let a = Activity::new("call_attempt", t(&format!("2026-03-{d}T10:00:00Z")));
            results.push(policy.record(&pipeline, &mut lead, a, "rep:ana").unwrap());
        }
        assert_eq!(lead.status.as_deref(), Some("nurture"));
        assert!(results[3].recycled && !results[2].recycled);
        assert_eq!(lead.attempts, 0, "recycling resets the counter");
        let last = lead.history.last().unwrap();
        assert_eq!(
            (last.to.as_str(), last.reason.as_deref()),
            ("nurture", Some("no_connect"))
        );
        assert_eq!(lead.activities.len(), 4);
        // Non-touches are kept but change nothing.
        let r = policy
            .record(
                &pipeline,
                &mut lead,
                Activity::new("page_view", t("2026-03-06T00:00:00Z")),
                "system",
            )
            .unwrap();
        assert_eq!((r.touch, r.transitions.len()), (None, 0));
    }

    #[test]
    fn a_connect_resets_attempts() {
        let t = |s: &str| parse_timestamp(s).unwrap();
        let pipeline = Pipeline::default();
        let policy = TouchPolicy {
            max_attempts: 2,
            ..TouchPolicy::default()
        };
        let mut lead = Lead::new("L", t("2026-03-02T09:00:00Z"));
        let mut touch = |k: &str, at: &str| {
            policy
                .record(&pipeline, &mut lead, Activity::new(k, t(at)), "rep")
                .unwrap()
        };
        assert_eq!(touch("email_sent", "2026-03-02T10:00:00Z").attempts, 1);
        let r = touch("meeting", "2026-03-03T10:00:00Z");
        assert_eq!((r.touch, r.attempts), (Some(TouchKind::Connected), 0));
        let r = touch("call_attempt", "2026-03-04T10:00:00Z");
        assert!(!r.recycled, "a follow-up attempt on a connected lead");
        assert!(!touch("call_attempt", "2026-03-05T10:00:00Z").recycled);
        assert_eq!(lead.status.as_deref(), Some("connected"));
    }
}
