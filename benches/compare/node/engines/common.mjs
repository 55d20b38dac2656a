// Shared loaders for the Node engines.
import { readFileSync } from 'node:fs';

/** The first n feature rows as plain objects (the form a Node service holds). */
export function loadRows(path, n) {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  return lines.slice(0, n).map((l) => JSON.parse(l));
}

/** Splits `items` into arrays of at most `size`. */
export function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The installed version of an npm package. */
export function packageVersion(name) {
  const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')).version;
}

/**
 * The leadflow Node binding of this checkout (bindings/node, built by `run`),
 * its reference pack (examples/packs/reference: the 25 rules, all native), and
 * the column types of the feature rows.
 */
export async function leadflow() {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const lf = require('../../../../bindings/node/index.js');
  const packDir = new URL('../../../../examples/packs/reference', import.meta.url).pathname;
  return { lf, pack: lf.Pack.fromPath(packDir) };
}

/** Column types of the reference feature rows (`leadflow generate --format rows-jsonl`). */
export const ROW_FIELDS = {
  title: 'string', industry: 'string', country: 'string', email: 'string', source: 'string',
  employees: 'number', revenue: 'number', days_since_activity: 'number', page_views: 'number',
  email_opens: 'number', email_clicks: 'number', form_fills: 'number', pricing_visits: 'number',
  demo_requested: 'boolean', webinar_attended: 'boolean', unsubscribed: 'boolean',
};

/** The first n leads of a JSON Lines file as plain objects. */
export const loadLeads = (path, n) => loadRows(path, n);

/** The sum of a Float64Array. */
export function sum(values) {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

export const bindingVersion = (lf) => `leadflow ${lf.version()} (Node ${process.versions.node}, napi)`;

/** The median wall time of `call(item)` over `items`, in µs (one timed call each). */
export function medianCallUs(call, items) {
  const times = new Float64Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const t = process.hrtime.bigint();
    call(items[i]);
    times[i] = Number(process.hrtime.bigint() - t) / 1e3;
  }
  times.sort();
  return times.length ? times[Math.floor(times.length / 2)] : 0;
}
