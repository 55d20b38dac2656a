//! Conversion of a batch of 1,000 leads against 10,000 existing accounts and
//! 20,000 contacts: plan + apply per lead with one prebuilt `MatchIndex`, and
//! `convert_batch`, versus scanning the records per lead (the single-lead API;
//! measured on the first 20 leads, see below).
//!
//! Data is deterministic: leads come from `leadflow::synth` (seed 7) with their
//! identity rewritten so that 10% match an existing contact by e-mail, 50% an
//! existing account by domain and name, 30% are new companies (pairs of leads
//! share one) and 10% use free mail with the name of an existing account.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leadflow::convert::{
    ConvertOptions, MatchIndex, apply, apply_indexed, convert_batch, plan, plan_indexed,
};
use leadflow::lifecycle::{Change, Pipeline};
use leadflow::{Account, Contact, Lead, Opportunity, Timestamp, parse_timestamp};

/// Leads, accounts and contacts of the measured workload.
const FULL: Sizes = Sizes {
    leads: 1_000,
    accounts: 10_000,
    contacts: 20_000,
};
/// `scripts/test` runs every bench once (`-- --test`, unoptimized): the scan
/// over the full workload would take minutes there.
const SMOKE: Sizes = Sizes {
    leads: 50,
    accounts: 500,
    contacts: 1_000,
};

#[derive(Debug, Clone, Copy)]
struct Sizes {
    leads: usize,
    accounts: usize,
    contacts: usize,
}
const FIRST: [&str; 6] = ["Ana", "Ken", "Maria", "John", "Yuki", "Omar"];
const LAST: [&str; 6] = ["Ito", "Smith", "Garcia", "Sato", "Khan", "Muller"];

fn now() -> Timestamp {
    parse_timestamp("2026-02-10T12:00:00Z").expect("valid timestamp")
}

fn accounts(n: Sizes) -> Vec<Account> {
    (0..n.accounts)
        .map(|i| {
            let mut a = Account::new(format!("A-{i:05}"), format!("Company{i:05}, Inc."));
            a.domains = vec![format!("company{i:05}.com")];
            if i % 7 == 0 {
                a.domains.push(format!("company{i:05}.co.jp"));
            }
            if i % 3 == 0 {
                a.website = Some(format!("https://www.company{i:05}.com"));
            }
            a.industry = (i % 2 == 0).then(|| "Software".to_owned());
            a
        })
        .collect()
}

fn contacts(n: Sizes) -> Vec<Contact> {
    (0..n.contacts)
        .map(|j| {
            let k = j % n.accounts;
            let mut c = Contact::new(format!("C-{j:05}"), format!("A-{k:05}"));
            c.first_name = Some(FIRST[j % FIRST.len()].to_owned());
            c.last_name = Some(LAST[(j / FIRST.len()) % LAST.len()].to_owned());
            c.email = Some(format!("person{j}@company{k:05}.com"));
            c
        })
        .collect()
}

fn leads(n: Sizes) -> Vec<Lead> {
    leadflow::synth::reference_leads(n.leads, 7, now())
        .enumerate()
        .map(|(i, mut l)| {
            let k = (i * 37) % n.accounts;
            let (email, company, website) = match i % 10 {
                0 => {
                    let j = (i * 7) % n.contacts;
                    (
                        format!("person{j}@company{:05}.com", j % n.accounts),
                        format!("Company{:05}", j % n.accounts),
                        None,
                    )
                }
                1..=5 => (
                    format!("lead{i}@company{k:05}.com"),
                    format!("COMPANY{k:05} Inc"),
                    Some(format!("company{k:05}.com")),
                ),
                6..=8 => (
                    format!("lead{i}@newco{}.io", i / 2),
                    format!("NewCo {}", i / 2),
                    None,
                ),
                _ => (format!("lead{i}@gmail.com"), format!("Company{k:05}"), None),
            };
            l.email = Some(email);
            l.company = Some(company);
            l.website = website;
            l
        })
        .collect()
}

