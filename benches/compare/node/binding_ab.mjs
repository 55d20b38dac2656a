// One sample of an A/B comparison of Node bindings on full leads, in one
// process: the hand-written JS (js_hand-leads), scoreMany, scoreManyAsync,
// JSON.stringify alone and the median pack.score call, on the first n leads of
// a leads JSON Lines file. Copy a built binding (bindings/node: *.js, *.node,
// package.json) aside, rebuild, and alternate:
//   BINDING=/tmp/before/index.js node binding_ab.mjs .data/n5000-seed42/leads.jsonl 4096
//   BINDING=../../../bindings/node/index.js node binding_ab.mjs ... (then again)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const lf = require(process.env.BINDING ?? `${root}/bindings/node/index.js`);
const hand = await import(`${root}/benches/compare/node/engines/js_hand-leads.mjs`);
const { score: handScore } = await import(`${root}/benches/compare/node/engines/js_hand.mjs`);
const pack = lf.Pack.fromPath(`${root}/examples/packs/reference`);
const now = '2026-03-01T00:00:00Z';
const leads = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).slice(0, Number(process.argv[3] ?? 4096)).map((l) => JSON.parse(l));
const t = Date.parse(now);
let sink = 0;
const med = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
const time = async (f, reps = 7) => { await f(); const xs = []; for (let r = 0; r < reps; r++) { const s = process.hrtime.bigint(); await f(); xs.push(Number(process.hrtime.bigint() - s) / 1e3 / leads.length); } return med(xs); };
const out = {};
out.hand = await time(() => { for (const l of leads) sink += handScore(hand.features(l, t)); });
out.many = await time(() => { for (const r of pack.scoreMany(leads, now)) sink += r.total; });
out.async = await time(async () => { for (const r of await pack.scoreManyAsync(leads, now)) sink += r.total; }, 5);
out.stringify = await time(() => { for (const l of leads) sink += JSON.stringify(l).length; });
const calls = new Float64Array(leads.length);
for (let i = 0; i < leads.length; i++) { const s = process.hrtime.bigint(); sink += pack.score(leads[i], now).total; calls[i] = Number(process.hrtime.bigint() - s) / 1e3; }
out.call = med(Array.from(calls));
const f = (x) => x.toFixed(2);
console.log(`${process.env.BINDING ?? 'bindings/node'}: hand ${f(out.hand)} many ${f(out.many)} (${f(out.hand / out.many)}x) async ${f(out.async)} (${f(out.hand / out.async)}x) stringify ${f(out.stringify)} (${f(out.stringify / out.hand)}x hand) score-call ${f(out.call)} us  load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`);
