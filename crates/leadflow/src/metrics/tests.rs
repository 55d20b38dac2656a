//! Hand-computed cases for every metric, and merge(partials) == whole.
// Expected values are exact binary fractions computed by hand, so == is the right check;
// short names (a, b, c, r) mirror the hand calculation.
#![allow(clippy::float_cmp, clippy::many_single_char_names)]

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::model::{
    Activity, Dimension, ForecastCategory, Lead, Opportunity, Transition, TransitionKind,
};
use crate::time::{Timestamp, parse_timestamp};

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

fn tr(dimension: Dimension, to: &str, at: &str) -> Transition {
    Transition {
        dimension,
        from: None,
        to: to.to_owned(),
        at: ts(at),
        kind: TransitionKind::Advance,
        actor: None,
        reason: None,
    }
}

fn lead(id: &str, created: &str, source: &str, stages: &[(&str, &str)]) -> Lead {
    let mut l = Lead::new(id, ts(created));
    l.source = Some(source.to_owned());
    l.owner = Some("ana".to_owned());
    l.history = stages
        .iter()
        .map(|(s, at)| tr(Dimension::Stage, s, at))
        .collect();
    l
}

fn q3() -> MetricsConfig {
    MetricsConfig::new(
        Period::parse("2026-Q3", utc()).unwrap(),
        ts("2026-10-01T00:00:00Z"),
    )
}

/// A: lead -> mql -> sql (skips sal). B: lead -> mql -> lead (recycled) -> mql.
/// C: lead only. D: created in Q2, MQL in Q3.
fn cohort() -> Vec<Lead> {
    vec![
        lead(
            "A",
            "2026-07-01T00:00:00Z",
            "web",
            &[
                ("lead", "2026-07-01T00:00:00Z"),
                ("mql", "2026-07-03T00:00:00Z"),
                ("sql", "2026-07-10T00:00:00Z"),
            ],
        ),
        lead(
            "B",
            "2026-07-02T00:00:00Z",
            "web",
            &[
                ("lead", "2026-07-02T00:00:00Z"),
                ("mql", "2026-07-04T00:00:00Z"),
                ("lead", "2026-07-06T00:00:00Z"),
                ("mql", "2026-07-08T00:00:00Z"),
            ],
        ),
        lead(
            "C",
            "2026-07-05T00:00:00Z",
            "ads",
            &[("lead", "2026-07-05T00:00:00Z")],
        ),
        lead(
            "D",
            "2026-06-20T00:00:00Z",
            "ads",
            &[
                ("lead", "2026-06-20T00:00:00Z"),
                ("mql", "2026-07-15T00:00:00Z"),
            ],
        ),
    ]
}

fn stage<'a>(g: &'a FunnelGroup, name: &str) -> &'a FunnelStage {
    g.stages.iter().find(|s| s.stage == name).unwrap()
}

#[test]
fn funnel_counts_skips_and_recycles_by_hand() {
    let r = compute(&cohort(), &[], q3()).unwrap();
    let t = &r.funnel.groups.total;
    assert_eq!(t.cohort_size, 3); // D was created in Q2
    assert_eq!(stage(t, "lead").reached, 3);
    assert_eq!(stage(t, "mql").reached, 2); // B recycled, counted once
    assert_eq!(stage(t, "sal").reached, 1); // A skipped SAL: implied
    assert_eq!(stage(t, "sql").reached, 1);
    assert_eq!(stage(t, "opportunity").reached, 0);
    assert_eq!(stage(t, "mql").rate, Some(2.0 / 3.0));
    let by: Vec<(&str, u64)> = r
        .funnel
        .groups
        .by_source
        .iter()
        .map(|g| (g.key.as_str(), g.cohort_size))
        .collect();
    assert_eq!(by, vec![("ads", 1), ("web", 2)]);

    let rates = &r.conversion.groups.total.rates;
    let rate = |f: &str| rates.iter().find(|c| c.from == f).unwrap();
    assert_eq!((rate("lead").numerator, rate("lead").denominator), (2, 3));
    assert_eq!((rate("mql").numerator, rate("mql").denominator), (1, 2));
    assert_eq!((rate("sal").numerator, rate("sal").denominator), (1, 1));
    assert_eq!(
        (
            rate("opportunity").numerator,
            rate("opportunity").denominator,
            rate("opportunity").rate
        ),
        (0, 0, None)
    );
}

