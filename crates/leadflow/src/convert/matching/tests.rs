use super::*;
use crate::time::parse_timestamp;

fn lead(email: Option<&str>, website: Option<&str>, company: Option<&str>) -> Lead {
    let mut l = Lead::new("L-1", parse_timestamp("2026-01-05T09:00:00Z").unwrap());
    l.email = email.map(str::to_owned);
    l.website = website.map(str::to_owned);
    l.company = company.map(str::to_owned);
    l
}

fn account(id: &str, name: &str, domains: &[&str], website: Option<&str>) -> Account {
    let mut a = Account::new(id, name);
    a.domains = domains.iter().map(|d| (*d).to_owned()).collect();
    a.website = website.map(str::to_owned);
    a
}

fn contact(id: &str, account: &str, email: &str) -> Contact {
    let mut c = Contact::new(id, account);
    c.email = Some(email.to_owned());
    c
}

fn codes(c: &Candidate) -> Vec<ReasonCode> {
    c.reasons.iter().map(|r| r.code).collect()
}

#[test]
fn exact_email_matches_the_contact_and_its_account() {
    let accounts = [account("A-1", "Acme", &["acme.com"], None)];
    let contacts = [
        contact("C-1", "A-1", "Jane@ACME.com"),
        contact("C-2", "A-1", "bob@acme.com"),
    ];
    let m = match_lead(
        &lead(Some(" jane@acme.com"), None, None),
        &accounts,
        &contacts,
        &MatchOptions::default(),
    );
    assert_eq!(m.contacts.len(), 1);
    assert_eq!(m.contacts[0].id, "C-1");
    assert!((m.contacts[0].confidence - 0.99).abs() < 1e-9);
    assert_eq!(
        codes(&m.accounts[0]),
        [ReasonCode::ContactAccount, ReasonCode::DomainEmail]
    );
    assert!((m.accounts[0].confidence - 0.98).abs() < 1e-9);
}

#[test]
fn free_mail_never_matches_an_account_by_domain() {
    let accounts = [account("A-1", "Google", &["gmail.com", "google.com"], None)];
    let m = match_lead(
        &lead(
            Some("jane@gmail.com"),
            Some("https://gmail.com"),
            Some("Initech"),
        ),
        &accounts,
        &[],
        &MatchOptions::default(),
    );
    assert!(m.accounts.is_empty(), "{m:?}");
    // Configured free-mail domains behave the same.
    let accounts = [account("A-2", "Corp Mail", &["corpmail.example.com"], None)];
    let opts = MatchOptions {
        free_mail_domains: vec!["corpmail.example.com".into()],
        ..MatchOptions::default()
    };
    let m = match_lead(
        &lead(Some("x@corpmail.example.com"), None, None),
        &accounts,
        &[],
        &opts,
    );
    assert!(m.accounts.is_empty());
}

#[test]
fn own_domains_are_excluded_including_subdomains() {
    let accounts = [account("A-1", "Us", &["ourco.com"], None)];
    let opts = MatchOptions {
        own_domains: vec!["ourco.com".into()],
        ..MatchOptions::default()
    };
    let m = match_lead(
        &lead(Some("rep@eu.ourco.com"), Some("ourco.com"), None),
        &accounts,
        &[],
        &opts,
    );
    assert!(m.accounts.is_empty());
    // ... but the name still counts.
    let m = match_lead(
        &lead(Some("rep@ourco.com"), None, Some("Us Inc.")),
        &accounts,
        &[],
        &opts,
    );
    assert_eq!(codes(&m.accounts[0]), [ReasonCode::CompanyName]);
}

#[test]
fn japanese_legal_form_variants_match_by_name() {
    let accounts = [account("A-9", "サンプル株式会社", &[], None)];
    for company in ["株式会社サンプル", "（株）サンプル", "ｻﾝﾌﾟﾙ"] {
        let m = match_lead(
            &lead(None, None, Some(company)),
            &accounts,
            &[],
            &MatchOptions::default(),
        );
        assert_eq!(m.accounts.len(), 1, "{company}");
        assert_eq!(codes(&m.accounts[0]), [ReasonCode::CompanyName]);
        assert!((m.accounts[0].confidence - 0.7).abs() < 1e-9);
    }
}

