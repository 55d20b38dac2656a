//! Touch status: which activities count as touches, and when a lead that is
//! never reached is recycled to nurture.
//!
//! Attempts (`call_attempt`, `email_sent`) move a lead `new -> attempting` and
//! count up; a connect (`call_connected`, `meeting`) moves it to `connected`.
//! After `max_attempts` attempts without a connect the lead goes to `nurture`
//! with reason `no_connect`.

use serde::{Deserialize, Serialize};

use crate::model::{Activity, Lead, activity_kinds};
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
}
