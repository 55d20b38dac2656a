//! Company names: the key two spellings of one company share
//! (`ACME, Inc.` and `Acme Incorporated` both give `acme`).

use super::fold;

/// Japanese legal forms, removed wherever they appear: they are written before
/// (`株式会社サンプル`) or after (`サンプル株式会社`) the name, without spaces.
/// After NFKC, `（株）` and `㈱` both read `(株)`.
const JAPANESE_FORMS: &[&str] = &[
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(株)",
    "(有)",
    "(同)",
];

/// Legal-form words removed from the end of a name, repeatedly (`co ltd`,
/// `pty ltd`), after dots are dropped (`L.L.C.` reads `llc`).
const SUFFIXES: &[&str] = &[
    "ab",
    "ag",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "kg",
    "kk",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "oy",
    "oyj",
    "plc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "sas",
    "spa",
    "srl",
];

/// Words removed from the start of a name.
const PREFIXES: &[&str] = &["the"];

/// The comparison key of a company name: NFKC, lowercased, legal forms removed
/// (`Inc`, `GmbH`, `K.K.`, `株式会社`, `(株)` ...), `&` read as `and`, other
/// punctuation dropped and whitespace collapsed.
///
/// `"ACME, Inc."` gives `acme`; `"株式会社サンプル"` and `"サンプル株式会社"`
/// give `サンプル`. A name made only of legal-form words keeps them
/// (`"Company"` gives `company`); an empty name gives `None`.
pub fn normalize_company(name: &str) -> Option<String> {
    let mut text = fold(name);
    for form in JAPANESE_FORMS {
        text = text.replace(form, " ");
    }
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // Dropped inside words: `L.L.C.` -> `llc`, `O'Brien` -> `obrien`.
            '.' | '\'' | '’' => {}
            '&' | '+' => cleaned.push_str(" and "),
            c if c.is_alphanumeric() => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut start = 0;
    let mut end = words.len();
    while end > start + 1 && PREFIXES.contains(&words[start]) {
        start += 1;
    }
    while end > start + 1 && SUFFIXES.contains(&words[end - 1]) {
        end -= 1;
    }
    Some(words[start..end].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        normalize_company(s)
    }

    #[test]
    fn strips_western_legal_forms() {
        for name in [
            "Acme",
            "ACME, Inc.",
            "Acme Incorporated",
            "Acme Corp.",
            "Acme Corporation",
            "acme co., ltd.",
            "Acme L.L.C.",
            "Acme LLC",
            "Acme Limited",
            "Acme PLC",
            "Acme GmbH",
            "Acme AG",
            "Acme S.A.",
            "Acme SAS",
            "Acme SARL",
            "Acme B.V.",
            "Acme NV",
            "Acme Pty Ltd",
            "Acme Oy",
            "Acme AB",
            "Acme K.K.",
            "The Acme Company",
            "  ACME   ",
            "ＡＣＭＥ　Ｉｎｃ．",
        ] {
            assert_eq!(key(name).as_deref(), Some("acme"), "{name:?}");
        }
    }

    #[test]
    fn japanese_forms_before_or_after() {
        for name in [
            "株式会社サンプル",
            "サンプル株式会社",
            "（株）サンプル",
            "サンプル(株)",
            "㈱サンプル",
            "株式会社 サンプル",
            "有限会社サンプル",
            "サンプル合同会社",
            "ｻﾝﾌﾟﾙ株式会社",
        ] {
            assert_eq!(key(name).as_deref(), Some("サンプル"), "{name:?}");
        }
    }

    #[test]
    fn punctuation_and_ampersand() {
        assert_eq!(
            key("Johnson & Johnson").as_deref(),
            Some("johnson and johnson")
        );
        assert_eq!(
            key("Johnson and Johnson").as_deref(),
            Some("johnson and johnson")
        );
        assert_eq!(key("Hewlett-Packard").as_deref(), Some("hewlett packard"));
        assert_eq!(
            key("O'Reilly Media, Inc.").as_deref(),
            Some("oreilly media")
        );
    }

    #[test]
    fn keeps_names_made_of_legal_words_and_rejects_empty() {
        assert_eq!(key("Company").as_deref(), Some("company"));
        assert_eq!(key("The Limited").as_deref(), Some("limited"));
        assert_eq!(key("  "), None);
        assert_eq!(key("株式会社"), None);
        assert_eq!(key("..."), None);
    }

    #[test]
    fn distinct_companies_stay_distinct() {
        assert_ne!(key("Acme Labs"), key("Acme"));
        assert_ne!(key("Sample Co"), key("Sample Corp Japan"));
    }
}
