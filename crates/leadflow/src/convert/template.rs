//! The opportunity name template (`{company} - New Business`).

use crate::error::{Error, Result};
use crate::model::Lead;

/// Renders `template` for `lead`. Placeholders: `{company}` (the lead's company,
/// else `account_name`), `{account}`, `{first_name}`, `{last_name}`,
/// `{full_name}`, `{lead_id}`; `{{` and `}}` are literal braces. An unknown
/// placeholder is a `ConfigError`.
pub(crate) fn render_name(template: &str, lead: &Lead, account_name: &str) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if let Some(after) = tail.strip_prefix('{')
            && let Some(end) = after.find('}')
        {
            let trim =
                |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or_default().to_owned();
            let value = match &after[..end] {
                "company" => lead
                    .company
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .unwrap_or(account_name)
                    .to_owned(),
                "account" => account_name.to_owned(),
                "first_name" => trim(&lead.first_name),
                "last_name" => trim(&lead.last_name),
                "full_name" => lead.full_name().unwrap_or_default(),
                "lead_id" => lead.id.clone(),
                other => {
                    return Err(Error::config(format!(
                        "unknown placeholder {{{other}}} in opportunity_name {template:?}"
                    ))
                    .with_field("options.opportunity_name"));
                }
            };
            out.push_str(&value);
            rest = &after[end + 1..];
        } else {
            return Err(Error::config(format!(
                "unbalanced brace in opportunity_name {template:?}"
            ))
            .with_field("options.opportunity_name"));
        }
    }
    out.push_str(rest);
    let out = out.trim().to_owned();
    if out.is_empty() {
        Ok(account_name.to_owned())
    } else {
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn renders_placeholders() {
        let mut lead = Lead::new("L-1", parse_timestamp("2026-01-01T00:00:00Z").unwrap());
        lead.first_name = Some("Jane".into());
        assert_eq!(
            render_name("{company} - New Business", &lead, "Acme").unwrap(),
            "Acme - New Business"
        );
        lead.company = Some(" Acme KK ".into());
        assert_eq!(
            render_name("{company} / {first_name} {{{lead_id}}}", &lead, "X").unwrap(),
            "Acme KK / Jane {L-1}"
        );
        assert_eq!(render_name("", &lead, "Acme").unwrap(), "Acme");
        assert_eq!(
            render_name("{nope}", &lead, "A").unwrap_err().kind(),
            crate::ErrorKind::Config
        );
        assert_eq!(
            render_name("{company", &lead, "A").unwrap_err().kind(),
            crate::ErrorKind::Config
        );
    }
}
