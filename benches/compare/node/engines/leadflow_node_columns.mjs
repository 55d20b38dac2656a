// leadflow, Node binding, columnar batch: the rows held as columns (typed arrays
// for numbers and flags, string[] for text; built untimed by `toColumns`, the
// form a columnar pipeline holds), scored by one `pack.scoreColumns` call.
import { leadflow, loadRows, ROW_FIELDS, sum, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, batch: lf.toColumns(loadRows(inputs.rows, inputs.n), ROW_FIELDS) });
export const count = (data) => data.batch.length;
export const notes = () => 'pack.scoreColumns (sync, all cores); Float64Array/Uint8Array read in place, string[] joined once per column';
export const build = ({ batch, now }) => () => sum(pack.scoreColumns(batch, now).total);
