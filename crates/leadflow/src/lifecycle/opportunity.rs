//! Opportunity sales stages: probability, forecast category and closing.

use serde_json::Map;

use super::change::Change;
use super::config::OpportunityStageDef;
use super::pipeline::{Pipeline, refuse_id};
use crate::error::{Error, Result};
use crate::model::{Dimension, Opportunity, Transition, TransitionKind};

impl Pipeline {
    /// The definition of an opportunity stage.
    pub fn opportunity_stage(&self, name: &str) -> Option<&OpportunityStageDef> {
        self.config()
            .opportunity_stages
            .stages
            .iter()
            .find(|d| d.name == name)
    }

    fn opportunity_rank(&self, name: &str) -> Option<usize> {
        self.config()
            .opportunity_stages
            .stages
            .iter()
            .position(|d| d.name == name)
    }

    /// A new opportunity in the initial stage, with its probability, forecast
    /// category and an `initial` history entry.
    pub fn open_opportunity(
        &self,
        id: impl Into<String>,
        name: impl Into<String>,
        account_id: impl Into<String>,
        change: &Change,
    ) -> Opportunity {
        let cfg = &self.config().opportunity_stages;
        // `initial` is validated to name an open stage.
        let def = self
            .opportunity_stage(&cfg.initial)
            .unwrap_or(&cfg.stages[0]);
        Opportunity {
            id: id.into(),
            name: name.into(),
            account_id: account_id.into(),
            primary_contact_id: None,
            amount: None,
            currency: None,
            close_date: None,
            stage: def.name.clone(),
            probability: def.probability,
            forecast_category: def.forecast_category,
            is_closed: false,
            is_won: false,
            lost_reason: None,
            owner: None,
            source_lead_id: None,
            source: None,
            campaign: None,
            created_at: Some(change.at),
            history: vec![change.record(
                Dimension::OpportunityStage,
                None,
                &def.name,
                TransitionKind::Initial,
            )],
            activities: Vec::new(),
            custom: Map::new(),
            extra: Map::new(),
        }
    }

    /// Moves an opportunity to a stage and copies the stage's probability, forecast
    /// category and closed/won flags. Backward moves between open stages, re-opening
    /// a closed deal and entering a stage that `requires_reason` (Closed Lost) all
    /// need a reason; a lost reason is stored on the deal.
    pub fn move_opportunity(
        &self,
        opp: &mut Opportunity,
        to: &str,
        change: &Change,
    ) -> Result<Transition> {
        let from = opp.stage.clone();
        let Some(def) = self.opportunity_stage(to) else {
            let known: Vec<&str> = self
                .config()
                .opportunity_stages
                .stages
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            return Err(
                Error::not_found(format!("unknown opportunity stage {to:?}"))
                    .with_record(opp.id.clone())
                    .with_details(serde_json::json!({ "known": known })),
            );
        };
        let dim = Dimension::OpportunityStage;
        let Some(from_rank) = self.opportunity_rank(&from) else {
            return Err(Error::validation(format!(
                "current stage {from:?} is not in the pipeline"
            ))
            .with_record(opp.id.clone())
            .with_field("stage"));
        };
        if from == to {
            return Err(refuse_id(
                &opp.id,
                dim,
                &from,
                to,
                "the opportunity is already in this stage",
            ));
        }
        let to_rank = self.opportunity_rank(to).unwrap_or(from_rank);
        let kind = if opp.is_closed {
            TransitionKind::Reopen
        } else if def.is_closed {
            TransitionKind::Advance
        } else if to_rank < from_rank {
            TransitionKind::Recycle
        } else if to_rank > from_rank + 1 {
            TransitionKind::Skip
        } else {
            TransitionKind::Advance
        };
        let needs_reason =
            def.requires_reason || matches!(kind, TransitionKind::Reopen | TransitionKind::Recycle);
        if needs_reason && change.reason_text().is_none() {
            let why = match kind {
                TransitionKind::Reopen => "re-opening a closed opportunity requires a reason",
                TransitionKind::Recycle => "moving an opportunity back requires a reason",
                _ => "this stage requires a reason",
            };
            return Err(refuse_id(&opp.id, dim, &from, to, why));
        }
        change.ensure_in_order(&opp.id, &opp.history, dim, &from, to)?;
        let t = change.record(dim, Some(&from), to, kind);
        opp.stage.clone_from(&def.name);
        opp.probability = def.probability;
        opp.forecast_category = def.forecast_category;
        opp.is_closed = def.is_closed;
        opp.is_won = def.is_won;
        opp.lost_reason = if def.is_closed && !def.is_won {
            change.reason_text().map(str::to_owned)
        } else {
            None
        };
        opp.history.push(t.clone());
        Ok(t)
    }
}
