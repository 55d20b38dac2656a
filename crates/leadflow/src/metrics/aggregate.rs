//! The mergeable accumulator behind every metric: `add_lead` / `add_opportunity`
//! record by record (streamed input), `merge` partials computed anywhere (threads,
//! Spark partitions), `finish` once. Memory grows with the number of groups
//! (sources, campaigns, owners, segments, statuses) and histogram buckets, not
//! with the number of leads; merging is exact, so any split gives the same report.

use serde::{Deserialize, Serialize};

use super::attribution::{AttributionAcc, AttributionReport, attribution_report};
use super::board::{BoardAcc, BoardReport, board_report};
use super::conversion::{ConversionGroup, StagePair, conversion_group};
use super::facts::LeadFacts;
use super::funnel::{FunnelCounts, FunnelReport, funnel_group};
use super::group::{Breakdown, Grouped, LeadKeys, Merge, slot};
use super::ladder::Ladder;
use super::options::MetricsConfig;
use super::pipeline::{
    PipelineAcc, PipelineReport, cents, check_hierarchy, closed_at, pipeline_report,
};
use super::profile::{Profile, current_status, first_touch};
use super::velocity::{SpeedBreakdown, VelocityAcc, VelocityReport, velocity_report};
use super::view::LeadView;
use crate::error::{Error, Result};
use crate::model::{Lead, MAX_AMOUNT, Opportunity};
use crate::time::Timestamp;

/// Order of the default working statuses on the board.
const STATUS_ORDER: [&str; 7] = [
    "new",
    "attempting",
    "connected",
    "qualified",
    "nurture",
    "unqualified",
    "converted",
];

/// Partial metrics over some leads and opportunities. Serializable, so partials
/// can travel between processes before they are merged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MetricsAccumulator {
    config: MetricsConfig,
    ladder: Ladder,
    cohort_rank: Option<usize>,
    mql_rank: usize,
    sql_rank: usize,
    leads: u64,
    opportunities: u64,
    funnel: Breakdown<FunnelCounts>,
    velocity: VelocityAcc,
    speed: SpeedBreakdown,
    board: BoardAcc,
    pipeline: PipelineAcc,
    attribution: super::attribution::AttributionAcc,
    pairs: Vec<StagePair>,
    /// Opportunities refused by `add_opportunity` (amount out of range or a sum
    /// overflow); they are in no figure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    errors: Vec<Error>,
    #[serde(skip)]
    scratch: Profile,
}

/// Everything, finished. Stable `snake_case` JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    /// Period label (`2026-Q3` or `first..last`) and its instants.
    pub period: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub now: Timestamp,
    /// Leads and opportunities read.
    pub leads: u64,
    pub opportunities: u64,
    pub funnel: FunnelReport,
    pub conversion: ConversionReport,
    pub velocity: VelocityReport,
    pub board: BoardReport,
    pub pipeline: PipelineReport,
    pub attribution: AttributionReport,
    /// Records left out of every figure, with why (an opportunity amount that
    /// cannot be summed exactly). Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Error>,
}

/// Conversion rates of the cohort for each stage pair, in total and per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionReport {
    pub cohort_stage: Option<String>,
    #[serde(flatten)]
    pub groups: Grouped<ConversionGroup>,
}

