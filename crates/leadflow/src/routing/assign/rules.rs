//! Ordered rules: the first rule whose condition holds decides the target.

use crate::routing::condition::{LeadView, ScriptHost};
use crate::routing::config::Rule;

use super::decision::RuleError;

/// The first matching rule; rules whose script fails are skipped and reported.
pub(crate) fn first_match<'a>(
    rules: &'a [Rule],
    lead: &LeadView<'_>,
    scripts: Option<&dyn ScriptHost>,
    errors: &mut Vec<RuleError>,
) -> Option<&'a Rule> {
    rules.iter().find(|rule| match &rule.when {
        None => true,
        Some(c) => c.eval(lead, scripts).unwrap_or_else(|e| {
            errors.push(RuleError {
                rule: rule.name.clone(),
                message: e.to_string(),
            });
            false
        }),
    })
}
