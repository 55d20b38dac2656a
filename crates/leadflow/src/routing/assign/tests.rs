//! Router behaviour and invariants (proptest): caps, no lead dropped, bulk == sequential.

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use proptest::strategy::Strategy as Gen;
use serde_json::json;

use super::*;
use crate::routing::{ConfigFormat, Zone};
use crate::time::parse_timestamp;

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

fn router(v: serde_json::Value) -> Router {
    Router::new(serde_json::from_value(v).unwrap()).unwrap()
}

fn lead(id: &str, country: &str, employees: u64) -> Lead {
    let mut l = Lead::new(id, ts("2026-03-02T08:00:00Z"));
    l.country = Some(country.into());
    l.employees = Some(employees);
    l
}

#[test]
fn weighted_distribution_matches_weights_exactly() {
    let r = router(json!({
        "fallback_queue": "q",
        "reps": [{"id": "a", "weight": 200}, {"id": "b"}, {"id": "c", "weight": 50}],
        "teams": [{"name": "t", "strategy": "weighted", "members": ["a", "b", "c"]}],
        "rules": [{"name": "all", "assign": {"team": "t"}}]
    }));
    let now = ts("2026-03-02T09:00:00Z");
    let leads: Vec<Lead> = (0..7000).map(|i| Lead::new(format!("L{i}"), now)).collect();
    let (out, _) = r.assign_batch(&leads, &RoutingState::default(), now);
    let mut counts = BTreeMap::new();
    for a in &out {
        *counts.entry(a.rep().unwrap().to_owned()).or_insert(0) += 1;
    }
    // 200:100:50 = 4:2:1 of 7000.
    assert_eq!(counts["a"], 4000);
    assert_eq!(counts["b"], 2000);
    assert_eq!(counts["c"], 1000);
    // Smooth: within any window of 7 consecutive leads the split is exact too.
    let first: Vec<_> = out[..7].iter().map(|a| a.rep().unwrap()).collect();
    assert_eq!(first.iter().filter(|r| **r == "a").count(), 4);
    assert_ne!(
        first[..2],
        ["a", "a"][..],
        "interleaved, not bursty: {first:?}"
    );
}

#[test]
fn caps_and_away_fall_back_with_reasons() {
    let r = router(json!({
        "fallback_queue": "unrouted",
        "reps": [
            {"id": "a", "daily_cap": 1, "time_zone": "Asia/Tokyo"},
            {"id": "b", "out_of_office": [{"start": "2026-03-01", "end": "2026-03-02", "reason": "vacation"}]}
        ],
        "teams": [{"name": "t", "members": ["a", "b"]}],
        "rules": [{"name": "all", "assign": {"team": "t"}}]
    }));
    let now = ts("2026-03-02T09:00:00Z"); // 18:00 in Tokyo
    let (out, state) = r.assign_batch(
        &[lead("1", "US", 5), lead("2", "US", 5)],
        &RoutingState::default(),
        now,
    );
    assert_eq!(out[0].rep(), Some("a"));
    assert_eq!(out[1].queue(), Some("unrouted"));
    assert_eq!(out[1].via, Via::Fallback);
    assert_eq!(out[1].fallback_reason, Some(FallbackReason::NoEligibleRep));
    assert_eq!(out[1].rule.as_deref(), Some("all"));
    let reasons: Vec<_> = out[1]
        .skipped
        .iter()
        .map(|s| (s.rep.as_str(), s.reason))
        .collect();
    assert_eq!(
        reasons,
        [("a", SkipReason::DailyCap), ("b", SkipReason::Away)]
    );
    assert!(out[1].skipped[0].detail.contains("2026-03-02 (Asia/Tokyo)"));
    // 15:30Z is already 3 March in Tokyo, so a's daily cap is free again, while
    // b (UTC) is still on 2 March, the last day of the date-only period.
    let (a, state) = r.assign(&lead("3", "US", 5), &state, ts("2026-03-02T15:30:00Z"));
    assert_eq!(a.rep(), Some("a"));
    assert_eq!(a.skipped[0].reason, SkipReason::Away);
    let (a, _) = r.assign(&lead("4", "US", 5), &state, ts("2026-03-03T00:00:00Z"));
    assert_eq!(a.rep(), Some("b"));
}

