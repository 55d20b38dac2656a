//! Evaluating triggers: an event in, an ordered list of planned actions out.
//!
//! Actions that change the lead (stage, status, recycle) are applied to a
//! simulated copy and produce derived events, which are evaluated depth-first
//! right after the action, so the output is in causal order. A trigger that
//! would fire again inside its own chain is a `TriggerLoop` error naming the
//! chain; nothing is planned then. One-shot triggers fire once per lead, as
//! recorded in [`TriggerState`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::config::{ActionSpec, Direction, On, Recipient, Trigger, TriggerConfig};
use super::event::Event;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Lead, Record};
use std::sync::Arc;

use crate::routing::condition::{LeadView, ScriptHost};
use crate::routing::config::Target;
use crate::routing::scripts::Scripts;
use crate::routing::territory::Segmentation;

/// One-shot triggers that already fired, per lead id. Persisted by the host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerState {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fired: BTreeMap<String, BTreeSet<String>>,
}

/// A notification for the host to send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub to: Recipient,
    /// The resolved user id, when the role has one (`None`: e.g. the lead has no owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub template: String,
    /// Everything the message may need: the lead (as planned so far), the event, the trigger.
    pub context: Value,
}

/// A planned action, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SetStage {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
    },
    SetStatus {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        to: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Route {},
    Assign(Target),
    Convert {},
    /// Recycle the lead (and, for a closed opportunity, its primary contact).
    Recycle {
        reason: String,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact_id: Option<String>,
    },
    Notify(Notification),
}

/// An action with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedAction {
    pub lead_id: String,
    pub trigger: String,
    /// Triggers from the reported event to this one (last = `trigger`).
    pub chain: Vec<String>,
    /// The event that fired the trigger.
    pub event: Event,
    pub action: Action,
}

/// A validated trigger config.
#[derive(Debug, Clone)]
pub struct TriggerEngine {
    config: TriggerConfig,
    scripts: Scripts,
}

struct Run<'a> {
    lead: Lead,
    chain: Vec<String>,
    out: Vec<PlannedAction>,
    fired: BTreeSet<String>,
    already: Option<&'a BTreeSet<String>>,
}

impl TriggerEngine {
    /// Validates `config`; `script` conditions are compiled here, once, for the
    /// rules engine's sandbox ([`crate::routing::ScriptConditions`]).
    pub fn new(config: TriggerConfig) -> Result<Self> {
        Self::build(config, Scripts::default())
    }

    /// Like [`TriggerEngine::new`], with your own script host.
    pub fn with_scripts(config: TriggerConfig, host: Arc<dyn ScriptHost>) -> Result<Self> {
        Self::build(config, Scripts::with(host))
    }

    fn build(config: TriggerConfig, scripts: Scripts) -> Result<Self> {
        config.validate_with(&scripts)?;
        Ok(TriggerEngine { config, scripts })
    }

    pub fn config(&self) -> &TriggerConfig {
        &self.config
    }

    /// Plans the actions for `event` on `lead`. Updates `state` (one-shots) only on success.
    pub fn evaluate(
        &self,
        lead: &Lead,
        event: &Event,
        state: &mut TriggerState,
    ) -> Result<Vec<PlannedAction>> {
        let mut run = Run {
            lead: lead.clone(),
            chain: Vec::new(),
            out: Vec::new(),
            fired: BTreeSet::new(),
            already: state.fired.get(&lead.id),
        };
        self.fire(&mut run, event)?;
        let (out, fired) = (run.out, run.fired);
        if !fired.is_empty() {
            state
                .fired
                .entry(lead.id.clone())
                .or_default()
                .extend(fired);
        }
        Ok(out)
    }

    fn fire(&self, run: &mut Run<'_>, event: &Event) -> Result<()> {
        for (i, t) in self.config.triggers.iter().enumerate() {
            if !listens(&t.on, event) || !self.holds(i, t, &run.lead)? {
                continue;
            }
            if t.one_shot
                && (run.fired.contains(&t.name) || run.already.is_some_and(|f| f.contains(&t.name)))
            {
                continue;
            }
            if run.chain.contains(&t.name) || run.chain.len() >= self.config.max_depth {
                return Err(loop_error(
                    &run.lead.id,
                    &run.chain,
                    &t.name,
                    self.config.max_depth,
                ));
            }
            run.chain.push(t.name.clone());
            if t.one_shot {
                run.fired.insert(t.name.clone());
            }
            for spec in &t.actions {
                let derived = self.plan(run, t, spec, event);
                for ev in derived {
                    self.fire(run, &ev)?;
                }
            }
            run.chain.pop();
        }
        Ok(())
    }

    /// Whether the trigger's `when` holds; a failing script fails the whole
    /// evaluation (nothing is planned), naming the trigger and the path.
    fn holds(&self, i: usize, t: &Trigger, lead: &Lead) -> Result<bool> {
        let Some(c) = &t.when else { return Ok(true) };
        let view = LeadView::of(lead, &Segmentation::default().facts(lead));
        c.eval(&view, Some(&self.scripts)).map_err(|e| {
            e.with_rule(t.name.clone())
                .with_record(lead.id.clone())
                .with_field(format!("triggers[{i}].when"))
        })
    }