impl MetricsAccumulator {
    /// An empty accumulator; checks the options (ladder, stages, pairs, hierarchy, costs).
    pub fn new(config: MetricsConfig) -> Result<Self> {
        let o = &config.options;
        let ladder = Ladder::new(&o.ladder)?;
        let cohort_rank = o
            .cohort_stage
            .as_deref()
            .map(|s| ladder.require(s, "cohort_stage"))
            .transpose()?;
        let mql_rank = ladder.require(&o.mql_stage, "mql_stage")?;
        let sql_rank = ladder.require(&o.sql_stage, "sql_stage")?;
        let pairs = stage_pairs(&ladder, &o.conversions)?;
        check_hierarchy(&o.hierarchy)?;
        if !o.stall_days.is_finite() || o.stall_days < 0.0 {
            return Err(
                Error::config("stall_days must be a non-negative number").with_field("stall_days")
            );
        }
        // Every per-key cost sum is at most the total, so a total that fits in
        // cents means the report's sums cannot overflow.
        let mut total_cents: i64 = 0;
        for (i, c) in o.costs.iter().enumerate() {
            if (c.source.is_none() && c.campaign.is_none()) || !c.cost.is_finite() || c.cost < 0.0 {
                return Err(Error::config(
                    "a cost needs a source or a campaign and a non-negative amount",
                )
                .with_field(format!("costs[{i}]")));
            }
            total_cents = cents(c.cost)
                .filter(|_| c.cost <= MAX_AMOUNT)
                .and_then(|c| total_cents.checked_add(c))
                .ok_or_else(|| {
                    Error::config(format!(
                        "costs are beyond ±{MAX_AMOUNT:e} or their sum overflows"
                    ))
                    .with_field(format!("costs[{i}].cost"))
                })?;
        }
        let velocity = VelocityAcc::new(ladder.len(), pairs.len());
        Ok(MetricsAccumulator {
            config,
            ladder,
            cohort_rank,
            mql_rank,
            sql_rank,
            leads: 0,
            opportunities: 0,
            funnel: Breakdown::default(),
            velocity,
            speed: SpeedBreakdown::default(),
            board: BoardAcc::default(),
            pipeline: PipelineAcc::default(),
            attribution: AttributionAcc::default(),
            pairs,
            errors: Vec::new(),
            scratch: Profile::default(),
        })
    }

    /// An empty accumulator with the same configuration (one per partition or thread).
    #[must_use]
    pub fn empty_like(&self) -> Self {
        let mut e = self.clone();
        e.leads = 0;
        e.opportunities = 0;
        e.funnel = Breakdown::default();
        e.velocity = VelocityAcc::new(self.ladder.len(), self.pairs.len());
        e.speed = SpeedBreakdown::default();
        e.board = BoardAcc::default();
        e.pipeline = PipelineAcc::default();
        e.attribution = AttributionAcc::default();
        e
    }

    pub fn config(&self) -> &MetricsConfig {
        &self.config
    }

    /// Adds one lead (its history as of `now`).
    pub fn add_lead(&mut self, lead: &Lead) {
        self.add_facts(lead);
    }

    /// Adds one lead parsed as a [`LeadView`] (the fast path for JSON input);
    /// the same as [`add_lead`](Self::add_lead) on the equivalent [`Lead`].
    pub fn add_lead_view(&mut self, lead: &LeadView<'_>) {
        self.add_facts(lead);
    }

    /// Adds one lead from anything that provides the fields metrics read.
    pub fn add_facts<L: LeadFacts + ?Sized>(&mut self, lead: &L) {
        let MetricsConfig {
            period,
            now,
            options,
        } = &self.config;
        let (period, now) = (*period, *now);
        if lead.created_at() > now {
            return; // Did not exist yet at `now`.
        }
        self.leads += 1;
        let mut p = std::mem::take(&mut self.scratch);
        p.load(lead, &self.ladder, now);
        let keys = LeadKeys::of(lead, &options.segment_field);

        let in_cohort = match self.cohort_rank {
            None => period.contains(lead.created_at()),
            Some(r) => p.first_reach[r].is_some_and(|t| period.contains(t)),
        };
        if in_cohort {
            self.funnel.add(&keys, |c| c.add(p.max_rank));
            self.velocity.add(&p, &self.pairs);
        }

        if period.contains(lead.created_at()) {
            let touch = first_touch(lead, &options.touch_types, now);
            let sla = i64::from(options.sla_minutes) * 60;
            let created = lead.created_at();
            self.speed.total.add(created, touch, now, sla);
            slot(&mut self.speed.by_owner, keys.owner).add(created, touch, now, sla);
            slot(&mut self.speed.by_source, keys.source).add(created, touch, now, sla);
        }

        let created = u64::from(period.contains(lead.created_at()));
        let mql = u64::from(p.first_reach[self.mql_rank].is_some_and(|t| period.contains(t)));
        let sql = u64::from(p.first_reach[self.sql_rank].is_some_and(|t| period.contains(t)));
        if created + mql + sql > 0 {
            self.attribution.add(keys.source, keys.campaign, |s| {
                s.leads += created;
                s.mqls += mql;
                s.sqls += sql;
            });
        }

        if let Some((status, since)) = current_status(lead, now)
            && !options.closed_statuses.iter().any(|c| c == status)
        {
            slot(&mut self.board.owners, keys.owner).add(
                lead.id(),
                status,
                since,
                now,
                options.stall_days,
                options.stalled_limit,
            );
        }
        self.scratch = p;
    }

