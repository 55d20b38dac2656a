use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::model::{ConversionRef, Record};
use crate::time::parse_timestamp;

fn lead() -> Lead {
    Lead::new("L-1", parse_timestamp("2026-01-01T00:00:00Z").unwrap())
}

#[test]
fn fills_empty_fields_only_and_records_provenance() {
    let mut l = lead();
    l.industry = Some("Software".into());
    l.company = Some("   ".into()); // blank counts as empty
    l.custom.insert("segment".into(), json!("smb"));
    l.custom.insert("tier".into(), Value::Null);
    let data = EnrichmentData {
        industry: Some("Financial Services".into()),
        company: Some("Acme".into()),
        employees: Some(250),
        country: Some("jp".into()),
        custom: serde_json::from_value(
            json!({"segment": "enterprise", "tier": 2, "tech": ["rust"]}),
        )
        .unwrap(),
        ..EnrichmentData::default()
    };
    let r = apply_enrichment(&mut l, &data, "vendor").unwrap();
    assert_eq!(l.industry.as_deref(), Some("Software"));
    assert_eq!(l.company.as_deref(), Some("Acme"));
    assert_eq!(l.employees, Some(250));
    assert_eq!(l.country.as_deref(), Some("JP"));
    assert_eq!(l.custom["segment"], "smb");
    assert_eq!(l.custom["tier"], 2);
    assert_eq!(
        r.applied,
        [
            "company",
            "employees",
            "country",
            "custom.tier",
            "custom.tech"
        ]
    );
    for f in &r.applied {
        assert_eq!(l.provenance[f.as_str()], "vendor", "{f}");
    }
    assert!(!l.provenance.contains_key("industry"));
    let rejected: Vec<(&str, RejectReason)> = r
        .rejected
        .iter()
        .map(|x| (x.field.as_str(), x.reason))
        .collect();
    assert_eq!(
        rejected,
        [
            ("industry", RejectReason::Conflict),
            ("custom.segment", RejectReason::Conflict)
        ]
    );
    assert_eq!(r.rejected[0].existing, Some(json!("Software")));
    assert_eq!(r.rejected[0].value, json!("Financial Services"));
}

#[test]
fn agreeing_values_are_neither_applied_nor_rejected() {
    let mut l = lead();
    l.industry = Some("software".into());
    l.website = Some("https://www.acme.com/".into());
    l.country = Some("US".into());
    let data = EnrichmentData {
        industry: Some("Software".into()),
        website: Some("acme.com".into()),
        country: Some("us".into()),
        ..EnrichmentData::default()
    };
    let r = apply_enrichment(&mut l, &data, "vendor").unwrap();
    assert_eq!(r, EnrichmentReport::default());
    assert_eq!(l.website.as_deref(), Some("https://www.acme.com/"));
}

#[test]
fn invalid_values_are_rejected() {
    let mut l = lead();
    let data = EnrichmentData {
        employees: Some(0),
        annual_revenue: Some(-5.0),
        country: Some("Japan".into()),
        ..EnrichmentData::default()
    };
    let r = apply_enrichment(&mut l, &data, "vendor").unwrap();
    assert!(r.applied.is_empty());
    assert!(r.rejected.iter().all(|x| x.reason == RejectReason::Invalid));
    assert_eq!(r.rejected.len(), 3);
    assert_eq!(l, lead());
}

#[test]
fn converted_leads_are_read_only() {
    let mut l = lead();
    l.conversion = Some(ConversionRef {
        converted_at: l.created_at,
        account_id: "A".into(),
        contact_id: "C".into(),
        opportunity_id: None,
    });
    let data = EnrichmentData {
        industry: Some("Software".into()),
        ..EnrichmentData::default()
    };
    let e = apply_enrichment(&mut l, &data, "vendor").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTransition);
    assert_eq!(l.industry, None);
}

