// leadflow, Node binding, full leads as JSON Lines text: `pack.scoreMany(text,
// now)` (the form a file or a queue gives; no objects built or stringified).
import { readFileSync } from 'node:fs';
import { leadflow, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export function load(inputs) {
  const lines = readFileSync(inputs.leads, 'utf8').split('\n').filter((l) => l.length > 0).slice(0, inputs.n);
  return { now: inputs.now, text: lines.join('\n'), n: lines.length };
}
export const count = (data) => data.n;
export const notes = () => 'pack.scoreMany(JSON Lines string) (sync); parse and feature derivation in the timed region';
export function build({ text, now }) {
  return () => {
    let total = 0;
    for (const r of pack.scoreMany(text, now)) total += r.total;
    return total;
  };
}
