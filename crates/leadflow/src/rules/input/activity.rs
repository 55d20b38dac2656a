//! Activity aggregates (counts, flags, time-decayed sums, recency), computed
//! natively in one pass over a lead's activities as of an explicit `now`.

use serde_json::Value;

#[cfg(test)]
use crate::model::{Activity, Lead};
use crate::rules::input::lead_view::{ActivityView, LeadView};
use crate::time::{Timestamp, days_between, parse_timestamp, whole_days_between};

/// Which activities an aggregate looks at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    /// Activity types; empty means every type.
    pub kinds: Vec<String>,
    /// `meta.url` path prefix (`/pricing` matches `https://x.io/pricing/team`).
    pub url_prefix: Option<String>,
    /// `meta` entries that must equal these strings.
    pub meta: Vec<(String, String)>,
    /// Only activities at most this many days before `now`.
    pub within_days: Option<f64>,
}

impl ActivityFilter {
    pub fn kind(kind: &str) -> Self {
        ActivityFilter {
            kinds: vec![kind.to_owned()],
            ..ActivityFilter::default()
        }
    }

    /// Whether `a` (already known to be at or before `now`) passes the filter.
    pub(crate) fn matches<A: ActivityView>(&self, a: &A, now: Timestamp) -> bool {
        if !self.kinds.is_empty() && !self.kinds.iter().any(|k| k == a.kind()) {
            return false;
        }
        if let Some(prefix) = &self.url_prefix
            && !a
                .meta_str("url")
                .is_some_and(|u| url_path(u).starts_with(prefix.as_str()))
        {
            return false;
        }
        if !self
            .meta
            .iter()
            .all(|(k, v)| a.meta_str(k) == Some(v.as_str()))
        {
            return false;
        }
        match self.within_days {
            Some(d) => days_between(a.at(), now) <= d,
            None => true,
        }
    }
}

/// An aggregate over activities.
#[derive(Debug, Clone, PartialEq)]
pub enum Aggregate {
    Count(ActivityFilter),
    Any(ActivityFilter),
    /// Sum of `0.5 ^ (age_days / half_life)` over matching activities.
    Decayed(ActivityFilter, f64),
    /// Whole days since the latest activity at or before `now`, else since `created_at`.
    DaysSinceLast,
    /// Whole days since the timestamp at a record path (0 when missing or invalid).
    DaysSincePath(Vec<String>),
}

/// The path of a URL (`https://a.io/pricing?x` -> `/pricing?x`); a bare path is returned as is.
pub fn url_path(url: &str) -> &str {
    // `url.find("://")` without building a substring searcher per activity.
    let b = url.as_bytes();
    let scheme_end = memchr::memchr_iter(b':', b).find(|&i| b[i + 1..].starts_with(b"//"));
    match scheme_end {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => url,
    }
}

/// Computes `aggs` for `lead` as of `now` in a single pass; `out[i]` is the value of `aggs[i]`.
pub(crate) fn aggregate<L: LeadView + ?Sized>(
    lead: &L,
    now: Timestamp,
    aggs: &[Aggregate],
    out: &mut [f64],
) {
    out.fill(0.0);
    let mut latest: Option<Timestamp> = None;
    let walks = aggs
        .iter()
        .any(|a| !matches!(a, Aggregate::DaysSincePath(_)));
    if walks {
        for act in lead.activities().filter(|a| a.at() <= now) {
            let at = act.at();
            if latest.is_none_or(|l| at > l) {
                latest = Some(at);
            }
            for (agg, slot) in aggs.iter().zip(out.iter_mut()) {
                match agg {
                    Aggregate::Count(f) if f.matches(&act, now) => *slot += 1.0,
                    Aggregate::Any(f) if f.matches(&act, now) => *slot = 1.0,
                    Aggregate::Decayed(f, h) if f.matches(&act, now) => {
                        *slot += 0.5f64.powf(days_between(at, now).max(0.0) / h);
                    }
                    _ => {}
                }
            }
        }
    }
    for (agg, slot) in aggs.iter().zip(out.iter_mut()) {
        after_pass(agg, lead, latest, now, slot);
    }
}

