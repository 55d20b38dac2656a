//! The lead's plain (non-nested) fields by the kind of value they hold: the one
//! table that the flat-record paths (row batches, the schema check of flat
//! input, CSV typing in the CLI) and routing conditions read.

use super::lead::Lead;

/// The lead's identity and creation time: strings in every input.
pub const KEY_FIELDS: [&str; 2] = ["id", "created_at"];

/// Fields that hold plain text.
pub const TEXT_FIELDS: [&str; 14] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "company",
    "website",
    "industry",
    "country",
    "source",
    "campaign",
    "owner",
    "stage",
    "status",
];

/// Fields that hold numbers.
pub const NUMBER_FIELDS: [&str; 3] = ["employees", "annual_revenue", "attempts"];

/// Every plain field, keys first, then text, then numbers.
pub fn plain_fields() -> impl Iterator<Item = &'static str> {
    KEY_FIELDS
        .into_iter()
        .chain(TEXT_FIELDS)
        .chain(NUMBER_FIELDS)
}

/// Whether `name` is a plain field whose value is a string even when it looks
/// like a number (`id`, `created_at`, the text fields).
pub fn is_string_field(name: &str) -> bool {
    KEY_FIELDS.contains(&name) || TEXT_FIELDS.contains(&name)
}

impl Lead {
    /// The text field named `name` (one of [`TEXT_FIELDS`]): `None` for any
    /// other name, `Some(None)` when the lead leaves it empty.
    pub fn text_field(&self, name: &str) -> Option<Option<&str>> {
        let v = match name {
            "first_name" => &self.first_name,
            "last_name" => &self.last_name,
            "email" => &self.email,
            "phone" => &self.phone,
            "title" => &self.title,
            "company" => &self.company,
            "website" => &self.website,
            "industry" => &self.industry,
            "country" => &self.country,
            "source" => &self.source,
            "campaign" => &self.campaign,
            "owner" => &self.owner,
            "stage" => &self.stage,
            "status" => &self.status,
            _ => return None,
        };
        Some(v.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn text_fields_are_exactly_the_names_text_field_reads() {
        let mut lead = Lead::new("L", parse_timestamp("2026-01-01T00:00:00Z").unwrap());
        let value = serde_json::to_value(&lead).unwrap();
        for name in plain_fields() {
            assert_eq!(
                lead.text_field(name).is_some(),
                TEXT_FIELDS.contains(&name),
                "{name}"
            );
        }
        assert_eq!(lead.text_field("custom"), None);
        assert!(value.get("title").is_none());
        assert_eq!(lead.text_field("title"), Some(None));
        lead.title = Some("VP Sales".into());
        assert_eq!(lead.text_field("title"), Some(Some("VP Sales")));
        // Each text field is its own field of the struct, under its JSON name.
        for (i, name) in TEXT_FIELDS.iter().enumerate() {
            let text = format!("t{i}");
            let mut v = serde_json::to_value(Lead::new("L", lead.created_at)).unwrap();
            v[*name] = serde_json::Value::String(text.clone());
            let read: Lead = serde_json::from_value(v).unwrap();
            assert_eq!(read.text_field(name), Some(Some(text.as_str())), "{name}");
        }
        assert!(is_string_field("id") && is_string_field("owner"));
        assert!(!is_string_field("employees") && !is_string_field("page_views"));
    }
}
