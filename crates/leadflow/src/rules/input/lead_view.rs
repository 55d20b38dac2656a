//! What scoring reads of a lead, as two small traits: the feature fill
//! (`extract::fill`), the activity pass (`ActivityPlan::run`) and the value
//! checks (`spelling::check_lead`) are written once against them, and read a
//! parsed [`Lead`] and a lead borrowed from JSON text (`json_text::JsonLead`)
//! alike, so both derive the same features by the same code.

use serde_json::Value;

use crate::model::{Activity, Lead};
use crate::rules::define::features::LeadField;
use crate::time::Timestamp;

/// A lead as scoring reads it.
pub(crate) trait LeadView {
    type Activity<'s>: ActivityView
    where
        Self: 's;

    fn id(&self) -> &str;
    fn created_at(&self) -> Timestamp;
    /// A text field (`None` for the number fields `employees`, `annual_revenue`).
    fn field_str(&self, f: LeadField) -> Option<&str>;
    fn employees(&self) -> Option<u64>;
    fn annual_revenue(&self) -> Option<f64>;
    /// An entry of `custom`.
    fn custom(&self, key: &str) -> Option<&Value>;
    /// A top-level field this version does not know (`extra`).
    fn extra(&self, key: &str) -> Option<&Value>;
    /// The activities, in input order.
    fn activities(&self) -> impl Iterator<Item = Self::Activity<'_>>;
}

/// An activity as the activity pass reads it.
pub(crate) trait ActivityView {
    fn kind(&self) -> &str;
    fn at(&self) -> Timestamp;
    /// A `meta` value when it is a string (a key given twice: its last value).
    fn meta_str(&self, key: &str) -> Option<&str>;
}

impl LeadView for Lead {
    type Activity<'s> = &'s Activity;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn field_str(&self, f: LeadField) -> Option<&str> {
        let v = match f {
            LeadField::Title => &self.title,
            LeadField::Industry => &self.industry,
            LeadField::Country => &self.country,
            LeadField::Email => &self.email,
            LeadField::Source => &self.source,
            LeadField::Company => &self.company,
            LeadField::Website => &self.website,
            LeadField::FirstName => &self.first_name,
            LeadField::LastName => &self.last_name,
            LeadField::Phone => &self.phone,
            LeadField::Campaign => &self.campaign,
            LeadField::Owner => &self.owner,
            LeadField::Stage => &self.stage,
            LeadField::Status => &self.status,
            LeadField::Employees | LeadField::Revenue => return None,
        };
        v.as_deref()
    }
    fn employees(&self) -> Option<u64> {
        self.employees
    }
    fn annual_revenue(&self) -> Option<f64> {
        self.annual_revenue
    }
    fn custom(&self, key: &str) -> Option<&Value> {
        self.custom.get(key)
    }
    fn extra(&self, key: &str) -> Option<&Value> {
        self.extra.get(key)
    }
    fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.activities.iter()
    }
}

impl ActivityView for &Activity {
    fn kind(&self) -> &str {
        &self.kind
    }
    fn at(&self) -> Timestamp {
        self.at
    }
    fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get_str(key)
    }
}