    /// Adds one opportunity, as it stands at `now`. An opportunity that cannot be
    /// counted exactly (see [`try_add_opportunity`](Self::try_add_opportunity))
    /// is left out and listed in the report's `errors`; the others still count.
    pub fn add_opportunity(&mut self, opp: &Opportunity) {
        if let Err(e) = self.try_add_opportunity(opp) {
            self.errors.push(e);
        }
    }

    /// Adds one opportunity, or refuses it with a `ValidationError` naming the
    /// record and `amount` when its amount is not finite, beyond
    /// ±[`MAX_AMOUNT`] or would overflow a money sum.
    /// Nothing is counted for a refused opportunity.
    pub fn try_add_opportunity(&mut self, opp: &Opportunity) -> Result<()> {
        let refuse = |why: &str| {
            Error::validation(format!("opportunity amount {why}"))
                .with_record(opp.id.clone())
                .with_field("amount")
        };
        let amount = opp.amount.unwrap_or(0.0);
        if !amount.is_finite() || amount.abs() > MAX_AMOUNT {
            return Err(refuse(&format!("is not finite or beyond ±{MAX_AMOUNT:e}")));
        }
        let (period, now) = (self.config.period, self.config.now);
        let won = opp.is_won
            && opp.is_closed
            && closed_at(opp, &period, now).is_some_and(|at| period.contains(at));
        let none = super::group::NONE_KEY;
        let (source, campaign) = (
            opp.source.as_deref().unwrap_or(none),
            opp.campaign.as_deref().unwrap_or(none),
        );
        let overflow = || refuse("makes a money sum overflow");
        let won_cents = if won {
            let c = cents(amount).ok_or_else(overflow)?;
            // Checked before the pipeline changes: an opportunity counts everywhere or nowhere.
            if !self.attribution.won_fits(source, campaign, c) {
                return Err(overflow());
            }
            Some(c)
        } else {
            None
        };
        self.pipeline.add(opp, &period, now).ok_or_else(overflow)?;
        if let Some(c) = won_cents {
            self.attribution.add_won(source, campaign, c);
        }
        self.opportunities += 1;
        Ok(())
    }

    /// Merges another partial with the same configuration (else a `ConfigError`).
    /// Money sums that would overflow saturate and add an entry to `errors`.
    pub fn merge(&mut self, other: &MetricsAccumulator) -> Result<()> {
        if self.config != other.config {
            return Err(Error::config(
                "cannot merge metrics computed with different configurations",
            ));
        }
        // Partials of one configuration always merge (callers rely on it), so an
        // overflow does not drop the partial: the sums saturate (never wrap) and
        // the report says so in `errors`.
        if !self.pipeline.merge_fits(&other.pipeline)
            || !self.attribution.merge_fits(&other.attribution)
        {
            self.errors.push(Error::validation(
                "money sums overflowed when merging partials: pipeline and attribution amounts are capped, not exact",
            ));
        }
        self.leads += other.leads;
        self.opportunities += other.opportunities;
        self.funnel.merge(&other.funnel);
        self.velocity.merge(&other.velocity);
        self.speed.merge(&other.speed);
        self.board.merge(&other.board);
        self.pipeline.merge(&other.pipeline);
        self.attribution.merge(&other.attribution);
        self.errors.extend(other.errors.iter().cloned());
        Ok(())
    }

    /// Checks that a partial read from elsewhere (deserialized) is consistent with
    /// its own configuration: the derived ladder, ranks and stage pairs are what the
    /// configuration gives, and the counters have the ladder's dimensions.
    pub(super) fn check_consistent(&self) -> Result<()> {
        let fresh = MetricsAccumulator::new(self.config.clone())?;
        let derived_ok = self.ladder == fresh.ladder
            && self.cohort_rank == fresh.cohort_rank
            && self.mql_rank == fresh.mql_rank
            && self.sql_rank == fresh.sql_rank
            && self.pairs == fresh.pairs;
        let stages = self.ladder.len();
        let v = &self.velocity;
        let dims_ok = v.latest.len() == stages
            && v.cumulative.len() == stages
            && v.stage_to_stage.len() == self.pairs.len();
        let f = &self.funnel;
        let funnel_ok = std::iter::once(&f.total)
            .chain(f.by_source.values())
            .chain(f.by_campaign.values())
            .chain(f.by_owner.values())
            .chain(f.by_segment.values())
            .all(|c| c.by_max_rank.len() <= stages);
        if derived_ok && dims_ok && funnel_ok {
            Ok(())
        } else {
            Err(Error::validation(
                "metrics partial does not match its own configuration (corrupted or from an incompatible version)",
            ))
        }
    }

