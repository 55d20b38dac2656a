//! Lints for `leadflow check`: caps that can never clip, rules that never fire
//! on a sample, and fields missing from every sample lead.

use serde::{Deserialize, Serialize};

use crate::model::Lead;
use crate::rules::define::features::{LeadField, Source};
use crate::rules::define::manifest::Range;
use crate::rules::exec::native::Num;
use crate::rules::exec::program::{RuleKind, Step};
use crate::rules::input::activity::lookup_path;
use crate::rules::pack::CompiledPack;
use crate::time::Timestamp;

/// What a lint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LintKind {
    /// A cap bound the rules in its scope can never reach.
    UnreachableCap,
    /// A rule that fired on no lead of the sample.
    NeverFires,
    /// A record field the pack reads that no sample lead has.
    FieldNeverPresent,
    /// A sample lead failed to score.
    SampleError,
}

/// One finding of [`CompiledPack::lint`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lint {
    pub kind: LintKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub message: String,
}

/// Bounds of the points a native rule can add (`None`: unbounded or unknown).
fn rule_bounds(points: &Num, cap: (Option<f64>, Option<f64>)) -> (Option<f64>, Option<f64>) {
    let (lo, hi) = match points {
        Num::Const(c) => (Some(c.min(0.0)), Some(c.max(0.0))),
        _ => (None, None),
    };
    (
        lo.or(cap.0)
            .map(|v| cap.0.map_or(v, |c| v.max(c)))
            .map(|v| v.min(0.0)),
        hi.or(cap.1)
            .map(|v| cap.1.map_or(v, |c| v.min(c)))
            .map(|v| v.max(0.0)),
    )
}

impl CompiledPack {
    /// Lints the pack; `sample` leads (scored as of `now`) find rules that never fire.
    pub fn lint(&self, sample: &[Lead], now: Timestamp) -> Vec<Lint> {
        let mut out = Vec::new();
        self.lint_caps(&mut out);
        if sample.is_empty() {
            return out;
        }
        let p = &self.0.program;
        let mut fired = vec![false; p.rules.len()];
        for lead in sample {
            match self.explain(lead, now) {
                Ok(r) => {
                    for f in r.explanation.iter().flat_map(|e| &e.rules) {
                        if let Some(i) = p.rules.iter().position(|r| r.name == f.rule) {
                            fired[i] = true;
                        }
                    }
                }
                Err(e) => out.push(Lint {
                    kind: LintKind::SampleError,
                    rule: e.rule().map(str::to_owned),
                    message: e.to_string(),
                }),
            }
        }
        for (r, f) in p.rules.iter().zip(&fired) {
            if !f && r.kind == RuleKind::Rule {
                out.push(Lint {
                    kind: LintKind::NeverFires,
                    rule: Some(r.name.clone()),
                    message: format!(
                        "rule `{}` fired on none of the {} sample leads",
                        r.name,
                        sample.len()
                    ),
                });
            }
        }
        for f in &self.0.features.used {
            let present = |l: &Lead| match &f.source {
                Source::Field(field) => field_present(l, *field),
                Source::Path(path) => lookup_path(l, path).is_some_and(|v| !v.is_null()),
                _ => true,
            };
            if !sample.iter().any(present) {
                out.push(Lint {
                    kind: LintKind::FieldNeverPresent,
                    rule: None,
                    message: format!("field `{}` is missing on every sample lead", f.name),
                });
            }
        }
        out
    }

    fn lint_caps(&self, out: &mut Vec<Lint>) {
        let p = &self.0.program;
        // Per scope (group index, axis index, total): sum of the rules' bounds.
        let mut scopes: Vec<(String, Range, Option<f64>, Option<f64>)> = Vec::new();
        let mut add = |name: String, range: Range, member: &dyn Fn(usize) -> bool| {
            let mut lo = Some(0.0);
            let mut hi = Some(0.0);
            for step in &p.explain {
                let (idx, bounds) = match step {
                    Step::Native(r) => (r.rule, rule_bounds(&r.points, r.cap)),
                    Step::Script(s) => (s.rules[0].0, (None, None)),
                    _ => continue,
                };
                if member(idx) {
                    lo = lo.zip(bounds.0).map(|(a, b)| a + b);
                    hi = hi.zip(bounds.1).map(|(a, b)| a + b);
                }
            }
            scopes.push((name, range, lo, hi));
        };
        for (g, (name, range, _)) in p.groups.iter().enumerate() {
            add(format!("caps.groups.{name}"), *range, &|i| {
                p.rule_groups[i] == Some(g)
            });
        }
        for (a, cap) in p.axis_caps.iter().enumerate() {
            if let Some(range) = cap {
                let name = if a == 0 {
                    "caps.fit"
                } else {
                    "caps.engagement"
                };
                add(name.to_owned(), *range, &|i| p.rules[i].axis.index() == a);
            }
        }
        add("caps.total".to_owned(), p.total_cap, &|_| true);
        for (name, range, lo, hi) in scopes {
            if let (Some(max), Some(hi)) = (range.max, hi)
                && hi <= max
            {
                out.push(Lint {
                    kind: LintKind::UnreachableCap,
                    rule: None,
                    message: format!("{name}: max {max} never clips (its rules add at most {hi})"),
                });
            }
            if let (Some(min), Some(lo)) = (range.min, lo)
                && lo >= min
                && min < 0.0
            {
                out.push(Lint {
                    kind: LintKind::UnreachableCap,
                    rule: None,
                    message: format!("{name}: min {min} never clips (its rules add at least {lo})"),
                });
            }
        }
    }
}

fn field_present(l: &Lead, f: LeadField) -> bool {
    match f {
        LeadField::Title => l.title.is_some(),
        LeadField::Employees => l.employees.is_some(),
        LeadField::Revenue => l.annual_revenue.is_some(),
        LeadField::Industry => l.industry.is_some(),
        LeadField::Country => l.country.is_some(),
        LeadField::Email => l.email.is_some(),
        LeadField::Source => l.source.is_some(),
        LeadField::Company => l.company.is_some(),
        LeadField::Website => l.website.is_some(),
        LeadField::FirstName => l.first_name.is_some(),
        LeadField::LastName => l.last_name.is_some(),
        LeadField::Phone => l.phone.is_some(),
        LeadField::Campaign => l.campaign.is_some(),
        LeadField::Owner => l.owner.is_some(),
        // Engine-managed: present once placed.
        LeadField::Stage | LeadField::Status => true,
    }
}