#[test]
fn cohort_by_stage_uses_first_reaching() {
    let mut c = q3();
    c.options.cohort_stage = Some("mql".to_owned());
    let r = compute(&cohort(), &[], c).unwrap();
    let t = &r.funnel.groups.total;
    assert_eq!(t.cohort_size, 3); // A, B and D reached MQL in Q3
    assert_eq!(stage(t, "sql").reached, 1);
}

#[test]
fn velocity_by_hand() {
    let r = compute(&cohort(), &[], q3()).unwrap();
    let lead_time = r
        .velocity
        .time_in_stage
        .iter()
        .find(|s| s.stage == "lead")
        .unwrap();
    // A: 2 days; B: latest visit 2 days, cumulative 2 + 2; C never left.
    let latest = lead_time.latest.as_ref().unwrap();
    assert_eq!((latest.count, latest.median_days), (2, 2.0));
    let cum = lead_time.cumulative.as_ref().unwrap();
    assert_eq!((cum.count, cum.median_days), (2, 3.0));
    assert!((cum.p90_days - 3.8).abs() < 1e-9);
    assert!((cum.mean_days - 3.0).abs() < 1e-9);
    // mql -> sal: only A, reached both at once through the skip.
    let m2s = r
        .velocity
        .stage_to_stage
        .iter()
        .find(|s| s.from == "mql")
        .unwrap();
    assert_eq!(m2s.stats.as_ref().unwrap().median_days, 7.0);
    let s2s = r
        .velocity
        .stage_to_stage
        .iter()
        .find(|s| s.from == "sal")
        .unwrap();
    assert_eq!(s2s.stats.as_ref().unwrap().median_days, 0.0);
}

#[test]
fn speed_to_lead_and_sla() {
    let mut leads = cohort();
    let at = |l: &Lead, min: i64| l.created_at + chrono::TimeDelta::minutes(min);
    let a = at(&leads[0], 10);
    leads[0].activities = vec![
        Activity::new("page_view", at(&leads[0], 1)),
        Activity::new("call_attempt", a),
    ];
    let b = at(&leads[1], 50);
    leads[1].activities = vec![Activity::new("email_sent", b)];
    // C is never touched: older than the SLA, so breached.
    let mut c = q3();
    c.options.sla_minutes = 30;
    let r = compute(&leads, &[], c).unwrap();
    let s = &r.velocity.speed_to_lead;
    assert_eq!(
        (s.leads, s.touched, s.within_sla, s.breached_sla, s.pending),
        (3, 2, 1, 2, 0)
    );
    assert_eq!(s.median_minutes, Some(30.0));
    assert_eq!(s.within_sla_rate, Some(1.0 / 3.0));
    let b = |label: &str| s.buckets.iter().find(|b| b.label == label).unwrap().leads;
    assert_eq!((b("5-15 min"), b("30-60 min"), b("< 5 min")), (1, 1, 0));
}

#[test]
fn untouched_young_lead_is_pending() {
    let l = lead("N", "2026-09-30T23:50:00Z", "web", &[]);
    let r = compute(&[l], &[], q3()).unwrap();
    let s = &r.velocity.speed_to_lead;
    assert_eq!((s.pending, s.breached_sla, s.within_sla_rate), (1, 0, None));
}

