//! The 25 reference rules, hand-written: the physical limit for every scorer.

use super::row::FeatureRow;

/// Scores `row` with exactly the semantics of `reference-rules.rhai` (same
/// order of floating-point additions, integer `min` for opens, clamp to 0..=100).
pub fn reference_score(row: &FeatureRow) -> f64 {
    let title = row.title.as_str();
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
    if row.employees > 500 {
        score += 10.0;
    }
    if row.employees > 5000 {
        score += 5.0;
    }
    if row.employees < 10 {
        score -= 5.0;
    }
    if row.revenue > 10_000_000.0 {
        score += 8.0;
    }
    match row.industry.as_str() {
        "Software" => score += 6.0,
        "Finance" | "Healthcare" => score += 4.0,
        _ => {}
    }
    if matches!(row.country.as_str(), "US" | "CA" | "GB" | "DE") {
        score += 5.0;
    }
    if row.email.ends_with("@gmail.com") || row.email.ends_with("@yahoo.com") {
        score -= 8.0;
    }
    match row.source.as_str() {
        "referral" => score += 7.0,
        "paid_search" => score += 3.0,
        _ => {}
    }
    let decay = (-f64::from(row.days_since_activity) / 30.0).exp();
    score += (f64::from(row.page_views) * 0.5 * decay).min(15.0);
    score += f64::from(row.email_opens.min(10)) * 0.5 * decay;
    score += f64::from(row.email_clicks) * 2.0 * decay;
    if row.form_fills > 0 {
        score += 10.0;
    }
    if row.demo_requested {
        score += 25.0;
    }
    if row.pricing_visits >= 3 {
        score += 12.0;
    }
    if row.webinar_attended {
        score += 6.0;
    }
    if row.days_since_activity > 90 {
        score -= 15.0;
    }
    if row.unsubscribed {
        score -= 20.0;
    }
    score.clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> FeatureRow {
        FeatureRow {
            title: "Software Engineer".into(),
            employees: 100,
            revenue: 1_000_000.0,
            industry: "Retail".into(),
            country: "FR".into(),
            email: "a@acme.com".into(),
            source: "social".into(),
            days_since_activity: 0,
            page_views: 0,
            email_opens: 0,
            email_clicks: 0,
            form_fills: 0,
            demo_requested: false,
            pricing_visits: 0,
            webinar_attended: false,
            unsubscribed: false,
        }
    }

    #[test]
    fn neutral_lead_scores_zero() {
        assert!(reference_score(&row()).abs() < f64::EPSILON);
    }

    #[test]
    fn firmographic_rules_add_up() {
        let r = FeatureRow {
            title: "Director of Student Programs".into(), // +8 -10
            employees: 6000,                              // +10 +5
            revenue: 20_000_000.0,                        // +8
            industry: "Healthcare".into(),                // +4
            country: "DE".into(),                         // +5
            source: "referral".into(),                    // +7
            ..row()
        };
        assert!((reference_score(&r) - 37.0).abs() < 1e-12);
    }

    #[test]
    fn engagement_decays_and_caps() {
        // 40 page views at day 0: 20 capped to 15; 24 opens: integer min 10 -> 5; 2 clicks -> 4.
        let r = FeatureRow {
            page_views: 40,
            email_opens: 24,
            email_clicks: 2,
            ..row()
        };
        assert!((reference_score(&r) - 24.0).abs() < 1e-12);
        let r = FeatureRow {
            email_clicks: 3,
            days_since_activity: 30,
            ..row()
        };
        assert!((reference_score(&r) - 6.0 * (-1.0f64).exp()).abs() < 1e-12);
        // Stale for more than 90 days: -15, clamped at 0.
        let r = FeatureRow {
            days_since_activity: 91,
            form_fills: 1,
            ..row()
        };
        assert!(reference_score(&r).abs() < f64::EPSILON);
    }

    #[test]
    fn clamps_to_100() {
        let r = FeatureRow {
            title: "VP Sales, Chief of Staff".into(),
            employees: 10_000,
            revenue: 1e9,
            industry: "Software".into(),
            country: "US".into(),
            source: "referral".into(),
            form_fills: 2,
            demo_requested: true,
            pricing_visits: 5,
            page_views: 39,
            webinar_attended: true,
            ..row()
        };
        assert!((reference_score(&r) - 100.0).abs() < f64::EPSILON);
        let r = FeatureRow {
            email: "x@gmail.com".into(),
            unsubscribed: true,
            employees: 3,
            ..row()
        };
        assert!(reference_score(&r).abs() < f64::EPSILON);
    }
}
