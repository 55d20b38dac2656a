// The Pipeline class and history queries.
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'

import { lf, thrown } from './helpers.mjs'

const lead = { id: 'L-1', created_at: '2026-02-01T00:00:00Z' }
const at = (day) => ({ at: `2026-02-${String(day).padStart(2, '0')}T00:00:00Z`, actor: 'rep-1' })

test('the default pipeline places, advances (with skips) and recycles', () => {
  const p = new lf.Pipeline()
  assert.deepStrictEqual(p.stageLadder(), ['subscriber', 'lead', 'mql', 'sal', 'sql', 'opportunity', 'customer', 'evangelist'])
  const placed = p.place(lead, at(1))
  assert.equal(placed.lead.stage, 'lead')
  assert.equal(placed.lead.status, 'new')
  assert.deepStrictEqual(placed.transitions.map((t) => t.kind), ['initial', 'initial'])
  const skipped = p.advanceStage(placed.lead, 'sql', at(2))
  assert.equal(skipped.transition.kind, 'skip')
  assert.equal(skipped.transition.from, 'lead')
  assert.equal(skipped.lead.stage, 'sql')
  const recycled = p.recycleStage(skipped.lead, 'mql', { ...at(3), reason: 'no budget' })
  assert.equal(recycled.transition.kind, 'recycle')
  assert.equal(recycled.transition.reason, 'no budget')
  assert.equal(recycled.lead.history.length, 4)
  // The input objects are never mutated: leads are values.
  assert.equal(lead.stage, undefined)
})

test('a backward advance is InvalidTransition naming the lead, with from/to details', () => {
  const p = new lf.Pipeline()
  const { lead: sql } = p.advanceStage(lead, 'sql', at(2))
  const err = thrown(() => p.advanceStage(sql, 'mql', at(3)))
  assert.equal(err.code, 'InvalidTransition')
  assert.equal(err.record, 'L-1')
  assert.equal(err.details.from, 'sql')
  assert.equal(err.details.to, 'mql')
  assert.equal(thrown(() => p.recycleStage(sql, 'mql', at(3))).code, 'InvalidTransition') // no reason
  assert.equal(thrown(() => p.advanceStage(sql, 'nowhere', at(3))).code, 'NotFound')
})

test('status moves and touches', () => {
  const p = new lf.Pipeline()
  let r = p.recordTouch(lead, 'attempt', at(1))
  assert.equal(r.lead.status, 'attempting')
  assert.equal(r.lead.attempts, 1)
  r = p.recordTouch(r.lead, 'attempt', at(2))
  assert.equal(r.transition, null)
  assert.equal(r.lead.attempts, 2)
  r = p.recordTouch(r.lead, 'connected', at(3))
  assert.equal(r.lead.status, 'connected')
  assert.equal(r.lead.attempts, undefined)
  assert.equal(thrown(() => p.setStatus(r.lead, 'nurture', at(4))).code, 'InvalidTransition')
  const n = p.setStatus(r.lead, 'nurture', { ...at(4), reason: 'timing' })
  assert.equal(n.lead.status, 'nurture')
  const bad = thrown(() => p.recordTouch(lead, 'maybe', at(1)))
  assert.equal(bad.code, 'ValidationError')
  assert.equal(bad.field, 'outcome')
})

test('a change needs a valid time; Dates are accepted', () => {
  const p = new lf.Pipeline()
  const r = p.place(lead, { at: new Date(Date.UTC(2026, 1, 1, 12)) })
  assert.equal(r.transitions[0].at, '2026-02-01T12:00:00Z')
  const err = thrown(() => p.place(lead, { at: 'noon' }))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.field, /^change/)
  assert.equal(thrown(() => p.place(lead, {})).code, 'ValidationError')
})

