//! Lifecycle: the `Pipeline` class (lead stage, lead status, opportunity stage)
//! and the history queries. Leads and opportunities are plain JS objects: each
//! mutator takes one and returns the updated copy with the transition it recorded.

use leadflow::lifecycle::{self, Change, ConfigFormat, TouchOutcome, history};
use leadflow::model::{Dimension, Transition};
use leadflow::{Lead, Opportunity, Timestamp};
use napi::Env;
use napi::bindgen_prelude::{Either, Unknown};
use napi_derive::napi;
use serde::Serialize;

use crate::errors::OrThrow;
use crate::values::{self, JsonInput};

/// A validated lifecycle configuration: stage ladder, status transitions and
/// opportunity stages. Immutable; share one per configuration.
#[napi]
#[derive(Debug)]
pub struct Pipeline {
    inner: lifecycle::Pipeline,
}

/// A lead after a move, with the transition recorded.
#[derive(Serialize)]
struct LeadMove<'a, T: Serialize> {
    lead: &'a Lead,
    transition: T,
}

#[derive(Serialize)]
struct LeadPlacement<'a> {
    lead: &'a Lead,
    transitions: &'a [Transition],
}

#[derive(Serialize)]
struct OpportunityMove<'a> {
    opportunity: &'a Opportunity,
    transition: &'a Transition,
}

fn change(env: &Env, value: &Unknown) -> napi::Result<Change> {
    values::value_from_js(env, value)
        .map_err(|e| e.with_field("change"))
        .or_throw(env)
}

fn lead_from(env: &Env, value: &Unknown) -> napi::Result<Lead> {
    values::record_from_js(env, Either::B(*value)).or_throw(env)
}

impl Pipeline {
    /// The core pipeline (for other modules' functions that take a `Pipeline`).
    pub(crate) fn core(&self) -> &lifecycle::Pipeline {
        &self.inner
    }
}