#[test]
fn empty_period_has_null_rates() {
    let r = compute(&[], &[], q3()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["funnel"]["total"]["cohort_size"], 0);
    assert!(v["funnel"]["total"]["stages"][0]["rate"].is_null());
    assert!(v["conversion"]["total"]["rates"][0]["rate"].is_null());
    assert!(v["pipeline"]["total"]["win_rate"].is_null());
    assert!(v["velocity"]["speed_to_lead"]["median_minutes"].is_null());
}

#[test]
fn time_zone_edge_belongs_to_q2_in_utc() {
    let l = lead(
        "TZ",
        "2026-03-31T23:30:00-05:00",
        "web",
        &[("lead", "2026-03-31T23:30:00-05:00")],
    );
    let now = ts("2026-07-01T00:00:00Z");
    let q = |spec: &str, off: &str| {
        let c = MetricsConfig::new(
            Period::parse(spec, parse_offset(off).unwrap()).unwrap(),
            now,
        );
        compute(std::slice::from_ref(&l), &[], c)
            .unwrap()
            .funnel
            .groups
            .total
            .cohort_size
    };
    assert_eq!((q("2026-Q2", "Z"), q("2026-Q1", "Z")), (1, 0));
    assert_eq!((q("2026-Q2", "-05:00"), q("2026-Q1", "-05:00")), (0, 1));
}

#[test]
fn board_holds_open_leads_and_lists_stalled() {
    let mk = |id: &str, status: &str, at: &str| {
        let mut l = lead(id, "2026-09-01T00:00:00Z", "web", &[]);
        l.history.push(tr(Dimension::Status, status, at));
        l
    };
    let leads = vec![
        mk("s1", "attempting", "2026-09-10T00:00:00Z"), // 21 days: stalled
        mk("s2", "attempting", "2026-09-28T00:00:00Z"), // 3 days
        mk("s3", "new", "2026-09-01T00:00:00Z"),        // 30 days: stalled
        mk("s4", "converted", "2026-09-02T00:00:00Z"),  // closed: not on the board
    ];
    let mut c = q3();
    c.options.stalled_limit = 1;
    let r = compute(&leads, &[], c).unwrap();
    let ana = &r.board.owners[0];
    assert_eq!(
        (ana.owner.as_str(), ana.open_leads, ana.stalled_count),
        ("ana", 3, 2)
    );
    assert_eq!(r.board.statuses, vec!["new", "attempting"]);
    let att = ana
        .statuses
        .iter()
        .find(|s| s.status == "attempting")
        .unwrap();
    assert_eq!((att.leads, att.median_days, att.max_days), (2, 12.0, 21.0));
    assert_eq!(ana.stalled.len(), 1);
    assert_eq!(
        (ana.stalled[0].id.as_str(), ana.stalled[0].days_in_status),
        ("s3", 30.0)
    );
}

fn opp(
    id: &str,
    owner: &str,
    amount: f64,
    stage: (&str, f64, ForecastCategory, bool, bool),
    created: &str,
    closed: Option<&str>,
) -> Opportunity {
    let mut history = vec![tr(Dimension::OpportunityStage, "Prospecting", created)];
    if let Some(c) = closed {
        history.push(tr(Dimension::OpportunityStage, stage.0, c));
    }
    Opportunity {
        id: id.to_owned(),
        name: id.to_owned(),
        account_id: "acc".to_owned(),
        primary_contact_id: None,
        amount: Some(amount),
        currency: None,
        close_date: Some(chrono::NaiveDate::from_ymd_opt(2026, 9, 15).unwrap()),
        stage: stage.0.to_owned(),
        probability: stage.1,
        forecast_category: stage.2,
        is_closed: stage.3,
        is_won: stage.4,
        lost_reason: None,
        owner: Some(owner.to_owned()),
        source_lead_id: None,
        source: Some("web".to_owned()),
        campaign: None,
        created_at: Some(ts(created)),
        history,
        activities: Vec::new(),
        custom: serde_json::Map::new(),
        extra: serde_json::Map::new(),
    }
}

