// Metrics: one-shot requests and the mergeable accumulator.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf, thrown } from './helpers.mjs'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'data')
// The sample `leadflow report` reads: leads and opportunities told apart by `record_type`.
const records = readFileSync(join(DATA, 'funnel-sample.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
const leads = records.filter((r) => r.record_type === 'lead')
const opportunities = records.filter((r) => r.record_type === 'opportunity')
const options = JSON.parse(readFileSync(join(DATA, 'funnel-sample.options.json'), 'utf8'))
const config = { period: '2026-Q3', now: '2026-09-15T00:00:00Z', utc_offset: '-05:00', options }

test('metrics(request) and the accumulator give the same report', () => {
  const report = lf.metrics({ ...config, leads, opportunities })
  assert.equal(report.leads, leads.length)
  assert.ok(report.opportunities > 0 && report.funnel.total.cohort_size > 0)
  const acc = new lf.MetricsAccumulator(config)
  leads.forEach((l) => acc.addLead(l))
  opportunities.forEach((o) => acc.addOpportunity(o))
  assert.deepStrictEqual(acc.finish(), report)
})

test('partial accumulators merge exactly, also across a JSON round trip', () => {
  const half = Math.floor(leads.length / 2)
  const a = new lf.MetricsAccumulator(config)
  const b = new lf.MetricsAccumulator(config)
  assert.equal(a.addLeads(leads.slice(0, half)), half)
  b.addLeads(leads.slice(half).map((l) => JSON.stringify(l)).join('\n'))
  const whole = lf.metrics({ ...config, leads })
  const restored = lf.MetricsAccumulator.fromJSON(JSON.stringify(a))
  a.merge(b)
  assert.deepStrictEqual(a.finish(), whole)
  restored.merge(b)
  assert.deepStrictEqual(restored.finish(), whole)
})

test('bad input throws, naming the record', () => {
  const err = thrown(() => lf.metrics({ ...config, leads: [leads[0], { id: 'x' }] }))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.field, /^leads\[1\]/)
  assert.equal(thrown(() => lf.metrics({ ...config, period: 'someday' })).code !== undefined, true)
  const acc = new lf.MetricsAccumulator(config)
  assert.match(thrown(() => acc.addLeads([leads[0], { id: 'x' }])).field, /^leads\[1\]/)
  const other = new lf.MetricsAccumulator({ ...config, now: '2030-01-01T00:00:00Z' })
  assert.ok(lf.isLeadflowError(thrown(() => acc.merge(other))))
})