#[napi]
impl Pipeline {
    /// The built-in pipeline, or one from a configuration object or JSON text
    /// (missing sections take the defaults; unknown keys are `ConfigError`s).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "config?: LifecycleConfigInput | string"
    )]
    pub fn new(env: &Env, config: Option<JsonInput>) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let inner = match config {
                None => Ok(lifecycle::Pipeline::default()),
                Some(Either::A(text)) => lifecycle::Pipeline::from_str(&text, ConfigFormat::Json),
                Some(Either::B(value)) => values::stringify(env, &value)
                    .map_err(|e| leadflow::Error::config(e.message().to_owned()))
                    .and_then(|text| lifecycle::Pipeline::from_str(&text, ConfigFormat::Json)),
            }
            .or_throw(env)?;
            Ok(Pipeline { inner })
        })
    }

    /// Loads a `.json`, `.yaml`/`.yml` or `.toml` configuration file.
    #[napi(factory, catch_unwind)]
    pub fn from_path(env: &Env, path: String) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let inner = lifecycle::Pipeline::from_path(path).or_throw(env)?;
            Ok(Pipeline { inner })
        })
    }

    /// Parses a configuration text in `format` (`json`, `yaml` or `toml`).
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "text: string, format: ConfigFormat"
    )]
    pub fn from_string(env: &Env, text: String, format: String) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let inner = ConfigFormat::from_name(&format)
                .and_then(|f| lifecycle::Pipeline::from_str(&text, f))
                .or_throw(env)?;
            Ok(Pipeline { inner })
        })
    }

    /// The full configuration, defaults included.
    #[napi(getter, ts_return_type = "LifecycleConfig")]
    pub fn config<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        values::to_js(env, self.inner.config())
    }

    /// The lead stage ladder, earliest first.
    #[napi]
    pub fn stage_ladder(&self) -> Vec<String> {
        self.inner.stage_ladder().to_vec()
    }

    /// The definition of an opportunity stage, or `null` when there is none.
    #[napi(ts_return_type = "OpportunityStageDef | null")]
    pub fn opportunity_stage<'e>(&self, env: &'e Env, name: String) -> napi::Result<Unknown<'e>> {
        values::to_js(env, &self.inner.opportunity_stage(&name))
    }

    /// Gives a new lead its initial stage and status (fields already set are kept).
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, change: ChangeInput",
        ts_return_type = "{ lead: Lead; transitions: Transition[] }"
    )]
    pub fn place<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let ch = self::change(env, &change)?;
            let transitions = self.inner.place(&mut lead, &ch).or_throw(env)?;
            values::to_js(
                env,
                &LeadPlacement {
                    lead: &lead,
                    transitions: &transitions,
                },
            )
        })
    }

    /// Moves a lead forward (skips allowed, recorded as `skip`); backward moves
    /// are `InvalidTransition`: use `recycleStage`.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, to: string, change: ChangeInput",
        ts_return_type = "LeadMove"
    )]
    pub fn advance_stage<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        to: String,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let ch = self::change(env, &change)?;
            let t = self
                .inner
                .advance_stage(&mut lead, &to, &ch)
                .or_throw(env)?;
            values::to_js(
                env,
                &LeadMove {
                    lead: &lead,
                    transition: &t,
                },
            )
        })
    }

    /// Moves a lead back down the ladder; `change.reason` is required.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, to: string, change: ChangeInput",
        ts_return_type = "LeadMove"
    )]
    pub fn recycle_stage<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        to: String,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let ch = self::change(env, &change)?;
            let t = self
                .inner
                .recycle_stage(&mut lead, &to, &ch)
                .or_throw(env)?;
            values::to_js(
                env,
                &LeadMove {
                    lead: &lead,
                    transition: &t,
                },
            )
        })
    }

    /// Moves the working status along a configured transition (`nurture` needs a reason).
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, to: string, change: ChangeInput",
        ts_return_type = "LeadMove"
    )]
    pub fn set_status<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        to: String,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let ch = self::change(env, &change)?;
            let t = self.inner.set_status(&mut lead, &to, &ch).or_throw(env)?;
            values::to_js(
                env,
                &LeadMove {
                    lead: &lead,
                    transition: &t,
                },
            )
        })
    }

    /// Records a touch: an `attempt` counts up (and moves `new` to `attempting`),
    /// `connected` moves to `connected` and resets the count. `transition` is
    /// `null` when the status did not change.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, outcome: TouchOutcome, change: ChangeInput",
        ts_return_type = "{ lead: Lead; transition: Transition | null }"
    )]
    pub fn record_touch<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        outcome: Unknown,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let outcome: TouchOutcome = values::value_from_js(env, &outcome)
                .map_err(|e| e.with_field("outcome"))
                .or_throw(env)?;
            let ch = self::change(env, &change)?;
            let t = self
                .inner
                .record_touch(&mut lead, outcome, &ch)
                .or_throw(env)?;
            values::to_js(
                env,
                &LeadMove {
                    lead: &lead,
                    transition: &t,
                },
            )
        })
    }

    /// A new opportunity in the initial stage, with its `initial` history entry.
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, name: string, accountId: string, change: ChangeInput",
        ts_return_type = "Opportunity"
    )]
    pub fn open_opportunity<'e>(
        &self,
        env: &'e Env,
        id: String,
        name: String,
        account_id: String,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let ch = self::change(env, &change)?;
            let opp = self.inner.open_opportunity(id, name, account_id, &ch);
            values::to_js(env, &opp)
        })
    }

    /// Moves an opportunity to a stage, copying probability, forecast category
    /// and closed/won flags; Closed Lost, moving back and re-opening need a reason.
    #[napi(
        catch_unwind,
        ts_args_type = "opportunity: Opportunity, to: string, change: ChangeInput",
        ts_return_type = "{ opportunity: Opportunity; transition: Transition }"
    )]
    pub fn move_opportunity<'e>(
        &self,
        env: &'e Env,
        opportunity: Unknown,
        to: String,
        change: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut opp: Opportunity =
                values::record_from_js(env, Either::B(opportunity)).or_throw(env)?;
            let ch = self::change(env, &change)?;
            let t = self
                .inner
                .move_opportunity(&mut opp, &to, &ch)
                .or_throw(env)?;
            values::to_js(
                env,
                &OpportunityMove {
                    opportunity: &opp,
                    transition: &t,
                },
            )
        })
    }
}

