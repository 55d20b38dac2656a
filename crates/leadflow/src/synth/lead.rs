//! Turning a sampled feature row into a real lead whose activities derive back
//! to exactly that row (see [`super::features_of`]).

use chrono::TimeDelta;
use serde_json::Value;

use super::row::FeatureRow;
use super::sampler::Sampler;
use super::vocab::{OTHER_FORMS, PAGES, PRICING_PAGES};
use crate::model::{Activity, Lead, activity_kinds as kinds};
use crate::time::Timestamp;

const DAY_SECS: u64 = 86_400;

/// Builds the lead for `row`. `s` supplies only presentation details (exact
/// times, URLs, form names), never features, so rows and leads stay in step.
pub(crate) fn lead_from_row(index: u64, row: &FeatureRow, now: Timestamp, s: &mut Sampler) -> Lead {
    let mut lead = Lead::new(format!("lead-{index:07}"), now);
    fill_fields(&mut lead, row);

    // The latest counted activity lies `days_since_activity` whole days before
    // `now` plus up to a day less a second, so rounding down matters.
    let latest = now - secs(u64::from(row.days_since_activity) * DAY_SECS + s.below(DAY_SECS));
    let mut acts = counted_activities(row, s);
    if acts.is_empty() {
        // Without activities the days count from `created_at`.
        lead.created_at = latest;
        return lead;
    }
    let pinned = usize::try_from(s.below(acts.len() as u64)).unwrap_or(0);
    for (i, act) in acts.iter_mut().enumerate() {
        act.at = if i == pinned {
            latest
        } else {
            latest - secs(s.below(60 * DAY_SECS))
        };
    }
    // Noise the derivation must ignore: a sent email (not an engagement type) ...
    if row.email_opens + row.email_clicks > 0 {
        acts.push(Activity::new(
            kinds::EMAIL_SENT,
            latest - secs(s.below(60 * DAY_SECS)),
        ));
    }
    // ... and, for 5% of leads, a meeting booked after `now`.
    if s.chance(0.05) {
        acts.push(
            Activity::new(kinds::MEETING, now + secs(DAY_SECS + s.below(6 * DAY_SECS)))
                .with_meta("title", "Intro call"),
        );
    }
    acts.sort_by_key(|a| a.at);
    let first = acts.first().map_or(latest, |a| a.at);
    lead.created_at = first - secs(s.below(30 * DAY_SECS));
    lead.activities = acts;
    lead
}

fn secs(n: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(crate) fn fill_fields(lead: &mut Lead, row: &FeatureRow) {
    lead.title = Some(row.title.clone());
    lead.employees = Some(row.employees);
    lead.annual_revenue = Some(row.revenue);
    lead.industry = Some(row.industry.clone());
    lead.country = Some(row.country.clone());
    lead.email = Some(row.email.clone());
    lead.source = Some(row.source.clone());
    // `ana.ito42@acme.com` -> Ana Ito at Acme (no company for free-mail).
    let (local, domain) = row.email.split_once('@').unwrap_or((&row.email, ""));
    if let Some((first, last)) = local.split_once('.') {
        lead.first_name = Some(capitalize(first));
        lead.last_name = Some(capitalize(
            last.trim_end_matches(|c: char| c.is_ascii_digit()),
        ));
    }
    if !matches!(domain, "gmail.com" | "yahoo.com") {
        lead.company = domain.split('.').next().map(capitalize);
        lead.website = Some(format!("https://{domain}"));
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The activities that the features count, with placeholder times.
fn counted_activities(row: &FeatureRow, s: &mut Sampler) -> Vec<Activity> {
    let mut acts = Vec::new();
    let mut push = |kind: &str, meta: Option<(&str, Value)>| {
        let mut a = Activity::new(kind, Timestamp::default());
        if let Some((k, v)) = meta {
            a.meta.insert(k.to_owned(), v);
        }
        acts.push(a);
    };
    for _ in 0..row.page_views - row.pricing_visits {
        push(kinds::PAGE_VIEW, Some(("url", s.pick(&PAGES).into())));
    }
    for _ in 0..row.pricing_visits {
        push(
            kinds::PAGE_VIEW,
            Some(("url", s.pick(&PRICING_PAGES).into())),
        );
    }
    for i in 0..row.email_opens {
        push(
            kinds::EMAIL_OPEN,
            Some(("campaign", format!("nurture-{}", i % 4).into())),
        );
    }
    for i in 0..row.email_clicks {
        push(
            kinds::EMAIL_CLICK,
            Some(("campaign", format!("nurture-{}", i % 4).into())),
        );
    }
    let other_forms = row.form_fills - u32::from(row.demo_requested);
    if row.demo_requested {
        push(kinds::FORM_SUBMIT, Some(("form", "demo".into())));
    }
    for _ in 0..other_forms {
        push(
            kinds::FORM_SUBMIT,
            Some(("form", s.pick(&OTHER_FORMS).into())),
        );
    }
    if row.webinar_attended {
        push(
            kinds::WEBINAR,
            Some(("name", "Scoring leads that sales trusts".into())),
        );
    }
    if row.unsubscribed {
        push(kinds::UNSUBSCRIBE, None);
    }
    acts
}
