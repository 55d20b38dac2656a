//! The report as aligned plain-text tables for a terminal.
// Chart and table code reads best with short geometry names (x, y, w, h, o for the
// output); axis tick values are small non-negative numbers rounded for display.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use super::format::{count, days, minutes, money, opt_money, pct};
use crate::metrics::MetricsReport;

/// A plain table: first column left-aligned, the others right-aligned.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self, out: &mut String) {
        let cols = self.header.len();
        let mut width = vec![0; cols];
        for r in std::iter::once(&self.header).chain(&self.rows) {
            for (i, c) in r.iter().enumerate().take(cols) {
                width[i] = width[i].max(c.chars().count());
            }
        }
        let line = |out: &mut String, r: &[String]| {
            let mut s = String::from("  ");
            for (i, w) in width.iter().enumerate() {
                let c = r.get(i).map_or("", String::as_str);
                let pad = w - c.chars().count();
                if i == 0 {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                } else {
                    s.push_str("  ");
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        line(out, &self.header);
        let total: usize = width.iter().sum::<usize>() + 2 * (cols - 1);
        out.push_str("  ");
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for r in &self.rows {
            line(out, r);
        }
    }
}

fn section(out: &mut String, title: &str) {
    let _ = write!(out, "\n{title}\n{}\n", "=".repeat(title.chars().count()));
}

fn bar(rate: Option<f64>, width: usize) -> String {
    let r = rate.unwrap_or(0.0).clamp(0.0, 1.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0 <= r * width <= width
    let n = (r * width as f64).round() as usize;
    format!("{}{}", "#".repeat(n), ".".repeat(width - n))
}

/// Renders every section of the report as text tables.
#[allow(clippy::too_many_lines)] // one section after the other, in reading order
pub fn render_text(r: &MetricsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "leadflow report  {}  ({} .. {}, as of {})\n{} leads, {} opportunities read",
        r.period,
        r.from.to_rfc3339(),
        r.to.to_rfc3339(),
        r.now.to_rfc3339(),
        count(r.leads),
        count(r.opportunities)
    );

    let f = &r.funnel.groups.total;
    let cohort = r.funnel.cohort_stage.as_deref().map_or_else(
        || "leads created in the period".to_owned(),
        |s| format!("leads that reached {s} in the period"),
    );
    section(
        &mut out,
        &format!("Funnel: {} {cohort}", count(f.cohort_size)),
    );
    let mut t = Table::new(&["stage", "reached", "% of cohort", ""]);
    for s in &f.stages {
        t.row(vec![
            s.stage.clone(),
            count(s.reached),
            pct(s.rate),
            bar(s.rate, 30),
        ]);
    }
    t.render(&mut out);

    let conv = &r.conversion.groups;
    section(&mut out, "Conversion by source (reached / entered)");
    let mut head = vec!["source".to_owned(), "cohort".to_owned()];
    head.extend(
        conv.total
            .rates
            .iter()
            .map(|c| format!("{}>{}", c.from, c.to)),
    );
    let mut t = Table {
        header: head,
        rows: Vec::new(),
    };
    for g in std::iter::once(&conv.total).chain(&conv.by_source) {
        let mut row = vec![g.key.clone(), count(g.cohort_size)];
        row.extend(
            g.rates
                .iter()
                .map(|c| format!("{} {}/{}", pct(c.rate), c.numerator, c.denominator)),
        );
        t.row(row);
    }
    t.render(&mut out);

    let v = &r.velocity;
    section(&mut out, "Velocity (completed stage visits, days)");
    let mut t = Table::new(&[
        "stage",
        "leads",
        "latest median",
        "latest p90",
        "cumulative median",
        "cumulative p90",
    ]);
    for s in &v.time_in_stage {
        let Some(l) = &s.latest else { continue };
        let c = s.cumulative.as_ref();
        t.row(vec![
            s.stage.clone(),
            count(l.count),
            days(Some(l.median_days)),
            days(Some(l.p90_days)),
            days(c.map(|c| c.median_days)),
            days(c.map(|c| c.p90_days)),
        ]);
    }
    t.render(&mut out);
    out.push('\n');
    let mut t = Table::new(&["from > to", "leads", "median", "p90"]);
    for s in &v.stage_to_stage {
        let Some(st) = &s.stats else { continue };
        t.row(vec![
            format!("{} > {}", s.from, s.to),
            count(st.count),
            days(Some(st.median_days)),
            days(Some(st.p90_days)),
        ]);
    }
    t.render(&mut out);

    let s = &v.speed_to_lead;
    section(
        &mut out,
        &format!("Speed to lead (SLA {} min)", v.sla_minutes),
    );
    let mut t = Table::new(&[
        "owner",
        "leads",
        "touched",
        "median",
        "p90",
        "within SLA",
        "breached",
        "pending",
    ]);
    for g in std::iter::once(s).chain(&v.speed_to_lead_by_owner) {
        t.row(vec![
            g.key.clone(),
            count(g.leads),
            count(g.touched),
            minutes(g.median_minutes),
            minutes(g.p90_minutes),
            pct(g.within_sla_rate),
            count(g.breached_sla),
            count(g.pending),
        ]);
    }
    t.render(&mut out);

    let b = &r.board;
    section(
        &mut out,
        &format!(
            "Status board (leads held; median days in status; stalled > {} d)",
            b.stall_days
        ),
    );
    let mut head: Vec<&str> = vec!["owner", "open"];
    head.extend(b.statuses.iter().map(String::as_str));
    head.push("stalled");
    let mut t = Table::new(&head);
    for o in &b.owners {
        let mut row = vec![o.owner.clone(), count(o.open_leads)];
        for st in &b.statuses {
            row.push(o.statuses.iter().find(|c| &c.status == st).map_or_else(
                || "-".to_owned(),
                |c| format!("{} ({:.1} d)", count(c.leads), c.median_days),
            ));
        }
        row.push(count(o.stalled_count));
        t.row(row);
    }
    t.render(&mut out);
    let longest: Vec<String> = b
        .owners
        .iter()
        .flat_map(|o| {
            o.stalled.iter().take(3).map(move |l| {
                format!(
                    "{} {} ({}, {:.0} d)",
                    o.owner, l.id, l.status, l.days_in_status
                )
            })
        })
        .collect();
    if !longest.is_empty() {
        let _ = writeln!(out, "\n  Longest stalled: {}", longest.join("; "));
    }

    let p = &r.pipeline;
    section(&mut out, "Pipeline and forecast");
    let mut t = Table::new(&[
        "owner",
        "open",
        "value",
        "weighted",
        "won",
        "lost",
        "win rate",
        "avg deal",
        "cycle",
        "velocity/day",
        "closed",
        "commit",
        "best case",
        "pipeline",
    ]);
    let rows = std::iter::once(&p.total)
        .chain(&p.by_manager)
        .chain(&p.by_owner);
    for (i, g) in rows.enumerate() {
        let label = if i == 0 {
            "all".to_owned()
        } else if i <= p.by_manager.len() {
            format!("{} (team)", g.key)
        } else {
            g.key.clone()
        };
        t.row(vec![
            label,
            count(g.open),
            money(g.open_amount),
            money(g.weighted_amount),
            count(g.won),
            count(g.lost),
            pct(g.win_rate),
            opt_money(g.average_deal),
            days(g.cycle_days),
            opt_money(g.velocity_per_day),
            money(g.forecast.closed),
            money(g.forecast.commit),
            money(g.forecast.best_case),
            money(g.forecast.pipeline),
        ]);
    }
    t.render(&mut out);

    section(&mut out, "Attribution by source");
    let mut t = Table::new(&[
        "source",
        "leads",
        "MQLs",
        "SQLs",
        "won",
        "revenue",
        "cost",
        "cost/lead",
        "cost/MQL",
        "cost/SQL",
    ]);
    for a in &r.attribution.by_source {
        t.row(vec![
            a.key.clone(),
            count(a.leads),
            count(a.mqls),
            count(a.sqls),
            count(a.won_deals),
            money(a.won_revenue),
            opt_money(a.cost),
            opt_money(a.cost_per_lead),
            opt_money(a.cost_per_mql),
            opt_money(a.cost_per_sql),
        ]);
    }
    t.render(&mut out);
    out
}
