//! Options of [`super::plan`], [`super::apply`] and [`super::convert`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::matching::MatchOptions;

/// How a lead is converted. Every field has a default, unknown fields are
/// rejected (a typo must not silently change a conversion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConvertOptions {
    /// How existing records are matched.
    pub matching: MatchOptions,
    /// Link to the best matching contact or account automatically when its
    /// confidence is at least `link_threshold`. Off: always create unless an id is given.
    pub auto_link: bool,
    /// Minimum confidence for an automatic link (default 0.8: a domain match or
    /// an exact e-mail links; a company name alone does not).
    pub link_threshold: f64,
    /// Link to this existing account (wins over matching).
    pub account_id: Option<String>,
    /// Link to this existing contact (wins over matching; its account is used
    /// unless `account_id` names the same one).
    pub contact_id: Option<String>,
    /// Create an opportunity (default true); otherwise the opportunity is skipped.
    pub create_opportunity: bool,
    /// Name of a created opportunity. Placeholders: `{company}` (the lead's
    /// company, or the account name), `{account}`, `{first_name}`, `{last_name}`,
    /// `{full_name}`, `{lead_id}`. Default `{company}`.
    pub opportunity_name: String,
    /// Ids of created records; default `acc-<lead id>`, `con-<lead id>`, `opp-<lead id>`.
    pub ids: NewIds,
    /// Lead field to target field: `{"budget": "opportunity.amount",
    /// "segment": "account.custom.segment"}`. A key names a custom field
    /// (`budget` or `custom.budget`) or an unknown top-level lead field
    /// (`utm_medium`; `budget` covers both when a lead has both). Unmapped
    /// custom and unknown top-level fields go to the contact's `custom`.
    pub field_map: BTreeMap<String, String>,
    /// Actor recorded in the history entries of the conversion.
    pub actor: String,
}

impl Default for ConvertOptions {
    fn default() -> Self {
        ConvertOptions {
            matching: MatchOptions::default(),
            auto_link: true,
            link_threshold: 0.8,
            account_id: None,
            contact_id: None,
            create_opportunity: true,
            opportunity_name: "{company}".to_owned(),
            ids: NewIds::default(),
            field_map: BTreeMap::new(),
            actor: "system".to_owned(),
        }
    }
}

/// Explicit ids for the records a conversion creates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewIds {
    pub account: Option<String>,
    pub contact: Option<String>,
    pub opportunity: Option<String>,
}

impl NewIds {
    pub(crate) fn account_for(&self, lead_id: &str) -> String {
        self.account
            .clone()
            .unwrap_or_else(|| format!("acc-{lead_id}"))
    }
    pub(crate) fn contact_for(&self, lead_id: &str) -> String {
        self.contact
            .clone()
            .unwrap_or_else(|| format!("con-{lead_id}"))
    }
    pub(crate) fn opportunity_for(&self, lead_id: &str) -> String {
        self.opportunity
            .clone()
            .unwrap_or_else(|| format!("opp-{lead_id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_unknown_fields() {
        let o: ConvertOptions = serde_json::from_str("{}").unwrap();
        assert_eq!(o, ConvertOptions::default());
        assert!(o.create_opportunity && o.auto_link);
        let o: ConvertOptions = serde_json::from_str(
            r#"{"matching": {"own_domains": ["us.com"]}, "ids": {"account": "A-new"}}"#,
        )
        .unwrap();
        assert_eq!(o.ids.account_for("L-1"), "A-new");
        assert_eq!(o.ids.contact_for("L-1"), "con-L-1");
        assert!(serde_json::from_str::<ConvertOptions>(r#"{"create_oportunity": false}"#).is_err());
        assert!(serde_json::from_str::<ConvertOptions>(r#"{"ids": {"acount": "x"}}"#).is_err());
    }
}
