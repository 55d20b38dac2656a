//! Job-title parsing: seniority and department from English and Japanese titles.
//!
//! Table-driven: keyword tables (built once per process) map words and phrases
//! to a seniority signal and a department; a small set of precedence rules
//! turns the signals into one [`Seniority`] and one [`Department`]. The rules
//! are listed in `docs/enrichment.md`; in short:
//!
//! 1. an intern/trainee word makes the title `intern_student`;
//! 2. an assistant who heads the title ("Executive Assistant to the CEO",
//!    "社長秘書") is an `individual_contributor`: ranks after "to"/"of"/"for"/"at"
//!    name the person they work for;
//! 3. otherwise the highest rank wins ("Founder & CEO" is `c_level`), one level
//!    lower after "assistant"/"associate" ("Assistant Vice President" is `director`);
//! 4. then student, senior IC words, IC role nouns; else `unknown`.
//!
//! Departments: the most specific mention wins (see `Department::tier`), then
//! the earliest.

mod english;
mod japanese;
mod signal;
mod tokens;

use serde::{Deserialize, Serialize};

use super::role::{Department, Seniority};
use signal::Signals;

/// What a job title says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleInfo {
    pub seniority: Seniority,
    pub department: Department,
}

impl TitleInfo {
    /// The result for a missing or blank title.
    pub const UNKNOWN: TitleInfo = TitleInfo {
        seniority: Seniority::Unknown,
        department: Department::Unknown,
    };
}

/// Parses a job title (English, Japanese or both mixed). Pure; allocation-free
/// for ASCII titles up to 160 bytes.
pub fn parse_title(title: &str) -> TitleInfo {
    if title.trim().is_empty() {
        return TitleInfo::UNKNOWN;
    }
    tokens::with_folded(title, |folded| {
        let mut sig = Signals::default();
        english::scan(tokens::tokenize(folded).as_slice(), &mut sig);
        if !folded.is_ascii() {
            japanese::scan(folded, &mut sig);
        }
        TitleInfo {
            seniority: sig.seniority(),
            department: sig.department.map_or(Department::Unknown, |(_, _, d)| d),
        }
    })
}

#[cfg(test)]
mod tests;
