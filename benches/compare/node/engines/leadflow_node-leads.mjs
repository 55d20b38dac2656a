// leadflow, Node binding, full lead objects (with activities): `pack.scoreMany`
// writes each object with JSON.stringify, a chunk at a time, while the core's
// borrowed reader reads the previous chunk's texts, derives the activity
// features as of `now` and scores on all cores.
// Everything after loading the objects is timed.
import { leadflow, loadLeads, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, leads: loadLeads(inputs.leads, inputs.n) });
export const count = (data) => data.leads.length;
export const notes = () => 'pack.scoreMany(lead objects) (sync); features derived from activities in the timed region';
export function build({ leads, now }) {
  return () => {
    let total = 0;
    for (const r of pack.scoreMany(leads, now)) total += r.total;
    return total;
  };
}