#[test]
fn multi_domain_accounts_match_any_domain_and_website() {
    let accounts = [
        account("A-1", "Acme", &["acme.com", "ACME.co.jp"], None),
        account("A-2", "Other", &[], Some("https://www.other.io/en")),
    ];
    let m = match_lead(
        &lead(Some("taro@tokyo.acme.co.jp"), None, None),
        &accounts,
        &[],
        &MatchOptions::default(),
    );
    assert_eq!(m.accounts[0].id, "A-1");
    assert_eq!(m.accounts[0].reasons[0].value, "acme.co.jp");
    let m = match_lead(
        &lead(None, Some("other.io"), None),
        &accounts,
        &[],
        &MatchOptions::default(),
    );
    assert_eq!(m.accounts[0].id, "A-2");
    assert_eq!(codes(&m.accounts[0]), [ReasonCode::DomainWebsite]);
}

#[test]
fn combined_evidence_beats_either_alone() {
    let accounts = [
        account("A-dom", "Something Else", &["acme.com"], None),
        account("A-both", "Acme Inc", &["acme.com"], None),
        account("A-name", "ACME Corporation", &[], None),
    ];
    let m = match_lead(
        &lead(Some("j@acme.com"), None, Some("Acme")),
        &accounts,
        &[],
        &MatchOptions::default(),
    );
    let ids: Vec<&str> = m.accounts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["A-both", "A-dom", "A-name"]);
    assert!(m.accounts[0].confidence > m.accounts[1].confidence);
    assert!(m.accounts[0].confidence < 1.0);
}

#[test]
fn ties_break_by_id_whatever_the_input_order() {
    let a = account("A-2", "Acme", &[], None);
    let b = account("A-10", "Acme", &[], None);
    let c = account("A-1", "Acme", &[], None);
    let l = lead(None, None, Some("Acme"));
    let first = match_lead(
        &l,
        &[a.clone(), b.clone(), c.clone()],
        &[],
        &MatchOptions::default(),
    );
    let second = match_lead(&l, &[c, a, b], &[], &MatchOptions::default());
    assert_eq!(first, second);
    let ids: Vec<&str> = first.accounts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["A-1", "A-10", "A-2"]);
}

#[test]
fn person_name_counts_only_at_a_matching_account() {
    let accounts = [
        account("A-1", "Acme", &["acme.com"], None),
        account("A-2", "Globex", &["globex.com"], None),
    ];
    let mut c1 = contact("C-1", "A-1", "jane.old@acme.com");
    c1.first_name = Some("Jane".into());
    c1.last_name = Some("Doe".into());
    let mut c2 = c1.clone();
    c2.id = "C-2".into();
    c2.account_id = "A-2".into();
    let mut l = lead(Some("jane@acme.com"), None, None);
    l.first_name = Some("JANE".into());
    l.last_name = Some(" Doe".into());
    let m = match_lead(&l, &accounts, &[c1, c2], &MatchOptions::default());
    assert_eq!(m.contacts.len(), 1);
    assert_eq!(m.contacts[0].id, "C-1");
    assert_eq!(codes(&m.contacts[0]), [ReasonCode::PersonName]);
}

