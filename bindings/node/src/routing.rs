//! Routing: the `Router` class (assignment with an explicit, serializable
//! state), SLA reports (`SlaPolicy`), automation triggers (`Triggers`) and touch
//! recording (`recordActivity`). Configurations are objects, JSON text or files.

use std::sync::Arc;

use leadflow::lifecycle::ConfigFormat;
use leadflow::model::{Account, Activity, Contact};
use leadflow::routing::{
    self, Event, ExistingAccounts, RoutingConfig, RoutingState, SlaConfig, TouchPolicy,
    TriggerConfig, TriggerEngine, TriggerState,
};
use leadflow::{Lead, Record};
use napi::Env;
use napi::bindgen_prelude::{Either, Unknown};
use napi_derive::napi;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::OrThrow;
use crate::lifecycle::Pipeline;
use crate::pack::now_arg;
use crate::values::{self, JsonInput, Records};

/// A configuration given as an object or JSON text (a `ConfigError` when malformed).
fn config<T>(
    env: &Env,
    input: JsonInput,
    parse: fn(&str, ConfigFormat) -> leadflow::Result<T>,
) -> napi::Result<T> {
    let text = match input {
        Either::A(text) => text,
        Either::B(v) => values::stringify(env, &v)
            .map_err(|e| leadflow::Error::config(e.message().to_owned()))
            .or_throw(env)?,
    };
    parse(&text, ConfigFormat::Json).or_throw(env)
}

fn format(env: &Env, name: &str) -> napi::Result<ConfigFormat> {
    ConfigFormat::from_name(name).or_throw(env)
}

/// An optional argument parsed with serde (its default when absent), named in errors.
fn opt<T: DeserializeOwned + Default>(
    env: &Env,
    value: Option<&Unknown>,
    name: &str,
) -> napi::Result<T> {
    match value {
        None => Ok(T::default()),
        Some(v)
            if matches!(
                v.get_type()?,
                napi::ValueType::Undefined | napi::ValueType::Null
            ) =>
        {
            Ok(T::default())
        }
        Some(v) => values::value_from_js(env, v)
            .map_err(|e| e.with_field(name))
            .or_throw(env),
    }
}

fn lead_from(env: &Env, value: Unknown) -> napi::Result<Lead> {
    values::record_from_js(env, Either::B(value)).or_throw(env)
}

/// Assigns leads to reps, teams or queues; never drops a lead (nobody
/// eligible: the fallback queue, with the reason). Deterministic: the same
/// config, state, lead and `now` always give the same assignment.
#[napi]
#[derive(Debug)]
pub struct Router {
    inner: routing::Router,
}

#[derive(Serialize)]
struct Assigned<'a, T: Serialize> {
    assignment: T,
    state: &'a RoutingState,
}

#[derive(Serialize)]
struct AssignedMany<'a> {
    assignments: Vec<serde_json::Value>,
    state: &'a RoutingState,
}

/// `{accounts, contacts}` for ownership routing (account owners keep their accounts).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Existing {
    #[serde(default)]
    accounts: Vec<serde_json::Value>,
    #[serde(default)]
    contacts: Vec<serde_json::Value>,
}

impl Router {
    fn build(env: &Env, config: RoutingConfig, existing: Option<Unknown>) -> napi::Result<Self> {
        let mut inner = routing::Router::new(config).or_throw(env)?;
        if let Some(v) = existing {
            let e: Existing = values::value_from_js(env, &v)
                .map_err(|e| e.with_field("existing"))
                .or_throw(env)?;
            let accounts = e
                .accounts
                .into_iter()
                .enumerate()
                .map(|(i, a)| {
                    Account::from_value(a).map_err(|e| e.with_field(format!("accounts[{i}]")))
                })
                .collect::<leadflow::Result<Vec<_>>>()
                .or_throw(env)?;
            let contacts = e
                .contacts
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    Contact::from_value(c).map_err(|e| e.with_field(format!("contacts[{i}]")))
                })
                .collect::<leadflow::Result<Vec<_>>>()
                .or_throw(env)?;
            inner = inner.with_account_matcher(Arc::new(ExistingAccounts::new(accounts, contacts)));
        }
        Ok(Router { inner })
    }
}

