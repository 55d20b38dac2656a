// As leadflow_node-leads, with `pack.scoreManyAsync` (parse and score off the main thread).
import { leadflow, loadLeads, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, leads: loadLeads(inputs.leads, inputs.n) });
export const count = (data) => data.leads.length;
export const notes = () => 'await pack.scoreManyAsync(lead objects); features derived from activities in the timed region';
export function build({ leads, now }) {
  return async () => {
    let total = 0;
    for (const r of await pack.scoreManyAsync(leads, now)) total += r.total;
    return total;
  };
}