const WON: (&str, f64, ForecastCategory, bool, bool) =
    ("Closed Won", 100.0, ForecastCategory::Closed, true, true);
const LOST: (&str, f64, ForecastCategory, bool, bool) =
    ("Closed Lost", 0.0, ForecastCategory::Omitted, true, false);
const COMMIT: (&str, f64, ForecastCategory, bool, bool) =
    ("Negotiation", 80.0, ForecastCategory::Commit, false, false);
const PIPE: (&str, f64, ForecastCategory, bool, bool) = (
    "Prospecting",
    10.0,
    ForecastCategory::Pipeline,
    false,
    false,
);

fn opps() -> Vec<Opportunity> {
    vec![
        opp(
            "o1",
            "ana",
            10_000.0,
            WON,
            "2026-07-01T00:00:00Z",
            Some("2026-07-21T00:00:00Z"),
        ), // 20-day cycle
        opp(
            "o2",
            "ben",
            30_000.0,
            WON,
            "2026-07-01T00:00:00Z",
            Some("2026-08-10T00:00:00Z"),
        ), // 40-day cycle
        opp(
            "o3",
            "ben",
            5_000.0,
            LOST,
            "2026-07-01T00:00:00Z",
            Some("2026-08-01T00:00:00Z"),
        ),
        opp("o4", "ana", 50_000.0, COMMIT, "2026-08-01T00:00:00Z", None),
        opp("o5", "carl", 20_000.0, PIPE, "2026-08-01T00:00:00Z", None),
        opp(
            "o6",
            "ana",
            99_000.0,
            WON,
            "2026-03-01T00:00:00Z",
            Some("2026-04-01T00:00:00Z"),
        ), // closed in Q2
    ]
}

