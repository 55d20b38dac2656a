// Matching and conversion.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { lf, thrown } from './helpers.mjs'

const now = '2026-03-01T00:00:00Z'
const lead = {
  id: 'L-1', created_at: '2026-02-01T00:00:00Z', first_name: 'Jane', last_name: 'Doe',
  email: 'jane@acme.com', company: 'Acme Inc', industry: 'Software', custom: { budget: 5000 },
}
const acme = { id: 'A-1', name: 'Acme', domains: ['acme.com'] }

test('matchLead ranks accounts with reasons', () => {
  const m = lf.matchLead(lead, [acme, { id: 'A-2', name: 'Other' }], [])
  assert.equal(m.accounts.length, 1)
  assert.equal(m.accounts[0].id, 'A-1')
  assert.ok(m.accounts[0].confidence > 0.5)
  assert.ok(m.accounts[0].reasons.some((r) => r.code === 'domain_email'))
  assert.deepStrictEqual(m.contacts, [])
  const none = lf.matchLead(lead, [acme], [], { own_domains: ['acme.com'] })
  assert.ok(none.accounts.every((c) => c.reasons.every((r) => r.code !== 'domain_email')))
})

test('convert creates account, contact and opportunity for a new company', () => {
  const r = lf.convert(lead, [], [], now)
  assert.equal(r.account_change, 'created')
  assert.equal(r.contact_change, 'created')
  assert.equal(r.account.id, 'acc-L-1')
  assert.equal(r.contact.id, 'con-L-1')
  assert.equal(r.opportunity.id, 'opp-L-1')
  assert.equal(r.lead.status, 'converted')
  assert.equal(r.lead.conversion.account_id, 'acc-L-1')
  const again = thrown(() => lf.convert(r.lead, [], [], now))
  assert.equal(again.code, 'AlreadyConverted')
  assert.equal(again.details.account_id, 'acc-L-1')
})

test('plan then apply links the matched account; a changed lead makes the plan stale', () => {
  const plan = lf.planConversion(lead, [acme], [], now)
  assert.equal(plan.account.action, 'link')
  assert.equal(plan.account.id, 'A-1')
  assert.equal(plan.contact.action, 'create')
  const result = lf.applyConversion(plan, lead, [acme], [], now)
  assert.equal(result.account.id, 'A-1')
  assert.equal(result.contact.account_id, 'A-1')
  const stale = thrown(() => lf.applyConversion(plan, { ...lead, title: 'CTO' }, [acme], [], now))
  assert.equal(stale.code, 'ConversionError')
})

test('options are validated; records name their position', () => {
  const typo = thrown(() => lf.convert(lead, [], [], now, { create_oportunity: false }))
  assert.equal(typo.code, 'ValidationError')
  assert.match(typo.field, /^options/)
  const noOpp = lf.convert(lead, [], [], now, { create_opportunity: false, actor: 'rep-9' })
  assert.equal(noOpp.opportunity, undefined)
  const badAccount = thrown(() => lf.matchLead(lead, [acme, { id: 'A-2' }], []))
  assert.equal(badAccount.code, 'ValidationError')
  assert.equal(badAccount.record, 'A-2')
  assert.match(badAccount.field, /^accounts\[1\]/)
  assert.equal(thrown(() => lf.convert(lead, [], [], 'later')).field, 'now')
  assert.equal(thrown(() => lf.convert(lead, [], [], now, { contact_id: 'C-404' })).code, 'NotFound')
})
