//! Activities: the touches and engagement events recorded on a lead.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::compact_map::CompactMap;

use crate::time::Timestamp;

/// Well-known activity types. Any other type string is kept as it is.
pub mod kinds {
    pub const PAGE_VIEW: &str = "page_view";
    pub const EMAIL_OPEN: &str = "email_open";
    pub const EMAIL_CLICK: &str = "email_click";
    pub const EMAIL_SENT: &str = "email_sent";
    pub const FORM_SUBMIT: &str = "form_submit";
    pub const WEBINAR: &str = "webinar";
    pub const UNSUBSCRIBE: &str = "unsubscribe";
    pub const CALL_ATTEMPT: &str = "call_attempt";
    pub const CALL_CONNECTED: &str = "call_connected";
    pub const MEETING: &str = "meeting";
}

/// One event on a lead: `{"type": "page_view", "at": "...", "meta": {"url": "/pricing"}}`.
///
/// `meta` and unknown fields are [`CompactMap`]s: a lead carries many activities,
/// and a B-tree map per activity would be most of a parsed lead's memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Activity type; unknown types are kept, not rejected. Inline up to 24
    /// bytes: the activity pass compares it on every activity.
    #[serde(rename = "type")]
    pub kind: CompactString,
    #[serde(serialize_with = "crate::time::serialize_timestamp")]
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "CompactMap::is_empty")]
    pub meta: CompactMap,
    /// Fields this version does not know, kept for round-trips (none inline:
    /// almost every activity has none).
    #[serde(flatten)]
    pub extra: CompactMap<0>,
}

impl Activity {
    pub fn new(kind: impl AsRef<str>, at: Timestamp) -> Self {
        Activity {
            kind: CompactString::from(kind.as_ref()),
            at,
            meta: CompactMap::new(),
            extra: CompactMap::default(),
        }
    }

    /// Adds a `meta` entry (builder style).
    #[must_use]
    pub fn with_meta(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.meta.insert(key, value.into());
        self
    }

    /// A `meta` value as a string, if it is one.
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.meta.get_str(key)
    }
}
