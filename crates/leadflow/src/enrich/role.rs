//! The seniority and department vocabularies that title parsing maps job titles to.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How senior a person is, by management level (not by years of experience).
///
/// Ordered by [`rank`](Seniority::rank) from `intern_student` (1) to `c_level` (9);
/// `unknown` ranks 0 so that `rank() >= Seniority::Vp.rank()` reads naturally in rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seniority {
    /// Chief officers, president, chair, managing director, 代表取締役, 社長, 会長.
    CLevel,
    /// Founder, co-founder, owner, managing or general partner, 創業者, オーナー.
    Owner,
    /// VP / SVP / EVP, executive officers and board members below the top: 取締役, 執行役員, 専務, 常務.
    Vp,
    /// "Head of X", 本部長, 事業部長: runs a function, typically between director and VP.
    Head,
    /// Director, general manager, 部長, 所長, 支店長.
    Director,
    /// People managers: manager, supervisor, team lead, 課長, 次長, 室長.
    Manager,
    /// Senior individual contributors: senior, lead, principal, staff-level, 係長, 主任.
    Senior,
    /// Individual contributors, including role-titled "managers" without reports
    /// (account, product, project manager) and assistants to executives.
    IndividualContributor,
    /// Interns, trainees, apprentices and students (インターン, 学生).
    InternStudent,
    /// No title, or nothing in it that says how senior the person is.
    Unknown,
}

impl Seniority {
    /// Every value, from most to least senior, `unknown` last.
    pub const ALL: [Seniority; 10] = [
        Seniority::CLevel,
        Seniority::Owner,
        Seniority::Vp,
        Seniority::Head,
        Seniority::Director,
        Seniority::Manager,
        Seniority::Senior,
        Seniority::IndividualContributor,
        Seniority::InternStudent,
        Seniority::Unknown,
    ];

    /// 9 for `c_level` down to 1 for `intern_student`; 0 for `unknown`.
    pub const fn rank(self) -> u8 {
        match self {
            Seniority::CLevel => 9,
            Seniority::Owner => 8,
            Seniority::Vp => 7,
            Seniority::Head => 6,
            Seniority::Director => 5,
            Seniority::Manager => 4,
            Seniority::Senior => 3,
            Seniority::IndividualContributor => 2,
            Seniority::InternStudent => 1,
            Seniority::Unknown => 0,
        }
    }

    /// The stable `snake_case` name used in JSON and rules.
    pub const fn as_str(self) -> &'static str {
        match self {
            Seniority::CLevel => "c_level",
            Seniority::Owner => "owner",
            Seniority::Vp => "vp",
            Seniority::Head => "head",
            Seniority::Director => "director",
            Seniority::Manager => "manager",
            Seniority::Senior => "senior",
            Seniority::IndividualContributor => "individual_contributor",
            Seniority::InternStudent => "intern_student",
            Seniority::Unknown => "unknown",
        }
    }

    /// One level down, for "assistant" / "associate" in front of a rank
    /// (Assistant Vice President is director level). Manager and below stay.
    pub(crate) const fn demoted(self) -> Seniority {
        match self {
            Seniority::CLevel | Seniority::Owner => Seniority::Vp,
            Seniority::Vp | Seniority::Head => Seniority::Director,
            Seniority::Director => Seniority::Manager,
            other => other,
        }
    }
}

impl fmt::Display for Seniority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The function a person works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// General management: CEO, president, founder, chief of staff, 経営企画, 社長室.
    Executive,
    /// Sales, business development, revenue, partnerships, account management.
    Sales,
    /// Marketing, growth, brand, communications, PR, demand generation.
    Marketing,
    /// Software and hardware engineering, R&D, data.
    Engineering,
    /// Internal IT, information systems, IT security (情報システム).
    It,
    /// Finance, accounting, treasury, tax, audit.
    Finance,
    /// Human resources, people, recruiting, talent.
    Hr,
    /// Operations, supply chain, procurement, manufacturing, facilities, 総務.
    Operations,
    /// Product management.
    Product,
    /// Legal, counsel, compliance, privacy.
    Legal,
    /// Customer support, service and success.
    Support,
    /// A recognised function outside this list (research, design, education, medical).
    Other,
    /// No title, or no function named in it.
    Unknown,
}

impl Department {
    /// Every value, in declaration order.
    pub const ALL: [Department; 13] = [
        Department::Executive,
        Department::Sales,
        Department::Marketing,
        Department::Engineering,
        Department::It,
        Department::Finance,
        Department::Hr,
        Department::Operations,
        Department::Product,
        Department::Legal,
        Department::Support,
        Department::Other,
        Department::Unknown,
    ];

    /// The stable `snake_case` name used in JSON and rules.
    pub const fn as_str(self) -> &'static str {
        match self {
            Department::Executive => "executive",
            Department::Sales => "sales",
            Department::Marketing => "marketing",
            Department::Engineering => "engineering",
            Department::It => "it",
            Department::Finance => "finance",
            Department::Hr => "hr",
            Department::Operations => "operations",
            Department::Product => "product",
            Department::Legal => "legal",
            Department::Support => "support",
            Department::Other => "other",
            Department::Unknown => "unknown",
        }
    }

    /// Precedence when a title names several functions; lower wins, then the
    /// earliest mention. Specific functions beat the words that often qualify
    /// them: "Sales Engineer" is sales, "Product Marketing" is marketing,
    /// "Marketing Operations" is marketing, "Founder & CTO" is engineering.
    pub(crate) const fn tier(self) -> u8 {
        match self {
            Department::Sales
            | Department::Marketing
            | Department::It
            | Department::Finance
            | Department::Hr
            | Department::Legal
            | Department::Support => 1,
            Department::Engineering | Department::Product => 2,
            Department::Operations | Department::Other => 3,
            Department::Executive => 4,
            Department::Unknown => 5,
        }
    }
}

impl fmt::Display for Department {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_serde() {
        for s in Seniority::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for d in Department::ALL {
            assert_eq!(serde_json::to_value(d).unwrap(), d.as_str());
        }
    }

    #[test]
    fn ranks_descend_in_declaration_order() {
        let ranks: Vec<u8> = Seniority::ALL.iter().map(|s| s.rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] > w[1]), "{ranks:?}");
    }

    #[test]
    fn demotion_goes_one_level_down() {
        assert_eq!(Seniority::Vp.demoted(), Seniority::Director);
        assert_eq!(Seniority::Director.demoted(), Seniority::Manager);
        assert_eq!(Seniority::Manager.demoted(), Seniority::Manager);
        assert_eq!(Seniority::CLevel.demoted(), Seniority::Vp);
    }
}