#[test]
fn rules_first_match_territories_and_direct_targets() {
    let r = router(json!({
        "fallback_queue": "unrouted",
        "segmentation": {
            "segments": [{"name": "smb", "max_employees": 199}, {"name": "enterprise", "min_employees": 1000}],
            "regions": {"emea": ["DE", "FR"]},
            "territories": [{"name": "emea", "regions": ["emea"]}, {"name": "na", "countries": ["US", "CA"]}]
        },
        "reps": [{"id": "eu1", "territories": ["emea"]}, {"id": "us1", "territories": ["na"]}, {"id": "boss"}],
        "teams": [{"name": "field", "members": ["eu1", "us1"]}],
        "rules": [
            {"name": "enterprise", "when": {"equals": {"field": "segment", "value": "enterprise"}}, "assign": {"rep": "boss"}},
            {"name": "students", "when": {"contains": {"field": "email", "value": ".edu"}}, "assign": {"queue": "junk"}},
            {"name": "field", "when": {"exists": {"field": "territory"}}, "assign": {"team": "field"}}
        ]
    }));
    let now = ts("2026-03-02T09:00:00Z");
    let a = r
        .assign(&lead("1", "DE", 5000), &RoutingState::default(), now)
        .0;
    assert_eq!(
        (a.rep(), a.rule.as_deref()),
        (Some("boss"), Some("enterprise"))
    );
    let a = r
        .assign(&lead("2", "FR", 20), &RoutingState::default(), now)
        .0;
    assert_eq!(a.rep(), Some("eu1"));
    assert_eq!(a.skipped[0].reason, SkipReason::NotInTerritory);
    assert_eq!(a.facts.segment.as_deref(), Some("smb"));
    let mut edu = lead("3", "US", 20);
    edu.email = Some("kid@school.edu".into());
    let a = r.assign(&edu, &RoutingState::default(), now).0;
    assert_eq!((a.queue(), a.via), (Some("junk"), Via::Rule));
    let a = r
        .assign(&lead("4", "BR", 20), &RoutingState::default(), now)
        .0;
    assert_eq!(a.fallback_reason, Some(FallbackReason::NoRuleMatched));
    assert_eq!(a.queue(), Some("unrouted"));
}

#[test]
fn ownership_goes_first_unless_owner_is_away() {
    let cfg: RoutingConfig = serde_json::from_value(json!({
        "fallback_queue": "q",
        "ownership": {},
        "reps": [{"id": "owner", "daily_cap": 0}, {"id": "away", "out_of_office": [{"start": "2026-03-01T00:00:00Z", "end": "2026-03-03T00:00:00Z"}]}, {"id": "x"}],
        "teams": [{"name": "t", "members": ["x"]}],
        "rules": [{"name": "all", "assign": {"team": "t"}}]
    }))
    .unwrap();
    let matcher = |l: &Lead| -> Option<AccountMatch> {
        let owner = match l.company.as_deref()? {
            "Acme" => "owner",
            "Globex" => "away",
            _ => "someone-else",
        };
        Some(AccountMatch {
            account_id: format!("A-{owner}"),
            owner: Some(owner.into()),
            is_customer: false,
        })
    };
    let r = Router::new(cfg)
        .unwrap()
        .with_account_matcher(Arc::new(matcher));
    let now = ts("2026-03-02T09:00:00Z");
    let mut l = lead("1", "US", 5);
    l.company = Some("Acme".into());
    let a = r.assign(&l, &RoutingState::default(), now).0;
    // Caps do not hold owners back by default.
    assert_eq!(
        (a.rep(), a.via, a.account_id.as_deref()),
        (Some("owner"), Via::Ownership, Some("A-owner"))
    );
    l.company = Some("Globex".into());
    let a = r.assign(&l, &RoutingState::default(), now).0;
    assert_eq!((a.rep(), a.via), (Some("x"), Via::Rule));
    assert_eq!(a.skipped[0].reason, SkipReason::Away);
    l.company = Some("Initech".into());
    assert_eq!(
        r.assign(&l, &RoutingState::default(), now).0.rep(),
        Some("someone-else")
    );
    l.company = None;
    assert_eq!(r.assign(&l, &RoutingState::default(), now).0.via, Via::Rule);
}