#[test]
fn pipeline_by_hand() {
    let mut c = q3();
    c.options.hierarchy = [
        ("ana", "mia"),
        ("ben", "mia"),
        ("mia", "vp"),
        ("carl", "vp"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    let r = compute(&[], &opps(), c).unwrap();
    let t = &r.pipeline.total;
    assert_eq!(
        (t.open, t.open_amount, t.weighted_amount),
        (2, 70_000.0, 42_000.0)
    );
    assert_eq!((t.won, t.lost, t.won_amount), (2, 1, 40_000.0)); // o6 closed in Q2
    assert_eq!(t.win_rate, Some(2.0 / 3.0));
    assert_eq!((t.average_deal, t.cycle_days), (Some(20_000.0), Some(30.0)));
    // 2 open x 20,000 x 2/3 / 30 days
    assert!((t.velocity_per_day.unwrap() - 2.0 * 20_000.0 * (2.0 / 3.0) / 30.0).abs() < 1e-9);
    let f = &t.forecast;
    assert_eq!(
        (f.closed, f.commit, f.best_case, f.pipeline),
        (40_000.0, 50_000.0, 0.0, 20_000.0)
    );
    assert_eq!((f.commit_total, f.pipeline_total), (90_000.0, 110_000.0));
    let m: Vec<(&str, u64, f64)> = r
        .pipeline
        .by_manager
        .iter()
        .map(|p| (p.key.as_str(), p.open, p.won_amount))
        .collect();
    assert_eq!(m, vec![("mia", 1, 40_000.0), ("vp", 2, 40_000.0)]);
}

#[test]
fn attribution_with_costs() {
    let mut c = q3();
    c.options.costs = vec![
        Cost {
            source: Some("web".to_owned()),
            campaign: None,
            cost: 1_000.0,
        },
        Cost {
            source: Some("tv".to_owned()),
            campaign: None,
            cost: 500.0,
        },
    ];
    let r = compute(&cohort(), &opps(), c).unwrap();
    let row = |k: &str| {
        r.attribution
            .by_source
            .iter()
            .find(|a| a.key == k)
            .unwrap()
            .clone()
    };
    let web = row("web");
    assert_eq!(
        (
            web.leads,
            web.mqls,
            web.sqls,
            web.won_deals,
            web.won_revenue
        ),
        (2, 2, 1, 2, 40_000.0)
    );
    assert_eq!(
        (web.cost_per_lead, web.cost_per_mql, web.cost_per_sql),
        (Some(500.0), Some(500.0), Some(1_000.0))
    );
    let ads = row("ads"); // C created, D became MQL in Q3
    assert_eq!((ads.leads, ads.mqls, ads.cost), (1, 1, None));
    let tv = row("tv");
    assert_eq!(
        (tv.leads, tv.cost_per_lead, tv.cost),
        (0, None, Some(500.0))
    );
}

#[test]
fn bad_options_are_config_errors() {
    let bad = |o: serde_json::Value| {
        let options: MetricsOptions = serde_json::from_value(o).unwrap();
        MetricsAccumulator::new(q3().with_options(options)).unwrap_err()
    };
    assert_eq!(
        bad(json!({"cohort_stage": "nope"})).field(),
        Some("cohort_stage")
    );
    assert_eq!(
        bad(json!({"conversions": [["sql", "mql"]]})).field(),
        Some("conversions[0]")
    );
    assert_eq!(
        bad(json!({"hierarchy": {"a": "b", "b": "a"}})).kind(),
        crate::ErrorKind::Config
    );
    assert_eq!(
        bad(json!({"ladder": ["a", "a"]})).kind(),
        crate::ErrorKind::Config
    );
    let other = MetricsAccumulator::new(MetricsConfig::new(
        Period::parse("2026-Q2", utc()).unwrap(),
        ts("2026-10-01T00:00:00Z"),
    ))
    .unwrap();
    assert!(
        MetricsAccumulator::new(q3())
            .unwrap()
            .merge(&other)
            .is_err()
    );
}

fn sample_config(n: usize) -> MetricsConfig {
    let mut c = MetricsConfig::new(
        Period::parse("2026-Q3", utc()).unwrap(),
        ts("2026-10-01T00:00:00Z"),
    );
    c.options.hierarchy = sample::hierarchy();
    c.options.costs = sample::costs(n);
    c.options.stalled_limit = 3;
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn merge_of_partials_equals_whole(seed in any::<u64>(), n in 1usize..160, cuts in proptest::collection::vec(0usize..160, 0..5)) {
        let start = ts("2026-06-15T00:00:00Z");
        let now = ts("2026-10-01T00:00:00Z");
        let data: Vec<_> = (0..n as u64).map(|i| sample::lead(seed, i, start, 100, now)).collect();
        let config = sample_config(n);
        let mut whole = MetricsAccumulator::new(config.clone()).unwrap();
        for (l, o) in &data {
            whole.add_lead(l);
            if let Some(o) = o { whole.add_opportunity(o); }
        }
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (n + 1)).collect();
        bounds.extend([0, n]);
        bounds.sort_unstable();
        let mut parts: Vec<MetricsAccumulator> = bounds.windows(2).map(|w| {
            let mut a = MetricsAccumulator::new(config.clone()).unwrap();
            for (l, o) in &data[w[0]..w[1]] {
                a.add_lead(l);
                if let Some(o) = o { a.add_opportunity(o); }
            }
            a
        }).collect();
        // Merge in reverse order, through JSON text (as partials travel between processes).
        parts.reverse();
        let mut merged = MetricsAccumulator::new(config).unwrap();
        for p in &parts {
            let p = MetricsAccumulator::from_json(&p.to_json()).unwrap();
            merged.merge(&p).unwrap();
        }
        prop_assert_eq!(serde_json::to_value(merged.finish()).unwrap(), serde_json::to_value(whole.finish()).unwrap());
    }
}

#[test]
fn parallel_equals_sequential() {
    let start = ts("2026-06-15T00:00:00Z");
    let now = ts("2026-10-01T00:00:00Z");
    let (leads, opps): (Vec<_>, Vec<_>) = (0..10_000)
        .map(|i| sample::lead(7, i, start, 100, now))
        .unzip();
    let opps: Vec<_> = opps.into_iter().flatten().collect();
    let a = compute(&leads, &opps, sample_config(10_000)).unwrap();
    let b = compute_parallel(&leads, &opps, sample_config(10_000)).unwrap();
    assert_eq!(
        serde_json::to_value(a).unwrap(),
        serde_json::to_value(b).unwrap()
    );
}

#[test]
fn amounts_that_cannot_be_summed_exactly_are_refused_and_the_rest_counts() {
    let mut acc = MetricsAccumulator::new(q3()).unwrap();
    let normal = opp(
        "ok",
        "ana",
        10_000.0,
        WON,
        "2026-07-01T00:00:00Z",
        Some("2026-07-20T00:00:00Z"),
    );
    acc.add_opportunity(&normal);
    // Built in memory (reading JSON refuses them already); open and won deals.
    for (id, amount) in [("huge", 1e300), ("nan", f64::NAN), ("edge", 1e15 + 1.0)] {
        let mut o = normal.clone();
        o.id = id.to_owned();
        o.amount = Some(amount);
        let e = acc.try_add_opportunity(&o).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation, "{id}");
        assert_eq!((e.record(), e.field()), (Some(id), Some("amount")));
        acc.add_opportunity(&o);
    }
    // Sums of in-range amounts that would overflow i64 cents: refused, never wrapped.
    let mut big = normal.clone();
    big.amount = Some(1e15);
    let mut refused = 0;
    for i in 0..100 {
        big.id = format!("big{i}");
        if acc.try_add_opportunity(&big).is_err() {
            refused += 1;
        }
    }
    assert!(refused > 0);
    let r = acc.finish();
    let t = &r.pipeline.total;
    assert!(t.won_amount > 0.0, "no wrap to a negative sum");
    assert_eq!(t.won_amount, 10_000.0 + f64::from(100 - refused) * 1e15);
    assert_eq!(t.won, u64::try_from(101 - refused).unwrap());
    let web = &r.attribution.by_source[0];
    assert_eq!(web.won_revenue, t.won_amount, "attribution agrees");
    let listed: Vec<_> = r.errors.iter().map(|e| e.record().unwrap_or("")).collect();
    assert_eq!(listed, ["huge", "nan", "edge"]);
}

