//! The built-in lifecycle, as most B2B teams run it.

use std::collections::BTreeMap;

use super::config::{OpportunityConfig, OpportunityStageDef, StageConfig, StatusConfig};
use crate::model::ForecastCategory;

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for StageConfig {
    /// `subscriber < lead < mql < sal < sql < opportunity < customer < evangelist`, plus `other`.
    fn default() -> Self {
        StageConfig {
            ladder: names(&[
                "subscriber",
                "lead",
                "mql",
                "sal",
                "sql",
                "opportunity",
                "customer",
                "evangelist",
            ]),
            off_ladder: names(&["other"]),
            initial: "lead".to_owned(),
            recycle_reasons: None,
        }
    }
}

impl Default for StatusConfig {
    /// `new -> attempting -> connected -> qualified | unqualified | nurture | converted`.
    fn default() -> Self {
        let t = |from: &str, to: &[&str]| (from.to_owned(), names(to));
        StatusConfig {
            states: names(&[
                "new",
                "attempting",
                "connected",
                "qualified",
                "unqualified",
                "nurture",
                "converted",
            ]),
            initial: "new".to_owned(),
            transitions: BTreeMap::from([
                t(
                    "new",
                    &[
                        "attempting",
                        "connected",
                        "qualified",
                        "unqualified",
                        "nurture",
                        "converted",
                    ],
                ),
                t(
                    "attempting",
                    &[
                        "connected",
                        "qualified",
                        "unqualified",
                        "nurture",
                        "converted",
                    ],
                ),
                t(
                    "connected",
                    &[
                        "attempting",
                        "qualified",
                        "unqualified",
                        "nurture",
                        "converted",
                    ],
                ),
                t("qualified", &["converted", "unqualified", "nurture"]),
                t("unqualified", &["nurture"]),
                // Re-engaging a nurtured lead starts the working cycle again.
                t("nurture", &["new", "attempting", "connected", "qualified"]),
            ]),
            terminal: names(&["converted"]),
            recycle: Some("nurture".to_owned()),
            converted: Some("converted".to_owned()),
            attempting: Some("attempting".to_owned()),
            connected: Some("connected".to_owned()),
        }
    }
}

impl Default for OpportunityConfig {
    /// Prospecting 10% ... Negotiation 80%, Closed Won 100%, Closed Lost 0% (reason required).
    fn default() -> Self {
        let open = |name: &str, probability: f64, forecast_category| OpportunityStageDef {
            name: name.to_owned(),
            probability,
            forecast_category,
            is_closed: false,
            is_won: false,
            requires_reason: false,
        };
        OpportunityConfig {
            stages: vec![
                open("Prospecting", 10.0, ForecastCategory::Pipeline),
                open("Qualification", 20.0, ForecastCategory::Pipeline),
                open("Needs Analysis", 25.0, ForecastCategory::Pipeline),
                open("Proposal", 65.0, ForecastCategory::BestCase),
                open("Negotiation", 80.0, ForecastCategory::Commit),
                OpportunityStageDef {
                    is_closed: true,
                    is_won: true,
                    ..open("Closed Won", 100.0, ForecastCategory::Closed)
                },
                OpportunityStageDef {
                    is_closed: true,
                    requires_reason: true,
                    ..open("Closed Lost", 0.0, ForecastCategory::Omitted)
                },
            ],
            initial: "Prospecting".to_owned(),
        }
    }
}