#[test]
fn least_loaded_evens_out_with_existing_load() {
    let r = router(json!({
        "fallback_queue": "q",
        "reps": [{"id": "a"}, {"id": "b"}, {"id": "c", "weight": 200}],
        "teams": [{"name": "t", "strategy": "least_loaded", "members": ["a", "b", "c"]}],
        "rules": [{"name": "all", "assign": {"team": "t"}}]
    }));
    let now = ts("2026-03-02T09:00:00Z");
    let mut state = RoutingState::default();
    for _ in 0..3 {
        state.record("a", Zone::default(), now);
    }
    let leads: Vec<Lead> = (0..5).map(|i| Lead::new(format!("L{i}"), now)).collect();
    let (out, state) = r.assign_batch(&leads, &state, now);
    let got: Vec<_> = out.iter().map(|a| a.rep().unwrap()).collect();
    assert_eq!(got, ["b", "c", "c", "b", "c"]);
    assert_eq!(state.day_count("a", &Zone::default(), now), 3);
}

#[test]
fn config_errors_name_the_rule() {
    let bad = |v: serde_json::Value| {
        let cfg: RoutingConfig = serde_json::from_value(v).unwrap();
        Router::new(cfg).unwrap_err()
    };
    let e =
        bad(json!({"fallback_queue": "q", "rules": [{"name": "r1", "assign": {"team": "ghost"}}]}));
    assert_eq!(e.kind(), crate::ErrorKind::Config);
    assert_eq!(e.rule(), Some("r1"));
    assert!(e.message().contains("ghost"));
    let e = bad(json!({"fallback_queue": "q", "reps": [{"id": "a"}],
        "rules": [{"name": "r2", "when": {"any": []}, "assign": {"rep": "a"}}]}));
    assert_eq!((e.rule(), e.field()), (Some("r2"), Some("rules[0].when")));
    let e = bad(json!({"fallback_queue": "q", "reps": [{"id": "a", "weight": 0}]}));
    assert_eq!(e.field(), Some("reps[0].weight"));
    let e = RoutingConfig::from_str(
        r#"{"fallback_queue": "q", "reps": [{"id": "a", "dailycap": 3}]}"#,
        ConfigFormat::Json,
    )
    .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Config);
    assert_eq!(e.field(), Some("reps[0].dailycap"));
    assert!(e.message().contains("dailycap"), "{e}");
}

#[test]
fn yaml_and_toml_configs() {
    let yaml = "fallback_queue: q\nreps:\n  - id: a\n    time_zone: Europe/Berlin\nrules:\n  - name: r\n    when: {in: {field: country, values: [DE]}}\n    assign: {rep: a}\n";
    let toml = "fallback_queue = \"q\"\n[[reps]]\nid = \"a\"\ntime_zone = \"Europe/Berlin\"\n[[rules]]\nname = \"r\"\nwhen = { in = { field = \"country\", values = [\"DE\"] } }\nassign = { rep = \"a\" }\n";
    let y = RoutingConfig::from_str(yaml, ConfigFormat::Yaml).unwrap();
    let t = RoutingConfig::from_str(toml, ConfigFormat::Toml).unwrap();
    assert_eq!(y, t);
    let r = Router::new(y).unwrap();
    assert_eq!(
        r.assign(
            &lead("1", "DE", 1),
            &RoutingState::default(),
            ts("2026-03-02T09:00:00Z")
        )
        .0
        .rep(),
        Some("a")
    );
}

// ---- properties --------------------------------------------------------------

fn arb_config() -> impl Gen<Value = RoutingConfig> {
    let rep = (
        1u32..=400,
        prop::option::of(0u32..4),
        prop::option::of(0u32..10),
        any::<bool>(),
        0usize..3,
        any::<bool>(),
    );
    (prop::collection::vec(rep, 1..6), 0usize..3).prop_map(|(reps, strategy)| {
        let zones = ["UTC", "Asia/Tokyo", "America/New_York"];
        let reps_json: Vec<_> = reps
            .iter()
            .enumerate()
            .map(|(i, (w, d, wk, away, z, emea_only))| {
                let mut r = json!({"id": format!("r{i}"), "weight": w, "time_zone": zones[*z]});
                if let Some(d) = d { r["daily_cap"] = json!(d); }
                if let Some(wk) = wk { r["weekly_cap"] = json!(wk); }
                if *away { r["out_of_office"] = json!([{"start": "2026-03-03", "end": "2026-03-04"}]); }
                if *emea_only { r["territories"] = json!(["emea"]); }
                r
            })
            .collect();
        let members: Vec<_> = (0..reps.len()).map(|i| format!("r{i}")).collect();
        let strategy = ["round_robin", "weighted", "least_loaded"][strategy];
        serde_json::from_value(json!({
            "fallback_queue": "fallback",
            "ownership": {"respect_caps": true},
            "segmentation": {"territories": [{"name": "emea", "countries": ["DE", "FR"]}]},
            "reps": reps_json,
            "teams": [{"name": "t", "strategy": strategy, "members": members}],
            "rules": [
                {"name": "japan", "when": {"equals": {"field": "country", "value": "JP"}}, "assign": {"queue": "apac"}},
                {"name": "direct", "when": {"equals": {"field": "country", "value": "US"}}, "assign": {"rep": "r0"}},
                {"name": "team", "when": {"in": {"field": "country", "values": ["DE", "FR", "BR"]}}, "assign": {"team": "t"}}
            ]
        }))
        .unwrap()
    })
}

