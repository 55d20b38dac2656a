//! The script host slot of configs: the sandboxed rhai host of the rules engine
//! by default, created on first use (a config without script conditions never
//! builds an engine), or a host the caller brings.

use std::fmt;
use std::sync::{Arc, OnceLock};

use super::condition::{LeadView, ScriptHost};
use crate::error::Result;
use crate::routing::ScriptConditions;

/// Shared by clones (scripts compiled once serve every clone); ignored by
/// equality and serialization.
#[derive(Clone, Default)]
pub(crate) struct Scripts(Arc<OnceLock<Arc<dyn ScriptHost>>>);

impl Scripts {
    /// A slot holding `host`.
    pub(crate) fn with(host: Arc<dyn ScriptHost>) -> Self {
        let cell = OnceLock::new();
        // A fresh cell is empty, so this cannot fail.
        let _ = cell.set(host);
        Scripts(Arc::new(cell))
    }

    fn host(&self) -> &dyn ScriptHost {
        self.0
            .get_or_init(|| Arc::new(ScriptConditions::new()))
            .as_ref()
    }
}

impl ScriptHost for Scripts {
    fn check(&self, script: &str) -> Result<()> {
        self.host().check(script)
    }

    fn eval(&self, script: &str, lead: &LeadView<'_>) -> Result<bool> {
        self.host().eval(script, lead)
    }
}

impl PartialEq for Scripts {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Scripts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "Scripts(loaded)"
        } else {
            "Scripts(idle)"
        })
    }
}
