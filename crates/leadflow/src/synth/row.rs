//! The flat feature row: what the 25 reference rules read.

use serde::{Deserialize, Serialize};

/// The features of one lead, flat. Field order is the CSV column order.
///
/// Invariants of generated rows (they follow from the lead format, see
/// `docs/synthetic-data.md`): `pricing_visits <= page_views` (pricing visits
/// are page views) and `form_fills >= 1` when `demo_requested` (the demo
/// request is a form submission).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureRow {
    pub title: String,
    pub employees: u64,
    /// Annual revenue in whole currency units.
    pub revenue: f64,
    pub industry: String,
    pub country: String,
    pub email: String,
    pub source: String,
    /// Whole days (rounded down) from the latest activity to `now`.
    pub days_since_activity: u32,
    /// All `page_view` activities, pricing pages included.
    pub page_views: u32,
    pub email_opens: u32,
    pub email_clicks: u32,
    /// All `form_submit` activities, the demo request included.
    pub form_fills: u32,
    pub demo_requested: bool,
    /// `page_view` activities whose URL path starts with `/pricing`.
    pub pricing_visits: u32,
    pub webinar_attended: bool,
    pub unsubscribed: bool,
}

impl FeatureRow {
    /// Column names in CSV order.
    pub const COLUMNS: [&'static str; 16] = [
        "title",
        "employees",
        "revenue",
        "industry",
        "country",
        "email",
        "source",
        "days_since_activity",
        "page_views",
        "email_opens",
        "email_clicks",
        "form_fills",
        "demo_requested",
        "pricing_visits",
        "webinar_attended",
        "unsubscribed",
    ];
}
