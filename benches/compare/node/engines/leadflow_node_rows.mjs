// leadflow, Node binding, from an array of row objects (what js_hand and ZEN
// read): `toColumns` + `pack.scoreColumns`, both inside the timed region.
import { leadflow, loadRows, ROW_FIELDS, sum, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, rows: loadRows(inputs.rows, inputs.n) });
export const count = (data) => data.rows.length;
export const notes = () => 'timed: toColumns(rows) in JS + pack.scoreColumns';
export const build = ({ rows, now }) => () => sum(pack.scoreColumns(lf.toColumns(rows, ROW_FIELDS), now).total);
