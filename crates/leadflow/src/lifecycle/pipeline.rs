//! `Pipeline`: a validated lifecycle configuration with fast lookups, and the
//! lead stage moves.

use std::collections::HashMap;
use std::path::Path;

use serde_json::json;

use super::change::Change;
use super::config::{ConfigFormat, LifecycleConfig, parse_config};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Dimension, Lead, Transition, TransitionKind};

/// A validated lifecycle configuration. Immutable, cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Pipeline {
    config: LifecycleConfig,
    /// Ladder position of each on-ladder stage.
    stage_rank: HashMap<String, usize>,
}

impl Default for Pipeline {
    fn default() -> Self {
        // The built-in configuration is valid by construction (checked by a test).
        Self::build(LifecycleConfig::default())
    }
}

impl Pipeline {
    /// Validates a configuration and builds the pipeline.
    pub fn new(config: LifecycleConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self::build(config))
    }

    fn build(config: LifecycleConfig) -> Self {
        let stage_rank = config
            .lead_stages
            .ladder
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i))
            .collect();
        Pipeline { config, stage_rank }
    }

    /// Parses and validates a configuration text. Missing sections take the defaults.
    pub fn from_str(text: &str, format: ConfigFormat) -> Result<Self> {
        Self::new(parse_config(text, format)?)
    }

    /// Loads a `.json`, `.yaml`/`.yml` or `.toml` configuration file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| Error::from(e).with_file(file.clone()))?;
        let format = ConfigFormat::from_path(path)?;
        Self::from_str(&text, format).map_err(|e| e.with_file(file))
    }

    pub fn config(&self) -> &LifecycleConfig {
        &self.config
    }

    /// The lead stage ladder, earliest first (metrics use it to imply skipped stages).
    pub fn stage_ladder(&self) -> &[String] {
        &self.config.lead_stages.ladder
    }

    /// Position of a stage on the ladder; `None` for off-ladder or unknown stages.
    pub fn stage_rank(&self, stage: &str) -> Option<usize> {
        self.stage_rank.get(stage).copied()
    }

    pub fn is_stage(&self, stage: &str) -> bool {
        self.stage_rank.contains_key(stage)
            || self
                .config
                .lead_stages
                .off_ladder
                .iter()
                .any(|s| s == stage)
    }

    pub fn initial_stage(&self) -> &str {
        &self.config.lead_stages.initial
    }

    pub fn initial_status(&self) -> &str {
        &self.config.lead_statuses.initial
    }

    /// Gives a new lead its initial stage and status (with history entries); fields
    /// already set are left alone. Returns the transitions it recorded.
    pub fn place(&self, lead: &mut Lead, change: &Change) -> Result<Vec<Transition>> {
        ensure_open(lead)?;
        Ok(self.place_unchecked(lead, change))
    }

    pub(crate) fn place_unchecked(&self, lead: &mut Lead, change: &Change) -> Vec<Transition> {
        let mut out = Vec::new();
        if lead.stage.is_none() {
            let t = change.record(
                Dimension::Stage,
                None,
                self.initial_stage(),
                TransitionKind::Initial,
            );
            lead.stage = Some(t.to.clone());
            out.push(t);
        }
        if lead.status.is_none() {
            let t = change.record(
                Dimension::Status,
                None,
                self.initial_status(),
                TransitionKind::Initial,
            );
            lead.status = Some(t.to.clone());
            out.push(t);
        }
        lead.history.extend(out.iter().cloned());
        out
    }

    /// Moves a lead forward (skipping is allowed and recorded as `skip`), to or from
    /// an off-ladder stage. A backward move is refused: use [`recycle_stage`](Self::recycle_stage).
    pub fn advance_stage(&self, lead: &mut Lead, to: &str, change: &Change) -> Result<Transition> {
        let from = self.current_stage(lead)?;
        self.require_stage(lead, to)?;
        let kind = match (self.stage_rank(&from), self.stage_rank(to)) {
            _ if from == to => {
                return Err(refuse(
                    lead,
                    Dimension::Stage,
                    &from,
                    to,
                    "the lead is already in this stage",
                ));
            }
            (Some(a), Some(b)) if b < a => {
                return Err(refuse(
                    lead,
                    Dimension::Stage,
                    &from,
                    to,
                    "backward moves are recycles: use recycle_stage with a reason",
                ));
            }
            (Some(a), Some(b)) if b > a + 1 => TransitionKind::Skip,
            _ => TransitionKind::Advance,
        };
        change.ensure_in_order(&lead.id, &lead.history, Dimension::Stage, &from, to)?;
        Ok(self.commit_stage(lead, &from, to, kind, change))
    }

    /// Moves a lead back to an earlier stage; requires a reason (one of the configured
    /// `recycle_reasons`, when set).
    pub fn recycle_stage(&self, lead: &mut Lead, to: &str, change: &Change) -> Result<Transition> {
        let from = self.current_stage(lead)?;
        self.require_stage(lead, to)?;
        match (self.stage_rank(&from), self.stage_rank(to)) {
            (Some(a), Some(b)) if b < a => {}
            _ => {
                return Err(refuse(
                    lead,
                    Dimension::Stage,
                    &from,
                    to,
                    "a recycle moves back down the ladder; use advance_stage",
                ));
            }
        }
        let Some(reason) = change.reason_text() else {
            return Err(refuse(
                lead,
                Dimension::Stage,
                &from,
                to,
                "a recycle requires a reason",
            ));
        };
        if let Some(allowed) = &self.config.lead_stages.recycle_reasons
            && !allowed.iter().any(|r| r == reason)
        {
            return Err(refuse(
                lead,
                Dimension::Stage,
                &from,
                to,
                &format!("recycle reason {reason:?} is not one of {allowed:?}"),
            ));
        }
        change.ensure_in_order(&lead.id, &lead.history, Dimension::Stage, &from, to)?;
        Ok(self.commit_stage(lead, &from, to, TransitionKind::Recycle, change))
    }

    /// The lead's stage (the initial one when unplaced). Pure: a refused move must
    /// leave the lead untouched, so placing happens only on commit.
    fn current_stage(&self, lead: &Lead) -> Result<String> {
        ensure_open(lead)?;
        let stage = lead
            .stage
            .clone()
            .unwrap_or_else(|| self.initial_stage().to_owned());
        if !self.is_stage(&stage) {
            return Err(Error::validation(format!(
                "current stage {stage:?} is not in the pipeline"
            ))
            .with_record(lead.id.clone())
            .with_field("stage"));
        }
        Ok(stage)
    }

    fn require_stage(&self, lead: &Lead, to: &str) -> Result<()> {
        if self.is_stage(to) {
            return Ok(());
        }
        Err(Error::not_found(format!("unknown stage {to:?}"))
            .with_record(lead.id.clone())
            .with_details(json!({ "known": self.all_stages() })))
    }

    fn all_stages(&self) -> Vec<&str> {
        let s = &self.config.lead_stages;
        s.ladder
            .iter()
            .chain(&s.off_ladder)
            .map(String::as_str)
            .collect()
    }

    fn commit_stage(
        &self,
        lead: &mut Lead,
        from: &str,
        to: &str,
        kind: TransitionKind,
        change: &Change,
    ) -> Transition {
        self.place_unchecked(lead, change);
        let t = change.record(Dimension::Stage, Some(from), to, kind);
        lead.stage = Some(to.to_owned());
        lead.history.push(t.clone());
        t
    }
}

/// Refuses any change to a converted lead: it is read-only from then on.
pub(crate) fn ensure_open(lead: &Lead) -> Result<()> {
    match &lead.conversion {
        Some(c) => Err(Error::new(
            ErrorKind::InvalidTransition,
            "the lead is converted and read-only",
        )
        .with_record(lead.id.clone())
        .with_details(json!({ "converted_at": c.converted_at, "account_id": c.account_id }))),
        None => Ok(()),
    }
}

/// An `InvalidTransition` naming the record, the dimension and both states.
pub(crate) fn refuse(lead: &Lead, dimension: Dimension, from: &str, to: &str, why: &str) -> Error {
    refuse_id(&lead.id, dimension, from, to, why)
}

pub(crate) fn refuse_id(id: &str, dimension: Dimension, from: &str, to: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidTransition,
        format!("cannot move from {from:?} to {to:?}: {why}"),
    )
    .with_record(id.to_owned())
    .with_details(json!({ "dimension": dimension, "from": from, "to": to }))
}
