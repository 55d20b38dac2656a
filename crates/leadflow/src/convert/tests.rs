//! Scenario tests of plan, apply and convert.

use serde_json::json;

use super::*;
use crate::ErrorKind;
use crate::model::{Account, Activity, Contact, Lead, TransitionKind};
use crate::time::{Timestamp, parse_timestamp};

fn now() -> Timestamp {
    parse_timestamp("2026-02-10T12:00:00Z").unwrap()
}

fn lead() -> Lead {
    let mut l = Lead::new("L-1", parse_timestamp("2026-01-05T09:00:00Z").unwrap());
    l.first_name = Some("Jane".into());
    l.last_name = Some("Doe".into());
    l.email = Some("jane@acme.com".into());
    l.company = Some("Acme, Inc.".into());
    l.website = Some("https://www.acme.com".into());
    l.industry = Some("Software".into());
    l.employees = Some(250);
    l.country = Some("US".into());
    l.source = Some("webinar".into());
    l.campaign = Some("spring-2026".into());
    l.owner = Some("rep-1".into());
    l.stage = Some("sql".into());
    l.status = Some("connected".into());
    l.custom.insert("budget".into(), json!(50000));
    l.custom.insert("pain".into(), json!("spreadsheets"));
    l.activities.push(
        Activity::new("webinar", parse_timestamp("2026-01-20T17:00:00Z").unwrap())
            .with_meta("title", "Pipeline 101"),
    );
    l
}

fn acme() -> Account {
    let mut a = Account::new("A-1", "ACME Corporation");
    a.domains = vec!["acme.com".into()];
    a.industry = Some("Manufacturing".into());
    a.owner = Some("ae-7".into());
    a
}

fn field<'a>(fields: &'a [FieldMapping], target: Target, name: &str) -> &'a FieldMapping {
    fields
        .iter()
        .find(|f| f.target == target && f.field == name)
        .unwrap_or_else(|| panic!("no mapping {target:?}.{name}"))
}

#[test]
fn new_company_creates_all_three_records() {
    let mut l = lead();
    let r = convert(&mut l, &[], &[], &ConvertOptions::default(), now()).unwrap();
    assert_eq!(r.account.id, "acc-L-1");
    assert_eq!(r.account.name, "Acme, Inc.");
    assert_eq!(r.account.domains, ["acme.com"]);
    assert_eq!(r.account.employees, Some(250));
    assert_eq!(r.account_change, RecordChange::Created);
    assert_eq!(r.contact.id, "con-L-1");
    assert_eq!(r.contact.account_id, "acc-L-1");
    assert_eq!(r.contact.source_lead_id.as_deref(), Some("L-1"));
    assert_eq!(r.contact.custom["budget"], 50000);
    assert_eq!(r.contact.custom["lead_source"], "webinar");
    assert_eq!(r.contact.activities, l.activities);
    let opp = r.opportunity.as_ref().unwrap();
    assert_eq!(opp.id, "opp-L-1");
    assert_eq!(opp.name, "Acme, Inc.");
    assert_eq!(opp.stage, "Prospecting");
    assert!((opp.probability - 10.0).abs() < f64::EPSILON);
    assert_eq!(opp.close_date.unwrap().to_string(), "2026-03-31");
    assert_eq!(opp.primary_contact_id.as_deref(), Some("con-L-1"));
    assert_eq!(opp.source.as_deref(), Some("webinar"));
    assert_eq!(opp.campaign.as_deref(), Some("spring-2026"));
    assert_eq!(opp.owner.as_deref(), Some("rep-1"));
    assert_eq!(opp.activities, l.activities);
    assert_eq!(opp.history.len(), 1);
    assert!(r.conflicts.is_empty());
    // The e-mail domain equals the website's: written once, then unchanged.
    let unchanged: Vec<_> = r
        .fields
        .iter()
        .filter(|f| f.action != MappingAction::Set)
        .map(|f| (f.field.as_str(), f.from_lead_field.as_str(), f.action))
        .collect();
    assert_eq!(unchanged, [("domains", "email", MappingAction::Unchanged)]);
    // The lead: converted, at the opportunity stage, history kept and appended.
    assert_eq!(l, r.lead);
    assert_eq!(l.status.as_deref(), Some("converted"));
    assert_eq!(l.stage.as_deref(), Some("opportunity"));
    let conv = l.conversion.as_ref().unwrap();
    assert_eq!(
        (conv.account_id.as_str(), conv.contact_id.as_str()),
        ("acc-L-1", "con-L-1")
    );
    assert_eq!(conv.opportunity_id.as_deref(), Some("opp-L-1"));
    assert_eq!(l.history.len(), 2);
    assert_eq!(l.history[0].kind, TransitionKind::Advance);
    assert_eq!(l.history[1].to, "converted");
    assert_eq!(l.activities.len(), 1, "the lead keeps its activities");
}