fn convert_1k(c: &mut Criterion) {
    let n = if std::env::args().any(|a| a == "--test") {
        SMOKE
    } else {
        FULL
    };
    let (accounts, contacts, leads) = (accounts(n), contacts(n), leads(n));
    let opts = ConvertOptions::default();
    let pipeline = Pipeline::default();
    // What the batch does (printed once, so the workload is visible next to the figures).
    let plans = leadflow::convert::plan_batch(&leads, &accounts, &contacts, &opts, now());
    let count = |f: &dyn Fn(&leadflow::convert::ConversionPlan) -> bool| {
        plans.iter().flatten().filter(|p| f(p)).count()
    };
    eprintln!(
        "workload: {} plans ({} errors): contact linked {}, account linked {}, account created {}",
        plans.len(),
        plans.iter().filter(|p| p.is_err()).count(),
        count(&|p| !p.contact.is_create()),
        count(&|p| !p.account.is_create()),
        count(&|p| p.account.is_create()),
    );
    let mut g = c.benchmark_group("convert");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    g.bench_function("index_build_10k_accounts_20k_contacts", |b| {
        b.iter(|| MatchIndex::new(&accounts, &contacts, &opts.matching));
    });

    g.throughput(Throughput::Elements(n.leads as u64));
    g.bench_function("plan_apply_1k_leads_indexed", |b| {
        b.iter_batched(
            || leads.clone(),
            |mut leads| {
                let index = MatchIndex::new(&accounts, &contacts, &opts.matching);
                for lead in &mut leads {
                    if let Ok(p) = plan_indexed(&pipeline, lead, &index, &opts, now()) {
                        black_box(apply_indexed(&pipeline, &p, lead, &index, &opts, now()).ok());
                    }
                }
                leads
            },
            BatchSize::PerIteration,
        );
    });
    // The same plans and applies against one index built beforehand: the
    // per-lead cost without the index build above (which the line before pays
    // once per 1,000 leads).
    let prebuilt = MatchIndex::new(&accounts, &contacts, &opts.matching);
    g.bench_function("plan_apply_1k_leads_prebuilt_index", |b| {
        b.iter_batched(
            || leads.clone(),
            |mut leads| {
                for lead in &mut leads {
                    if let Ok(p) = plan_indexed(&pipeline, lead, &prebuilt, &opts, now()) {
                        black_box(apply_indexed(&pipeline, &p, lead, &prebuilt, &opts, now()).ok());
                    }
                }
                leads
            },
            BatchSize::PerIteration,
        );
    });
    // The floor: the same lookups in plain HashMaps and the three records built by hand.
    let hand = HandIndex::new(&accounts, &contacts);
    g.bench_function("hand_written_1k_leads", |b| {
        b.iter(|| {
            for lead in &leads {
                black_box(hand.convert(lead, &pipeline, now()));
            }
        });
    });
    g.bench_function("convert_batch_1k_leads", |b| {
        b.iter_batched(
            || leads.clone(),
            |mut leads| convert_batch(&mut leads, &accounts, &contacts, &opts, now()),
            BatchSize::PerIteration,
        );
    });
    // The scan normalizes all 30,000 records per lead (about the cost of one
    // index build): 1,000 leads would take minutes per iteration, so it runs
    // on the first 20 leads; compare the elem/s (or the time x 50).
    let scanned = leads.len().min(20);
    g.throughput(Throughput::Elements(scanned as u64));
    g.bench_function("plan_apply_20_leads_scan", |b| {
        b.iter_batched(
            || leads[..scanned].to_vec(),
            |mut leads| {
                for lead in &mut leads {
                    if let Ok(p) = plan(lead, &accounts, &contacts, &opts, now()) {
                        black_box(apply(&p, lead, &accounts, &contacts, &opts, now()).ok());
                    }
                }
                leads
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

/// Existing records by lower-case e-mail, domain and name, in plain `HashMap`s.
struct HandIndex<'a> {
    accounts: &'a [Account],
    contacts: &'a [Contact],
    contact_by_email: HashMap<String, usize>,
    account_by_domain: HashMap<String, usize>,
    account_by_name: HashMap<String, usize>,
}

impl<'a> HandIndex<'a> {
    fn new(accounts: &'a [Account], contacts: &'a [Contact]) -> Self {
        let mut index = HandIndex {
            accounts,
            contacts,
            contact_by_email: HashMap::new(),
            account_by_domain: HashMap::new(),
            account_by_name: HashMap::new(),
        };
        for (i, a) in accounts.iter().enumerate() {
            for d in &a.domains {
                index.account_by_domain.entry(d.to_lowercase()).or_insert(i);
            }
            index
                .account_by_name
                .entry(company_key(&a.name))
                .or_insert(i);
        }
        for (i, c) in contacts.iter().enumerate() {
            if let Some(e) = &c.email {
                index.contact_by_email.entry(e.to_lowercase()).or_insert(i);
            }
        }
        index
    }

    /// The lead's contact by e-mail, else its account by e-mail domain, website
    /// or company name; the account, contact and opportunity built (linked
    /// records copied, new ones filled from the lead, activities copied).
    fn convert(
        &self,
        lead: &Lead,
        pipeline: &Pipeline,
        now: Timestamp,
    ) -> (Account, Contact, Opportunity) {
        let email = lead.email.as_deref().unwrap_or_default().to_lowercase();
        let contact = self
            .contact_by_email
            .get(&email)
            .map(|&i| &self.contacts[i]);
        let domain = email
            .rsplit_once('@')
            .map(|(_, d)| d)
            .filter(|d| *d != "gmail.com");
        let website = lead.website.as_deref().map(str::to_lowercase);
        let linked = contact
            .and_then(|c| self.accounts.iter().position(|a| a.id == c.account_id))
            .or_else(|| domain.and_then(|d| self.account_by_domain.get(d).copied()))
            .or_else(|| website.and_then(|w| self.account_by_domain.get(&w).copied()))
            .or_else(|| {
                let name = company_key(lead.company.as_deref()?);
                self.account_by_name.get(&name).copied()
            });
        let account = if let Some(i) = linked {
            self.accounts[i].clone()
        } else {
            let mut a = Account::new(
                format!("acc-{}", lead.id),
                lead.company.clone().unwrap_or_default(),
            );
            a.domains.extend(domain.map(str::to_owned));
            a.website.clone_from(&lead.website);
            a.industry.clone_from(&lead.industry);
            a.employees = lead.employees;
            a.country.clone_from(&lead.country);
            a
        };
        let mut contact = if let Some(c) = contact {
            c.clone()
        } else {
            let mut c = Contact::new(format!("con-{}", lead.id), account.id.clone());
            c.first_name.clone_from(&lead.first_name);
            c.last_name.clone_from(&lead.last_name);
            c.email.clone_from(&lead.email);
            c.title.clone_from(&lead.title);
            c
        };
        contact.activities.extend(lead.activities.iter().cloned());
        let change = Change::new(now).reason(format!("converted from lead {}", lead.id));
        let mut opp = pipeline.open_opportunity(
            format!("opp-{}", lead.id),
            lead.company.as_deref().unwrap_or(&account.name),
            &account.id,
            &change,
        );
        opp.primary_contact_id = Some(contact.id.clone());
        opp.source.clone_from(&lead.source);
        opp.activities.clone_from(&lead.activities);
        (account, contact, opp)
    }
}

/// Lower case, without punctuation and a trailing `inc`.
fn company_key(name: &str) -> String {
    let key: String = name
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    key.trim().trim_end_matches(" inc").trim().to_owned()
}

criterion_group!(benches, convert_1k);
criterion_main!(benches);
