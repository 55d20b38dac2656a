//! Leads with a fixed number of activities each, for the benchmarks'
//! activities-per-lead curve: the reference rows' fields with a history of
//! exactly `k` activities drawn in the reference leads' mix of kinds.
//!
//! The history replaces the row's activity features, so these leads do not
//! derive back to their rows: scorers are compared on [`super::features_of`]
//! of the leads themselves.

use chrono::TimeDelta;

use super::lead::fill_fields;
use super::row::FeatureRow;
use super::sampler::Sampler;
use super::vocab::{OTHER_FORMS, PAGES, PRICING_PAGES};
use crate::model::{Activity, Lead, activity_kinds as kinds};
use crate::time::Timestamp;

const DAY_SECS: u64 = 86_400;

/// What one activity of the history is, per mille: about the mean counts of
/// the reference leads (~36 activities: 17 plain page views, 2.5 pricing
/// views, 12 opens, 2.5 clicks, 1 form, 1 sent email, rare webinars,
/// unsubscribes and future meetings).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Page,
    Pricing,
    Open,
    Click,
    Form,
    Sent,
    Webinar,
    Unsubscribe,
    Meeting,
}

const MIX: [(Kind, u64); 9] = [
    (Kind::Page, 468),
    (Kind::Pricing, 69),
    (Kind::Open, 331),
    (Kind::Click, 69),
    (Kind::Form, 29),
    (Kind::Sent, 27),
    (Kind::Webinar, 5),
    (Kind::Unsubscribe, 1),
    (Kind::Meeting, 1),
];

fn draw_kind(s: &mut Sampler) -> Kind {
    let mut x = s.below(1000);
    for (kind, weight) in MIX {
        if x < weight {
            return kind;
        }
        x -= weight;
    }
    Kind::Page
}

/// The lead for `row` with exactly `k` activities as of `now`: one counted
/// activity at `now - days_since_activity days - j` (as in the reference
/// leads), the others up to 60 days before it, a meeting 1-7 days after `now`;
/// sorted by time, `created_at` up to 30 days before the first.
pub(crate) fn lead_with_history(
    index: u64,
    row: &FeatureRow,
    now: Timestamp,
    k: usize,
    s: &mut Sampler,
) -> Lead {
    let mut lead = Lead::new(format!("lead-{index:07}"), now);
    fill_fields(&mut lead, row);
    let latest = now - secs(u64::from(row.days_since_activity) * DAY_SECS + s.below(DAY_SECS));
    let pinned = s.below(k.max(1) as u64);
    let mut acts: Vec<Activity> = (0..k as u64)
        .map(|i| {
            let kind = draw_kind(s);
            let at = match kind {
                Kind::Meeting => now + secs(DAY_SECS + s.below(6 * DAY_SECS)),
                _ if i == pinned => latest,
                _ => latest - secs(s.below(60 * DAY_SECS)),
            };
            activity(kind, at, i, s)
        })
        .collect();
    acts.sort_by_key(|a| a.at);
    lead.created_at = match acts.first() {
        Some(first) => first.at.min(latest) - secs(s.below(30 * DAY_SECS)),
        None => latest,
    };
    lead.activities = acts;
    lead
}

fn activity(kind: Kind, at: Timestamp, i: u64, s: &mut Sampler) -> Activity {
    let campaign = || format!("nurture-{}", i % 4);
    match kind {
        Kind::Page => Activity::new(kinds::PAGE_VIEW, at).with_meta("url", s.pick(&PAGES)),
        Kind::Pricing => {
            Activity::new(kinds::PAGE_VIEW, at).with_meta("url", s.pick(&PRICING_PAGES))
        }
        Kind::Open => Activity::new(kinds::EMAIL_OPEN, at).with_meta("campaign", campaign()),
        Kind::Click => Activity::new(kinds::EMAIL_CLICK, at).with_meta("campaign", campaign()),
        // One form in ten is the demo request (as in the reference leads).
        Kind::Form => {
            let form = if s.chance(0.1) {
                "demo"
            } else {
                s.pick(&OTHER_FORMS)
            };
            Activity::new(kinds::FORM_SUBMIT, at).with_meta("form", form)
        }
        Kind::Sent => Activity::new(kinds::EMAIL_SENT, at).with_meta("campaign", campaign()),
        Kind::Webinar => {
            Activity::new(kinds::WEBINAR, at).with_meta("name", "Scoring leads that sales trusts")
        }
        Kind::Unsubscribe => Activity::new(kinds::UNSUBSCRIBE, at),
        Kind::Meeting => Activity::new(kinds::MEETING, at).with_meta("title", "Intro call"),
    }
}

fn secs(n: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(n).unwrap_or(i64::MAX))
}