    /// Pushes the planned action (unless it changes nothing) and returns the events it causes.
    fn plan(&self, run: &mut Run<'_>, t: &Trigger, spec: &ActionSpec, event: &Event) -> Vec<Event> {
        let mut derived = Vec::new();
        let action = match spec {
            ActionSpec::SetStage(to) => {
                let Some(ev) = set(&mut run.lead.stage, to, true) else {
                    return derived;
                };
                derived.push(ev);
                Action::SetStage {
                    from: last_from(&derived),
                    to: to.clone(),
                }
            }
            ActionSpec::SetStatus { status, reason } => {
                let Some(ev) = set(&mut run.lead.status, status, false) else {
                    return derived;
                };
                derived.push(ev);
                Action::SetStatus {
                    from: last_from(&derived),
                    to: status.clone(),
                    reason: reason.clone(),
                }
            }
            ActionSpec::Recycle { reason, stage } => {
                let status = self.config.recycle_status.clone();
                derived.extend(set(&mut run.lead.status, &status, false));
                if let Some(s) = stage {
                    derived.extend(set(&mut run.lead.stage, s, true));
                }
                let contact_id = match event {
                    Event::OpportunityClosed { opportunity } => {
                        opportunity.primary_contact_id.clone()
                    }
                    _ => None,
                };
                if derived.is_empty() && contact_id.is_none() {
                    return derived;
                }
                Action::Recycle {
                    reason: reason.clone(),
                    status,
                    stage: stage.clone(),
                    contact_id,
                }
            }
            ActionSpec::Route {} => Action::Route {},
            ActionSpec::Assign(target) => Action::Assign(target.clone()),
            ActionSpec::Convert {} => Action::Convert {},
            ActionSpec::Notify { to, template } => Action::Notify(Notification {
                recipient: recipient(to, &run.lead, event),
                to: to.clone(),
                template: template.clone(),
                context: json!({"trigger": t.name, "lead": run.lead.to_value(), "event": event}),
            }),
        };
        run.out.push(PlannedAction {
            lead_id: run.lead.id.clone(),
            trigger: t.name.clone(),
            chain: run.chain.clone(),
            event: event.clone(),
            action,
        });
        derived
    }
}

/// Sets a stage or status on the simulated lead; the change event, or `None` when unchanged.
fn set(slot: &mut Option<String>, to: &str, stage: bool) -> Option<Event> {
    if slot.as_deref() == Some(to) {
        return None;
    }
    let from = slot.replace(to.to_owned());
    let to = to.to_owned();
    Some(if stage {
        Event::StageChanged { from, to }
    } else {
        Event::StatusChanged { from, to }
    })
}

fn last_from(events: &[Event]) -> Option<String> {
    match events.last() {
        Some(Event::StageChanged { from, .. } | Event::StatusChanged { from, .. }) => from.clone(),
        _ => None,
    }
}

fn recipient(to: &Recipient, lead: &Lead, event: &Event) -> Option<String> {
    match (to, event) {
        (Recipient::LeadOwner, _) => lead.owner.clone(),
        (Recipient::OpportunityOwner, Event::OpportunityClosed { opportunity }) => {
            opportunity.owner.clone()
        }
        (Recipient::AccountOwner, Event::AccountMatched { owner, .. }) => owner.clone(),
        (Recipient::User(id), _) => Some(id.clone()),
        _ => None,
    }
}

/// True when the event is one the trigger listens to and passes its filters.
fn listens(on: &On, event: &Event) -> bool {
    let opt = |want: &Option<String>, got: &Option<String>| want.is_none() || want == got;
    match (on, event) {
        (
            On::ScoreCrossed {
                threshold,
                direction,
            },
            Event::ScoreChanged { from, to },
        ) => match direction {
            Direction::Up => from.is_none_or(|f| f < *threshold) && *to >= *threshold,
            Direction::Down => from.is_some_and(|f| f >= *threshold) && *to < *threshold,
        },
        (On::StageChanged { from, to }, Event::StageChanged { from: f, to: t })
        | (On::StatusChanged { from, to }, Event::StatusChanged { from: f, to: t }) => {
            opt(from, f) && opt(to, &Some(t.clone()))
        }
        (On::SlaBreached { sla }, Event::SlaBreached { sla: s, .. }) => sla.is_none_or(|k| k == *s),
        (On::OpportunityClosed { won }, Event::OpportunityClosed { opportunity }) => {
            opportunity.is_closed && won.is_none_or(|w| w == opportunity.is_won)
        }
        (On::AccountMatched { customer }, Event::AccountMatched { is_customer, .. }) => {
            customer.is_none_or(|c| c == *is_customer)
        }
        _ => false,
    }
}

fn loop_error(lead: &str, chain: &[String], again: &str, max: usize) -> Error {
    let mut names: Vec<&str> = chain.iter().map(String::as_str).collect();
    names.push(again);
    let path = names.join(" -> ");
    let msg = if chain.iter().any(|c| c == again) {
        format!("trigger {again:?} would fire again on its own output: {path}")
    } else {
        format!("trigger chain longer than max_depth {max}: {path}")
    };
    Error::new(ErrorKind::TriggerLoop, msg)
        .with_record(lead.to_owned())
        .with_rule(again.to_owned())
        .with_details(json!({ "chain": names }))
}
