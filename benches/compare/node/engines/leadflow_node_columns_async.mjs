// As leadflow_node_columns, with `pack.scoreColumnsAsync` (scored off the main thread).
import { leadflow, loadRows, ROW_FIELDS, sum, bindingVersion } from './common.mjs';

const { lf, pack } = await leadflow();
export const VERSION = bindingVersion(lf);
export const load = (inputs) => ({ now: inputs.now, batch: lf.toColumns(loadRows(inputs.rows, inputs.n), ROW_FIELDS) });
export const count = (data) => data.batch.length;
export const notes = () => 'await pack.scoreColumnsAsync (libuv worker + all cores)';
export const build = ({ batch, now }) => async () => sum((await pack.scoreColumnsAsync(batch, now)).total);
