//! Script conditions for routing rules, SLA policies and triggers: the
//! sandboxed rhai [`ScriptHost`] that `Router::new`, `SlaConfig` and
//! `TriggerEngine::new` use by default.
//!
//! Each expression is compiled once (at `check`, i.e. when the config is
//! validated) and cached by source; `eval` only looks the AST up. The engine is
//! the rule packs' sandbox with the same default limits: no modules, files,
//! network, `eval` or clock; `print` / `debug` go to a bounded [`ScriptLog`].
//!
//! The script sees `lead` (the lead as JSON, with the derived facts `segment`,
//! `region`, `territory` and `email_domain` added unless the lead has its own
//! field of that name) and `facts` (the derived facts alone), and must return
//! a bool.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use rhai::{AST, ASTNode, Dynamic, Engine, EvalAltResult, Expr, Position, Scope};

use crate::error::{Error, ErrorKind, Result};
use crate::routing::{LeadFacts, LeadView, ScriptHost};
use crate::rules::exec::script::{self, ScriptLog};
use crate::rules::helpers;
use crate::sandbox::{Limits, deadline, stack};

/// Top-level lead keys that are only converted for scripts that mention them
/// (they hold most of a lead's size).
const HEAVY: [&str; 2] = ["activities", "history"];

/// The default [`ScriptHost`]: sandboxed rhai with the rule packs' limits.
pub struct ScriptConditions {
    engine: Engine,
    /// CPU budget of one evaluation.
    lead_time: std::time::Duration,
    log: ScriptLog,
    compiled: RwLock<HashMap<String, Arc<Compiled>>>,
    compiles: AtomicUsize,
}

struct Compiled {
    ast: AST,
    /// The source mentions `activities` or `history`: pass the whole lead.
    heavy: bool,
    reads: Reads,
}

impl std::fmt::Debug for ScriptConditions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptConditions")
            .field("compiled", &self.compiles())
            .finish_non_exhaustive()
    }
}

impl Default for ScriptConditions {
    fn default() -> Self {
        Self::new()
    }
}

impl ScriptConditions {
    /// A host with the default pack limits (see `docs/rules.md`).
    pub fn new() -> Self {
        Self::build(&Limits::default())
    }

    /// A host with the host's own sandbox limits (per evaluation of one condition);
    /// out-of-range values are a `ConfigError` naming the key.
    pub fn with_limits(limits: &Limits) -> Result<Self> {
        limits.validate()?;
        Ok(Self::build(limits))
    }

    fn build(limits: &Limits) -> Self {
        let log = ScriptLog::default();
        let mut engine = script::engine(limits, &log);
        // Packs get these as features (`lead.seniority`); conditions have no
        // feature table, so they are functions here.
        engine
            .register_fn("seniority", |t: &str| helpers::seniority(t).to_owned())
            .register_fn("department", |t: &str| helpers::department(t).to_owned())
            .register_fn("company_normalized", helpers::company_normalized)
            .register_fn("employee_band", |n: rhai::INT| {
                helpers::employee_band(u64::try_from(n).ok()).to_owned()
            });
        ScriptConditions {
            engine,
            lead_time: limits.lead_time(),
            log,
            compiled: RwLock::new(HashMap::new()),
            compiles: AtomicUsize::new(0),
        }
    }

    /// How many sources have been compiled (each is compiled once).
    pub fn compiles(&self) -> usize {
        self.compiles.load(Ordering::Relaxed)
    }

    /// Lines the conditions wrote with `print` / `debug` (oldest first), and how many were dropped.
    pub fn take_log(&self) -> (Vec<String>, u64) {
        self.log.take()
    }

    fn cached(&self, src: &str) -> Option<Arc<Compiled>> {
        let map = self.compiled.read().unwrap_or_else(PoisonError::into_inner);
        map.get(src).cloned()
    }