#[test]
fn opportunity_amounts_out_of_range_are_validation_errors_when_read() {
    use crate::model::Record;
    for amount in ["1e300", "-5e16", "1000000000000000.5"] {
        let text = format!(
            r#"{{"id": "O-1", "name": "x", "account_id": "A", "stage": "Prospecting", "probability": 10, "forecast_category": "pipeline", "amount": {amount}}}"#
        );
        let e = Opportunity::from_json(&text).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation, "{amount}");
        assert_eq!((e.record(), e.field()), (Some("O-1"), Some("amount")));
    }
}

#[test]
fn merging_partials_whose_money_sums_overflow_caps_and_reports_never_wraps() {
    let part = || {
        let mut acc = MetricsAccumulator::new(q3()).unwrap();
        let mut o = opp(
            "w",
            "ana",
            1e15,
            WON,
            "2026-07-01T00:00:00Z",
            Some("2026-07-20T00:00:00Z"),
        );
        for i in 0..50 {
            o.id = format!("w{i}");
            acc.try_add_opportunity(&o).unwrap(); // 5e18 cents: fits
        }
        acc
    };
    let mut a = part();
    a.merge(&part()).unwrap();
    let r = a.finish();
    let t = &r.pipeline.total;
    assert!(
        t.won_amount > 5e16,
        "capped, never wrapped: {}",
        t.won_amount
    );
    assert_eq!(t.won, 100);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].kind(), crate::ErrorKind::Validation);
    assert!(r.errors[0].message().contains("overflowed"));
}
