//! Name resolution and the missing-feature check of flat input.

use super::*;
use crate::error::ErrorKind;

fn reference() -> CompiledPack {
    CompiledPack::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/packs/reference"
    ))
    .unwrap()
}

/// The reference workload's CSV header (`leadflow generate --format rows-csv`).
const HEADER: &[&str] = &[
    "title",
    "employees",
    "revenue",
    "industry",
    "country",
    "email",
    "source",
    "days_since_activity",
    "page_views",
    "email_opens",
    "email_clicks",
    "form_fills",
    "pricing_visits",
    "demo_requested",
    "webinar_attended",
    "unsubscribed",
];

fn strict() -> InputOptions {
    InputOptions::default()
}

fn lenient() -> InputOptions {
    InputOptions {
        strict: false,
        ..InputOptions::default()
    }
}

#[test]
fn folds_case_spaces_and_dashes() {
    assert_eq!(fold("Title"), "title");
    assert_eq!(fold(" Annual Revenue "), "annual_revenue");
    assert_eq!(fold("ANNUAL--REVENUE"), "annual_revenue");
    assert_eq!(fold("Page  Views"), "page_views");
    assert_eq!(fold("_x_"), "x");
}

#[test]
fn the_reference_header_resolves_to_itself() {
    let s = reference().input_schema(HEADER, &strict()).unwrap();
    assert_eq!(s.names().collect::<Vec<_>>(), HEADER);
    assert!(s.warnings.is_empty());
}

#[test]
fn crm_cased_names_resolve_to_features() {
    let crm: Vec<String> = HEADER
        .iter()
        .map(|h| h.replace('_', " ").to_uppercase())
        .collect();
    let crm: Vec<&str> = crm.iter().map(String::as_str).collect();
    let s = reference().input_schema(&crm, &strict()).unwrap();
    assert_eq!(s.names().collect::<Vec<_>>(), HEADER);
    let mut one = HEADER.to_vec();
    one[5] = " Email ";
    one.push("Annual Revenue");
    let s = reference().input_schema(&one, &strict()).unwrap();
    assert_eq!(s.name(5), "email");
    assert_eq!(s.name(HEADER.len()), "annual_revenue");
}

#[test]
fn two_columns_reading_as_one_name_are_an_error_naming_both() {
    let mut cols = HEADER.to_vec();
    cols.push("Title");
    let e = reference().input_schema(&cols, &strict()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("`title` and `Title`"), "{e}");
}

#[test]
fn a_mapping_wins_and_is_checked() {
    let mut cols = HEADER.to_vec();
    cols[0] = "Job Title";
    cols.push("Title");
    let opts = InputOptions {
        columns: vec![("Job Title".into(), "title".into())],
        strict: true,
    };
    let s = reference().input_schema(&cols, &opts).unwrap();
    assert_eq!(s.name(0), "title");
    // The folded column loses to the mapping and keeps its own name.
    assert_eq!(s.name(HEADER.len()), "Title");

    // A column named exactly like the mapped feature is a second one: an error.
    let mut twice = cols.clone();
    twice.push("title");
    let e = reference().input_schema(&twice, &opts).unwrap_err();
    assert!(e.to_string().contains("`Job Title` and `title`"), "{e}");

    let absent = InputOptions {
        columns: vec![("Position".into(), "title".into())],
        strict: true,
    };
    let e = reference().input_schema(HEADER, &absent).unwrap_err();
    assert!(e.to_string().contains("`Position`"), "{e}");
    let unknown = InputOptions {
        columns: vec![("title".into(), "rank".into())],
        strict: true,
    };
    let e = reference().input_schema(HEADER, &unknown).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("`rank`"), "{e}");
}

#[test]
fn a_missing_feature_column_is_an_error_unless_lenient() {
    let cols: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|c| *c != "employees" && *c != "page_views")
        .collect();
    let e = reference().input_schema(&cols, &strict()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let text = e.to_string();
    assert!(
        text.contains("`employees`") && text.contains("`page_views`"),
        "{text}"
    );
    assert!(
        text.contains("`title`"),
        "the columns seen are listed: {text}"
    );
    let s = reference().input_schema(&cols, &lenient()).unwrap();
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("`employees`"));
}

#[test]
fn annual_revenue_supplies_revenue() {
    let cols: Vec<&str> = HEADER
        .iter()
        .map(|c| if *c == "revenue" { "annual_revenue" } else { c })
        .collect();
    assert!(reference().input_schema(&cols, &strict()).is_ok());
}

proptest::proptest! {
    /// The allocation-free check agrees with building the fold.
    #[test]
    fn is_folded_is_fold_unchanged(name in "[aZ_ \\-\\t.1é]{0,8}") {
        proptest::prop_assert_eq!(super::is_folded(&name), fold(&name) == name, "{:?}", name);
    }
}
