// scoreMany / scoreManyAsync over plain flat objects: the core's row batch
// (no Lead per flat record) must give exactly what scoring each lead gives.
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf } from './helpers.mjs'

const PACKS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'packs')
const NOW = '2026-06-01T00:00:00Z'
const MIXED = `
name = "mixed"
version = "1"
script = '''
let score = 0.0;
// rule: boom
if lead.title == "boom" { throw "bad title"; }
// rule: budget
score += lead.budget / 1000.0;
'''
[features.budget]
field = "budget"
[[rules]]
name = "domain"
when = { field = "email_domain", equals = "acme.io" }
points = 4
[[rules]]
name = "band"
when = { field = "employee_band", equals = "1-10" }
points = 1
[[rules]]
name = "rev"
value = "revenue"
per = 1000000
max = 10
[[rules]]
name = "stale"
when = { field = "days_since_activity", gt = 30 }
points = -5
`

const base = { id: 'L-1', created_at: '2026-04-01T00:00:00Z' }
const rows = [
  { ...base, title: 'VP Sales', employees: 800, annual_revenue: 2.5e7, page_views: 7 },
  { ...base, id: 'L-2', email: 'x@acme.io', employees: 5, budget: 3000 },
  { ...base, id: 'L-3', revenue: 4000000, days_since_activity: 2 },
  { ...base, id: 'L-4', employees: 'many' },
  { ...base, id: 'L-5', employees: 12.5 },
  { ...base, id: 'L-6', employees: true },
  { ...base, id: 'L-7', employees: -3 },
  { ...base, id: 'L-8', employees: 2 ** 70 },
  { ...base, id: 'L-9', title: 'boom' },
  { ...base, id: 'L-10', title: null, email: null, budget: null },
  { ...base, id: 'L-11', created_at: 'yesterday' },
  { ...base, id: 'L-12', created_at: new Date('2026-04-01T00:00:00Z') },
  { ...base, id: 14 },
  { created_at: NOW },
  { ...base, id: '' },
  { ...base, id: 'L-13', phone: 5 },
  { ...base, id: 'L-14', utm: { nested: [1, 2] }, note: 'ünïcödé 🚀' },
  { ...base, id: 'L-15', custom: { budget: 9 } },
  { ...base, id: 'L-16', activities: [{ type: 'page_view', at: NOW }] },
  { ...base, id: 'L-17', budget: '3000', page_views: '7' },
  { ...base, id: 'L-18', page_views: 1.5, budget: true },
  { ...base, id: 'L-19', stage: 'mql', attempts: 2, owner: 'u-1' },
  { ...base, id: 'L-20', attempts: -1 },
  [1, 2],
  42,
]

/** What scoring the lead alone gives: the result, or the error as an entry. */
function one (pack, lead) {
  try {
    return pack.score(lead, NOW)
  } catch (err) {
    return { error: { kind: err.code, record: err.record, field: err.field, rule: err.rule } }
  }
}

function same (got, want, i) {
  if (want.error) {
    assert.ok(got.error, `row ${i}: expected an error, got ${JSON.stringify(got)}`)
    for (const k of ['kind', 'record', 'field', 'rule']) {
      assert.equal(got.error[k] ?? undefined, want.error[k] ?? undefined, `row ${i}: ${k}`)
    }
  } else {
    assert.deepStrictEqual(got, want, `row ${i}`)
  }
}

for (const name of ['mixed', 'reference', 'b2b-saas']) {
  test(`scoreMany over mixed flat objects equals score per lead (${name})`, async () => {
    const pack = name === 'mixed' ? lf.Pack.fromString(MIXED, 'toml') : lf.Pack.fromPath(join(PACKS, name))
    const many = pack.scoreMany(rows, NOW)
    assert.equal(many.length, rows.length)
    many.forEach((r, i) => same(r, one(pack, rows[i]), i))
    assert.deepStrictEqual(await pack.scoreManyAsync(rows, NOW), many)
    const explained = pack.scoreMany(rows, NOW, { explain: true })
    explained.forEach((r, i) => {
      const want = one(pack, rows[i])
      if (want.error) same(r, want, i)
      else assert.ok(r.explanation && r.total === want.total, `row ${i}`)
    })
  })
}

test('flat reference rows score like single leads', () => {
  const pack = lf.Pack.fromPath(join(PACKS, 'reference'))
  const leads = Array.from({ length: 300 }, (_, i) => ({
    id: `L-${i}`,
    created_at: NOW,
    annual_revenue: 1e6 * i,
    title: ['VP Sales', 'Intern', 'CTO', 'Director'][i % 4],
    employees: 3 * i,
    industry: 'Software',
    country: ['US', 'JP'][i % 2],
    email: ['a@gmail.com', 'b@acme.io'][i % 2],
    source: 'referral',
    page_views: i % 40,
    email_opens: i % 25,
    email_clicks: i % 6,
    form_fills: i % 3,
    pricing_visits: i % 6,
    demo_requested: i % 10 === 0,
    webinar_attended: i % 5 === 0,
    unsubscribed: i % 20 === 0,
    days_since_activity: i % 180,
  }))
  pack.scoreMany(leads, NOW).forEach((r, i) => assert.deepStrictEqual(r, pack.score(leads[i], NOW)))
})