    /// The finished report.
    pub fn finish(&self) -> MetricsReport {
        let o = &self.config.options;
        let ladder = &self.ladder;
        let status_order: Vec<String> = STATUS_ORDER.iter().map(|s| (*s).to_owned()).collect();
        MetricsReport {
            period: self.config.period.label(),
            from: self.config.period.from,
            to: self.config.period.to,
            now: self.config.now,
            leads: self.leads,
            opportunities: self.opportunities,
            funnel: FunnelReport {
                cohort_stage: o.cohort_stage.clone(),
                stages: ladder.names().to_vec(),
                groups: self.funnel.map(|k, c| funnel_group(k, c, ladder)),
            },
            conversion: ConversionReport {
                cohort_stage: o.cohort_stage.clone(),
                groups: self.funnel.map(|k, c| conversion_group(k, c, &self.pairs)),
            },
            velocity: velocity_report(
                &self.velocity,
                &self.speed,
                ladder,
                &self.pairs,
                o.sla_minutes,
            ),
            board: board_report(&self.board, o.stall_days, o.stalled_limit, &status_order),
            pipeline: pipeline_report(&self.pipeline, &o.hierarchy),
            attribution: attribution_report(&self.attribution, &o.costs),
            errors: self.errors.clone(),
        }
    }
}

fn stage_pairs(ladder: &Ladder, conversions: &[(String, String)]) -> Result<Vec<StagePair>> {
    if conversions.is_empty() {
        return Ok(ladder
            .names()
            .windows(2)
            .enumerate()
            .map(|(i, w)| StagePair {
                from: w[0].clone(),
                to: w[1].clone(),
                from_rank: i,
                to_rank: i + 1,
            })
            .collect());
    }
    conversions
        .iter()
        .enumerate()
        .map(|(i, (from, to))| {
            let field = format!("conversions[{i}]");
            let from_rank = ladder.require(from, &field)?;
            let to_rank = ladder.require(to, &field)?;
            if to_rank <= from_rank {
                return Err(
                    Error::config(format!("{to:?} is not after {from:?} on the ladder"))
                        .with_field(field),
                );
            }
            Ok(StagePair {
                from: from.clone(),
                to: to.clone(),
                from_rank,
                to_rank,
            })
        })
        .collect()
}

/// Computes every metric over in-memory records (for streams, use the accumulator).
pub fn compute<'a>(
    leads: impl IntoIterator<Item = &'a Lead>,
    opportunities: impl IntoIterator<Item = &'a Opportunity>,
    config: MetricsConfig,
) -> Result<MetricsReport> {
    let mut acc = MetricsAccumulator::new(config)?;
    for l in leads {
        acc.add_lead(l);
    }
    for o in opportunities {
        acc.add_opportunity(o);
    }
    Ok(acc.finish())
}

/// Like [`compute`], in parallel (rayon): one partial per chunk, then merged.
pub fn compute_parallel(
    leads: &[Lead],
    opportunities: &[Opportunity],
    config: MetricsConfig,
) -> Result<MetricsReport> {
    use rayon::prelude::*;
    let base = MetricsAccumulator::new(config)?;
    let leads_acc = leads
        .par_chunks(4_096)
        .map(|chunk| {
            let mut a = base.empty_like();
            for l in chunk {
                a.add_lead(l);
            }
            a
        })
        .reduce(
            || base.empty_like(),
            |mut a, b| {
                // Same configuration by construction, so merge cannot fail.
                let _ = a.merge(&b);
                a
            },
        );
    let mut acc = leads_acc;
    for o in opportunities {
        acc.add_opportunity(o);
    }
    Ok(acc.finish())
}
