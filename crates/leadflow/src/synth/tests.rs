//! Workload-level tests: determinism, distributions, lead/row consistency.

use super::*;
use crate::time::parse_timestamp;

fn now() -> Timestamp {
    parse_timestamp("2026-03-01T12:00:00+02:00").unwrap()
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    assert_eq!(reference_rows(500, 9), reference_rows(500, 9));
    assert_ne!(reference_rows(500, 9), reference_rows(500, 10));
    let a: Vec<Lead> = reference_leads(50, 9, now()).collect();
    let b: Vec<Lead> = reference_leads(50, 9, now()).collect();
    assert_eq!(a, b);
    // A prefix of a longer run is the shorter run.
    assert_eq!(reference_rows(100, 9)[..], reference_rows(500, 9)[..100]);
}

#[test]
fn pinned_values_do_not_drift() {
    // Guards the data definition: a change here changes every benchmark's input.
    // Update these only for a deliberate change to the workload (and say so in docs).
    let rows = reference_rows(1000, DEFAULT_SEED);
    let total: f64 = rows.iter().map(reference_score).sum();
    assert_eq!(
        format!("{total:.6}"),
        "29455.100132",
        "reference data changed"
    );
    let first = &rows[0];
    assert_eq!(
        (
            first.title.as_str(),
            first.employees,
            first.revenue,
            first.email.as_str()
        ),
        (
            "Marketing Intern",
            56413,
            8_850_020_709.0,
            "ben.kim0@initech.com"
        ),
        "reference data changed"
    );
    assert_eq!(
        (
            first.days_since_activity,
            first.page_views,
            first.pricing_visits,
            first.email_opens
        ),
        (42, 20, 4, 22)
    );
}

#[test]
fn leads_derive_to_rows() {
    let rows = reference_rows(2000, 3);
    for (lead, row) in reference_leads(2000, 3, now()).zip(&rows) {
        assert_eq!(&features_of(&lead, now()), row, "lead {}", lead.id);
        // Round-trips through JSON without changing the features.
        let text = serde_json::to_string(&lead).unwrap();
        let back: Lead = serde_json::from_str(&text).unwrap();
        assert_eq!(&features_of(&back, now()), row);
    }
}

#[test]
fn invariants_hold() {
    for r in reference_rows(20_000, 5) {
        assert!(r.pricing_visits <= r.page_views && r.pricing_visits <= 5);
        assert!(!r.demo_requested || r.form_fills >= 1);
        assert!((1..=100_000).contains(&r.employees));
        let per_employee = r.revenue / r.employees as f64;
        assert!(
            (49_999.0..=300_001.0).contains(&per_employee),
            "{per_employee}"
        );
        assert!(r.days_since_activity <= 179 && r.page_views <= 39);
        assert!(r.email_opens <= 24 && r.email_clicks <= 5 && r.form_fills <= 2);
        assert!(vocab::TITLES.contains(&r.title.as_str()));
        assert!(vocab::INDUSTRIES.contains(&r.industry.as_str()));
        assert!(vocab::COUNTRIES.contains(&r.country.as_str()));
        assert!(vocab::SOURCES.contains(&r.source.as_str()));
        assert!(
            vocab::EMAIL_DOMAINS
                .iter()
                .any(|d| r.email.ends_with(&format!("@{d}")))
        );
    }
}

fn share(rows: &[FeatureRow], f: impl Fn(&FeatureRow) -> bool) -> f64 {
    rows.iter().filter(|r| f(r)).count() as f64 / rows.len() as f64
}

fn close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() < tol,
        "{actual} not within {tol} of {expected}"
    );
}

#[test]
fn distributions_are_roughly_right() {
    let rows = reference_rows(50_000, 11);
    close(share(&rows, |r| r.demo_requested), 0.10, 0.01);
    close(share(&rows, |r| r.webinar_attended), 0.20, 0.01);
    close(share(&rows, |r| r.unsubscribed), 0.05, 0.005);
    // Log-uniform over five decades: about a fifth per decade.
    close(share(&rows, |r| r.employees < 10), 0.2, 0.015);
    close(share(&rows, |r| r.employees > 10_000), 0.2, 0.015);
    close(
        share(&rows, |r| r.email.ends_with("@gmail.com")),
        1.0 / 6.0,
        0.01,
    );
    close(share(&rows, |r| r.title == "CEO"), 1.0 / 16.0, 0.006);
    close(share(&rows, |r| r.country == "US"), 0.1, 0.008);
    close(
        share(&rows, |r| r.days_since_activity > 90),
        89.0 / 180.0,
        0.015,
    );
    let mean = |f: fn(&FeatureRow) -> u32| {
        rows.iter().map(|r| f64::from(f(r))).sum::<f64>() / rows.len() as f64
    };
    close(mean(|r| r.page_views), 19.5, 0.3);
    close(mean(|r| r.email_opens), 12.0, 0.2);
    close(mean(|r| r.email_clicks), 2.5, 0.05);
    let scores: Vec<f64> = rows.iter().map(reference_score).collect();
    assert!(scores.iter().all(|s| (0.0..=100.0).contains(s)));
    // Not degenerate: some leads at each clamp and many in between.
    assert!(share(&rows, |r| reference_score(r) == 0.0) > 0.01);
    assert!(
        share(&rows, |r| reference_score(r) > 0.0
            && reference_score(r) < 100.0)
            > 0.5
    );
}

#[test]
fn fixed_histories_have_exactly_k_activities_and_the_rows_fields() {
    let rows = reference_rows(300, 4);
    for k in [0, 1, 10, 200] {
        let leads: Vec<Lead> = reference_leads_with_activities(300, 4, now(), k).collect();
        let again: Vec<Lead> = reference_leads_with_activities(300, 4, now(), k).collect();
        assert_eq!(leads, again, "deterministic for k = {k}");
        for (lead, row) in leads.iter().zip(&rows) {
            assert_eq!(lead.activities.len(), k, "lead {}", lead.id);
            assert!(lead.activities.is_sorted_by_key(|a| a.at));
            assert!(lead.activities.iter().all(|a| a.at >= lead.created_at));
            let derived = features_of(lead, now());
            assert_eq!(
                (&derived.title, derived.employees, &derived.email),
                (&row.title, row.employees, &row.email)
            );
            // The latest activity at or before now is on the row's day
            // whenever one exists (a history of only future meetings has none).
            if lead.activities.iter().any(|a| a.at <= now()) {
                assert_eq!(derived.days_since_activity, row.days_since_activity);
            }
        }
    }
}

#[test]
fn fixed_histories_keep_the_reference_mix_of_kinds() {
    let leads: Vec<Lead> = reference_leads_with_activities(500, 8, now(), 40).collect();
    let rows: Vec<FeatureRow> = leads.iter().map(|l| features_of(l, now())).collect();
    let mean = |f: fn(&FeatureRow) -> u32| {
        rows.iter().map(|r| f64::from(f(r))).sum::<f64>() / rows.len() as f64
    };
    // 40 activities at the reference leads' proportions (~36 per lead).
    close(mean(|r| r.page_views), 40.0 * 0.537, 0.6);
    close(mean(|r| r.pricing_visits), 40.0 * 0.069, 0.2);
    close(mean(|r| r.email_opens), 40.0 * 0.331, 0.6);
    close(mean(|r| r.form_fills), 40.0 * 0.029, 0.15);
    assert!(share(&rows, |r| r.demo_requested) > 0.02);
}
