//! What the metrics need from one lead's history, computed once per lead.

use super::facts::LeadFacts;
use super::ladder::Ladder;
use crate::model::Dimension;
use crate::time::Timestamp;

/// Per-lead facts derived from stage history as of `now`. Reused between leads
/// (the buffers are cleared, not reallocated), so a scan allocates nothing per lead.
#[derive(Debug, Clone, Default)]
pub(crate) struct Profile {
    /// First instant each stage (by rank) was reached. Reaching a stage implies
    /// every earlier stage, so a skip fills the skipped ranks with the same instant.
    pub first_reach: Vec<Option<Timestamp>>,
    /// Highest rank ever reached (recycling back does not lower it).
    pub max_rank: Option<usize>,
    /// Seconds of the latest completed visit to each stage.
    pub latest_secs: Vec<Option<i64>>,
    /// Seconds of all completed visits to each stage, summed.
    pub cumulative_secs: Vec<Option<i64>>,
    steps: Vec<(Timestamp, Option<usize>)>,
}

impl Profile {
    /// Loads `lead`'s stage history up to `now`. Entries after `now` are ignored;
    /// a lead without stage history but with a `stage` counts as having entered it
    /// at `created_at`. Stages not on the ladder end visits but are never reached.
    pub fn load<L: LeadFacts + ?Sized>(&mut self, lead: &L, ladder: &Ladder, now: Timestamp) {
        let n = ladder.len();
        self.first_reach.clear();
        self.first_reach.resize(n, None);
        self.latest_secs.clear();
        self.latest_secs.resize(n, None);
        self.cumulative_secs.clear();
        self.cumulative_secs.resize(n, None);
        self.max_rank = None;
        self.steps.clear();
        self.steps.extend(
            lead.history()
                .filter(|&(dim, _, at)| dim == Dimension::Stage && at <= now)
                .map(|(_, to, at)| (at, ladder.rank(to))),
        );
        if self.steps.is_empty()
            && let Some(stage) = lead.stage()
            && lead.created_at() <= now
        {
            self.steps.push((lead.created_at(), ladder.rank(stage)));
        }
        // History is appended in order; sort anyway (stable) so edited input stays correct.
        if !self.steps.is_sorted_by_key(|s| s.0) {
            self.steps.sort_by_key(|s| s.0);
        }
        for (i, &(at, rank)) in self.steps.iter().enumerate() {
            let Some(r) = rank else { continue };
            let from = self.max_rank.map_or(0, |m| m + 1);
            if from <= r {
                for slot in &mut self.first_reach[from..=r] {
                    *slot = Some(at);
                }
                self.max_rank = Some(r);
            }
            if let Some(&(end, _)) = self.steps.get(i + 1) {
                let secs = end.signed_duration_since(at).num_seconds();
                self.latest_secs[r] = Some(secs);
                let cum = self.cumulative_secs[r].get_or_insert(0);
                *cum = cum.saturating_add(secs);
            }
        }
    }
}

/// The lead's working status as of `now` and when it entered it: the latest
/// status history entry at or before `now`, else the `status` field since `created_at`.
pub(crate) fn current_status<L: LeadFacts + ?Sized>(
    lead: &L,
    now: Timestamp,
) -> Option<(&str, Timestamp)> {
    let mut best: Option<(&str, Timestamp)> = None;
    for (dim, to, t) in lead.history() {
        if dim == Dimension::Status && t <= now && best.is_none_or(|(_, at)| t >= at) {
            best = Some((to, t));
        }
    }
    best.or_else(|| {
        let created = lead.created_at();
        lead.status()
            .filter(|_| created <= now)
            .map(|s| (s, created))
    })
}

/// Instant of the lead's first touch (an activity of a touch type) at or after
/// `created_at` and at or before `now`.
pub(crate) fn first_touch<L: LeadFacts + ?Sized>(
    lead: &L,
    touch_types: &[String],
    now: Timestamp,
) -> Option<Timestamp> {
    let created = lead.created_at();
    lead.activities()
        .filter(|&(kind, at)| at >= created && at <= now && touch_types.iter().any(|t| t == kind))
        .map(|(_, at)| at)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lead, Transition, TransitionKind};
    use crate::time::parse_timestamp;

    fn ts(s: &str) -> Timestamp {
        parse_timestamp(s).unwrap()
    }

    fn step(to: &str, at: &str) -> Transition {
        Transition {
            dimension: Dimension::Stage,
            from: None,
            to: to.to_owned(),
            at: ts(at),
            kind: TransitionKind::Advance,
            actor: None,
            reason: None,
        }
    }

    #[test]
    fn skips_imply_earlier_stages_and_recycles_keep_the_max() {
        let mut lead = Lead::new("L", ts("2026-01-01T00:00:00Z"));
        lead.history = vec![
            step("lead", "2026-01-01T00:00:00Z"),
            step("sal", "2026-01-03T00:00:00Z"),  // skips mql
            step("lead", "2026-01-04T00:00:00Z"), // recycled
            step("sal", "2026-01-06T00:00:00Z"),
            step("sql", "2026-01-20T00:00:00Z"), // after now
        ];
        let ladder = Ladder::default();
        let mut p = Profile::default();
        p.load(&lead, &ladder, ts("2026-01-10T00:00:00Z"));
        assert_eq!(p.max_rank, ladder.rank("sal"));
        assert_eq!(p.first_reach[2], Some(ts("2026-01-03T00:00:00Z")));
        assert_eq!(p.first_reach[0], Some(ts("2026-01-01T00:00:00Z")));
        assert_eq!(p.first_reach[4], None);
        // lead: visits of 2 days then 2 days; sal: one completed visit of 1 day.
        assert_eq!(p.latest_secs[1], Some(2 * 86_400));
        assert_eq!(p.cumulative_secs[1], Some(4 * 86_400));
        assert_eq!(p.cumulative_secs[3], Some(86_400));
        assert_eq!(p.latest_secs[2], None);
    }
}
