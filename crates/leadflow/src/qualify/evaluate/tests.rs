use super::*;
use crate::ErrorKind;
use crate::qualify::CriterionEvidence;
use crate::time::parse_timestamp;

fn bant() -> &'static Framework {
    Framework::builtin("BANT").unwrap()
}

fn ev(pairs: &[(&str, Status)]) -> Evidence {
    let mut e = Evidence::new();
    for (k, s) in pairs {
        e.set(*k, *s, None);
    }
    e
}

use Status::{Confirmed as C, Disqualifying as D, Partial as P};

#[test]
fn all_required_confirmed_qualifies() {
    let r = evaluate(
        bant(),
        &ev(&[
            ("budget", C),
            ("authority", C),
            ("need", C),
            ("timeline", C),
        ]),
        &Policy::all_required(),
    )
    .unwrap();
    assert_eq!(r.outcome, Outcome::Qualified);
    assert!(r.missing.is_empty());
    assert!((r.credit - 4.0).abs() < 1e-9);
}

#[test]
fn all_required_with_a_partial_is_not_yet_and_lists_missing() {
    let e = ev(&[("budget", C), ("authority", P), ("need", C)]);
    let r = evaluate(bant(), &e, &Policy::all_required()).unwrap();
    assert_eq!(r.outcome, Outcome::NotYet);
    assert_eq!(r.missing, ["authority", "timeline"]);
    assert!((r.credit - 2.5).abs() < 1e-9);
}

#[test]
fn partial_meets_required_when_allowed() {
    let e = ev(&[
        ("budget", C),
        ("authority", P),
        ("need", P),
        ("timeline", C),
    ]);
    let mut p = Policy::all_required();
    assert_eq!(evaluate(bant(), &e, &p).unwrap().outcome, Outcome::NotYet);
    p.partial_meets_required = true;
    assert_eq!(
        evaluate(bant(), &e, &p).unwrap().outcome,
        Outcome::Qualified
    );
}

#[test]
fn n_of_m_counts_partial_as_half() {
    let p = Policy::at_least(3.0, 0.5);
    let three = ev(&[("budget", C), ("need", C), ("timeline", C)]);
    assert_eq!(
        evaluate(bant(), &three, &p).unwrap().outcome,
        Outcome::Qualified
    );
    let two_and_two_halves = ev(&[
        ("budget", C),
        ("need", C),
        ("authority", P),
        ("timeline", P),
    ]);
    assert_eq!(
        evaluate(bant(), &two_and_two_halves, &p).unwrap().outcome,
        Outcome::Qualified
    );
    let two_and_a_half = ev(&[("budget", C), ("need", C), ("authority", P)]);
    assert_eq!(
        evaluate(bant(), &two_and_a_half, &p).unwrap().outcome,
        Outcome::NotYet
    );
    let no_partial_credit = Policy::at_least(3.0, 0.0);
    assert_eq!(
        evaluate(bant(), &two_and_two_halves, &no_partial_credit)
            .unwrap()
            .outcome,
        Outcome::NotYet
    );
}

#[test]
fn both_conditions_must_hold() {
    let mut p = Policy::at_least(7.0, 0.5);
    p.all_required = true;
    let m = Framework::builtin("MEDDPICC").unwrap();
    let mut e = ev(&[
        ("metrics", C),
        ("economic_buyer", C),
        ("decision_criteria", C),
        ("decision_process", C),
        ("paper_process", C),
        ("identify_pain", C),
        ("champion", C),
    ]);
    // All required confirmed (competition is optional) and 7 credits.
    assert_eq!(evaluate(m, &e, &p).unwrap().outcome, Outcome::Qualified);
    p.min_met = Some(7.5);
    assert_eq!(evaluate(m, &e, &p).unwrap().outcome, Outcome::NotYet);
    e.set("competition", P, None);
    assert_eq!(evaluate(m, &e, &p).unwrap().outcome, Outcome::Qualified);
}

#[test]
fn any_disqualifying_criterion_disqualifies_with_why() {
    let at = parse_timestamp("2026-03-02T10:00:00Z").unwrap();
    let mut e = ev(&[
        ("budget", C),
        ("authority", C),
        ("need", C),
        ("timeline", C),
    ]);
    e.insert(
        "budget",
        CriterionEvidence::new(D)
            .evidence("no budget until FY2028")
            .source("call")
            .at(at),
    );
    let r = evaluate(bant(), &e, &Policy::at_least(1.0, 0.5)).unwrap();
    assert_eq!(r.outcome, Outcome::Disqualified);
    assert_eq!(r.disqualified_by.len(), 1);
    assert_eq!(r.disqualified_by[0].key, "budget");
    assert_eq!(r.disqualified_by[0].source.as_deref(), Some("call"));
    let state = r.to_state(at);
    assert_eq!(state.outcome, "disqualified");
    assert_eq!(state.disqualified_by, ["budget: no budget until FY2028"]);
    assert_eq!(state.framework, "BANT");
    assert_eq!(state.at, at);
}

#[test]
fn optional_criterion_can_disqualify() {
    let m = Framework::builtin("MEDDPICC").unwrap();
    let e = ev(&[("competition", D)]);
    let r = evaluate(m, &e, &m.default_policy()).unwrap();
    assert_eq!(r.outcome, Outcome::Disqualified);
    assert_eq!(
        r.to_state(parse_timestamp("2026-01-01T00:00:00Z").unwrap())
            .disqualified_by,
        ["competition"]
    );
}

#[test]
fn champ_and_meddic_defaults() {
    let champ = Framework::builtin("CHAMP").unwrap();
    let e = ev(&[
        ("challenges", C),
        ("authority", C),
        ("money", C),
        ("prioritization", C),
    ]);
    assert_eq!(
        evaluate(champ, &e, &champ.default_policy())
            .unwrap()
            .outcome,
        Outcome::Qualified
    );
    let meddic = Framework::builtin("MEDDIC").unwrap();
    // BANT-only evidence is ignored by MEDDIC: everything is missing.
    let r = evaluate(meddic, &e, &meddic.default_policy()).unwrap();
    assert_eq!(r.outcome, Outcome::NotYet);
    assert_eq!(r.missing.len(), 6);
}

#[test]
fn unusable_policy_is_a_config_error() {
    let e = evaluate(bant(), &Evidence::new(), &Policy::at_least(9.0, 0.5)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[test]
fn result_json_shape() {
    let r = evaluate(bant(), &ev(&[("budget", C)]), &Policy::all_required()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["outcome"], "not_yet");
    assert_eq!(v["criteria"][0]["status"], "confirmed");
    assert_eq!(v["criteria"][1]["status"], "unknown");
    let back: QualificationResult = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}
