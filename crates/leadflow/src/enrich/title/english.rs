//! English title keywords and the word scanner that applies them.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::signal::{Entry, Sig, Signals};
use super::tokens::Token;
use crate::enrich::role::{Department as D, Seniority as S};

const EXEC: Option<D> = Some(D::Executive);
const SALES: Option<D> = Some(D::Sales);
const MKT: Option<D> = Some(D::Marketing);
const ENG: Option<D> = Some(D::Engineering);
const IT: Option<D> = Some(D::It);
const FIN: Option<D> = Some(D::Finance);
const HR: Option<D> = Some(D::Hr);
const OPS: Option<D> = Some(D::Operations);
const PROD: Option<D> = Some(D::Product);
const LEGAL: Option<D> = Some(D::Legal);
const SUP: Option<D> = Some(D::Support);
const OTHER: Option<D> = Some(D::Other);

const fn r(s: S) -> Sig {
    Sig::Rank(s)
}

/// Lowercase keywords; multi-word phrases are space-separated and win over
/// their first word ("vice president" over "vice", "account manager" over "account").
#[rustfmt::skip]
static TABLE: &[Entry] = &[
    // C-level and owners.
    ("ceo", r(S::CLevel), EXEC), ("chief executive", r(S::CLevel), EXEC),
    ("president", r(S::CLevel), EXEC), ("chairman", r(S::CLevel), EXEC),
    ("chairwoman", r(S::CLevel), EXEC), ("chairperson", r(S::CLevel), EXEC),
    ("chair of the board", r(S::CLevel), EXEC), ("board member", r(S::CLevel), EXEC),
    ("board director", r(S::CLevel), EXEC), ("non executive director", r(S::CLevel), EXEC),
    ("managing director", r(S::CLevel), EXEC), ("cxo", r(S::CLevel), EXEC),
    ("cto", r(S::CLevel), ENG), ("cfo", r(S::CLevel), FIN), ("coo", r(S::CLevel), OPS),
    ("cmo", r(S::CLevel), MKT), ("cio", r(S::CLevel), IT), ("ciso", r(S::CLevel), IT),
    ("cro", r(S::CLevel), SALES), ("cpo", r(S::CLevel), PROD), ("chro", r(S::CLevel), HR),
    ("clo", r(S::CLevel), LEGAL), ("cgo", r(S::CLevel), MKT), ("cso", r(S::CLevel), EXEC),
    ("cdo", r(S::CLevel), EXEC), ("cco", r(S::CLevel), EXEC), ("cao", r(S::CLevel), EXEC),
    ("chief", Sig::Chief, None), ("chief of staff", r(S::Director), EXEC),
    ("founder", r(S::Owner), EXEC), ("cofounder", r(S::Owner), EXEC),
    ("owner", r(S::Owner), EXEC), ("co owner", r(S::Owner), EXEC),
    ("proprietor", r(S::Owner), EXEC), ("entrepreneur", r(S::Owner), EXEC),
    ("managing partner", r(S::Owner), EXEC), ("general partner", r(S::Owner), EXEC),
    ("founding partner", r(S::Owner), EXEC), ("senior partner", r(S::Owner), EXEC),
    ("partner", Sig::Partner, None), ("business partner", Sig::Ic, None),
    ("product owner", Sig::Ic, PROD), ("process owner", Sig::Ic, None),
    ("account owner", Sig::Ic, SALES),
    // VP and executive officers.
    ("vp", r(S::Vp), None), ("svp", r(S::Vp), None), ("evp", r(S::Vp), None),
    ("gvp", r(S::Vp), None), ("rvp", r(S::Vp), None), ("avp", r(S::Director), None),
    ("vice president", r(S::Vp), None), ("vice chairman", r(S::Vp), EXEC),
    ("vice chair", r(S::Vp), EXEC), ("executive officer", r(S::Vp), EXEC),
    ("corporate officer", r(S::Vp), EXEC), ("general counsel", r(S::Vp), LEGAL),
    // Head, director, manager.
    ("head", r(S::Head), None),
    ("director", r(S::Director), None), ("dir", r(S::Director), None),
    ("executive director", r(S::Director), None), ("general manager", r(S::Director), None),
    ("gm", r(S::Director), None),
    ("manager", r(S::Manager), None), ("mgr", r(S::Manager), None),
    ("supervisor", r(S::Manager), None), ("team lead", r(S::Manager), None),
    ("team leader", r(S::Manager), None),
    ("group product manager", r(S::Manager), PROD),
    // Role-titled "managers" usually manage accounts, products or projects, not people.
    ("account manager", Sig::Ic, SALES), ("key account manager", Sig::Ic, SALES),
    ("territory manager", Sig::Ic, SALES), ("partner manager", Sig::Ic, SALES),
    ("channel manager", Sig::Ic, SALES), ("product manager", Sig::Ic, PROD),
    ("project manager", Sig::Ic, None), ("program manager", Sig::Ic, None),
    ("success manager", Sig::Ic, SUP), ("customer success manager", Sig::Ic, SUP),
    ("community manager", Sig::Ic, MKT), ("case manager", Sig::Ic, None),
    // Senior individual contributors.
    ("senior", Sig::Senior, None), ("sr", Sig::Senior, None), ("snr", Sig::Senior, None),
    ("lead", Sig::Senior, None), ("principal", Sig::Senior, None),
    ("fellow", Sig::Senior, None), ("distinguished", Sig::Senior, None),
    ("tech lead", Sig::Senior, ENG), ("technical lead", Sig::Senior, ENG),
    // Interns and students.
    ("intern", Sig::Intern, None), ("interns", Sig::Intern, None),
    ("internship", Sig::Intern, None), ("trainee", Sig::Intern, None),
    ("apprentice", Sig::Intern, None), ("werkstudent", Sig::Intern, None),
    ("praktikant", Sig::Intern, None), ("working student", Sig::Intern, None),
    ("student", Sig::Student, None), ("undergraduate", Sig::Student, None),
    ("phd candidate", Sig::Student, None),
    // Assistants and modifiers.
    ("assistant", Sig::Assistant, None), ("asst", Sig::Assistant, None),
    ("secretary", Sig::Assistant, None), ("ea", Sig::Assistant, None),
    ("pa", Sig::Assistant, None), ("associate", Sig::Associate, None),
    ("assoc", Sig::Associate, None),
    // Individual-contributor role nouns.
    ("engineer", Sig::Ic, ENG), ("developer", Sig::Ic, ENG), ("programmer", Sig::Ic, ENG),
    ("architect", Sig::Ic, ENG), ("tester", Sig::Ic, ENG),
    ("analyst", Sig::Ic, None), ("specialist", Sig::Ic, None),
    ("representative", Sig::Ic, None), ("rep", Sig::Ic, None),
    ("consultant", Sig::Ic, None), ("coordinator", Sig::Ic, None),
    ("administrator", Sig::Ic, None), ("admin", Sig::Ic, None),
    ("executive", Sig::Ic, None), ("officer", Sig::Ic, None), ("agent", Sig::Ic, None),
    ("advisor", Sig::Ic, None), ("adviser", Sig::Ic, None), ("clerk", Sig::Ic, None),
    ("technician", Sig::Ic, None), ("writer", Sig::Ic, None), ("editor", Sig::Ic, None),
    ("planner", Sig::Ic, None), ("buyer", Sig::Ic, OPS), ("strategist", Sig::Ic, None),
    ("generalist", Sig::Ic, None), ("operator", Sig::Ic, None), ("producer", Sig::Ic, None),
    ("member", Sig::Ic, None), ("staff", Sig::Ic, None), ("employee", Sig::Ic, None),
    ("junior", Sig::Ic, None), ("jr", Sig::Ic, None), ("trainer", Sig::Ic, None),
    ("instructor", Sig::Ic, OTHER), ("receptionist", Sig::Ic, None),
    ("accountant", Sig::Ic, FIN), ("bookkeeper", Sig::Ic, FIN), ("auditor", Sig::Ic, FIN),
    ("controller", Sig::Ic, FIN), ("treasurer", Sig::Ic, FIN),
    ("recruiter", Sig::Ic, HR), ("attorney", Sig::Ic, LEGAL), ("lawyer", Sig::Ic, LEGAL),
    ("paralegal", Sig::Ic, LEGAL), ("counsel", Sig::Ic, LEGAL),
    ("marketer", Sig::Ic, MKT), ("salesperson", Sig::Ic, SALES),
    ("account executive", Sig::Ic, SALES), ("sales executive", Sig::Ic, SALES),
    ("ae", Sig::Ic, SALES), ("sdr", Sig::Ic, SALES), ("bdr", Sig::Ic, SALES),
    ("csm", Sig::Ic, SUP), ("designer", Sig::Ic, OTHER), ("scientist", Sig::Ic, OTHER),
    ("researcher", Sig::Ic, OTHER), ("teacher", Sig::Ic, OTHER),
    ("professor", Sig::Ic, OTHER), ("lecturer", Sig::Ic, OTHER), ("nurse", Sig::Ic, OTHER),
    ("physician", Sig::Ic, OTHER),
    ("system administrator", Sig::Ic, IT), ("systems administrator", Sig::Ic, IT),
    ("sysadmin", Sig::Ic, IT),
    // Departments.
    ("sales", Sig::None, SALES), ("revenue", Sig::None, SALES),
    ("business development", Sig::None, SALES), ("bizdev", Sig::None, SALES),
    ("bd", Sig::None, SALES), ("inside sales", Sig::None, SALES),
    ("account management", Sig::None, SALES), ("commercial", Sig::None, SALES),
    ("channel", Sig::None, SALES), ("partnerships", Sig::None, SALES),
    ("alliances", Sig::None, SALES),
    ("marketing", Sig::None, MKT), ("growth", Sig::None, MKT), ("brand", Sig::None, MKT),
    ("demand", Sig::None, MKT), ("communications", Sig::None, MKT),
    ("comms", Sig::None, MKT), ("pr", Sig::None, MKT), ("public relations", Sig::None, MKT),
    ("content", Sig::None, MKT), ("seo", Sig::None, MKT), ("advertising", Sig::None, MKT),
    ("social media", Sig::None, MKT), ("events", Sig::None, MKT),
    ("lead generation", Sig::None, MKT),
    ("engineering", Sig::None, ENG), ("software", Sig::None, ENG),
    ("development", Sig::None, ENG), ("devops", Sig::None, ENG), ("sre", Sig::None, ENG),
    ("qa", Sig::None, ENG), ("data", Sig::None, ENG), ("analytics", Sig::None, ENG),
    ("machine learning", Sig::None, ENG), ("ml", Sig::None, ENG), ("ai", Sig::None, ENG),
    ("r d", Sig::None, ENG), ("research and development", Sig::None, ENG),
    ("it", Sig::None, IT), ("information technology", Sig::None, IT),
    ("information systems", Sig::None, IT), ("infrastructure", Sig::None, IT),
    ("network", Sig::None, IT), ("security", Sig::None, IT),
    ("cybersecurity", Sig::None, IT), ("infosec", Sig::None, IT),
    ("helpdesk", Sig::None, IT), ("help desk", Sig::None, IT),
    ("finance", Sig::None, FIN), ("financial", Sig::None, FIN),
    ("accounting", Sig::None, FIN), ("treasury", Sig::None, FIN), ("tax", Sig::None, FIN),
    ("audit", Sig::None, FIN), ("payroll", Sig::None, FIN), ("billing", Sig::None, FIN),
    ("investor relations", Sig::None, FIN), ("fp a", Sig::None, FIN),
    ("hr", Sig::None, HR), ("human resources", Sig::None, HR), ("people", Sig::None, HR),
    ("talent", Sig::None, HR), ("recruiting", Sig::None, HR),
    ("recruitment", Sig::None, HR), ("hrbp", Sig::None, HR),
    ("legal", Sig::None, LEGAL), ("compliance", Sig::None, LEGAL),
    ("privacy", Sig::None, LEGAL), ("contracts", Sig::None, LEGAL),
    ("support", Sig::None, SUP), ("customer success", Sig::None, SUP),
    ("customer service", Sig::None, SUP), ("customer care", Sig::None, SUP),
    ("customer experience", Sig::None, SUP), ("cx", Sig::None, SUP),
    ("product", Sig::None, PROD), ("products", Sig::None, PROD),
    ("product management", Sig::None, PROD),
    ("operations", Sig::None, OPS), ("ops", Sig::None, OPS),
    ("supply chain", Sig::None, OPS), ("logistics", Sig::None, OPS),
    ("procurement", Sig::None, OPS), ("purchasing", Sig::None, OPS),
    ("manufacturing", Sig::None, OPS), ("production", Sig::None, OPS),
    ("facilities", Sig::None, OPS),
    ("research", Sig::None, OTHER), ("design", Sig::None, OTHER),
    ("creative", Sig::None, OTHER), ("ux", Sig::None, OTHER), ("education", Sig::None, OTHER),
    ("medical", Sig::None, OTHER), ("clinical", Sig::None, OTHER),
    ("strategy", Sig::None, EXEC), ("office of the ceo", Sig::None, EXEC),
];

