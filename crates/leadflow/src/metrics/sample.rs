//! Deterministic, realistic sample data: leads with stage and status history,
//! touches, and the opportunities the qualified ones became. Used by the report
//! example, the tests and the benchmarks; the same seed always gives the same data.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::{Map, Value, json};

use super::options::Cost;
use crate::model::{
    Activity, Dimension, ForecastCategory, Lead, Opportunity, Transition, TransitionKind,
};
use crate::time::Timestamp;

/// `SplitMix64`: tiny, fast, good enough for sample data, and stable across versions.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        #[allow(clippy::cast_possible_truncation)] // the modulus is a small slice length
        let i = (self.next() % items.len() as u64) as usize;
        &items[i]
    }
    /// Log-uniform minutes between `lo` and `hi`.
    fn minutes(&mut self, lo: f64, hi: f64) -> TimeDelta {
        let m = (lo.ln() + (hi.ln() - lo.ln()) * self.unit()).exp();
        #[allow(clippy::cast_possible_truncation)] // bounded by `hi`
        TimeDelta::seconds((m * 60.0) as i64)
    }
}

/// (source, campaigns, MQL propensity)
const SOURCES: [(&str, [&str; 2], f64); 6] = [
    ("organic_search", ["seo-blog", "seo-pricing"], 0.45),
    (
        "paid_search",
        ["q3-search-brand", "q3-search-generic"],
        0.35,
    ),
    (
        "webinar",
        ["webinar-pipeline-101", "webinar-ai-scoring"],
        0.55,
    ),
    ("referral", ["partner-program", "customer-referral"], 0.7),
    ("events", ["saastr-booth", "crm-summit"], 0.4),
    ("outbound", ["abm-enterprise", "cold-sequence-q3"], 0.25),
];

/// Sales reps of the sample, their managers, and the VP above the managers.
pub const REPS: [&str; 6] = ["ana", "ben", "chloe", "diego", "emma", "farid"];

