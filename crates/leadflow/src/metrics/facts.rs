//! The fields of a lead that metrics read, whatever the lead is stored as: a full
//! [`Lead`] or a borrowed [`LeadView`](super::LeadView) parsed straight from JSON.

use crate::model::{Dimension, Lead};
use crate::time::Timestamp;

/// What the metrics accumulator reads from one lead.
pub trait LeadFacts {
    fn id(&self) -> &str;
    fn created_at(&self) -> Timestamp;
    fn source(&self) -> Option<&str>;
    fn campaign(&self) -> Option<&str>;
    fn owner(&self) -> Option<&str>;
    fn employees(&self) -> Option<u64>;
    /// `custom[field]` when it is a string.
    fn custom_str(&self, field: &str) -> Option<&str>;
    fn stage(&self) -> Option<&str>;
    fn status(&self) -> Option<&str>;
    /// History entries in record order: dimension, target state, instant.
    fn history(&self) -> impl Iterator<Item = (Dimension, &str, Timestamp)>;
    /// Activities: type and instant.
    fn activities(&self) -> impl Iterator<Item = (&str, Timestamp)>;
}

impl LeadFacts for Lead {
    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    fn campaign(&self) -> Option<&str> {
        self.campaign.as_deref()
    }
    fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }
    fn employees(&self) -> Option<u64> {
        self.employees
    }
    fn custom_str(&self, field: &str) -> Option<&str> {
        self.custom.get(field).and_then(serde_json::Value::as_str)
    }
    fn stage(&self) -> Option<&str> {
        self.stage.as_deref()
    }
    fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
    fn history(&self) -> impl Iterator<Item = (Dimension, &str, Timestamp)> {
        self.history
            .iter()
            .map(|t| (t.dimension, t.to.as_str(), t.at))
    }
    fn activities(&self) -> impl Iterator<Item = (&str, Timestamp)> {
        self.activities.iter().map(|a| (a.kind.as_str(), a.at))
    }
}