#[test]
fn unknown_data_keys_are_an_error() {
    let e = serde_json::from_value::<EnrichmentData>(json!({"revenue": 5})).unwrap_err();
    assert!(e.to_string().contains("revenue"), "{e}");
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("  ".to_owned())),
        "[a-cA-C]{1,3}".prop_map(Some),
    ]
}

fn opt_num() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![Just(None), (0u64..4).prop_map(Some)]
}

fn opt_custom() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        Just(Some(json!(""))),
        (0i64..3).prop_map(|n| Some(json!(n))),
        "[ab]{1,2}".prop_map(|s| Some(json!(s))),
    ]
}

const TEXT_FIELDS: [&str; 6] = [
    "first_name",
    "title",
    "company",
    "industry",
    "phone",
    "last_name",
];

fn text_of(l: &Value, f: &str) -> Option<String> {
    l.get(f)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

proptest! {
    /// Enrichment never overwrites an existing non-empty value, every applied
    /// value has a provenance entry naming the provider, and every offered value
    /// that differs from a kept one is reported.
    #[test]
    fn never_overwrites_and_always_records_provenance(
        lead_text in proptest::collection::vec(opt_text(), 6),
        data_text in proptest::collection::vec(opt_text(), 6),
        lead_emp in opt_num(), data_emp in opt_num(),
        lead_custom in proptest::collection::vec(opt_custom(), 3),
        data_custom in proptest::collection::vec(opt_custom(), 3),
    ) {
        let mut l = lead();
        let mut d = EnrichmentData::default();
        let set = |slot: &mut Option<String>, v: &Option<String>| *slot = v.clone();
        set(&mut l.first_name, &lead_text[0]); set(&mut d.first_name, &data_text[0]);
        set(&mut l.title, &lead_text[1]); set(&mut d.title, &data_text[1]);
        set(&mut l.company, &lead_text[2]); set(&mut d.company, &data_text[2]);
        set(&mut l.industry, &lead_text[3]); set(&mut d.industry, &data_text[3]);
        set(&mut l.phone, &lead_text[4]); set(&mut d.phone, &data_text[4]);
        set(&mut l.last_name, &lead_text[5]); set(&mut d.last_name, &data_text[5]);
        l.employees = lead_emp; d.employees = data_emp;
        for (i, (lv, dv)) in lead_custom.iter().zip(&data_custom).enumerate() {
            if let Some(v) = lv { l.custom.insert(format!("k{i}"), v.clone()); }
            if let Some(v) = dv { d.custom.insert(format!("k{i}"), v.clone()); }
        }
        let before = l.to_value();
        let report = apply_enrichment(&mut l, &d, "p").unwrap();
        let after = l.to_value();

        for f in TEXT_FIELDS {
            let (b, a) = (text_of(&before, f), text_of(&after, f));
            if let Some(b) = &b {
                prop_assert_eq!(Some(b), a.as_ref(), "{} overwritten", f);
            }
            let changed = before.get(f) != after.get(f);
            prop_assert_eq!(changed, report.applied.iter().any(|x| x == f));
            if changed {
                prop_assert_eq!(&l.provenance[f], "p");
            }
        }
        if let Some(b) = lead_emp {
            prop_assert_eq!(l.employees, Some(b));
        }
        for i in 0..3 {
            let key = format!("k{i}");
            let b = before["custom"].get(&key).filter(|v| !is_empty_value(v));
            let a = l.custom.get(&key);
            if let Some(b) = b {
                prop_assert_eq!(Some(b), a);
            }
            let field = format!("custom.{key}");
            if report.applied.contains(&field) {
                prop_assert_eq!(&l.provenance[field.as_str()], "p");
                prop_assert_eq!(a, d.custom.get(&key));
            }
        }
        // Nothing applied without provenance, and nothing else in provenance.
        prop_assert_eq!(l.provenance.len(), report.applied.len());
        for f in &report.applied {
            prop_assert_eq!(&l.provenance[f.as_str()], "p");
        }
        // Every conflict is reported with the kept value.
        for r in &report.rejected {
            prop_assert!(r.existing.is_some() || r.reason == RejectReason::Invalid);
        }
    }
}
