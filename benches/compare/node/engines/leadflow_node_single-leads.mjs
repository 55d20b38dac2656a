// leadflow, Node binding, one call per full lead: `pack.score(lead, now)` in a
// loop over lead objects with activities. Measures the per-call JS/Rust
// crossing (latency), not throughput.
import { leadflow, loadLeads, bindingVersion, medianCallUs } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, leads: loadLeads(inputs.leads, inputs.n) });
export const count = (data) => data.leads.length;
export const notes = () => 'pack.score(lead object, now) per lead (sync, one thread): the single-call latency';
export function build({ leads, now }) {
  return () => {
    let total = 0;
    for (const l of leads) total += pack.score(l, now).total;
    return total;
  };
}
export const latency = ({ leads, now }) => medianCallUs((l) => pack.score(l, now), leads);