/// The sample's hierarchy: reps -> managers -> VP.
pub fn hierarchy() -> BTreeMap<String, String> {
    [
        ("ana", "grace"),
        ("ben", "grace"),
        ("chloe", "grace"),
        ("diego", "hiro"),
        ("emma", "hiro"),
        ("farid", "hiro"),
        ("grace", "ivy"),
        ("hiro", "ivy"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect()
}

/// Spend per source for the sample quarter, scaled to `leads` (the size of the sample).
pub fn costs(leads: usize) -> Vec<Cost> {
    let scale = leads as f64 / 1_000.0;
    [
        ("paid_search", 42_000.0),
        ("webinar", 18_000.0),
        ("events", 55_000.0),
        ("outbound", 30_000.0),
        ("organic_search", 12_000.0),
    ]
    .iter()
    .map(|(s, c)| Cost {
        source: Some((*s).to_owned()),
        campaign: None,
        cost: (c * scale).round(),
    })
    .collect()
}

fn step(
    dimension: Dimension,
    from: Option<&str>,
    to: &str,
    at: Timestamp,
    kind: TransitionKind,
) -> Transition {
    Transition {
        dimension,
        from: from.map(str::to_owned),
        to: to.to_owned(),
        at,
        kind,
        actor: Some("system".to_owned()),
        reason: (kind == TransitionKind::Recycle).then(|| "no_response".to_owned()),
    }
}

/// Lead number `index` of the sample seeded with `seed`, created in the `days`
/// days from `start`, and its opportunity if it got that far. Histories stop at
/// `now` (nothing happens after it).
#[allow(clippy::too_many_lines)] // one linear story of a lead; splitting it hides the flow
pub fn lead(
    seed: u64,
    index: u64,
    start: Timestamp,
    days: u32,
    now: Timestamp,
) -> (Lead, Option<Opportunity>) {
    let mut r = Rng::new(seed, index);
    let created = start
        + TimeDelta::seconds(i64::try_from(r.next() % (u64::from(days) * 86_400)).unwrap_or(0));
    let (source, campaigns, propensity) = *r.pick(&SOURCES);
    let owner = *r.pick(&REPS);
    let mut lead = Lead::new(format!("L-{index:07}"), created);
    lead.source = Some(source.to_owned());
    lead.campaign = Some((*r.pick(&campaigns)).to_owned());
    lead.owner = Some(owner.to_owned());
    lead.email = Some(format!("lead{index}@example.com"));
    lead.employees = Some(*r.pick(&[12, 45, 80, 150, 420, 900, 2_500, 12_000]));
    lead.company = Some(format!("Company {}", index % 9_973));

    let mut t = created;
    let mut stage = if r.chance(0.15) { "subscriber" } else { "lead" };
    let mut hist = vec![step(
        Dimension::Stage,
        None,
        stage,
        t,
        TransitionKind::Initial,
    )];
    hist.push(step(
        Dimension::Status,
        None,
        "new",
        t,
        TransitionKind::Initial,
    ));
    let mut status = "new";

    // First touch: fast for most, slow or never for some.
    let touched = r.chance(0.9);
    if touched {
        let delay = if r.chance(0.55) {
            r.minutes(1.0, 30.0)
        } else {
            r.minutes(30.0, 4_000.0)
        };
        t += delay;
        lead.activities.push(Activity::new(
            *r.pick(&["call_attempt", "email_sent", "call_attempt"]),
            t,
        ));
        hist.push(step(
            Dimension::Status,
            Some(status),
            "attempting",
            t,
            TransitionKind::Advance,
        ));
        status = "attempting";
        if r.chance(0.6) {
            t += r.minutes(60.0, 6_000.0);
            lead.activities.push(Activity::new("call_connected", t));
            hist.push(step(
                Dimension::Status,
                Some(status),
                "connected",
                t,
                TransitionKind::Advance,
            ));
            status = "connected";
        }
    }
    let advance = |r: &mut Rng,
                   hist: &mut Vec<Transition>,
                   t: &mut Timestamp,
                   stage: &mut &'static str,
                   to: &'static str,
                   kind| {
        *t += r.minutes(600.0, 30_000.0);
        hist.push(step(Dimension::Stage, Some(stage), to, *t, kind));
        *stage = to;
    };
    if stage == "subscriber" {
        advance(
            &mut r,
            &mut hist,
            &mut t,
            &mut stage,
            "lead",
            TransitionKind::Advance,
        );
    }
    let mut won = false;
    if r.chance(propensity) {
        advance(
            &mut r,
            &mut hist,
            &mut t,
            &mut stage,
            "mql",
            TransitionKind::Advance,
        );
        if r.chance(0.12) {
            // Recycled: back to lead, then qualified again.
            advance(
                &mut r,
                &mut hist,
                &mut t,
                &mut stage,
                "lead",
                TransitionKind::Recycle,
            );
            advance(
                &mut r,
                &mut hist,
                &mut t,
                &mut stage,
                "mql",
                TransitionKind::Advance,
            );
        }
        if status != "new" && r.chance(0.65) {
            if r.chance(0.2) {
                advance(
                    &mut r,
                    &mut hist,
                    &mut t,
                    &mut stage,
                    "sql",
                    TransitionKind::Skip,
                );
            } else {
                advance(
                    &mut r,
                    &mut hist,
                    &mut t,
                    &mut stage,
                    "sal",
                    TransitionKind::Advance,
                );
                if r.chance(0.7) {
                    advance(
                        &mut r,
                        &mut hist,
                        &mut t,
                        &mut stage,
                        "sql",
                        TransitionKind::Advance,
                    );
                }
            }
            if stage == "sql" {
                hist.push(step(
                    Dimension::Status,
                    Some(status),
                    "qualified",
                    t,
                    TransitionKind::Advance,
                ));
                status = "qualified";
                if r.chance(0.6) {
                    advance(
                        &mut r,
                        &mut hist,
                        &mut t,
                        &mut stage,
                        "opportunity",
                        TransitionKind::Advance,
                    );
                    hist.push(step(
                        Dimension::Status,
                        Some(status),
                        "converted",
                        t,
                        TransitionKind::Advance,
                    ));
                    status = "converted";
                    if r.chance(0.3) {
                        advance(
                            &mut r,
                            &mut hist,
                            &mut t,
                            &mut stage,
                            "customer",
                            TransitionKind::Advance,
                        );
                        won = true;
                    }
                }
            }
        }
    }
    // Leads nobody could qualify are parked or disqualified after a while; a few linger.
    if matches!(status, "new" | "attempting" | "connected") && r.chance(0.85) {
        t += r.minutes(2_880.0, 28_800.0);
        let to = *r.pick(&["unqualified", "nurture", "nurture"]);
        hist.push(step(
            Dimension::Status,
            Some(status),
            to,
            t,
            TransitionKind::Advance,
        ));
    } else if status == "qualified" && r.chance(0.5) {
        t += r.minutes(2_880.0, 28_800.0);
        hist.push(step(
            Dimension::Status,
            Some(status),
            "nurture",
            t,
            TransitionKind::Advance,
        ));
    }
    let opp_at = hist.iter().find(|h| h.to == "opportunity").map(|h| h.at);
    hist.retain(|h| h.at <= now);
    lead.activities.retain(|a| a.at <= now);
    lead.stage = hist
        .iter()
        .rev()
        .find(|h| h.dimension == Dimension::Stage)
        .map(|h| h.to.clone());
    lead.status = hist
        .iter()
        .rev()
        .find(|h| h.dimension == Dimension::Status)
        .map(|h| h.to.clone());
    lead.history = hist;
    let mut custom = Map::new();
    custom.insert(
        "budget".to_owned(),
        json!(*r.pick(&[5_000, 20_000, 80_000])),
    );
    lead.custom = custom;

    let opp = opp_at
        .filter(|at| *at <= now)
        .map(|at| opportunity(&mut r, &lead, at, won, now));
    (lead, opp)
}

fn opportunity(
    r: &mut Rng,
    lead: &Lead,
    created: Timestamp,
    won: bool,
    now: Timestamp,
) -> Opportunity {
    let amount = (*r.pick(&[8_000.0, 15_000.0, 24_000.0, 40_000.0, 75_000.0, 120_000.0])
        * (0.8 + 0.4 * r.unit()))
    .round();
    let (stage, probability, category, closed, is_won) = if won {
        ("Closed Won", 100.0, ForecastCategory::Closed, true, true)
    } else if r.chance(0.4) {
        ("Closed Lost", 0.0, ForecastCategory::Omitted, true, false)
    } else {
        *r.pick(&[
            (
                "Prospecting",
                10.0,
                ForecastCategory::Pipeline,
                false,
                false,
            ),
            (
                "Qualification",
                20.0,
                ForecastCategory::Pipeline,
                false,
                false,
            ),
            (
                "Needs Analysis",
                25.0,
                ForecastCategory::Pipeline,
                false,
                false,
            ),
            ("Proposal", 65.0, ForecastCategory::BestCase, false, false),
            ("Negotiation", 80.0, ForecastCategory::Commit, false, false),
        ])
    };
    let mut history = vec![step(
        Dimension::OpportunityStage,
        None,
        "Prospecting",
        created,
        TransitionKind::Initial,
    )];
    let closed_at = created + r.minutes(2_000.0, 80_000.0);
    if stage != "Prospecting" && closed_at <= now {
        history.push(step(
            Dimension::OpportunityStage,
            Some("Prospecting"),
            stage,
            closed_at,
            TransitionKind::Advance,
        ));
    }
    let reached = history
        .last()
        .map_or("Prospecting", |h| h.to.as_str())
        .to_owned();
    let (stage, probability, category, closed, is_won) = if reached == stage {
        (stage, probability, category, closed, is_won)
    } else {
        (
            "Prospecting",
            10.0,
            ForecastCategory::Pipeline,
            false,
            false,
        )
    };
    let close_date = if closed {
        closed_at
    } else {
        now + r.minutes(1_440.0, 130_000.0)
    };
    Opportunity {
        id: format!("O-{}", &lead.id[2..]),
        name: format!(
            "{} - new business",
            lead.company.as_deref().unwrap_or("Deal")
        ),
        account_id: format!("A-{}", &lead.id[2..]),
        primary_contact_id: None,
        amount: Some(amount),
        currency: Some("USD".to_owned()),
        close_date: Some(close_date.date_naive()),
        stage: stage.to_owned(),
        probability,
        forecast_category: category,
        is_closed: closed,
        is_won,
        lost_reason: (closed && !is_won).then(|| "no_budget".to_owned()),
        owner: lead.owner.clone(),
        source_lead_id: Some(lead.id.clone()),
        source: lead.source.clone(),
        campaign: lead.campaign.clone(),
        created_at: Some(created),
        history,
        activities: Vec::new(),
        custom: Map::new(),
        extra: Map::new(),
    }
}

/// A record as a JSONL line with its `record_type` (`lead` or `opportunity`).
pub fn tagged(record_type: &str, value: Value) -> Value {
    match value {
        Value::Object(mut m) => {
            m.insert(
                "record_type".to_owned(),
                Value::String(record_type.to_owned()),
            );
            Value::Object(m)
        }
        other => other,
    }
}

/// The standard sample: `n` leads created from 2026-05-15 over 123 days, as of
/// 2026-09-15T00:00:00Z, mid-way through the quarter (report it with `--period 2026-Q3`).
pub const SAMPLE_START: &str = "2026-05-15T00:00:00Z";
/// `now` of the standard sample.
pub const SAMPLE_NOW: &str = "2026-09-15T00:00:00Z";
/// Days over which the standard sample's leads are created.
pub const SAMPLE_DAYS: u32 = 123;

/// Pads a lead's history to at least `min` entries with extra touch cycles
/// (`attempting` <-> `connected` status changes) spread before its last entry, so
/// the current status and stage are unchanged. For scale tests that want N entries per lead.
pub fn pad_history(lead: &mut Lead, min: usize) {
    let Some(last) = lead.history.iter().map(|h| h.at).max() else {
        return;
    };
    let first = lead.created_at;
    let missing = min.saturating_sub(lead.history.len());
    let span = last.signed_duration_since(first).num_seconds().max(0);
    for k in 0..missing {
        let frac = i64::try_from(k + 1).unwrap_or(1);
        let at = first + TimeDelta::seconds(span * frac / i64::try_from(missing + 1).unwrap_or(1));
        let to = if k % 2 == 0 {
            "attempting"
        } else {
            "connected"
        };
        lead.history.push(step(
            Dimension::Status,
            None,
            to,
            at.min(last),
            TransitionKind::Advance,
        ));
    }
    // Stable: padding at the same instant as the last entry stays before it.
    lead.history.sort_by_key(|h| h.at);
}

/// Writes the standard sample as JSON Lines with `record_type`, lead then its
/// opportunity, every lead padded to `min_history` history entries (0: as
/// generated, about 5.5 on average); returns the number of lines written.
pub fn write_jsonl(
    out: &mut impl std::io::Write,
    seed: u64,
    n: u64,
    min_history: usize,
) -> crate::Result<u64> {
    let start = crate::time::parse_timestamp(SAMPLE_START)?;
    let now = crate::time::parse_timestamp(SAMPLE_NOW)?;
    let mut lines = 0;
    for i in 0..n {
        let (mut lead, opp) = lead(seed, i, start, SAMPLE_DAYS, now);
        pad_history(&mut lead, min_history);
        serde_json::to_writer(&mut *out, &tagged("lead", serde_json::to_value(&lead)?))?;
        out.write_all(b"\n")?;
        lines += 1;
        if let Some(o) = opp {
            serde_json::to_writer(&mut *out, &tagged("opportunity", serde_json::to_value(&o)?))?;
            out.write_all(b"\n")?;
            lines += 1;
        }
    }
    Ok(lines)
}