#[test]
fn linking_fills_empty_fields_and_reports_conflicts() {
    let mut l = lead();
    let accounts = [acme()];
    let p = plan(&l, &accounts, &[], &ConvertOptions::default(), now()).unwrap();
    match &p.account {
        TargetAction::Link {
            id,
            via,
            confidence,
            ..
        } => {
            assert_eq!(id, "A-1");
            assert_eq!(*via, LinkVia::Match);
            assert!(confidence.unwrap() > 0.99);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        field(&p.fields, Target::Account, "name").action,
        MappingAction::Unchanged
    );
    let ind = field(&p.fields, Target::Account, "industry");
    assert_eq!(ind.action, MappingAction::Conflict);
    assert_eq!(ind.existing, Some(json!("Manufacturing")));
    assert_eq!(
        field(&p.fields, Target::Account, "employees").action,
        MappingAction::Fill
    );
    assert_eq!(
        p.conflicts().count(),
        2,
        "industry and owner: {:?}",
        p.fields
    );

    let r = apply(
        &p,
        &mut l,
        &accounts,
        &[],
        &ConvertOptions::default(),
        now(),
    )
    .unwrap();
    assert_eq!(
        r.account.industry.as_deref(),
        Some("Manufacturing"),
        "existing values win"
    );
    assert_eq!(r.account.owner.as_deref(), Some("ae-7"));
    assert_eq!(r.account.employees, Some(250));
    assert_eq!(r.account.website.as_deref(), Some("https://www.acme.com"));
    assert_eq!(r.account_change, RecordChange::Updated);
    assert_eq!(r.contact.account_id, "A-1");
    assert_eq!(r.conflicts.len(), 2);
    assert!(
        r.conflicts
            .iter()
            .any(|c| c.from_lead_field == "industry" && c.value == "Software")
    );
}

#[test]
fn exact_email_links_the_contact_and_its_account() {
    let mut l = lead();
    let mut other = acme();
    other.id = "A-2".into(); // same domain, but not the contact's account
    let mut c = Contact::new("C-1", "A-1");
    c.email = Some("JANE@acme.com".into());
    c.first_name = Some("Jane".into());
    let r = convert(
        &mut l,
        &[other, acme()],
        &[c],
        &ConvertOptions::default(),
        now(),
    )
    .unwrap();
    assert_eq!(r.contact.id, "C-1");
    assert_eq!(r.account.id, "A-1");
    assert_eq!(r.contact.last_name.as_deref(), Some("Doe"));
    assert_eq!(r.contact_change, RecordChange::Updated);
    assert_eq!(
        r.contact.email.as_deref(),
        Some("JANE@acme.com"),
        "existing spelling kept"
    );
    assert!(
        r.contact.source_lead_id.is_none(),
        "an existing contact keeps its origin"
    );
}

#[test]
fn a_name_only_match_is_a_warning_not_a_link() {
    let mut l = lead();
    l.email = Some("jane@gmail.com".into());
    l.website = None;
    let mut a = Account::new("A-1", "Acme Corp");
    a.domains = vec!["gmail.com".into()];
    let p = plan(&l, &[a], &[], &ConvertOptions::default(), now()).unwrap();
    assert!(p.account.is_create());
    assert!(p.warnings[0].contains("A-1"), "{:?}", p.warnings);
    // The free-mail domain is not added to the new account either.
    assert!(!p.fields.iter().any(|f| f.field == "domains"));
}

#[test]
fn explicit_ids_and_their_errors() {
    let l = lead();
    let accounts = [acme(), Account::new("A-2", "Elsewhere")];
    let contacts = [Contact::new("C-9", "A-2")];
    let opts: ConvertOptions = serde_json::from_value(json!({"account_id": "A-2"})).unwrap();
    let p = plan(&l, &accounts, &contacts, &opts, now()).unwrap();
    assert!(
        matches!(&p.account, TargetAction::Link { id, via: LinkVia::Option, .. } if id == "A-2")
    );

    let opts: ConvertOptions = serde_json::from_value(json!({"contact_id": "C-9"})).unwrap();
    let p = plan(&l, &accounts, &contacts, &opts, now()).unwrap();
    assert!(
        matches!(&p.account, TargetAction::Link { id, via: LinkVia::Contact, .. } if id == "A-2")
    );

    let opts: ConvertOptions = serde_json::from_value(json!({"account_id": "A-nope"})).unwrap();
    let e = plan(&l, &accounts, &contacts, &opts, now()).unwrap_err();
    assert_eq!((e.kind(), e.record()), (ErrorKind::NotFound, Some("L-1")));

    let opts: ConvertOptions =
        serde_json::from_value(json!({"account_id": "A-1", "contact_id": "C-9"})).unwrap();
    assert_eq!(
        plan(&l, &accounts, &contacts, &opts, now())
            .unwrap_err()
            .kind(),
        ErrorKind::Conversion
    );

    let taken = [Account::new("acc-L-1", "Old")];
    let opts: ConvertOptions = serde_json::from_value(json!({"auto_link": false})).unwrap();
    assert_eq!(
        plan(&l, &taken, &[], &opts, now()).unwrap_err().kind(),
        ErrorKind::Conversion
    );
    let opts: ConvertOptions =
        serde_json::from_value(json!({"auto_link": false, "ids": {"account": "A-new"}})).unwrap();
    assert_eq!(
        plan(&l, &taken, &[], &opts, now()).unwrap().account.id(),
        Some("A-new")
    );
}

#[test]
fn converting_twice_is_already_converted_with_the_same_ids() {
    let mut l = lead();
    let r = convert(&mut l, &[], &[], &ConvertOptions::default(), now()).unwrap();
    let later = parse_timestamp("2026-03-01T00:00:00Z").unwrap();
    let e = convert(
        &mut l,
        std::slice::from_ref(&r.account),
        std::slice::from_ref(&r.contact),
        &ConvertOptions::default(),
        later,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AlreadyConverted);
    assert_eq!(
        e.details().unwrap(),
        &json!({"account_id": "acc-L-1", "contact_id": "con-L-1", "opportunity_id": "opp-L-1",
                "converted_at": "2026-02-10T12:00:00Z"})
    );
    assert_eq!(l, r.lead, "the converted lead is not touched again");
}

#[test]
fn stale_plans_are_refused_and_nothing_changes() {
    let l0 = lead();
    let accounts = [acme()];
    let opts = ConvertOptions::default();
    let p = plan(&l0, &accounts, &[], &opts, now()).unwrap();

    let mut changed = l0.clone();
    changed.title = Some("CTO".into());
    let before = changed.clone();
    let e = apply(&p, &mut changed, &accounts, &[], &opts, now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert_eq!(changed, before);

    let mut l = l0.clone();
    let e = apply(&p, &mut l, &[], &[], &opts, now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion, "linked account is gone");
    assert_eq!(l, l0);

    let mut filled = acme();
    filled.employees = Some(10); // was empty when planned
    let e = apply(&p, &mut l, &[filled], &[], &opts, now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert!(e.details().is_some());
    assert_eq!(l, l0);

    let mut other = lead();
    other.id = "L-2".into();
    assert_eq!(
        apply(&p, &mut other, &accounts, &[], &opts, now())
            .unwrap_err()
            .kind(),
        ErrorKind::Conversion
    );
}

#[test]
fn field_map_routes_custom_values_and_checks_types() {
    let mut l = lead();
    let opts: ConvertOptions = serde_json::from_value(json!({
        "field_map": {"budget": "opportunity.amount", "pain": "account.custom.pain"},
        "opportunity_name": "{company} - New Business"
    }))
    .unwrap();
    let r = convert(&mut l, &[], &[], &opts, now()).unwrap();
    let opp = r.opportunity.unwrap();
    assert_eq!(opp.amount, Some(50000.0));
    assert_eq!(opp.name, "Acme, Inc. - New Business");
    assert_eq!(r.account.custom["pain"], "spreadsheets");
    assert!(!r.contact.custom.contains_key("budget"));

    let mut bad = lead();
    bad.custom.insert("budget".into(), json!("a lot"));
    let before = bad.clone();
    let e = convert(&mut bad, &[], &[], &opts, now()).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("custom.budget"))
    );
    assert_eq!(bad, before);

    let opts: ConvertOptions =
        serde_json::from_value(json!({"field_map": {"budget": "lead.x"}})).unwrap();
    assert_eq!(
        convert(&mut lead(), &[], &[], &opts, now())
            .unwrap_err()
            .kind(),
        ErrorKind::Config
    );
}

#[test]
fn without_an_opportunity_values_stay_on_the_contact() {
    let mut l = lead();
    let opts: ConvertOptions = serde_json::from_value(json!({
        "create_opportunity": false, "field_map": {"budget": "opportunity.amount"}
    }))
    .unwrap();
    let p = plan(&l, &[], &[], &opts, now()).unwrap();
    assert_eq!(p.opportunity, TargetAction::Skip);
    assert!(p.warnings.iter().any(|w| w.contains("custom.budget")));
    let r = apply(&p, &mut l, &[], &[], &opts, now()).unwrap();
    assert!(r.opportunity.is_none());
    assert_eq!(r.contact.custom["budget"], 50000);
    assert_eq!(r.contact.custom["lead_campaign"], "spring-2026");
    assert_eq!(
        l.stage.as_deref(),
        Some("sql"),
        "no opportunity, no stage move"
    );
    assert_eq!(l.status.as_deref(), Some("converted"));
    assert!(l.conversion.as_ref().unwrap().opportunity_id.is_none());
}

#[test]
fn a_customer_lead_keeps_its_stage_and_a_lead_without_company_is_named() {
    let mut l = lead();
    l.stage = Some("customer".into());
    l.company = None;
    let r = convert(&mut l, &[], &[], &ConvertOptions::default(), now()).unwrap();
    assert_eq!(l.stage.as_deref(), Some("customer"));
    assert_eq!(r.account.name, "acme.com");
    assert_eq!(r.opportunity.unwrap().name, "acme.com");

    let mut anon = Lead::new("L-x", now());
    anon.email = Some("x@gmail.com".into());
    let e = convert(&mut anon, &[], &[], &ConvertOptions::default(), now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
}

#[test]
fn plan_round_trips_as_json() {
    let p = plan(&lead(), &[acme()], &[], &ConvertOptions::default(), now()).unwrap();
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["account"]["action"], "link");
    assert_eq!(v["contact"]["action"], "create");
    assert_eq!(v["fields"][0]["from_lead_field"], "company");
    let back: ConversionPlan = serde_json::from_value(v).unwrap();
    assert_eq!(back, p);
}

#[test]
fn batches_use_one_index_and_later_leads_see_earlier_records() {
    let mut second = lead();
    second.id = "L-2".into();
    second.email = Some("bob@acme.com".into());
    second.first_name = Some("Bob".into());
    let mut leads = vec![lead(), second];
    let opts = ConvertOptions::default();

    let plans = plan_batch(&leads, &[], &[], &opts, now());
    for (p, l) in plans.iter().zip(&leads) {
        assert_eq!(
            p.as_ref().unwrap(),
            &plan(l, &[], &[], &opts, now()).unwrap()
        );
    }
    // Plans are independent: both would create Acme.
    assert!(
        plans
            .iter()
            .all(|p| p.as_ref().unwrap().account.is_create())
    );

    let results = convert_batch(&mut leads, &[], &[], &opts, now());
    let first = results[0].as_ref().unwrap();
    let second = results[1].as_ref().unwrap();
    assert_eq!(first.account_change, RecordChange::Created);
    assert_eq!(
        second.account.id, "acc-L-1",
        "one new account for the company"
    );
    assert_eq!(second.account_change, RecordChange::Unchanged);
    assert_eq!(second.contact.id, "con-L-2");
    assert!(leads.iter().all(Lead::is_converted));
    // A failing lead does not stop the batch (L-1 is converted now).
    let again = convert_batch(&mut leads, &[], &[], &opts, now());
    assert_eq!(
        again[0].as_ref().unwrap_err().kind(),
        ErrorKind::AlreadyConverted
    );
}

#[test]
fn the_same_lead_twice_in_a_batch_is_converted_once() {
    let mut leads = vec![lead(), lead()];
    let opts = ConvertOptions::default();
    let results = convert_batch(&mut leads, &[], &[], &opts, now());
    let first = results[0].as_ref().unwrap();
    let opp = first.opportunity.as_ref().unwrap().id.clone();
    let e = results[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::AlreadyConverted);
    assert_eq!(e.record(), Some("L-1"));
    assert_eq!(e.details().unwrap()["opportunity_id"], opp.as_str());
    assert!(!leads[1].is_converted(), "the copy is left unchanged");
}

#[test]
fn a_fixed_opportunity_id_is_not_created_twice_in_a_batch() {
    let mut second = lead();
    second.id = "L-2".into();
    second.email = Some("bob@acme.com".into());
    let mut leads = vec![lead(), second];
    let opts: ConvertOptions =
        serde_json::from_value(json!({"ids": {"opportunity": "opp-fixed"}})).unwrap();
    let results = convert_batch(&mut leads, &[], &[], &opts, now());
    assert!(results[0].is_ok());
    let e = results[1].as_ref().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert_eq!(e.record(), Some("L-2"));
    assert!(e.message().contains("opp-fixed"), "{e}");
}

#[test]
fn an_index_for_other_matching_options_is_refused() {
    let accounts = [acme()];
    let index = MatchIndex::new(&accounts, &[], &MatchOptions::default());
    let opts: ConvertOptions =
        serde_json::from_value(json!({"matching": {"own_domains": ["acme.com"]}})).unwrap();
    let pipeline = crate::lifecycle::Pipeline::default();
    let e = plan_indexed(&pipeline, &lead(), &index, &opts, now()).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Config, Some("options.matching"))
    );
    let p = plan_indexed(
        &pipeline,
        &lead(),
        &index,
        &ConvertOptions::default(),
        now(),
    )
    .unwrap();
    assert_eq!(p.account.id(), Some("A-1"));
}