    /// The compiled form of `src`, compiling it on first use.
    fn compiled(&self, src: &str) -> Result<Arc<Compiled>> {
        if let Some(c) = self.cached(src) {
            return Ok(c);
        }
        let ast = stack::with_stack(|| self.engine.compile(src)).map_err(|e| {
            with_position(
                Error::new(
                    ErrorKind::Script,
                    format!("syntax error in script condition: {}", e.err_type()),
                ),
                e.position(),
            )
        })?;
        self.compiles.fetch_add(1, Ordering::Relaxed);
        let heavy = HEAVY.iter().any(|k| src.contains(k));
        let mut reads = Reads::of(&ast);
        if heavy {
            // The heavy lists are passed as the whole-lead JSON holds them.
            reads.lead_keys = None;
        }
        let c = Arc::new(Compiled { ast, heavy, reads });
        let mut map = self
            .compiled
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        // Another thread may have compiled it meanwhile; keep the first.
        Ok(map.entry(src.to_owned()).or_insert(c).clone())
    }
}

impl ScriptHost for ScriptConditions {
    fn check(&self, script: &str) -> Result<()> {
        if script.trim().is_empty() {
            return Err(Error::config("a script condition must not be empty"));
        }
        self.compiled(script).map(|_| ())
    }

    fn eval(&self, script: &str, lead: &LeadView<'_>) -> Result<bool> {
        let c = self.compiled(script)?;
        self.eval_reading(&c, &c.reads, lead)
    }
}

impl ScriptConditions {
    /// Evaluates `c`, passing the script what `reads` says it reads: the
    /// variables it never mentions are `()` (but defined), and `lead` holds
    /// only the keys the script reads when it reads nothing else of it.
    fn eval_reading(&self, c: &Compiled, reads: &Reads, lead: &LeadView<'_>) -> Result<bool> {
        let lead_value = match &reads.lead_keys {
            Some(keys) => lead_map(&lead.select(keys))?,
            None => lead_map(if c.heavy { lead.json() } else { lead.shallow() })?,
        };
        let mut scope = Scope::new();
        scope.push_dynamic("lead", lead_value);
        scope.push_dynamic(
            "facts",
            if reads.facts {
                facts_map(lead.facts())
            } else {
                Dynamic::UNIT
            },
        );
        // As in pack scripts: an RFC 3339 string, `()` where the caller has no instant.
        scope.push_dynamic(
            "now",
            lead.now()
                .filter(|_| reads.now)
                .map_or(Dynamic::UNIT, |t| Dynamic::from(t.to_rfc3339())),
        );
        let _budget = deadline::lead(self.lead_time);
        let out: Dynamic =
            stack::with_stack(|| self.engine.eval_ast_with_scope(&mut scope, &c.ast))
                .map_err(|e| runtime_error(&e))?;
        out.as_bool().map_err(|ty| {
            Error::new(
                ErrorKind::Script,
                format!("a script condition must return a bool, got {ty}"),
            )
        })
    }
}

/// What a script reads of the variables it is given.
#[derive(Debug, Clone, PartialEq)]
struct Reads {
    /// The top-level keys of `lead` the script reads, when every use of `lead`
    /// is a property read (`lead.source`, `lead.custom.budget`, `lead?.x`);
    /// `None` when it uses `lead` any other way (`lead["x"]`, `lead.keys()`,
    /// `let l = lead`, a closure): then it gets the whole lead.
    lead_keys: Option<Vec<String>>,
    facts: bool,
    now: bool,
}

impl Reads {
    /// Everything (what a script with functions gets: they are not analysed).
    const ALL: Reads = Reads {
        lead_keys: None,
        facts: true,
        now: true,
    };

    fn of(ast: &AST) -> Reads {
        if ast.iter_functions().next().is_some() {
            return Reads::ALL;
        }
        let mut reads = Reads {
            lead_keys: Some(Vec::new()),
            facts: false,
            now: false,
        };
        ast.walk(&mut |path: &[ASTNode]| {
            let Some(&ASTNode::Expr(var @ Expr::Variable(name, ..))) = path.last() else {
                return true;
            };
            match name.1.as_str() {
                "facts" => reads.facts = true,
                "now" => reads.now = true,
                "lead" => {
                    let parent = path.len().checked_sub(2).map(|i| &path[i]);
                    match (property_read(var, parent), &mut reads.lead_keys) {
                        (Some(key), Some(keys)) => {
                            if !keys.iter().any(|k| k == key) {
                                keys.push(key.to_owned());
                            }
                        }
                        (None, keys) => *keys = None,
                        (Some(_), None) => {}
                    }
                }
                _ => {}
            }
            true
        });
        reads
    }
}

