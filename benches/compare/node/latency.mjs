// Single-lead scoring latency through the Node binding, JS/Rust crossing
// included: the median of many timed `pack.score(lead, now)` calls.
//
//   node benches/compare/node/latency.mjs [--calls 20000]
//
// Two leads: a flat reference row as a lead (reference pack, 25 native rules)
// and a sample lead with 10+ activities (b2b-saas pack, one rhai rule).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
const lf = createRequire(import.meta.url)('../../../bindings/node/index.js');
const root = new URL('../../../', import.meta.url).pathname;
const NOW = '2026-03-01T00:00:00Z';

const row = {
  id: 'R-1', created_at: '2026-01-01T00:00:00Z', title: 'VP of Sales', employees: 800, annual_revenue: 2e7,
  industry: 'Software', country: 'US', email: 'a@acme.com', source: 'referral', days_since_activity: 3,
  page_views: 12, email_opens: 14, email_clicks: 2, form_fills: 1, demo_requested: true, pricing_visits: 3,
  webinar_attended: false, unsubscribed: false,
};
const sample = JSON.parse(readFileSync(`${root}examples/data/sample-leads.jsonl`, 'utf8').split('\n')[0]);

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

function measure(label, fn) {
  for (let i = 0; i < 2000; i++) fn(); // warm-up (JIT, caches)
  const times = new Float64Array(Number(a.calls));
  for (let i = 0; i < times.length; i++) {
    const t = process.hrtime.bigint();
    fn();
    times[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  const sorted = Array.from(times).sort((x, y) => x - y);
  const p = (q) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(2);
  console.log(`${label}: median ${median(times).toFixed(2)} µs, p90 ${p(0.9)} µs, p99 ${p(0.99)} µs (${times.length} calls)`);
}

const reference = lf.Pack.fromPath(`${root}examples/packs/reference`);
const b2b = lf.Pack.fromPath(`${root}examples/packs/b2b-saas`);
console.log(`leadflow ${lf.version()}, Node ${process.versions.node}, activities in the sample lead: ${sample.activities.length}`);
measure('reference pack, flat row as a lead', () => reference.score(row, NOW));
measure('b2b-saas pack, sample lead with activities', () => b2b.score(sample, NOW));
measure('b2b-saas pack, explain', () => b2b.explain(sample, NOW));
