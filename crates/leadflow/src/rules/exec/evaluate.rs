//! `evaluate`: score, qualify and move a lead through the lifecycle by the
//! pack's thresholds. Every move is recorded in history with
//! `actor = "rule:<name>"` and the reason.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::lifecycle::{Change, Pipeline};
use crate::model::{Lead, Transition};
use crate::qualify::{self, Evidence, Framework, Policy, QualificationResult};
use crate::rules::pack::CompiledPack;
use crate::rules::result::{Grade, ScoreResult};
use crate::time::Timestamp;

/// What `evaluate` did to a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub score: ScoreResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<QualificationResult>,
    /// History entries added (placement and stage moves), in order.
    pub moves: Vec<Transition>,
}

/// A compiled qualification setup.
#[derive(Debug, Clone)]
pub(crate) struct Qualification {
    pub framework: Framework,
    pub policy: Policy,
}

pub(crate) fn qualification(
    spec: &crate::rules::define::manifest::QualificationSpec,
) -> Result<Qualification> {
    let framework =
        Framework::resolve(&spec.framework).map_err(|e| e.with_field("qualification"))?;
    let policy = spec
        .policy
        .clone()
        .unwrap_or_else(|| framework.default_policy());
    framework
        .check_policy(&policy)
        .map_err(|e| e.with_field("qualification.policy"))?;
    Ok(Qualification { framework, policy })
}

impl CompiledPack {
    /// Scores `lead`, evaluates the pack's qualification framework (if any), places
    /// an unplaced lead, and applies the pack's `lifecycle` thresholds in order, as
    /// of `now`. Results are written to the lead (`score`, `qualification`, `stage`,
    /// `history`). A converted lead is scored but never moved.
    pub fn evaluate(
        &self,
        lead: &mut Lead,
        pipeline: &Pipeline,
        now: Timestamp,
    ) -> Result<Evaluation> {
        self.evaluate_with(lead, pipeline, now, false)
    }

    /// [`evaluate`](Self::evaluate), with the score's explanation when `explain`
    /// is set (the lead is scored once either way).
    pub fn evaluate_with(
        &self,
        lead: &mut Lead,
        pipeline: &Pipeline,
        now: Timestamp,
        explain: bool,
    ) -> Result<Evaluation> {
        let score = self.score_lead(lead, now, explain)?;
        score.write_to(lead, self.id(), now);
        let qualification = match &self.0.qualification {
            Some(q) => {
                let ev = Evidence::from_lead(lead, &q.framework)?;
                let r = qualify::evaluate(&q.framework, &ev, &q.policy)?;
                lead.qualification = Some(r.to_state(now));
                Some(r)
            }
            None => None,
        };
        let mut moves = Vec::new();
        if lead.is_converted() || self.0.manifest.lifecycle.is_empty() {
            return Ok(Evaluation {
                score,
                qualification,
                moves,
            });
        }
        if lead.stage.is_none() {
            let ch = Change::new(now)
                .actor(format!("rule:{}", self.name()))
                .reason("placed by evaluate");
            moves.extend(pipeline.place(lead, &ch)?);
        }
        for rule in &self.0.manifest.lifecycle {
            let Some(reason) = threshold_met(rule, &score, qualification.as_ref())? else {
                continue;
            };
            let current = lead.stage.clone().unwrap_or_default();
            if !rule.from.is_empty() && !rule.from.contains(&current) {
                continue;
            }
            let target = pipeline.stage_rank(&rule.to).ok_or_else(|| {
                Error::not_found(format!(
                    "lifecycle rule `{}` targets unknown stage {:?}",
                    rule.name, rule.to
                ))
                .with_rule(rule.name.clone())
            })?;
            // Only forward: a lead already at or past the target stays where it is.
            if pipeline.stage_rank(&current).is_some_and(|c| c >= target) {
                continue;
            }
            let ch = Change::new(now)
                .actor(format!("rule:{}", rule.name))
                .reason(reason);
            moves.push(
                pipeline
                    .advance_stage(lead, &rule.to, &ch)
                    .map_err(|e| e.with_rule(rule.name.clone()))?,
            );
        }
        Ok(Evaluation {
            score,
            qualification,
            moves,
        })
    }
}

/// The reason text when every bound of `rule` holds, else `None`.
fn threshold_met(
    rule: &crate::rules::define::manifest::StageRuleSpec,
    s: &ScoreResult,
    q: Option<&QualificationResult>,
) -> Result<Option<String>> {
    let mut parts = Vec::new();
    if let Some(g) = &rule.min_grade {
        let min = Grade::parse(g).ok_or_else(|| {
            Error::config(format!("unknown grade {g:?}")).with_rule(rule.name.clone())
        })?;
        if s.grade > min {
            return Ok(None);
        }
        parts.push(format!("grade {} >= {}", s.grade.as_str(), min.as_str()));
    }
    for (bound, value, label) in [
        (rule.min_score, s.total, "score"),
        (rule.min_fit, s.fit, "fit"),
        (rule.min_engagement, s.engagement, "engagement"),
    ] {
        if let Some(b) = bound {
            if value < b {
                return Ok(None);
            }
            let shown = crate::rules::compile::render::rounded(value, &[b]);
            parts.push(format!("{label} {shown} >= {b}"));
        }
    }
    if let Some(want) = &rule.qualification {
        let Some(q) = q else {
            return Err(Error::config(
                "lifecycle rule needs a qualification outcome, but the pack has no `qualification`",
            )
            .with_rule(rule.name.clone()));
        };
        if q.outcome.as_str() != want {
            return Ok(None);
        }
        parts.push(format!("{} {}", q.framework, q.outcome.as_str()));
    }
    Ok(Some(if parts.is_empty() {
        "always".to_owned()
    } else {
        parts.join(" and ")
    }))
}
