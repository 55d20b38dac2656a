//! The hand-written baseline for scoring JSON text: each line parsed by serde
//! into a small struct that borrows its strings from the text (`Cow`, owned
//! only where the JSON has escapes), the features derived as
//! `synth::features_of` derives them, then `synth::reference_score`.
//!
//! It reads the lead format as the reference workload writes it (string
//! `meta.url` / `meta.form`); it is a baseline, not a validating reader.

use std::borrow::Cow;

use leadflow::model::activity_kinds as kinds;
use leadflow::synth::{FeatureRow, reference_score};
use leadflow::time::whole_days_between;
use leadflow::{Timestamp, parse_timestamp};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct LeadView<'a> {
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(borrow, default)]
    title: Option<Cow<'a, str>>,
    #[serde(default)]
    employees: Option<u64>,
    #[serde(default)]
    annual_revenue: Option<f64>,
    #[serde(borrow, default)]
    industry: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    country: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    activities: Vec<ActivityView<'a>>,
}

#[derive(Debug, Deserialize)]
struct ActivityView<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(borrow, default)]
    meta: Option<MetaView<'a>>,
}

#[derive(Debug, Default, Deserialize)]
struct MetaView<'a> {
    #[serde(borrow, default)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    form: Option<Cow<'a, str>>,
}

fn text(s: Option<Cow<'_, str>>) -> String {
    s.map(Cow::into_owned).unwrap_or_default()
}

/// The reference features of one lead given as JSON text, as of `now`.
///
/// # Errors
/// The parse error of a line that is not a lead of the workload's shape.
pub fn features_of_json(line: &str, now: Timestamp) -> Result<FeatureRow, String> {
    let lead: LeadView<'_> = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut row = FeatureRow {
        title: text(lead.title),
        employees: lead.employees.unwrap_or(0),
        revenue: lead.annual_revenue.unwrap_or(0.0),
        industry: text(lead.industry),
        country: text(lead.country),
        email: text(lead.email),
        source: text(lead.source),
        days_since_activity: 0,
        page_views: 0,
        email_opens: 0,
        email_clicks: 0,
        form_fills: 0,
        demo_requested: false,
        pricing_visits: 0,
        webinar_attended: false,
        unsubscribed: false,
    };
    let mut latest: Option<Timestamp> = None;
    for a in &lead.activities {
        let at = parse_timestamp(&a.at).map_err(|e| e.to_string())?;
        if at > now {
            continue;
        }
        latest = latest.max(Some(at));
        let meta = a.meta.as_ref();
        match a.kind.as_ref() {
            kinds::PAGE_VIEW => {
                row.page_views += 1;
                if meta
                    .and_then(|m| m.url.as_deref())
                    .is_some_and(|u| url_path(u).starts_with("/pricing"))
                {
                    row.pricing_visits += 1;
                }
            }
            kinds::EMAIL_OPEN => row.email_opens += 1,
            kinds::EMAIL_CLICK => row.email_clicks += 1,
            kinds::FORM_SUBMIT => {
                row.form_fills += 1;
                row.demo_requested |= meta.and_then(|m| m.form.as_deref()) == Some("demo");
            }
            kinds::WEBINAR => row.webinar_attended = true,
            kinds::UNSUBSCRIBE => row.unsubscribed = true,
            _ => {}
        }
    }
    let since = match latest {
        Some(t) => t,
        None => parse_timestamp(&lead.created_at).map_err(|e| e.to_string())?,
    };
    row.days_since_activity = u32::try_from(whole_days_between(since, now)).unwrap_or(u32::MAX);
    Ok(row)
}

/// The reference score of one lead given as JSON text (NaN when it does not
/// parse, which poisons a checksum).
pub fn score_json(line: &str, now: Timestamp) -> f64 {
    features_of_json(line, now).map_or(f64::NAN, |row| reference_score(&row))
}

/// The path of a URL (`https://x.com/pricing?a=1` -> `/pricing?a=1`); a bare
/// path as it is (as `synth::features_of` reads it).
fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use leadflow::Lead;
    use leadflow::synth::{self, features_of};

    use super::*;

    #[test]
    fn derives_what_features_of_derives() {
        let now = parse_timestamp("2026-03-01T00:00:00Z").expect("now");
        for k in [0, 3, 40] {
            for lead in synth::reference_leads_with_activities(200, 5, now, k)
                .chain(synth::reference_leads(200, 5, now))
            {
                let line = serde_json::to_string(&lead).expect("json");
                assert_eq!(
                    features_of_json(&line, now).as_ref(),
                    Ok(&features_of(&lead, now)),
                    "{}",
                    lead.id
                );
            }
        }
    }

    #[test]
    fn a_lead_without_activities_counts_days_from_created_at() {
        let now = parse_timestamp("2026-03-01T00:00:00Z").expect("now");
        let mut lead = Lead::new("l", parse_timestamp("2026-01-30T12:00:00Z").expect("t"));
        lead.title = Some("VP \"Sales\"".into());
        let line = serde_json::to_string(&lead).expect("json");
        let row = features_of_json(&line, now).expect("row");
        assert_eq!(
            (row.days_since_activity, row.title.as_str()),
            (29, "VP \"Sales\"")
        );
        assert!(score_json("{\"id\": 1}", now).is_nan());
    }
}
