//! The activity pass compiled once per pack: the aggregates' activity kinds and
//! URL prefixes are interned when the pack is built, so a lead's activities are
//! each read once (kind looked up once, URL path tested once per prefix, age
//! computed once) and every aggregate then tests a few bits.
//!
//! The results are those of [`activity::aggregate`], bit for bit: the same
//! values are added in the same order (the property test below holds them to it).

use crate::bytes;
use crate::rules::input::activity::{self, Aggregate};
use crate::rules::input::lead_view::{ActivityView, LeadView};
use crate::time::Timestamp;

const MS_PER_DAY: f64 = 86_400_000.0;

/// One aggregate with its filter compiled to ids and bit masks.
#[derive(Debug, Clone)]
struct Planned {
    op: Op,
    /// Bit `i` set: kind `i` of the plan passes; `None`: every kind passes.
    kinds: Option<u64>,
    /// Bit of the URL prefix the activity's `meta.url` path must start with.
    prefix: Option<u64>,
    /// `meta` entries that must equal these strings (rare; tested directly).
    meta: Vec<(String, String)>,
    within_days: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Count,
    Any,
    Decayed(f64),
    /// Computed after the pass (days since the latest activity, or a record path).
    After,
}

/// The compiled activity pass of a pack.
#[derive(Debug, Clone)]
pub(crate) struct ActivityPlan {
    aggs: Vec<Aggregate>,
    planned: Vec<Planned>,
    kinds: Vec<Box<str>>,
    /// `tag` of each kind: most kinds an activity is not are told apart by one
    /// integer compare, so a lookup costs one string compare, not one per kind.
    kind_tags: Vec<u32>,
    prefixes: Vec<Box<str>>,
    /// Some aggregate walks the activities (not only record paths).
    walks: bool,
    /// More kinds or prefixes than the masks hold: run the reference pass.
    general: bool,
}

/// The mask bit of id `i` (0 past 64: such plans run the reference pass).
fn bit(i: usize) -> u64 {
    u32::try_from(i)
        .ok()
        .and_then(|i| 1u64.checked_shl(i))
        .unwrap_or(0)
}

/// Length, first and last byte of a kind, packed: equal kinds have equal tags.
fn tag(kind: &str) -> u32 {
    let b = kind.as_bytes();
    let len = u32::try_from(b.len().min(0xffff)).unwrap_or(0xffff);
    let edge = |i: Option<&u8>| u32::from(i.copied().unwrap_or(0));
    len | edge(b.first()) << 16 | edge(b.last()) << 24
}

fn intern(list: &mut Vec<Box<str>>, s: &str) -> usize {
    list.iter().position(|k| &**k == s).unwrap_or_else(|| {
        list.push(s.into());
        list.len() - 1
    })
}

impl ActivityPlan {
    pub fn new(aggs: &[Aggregate]) -> Self {
        let mut kinds = Vec::new();
        let mut prefixes = Vec::new();
        let mut planned = Vec::with_capacity(aggs.len());
        for agg in aggs {
            let (op, filter) = match agg {
                Aggregate::Count(f) => (Op::Count, Some(f)),
                Aggregate::Any(f) => (Op::Any, Some(f)),
                Aggregate::Decayed(f, h) => (Op::Decayed(*h), Some(f)),
                Aggregate::DaysSinceLast | Aggregate::DaysSincePath(_) => (Op::After, None),
            };
            let f = filter.cloned().unwrap_or_default();
            let mask = (!f.kinds.is_empty()).then(|| {
                f.kinds
                    .iter()
                    .map(|k| intern(&mut kinds, k))
                    .fold(0u64, |m, i| m | bit(i))
            });
            let prefix = f
                .url_prefix
                .as_deref()
                .map(|p| bit(intern(&mut prefixes, p)));
            planned.push(Planned {
                op,
                kinds: mask,
                prefix,
                meta: f.meta,
                within_days: f.within_days,
            });
        }
        ActivityPlan {
            walks: aggs
                .iter()
                .any(|a| !matches!(a, Aggregate::DaysSincePath(_))),
            general: kinds.len() > 64 || prefixes.len() > 64,
            aggs: aggs.to_vec(),
            planned,
            kind_tags: kinds.iter().map(|k| tag(k)).collect(),
            kinds,
            prefixes,
        }
    }

    pub fn len(&self) -> usize {
        self.aggs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.aggs.is_empty()
    }

    /// The aggregates of `lead` as of `now`; `out[i]` is the value of aggregate `i`.
    pub fn run<L: LeadView + ?Sized>(&self, lead: &L, now: Timestamp, out: &mut [f64]) {
        if self.general {
            return activity::aggregate(lead, now, &self.aggs, out);
        }
        out.fill(0.0);
        let mut latest: Option<Timestamp> = None;
        if self.walks {
            for act in lead.activities() {
                let at = act.at();
                if at > now {
                    continue;
                }
                if latest.is_none_or(|l| at > l) {
                    latest = Some(at);
                }
                self.add(&act, at, now, out);
            }
        }
        for (agg, slot) in self.aggs.iter().zip(out.iter_mut()) {
            activity::after_pass(agg, lead, latest, now, slot);
        }
    }

