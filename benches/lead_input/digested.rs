//! Leads with pre-digested activities: 16 bytes each (an integer instant, a
//! kind code and the two URL/form facts the rules read), digested once outside
//! any timed region. Deriving the features from them is the floor of any
//! derivation over activities; scoring them is the floor of scoring leads.

use leadflow::Lead;
use leadflow::model::activity_kinds as kinds;
use leadflow::synth::{FeatureRow, reference_score};

/// One activity, digested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digested {
    /// Seconds since the Unix epoch (the workload's instants are whole seconds).
    pub at: i64,
    pub kind: Kind,
    /// A page view of a `/pricing` URL path.
    pub pricing: bool,
    /// A form submission of the demo form.
    pub demo: bool,
}

/// The activity kinds the reference features count (`Other` counts only
/// towards the latest activity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Other,
    PageView,
    EmailOpen,
    EmailClick,
    FormSubmit,
    Webinar,
    Unsubscribe,
}

/// A lead reduced to what the reference rules read: its fields (as a feature
/// row with the activity features unset), `created_at`, and its activities.
#[derive(Debug, Clone)]
pub struct DigestedLead {
    fields: FeatureRow,
    created_at: i64,
    activities: Vec<Digested>,
}

impl DigestedLead {
    /// Digests `lead` (the untimed preparation step).
    pub fn new(lead: &Lead) -> Self {
        let activities = lead
            .activities
            .iter()
            .map(|a| {
                let meta = |k| a.meta.get_str(k);
                let kind = match a.kind.as_str() {
                    kinds::PAGE_VIEW => Kind::PageView,
                    kinds::EMAIL_OPEN => Kind::EmailOpen,
                    kinds::EMAIL_CLICK => Kind::EmailClick,
                    kinds::FORM_SUBMIT => Kind::FormSubmit,
                    kinds::WEBINAR => Kind::Webinar,
                    kinds::UNSUBSCRIBE => Kind::Unsubscribe,
                    _ => Kind::Other,
                };
                Digested {
                    at: a.at.timestamp(),
                    kind,
                    pricing: meta("url").is_some_and(|u| url_path(u).starts_with("/pricing")),
                    demo: meta("form") == Some("demo"),
                }
            })
            .collect();
        // The fields only: with no activities and `now == created_at` every
        // activity feature is zero.
        let mut bare = lead.clone();
        bare.activities.clear();
        DigestedLead {
            fields: leadflow::synth::features_of(&bare, lead.created_at),
            created_at: lead.created_at.timestamp(),
            activities,
        }
    }

    /// Activities held.
    pub fn len(&self) -> usize {
        self.activities.len()
    }

    /// No activities.
    pub fn is_empty(&self) -> bool {
        self.activities.is_empty()
    }

    /// The reference features as of `now` (seconds since the epoch), as
    /// `synth::features_of` derives them from the full lead.
    pub fn features(&self, now: i64) -> FeatureRow {
        let mut row = self.fields.clone();
        let mut latest = i64::MIN;
        for a in &self.activities {
            if a.at > now {
                continue;
            }
            latest = latest.max(a.at);
            match a.kind {
                Kind::PageView => {
                    row.page_views += 1;
                    row.pricing_visits += u32::from(a.pricing);
                }
                Kind::EmailOpen => row.email_opens += 1,
                Kind::EmailClick => row.email_clicks += 1,
                Kind::FormSubmit => {
                    row.form_fills += 1;
                    row.demo_requested |= a.demo;
                }
                Kind::Webinar => row.webinar_attended = true,
                Kind::Unsubscribe => row.unsubscribed = true,
                Kind::Other => {}
            }
        }
        let since = if latest == i64::MIN {
            self.created_at
        } else {
            latest
        };
        row.days_since_activity =
            u32::try_from(now.saturating_sub(since).max(0) / 86_400).unwrap_or(u32::MAX);
        row
    }

    /// The reference score as of `now` (seconds since the epoch).
    pub fn score(&self, now: i64) -> f64 {
        reference_score(&self.features(now))
    }
}

fn url_path(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use leadflow::parse_timestamp;
    use leadflow::synth::{self, features_of};

    use super::*;

    #[test]
    fn sixteen_bytes_per_activity() {
        assert_eq!(size_of::<Digested>(), 16);
    }

    #[test]
    fn derives_what_features_of_derives() {
        let now = parse_timestamp("2026-03-01T00:00:00Z").expect("now");
        for k in [0, 3, 40] {
            for lead in synth::reference_leads_with_activities(200, 6, now, k)
                .chain(synth::reference_leads(200, 6, now))
            {
                let digested = DigestedLead::new(&lead);
                assert_eq!(digested.len(), lead.activities.len());
                assert_eq!(
                    digested.features(now.timestamp()),
                    features_of(&lead, now),
                    "{}",
                    lead.id
                );
            }
        }
    }
}
