//! Property tests of conversion: no lead value is ever lost, apply is
//! all-or-nothing, and converting twice is refused with the same ids.

use leadflow::convert::{
    ConvertOptions, FieldMapping, MappingAction, MatchIndex, Target, apply, apply_indexed, convert,
    plan, plan_indexed,
};
use leadflow::lifecycle::Pipeline;
use leadflow::model::{Account, Activity, Contact, Lead};
use leadflow::normalize::{normalize_company, normalize_email, website_domain};
use leadflow::{ErrorKind, Timestamp, parse_timestamp};
use proptest::prelude::*;
use serde_json::{Value, json};

fn now() -> Timestamp {
    parse_timestamp("2026-05-20T10:00:00+09:00").unwrap()
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 2 => s.prop_map(Some)].boxed()
}

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(items)
        .prop_map(str::to_owned)
        .boxed()
}

const COMPANIES: &[&str] = &[
    "Acme",
    "ACME, Inc.",
    "Globex GmbH",
    "株式会社サンプル",
    "サンプル",
    " ",
    "Initech",
];
const EMAILS: &[&str] = &[
    "jane@acme.com",
    "JANE@ACME.COM",
    "bob@globex.de",
    "taro@sample.co.jp",
    "x@gmail.com",
    "bad-address",
];
const SITES: &[&str] = &[
    "acme.com",
    "https://www.globex.de/en",
    "sample.co.jp",
    "gmail.com",
    "nonsense",
];
const WORDS: &[&str] = &[
    "Software", "Retail", "US", "JP", "rep-1", "rep-2", "Jane", "Doe", "", "CTO",
];

prop_compose! {
    fn arb_lead()(
        company in opt(pick(COMPANIES)), email in opt(pick(EMAILS)), website in opt(pick(SITES)),
        first in opt(pick(WORDS)), last in opt(pick(WORDS)), phone in opt(pick(&["+1 555 0100", ""])),
        title in opt(pick(WORDS)), industry in opt(pick(WORDS)), country in opt(pick(WORDS)),
        owner in opt(pick(WORDS)), source in opt(pick(&["web", "event"])), campaign in opt(pick(WORDS)),
        employees in opt(0u64..5000), revenue in opt(0.0f64..1e9),
        custom in proptest::collection::vec((pick(&["budget", "pain", "lead_source", "tier"]),
            prop_oneof![Just(json!(1000)), Just(json!("spreadsheets")), Just(json!(null)), Just(json!(["a"]))]), 0..4),
        activities in 0usize..3, stage in opt(pick(&["lead", "mql", "sql", "customer", "other"])),
        // Unknown top-level fields, some named like custom keys or the contact's lead_source.
        extra in proptest::collection::vec((pick(&["utm_medium", "budget", "lead_source", "favorite_color"]),
            prop_oneof![Just(json!(7)), Just(json!("cpc")), Just(json!(" ")), Just(json!(null)), Just(json!({"a": 1}))]), 0..3),
    ) -> Lead {
        let mut l = Lead::new("L-1", parse_timestamp("2026-01-05T09:00:00Z").unwrap());
        l.company = company; l.email = email; l.website = website; l.first_name = first;
        l.last_name = last; l.phone = phone; l.title = title; l.industry = industry;
        l.country = country; l.owner = owner; l.source = source; l.campaign = campaign;
        l.employees = employees; l.annual_revenue = revenue; l.stage = stage;
        for (k, v) in custom { l.custom.insert(k, v); }
        for (k, v) in extra { l.extra.insert(k, v); }
        for i in 0..activities {
            l.activities.push(Activity::new("page_view", parse_timestamp("2026-02-01T00:00:00Z").unwrap())
                .with_meta("n", i));
        }
        l
    }
}

prop_compose! {
    fn arb_account()(
        name in pick(COMPANIES), domains in proptest::collection::vec(pick(SITES), 0..2),
        industry in opt(pick(WORDS)), employees in opt(0u64..5000), owner in opt(pick(WORDS)),
        tier in opt(pick(&["gold", "silver"])),
    ) -> Account {
        let mut a = Account::new("", name);
        a.domains = domains; a.industry = industry; a.employees = employees; a.owner = owner;
        if let Some(t) = tier { a.custom.insert("tier".into(), json!(t)); }
        a
    }
}