#[napi]
impl Router {
    /// A router from a routing configuration (object or JSON text); `existing`
    /// accounts and contacts turn on ownership routing.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "config: RoutingConfigInput | string, existing?: { accounts?: Account[]; contacts?: Contact[] }"
    )]
    pub fn new(env: &Env, config: JsonInput, existing: Option<Unknown>) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let c = self::config(env, config, RoutingConfig::from_str)?;
            Self::build(env, c, existing)
        })
    }

    /// Loads a `.json`, `.yaml`/`.yml` or `.toml` routing configuration.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "path: string, existing?: { accounts?: Account[]; contacts?: Contact[] }"
    )]
    pub fn from_path(env: &Env, path: String, existing: Option<Unknown>) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let c = RoutingConfig::from_path(path).or_throw(env)?;
            Self::build(env, c, existing)
        })
    }

    /// Parses a routing configuration text in `format` (`json`, `yaml` or `toml`).
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "text: string, format: ConfigFormat, existing?: { accounts?: Account[]; contacts?: Contact[] }"
    )]
    pub fn from_string(
        env: &Env,
        text: String,
        format: String,
        existing: Option<Unknown>,
    ) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let f = self::format(env, &format)?;
            let c = RoutingConfig::from_str(&text, f).or_throw(env)?;
            Self::build(env, c, existing)
        })
    }

    /// The configuration, defaults included.
    #[napi(getter, ts_return_type = "RoutingConfig")]
    pub fn config<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        values::to_js(env, self.inner.config())
    }

    /// Segment, region and territories the configuration derives for a lead.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput",
        ts_return_type = "LeadFacts"
    )]
    pub fn facts<'e>(&self, env: &'e Env, lead: Unknown) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let lead = lead_from(env, lead)?;
            values::to_js(env, &self.inner.facts(&lead))
        })
    }

    /// Assigns one lead: `{assignment, state}`; store `state` for the next call
    /// (round-robin positions, capacity counts). The given state is not modified.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, state: RoutingState | null | undefined, now: Timestamp | Date",
        ts_return_type = "{ assignment: Assignment; state: RoutingState }"
    )]
    pub fn assign<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        state: Option<Unknown>,
        now: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let lead = lead_from(env, lead)?;
            let mut state: RoutingState = opt(env, state.as_ref(), "state")?;
            let now = now_arg(env, &now)?;
            let assignment = self.inner.assign_mut(&lead, &mut state, now);
            values::to_js(
                env,
                &Assigned {
                    assignment,
                    state: &state,
                },
            )
        })
    }

    /// Assigns leads in order (exactly as one by one): `{assignments, state}`; a
    /// lead that does not parse is an `{error}` entry and takes no turn.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: LeadInput[] | string, state: RoutingState | null | undefined, now: Timestamp | Date",
        ts_return_type = "{ assignments: Array<Assignment | ErrorEntry>; state: RoutingState }"
    )]
    pub fn assign_many<'e>(
        &self,
        env: &'e Env,
        leads: JsonInput,
        state: Option<Unknown>,
        now: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let records = Records::from_js(env, leads, "leads")
                .map_err(|e| e.with_field("leads"))
                .or_throw(env)?;
            let mut state: RoutingState = opt(env, state.as_ref(), "state")?;
            let now = now_arg(env, &now)?;
            let assignments = records
                .values()
                .into_iter()
                .map(|r| match r.and_then(Lead::from_value) {
                    Ok(lead) => serde_json::to_value(self.inner.assign_mut(&lead, &mut state, now)),
                    Err(error) => serde_json::to_value(serde_json::json!({ "error": error })),
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(leadflow::Error::from)
                .or_throw(env)?;
            values::to_js(
                env,
                &AssignedMany {
                    assignments,
                    state: &state,
                },
            )
        })
    }
}

