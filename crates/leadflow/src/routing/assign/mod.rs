//! Lead assignment: ownership first, then ordered rules that pick a team (whose
//! strategy picks a rep), a rep or a queue, and a fallback queue so that no
//! lead is ever dropped.
//!
//! ```
//! use leadflow::routing::{Router, RoutingConfig, RoutingState, ConfigFormat};
//! use leadflow::{Lead, parse_timestamp};
//! let config = RoutingConfig::from_str(r#"{
//!   "fallback_queue": "unrouted",
//!   "reps": [{"id": "ana", "daily_cap": 1}, {"id": "ben"}],
//!   "teams": [{"name": "sales", "members": ["ana", "ben"]}],
//!   "rules": [{"name": "everyone", "assign": {"team": "sales"}}]
//! }"#, ConfigFormat::Json)?;
//! let router = Router::new(config)?;
//! let now = parse_timestamp("2026-03-02T09:00:00Z")?;
//! let leads = vec![Lead::new("L1", now), Lead::new("L2", now), Lead::new("L3", now)];
//! let (out, _state) = router.assign_batch(&leads, &RoutingState::default(), now);
//! let reps: Vec<_> = out.iter().map(|a| a.rep().unwrap_or("-")).collect();
//! assert_eq!(reps, ["ana", "ben", "ben"]); // ana is capped at 1 per day
//! # Ok::<(), leadflow::Error>(())
//! ```

mod capacity;
mod decision;
mod eligibility;
mod ownership;
mod round_robin;
mod rules;
mod weighted;

use std::fmt;
use std::sync::Arc;

pub use decision::{Assignee, Assignment, FallbackReason, RuleError, SkipReason, Skipped, Via};
pub use ownership::{AccountMatch, AccountMatcher, ExistingAccounts};
pub use weighted::simulate as simulate_weighted;

use eligibility::{Checks, skip_reason};

use super::condition::{LeadFacts, LeadView, ScriptHost};
use super::config::{Rep, RoutingConfig, Strategy, Target, Team};
use super::state::RoutingState;
use crate::error::Result;
use crate::model::Lead;
use crate::routing::ScriptConditions;
use crate::time::Timestamp;

/// A validated routing config, ready to assign leads. Cheap to share across threads.
#[derive(Clone)]
pub struct Router {
    config: RoutingConfig,
    matcher: Option<Arc<dyn AccountMatcher>>,
    scripts: Option<Arc<dyn ScriptHost>>,
}

impl fmt::Debug for Router {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Router")
            .field("config", &self.config)
            .field("matcher", &self.matcher.is_some())
            .field("scripts", &self.scripts.is_some())
            .finish()
    }
}

impl Router {
    /// Validates `config` (a `ConfigError` names the rule or path at fault).
    /// `script` conditions run in the sandboxed rhai host of the rules engine
    /// ([`ScriptConditions`]), compiled here once; a syntax error is a
    /// `ScriptError` naming the rule, the path (`rules[2].when`), line and column.
    pub fn new(config: RoutingConfig) -> Result<Self> {
        if config.has_scripts() {
            return Self::with_scripts(config, Arc::new(ScriptConditions::new()));
        }
        config.validate(None)?;
        Ok(Router {
            config,
            matcher: None,
            scripts: None,
        })
    }

    /// Like [`Router::new`], with your own script host for `script` conditions.
    pub fn with_scripts(config: RoutingConfig, scripts: Arc<dyn ScriptHost>) -> Result<Self> {
        config.validate(Some(scripts.as_ref()))?;
        Ok(Router {
            config,
            matcher: None,
            scripts: Some(scripts),
        })
    }

    /// Sets the account matcher used by `ownership`.
    #[must_use]
    pub fn with_account_matcher(mut self, matcher: Arc<dyn AccountMatcher>) -> Self {
        self.matcher = Some(matcher);
        self
    }

    pub fn config(&self) -> &RoutingConfig {
        &self.config
    }

    /// Derived segment, region and territories of a lead.
    pub fn facts(&self, lead: &Lead) -> LeadFacts {
        self.config.segmentation.facts(lead)
    }

    /// Assigns one lead; returns the decision and the next state (the input is untouched).
    pub fn assign(
        &self,
        lead: &Lead,
        state: &RoutingState,
        now: Timestamp,
    ) -> (Assignment, RoutingState) {
        let mut next = state.clone();
        let a = self.assign_mut(lead, &mut next, now);
        (a, next)
    }

    /// Assigns a batch; exactly the same as assigning one by one, in order.
    pub fn assign_batch(
        &self,
        leads: &[Lead],
        state: &RoutingState,
        now: Timestamp,
    ) -> (Vec<Assignment>, RoutingState) {
        let mut next = state.clone();
        let out = leads
            .iter()
            .map(|lead| self.assign_mut(lead, &mut next, now))
            .collect();
        (out, next)
    }

