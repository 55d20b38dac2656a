//! The lifecycle facts conversion needs: the stage a new opportunity starts in
//! and the move of the lead to the `opportunity` stage.
//!
//! TODO(lifecycle): the only place with hard-coded defaults; switch to
//! `lifecycle::Pipeline` (first opportunity stage, stage order) once it lands.

use crate::model::{ForecastCategory, TransitionKind};

/// The first open opportunity stage of the default pipeline.
pub(crate) struct OpportunityStage {
    pub name: &'static str,
    pub probability: f64,
    pub forecast: ForecastCategory,
}

pub(crate) const FIRST_OPPORTUNITY_STAGE: OpportunityStage = OpportunityStage {
    name: "Prospecting",
    probability: 10.0,
    forecast: ForecastCategory::Pipeline,
};

/// Lead stage a converted lead with an opportunity moves to.
pub(crate) const OPPORTUNITY_STAGE: &str = "opportunity";
/// Status of a converted lead (terminal).
pub(crate) const CONVERTED_STATUS: &str = "converted";

const LEAD_STAGES: [&str; 8] = [
    "subscriber",
    "lead",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "evangelist",
];

/// How the lead moves to the `opportunity` stage from `current`, or `None`
/// when it is already there or beyond (a customer's new deal never demotes it).
pub(crate) fn opportunity_stage_move(current: Option<&str>) -> Option<TransitionKind> {
    let target = LEAD_STAGES.iter().position(|s| *s == OPPORTUNITY_STAGE)?;
    let Some(current) = current else {
        return Some(TransitionKind::Initial);
    };
    match LEAD_STAGES.iter().position(|s| *s == current) {
        Some(i) if i >= target => None,
        Some(i) if i + 1 == target => Some(TransitionKind::Advance),
        Some(_) => Some(TransitionKind::Skip),
        // Stages outside the ladder (`other`, custom ones) are left forward.
        None => Some(TransitionKind::Advance),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_forward_only() {
        assert_eq!(opportunity_stage_move(None), Some(TransitionKind::Initial));
        assert_eq!(
            opportunity_stage_move(Some("sql")),
            Some(TransitionKind::Advance)
        );
        assert_eq!(
            opportunity_stage_move(Some("mql")),
            Some(TransitionKind::Skip)
        );
        assert_eq!(
            opportunity_stage_move(Some("other")),
            Some(TransitionKind::Advance)
        );
        assert_eq!(opportunity_stage_move(Some("opportunity")), None);
        assert_eq!(opportunity_stage_move(Some("customer")), None);
    }
}
