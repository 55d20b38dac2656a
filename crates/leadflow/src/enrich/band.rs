//! Company-size bands from an employee count.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A company-size band. The bounds follow the bands most firmographic providers
/// and CRMs use (1-10, 11-50, 51-200, ...), so that a band from a provider and
/// a band derived from a count compare equal. The JSON form is the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EmployeeBand {
    #[serde(rename = "1-10")]
    UpTo10,
    #[serde(rename = "11-50")]
    UpTo50,
    #[serde(rename = "51-200")]
    UpTo200,
    #[serde(rename = "201-1000")]
    UpTo1000,
    #[serde(rename = "1001-5000")]
    UpTo5000,
    #[serde(rename = "5001+")]
    Over5000,
}

impl EmployeeBand {
    /// Every band, smallest first.
    pub const ALL: [EmployeeBand; 6] = [
        EmployeeBand::UpTo10,
        EmployeeBand::UpTo50,
        EmployeeBand::UpTo200,
        EmployeeBand::UpTo1000,
        EmployeeBand::UpTo5000,
        EmployeeBand::Over5000,
    ];

    /// The band of a head count. 0 is treated as unknown (`None`): providers
    /// write 0 for "no data", and every company has at least one person.
    pub const fn of(employees: u64) -> Option<EmployeeBand> {
        Some(match employees {
            0 => return None,
            1..=10 => EmployeeBand::UpTo10,
            11..=50 => EmployeeBand::UpTo50,
            51..=200 => EmployeeBand::UpTo200,
            201..=1000 => EmployeeBand::UpTo1000,
            1001..=5000 => EmployeeBand::UpTo5000,
            _ => EmployeeBand::Over5000,
        })
    }

    /// The label used in JSON and rules (`"51-200"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            EmployeeBand::UpTo10 => "1-10",
            EmployeeBand::UpTo50 => "11-50",
            EmployeeBand::UpTo200 => "51-200",
            EmployeeBand::UpTo1000 => "201-1000",
            EmployeeBand::UpTo5000 => "1001-5000",
            EmployeeBand::Over5000 => "5001+",
        }
    }

    /// Smallest and largest head count in the band (`None`: no upper bound).
    pub const fn bounds(self) -> (u64, Option<u64>) {
        match self {
            EmployeeBand::UpTo10 => (1, Some(10)),
            EmployeeBand::UpTo50 => (11, Some(50)),
            EmployeeBand::UpTo200 => (51, Some(200)),
            EmployeeBand::UpTo1000 => (201, Some(1000)),
            EmployeeBand::UpTo5000 => (1001, Some(5000)),
            EmployeeBand::Over5000 => (5001, None),
        }
    }
}

impl fmt::Display for EmployeeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        let cases = [
            (0, None),
            (1, Some("1-10")),
            (10, Some("1-10")),
            (11, Some("11-50")),
            (50, Some("11-50")),
            (51, Some("51-200")),
            (200, Some("51-200")),
            (201, Some("201-1000")),
            (1000, Some("201-1000")),
            (1001, Some("1001-5000")),
            (5000, Some("1001-5000")),
            (5001, Some("5001+")),
            (u64::MAX, Some("5001+")),
        ];
        for (n, want) in cases {
            assert_eq!(EmployeeBand::of(n).map(EmployeeBand::as_str), want, "{n}");
        }
    }

    #[test]
    fn bounds_agree_with_of_and_serde() {
        for band in EmployeeBand::ALL {
            let (lo, hi) = band.bounds();
            assert_eq!(EmployeeBand::of(lo), Some(band));
            if let Some(hi) = hi {
                assert_eq!(EmployeeBand::of(hi), Some(band));
                assert_ne!(EmployeeBand::of(hi + 1), Some(band));
            }
            assert_eq!(serde_json::to_value(band).unwrap(), band.as_str());
        }
    }
}