/// The aggregates computed after the activity pass: days since the `latest`
/// activity (else since `created_at`), or since a timestamp at a record path.
pub(crate) fn after_pass<L: LeadView + ?Sized>(
    agg: &Aggregate,
    lead: &L,
    latest: Option<Timestamp>,
    now: Timestamp,
    slot: &mut f64,
) {
    match agg {
        Aggregate::DaysSinceLast => {
            *slot = whole_days_between(latest.unwrap_or(lead.created_at()), now) as f64;
        }
        Aggregate::DaysSincePath(path) => {
            *slot = lookup_path(lead, path)
                .and_then(Value::as_str)
                .and_then(|s| parse_timestamp(s).ok())
                .map_or(0.0, |t| whole_days_between(t, now) as f64);
        }
        _ => {}
    }
}

/// A record value by path: `custom.x...`, `extra.x...`, or a top-level unknown field.
pub(crate) fn lookup_path<'a, L: LeadView + ?Sized>(
    lead: &'a L,
    path: &[String],
) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let (mut cur, rest) = match first.as_str() {
        "custom" => (lead.custom(rest.first()?)?, &rest[1..]),
        "extra" => (lead.extra(rest.first()?)?, &rest[1..]),
        other => (lead.extra(other).or_else(|| lead.custom(other))?, rest),
    };
    for key in rest {
        cur = cur.get(key)?;
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp as ts;

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://a.io/pricing?x=1"), "/pricing?x=1");
        assert_eq!(url_path("https://a.io"), "/");
        assert_eq!(url_path("/pricing/team"), "/pricing/team");
        assert_eq!(url_path("a:b://c/d"), "/d");
        assert_eq!(url_path("x:"), "x:");
        assert_eq!(url_path("x:/"), "x:/");
    }

    proptest::proptest! {
        /// The scan finds the scheme as `str::find("://")` does.
        #[test]
        fn url_path_splits_where_find_does(url in "[a-z:/.é]{0,16}") {
            let reference = match url.find("://") {
                Some(i) => {
                    let rest = &url[i + 3..];
                    rest.find('/').map_or("/", |j| &rest[j..])
                }
                None => url.as_str(),
            };
            proptest::prop_assert_eq!(url_path(&url), reference);
        }
    }

    #[test]
    #[allow(clippy::float_cmp)] // small integral counts are exact
    fn one_pass_aggregates_ignore_future_activities() {
        let now = ts("2026-03-01T00:00:00Z").unwrap();
        let mut lead = Lead::new("L", ts("2026-01-01T00:00:00Z").unwrap());
        let at = |s| ts(s).unwrap();
        lead.activities = vec![
            Activity::new("page_view", at("2026-02-20T00:00:00Z")).with_meta("url", "/pricing"),
            Activity::new("page_view", at("2026-02-27T12:00:00Z")).with_meta("url", "/blog"),
            Activity::new("form_submit", at("2026-02-10T00:00:00Z")).with_meta("form", "demo"),
            Activity::new("page_view", at("2026-04-01T00:00:00Z")),
        ];
        let pv = Aggregate::Count(ActivityFilter::kind("page_view"));
        let pricing = Aggregate::Count(ActivityFilter {
            url_prefix: Some("/pricing".into()),
            ..ActivityFilter::kind("page_view")
        });
        let demo = Aggregate::Any(ActivityFilter {
            meta: vec![("form".into(), "demo".into())],
            ..ActivityFilter::kind("form_submit")
        });
        let mut out = [0.0; 4];
        aggregate(
            &lead,
            now,
            &[pv, pricing, demo, Aggregate::DaysSinceLast],
            &mut out,
        );
        assert_eq!(out, [2.0, 1.0, 1.0, 1.0]);
        lead.activities.clear();
        aggregate(&lead, now, &[Aggregate::DaysSinceLast], &mut out[..1]);
        assert!((out[0] - 59.0).abs() < f64::EPSILON);
    }
}