#[test]
fn options_limit_and_filter() {
    let accounts: Vec<Account> = (0..5)
        .map(|i| account(&format!("A-{i}"), "Acme", &[], None))
        .collect();
    let opts: MatchOptions = serde_json::from_str(r#"{"max_candidates": 2}"#).unwrap();
    let m = match_lead(&lead(None, None, Some("acme")), &accounts, &[], &opts);
    assert_eq!(m.accounts.len(), 2);
    let opts: MatchOptions = serde_json::from_str(r#"{"min_confidence": 0.75}"#).unwrap();
    assert!(
        match_lead(&lead(None, None, Some("acme")), &accounts, &[], &opts)
            .accounts
            .is_empty()
    );
    assert!(serde_json::from_str::<MatchOptions>(r#"{"own_domain": []}"#).is_err());
}

#[test]
fn a_contact_of_an_unknown_account_does_not_invent_the_account() {
    let contacts = [contact("C-1", "A-gone", "j@acme.com")];
    let m = match_lead(
        &lead(Some("j@acme.com"), None, None),
        &[],
        &contacts,
        &MatchOptions::default(),
    );
    assert_eq!(m.contacts.len(), 1);
    assert!(m.accounts.is_empty());
}

/// Random worlds with many collisions: shared domains and names, duplicate
/// ids, contacts of unknown accounts, free-mail and own domains.
mod index_equivalence {
    use super::super::super::MatchIndex;
    use super::*;
    use proptest::prelude::*;

    fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
        proptest::sample::select(items)
            .prop_map(str::to_owned)
            .boxed()
    }
    fn opt(s: BoxedStrategy<String>) -> BoxedStrategy<Option<String>> {
        proptest::option::of(s).boxed()
    }

    const IDS: &[&str] = &["A-1", "A-2", "A-3", "A-4", "A-gone"];
    const NAMES: &[&str] = &[
        "Acme",
        "ACME Inc.",
        "Globex GmbH",
        "株式会社サンプル",
        "ｻﾝﾌﾟﾙ",
        "Us",
        "",
    ];
    const DOMAINS: &[&str] = &[
        "acme.com",
        "www.ACME.com",
        "acme.co.jp",
        "globex.de",
        "gmail.com",
        "ourco.com",
        "https://sample.co.jp/en",
        "nonsense",
    ];
    const EMAILS: &[&str] = &[
        "jane@acme.com",
        " JANE@acme.com",
        "bob@tokyo.acme.co.jp",
        "x@gmail.com",
        "rep@eu.ourco.com",
        "taro@sample.co.jp",
        "bad",
    ];
    const PEOPLE: &[&str] = &["Jane", "JANE ", "Doe", "Bob", "太郎"];

    prop_compose! {
        fn arb_account()(id in pick(IDS), name in pick(NAMES),
            domains in proptest::collection::vec(pick(DOMAINS), 0..3), website in opt(pick(DOMAINS)))
            -> Account {
            let mut a = Account::new(id, name);
            a.domains = domains;
            a.website = website;
            a
        }
    }

    prop_compose! {
        fn arb_contact()(id in pick(&["C-1", "C-2", "C-3", "C-4"]), account in pick(IDS),
            email in opt(pick(EMAILS)), first in opt(pick(PEOPLE)), last in opt(pick(PEOPLE)))
            -> Contact {
            let mut c = Contact::new(id, account);
            c.email = email;
            c.first_name = first;
            c.last_name = last;
            c
        }
    }

    prop_compose! {
        fn arb_lead()(email in opt(pick(EMAILS)), website in opt(pick(DOMAINS)),
            company in opt(pick(NAMES)), first in opt(pick(PEOPLE)), last in opt(pick(PEOPLE)))
            -> Lead {
            let mut l = lead(email.as_deref(), website.as_deref(), company.as_deref());
            l.first_name = first;
            l.last_name = last;
            l
        }
    }

    prop_compose! {
        fn arb_opts()(own in proptest::collection::vec(pick(&["ourco.com", "acme.co.jp"]), 0..2),
            free in proptest::collection::vec(pick(&["globex.de"]), 0..2),
            min in proptest::sample::select(&[0.0, 0.75, 0.95][..]), max in 0usize..4)
            -> MatchOptions {
            MatchOptions { own_domains: own, free_mail_domains: free, min_confidence: min, max_candidates: max }
        }
    }

    /// Replaces the first record with the same id, or appends it (the index's upsert).
    fn upsert<T>(list: &mut Vec<T>, record: T, id: impl Fn(&T) -> &str) {
        match list.iter().position(|r| id(r) == id(&record)) {
            Some(i) => list[i] = record,
            None => list.push(record),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn index_matches_exactly_like_the_scan(
            accounts in proptest::collection::vec(arb_account(), 0..7),
            contacts in proptest::collection::vec(arb_contact(), 0..7),
            leads in proptest::collection::vec(arb_lead(), 1..4),
            opts in arb_opts(),
        ) {
            let index = MatchIndex::new(&accounts, &contacts, &opts);
            for l in &leads {
                prop_assert_eq!(index.match_lead(l), match_lead(l, &accounts, &contacts, &opts));
            }
        }

        #[test]
        fn upserts_keep_the_index_exact(
            accounts in proptest::collection::vec(arb_account(), 0..5),
            contacts in proptest::collection::vec(arb_contact(), 0..5),
            new_accounts in proptest::collection::vec(arb_account(), 0..4),
            new_contacts in proptest::collection::vec(arb_contact(), 0..4),
            leads in proptest::collection::vec(arb_lead(), 1..4),
        ) {
            let opts = MatchOptions::default();
            let mut index = MatchIndex::new(&accounts, &contacts, &opts);
            let (mut accs, mut cons) = (accounts.clone(), contacts.clone());
            for a in new_accounts {
                upsert(&mut accs, a.clone(), |a| &a.id);
                index.upsert_account(a);
            }
            for c in new_contacts {
                upsert(&mut cons, c.clone(), |c| &c.id);
                index.upsert_contact(c);
            }
            prop_assert_eq!(index.accounts(), &accs[..]);
            prop_assert_eq!(index.contacts(), &cons[..]);
            for l in &leads {
                prop_assert_eq!(index.match_lead(l), match_lead(l, &accs, &cons, &opts));
            }
        }
    }
}
