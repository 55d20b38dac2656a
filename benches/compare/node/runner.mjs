// Node side of the cross-language comparison (driven by benches/compare/run).
//
// Loads one engine module from engines/, builds its rules once, scores the
// workload --warmup times untimed and --repeat times timed, and prints one JSON
// line: {"engine", "n", "build_s", "times_s", "checksum", "version", "notes"}.
//
// An engine module exports:
//   VERSION                     what is measured (library and version)
//   load(inputs) -> data        untimed: the workload in the engine's natural form
//   build(data) -> scoreAll     timed as build_s (may be async): rules built once;
//                               scoreAll() scores every lead, returns (a promise of) the sum
//   count(data) -> number       leads loaded
//   notes() -> string           optional
//   latency(data) -> number     optional: the median µs of one call, measured after
//                               the timed runs (single-lead engines)
import { parseArgs } from 'node:util';

const { values: a } = parseArgs({
  options: {
    engine: { type: 'string' },
    rows: { type: 'string', default: '' },
    csv: { type: 'string', default: '' },
    leads: { type: 'string', default: '' },
    now: { type: 'string', default: '' },
    n: { type: 'string', default: String(Number.MAX_SAFE_INTEGER) },
    repeat: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
  },
});

const mod = await import(`./engines/${a.engine}.mjs`);
const inputs = { rows: a.rows, csv: a.csv, leads: a.leads, now: a.now, n: Number(a.n) };
const data = await mod.load(inputs);
let t = process.hrtime.bigint();
const scoreAll = await mod.build(data);
const buildS = Number(process.hrtime.bigint() - t) / 1e9;

let checksum = 0;
for (let i = 0; i < Number(a.warmup); i++) checksum = await scoreAll();
const times = [];
for (let i = 0; i < Number(a.repeat); i++) {
  t = process.hrtime.bigint();
  checksum = await scoreAll();
  times.push(Number(process.hrtime.bigint() - t) / 1e9);
}
const latency = mod.latency ? { median_call_us: await mod.latency(data) } : {};
console.log(JSON.stringify({
  engine: a.engine,
  n: mod.count(data),
  build_s: buildS,
  times_s: times,
  checksum,
  version: mod.VERSION,
  notes: mod.notes ? mod.notes() : '',
  ...latency,
}));