    /// Adds one activity (at or before `now`) to the walking aggregates.
    fn add<A: ActivityView>(&self, act: &A, at: Timestamp, now: Timestamp, out: &mut [f64]) {
        let t = tag(act.kind());
        let kind = act.kind().as_bytes();
        let kind_bit = self
            .kind_tags
            .iter()
            .zip(&self.kinds)
            .position(|(kt, k)| *kt == t && bytes::eq(k.as_bytes(), kind))
            .map_or(0, bit);
        let mut urls = 0u64;
        if !self.prefixes.is_empty()
            && let Some(url) = act.meta_str("url")
        {
            let path = activity::url_path(url).as_bytes();
            for (i, p) in self.prefixes.iter().enumerate() {
                if bytes::starts_with(path, p.as_bytes()) {
                    urls |= bit(i);
                }
            }
        }
        // The age in days, exactly as `time::days_between` computes it; only
        // when an aggregate the activity passes has a window or a decay.
        let mut age: Option<f64> = None;
        let mut days = || {
            *age.get_or_insert_with(|| {
                now.signed_duration_since(at).num_milliseconds() as f64 / MS_PER_DAY
            })
        };
        for (p, slot) in self.planned.iter().zip(out.iter_mut()) {
            if matches!(p.op, Op::After)
                || p.kinds.is_some_and(|m| m & kind_bit == 0)
                || p.prefix.is_some_and(|b| urls & b == 0)
                || p.within_days.is_some_and(|d| days() > d)
                || !meta_matches(&p.meta, act)
            {
                continue;
            }
            match p.op {
                Op::Count => *slot += 1.0,
                Op::Any => *slot = 1.0,
                Op::Decayed(h) => *slot += 0.5f64.powf(days().max(0.0) / h),
                Op::After => {}
            }
        }
    }
}

fn meta_matches<A: ActivityView>(meta: &[(String, String)], act: &A) -> bool {
    meta.iter()
        .all(|(k, v)| act.meta_str(k) == Some(v.as_str()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::model::{Activity, Lead};
    use crate::rules::input::activity::ActivityFilter;
    use crate::time::parse_timestamp;

    const KINDS: [&str; 5] = [
        "page_view",
        "email_open",
        "form_submit",
        "webinar",
        "custom_kind",
    ];
    const URLS: [&str; 5] = [
        "https://a.io/pricing/team",
        "/pricing",
        "/blog/x",
        "https://a.io",
        "pricing",
    ];

    fn now() -> Timestamp {
        parse_timestamp("2026-03-01T00:00:00Z").unwrap()
    }

    fn activity() -> impl Strategy<Value = Activity> {
        // Ages from 30 days after `now` to 400 days before, to the millisecond,
        // in two offsets (the same instant written two ways must count alike).
        (
            0..KINDS.len(),
            -30_000i64..400_000,
            prop::option::of(0..URLS.len()),
            any::<bool>(),
        )
            .prop_map(|(k, age_s, url, form)| {
                let at = now()
                    - chrono::TimeDelta::milliseconds(age_s * 86_400 / 1000 * 1000 + age_s % 997);
                let at = if age_s % 2 == 0 {
                    at
                } else {
                    at.with_timezone(&chrono::FixedOffset::east_opt(9 * 3600).unwrap())
                };
                let mut a = Activity::new(KINDS[k], at);
                if let Some(u) = url {
                    a = a.with_meta("url", URLS[u]);
                }
                if form {
                    a = a.with_meta("form", "demo");
                }
                a
            })
    }

    fn filter() -> impl Strategy<Value = ActivityFilter> {
        (
            prop::collection::vec(0..KINDS.len() + 1, 0..3),
            prop::option::of(prop::sample::select(vec![
                "/pricing", "/blog", "/", "pricing",
            ])),
            any::<bool>(),
            prop::option::of(prop::sample::select(vec![0.0, 0.5, 7.0, 30.0, 365.0])),
        )
            .prop_map(|(kinds, prefix, demo, within)| ActivityFilter {
                kinds: kinds
                    .into_iter()
                    .map(|k| KINDS.get(k).copied().unwrap_or("never_seen").to_owned())
                    .collect(),
                url_prefix: prefix.map(str::to_owned),
                meta: if demo {
                    vec![("form".into(), "demo".into())]
                } else {
                    Vec::new()
                },
                within_days: within,
            })
    }

    fn aggregate() -> impl Strategy<Value = Aggregate> {
        prop_oneof![
            filter().prop_map(Aggregate::Count),
            filter().prop_map(Aggregate::Any),
            (filter(), prop::sample::select(vec![1.0, 7.0, 30.0]))
                .prop_map(|(f, h)| Aggregate::Decayed(f, h)),
            Just(Aggregate::DaysSinceLast),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_plan_equals_the_reference_pass_bit_for_bit(
            acts in prop::collection::vec(activity(), 0..40),
            aggs in prop::collection::vec(aggregate(), 1..8),
        ) {
            let mut lead = Lead::new("L", parse_timestamp("2025-01-01T00:00:00Z").unwrap());
            lead.activities = acts;
            let mut want = vec![0.0; aggs.len()];
            let mut got = vec![f64::NAN; aggs.len()];
            activity::aggregate(&lead, now(), &aggs, &mut want);
            ActivityPlan::new(&aggs).run(&lead, now(), &mut got);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&got), bits(&want));
        }
    }

    #[test]
    #[allow(clippy::float_cmp)] // small integral counts are exact
    fn more_kinds_than_the_mask_holds_use_the_reference_pass() {
        let kinds: Vec<String> = (0..70).map(|i| format!("k{i}")).collect();
        let aggs: Vec<Aggregate> = kinds
            .iter()
            .map(|k| Aggregate::Count(ActivityFilter::kind(k)))
            .collect();
        let plan = ActivityPlan::new(&aggs);
        assert!(plan.general);
        let mut lead = Lead::new("L", now());
        lead.activities = vec![Activity::new("k69", now()), Activity::new("k3", now())];
        let mut out = vec![0.0; aggs.len()];
        plan.run(&lead, now(), &mut out);
        assert_eq!((out[69], out[3], out[0]), (1.0, 1.0, 0.0));
    }
}