/// A table entry split into words.
type Phrase = (Vec<&'static str>, Sig, Option<D>);

/// Entries by their first word, longest phrase first. Built once per process.
static BY_FIRST_WORD: LazyLock<HashMap<&'static str, Vec<Phrase>>> = LazyLock::new(|| {
    let mut map: HashMap<&str, Vec<Phrase>> = HashMap::new();
    for &(phrase, sig, dept) in TABLE {
        let words: Vec<&str> = phrase.split(' ').collect();
        map.entry(words[0]).or_default().push((words, sig, dept));
    }
    for list in map.values_mut() {
        list.sort_by_key(|(words, _, _)| std::cmp::Reverse(words.len()));
    }
    map
});

/// Words after which a rank is what the person works for, not what they are.
const OBJECT_WORDS: [&str; 4] = ["to", "of", "for", "at"];

/// The longest table phrase starting at `toks[i]` that stays within one part of the title.
fn lookup(toks: &[Token<'_>], i: usize) -> Option<(usize, Sig, Option<D>)> {
    let list = BY_FIRST_WORD.get(toks[i].text)?;
    list.iter().find_map(|(words, sig, dept)| {
        let end = i + words.len();
        let fits = end <= toks.len()
            && words
                .iter()
                .zip(&toks[i..end])
                .enumerate()
                .all(|(k, (w, t))| *w == t.text && (k == 0 || !t.hard_break));
        fits.then_some((words.len(), *sig, *dept))
    })
}

fn starts_rank(toks: &[Token<'_>], i: usize) -> bool {
    i < toks.len()
        && !toks[i].hard_break
        && matches!(lookup(toks, i), Some((_, Sig::Rank(_) | Sig::Chief, _)))
}

/// True when the word at `i` ends its part of the title or is followed by "to"/"of"/...:
/// it is the head noun ("Executive Assistant", "Assistant to the CEO", "Partner, X").
fn heads_part(toks: &[Token<'_>], i: usize) -> bool {
    toks.get(i + 1)
        .is_none_or(|next| next.hard_break || OBJECT_WORDS.contains(&next.text))
}

/// "of the CEO", "to VP", "for the CFO": the rank at `i` names someone else.
fn is_object(toks: &[Token<'_>], i: usize) -> bool {
    let prev = |k: usize| (k > 0 && !toks[k].hard_break).then(|| toks[k - 1].text);
    match prev(i) {
        Some("the") => prev(i - 1).is_some_and(|w| OBJECT_WORDS.contains(&w)),
        Some(w) => OBJECT_WORDS.contains(&w),
        None => false,
    }
}

fn demoted_by_modifier(toks: &[Token<'_>], i: usize) -> bool {
    i > 0
        && !toks[i].hard_break
        && matches!(
            toks[i - 1].text,
            "assistant" | "asst" | "associate" | "assoc"
        )
}

/// Applies the English keywords of a tokenized title to `sig`.
pub(super) fn scan(toks: &[Token<'_>], sig: &mut Signals) {
    let mut i = 0;
    while i < toks.len() {
        let Some((len, s, dept)) = lookup(toks, i) else {
            i += 1;
            continue;
        };
        if let Some(d) = dept {
            sig.department(d, toks[i].start);
        }
        match s {
            Sig::None => {}
            Sig::Rank(rank) => {
                if !is_object(toks, i) {
                    let demote = demoted_by_modifier(toks, i);
                    sig.rank(if demote { rank.demoted() } else { rank });
                }
            }
            Sig::Chief => {
                let part_end = toks[i + 1..]
                    .iter()
                    .position(|t| t.hard_break)
                    .map_or(toks.len(), |p| i + 1 + p);
                let officer = toks[i + 1..part_end].iter().any(|t| t.text == "officer");
                if officer && !is_object(toks, i) {
                    sig.rank(S::CLevel);
                } else if !officer {
                    sig.senior = true;
                }
            }
            Sig::Partner => {
                if heads_part(toks, i) && !is_object(toks, i) {
                    sig.rank(S::Owner);
                }
            }
            Sig::Assistant => {
                if heads_part(toks, i) {
                    sig.assistant = true;
                } else if !starts_rank(toks, i + 1) {
                    sig.ic = true; // "Assistant Professor", "Assistant Controller"
                }
            }
            Sig::Associate => {
                if !starts_rank(toks, i + 1) {
                    sig.ic = true;
                }
            }
            Sig::Intern => sig.intern = true,
            Sig::Student => sig.student = true,
            Sig::Senior => sig.senior = true,
            Sig::Ic => sig.ic = true,
            Sig::AssistantOverride => sig.assistant = true,
        }
        i += len;
    }
}
