//! The one error type of leadflow.
//!
//! Every fallible function returns [`Error`]. Its [`ErrorKind`] is a stable list:
//! the Python binding maps each kind to an exception class of the same name
//! (all deriving from `LeadflowError`), and the Node binding sets `err.code` to it.
//! Adding a kind is an API change for all three languages.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The stable kind of an [`Error`]; its [`name`](ErrorKind::name) is the Python
/// exception class and the Node `err.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorKind {
    /// Record input (leads, accounts, CSV rows) that is not well-formed JSON or CSV.
    /// Malformed configuration files are `ConfigError`s: every config problem has one kind.
    #[serde(rename = "ParseError")]
    Parse,
    /// Well-formed input with a wrong type, a missing field or an invalid value.
    #[serde(rename = "ValidationError")]
    Validation,
    /// An invalid pipeline configuration, rule pack section or routing setup.
    #[serde(rename = "ConfigError")]
    Config,
    /// A lifecycle transition the configured state machine does not allow.
    InvalidTransition,
    /// Converting a lead that was converted before; details carry the earlier ids.
    AlreadyConverted,
    /// A conversion plan that cannot be applied (stale plan, missing target).
    #[serde(rename = "ConversionError")]
    Conversion,
    /// A referenced record (account, contact, rep, stage) does not exist.
    NotFound,
    /// A rule script failed to compile or to run.
    #[serde(rename = "ScriptError")]
    Script,
    /// A sandbox limit (operations, depth, sizes) stopped a script.
    LimitExceeded,
    /// An automation trigger would fire again on its own output.
    TriggerLoop,
    /// Reading or writing a file failed.
    #[serde(rename = "IoError")]
    Io,
}

impl ErrorKind {
    /// Every kind, in a stable order (bindings build their class lists from it).
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Parse,
        ErrorKind::Validation,
        ErrorKind::Config,
        ErrorKind::InvalidTransition,
        ErrorKind::AlreadyConverted,
        ErrorKind::Conversion,
        ErrorKind::NotFound,
        ErrorKind::Script,
        ErrorKind::LimitExceeded,
        ErrorKind::TriggerLoop,
        ErrorKind::Io,
    ];

    /// The stable name: Python exception class and Node `err.code`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::Parse => "ParseError",
            ErrorKind::Validation => "ValidationError",
            ErrorKind::Config => "ConfigError",
            ErrorKind::InvalidTransition => "InvalidTransition",
            ErrorKind::AlreadyConverted => "AlreadyConverted",
            ErrorKind::Conversion => "ConversionError",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::Script => "ScriptError",
            ErrorKind::LimitExceeded => "LimitExceeded",
            ErrorKind::TriggerLoop => "TriggerLoop",
            ErrorKind::Io => "IoError",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A leadflow error: a stable kind, a message, and where it happened.
///
/// Serializes to a flat JSON object (`{"kind": "ValidationError", "message": ..., "record": ...}`),
/// which is also the shape of error entries in batch results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", self.0.render())]
#[serde(transparent)]
pub struct Error(Box<Inner>);

// Boxed so that `Result<T>` stays one pointer wide on hot paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Inner {
    kind: ErrorKind,
    message: String,
    /// Id of the lead (or account, contact, opportunity) the error is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    /// Path of the offending field, for example `employees` or `activities[3].at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// Name of the rule (or trigger, or routing rule) involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    /// File (pack file, config file, input file) involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    /// Kind-specific data: `from`/`to` of a refused transition, the earlier ids of
    /// an `AlreadyConverted`, the limit that was hit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    details: Option<serde_json::Value>,
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            record: None,
            field: None,
            rule: None,
            file: None,
            line: None,
            column: None,
            details: None,
        }))
    }

    pub fn parse(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Parse, message)
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    /// Names the record; an id set earlier (closer to the cause) wins.
    #[must_use]
    pub fn with_record(mut self, id: impl Into<String>) -> Self {
        if self.0.record.is_none() {
            self.0.record = Some(id.into());
        }
        self
    }
    /// Names the field; a path set earlier is kept and prefixed (`activities` + `[2].at`).
    #[must_use]
    pub fn with_field(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.0.field = Some(match self.0.field.take() {
            Some(inner) if inner.starts_with('[') => format!("{path}{inner}"),
            Some(inner) => format!("{path}.{inner}"),
            None => path,
        });
        self
    }
    #[must_use]
    pub fn with_rule(mut self, rule: impl Into<String>) -> Self {
        if self.0.rule.is_none() {
            self.0.rule = Some(rule.into());
        }
        self
    }
    #[must_use]
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        if self.0.file.is_none() {
            self.0.file = Some(file.into());
        }
        self
    }
    /// Sets a 1-based line and column.
    #[must_use]
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.0.line = Some(line);
        self.0.column = Some(column);
        self
    }
    #[must_use]
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.0.details = Some(details);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn record(&self) -> Option<&str> {
        self.0.record.as_deref()
    }
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    pub fn rule(&self) -> Option<&str> {
        self.0.rule.as_deref()
    }
    pub fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }
    pub fn line(&self) -> Option<u32> {
        self.0.line
    }
    pub fn column(&self) -> Option<u32> {
        self.0.column
    }
    pub fn details(&self) -> Option<&serde_json::Value> {
        self.0.details.as_ref()
    }
}

impl Inner {
    fn render(&self) -> String {
        let mut out = format!("{}: {}", self.kind, self.message);
        let mut ctx = Vec::new();
        if let Some(r) = &self.record {
            ctx.push(format!("record {r}"));
        }
        if let Some(f) = &self.field {
            ctx.push(format!("field {f}"));
        }
        if let Some(r) = &self.rule {
            ctx.push(format!("rule {r}"));
        }
        match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => ctx.push(format!("{f}:{l}:{c}")),
            (Some(f), Some(l), None) => ctx.push(format!("{f}:{l}")),
            (Some(f), None, _) => ctx.push(f.clone()),
            (None, Some(l), Some(c)) => ctx.push(format!("line {l}, column {c}")),
            (None, Some(l), None) => ctx.push(format!("line {l}")),
            (None, None, _) => {}
        }
        if !ctx.is_empty() {
            out.push_str(" (");
            out.push_str(&ctx.join(", "));
            out.push(')');
        }
        out
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        let kind = if e.is_data() {
            ErrorKind::Validation
        } else {
            ErrorKind::Parse
        };
        let (line, column) = (e.line(), e.column());
        let err = Error::new(kind, e.to_string());
        if line > 0 {
            err.at(
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(column).unwrap_or(u32::MAX),
            )
        } else {
            err
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_serialize_as_names() {
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
        for k in ErrorKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.name())
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn display_names_context() {
        let e = Error::validation("expected an integer")
            .with_field("[2].at")
            .with_field("activities")
            .with_record("L-1");
        assert_eq!(e.field(), Some("activities[2].at"));
        assert_eq!(
            e.to_string(),
            "ValidationError: expected an integer (record L-1, field activities[2].at)"
        );
    }

    #[test]
    fn round_trips_as_json() {
        let e = Error::new(ErrorKind::InvalidTransition, "no")
            .with_details(serde_json::json!({"from": "sql", "to": "mql"}));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "InvalidTransition");
        let back: Error = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }
}