test('opportunities copy stage values; Closed Lost needs a reason', () => {
  const p = new lf.Pipeline()
  const opp = p.openOpportunity('O-1', 'Acme', 'A-1', at(1))
  assert.equal(opp.stage, 'Prospecting')
  assert.equal(opp.probability, 10)
  const err = thrown(() => p.moveOpportunity(opp, 'Closed Lost', at(2)))
  assert.equal(err.code, 'InvalidTransition')
  const { opportunity, transition } = p.moveOpportunity(opp, 'Closed Lost', { ...at(2), reason: 'price' })
  assert.equal(opportunity.lost_reason, 'price')
  assert.equal(opportunity.is_closed, true)
  assert.equal(transition.to, 'Closed Lost')
  assert.deepStrictEqual(p.opportunityStage('Proposal'), {
    name: 'Proposal', probability: 65, forecast_category: 'best_case', is_closed: false, is_won: false, requires_reason: false,
  })
  assert.equal(p.opportunityStage('Nope'), null)
})

test('custom pipelines from objects, JSON, YAML, TOML and files', () => {
  const cfg = { lead_stages: { ladder: ['inquiry', 'qualified', 'won'], initial: 'inquiry' } }
  for (const p of [
    new lf.Pipeline(cfg),
    new lf.Pipeline(JSON.stringify(cfg)),
    lf.Pipeline.fromString('lead_stages:\n  ladder: [inquiry, qualified, won]\n  initial: inquiry\n', 'yaml'),
    lf.Pipeline.fromString('[lead_stages]\nladder = ["inquiry", "qualified", "won"]\ninitial = "inquiry"\n', 'toml'),
  ]) {
    assert.deepStrictEqual(p.stageLadder(), ['inquiry', 'qualified', 'won'])
    assert.equal(p.config.lead_statuses.initial, 'new')
  }
  const dir = mkdtempSync(join(tmpdir(), 'leadflow-'))
  const file = join(dir, 'pipeline.json')
  writeFileSync(file, JSON.stringify(cfg))
  assert.deepStrictEqual(lf.Pipeline.fromPath(file).stageLadder(), ['inquiry', 'qualified', 'won'])
  const missing = thrown(() => lf.Pipeline.fromPath(join(dir, 'nope.yaml')))
  assert.equal(missing.code, 'IoError')
  assert.equal(missing.file, join(dir, 'nope.yaml'))
})

test('bad configurations are ConfigErrors with a location', () => {
  const unknownKey = thrown(() => new lf.Pipeline({ lead_stagez: {} }))
  assert.equal(unknownKey.code, 'ConfigError')
  const syntax = thrown(() => lf.Pipeline.fromString('lead_stages:\n  ladder: [a, b\n', 'yaml'))
  assert.equal(syntax.code, 'ConfigError')
  assert.equal(typeof syntax.line, 'number')
  assert.equal(thrown(() => lf.Pipeline.fromString('{}', 'xml')).code, 'ConfigError')
  const noInitial = thrown(() => new lf.Pipeline({ lead_stages: { ladder: ['a'], initial: 'b' } }))
  assert.equal(noInitial.code, 'ConfigError')
})

test('history queries', () => {
  const p = new lf.Pipeline()
  let l = p.place(lead, at(1)).lead
  l = p.advanceStage(l, 'mql', at(3)).lead
  l = p.recycleStage(l, 'lead', { ...at(5), reason: 'cold' }).lead
  l = p.advanceStage(l, 'mql', at(6)).lead
  assert.equal(lf.enteredAt(l.history, 'stage', 'mql'), '2026-02-03T00:00:00Z')
  assert.equal(lf.lastEnteredAt(l.history, 'stage', 'mql'), '2026-02-06T00:00:00Z')
  assert.equal(lf.enteredAt(l.history, 'stage', 'sql'), null)
  assert.equal(lf.timeInCurrent(l.history, 'stage', '2026-02-08T00:00:00Z'), 2)
  assert.equal(lf.timeInCurrent([], 'stage', '2026-02-08T00:00:00Z'), null)
  assert.deepStrictEqual(lf.cumulativeTime(l.history, 'stage', new Date('2026-02-08T00:00:00Z')), { lead: 3, mql: 4 })
  const tl = lf.timeline(l.history, 'stage', '2026-02-08T00:00:00Z')
  assert.deepStrictEqual(tl.map((r) => [r.state, r.days]), [['lead', 3], ['mql', 4]])
  assert.equal(thrown(() => lf.enteredAt(l.history, 'mood', 'x')).field, 'dimension')
})
