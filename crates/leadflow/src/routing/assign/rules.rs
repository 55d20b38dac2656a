//! Ordered rules: the first rule whose condition holds decides the target.

use crate::routing::condition::{LeadView, ScriptHost};
use crate::routing::config::Rule;

use super::decision::RuleError;

/// The first matching rule, `None` when no rule matches, or the first rule
/// whose condition failed (a script error or a sandbox limit): rules after it
/// are not tried.
pub(crate) fn first_match<'a>(
    rules: &'a [Rule],
    lead: &LeadView<'_>,
    scripts: Option<&dyn ScriptHost>,
) -> Result<Option<&'a Rule>, RuleError> {
    for (i, rule) in rules.iter().enumerate() {
        let holds = match &rule.when {
            None => true,
            Some(c) => c.eval(lead, scripts).map_err(|e| {
                RuleError::new(&rule.name, &e.with_field(format!("rules[{i}].when")))
            })?,
        };
        if holds {
            return Ok(Some(rule));
        }
    }
    Ok(None)
}
