//! Accounts (companies) and contacts (people at an account).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::activity::Activity;
use crate::time::Timestamp;

/// A company. An account may own several domains (`acme.com`, `acme.co.jp`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_revenue: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// `true` for paying customers (triggers can react to a lead matching one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_customer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A person at an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The lead this contact was converted from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_lead_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Account {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Account {
            id: id.into(),
            name: name.into(),
            domains: Vec::new(),
            website: None,
            industry: None,
            employees: None,
            annual_revenue: None,
            country: None,
            owner: None,
            is_customer: false,
            created_at: None,
            custom: Map::new(),
            extra: Map::new(),
        }
    }
}

impl Contact {
    pub fn new(id: impl Into<String>, account_id: impl Into<String>) -> Self {
        Contact {
            id: id.into(),
            account_id: account_id.into(),
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            title: None,
            owner: None,
            source_lead_id: None,
            created_at: None,
            activities: Vec::new(),
            custom: Map::new(),
            extra: Map::new(),
        }
    }
}
