//! The options objects of the scoring entries that take flat input
//! (`{explain?}` of `score`, `{explain?, columns?, strict?}` of `scoreMany`, `{columns?, strict?}` of
//! `scoreColumns`), read into the core's [`InputOptions`]. Matching names is the
//! core's job (`CompiledPack::input_schema`, `KeyNames`): nothing here
//! interprets them.

use std::collections::BTreeMap;

use leadflow::rules::InputOptions;
use napi::bindgen_prelude::Unknown;
use napi::{Env, ValueType};

use crate::rules::arg;

/// `score` options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreOptions {
    #[serde(default)]
    pub explain: bool,
}

/// `scoreMany` / `scoreManyAsync` options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreManyOptions {
    #[serde(default)]
    pub explain: bool,
    /// Input key -> feature or lead field.
    #[serde(default)]
    columns: Option<BTreeMap<String, String>>,
    /// Accepted for symmetry with `scoreColumns`: records may omit keys, so
    /// there is no missing-column check to relax.
    #[serde(default)]
    strict: Option<bool>,
}

/// `scoreColumns` / `scoreColumnsAsync` options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnOptions {
    /// Input column -> feature or lead field.
    #[serde(default)]
    columns: Option<BTreeMap<String, String>>,
    /// Default true: a feature column the batch lacks is an error; false: a warning.
    #[serde(default)]
    strict: Option<bool>,
}

fn input(columns: Option<&BTreeMap<String, String>>, strict: Option<bool>) -> InputOptions {
    InputOptions {
        columns: columns
            .into_iter()
            .flatten()
            .map(|(from, to)| (from.clone(), to.clone()))
            .collect(),
        strict: strict.unwrap_or(true),
    }
}

impl ScoreManyOptions {
    pub fn input(&self) -> InputOptions {
        input(self.columns.as_ref(), self.strict)
    }
}

impl ColumnOptions {
    pub fn input(&self) -> InputOptions {
        input(self.columns.as_ref(), self.strict)
    }
}

/// An options argument: absent, `undefined` or `null` is the defaults.
pub fn read<T: serde::de::DeserializeOwned + Default>(
    env: &Env,
    value: Option<&Unknown>,
) -> napi::Result<T> {
    match value {
        None => Ok(T::default()),
        Some(v) if matches!(v.get_type()?, ValueType::Undefined | ValueType::Null) => {
            Ok(T::default())
        }
        Some(v) => arg(env, v, "options"),
    }
}
