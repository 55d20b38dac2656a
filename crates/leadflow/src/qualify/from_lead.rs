//! Reading qualification evidence from a lead.

use serde_json::Value;

use super::evidence::{CriterionEvidence, Evidence, Status};
use super::framework::Framework;
use crate::error::{Error, Result};
use crate::model::{Lead, Record};

/// Where a lead keeps explicit evidence: `custom.qualification.<criterion key>`.
pub const EVIDENCE_FIELD: &str = "qualification";

impl Evidence {
    /// The evidence a lead carries for `framework`'s criteria:
    ///
    /// 1. `custom.qualification.<key>`: a status string or an evidence object
    ///    (`{"status": "confirmed", "evidence": "...", "source": "...", "at": "..."}`);
    /// 2. else the criterion's `field`, if it names one: a status name there is
    ///    that status; `true`, a non-zero number or a non-empty string is
    ///    `confirmed` (evidence `field = value`); anything else is `unknown`.
    ///
    /// A malformed evidence entry is a `ValidationError` naming the lead and the field.
    pub fn from_lead(lead: &Lead, framework: &Framework) -> Result<Evidence> {
        let explicit = lead.custom.get(EVIDENCE_FIELD);
        let explicit = match explicit {
            None | Some(Value::Null) => None,
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                return Err(Error::validation(
                    "custom.qualification must be an object of criterion evidence",
                )
                .with_field("custom.qualification")
                .with_record(&lead.id));
            }
        };
        // Serialize the lead only when some criterion reads a field.
        let needs_fields = framework.criteria.iter().any(|c| c.field.is_some());
        let lead_value = needs_fields.then(|| lead.to_value());

        let mut out = Evidence::new();
        for c in &framework.criteria {
            if let Some(raw) = explicit.and_then(|m| m.get(&c.key)) {
                let e: CriterionEvidence = serde_json::from_value(raw.clone()).map_err(|e| {
                    Error::validation(format!("qualification evidence: {e}"))
                        .with_field(format!("custom.qualification.{}", c.key))
                        .with_record(&lead.id)
                })?;
                out.insert(c.key.clone(), e);
            } else if let (Some(path), Some(root)) = (&c.field, &lead_value)
                && let Some(e) = read_field(root, path)
            {
                out.insert(c.key.clone(), e);
            }
        }
        Ok(out)
    }
}

fn read_field(root: &Value, path: &str) -> Option<CriterionEvidence> {
    let value = path
        .split('.')
        .try_fold(root, |v, key| v.as_object()?.get(key))?;
    let shown = match value {
        Value::String(s) => {
            if let Some(status) = Status::parse(s) {
                return Some(CriterionEvidence::new(status).source(path));
            }
            if s.trim().is_empty() {
                return None;
            }
            s.clone()
        }
        Value::Bool(true) => "true".to_owned(),
        Value::Number(n) if n.as_f64().is_some_and(|x| x != 0.0) => n.to_string(),
        _ => return None,
    };
    Some(
        CriterionEvidence::new(Status::Confirmed)
            .evidence(format!("{path} = {shown}"))
            .source(path),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use serde_json::json;

    fn lead(custom: &Value) -> Lead {
        Lead::from_value(json!({"id": "L-1", "created_at": "2026-01-01T00:00:00Z", "custom": custom, "annual_revenue": 2.5e6}))
            .unwrap()
    }

    fn framework() -> Framework {
        Framework::from_json(
            r#"{"name": "Mini", "criteria": [
                {"key": "budget", "label": "Budget", "field": "custom.budget"},
                {"key": "need", "label": "Need"},
                {"key": "size", "label": "Size", "field": "annual_revenue"},
                {"key": "timeline", "label": "Timeline", "field": "custom.timeline"}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn explicit_evidence_wins_over_fields() {
        let l = lead(&json!({
            "budget": 50000,
            "timeline": "partial",
            "qualification": {"budget": {"status": "disqualifying", "evidence": "frozen"}, "need": "confirmed", "other": "partial"}
        }));
        let e = Evidence::from_lead(&l, &framework()).unwrap();
        assert_eq!(e.status("budget"), Status::Disqualifying);
        assert_eq!(e.status("need"), Status::Confirmed);
        assert_eq!(e.status("size"), Status::Confirmed);
        assert_eq!(
            e.get("size").unwrap().evidence.as_deref(),
            Some("annual_revenue = 2500000.0")
        );
        assert_eq!(e.status("timeline"), Status::Partial);
        assert!(
            e.get("other").is_none(),
            "keys outside the framework are not read"
        );
    }

    #[test]
    fn field_values() {
        let l = lead(&json!({"budget": 0, "timeline": ""}));
        let e = Evidence::from_lead(&l, &framework()).unwrap();
        assert_eq!(e.status("budget"), Status::Unknown);
        assert_eq!(e.status("timeline"), Status::Unknown);
        let l = lead(&json!({"budget": "50k approved", "timeline": true}));
        let e = Evidence::from_lead(&l, &framework()).unwrap();
        assert_eq!(
            e.get("budget").unwrap().evidence.as_deref(),
            Some("custom.budget = 50k approved")
        );
        assert_eq!(e.status("timeline"), Status::Confirmed);
    }

    #[test]
    fn malformed_evidence_names_lead_and_field() {
        let l = lead(&json!({"qualification": {"need": "maybe"}}));
        let e = Evidence::from_lead(&l, &framework()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.record(), Some("L-1"));
        assert_eq!(e.field(), Some("custom.qualification.need"));
        let l = lead(&json!({"qualification": [1]}));
        assert_eq!(
            Evidence::from_lead(&l, &framework()).unwrap_err().field(),
            Some("custom.qualification")
        );
    }
}
