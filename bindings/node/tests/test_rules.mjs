// Enrichment and qualification (rule packs: test_pack.mjs, test_columnar.mjs).
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { lf, thrown } from './helpers.mjs'

const lead = { id: 'L-1', created_at: '2026-02-01T00:00:00Z', email: 'jane@gmail.com', title: 'VP Sales', employees: 120 }

test('derive never fails and always has every key', () => {
  const d = lf.derive(lead)
  assert.equal(d.free_mail, true)
  assert.equal(d.email_domain, 'gmail.com')
  assert.equal(d.employee_band, '51-200')
  assert.equal(d.website_domain, null)
  assert.equal(typeof d.seniority, 'string')
})

test('applyEnrichment fills empty fields and rejects conflicts', () => {
  const r = lf.applyEnrichment(lead, { industry: 'Software', employees: 500 }, 'clearbit')
  assert.equal(r.lead.industry, 'Software')
  assert.equal(r.lead.employees, 120)
  assert.deepStrictEqual(r.applied, ['industry'])
  assert.equal(r.rejected[0].field, 'employees')
  assert.equal(r.rejected[0].reason, 'conflict')
  const typo = thrown(() => lf.applyEnrichment(lead, { revenue: 5 }, 'x'))
  assert.equal(typo.code, 'ValidationError')
  assert.match(typo.field, /^data/)
})

test('qualify with built-in and inline frameworks', () => {
  const r = lf.qualify('bant', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed', timeline: 'partial' })
  assert.equal(r.framework, 'BANT')
  assert.equal(r.outcome, 'not_yet')
  assert.deepStrictEqual(r.missing, ['timeline'])
  const lenient = lf.qualify('BANT', { budget: 'confirmed', authority: 'confirmed', need: 'confirmed', timeline: 'partial' }, { all_required: false, min_met: 3 })
  assert.equal(lenient.outcome, 'qualified')
  const inline = { name: 'Mini', criteria: [{ key: 'fit', label: 'Fit' }] }
  assert.equal(lf.qualify(inline, { fit: 'disqualifying' }).outcome, 'disqualified')
  assert.equal(thrown(() => lf.qualify('NOPE')).code !== undefined, true)
  assert.equal(thrown(() => lf.qualify('BANT', { budget: 'maybe' })).code, 'ValidationError')
})

test('qualifyLead reads evidence from the lead and returns the state to store', () => {
  const withEvidence = { ...lead, custom: { qualification: { budget: 'confirmed', need: 'confirmed' } } }
  const q = lf.qualifyLead(withEvidence, 'BANT', '2026-03-01T00:00:00Z')
  assert.equal(q.evidence.budget.status, 'confirmed')
  assert.equal(q.state.framework, 'BANT')
  assert.equal(q.state.at, '2026-03-01T00:00:00Z')
  assert.equal(q.state.outcome, q.result.outcome)
})
