//! Deriving the flat feature row from a lead as of `now` (the rules in
//! `docs/synthetic-data.md`, "The same workload in leadflow's lead format").

use super::row::FeatureRow;
use crate::model::{Lead, activity_kinds as kinds};
use crate::time::{Timestamp, whole_days_between};

/// The reference features of `lead` as of `now`: counts of activity types at or
/// before `now`, flags from the demo form / webinar / unsubscribe activities, and
/// whole days since the latest of those activities (or since `created_at`
/// without any). Missing numbers count as 0, missing strings as empty.
pub fn features_of(lead: &Lead, now: Timestamp) -> FeatureRow {
    let mut row = FeatureRow {
        title: lead.title.clone().unwrap_or_default(),
        employees: lead.employees.unwrap_or(0),
        revenue: lead.annual_revenue.unwrap_or(0.0),
        industry: lead.industry.clone().unwrap_or_default(),
        country: lead.country.clone().unwrap_or_default(),
        email: lead.email.clone().unwrap_or_default(),
        source: lead.source.clone().unwrap_or_default(),
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
    for a in lead.activities.iter().filter(|a| a.at <= now) {
        match a.kind.as_str() {
            kinds::PAGE_VIEW => {
                row.page_views += 1;
                if a.meta_str("url")
                    .is_some_and(|u| url_path(u).starts_with("/pricing"))
                {
                    row.pricing_visits += 1;
                }
            }
            kinds::EMAIL_OPEN => row.email_opens += 1,
            kinds::EMAIL_CLICK => row.email_clicks += 1,
            kinds::FORM_SUBMIT => {
                row.form_fills += 1;
                row.demo_requested |= a.meta_str("form") == Some("demo");
            }
            kinds::WEBINAR => row.webinar_attended = true,
            kinds::UNSUBSCRIBE => row.unsubscribed = true,
            _ => {}
        }
    }
    let since = lead.last_activity_at(now).unwrap_or(lead.created_at);
    row.days_since_activity = u32::try_from(whole_days_between(since, now)).unwrap_or(u32::MAX);
    row
}

/// The path of a URL (`https://x.com/pricing?a=1` -> `/pricing?a=1`); a bare
/// path is returned as it is.
fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Activity;
    use crate::time::parse_timestamp;

    fn ts(s: &str) -> Timestamp {
        parse_timestamp(s).unwrap()
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://acme.com/pricing/x?y=1"), "/pricing/x?y=1");
        assert_eq!(url_path("https://acme.com"), "/");
        assert_eq!(url_path("/pricing"), "/pricing");
    }

    #[test]
    fn counts_only_activities_up_to_now_and_defaults_missing_fields() {
        let now = ts("2026-03-01T12:00:00Z");
        let mut lead = Lead::new("l1", ts("2026-01-01T00:00:00Z"));
        lead.activities = vec![
            Activity::new("page_view", ts("2026-02-01T13:00:00Z"))
                .with_meta("url", "https://acme.com/pricing"),
            Activity::new("page_view", ts("2026-02-01T12:00:00Z")).with_meta("url", "/blog"),
            Activity::new("form_submit", ts("2026-02-02T00:00:00Z")).with_meta("form", "demo"),
            Activity::new("email_sent", ts("2026-02-27T00:00:00Z")),
            Activity::new("webinar", ts("2026-03-02T00:00:00Z")),
        ];
        let row = features_of(&lead, now);
        assert_eq!(
            (row.page_views, row.pricing_visits, row.form_fills),
            (2, 1, 1)
        );
        assert!(row.demo_requested && !row.webinar_attended);
        // The latest activity at or before now is the email_sent of Feb 27: 2.5 days.
        assert_eq!(row.days_since_activity, 2);
        assert_eq!(
            (row.title.as_str(), row.employees, row.revenue),
            ("", 0, 0.0)
        );
    }

    #[test]
    fn without_activities_days_count_from_created_at() {
        let lead = Lead::new("l1", ts("2026-01-01T00:00:00Z"));
        assert_eq!(
            features_of(&lead, ts("2026-01-31T23:59:59Z")).days_since_activity,
            30
        );
    }
}
