//! Conversion of a batch of 1,000 leads against 10,000 existing accounts and
//! 20,000 contacts: plan + apply per lead by scanning the records (the
//! single-lead API) versus one prebuilt `MatchIndex`.
//!
//! Data is deterministic: leads come from `leadflow::synth` (seed 7) with their
//! identity rewritten so that 10% match an existing contact by e-mail, 50% an
//! existing account by domain and name, 30% are new companies (pairs of leads
//! share one) and 10% use free mail with the name of an existing account.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leadflow::convert::{
    ConvertOptions, MatchIndex, apply, apply_indexed, convert_batch, plan, plan_indexed,
};
use leadflow::lifecycle::Pipeline;
use leadflow::{Account, Contact, Lead, Timestamp, parse_timestamp};

const LEADS: usize = 1_000;
const ACCOUNTS: usize = 10_000;
const CONTACTS: usize = 20_000;
const FIRST: [&str; 6] = ["Ana", "Ken", "Maria", "John", "Yuki", "Omar"];
const LAST: [&str; 6] = ["Ito", "Smith", "Garcia", "Sato", "Khan", "Muller"];

fn now() -> Timestamp {
    parse_timestamp("2026-02-10T12:00:00Z").expect("valid timestamp")
}

fn accounts() -> Vec<Account> {
    (0..ACCOUNTS)
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

fn contacts() -> Vec<Contact> {
    (0..CONTACTS)
        .map(|j| {
            let k = j % ACCOUNTS;
            let mut c = Contact::new(format!("C-{j:05}"), format!("A-{k:05}"));
            c.first_name = Some(FIRST[j % FIRST.len()].to_owned());
            c.last_name = Some(LAST[(j / FIRST.len()) % LAST.len()].to_owned());
            c.email = Some(format!("person{j}@company{k:05}.com"));
            c
        })
        .collect()
}

fn leads() -> Vec<Lead> {
    leadflow::synth::reference_leads(LEADS, 7, now())
        .enumerate()
        .map(|(i, mut l)| {
            let k = (i * 37) % ACCOUNTS;
            let (email, company, website) = match i % 10 {
                0 => {
                    let j = (i * 7) % CONTACTS;
                    (
                        format!("person{j}@company{:05}.com", j % ACCOUNTS),
                        format!("Company{:05}", j % ACCOUNTS),
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
    let (accounts, contacts, leads) = (accounts(), contacts(), leads());
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

    g.throughput(Throughput::Elements(LEADS as u64));
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
    g.bench_function("convert_batch_1k_leads", |b| {
        b.iter_batched(
            || leads.clone(),
            |mut leads| convert_batch(&mut leads, &accounts, &contacts, &opts, now()),
            BatchSize::PerIteration,
        );
    });
    // The scan costs ~30,000 normalizations per lead: one iteration is long.
    g.bench_function("plan_apply_1k_leads_scan", |b| {
        b.iter_batched(
            || leads.clone(),
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

criterion_group!(benches, convert_1k);
criterion_main!(benches);
