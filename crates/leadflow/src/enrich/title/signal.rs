//! What a title word or phrase says about its holder.

use crate::enrich::role::{Department, Seniority};

/// The seniority meaning of a keyword. Departments are carried separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sig {
    /// Says nothing about seniority (a department word such as "sales").
    None,
    /// A rank: counts unless it is the object of "to" / "of" / "for" / "at"
    /// ("Assistant to the VP", "Office of the CEO").
    Rank(Seniority),
    /// Intern, trainee, apprentice, インターン: overrides every rank.
    Intern,
    /// Student: below every rank ("Director of Student Affairs" is a director).
    Student,
    /// "assistant", "secretary", "pa", "ea": an assistant when it heads its part
    /// of the title ("Executive Assistant to the CEO"), a one-level demotion when
    /// it modifies a rank ("Assistant Vice President").
    Assistant,
    /// "associate": demotes a following rank ("Associate Director"), else an IC noun.
    Associate,
    /// "chief": C-level only with "officer" in the same part ("Chief Revenue
    /// Officer"); otherwise a senior IC ("Chief Architect").
    Chief,
    /// "partner": an owner when it heads its part ("Partner, Consulting"),
    /// nothing when it qualifies another word ("Partner Marketing Manager").
    Partner,
    /// Senior individual contributor: senior, lead, principal, 係長, 主任.
    Senior,
    /// An individual-contributor role noun: engineer, analyst, account manager, 担当.
    Ic,
    /// 秘書 / アシスタント: Japanese puts the head noun last, so "社長秘書" is the
    /// president's secretary, an individual contributor.
    AssistantOverride,
}

/// A keyword: its seniority meaning and the department it names, if any.
pub(super) type Entry = (&'static str, Sig, Option<Department>);

/// Which keyword an accumulator has seen, and where.
#[derive(Debug, Default)]
#[allow(clippy::struct_excessive_bools)] // independent flags, each one a precedence step
pub(super) struct Signals {
    pub best_rank: Option<Seniority>,
    pub intern: bool,
    pub student: bool,
    pub assistant: bool,
    pub senior: bool,
    pub ic: bool,
    /// (tier, position, department) of the preferred department so far.
    pub department: Option<(u8, usize, Department)>,
}

impl Signals {
    pub fn rank(&mut self, s: Seniority) {
        if self.best_rank.is_none_or(|b| s.rank() > b.rank()) {
            self.best_rank = Some(s);
        }
    }

    pub fn department(&mut self, d: Department, pos: usize) {
        let cand = (d.tier(), pos, d);
        if self
            .department
            .is_none_or(|(t, p, _)| (cand.0, cand.1) < (t, p))
        {
            self.department = Some(cand);
        }
    }

    /// Precedence, documented in docs/enrichment.md: intern > assistant > best
    /// rank > student > senior IC > IC noun > unknown.
    pub fn seniority(&self) -> Seniority {
        if self.intern {
            Seniority::InternStudent
        } else if self.assistant {
            Seniority::IndividualContributor
        } else if let Some(r) = self.best_rank {
            r
        } else if self.student {
            Seniority::InternStudent
        } else if self.senior {
            Seniority::Senior
        } else if self.ic {
            Seniority::IndividualContributor
        } else {
            Seniority::Unknown
        }
    }
}