/// The top-level key `var` reads when `parent` is `var.key...` (`var` on the
/// left of a dot, a property first on the right).
fn property_read<'a>(var: &Expr, parent: Option<&ASTNode<'a>>) -> Option<&'a str> {
    let Some(ASTNode::Expr(Expr::Dot(dot, ..))) = parent else {
        return None;
    };
    if !std::ptr::eq(&raw const dot.lhs, var) {
        return None;
    }
    let mut first = &dot.rhs;
    while let Expr::Dot(inner, ..) | Expr::Index(inner, ..) = first {
        first = &inner.lhs;
    }
    match first {
        Expr::Property(p, ..) => Some(p.2.as_str()),
        _ => None,
    }
}

/// The lead as a rhai map. `custom` is always a map (as in pack scripts) and
/// `territory` always an array, so `lead.custom.budget` is `()` and
/// `"emea" in lead.territory` is false, rather than errors, when they are empty.
fn lead_map(json: &serde_json::Value) -> Result<Dynamic> {
    let mut lead = to_dynamic(json)?;
    if let Some(mut map) = lead.write_lock::<rhai::Map>() {
        map.entry("custom".into())
            .or_insert_with(|| Dynamic::from_map(rhai::Map::new()));
        map.entry("territory".into())
            .or_insert_with(|| Dynamic::from_array(rhai::Array::new()));
    }
    Ok(lead)
}

/// The derived facts; `territories` is always an array.
fn facts_map(facts: &LeadFacts) -> Dynamic {
    let text = |s: &Option<String>| s.clone().map_or(Dynamic::UNIT, Dynamic::from);
    let mut map = rhai::Map::new();
    map.insert("segment".into(), text(&facts.segment));
    map.insert("region".into(), text(&facts.region));
    map.insert(
        "territories".into(),
        Dynamic::from_array(
            facts
                .territories
                .iter()
                .cloned()
                .map(Dynamic::from)
                .collect(),
        ),
    );
    map.insert("email_domain".into(), text(&facts.email_domain));
    Dynamic::from_map(map)
}

fn to_dynamic(v: &impl serde::Serialize) -> Result<Dynamic> {
    rhai::serde::to_dynamic(v).map_err(|e| {
        Error::new(
            ErrorKind::Script,
            format!("cannot pass the lead to a script: {e}"),
        )
    })
}

fn with_position(err: Error, pos: Position) -> Error {
    match (pos.line(), pos.position()) {
        (Some(l), c) => err.at(
            u32::try_from(l).unwrap_or(u32::MAX),
            u32::try_from(c.unwrap_or(0)).unwrap_or(u32::MAX),
        ),
        (None, _) => err,
    }
}

/// Sandbox limits map to `LimitExceeded`, everything else to `ScriptError`.
fn runtime_error(e: &EvalAltResult) -> Error {
    if let EvalAltResult::ErrorTerminated(..) = e.unwrap_inner() {
        return deadline::stop_error();
    }
    let limit = matches!(
        e.unwrap_inner(),
        EvalAltResult::ErrorTooManyOperations(_)
            | EvalAltResult::ErrorStackOverflow(_)
            | EvalAltResult::ErrorDataTooLarge(..)
            | EvalAltResult::ErrorTooManyVariables(_)
    );
    let err = if limit {
        Error::new(
            ErrorKind::LimitExceeded,
            format!("sandbox limit exceeded: {e}"),
        )
    } else {
        Error::new(ErrorKind::Script, format!("script error: {e}"))
    };
    with_position(err, e.position())
}

#[cfg(test)]
#[path = "script_host_tests.rs"]
mod tests;