/// Speed-to-lead and follow-up SLAs (business hours, segments).
#[napi]
#[derive(Debug)]
pub struct SlaPolicy {
    inner: SlaConfig,
}

#[napi]
impl SlaPolicy {
    /// An SLA configuration (object or JSON text).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "config: SlaConfigInput | string"
    )]
    pub fn new(env: &Env, config: JsonInput) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let inner = self::config(env, config, SlaConfig::from_str)?;
            inner.validate().or_throw(env)?;
            Ok(SlaPolicy { inner })
        })
    }

    /// The SLA report of one lead as of `now`.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, now: Timestamp | Date",
        ts_return_type = "SlaReport"
    )]
    pub fn evaluate<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        now: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let lead = lead_from(env, lead)?;
            let now = now_arg(env, &now)?;
            values::to_js(env, &self.inner.evaluate(&lead, now))
        })
    }
}

/// Automation triggers: events in, planned actions out (the host performs them).
#[napi]
#[derive(Debug)]
pub struct Triggers {
    inner: TriggerEngine,
}

#[derive(Serialize)]
struct Planned<'a> {
    actions: Vec<routing::PlannedAction>,
    state: &'a TriggerState,
}

#[napi]
impl Triggers {
    /// A trigger configuration (object or JSON text); cycles are refused here or
    /// as a `TriggerLoop` at evaluation.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "config: TriggerConfigInput | string"
    )]
    pub fn new(env: &Env, config: JsonInput) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let c = self::config(env, config, TriggerConfig::from_str)?;
            Ok(Triggers {
                inner: TriggerEngine::new(c).or_throw(env)?,
            })
        })
    }

    /// Plans the actions for `event` on `lead`: `{actions, state}`; keep `state`
    /// (one-shot triggers) for the next call.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, event: TriggerEvent, state?: TriggerState | null",
        ts_return_type = "{ actions: PlannedAction[]; state: TriggerState }"
    )]
    pub fn evaluate<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        event: Unknown,
        state: Option<Unknown>,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let lead = lead_from(env, lead)?;
            let event: Event = values::value_from_js(env, &event)
                .map_err(|e| e.with_field("event"))
                .or_throw(env)?;
            let mut state: TriggerState = opt(env, state.as_ref(), "state")?;
            let actions = self
                .inner
                .evaluate(&lead, &event, &mut state)
                .or_throw(env)?;
            values::to_js(
                env,
                &Planned {
                    actions,
                    state: &state,
                },
            )
        })
    }
}

#[derive(Serialize)]
struct Touched<'a> {
    lead: &'a Lead,
    result: routing::TouchResult,
}

/// Records an activity on a lead and moves its touch status by the policy
/// (`new -> attempting -> connected`, recycling after `max_attempts`):
/// `{lead, result}`. Atomic: on error the lead is unchanged.
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, activity: Activity, options?: { policy?: TouchPolicy; actor?: string } | null, pipeline?: Pipeline | null",
    ts_return_type = "{ lead: Lead; result: TouchResult }"
)]
pub fn record_activity<'e>(
    env: &'e Env,
    lead: Unknown,
    activity: Unknown,
    options: Option<Unknown>,
    pipeline: Option<&Pipeline>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let mut lead = lead_from(env, lead)?;
        let activity: Activity = values::value_from_js(env, &activity)
            .map_err(|e| e.with_field("activity"))
            .or_throw(env)?;
        let o: TouchOptions = opt(env, options.as_ref(), "options")?;
        let default = leadflow::lifecycle::Pipeline::default();
        let p = pipeline.map_or(&default, Pipeline::core);
        let actor = o.actor.as_deref().unwrap_or("system");
        let result = o
            .policy
            .record(p, &mut lead, activity, actor)
            .or_throw(env)?;
        values::to_js(
            env,
            &Touched {
                lead: &lead,
                result,
            },
        )
    })
}

#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TouchOptions {
    #[serde(default)]
    policy: TouchPolicy,
    #[serde(default)]
    actor: Option<String>,
}