fn history_of(env: &Env, history: &Unknown) -> napi::Result<Vec<Transition>> {
    values::value_from_js(env, history)
        .map_err(|e| e.with_field("history"))
        .or_throw(env)
}

fn dimension_of(env: &Env, dimension: &Unknown) -> napi::Result<Dimension> {
    values::value_from_js(env, dimension)
        .map_err(|e| e.with_field("dimension"))
        .or_throw(env)
}

fn time_of(env: &Env, now: &Unknown) -> napi::Result<Timestamp> {
    values::value_from_js(env, now)
        .map_err(|e| e.with_field("now"))
        .or_throw(env)
}

/// When the record first entered `state` (RFC 3339), or `null`.
#[napi(
    catch_unwind,
    ts_args_type = "history: Transition[], dimension: Dimension, state: string",
    ts_return_type = "Timestamp | null"
)]
pub fn entered_at<'e>(
    env: &'e Env,
    history: Unknown,
    dimension: Unknown,
    state: String,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let h = history_of(env, &history)?;
        let d = dimension_of(env, &dimension)?;
        values::to_js(env, &history::entered_at(&h, d, &state))
    })
}

/// When the record last entered `state` (RFC 3339), or `null`.
#[napi(
    catch_unwind,
    ts_args_type = "history: Transition[], dimension: Dimension, state: string",
    ts_return_type = "Timestamp | null"
)]
pub fn last_entered_at<'e>(
    env: &'e Env,
    history: Unknown,
    dimension: Unknown,
    state: String,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let h = history_of(env, &history)?;
        let d = dimension_of(env, &dimension)?;
        values::to_js(env, &history::last_entered_at(&h, d, &state))
    })
}

/// Days since the latest transition of `dimension` as of `now`, or `null`.
#[napi(
    catch_unwind,
    ts_args_type = "history: Transition[], dimension: Dimension, now: Timestamp | Date"
)]
pub fn time_in_current(
    env: &Env,
    history: Unknown,
    dimension: Unknown,
    now: Unknown,
) -> napi::Result<Option<f64>> {
    crate::errors::guard(env, || {
        let h = history_of(env, &history)?;
        let d = dimension_of(env, &dimension)?;
        let now = time_of(env, &now)?;
        Ok(history::time_in_current(&h, d, now))
    })
}

/// Days spent in each state of `dimension` up to `now`, summed over every visit.
#[napi(
    catch_unwind,
    ts_args_type = "history: Transition[], dimension: Dimension, now: Timestamp | Date",
    ts_return_type = "Record<string, number>"
)]
pub fn cumulative_time<'e>(
    env: &'e Env,
    history: Unknown,
    dimension: Unknown,
    now: Unknown,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let h = history_of(env, &history)?;
        let d = dimension_of(env, &dimension)?;
        let now = time_of(env, &now)?;
        values::to_js(env, &history::cumulative_time(&h, d, now))
    })
}

/// Every state visited in `dimension`, in order of first entry, with total days.
#[napi(
    catch_unwind,
    ts_args_type = "history: Transition[], dimension: Dimension, now: Timestamp | Date",
    ts_return_type = "StateTime[]"
)]
pub fn timeline<'e>(
    env: &'e Env,
    history: Unknown,
    dimension: Unknown,
    now: Unknown,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let h = history_of(env, &history)?;
        let d = dimension_of(env, &dimension)?;
        let now = time_of(env, &now)?;
        values::to_js(env, &history::timeline(&h, d, now))
    })
}
