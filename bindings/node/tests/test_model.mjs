// Records cross the boundary as plain objects, losslessly.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { lf } from './helpers.mjs'

test('parseLead round-trips unknown fields, offsets and custom data', () => {
  const input = {
    id: 'L-1',
    created_at: '2026-03-01T09:30:00+09:00',
    custom: { budget: 25000, tags: ['apac'] },
    activities: [{ type: 'podcast_listen', at: '2026-03-03T00:00:00Z', device: 'ios' }],
    utm_medium: 'partner',
  }
  assert.deepStrictEqual(lf.parseLead(input), input)
  assert.deepStrictEqual(lf.parseLead(JSON.stringify(input)), input)
})

test('Dates become RFC 3339 timestamps; undefined properties are dropped', () => {
  const lead = lf.parseLead({
    id: 'L-2',
    created_at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    email: undefined,
  })
  assert.equal(lead.created_at, '2026-01-02T03:04:05Z')
  assert.ok(!('email' in lead))
})

test('integers above 2^31 stay integers', () => {
  const lead = lf.parseLead({ id: 'L-3', created_at: '2026-01-01T00:00:00Z', employees: 2 ** 40 })
  assert.equal(lead.employees, 2 ** 40)
})

test('parseLeads accepts JSON Lines, a JSON array and an array of objects', () => {
  const a = { id: 'a', created_at: '2026-01-01T00:00:00Z' }
  const b = { id: 'b', created_at: '2026-01-02T00:00:00Z' }
  const expected = [a, b]
  assert.deepStrictEqual(lf.parseLeads(`${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`), expected)
  assert.deepStrictEqual(lf.parseLeads(JSON.stringify([a, b])), expected)
  assert.deepStrictEqual(lf.parseLeads([a, b]), expected)
  assert.deepStrictEqual(lf.parseLeads([]), [])
})

test('accounts, contacts and opportunities parse and validate', () => {
  const account = { id: 'A-1', name: 'Acme', domains: ['acme.com'], is_customer: true }
  assert.deepStrictEqual(lf.parseAccount(account), account)
  const contact = { id: 'C-1', account_id: 'A-1', email: 'x@acme.com' }
  assert.deepStrictEqual(lf.parseContact(contact), contact)
  const opp = {
    id: 'O-1', name: 'Acme deal', account_id: 'A-1', stage: 'Prospecting', probability: 10,
    forecast_category: 'pipeline', is_closed: false, is_won: false, close_date: '2026-03-31',
  }
  assert.deepStrictEqual(lf.parseOpportunity(opp), opp)
  const err = (() => { try { lf.parseOpportunity({ ...opp, forecast_category: 'maybe' }) } catch (e) { return e } })()
  assert.equal(err.code, 'ValidationError')
  assert.equal(err.record, 'O-1')
  assert.equal(err.field, 'forecast_category')
})

test('version is the core version', () => {
  assert.match(lf.version(), /^\d+\.\d+\.\d+/)
})