prop_compose! {
    fn arb_world()(
        accounts in proptest::collection::vec(arb_account(), 0..3),
        contacts in proptest::collection::vec((0usize..3, opt(pick(EMAILS)), opt(pick(WORDS)), opt(pick(WORDS))), 0..3),
    ) -> (Vec<Account>, Vec<Contact>) {
        let accounts: Vec<Account> = accounts.into_iter().enumerate()
            .map(|(i, mut a)| { a.id = format!("A-{i}"); a }).collect();
        let contacts = if accounts.is_empty() { Vec::new() } else {
            contacts.into_iter().enumerate().map(|(i, (acc, email, first, title))| {
                let mut c = Contact::new(format!("C-{i}"), format!("A-{}", acc % accounts.len()));
                c.email = email; c.first_name = first; c.title = title; c
            }).collect()
        };
        (accounts, contacts)
    }
}

fn blank(v: Option<&str>) -> bool {
    v.is_none_or(|s| s.trim().is_empty())
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

fn conflict(conflicts: &[FieldMapping], target: Target, from: &str) -> bool {
    conflicts.iter().any(|c| {
        c.target == target && c.from_lead_field == from && c.action == MappingAction::Conflict
    })
}

/// Asserts that the lead's text value is in the target field (normalized) or listed as a conflict.
fn kept_text(
    what: &str,
    lead_value: Option<&str>,
    target_value: Option<&str>,
    target: Target,
    conflicts: &[FieldMapping],
    norm: fn(&str) -> Option<String>,
) {
    if blank(lead_value) {
        return;
    }
    let lv = lead_value.unwrap_or_default();
    let same = target_value.is_some_and(|t| match (norm(lv), norm(t)) {
        (Some(a), Some(b)) => a == b,
        _ => fold(lv) == fold(t),
    });
    assert!(
        same || conflict(conflicts, target, what),
        "{what} = {lv:?} lost: target has {target_value:?}, conflicts {conflicts:?}"
    );
}

#[allow(clippy::unnecessary_wraps)] // must match the fn(&str) -> Option<String> normalizers
fn some_fold(s: &str) -> Option<String> {
    Some(fold(s))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn conversion_never_loses_a_lead_value(lead in arb_lead(), (accounts, contacts) in arb_world()) {
        let mut converted = lead.clone();
        let opts = ConvertOptions::default();
        let r = match convert(&mut converted, &accounts, &contacts, &opts, now()) {
            Ok(r) => r,
            Err(e) => {
                // Only a nameless new account may refuse; then nothing changed.
                prop_assert_eq!(e.kind(), ErrorKind::Conversion, "{}", e);
                prop_assert_eq!(&converted, &lead);
                return Ok(());
            }
        };
        let (a, c, o) = (&r.account, &r.contact, r.opportunity.as_ref().unwrap());
        let k = &r.conflicts;
        kept_text("company", lead.company.as_deref(), Some(&a.name), Target::Account, k, normalize_company);
        kept_text("website", lead.website.as_deref(), a.website.as_deref(), Target::Account, k, website_domain);
        kept_text("industry", lead.industry.as_deref(), a.industry.as_deref(), Target::Account, k, some_fold);
        kept_text("country", lead.country.as_deref(), a.country.as_deref(), Target::Account, k, some_fold);
        kept_text("owner", lead.owner.as_deref(), a.owner.as_deref(), Target::Account, k, some_fold);
        kept_text("owner", lead.owner.as_deref(), c.owner.as_deref(), Target::Contact, k, some_fold);
        kept_text("owner", lead.owner.as_deref(), o.owner.as_deref(), Target::Opportunity, k, some_fold);
        kept_text("first_name", lead.first_name.as_deref(), c.first_name.as_deref(), Target::Contact, k, some_fold);
        kept_text("last_name", lead.last_name.as_deref(), c.last_name.as_deref(), Target::Contact, k, some_fold);
        kept_text("email", lead.email.as_deref(), c.email.as_deref(), Target::Contact, k, normalize_email);
        kept_text("phone", lead.phone.as_deref(), c.phone.as_deref(), Target::Contact, k, some_fold);
        kept_text("title", lead.title.as_deref(), c.title.as_deref(), Target::Contact, k, some_fold);
        kept_text("source", lead.source.as_deref(), o.source.as_deref(), Target::Opportunity, k, some_fold);
        kept_text("campaign", lead.campaign.as_deref(), o.campaign.as_deref(), Target::Opportunity, k, some_fold);
        let cs = |key: &str| c.custom.get(key).and_then(Value::as_str).map(str::to_owned);
        kept_text("source", lead.source.as_deref(), cs("lead_source").as_deref(), Target::Contact, k, some_fold);
        if let Some(n) = lead.employees {
            prop_assert!(a.employees == Some(n) || conflict(k, Target::Account, "employees"));
        }
        if let Some(n) = lead.annual_revenue {
            prop_assert!(a.annual_revenue == Some(n) || conflict(k, Target::Account, "annual_revenue"));
        }
        let empty = |v: &Value| v.is_null() || v.as_array().is_some_and(Vec::is_empty)
            || v.as_str().is_some_and(|s| s.trim().is_empty());
        for (key, v) in &lead.custom {
            let from = format!("custom.{key}");
            prop_assert!(empty(v) || c.custom.get(key) == Some(v) || conflict(k, Target::Contact, &from),
                "{} lost", from);
        }
        for (key, v) in &lead.extra {
            prop_assert!(empty(v) || c.custom.get(key) == Some(v) || conflict(k, Target::Contact, key),
                "top-level {} = {} lost: contact custom {:?}", key, v, c.custom);
        }
        for act in &lead.activities {
            prop_assert!(c.activities.contains(act) && o.activities.contains(act));
        }
        // The lead keeps every input value; only engine state changed.
        let mut back = converted.clone();
        back.stage.clone_from(&lead.stage);
        back.status.clone_from(&lead.status);
        back.history.clone_from(&lead.history);
        back.conversion = None;
        prop_assert_eq!(&back, &lead);
        // Every reported conflict is real: the target kept a value.
        for f in k {
            prop_assert!(f.existing.is_some());
        }
    }

    #[test]
    fn apply_is_all_or_nothing(lead in arb_lead(), (accounts, contacts) in arb_world()) {
        let opts = ConvertOptions::default();
        let Ok(p) = plan(&lead, &accounts, &contacts, &opts, now()) else { return Ok(()); };
        // The lead changed after planning: refused, nothing touched.
        let mut changed = lead.clone();
        changed.title = Some("changed since the plan".into());
        let before = changed.clone();
        let e = apply(&p, &mut changed, &accounts, &contacts, &opts, now()).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::Conversion);
        prop_assert_eq!(&changed, &before);
        // A linked record vanished: refused, nothing touched.
        if !p.account.is_create() {
            let mut l = lead.clone();
            let e = apply(&p, &mut l, &[], &contacts, &opts, now()).unwrap_err();
            prop_assert_eq!(e.kind(), ErrorKind::Conversion);
            prop_assert_eq!(&l, &lead);
        }
        // The intact plan applies.
        let mut l = lead.clone();
        prop_assert!(apply(&p, &mut l, &accounts, &contacts, &opts, now()).is_ok());
    }

    #[test]
    fn converting_twice_gives_already_converted_with_the_same_ids(lead in arb_lead(), (accounts, contacts) in arb_world()) {
        let opts = ConvertOptions::default();
        let mut l = lead.clone();
        let Ok(r) = convert(&mut l, &accounts, &contacts, &opts, now()) else { return Ok(()); };
        let snapshot = l.clone();
        let e = convert(&mut l, &accounts, &contacts, &opts, now()).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::AlreadyConverted);
        let d = e.details().cloned().unwrap_or_default();
        prop_assert_eq!(&d["account_id"], &json!(r.account.id));
        prop_assert_eq!(&d["contact_id"], &json!(r.contact.id));
        prop_assert_eq!(&d["opportunity_id"], &json!(r.opportunity.map(|o| o.id)));
        prop_assert_eq!(&l, &snapshot);
    }

    #[test]
    fn indexed_plan_and_apply_equal_the_slice_versions(lead in arb_lead(), (accounts, contacts) in arb_world()) {
        let opts = ConvertOptions::default();
        let pipeline = Pipeline::default();
        let index = MatchIndex::new(&accounts, &contacts, &opts.matching);
        let indexed = plan_indexed(&pipeline, &lead, &index, &opts, now());
        let scanned = plan(&lead, &accounts, &contacts, &opts, now());
        prop_assert_eq!(indexed.as_ref().map_err(ToString::to_string), scanned.as_ref().map_err(ToString::to_string));
        if let Ok(p) = scanned {
            let (mut a, mut b) = (lead.clone(), lead.clone());
            let x = apply_indexed(&pipeline, &p, &mut a, &index, &opts, now()).map_err(|e| e.to_string());
            let y = apply(&p, &mut b, &accounts, &contacts, &opts, now()).map_err(|e| e.to_string());
            prop_assert_eq!(x, y);
            prop_assert_eq!(a, b);
        }
    }
}
