//! Reading routing, SLA and trigger configs from JSON, YAML or TOML.
//!
//! Every format is first read into a JSON value and then deserialized with
//! `serde_path_to_error`, so a bad config names the offending path
//! (`reps[2].daily_cap`) whatever its format.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

pub use crate::lifecycle::ConfigFormat;

/// Parses `text` as `format` into `T`; `what` names the config in messages.
pub(crate) fn parse_config<T: DeserializeOwned>(
    text: &str,
    format: ConfigFormat,
    what: &str,
) -> Result<T> {
    let value: Value = match format {
        ConfigFormat::Json => serde_json::from_str(text).map_err(|e| {
            let err = Error::parse(format!("{what} is not valid JSON: {e}"));
            if e.line() > 0 {
                err.at(
                    u32::try_from(e.line()).unwrap_or(u32::MAX),
                    u32::try_from(e.column()).unwrap_or(u32::MAX),
                )
            } else {
                err
            }
        })?,
        ConfigFormat::Yaml => serde_norway::from_str(text)
            .map_err(|e| Error::parse(format!("{what} is not valid YAML: {e}")))?,
        ConfigFormat::Toml => toml::from_str(text)
            .map_err(|e| Error::parse(format!("{what} is not valid TOML: {e}")))?,
    };
    from_value(value, what)
}

/// Deserializes an already parsed value, naming the failing path in a `ConfigError`.
pub(crate) fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let err = Error::new(ErrorKind::Config, format!("{what}: {}", e.into_inner()));
        if path == "." {
            err
        } else {
            err.with_field(path)
        }
    })
}

/// Reads and parses a config file, the format chosen by its extension.
pub(crate) fn read_config<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let format = ConfigFormat::from_path(path)?;
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).with_file(file.clone()))?;
    parse_config(&text, format, what).map_err(|e| e.with_file(file))
}
