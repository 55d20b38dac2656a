// leadflow, Node binding, one call per lead: `pack.score(row-as-lead, now)` in
// a loop. Measures the per-call JS/Rust crossing (latency), not throughput.
import { leadflow, loadRows, bindingVersion, medianCallUs } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
// Flat rows are valid leads once they have an id and created_at; record values
// of activity features win over activities (features_from = record_or_activities).
export const load = (inputs) => ({
  now: inputs.now,
  leads: loadRows(inputs.rows, inputs.n).map(({ revenue, ...r }, i) => ({ id: String(i), created_at: '2020-01-01T00:00:00Z', annual_revenue: revenue, ...r })),
});
export const count = (data) => data.leads.length;
export const notes = () => 'pack.score(lead, now) per lead (sync, one thread): the single-call latency';
export function build({ leads, now }) {
  return () => {
    let total = 0;
    for (const l of leads) total += pack.score(l, now).total;
    return total;
  };
}
export const latency = ({ leads, now }) => medianCallUs((l) => pack.score(l, now), leads);
