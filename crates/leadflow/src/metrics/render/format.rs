//! Number formatting shared by the text and HTML reports.

/// `1234567.8` -> `1,234,568`.
pub fn money(v: f64) -> String {
    #[allow(clippy::cast_possible_truncation)] // display only; amounts are far below 2^63
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    money(n as f64)
}

/// `0.4567` -> `45.7%`; `None` -> `-`.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// Days with one decimal; `None` -> `-`.
pub fn days(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |d| format!("{d:.1} d"))
}

/// Minutes as `12 min`, `3.5 h` or `2.1 d`; `None` -> `-`.
pub fn minutes(v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(m) if m < 90.0 => format!("{m:.0} min"),
        Some(m) if m < 2_880.0 => format!("{:.1} h", m / 60.0),
        Some(m) => format!("{:.1} d", m / 1_440.0),
    }
}

/// Money or `-`.
pub fn opt_money(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), money)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(money(1_234_567.8), "1,234,568");
        assert_eq!(money(-999.0), "-999");
        assert_eq!(money(0.0), "0");
        assert_eq!(pct(Some(0.4567)), "45.7%");
        assert_eq!(pct(None), "-");
        assert_eq!(minutes(Some(12.0)), "12 min");
        assert_eq!(minutes(Some(150.0)), "2.5 h");
    }
}
