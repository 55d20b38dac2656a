//! Scoring results and explanations (stable `snake_case` JSON, shared with the bindings).

use serde::{Deserialize, Serialize};

use super::define::features::Axis;
use crate::model::{Lead, ScoreState};
use crate::time::Timestamp;

/// Fit grade, `A` (best) to `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Grade {
    /// Every grade, best first; a grade's index here is its [`Grade::code`].
    pub const ALL: [Grade; 6] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];

    /// The grade's code in columnar results (`A` = 0 .. `F` = 5), the same in every binding.
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
            Grade::F => "F",
        }
    }
    /// Parses `A`..`F` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "A" => Grade::A,
            "B" => Grade::B,
            "C" => Grade::C,
            "D" => Grade::D,
            "E" => Grade::E,
            "F" => Grade::F,
            _ => return None,
        })
    }
}

/// Lead temperature from the total score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Temperature {
    Cold,
    Warm,
    Hot,
}

impl Temperature {
    /// Every temperature, coldest first; an index here is its [`Temperature::code`].
    pub const ALL: [Temperature; 3] = [Temperature::Cold, Temperature::Warm, Temperature::Hot];

    /// The temperature's code in columnar results (`cold` = 0, `warm` = 1, `hot` = 2).
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Temperature::Cold => "cold",
            Temperature::Warm => "warm",
            Temperature::Hot => "hot",
        }
    }
}

#[cfg(test)]
#[test]
fn codes_are_the_positions_in_all() {
    for (i, g) in Grade::ALL.iter().enumerate() {
        assert_eq!(usize::from(g.code()), i);
        assert_eq!(Grade::parse(g.as_str()), Some(*g));
    }
    for (i, t) in Temperature::ALL.iter().enumerate() {
        assert_eq!(usize::from(t.code()), i);
    }
    assert_eq!((Grade::F.code(), Temperature::Hot.code()), (5, 2));
}

/// Which tier ran a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A compiled native predicate (declarative, or recognised in the script).
    Native,
    /// Run by the sandboxed rhai interpreter.
    Script,
}

/// The score of one lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreResult {
    pub lead_id: String,
    pub total: f64,
    pub fit: f64,
    pub engagement: f64,
    pub grade: Grade,
    pub temperature: Temperature,
    /// Present only when an explanation was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl ScoreResult {
    /// The state stored on a lead (`pack` is `name@version`).
    pub fn to_state(&self, pack: &str, scored_at: Timestamp) -> ScoreState {
        ScoreState {
            total: self.total,
            fit: self.fit,
            engagement: self.engagement,
            grade: self.grade.as_str().to_owned(),
            temperature: self.temperature.as_str().to_owned(),
            pack: pack.to_owned(),
            scored_at,
        }
    }

    /// Writes this result into `lead.score`.
    pub fn write_to(&self, lead: &mut Lead, pack: &str, scored_at: Timestamp) {
        lead.score = Some(self.to_state(pack, scored_at));
    }
}

/// Why a lead got its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// `name@version` of the pack.
    pub pack: String,
    /// Rules that fired (added non-zero points or whose condition held), in order.
    pub rules: Vec<FiredRule>,
    /// Caps that changed a sum (rule caps are on the rule entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<AppliedCap>,
    /// Sums before the axis and total caps.
    pub fit_raw: f64,
    pub engagement_raw: f64,
    pub grade_reason: String,
    pub temperature_reason: String,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredRule {
    pub rule: String,
    pub axis: Axis,
    pub tier: Tier,
    /// Points added, after decay and the rule cap.
    pub points: f64,
    /// The decay factor applied, when the rule decays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<f64>,
    /// The rule cap that clipped the points, with the points before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<AppliedCap>,
    pub reason: String,
}

/// A cap that clipped a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedCap {
    /// `rule`, `group:<name>`, `fit`, `engagement` or `total`.
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub before: f64,
    pub after: f64,
}