    /// Assigns one lead, updating `state` in place. Never fails: a lead nobody
    /// can take goes to the fallback queue with the reason.
    pub fn assign_mut(&self, lead: &Lead, state: &mut RoutingState, now: Timestamp) -> Assignment {
        let facts = self.facts(lead);
        let mut a = Assignment {
            lead_id: lead.id.clone(),
            assignee: Assignee::Queue(self.config.fallback_queue.clone()),
            via: Via::Fallback,
            rule: None,
            team: None,
            strategy: None,
            account_id: None,
            fallback_reason: None,
            reason: String::new(),
            eligible: Vec::new(),
            skipped: Vec::new(),
            rule_errors: Vec::new(),
            facts,
            at: now,
        };
        if self.by_ownership(lead, state, now, &mut a) {
            return a;
        }
        let view = LeadView::borrowing(lead, &a.facts).at(now);
        let rule = match rules::first_match(&self.config.rules, &view, self.scripts.as_deref()) {
            Ok(Some(rule)) => rule,
            Ok(None) => {
                a.fallback_reason = Some(FallbackReason::NoRuleMatched);
                a.reason = format!(
                    "no rule matched; sent to fallback queue {}",
                    self.config.fallback_queue
                );
                return a;
            }
            Err(e) => {
                // A later rule might catch the lead for the wrong reason (a catch-all):
                // stop here and let a human look at it.
                a.fallback_reason = Some(FallbackReason::ScriptError);
                a.reason = format!(
                    "the condition of rule {} failed ({}); sent to fallback queue {}",
                    e.rule, e.kind, self.config.fallback_queue
                );
                a.rule_errors.push(e);
                return a;
            }
        };
        a.rule = Some(rule.name.clone());
        match &rule.assign {
            Target::Queue(q) => {
                a.via = Via::Rule;
                a.assignee = Assignee::Queue(q.clone());
                a.reason = format!("rule {} sends the lead to queue {q}", rule.name);
            }
            Target::Rep(id) => {
                if let Some(rep) = self.config.rep(id) {
                    Self::try_rep(rep, rule.name.as_str(), state, now, &mut a);
                }
            }
            Target::Team(name) => {
                if let Some(team) = self.config.team(name) {
                    self.pick_in_team(team, &rule.name, state, now, &mut a);
                }
            }
        }
        if a.via == Via::Fallback {
            a.fallback_reason = Some(FallbackReason::NoEligibleRep);
            a.reason = match a.rule_errors.first() {
                Some(e) => format!(
                    "rule {} matched but its team could not pick a rep ({}: {}); sent to fallback queue {}",
                    rule.name, e.kind, e.message, self.config.fallback_queue
                ),
                None => format!(
                    "rule {} matched but no rep could take the lead; sent to fallback queue {}",
                    rule.name, self.config.fallback_queue
                ),
            };
        }
        a
    }

    /// The ownership step; true when it assigned the lead.
    fn by_ownership(
        &self,
        lead: &Lead,
        state: &mut RoutingState,
        now: Timestamp,
        a: &mut Assignment,
    ) -> bool {
        let (Some(policy), Some(matcher)) = (&self.config.ownership, &self.matcher) else {
            return false;
        };
        let Some(m) = matcher.match_account(lead) else {
            return false;
        };
        a.account_id = Some(m.account_id.clone());
        let Some(owner) = m.owner else {
            return false;
        };
        if let Some(rep) = self.config.rep(&owner) {
            let checks = Checks {
                caps: policy.respect_caps,
                territory: false,
            };
            if let Some(s) = skip_reason(rep, &a.facts, state, now, checks) {
                a.skipped.push(s);
                return false;
            }
            state.record(&rep.id, rep.time_zone, now);
        }
        // An owner the routing config does not list is still the owner: the lead goes
        // to them, without caps or availability (routing knows nothing about them).
        a.via = Via::Ownership;
        a.reason = format!("lead matches account {} owned by {owner}", m.account_id);
        a.assignee = Assignee::Rep(owner);
        true
    }

    fn try_rep(
        rep: &Rep,
        rule: &str,
        state: &mut RoutingState,
        now: Timestamp,
        a: &mut Assignment,
    ) {
        let checks = Checks {
            caps: true,
            territory: true,
        };
        if let Some(s) = skip_reason(rep, &a.facts, state, now, checks) {
            a.skipped.push(s);
            return;
        }
        state.record(&rep.id, rep.time_zone, now);
        a.via = Via::Rule;
        a.eligible.push(rep.id.clone());
        a.assignee = Assignee::Rep(rep.id.clone());
        a.reason = format!("rule {rule} assigns the lead to {}", rep.id);
    }

    fn pick_in_team(
        &self,
        team: &Team,
        rule: &str,
        state: &mut RoutingState,
        now: Timestamp,
        a: &mut Assignment,
    ) {
        a.team = Some(team.name.clone());
        a.strategy = Some(team.strategy);
        let checks = Checks {
            caps: true,
            territory: true,
        };
        for id in &team.members {
            let Some(rep) = self.config.rep(id) else {
                continue;
            };
            match skip_reason(rep, &a.facts, state, now, checks) {
                Some(s) => a.skipped.push(s),
                None => a.eligible.push(id.clone()),
            }
        }
        let eligible: Vec<&str> = a.eligible.iter().map(String::as_str).collect();
        let chosen = match team.strategy {
            Strategy::RoundRobin => round_robin::pick(team, &eligible, state),
            Strategy::Weighted => match weighted::pick(&self.config, team, &eligible, state) {
                Ok(chosen) => chosen,
                Err(e) => {
                    // The lead still lands in the fallback queue; the error says why.
                    a.rule_errors.push(RuleError::new(rule, &e));
                    None
                }
            },
            Strategy::LeastLoaded => capacity::pick(&self.config, team, &eligible, state, now),
        };
        let Some(chosen) = chosen else {
            return;
        };
        if let Some(rep) = self.config.rep(&chosen) {
            state.record(&rep.id, rep.time_zone, now);
        }
        a.via = Via::Rule;
        a.reason = format!(
            "rule {rule} sends the lead to team {} ({}): {chosen}",
            team.name,
            team.strategy.name()
        );
        a.assignee = Assignee::Rep(chosen);
    }
}

#[cfg(test)]
mod tests;
