// leadflow, Node binding, `pack.scoreMany` over an array of flat lead objects
// (the feature rows as leads: an id, a creation date and the revenue under the
// Lead field's name, built untimed, as for leadflow_py_dicts). Timed: one
// JSON.stringify per object (a chunk at a time), the core's row batch (no Lead
// per flat record), all cores, and the result objects.
import { leadflow, loadRows, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export function load(inputs) {
  const leads = loadRows(inputs.rows, inputs.n).map((row, i) => {
    const { revenue, ...rest } = row;
    return { id: `L-${i}`, created_at: inputs.now, annual_revenue: revenue, ...rest };
  });
  return { now: inputs.now, leads };
}
export const count = (data) => data.leads.length;
export const notes = () => 'pack.scoreMany(flat lead objects) (sync); row batch, all cores';
export function build({ leads, now }) {
  return () => {
    let total = 0;
    for (const r of pack.scoreMany(leads, now)) total += r.total;
    return total;
  };
}