#[test]
fn unknown_top_level_fields_go_to_the_contact_or_where_field_map_says() {
    let mut l: Lead = crate::model::Record::from_value(json!({
        "id": "L-9", "created_at": "2026-01-05T09:00:00Z", "company": "Acme",
        "email": "jane@acme.com", "utm_medium": "cpc", "deal_size": "12000",
        "empty_one": " ", "custom": {"tier": "gold"}
    }))
    .unwrap();
    assert_eq!(l.extra.len(), 3);
    let opts: ConvertOptions = serde_json::from_value(json!({
        "field_map": {"deal_size": "opportunity.amount", "custom.tier": "account.custom.tier"}
    }))
    .unwrap();
    let r = convert(&mut l, &[], &[], &opts, now()).unwrap();
    assert_eq!(r.contact.custom["utm_medium"], "cpc");
    assert_eq!(r.opportunity.as_ref().unwrap().amount, Some(12000.0));
    assert_eq!(r.account.custom["tier"], "gold");
    assert!(!r.contact.custom.contains_key("empty_one"));
    let utm = field(&r.fields, Target::Contact, "custom.utm_medium");
    assert_eq!(
        (utm.from_lead_field.as_str(), utm.action),
        ("utm_medium", MappingAction::Set)
    );
    assert_eq!(l.extra["utm_medium"], "cpc", "the lead keeps its fields");

    // A bad mapping names the field_map key; a bad value names the lead field.
    let mut l2 = lead();
    l2.extra.insert("deal_size".into(), json!("lots"));
    let e = convert(&mut l2.clone(), &[], &[], &opts, now()).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Validation, Some("deal_size"))
    );
    let bad: ConvertOptions =
        serde_json::from_value(json!({"field_map": {"deal_size": "lead.amount"}})).unwrap();
    let e = convert(&mut l2, &[], &[], &bad, now()).unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Config, Some("field_map.deal_size"))
    );
}
