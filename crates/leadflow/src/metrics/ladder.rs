//! The stage ladder: the order that makes "reached a later stage" imply the earlier ones.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The default lead lifecycle ladder, earliest first.
pub const DEFAULT_LADDER: [&str; 8] = [
    "subscriber",
    "lead",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "evangelist",
];

/// The default ladder as owned strings.
pub fn default_ladder() -> Vec<String> {
    DEFAULT_LADDER.iter().map(|s| (*s).to_owned()).collect()
}

/// An ordered list of stage names with a rank lookup. Stages not on the ladder
/// (such as `other`) have no rank and never count as reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Ladder {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Ladder {
    /// A ladder from stage names, earliest first; names must be unique and non-empty.
    pub fn new(names: &[String]) -> Result<Self> {
        if names.is_empty() {
            return Err(Error::config("the stage ladder is empty").with_field("ladder"));
        }
        if names.len() > 64 {
            return Err(
                Error::config("the stage ladder has more than 64 stages").with_field("ladder")
            );
        }
        let mut index = HashMap::with_capacity(names.len());
        for (i, n) in names.iter().enumerate() {
            if n.trim().is_empty() || index.insert(n.clone(), i).is_some() {
                return Err(
                    Error::config(format!("stage {n:?} is empty or listed twice"))
                        .with_field(format!("ladder[{i}]")),
                );
            }
        }
        Ok(Ladder {
            names: names.to_vec(),
            index,
        })
    }

    /// The rank (0 = earliest) of a stage, if it is on the ladder.
    pub fn rank(&self, stage: &str) -> Option<usize> {
        self.index.get(stage).copied()
    }

    /// The rank of a stage, or a `ConfigError` naming `field`.
    pub fn require(&self, stage: &str, field: &str) -> Result<usize> {
        self.rank(stage).ok_or_else(|| {
            Error::config(format!(
                "stage {stage:?} is not on the ladder ({})",
                self.names.join(", ")
            ))
            .with_field(field.to_owned())
        })
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Stage names, earliest first.
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

impl Default for Ladder {
    fn default() -> Self {
        Ladder::new(&default_ladder())
            .unwrap_or_else(|_| unreachable!("the default ladder is valid"))
    }
}

impl TryFrom<Vec<String>> for Ladder {
    type Error = Error;
    fn try_from(names: Vec<String>) -> Result<Self> {
        Ladder::new(&names)
    }
}

impl From<Ladder> for Vec<String> {
    fn from(l: Ladder) -> Self {
        l.names
    }
}
