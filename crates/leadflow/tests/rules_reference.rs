#![allow(clippy::cast_possible_wrap)] // small test counts

//! The reference workload: the declarative pack, the opaque rhai pack, the
//! recognised (hybrid) rhai script and a hand-written scorer all agree.

use leadflow::rules::{CompiledPack, PackFormat, Tier};
use leadflow::{Activity, Lead, Timestamp, parse_timestamp};
use proptest::prelude::*;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pack(name: &str) -> CompiledPack {
    CompiledPack::load(root().join("examples/packs").join(name)).unwrap()
}

fn hybrid() -> CompiledPack {
    let text =
        std::fs::read_to_string(root().join("examples/packs/reference-rhai/reference-rules.rhai"))
            .unwrap();
    CompiledPack::from_str(&text, PackFormat::Rhai, "reference-rules.rhai").unwrap()
}

fn now() -> Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

const TITLES: &[&str] = &[
    "VP Sales",
    "Vice President Marketing",
    "Director of IT",
    "Chief Revenue Officer",
    "CEO",
    "CTO",
    "Intern",
    "Student",
    "Engineer",
    "Analyst",
    "Manager",
    "",
    "Senior Director, Sales",
    "Marketing Intern",
];
const INDUSTRIES: &[&str] = &[
    "Software",
    "Finance",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "",
];
const COUNTRIES: &[&str] = &["US", "CA", "GB", "DE", "JP", "FR", ""];
const DOMAINS: &[&str] = &["gmail.com", "yahoo.com", "acme.com", "corp.io"];
const SOURCES: &[&str] = &["referral", "paid_search", "organic", "event", ""];

prop_compose! {
    fn arb_lead()(
        title in 0..TITLES.len(), employees in proptest::option::of(0u64..200_000),
        revenue in proptest::option::of(0.0f64..5e10), industry in 0..INDUSTRIES.len(),
        country in 0..COUNTRIES.len(), domain in 0..DOMAINS.len(), source in 0..SOURCES.len(),
        acts in proptest::collection::vec((0usize..8, 0i64..200 * 24, 0usize..3), 0..40),
    ) -> Lead {
        let created = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        let mut l = Lead::new("L-1", created);
        let s = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        l.title = s(TITLES[title]);
        l.employees = employees;
        l.annual_revenue = revenue;
        l.industry = s(INDUSTRIES[industry]);
        l.country = s(COUNTRIES[country]);
        l.email = Some(format!("p@{}", DOMAINS[domain]));
        l.source = s(SOURCES[source]);
        for (kind, hours_ago, variant) in acts {
            let at = now() - chrono::TimeDelta::hours(hours_ago - 24);
            let kinds = ["page_view", "page_view", "email_open", "email_click", "form_submit", "webinar", "unsubscribe", "meeting"];
            let mut a = Activity::new(kinds[kind], at);
            if kind <= 1 {
                a = a.with_meta("url", ["/pricing", "/blog", "https://x.io/pricing/team"][variant]);
            }
            if kind == 4 && variant == 0 {
                a = a.with_meta("form", "demo");
            }
            l.activities.push(a);
        }
        l
    }
}

/// The reference rules, hand-written, over features derived the documented way.
fn hand_written(l: &Lead, now: Timestamp) -> f64 {
    let acts: Vec<&Activity> = l.activities.iter().filter(|a| a.at <= now).collect();
    let count = |k: &str| acts.iter().filter(|a| a.kind == k).count() as i64;
    let title = l.title.as_deref().unwrap_or("");
    let email = l.email.as_deref().unwrap_or("");
    let employees = l.employees.unwrap_or(0);
    let industry = l.industry.as_deref().unwrap_or("");
    let source = l.source.as_deref().unwrap_or("");
    let pricing = acts
        .iter()
        .filter(|a| {
            a.kind == "page_view"
                && a.meta_str("url")
                    .is_some_and(|u| leadflow_url_path(u).starts_with("/pricing"))
        })
        .count();
    let last = l.last_activity_at(now).unwrap_or(l.created_at);
    let days = leadflow::time::whole_days_between(last, now) as f64;
    let mut score = 0.0;
    if title.contains("VP") || title.contains("Vice President") {
        score += 10.0;
    }
    if title.contains("Director") {
        score += 8.0;
    }
    if title.contains("Chief") || title.contains("CEO") || title.contains("CTO") {
        score += 15.0;
    }
    if title.contains("Intern") || title.contains("Student") {
        score -= 10.0;
    }
    if employees > 500 {
        score += 10.0;
    }
    if employees > 5000 {
        score += 5.0;
    }
    if employees < 10 {
        score -= 5.0;
    }
    if l.annual_revenue.unwrap_or(0.0) > 10_000_000.0 {
        score += 8.0;
    }
    if industry == "Software" {
        score += 6.0;
    }
    if industry == "Finance" || industry == "Healthcare" {
        score += 4.0;
    }
    if matches!(
        l.country.as_deref().unwrap_or(""),
        "US" | "CA" | "GB" | "DE"
    ) {
        score += 5.0;
    }
    if email.ends_with("@gmail.com") || email.ends_with("@yahoo.com") {
        score -= 8.0;
    }
    if source == "referral" {
        score += 7.0;
    }
    if source == "paid_search" {
        score += 3.0;
    }
    let decay = (-days / 30.0).exp();
    let pv = count("page_view") as f64 * 0.5 * decay;
    score += if pv < 15.0 { pv } else { 15.0 };
    score += count("email_open").min(10) as f64 * 0.5 * decay;
    score += count("email_click") as f64 * 2.0 * decay;
    if count("form_submit") > 0 {
        score += 10.0;
    }
    if acts
        .iter()
        .any(|a| a.kind == "form_submit" && a.meta_str("form") == Some("demo"))
    {
        score += 25.0;
    }
    if pricing >= 3 {
        score += 12.0;
    }
    if count("webinar") > 0 {
        score += 6.0;
    }
    if days > 90.0 {
        score -= 15.0;
    }
    if count("unsubscribe") > 0 {
        score -= 20.0;
    }
    score.clamp(0.0, 100.0)
}

fn leadflow_url_path(u: &str) -> &str {
    match u.find("://") {
        Some(i) => u[i + 3..].find('/').map_or("/", |j| &u[i + 3 + j..]),
        None => u,
    }
}

#[test]
fn tiers_are_as_expected() {
    let native = pack("reference");
    assert!(native.rules().iter().all(|r| r.tier == Tier::Native));
    let opaque = pack("reference-rhai");
    assert!(opaque.rules().iter().all(|r| r.tier == Tier::Script));
    // Every statement of the benchmark script is recognised, the `switch` included.
    let h = hybrid();
    let script: Vec<_> = h
        .rules()
        .iter()
        .filter(|r| r.tier == Tier::Script)
        .map(|r| r.name.clone())
        .collect();
    assert!(script.is_empty(), "{script:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn all_tiers_agree(lead in arb_lead()) {
        let want = hand_written(&lead, now());
        for p in [pack("reference"), pack("reference-rhai"), hybrid()] {
            let got = p.score(&lead, now()).unwrap();
            prop_assert!((got.total - want).abs() < 1e-9, "{}: {} != {}", p.name(), got.total, want);
            let ex = p.explain(&lead, now()).unwrap();
            prop_assert!((ex.total - got.total).abs() < 1e-9);
            prop_assert!((ex.fit + ex.engagement - (got.fit + got.engagement)).abs() < 1e-9);
        }
    }
}
