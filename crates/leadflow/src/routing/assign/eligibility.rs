//! Whether a rep can take a lead now: active, in territory, not away, under caps.

use crate::routing::condition::LeadFacts;
use crate::routing::config::{Bound, Period, Rep};
use crate::routing::state::RoutingState;
use crate::time::Timestamp;

use super::decision::{SkipReason, Skipped};

/// What to check; owners of matched accounts may be exempt from caps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checks {
    pub caps: bool,
    pub territory: bool,
}

/// `None` when `rep` can take the lead, else why not.
pub(crate) fn skip_reason(
    rep: &Rep,
    facts: &LeadFacts,
    state: &RoutingState,
    now: Timestamp,
    checks: Checks,
) -> Option<Skipped> {
    let skip = |reason, detail: String| {
        Some(Skipped {
            rep: rep.id.clone(),
            reason,
            detail,
        })
    };
    if !rep.active {
        return skip(SkipReason::Inactive, "rep is paused (active: false)".into());
    }
    if checks.territory
        && !rep.territories.is_empty()
        && !rep
            .territories
            .iter()
            .any(|t| facts.territories.contains(t))
    {
        // `covers a, b; lead is in c` (or `no territory`), written into one string.
        let mut detail = String::from("covers ");
        push_joined(&mut detail, &rep.territories);
        detail.push_str("; lead is in ");
        if facts.territories.is_empty() {
            detail.push_str("no territory");
        } else {
            push_joined(&mut detail, &facts.territories);
        }
        return skip(SkipReason::NotInTerritory, detail);
    }
    if let Some(p) = rep.out_of_office.iter().find(|p| is_away(rep, p, now)) {
        let why = p
            .reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        return skip(SkipReason::Away, format!("out of office{why}"));
    }
    if checks.caps {
        if let Some(cap) = rep.daily_cap {
            let n = state.day_count(&rep.id, &rep.time_zone, now);
            if n >= cap {
                let day = rep.time_zone.local_date(now);
                return skip(
                    SkipReason::DailyCap,
                    format!("{n} of {cap} leads on {day} ({})", rep.time_zone),
                );
            }
        }
        if let Some(cap) = rep.weekly_cap {
            let n = state.week_count(&rep.id, &rep.time_zone, now);
            if n >= cap {
                let week = rep.time_zone.week_start(now);
                return skip(
                    SkipReason::WeeklyCap,
                    format!(
                        "{n} of {cap} leads in the week of {week} ({})",
                        rep.time_zone
                    ),
                );
            }
        }
    }
    None
}

fn push_joined(out: &mut String, items: &[String]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(item);
    }
}

fn is_away(rep: &Rep, p: &Period, now: Timestamp) -> bool {
    let local = rep.time_zone.local_date(now);
    let started = match p.start {
        Bound::Date(d) => local >= d,
        Bound::Instant(t) => now >= t,
    };
    let not_ended = match p.end {
        Bound::Date(d) => local <= d,
        Bound::Instant(t) => now < t,
    };
    started && not_ended
}