fn arb_leads() -> impl Gen<Value = Vec<(Lead, i64)>> {
    let countries = ["DE", "FR", "US", "JP", "BR", "XX"];
    prop::collection::vec((0usize..6, 0i64..(6 * 24 * 60), any::<bool>()), 0..60).prop_map(
        move |v| {
            let mut minutes = 0;
            v.into_iter()
                .enumerate()
                .map(|(i, (c, step, owned))| {
                    minutes += step / 20; // nondecreasing times spanning several days
                    let mut l = lead(&format!("L{i}"), countries[c], 10);
                    if owned {
                        l.company = Some("owned".into());
                    }
                    (l, minutes)
                })
                .collect()
        },
    )
}

fn owned_matcher() -> Arc<dyn AccountMatcher> {
    Arc::new(|l: &Lead| {
        (l.company.as_deref() == Some("owned")).then(|| AccountMatch {
            account_id: "A1".into(),
            owner: Some("r1".into()),
            is_customer: true,
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn caps_are_never_exceeded_and_no_lead_is_dropped(cfg in arb_config(), leads in arb_leads()) {
        let r = Router::new(cfg.clone()).unwrap().with_account_matcher(owned_matcher());
        let start = ts("2026-03-02T00:00:00Z");
        let mut state = RoutingState::default();
        let mut per_day: BTreeMap<(String, chrono::NaiveDate), u32> = BTreeMap::new();
        let mut per_week: BTreeMap<(String, chrono::NaiveDate), u32> = BTreeMap::new();
        for (l, minutes) in &leads {
            let now = start + chrono::TimeDelta::minutes(*minutes);
            let a = r.assign_mut(l, &mut state, now);
            prop_assert_eq!(&a.lead_id, &l.id);
            match &a.assignee {
                Assignee::Queue(q) => {
                    prop_assert!(!q.is_empty());
                    prop_assert_eq!(a.via == Via::Fallback, q == "fallback");
                    if a.via == Via::Fallback { prop_assert!(a.fallback_reason.is_some()); }
                }
                Assignee::Rep(id) => {
                    let Some(rep) = cfg.rep(id) else {
                        // Only an account owner unknown to the config gets a lead without checks.
                        prop_assert_eq!(a.via, Via::Ownership);
                        continue;
                    };
                    prop_assert!(rep.out_of_office.iter().all(|_| {
                        let d = rep.time_zone.local_date(now).to_string();
                        !(d.as_str() >= "2026-03-03" && d.as_str() <= "2026-03-04")
                    }), "{} assigned while away", id);
                    let d = per_day.entry((id.clone(), rep.time_zone.local_date(now))).or_default();
                    *d += 1;
                    if let Some(cap) = rep.daily_cap { prop_assert!(*d <= cap, "{} over daily cap", id); }
                    let w = per_week.entry((id.clone(), rep.time_zone.week_start(now))).or_default();
                    *w += 1;
                    if let Some(cap) = rep.weekly_cap { prop_assert!(*w <= cap, "{} over weekly cap", id); }
                }
            }
        }
    }

    #[test]
    fn bulk_equals_sequential(cfg in arb_config(), leads in arb_leads(), pre in 0usize..10) {
        let r = Router::new(cfg).unwrap().with_account_matcher(owned_matcher());
        let now = ts("2026-03-03T10:00:00+09:00");
        let leads: Vec<Lead> = leads.into_iter().map(|(l, _)| l).collect();
        // Start from a state that already has history.
        let warm: Vec<Lead> = (0..pre).map(|i| lead(&format!("W{i}"), "DE", 10)).collect();
        let (_, state) = r.assign_batch(&warm, &RoutingState::default(), now);
        let (bulk, bulk_state) = r.assign_batch(&leads, &state, now);
        let mut seq_state = state.clone();
        let mut seq = Vec::new();
        for l in &leads {
            let (a, s) = r.assign(l, &seq_state, now);
            seq.push(a);
            seq_state = s;
        }
        prop_assert_eq!(bulk, seq);
        prop_assert_eq!(&bulk_state, &seq_state);
        // The state round-trips through JSON without changing the outcome.
        let json = serde_json::to_string(&state).unwrap();
        let back: RoutingState = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(r.assign_batch(&leads, &back, now).1, bulk_state);
    }
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Over whole cycles of `sum(weights)/gcd` leads, weighted teams split exactly by weight.
    #[test]
    fn weighted_split_is_exact_over_whole_cycles(weights in prop::collection::vec(1u32..=500, 1..6), cycles in 1usize..4) {
        let reps: Vec<_> = weights.iter().enumerate().map(|(i, w)| json!({"id": format!("r{i}"), "weight": w})).collect();
        let members: Vec<_> = (0..weights.len()).map(|i| format!("r{i}")).collect();
        let cfg: RoutingConfig = serde_json::from_value(json!({
            "fallback_queue": "q", "reps": reps,
            "teams": [{"name": "t", "strategy": "weighted", "members": members}]
        })).unwrap();
        let g = weights.iter().copied().fold(0, gcd);
        let cycle: u32 = weights.iter().map(|w| w / g).sum();
        let n = cycle as usize * cycles;
        let counts = simulate_weighted(&cfg, cfg.team("t").unwrap(), n);
        for (i, w) in weights.iter().enumerate() {
            let want = (w / g) as usize * cycles;
            prop_assert_eq!(counts.get(&format!("r{i}")).copied().unwrap_or(0), want);
        }
    }
}

#[test]
fn weighted_counters_at_the_edge_are_an_error_not_a_wrap() {
    let r = router(json!({
        "fallback_queue": "q",
        "reps": [{"id": "a"}, {"id": "b"}],
        "teams": [{"name": "t", "strategy": "weighted", "members": ["a", "b"]}],
        "rules": [{"name": "all", "assign": {"team": "t"}}]
    }));
    let now = ts("2026-03-02T09:00:00Z");
    // Built in memory (a state read from JSON is bounded on read).
    let mut state = RoutingState::default();
    state.weighted.insert(
        "t".into(),
        BTreeMap::from([("a".to_owned(), i64::MAX), ("b".to_owned(), i64::MIN)]),
    );
    let before = state.clone();
    let (a, after) = r.assign(&Lead::new("L1", now), &state, now);
    assert_eq!(a.assignee, Assignee::Queue("q".into()));
    assert_eq!(a.rule_errors.len(), 1);
    assert_eq!(a.rule_errors[0].kind, crate::ErrorKind::Validation);
    assert_eq!(
        a.rule_errors[0].field.as_deref(),
        Some("state.weighted.t.a")
    );
    assert_eq!(after.weighted, before.weighted, "counters untouched");
}

#[test]
fn reversed_out_of_office_is_a_config_error_naming_the_rep() {
    let cfg = |start: &str, end: &str, zone: &str| {
        let c: RoutingConfig = serde_json::from_value(json!({
            "fallback_queue": "q",
            "reps": [{"id": "x"}, {"id": "ana", "time_zone": zone,
                      "out_of_office": [{"start": start, "end": end}]}]
        }))
        .unwrap();
        c.validate(None)
    };
    for (start, end) in [
        ("2026-03-05", "2026-03-01"),
        ("2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"),
        ("2026-03-02T10:00:00Z", "2026-03-02T09:00:00Z"),
        // A date end covers its whole (Tokyo) day, which ended at 15:00Z.
        ("2026-03-02T16:00:00Z", "2026-03-02"),
    ] {
        let e = cfg(start, end, "Asia/Tokyo").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config, "{start} {end}");
        assert_eq!(e.field(), Some("reps[1].out_of_office[0].end"));
        assert!(e.message().contains("\"ana\""), "{e}");
    }
    for (start, end) in [
        ("2026-03-02", "2026-03-02"), // one whole day
        ("2026-03-02T14:00:00Z", "2026-03-02"),
        ("2026-03-02", "2026-03-02T00:00:01+09:00"),
    ] {
        cfg(start, end, "Asia/Tokyo").unwrap();
    }
}
