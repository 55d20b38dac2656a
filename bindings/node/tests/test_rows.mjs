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

// Batches of any size cross in chunks (bindings/node/src/rows.rs): each chunk's
// leads are one JSON text, and the results are appended chunk by chunk, so
// neither side ever builds a string of the whole batch.
test('scoreMany and scoreManyAsync over 250,000 leads: every entry, in order', async () => {
  const pack = lf.Pack.fromString(MIXED, 'toml')
  const n = 250_000
  const leads = Array.from({ length: n }, (_, i) => rows[i % rows.length])
  // Each row of `rows` alone, as scoring it alone gives it.
  const want = rows.map((r) => JSON.stringify(pack.scoreMany([r], NOW)[0]))
  rows.forEach((r, i) => same(JSON.parse(want[i]), one(pack, r), i))
  for (const many of [pack.scoreMany(leads, NOW), await pack.scoreManyAsync(leads, NOW)]) {
    assert.equal(many.length, n)
    for (let i = 0; i < n; i++) {
      const got = JSON.stringify(many[i])
      if (got !== want[i % rows.length]) assert.fail(`entry ${i}: ${got} != ${want[i % rows.length]}`)
    }
  }
})

test('a batch whose JSON text is larger than a JS string can hold', () => {
  const pack = lf.Pack.fromPath(join(PACKS, 'reference'))
  const notes = 'x'.repeat(2_000_000)
  // 300 leads of 2 MB each: 600 M characters of JSON, beyond V8's ~537 M.
  const leads = Array.from({ length: 300 }, (_, i) => ({
    id: `L-${i}`, created_at: NOW, employees: i, title: 'VP Sales', notes,
  }))
  // One lead whose own JSON cannot be a string: that lead's error, the others score.
  leads[150] = { id: 'huge', created_at: NOW, notes: Array(300).fill(notes) }
  // (Sync only: the async variant reads its chunks the same way, see the test above.)
  const many = pack.scoreMany(leads, NOW)
  assert.equal(many.length, leads.length)
  assert.equal(many[150].error.kind, 'ValidationError')
  assert.equal(many[150].error.record, 'huge')
  assert.match(many[150].error.message, /leads\[150\].*Invalid string length/)
  for (const i of [0, 1, 149, 151, 299]) {
    assert.deepStrictEqual(many[i], pack.score({ ...leads[i], notes: undefined }, NOW), `lead ${i}`)
  }
})

test('evaluateMany and errors over several chunks name each lead by its index', async () => {
  const pack = lf.Pack.fromPath(join(PACKS, 'b2b-saas'))
  const n = 10_000
  const leads = Array.from({ length: n }, (_, i) => ({ ...base, id: `L-${i}`, employees: i }))
  leads[9000] = { ...base, id: 'L-big', employees: 10n }
  for (const many of [pack.evaluateMany(leads, NOW), await pack.evaluateManyAsync(leads, NOW)]) {
    assert.equal(many.length, n)
    for (const i of [0, 4095, 4096, 8191, 8192, 9999]) {
      assert.deepStrictEqual(many[i], pack.evaluate(leads[i], NOW), `lead ${i}`)
    }
    assert.equal(many[9000].error.record, 'L-big')
    assert.equal(many[9000].error.field, 'employees')
    assert.match(many[9000].error.message, /^leads\[9000\] cannot be converted to JSON: a BigInt/)
  }
  const scored = pack.scoreMany(leads, NOW)
  assert.match(scored[9000].error.message, /^leads\[9000\] cannot be converted to JSON: a BigInt/)
  assert.equal(scored[8192].lead_id, 'L-8192')
})

/**
 * `n` full leads from a seeded generator: activities (Dates and offset
 * timestamps, `meta`, values JSON writes oddly: NaN, undefined, 2^53), CRM-cased
 * keys, `custom`; one in eight a bad record (wrong types, a bad activity, two
 * keys reading as one) and one in sixteen a value JSON cannot write (a BigInt,
 * a cycle, a throwing getter) or one nested too deep.
 */
function fullLeads (n, seed) {
  let s = seed
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)]
  const int = (k) => Math.floor(rnd() * k)
  const time = () => new Date(Date.UTC(2026, 0, 1) + int(150 * 86400) * 1000)
  const at = () => pick([time(), time().toISOString(), time().toISOString().replace('.000Z', '+02:00')])
  const activity = () => {
    const a = { type: pick(['page_view', 'email_open', 'email_click', 'form_submit', 'webinar', 'unsubscribe', 'call']), at: at() }
    if (rnd() < 0.6) {
      a.meta = pick([{ url: pick(['https://x.com/pricing', '/pricing?a=1', '/blog', 'ü/🚀', '/pricing"q\\"']) }, { form: pick(['demo', 'contact']) }, { url: undefined, n: 3 }])
    }
    if (rnd() < 0.1) a.note = pick([NaN, Infinity, 2 ** 53, 'ü🚀', null, [1, { x: 2 }], undefined])
    return a
  }
  const lead = (i) => {
    const l = { id: rnd() < 1 / 8 ? i : `L-${i}`, created_at: at() }
    if (rnd() < 0.8) l[pick(['title', 'Title', 'TITLE'])] = pick(['VP Sales', 'CTO', 'Intern', null])
    if (rnd() < 0.8) l[pick(['employees', 'Employees'])] = pick([3, 50, 800, 9000, 2 ** 40, undefined])
    if (rnd() < 0.5) l.annual_revenue = pick([1e5, 2.5e7, 0])
    if (rnd() < 0.5) l.industry = pick(['Software', 'Finance'])
    if (rnd() < 0.5) l.email = pick(['a@gmail.com', 'b@acme.io'])
    if (rnd() < 0.3) l.custom = { budget: int(9000), tier: pick(['a', 'b']) }
    if (rnd() < 0.9) l.activities = Array.from({ length: int(40) }, activity)
    return l
  }
  const bad = (l) => pick([
    { ...l, employees: 'many' },
    { ...l, activities: [{ type: 'page_view' }] },
    { ...l, activities: [activity(), { type: 'page_view', at: 'yesterday' }] },
    { ...l, activities: 'none' },
    { ...l, created_at: 'yesterday' },
    { ...l, id: undefined },
    { ...l, Title: 'CEO', title: 'VP' },
    { ...l, activities: [{ ...activity(), meta: 'x' }] },
    42,
    null,
  ])
  const cycle = (l) => { const a = activity(); a.self = a; return { ...l, activities: [a] } }
  const deep = (l) => { let v = {}; for (let k = 0; k < 200; k++) v = { v }; return { ...l, custom: { v } } }
  const getter = (l) => ({ ...l, get email () { throw new Error('no email') } })
  const unwritable = (l) => pick([{ ...l, employees: 10n }, cycle(l), deep(l), getter(l)])
  return Array.from({ length: n }, (_, i) => {
    const r = rnd()
    return r < 1 / 16 ? unwritable(lead(i)) : r < 3 / 16 ? bad(lead(i)) : lead(i)
  })
}

/** The JSON text of `lead` (`null` for `undefined`), or null when JSON cannot write it. */
function jsonOf (lead) {
  try {
    return JSON.stringify(lead) ?? 'null'
  } catch {
    return null
  }
}

for (const name of ['reference', 'b2b-saas', 'mixed']) {
  test(`scoreMany over full lead objects equals their JSON texts and score per lead (${name}, seeded)`, async () => {
    const pack = name === 'mixed' ? lf.Pack.fromString(MIXED, 'toml') : lf.Pack.fromPath(join(PACKS, name))
    for (const seed of [1, 2, 3]) {
      const leads = fullLeads(400, seed)
      const texts = leads.map(jsonOf)
      for (const explain of [false, true]) {
        const many = pack.scoreMany(leads, NOW, { explain })
        assert.equal(many.length, leads.length)
        const fromText = pack.scoreMany(`[${texts.map((t) => t ?? 'null').join(',')}]`, NOW, { explain })
        let errors = 0
        many.forEach((r, i) => {
          const at = `seed ${seed}, lead ${i}: ${texts[i]?.slice(0, 200)}`
          if (r.error) errors++
          const tooDeep = texts[i] !== null && /\{"v":\{"v"/.test(texts[i])
          if (texts[i] === null || tooDeep) {
            // JSON cannot write it (or the core cannot read it): this element's
            // error, naming it and the field path.
            assert.equal(r.error?.kind, 'ValidationError', at)
            assert.match(r.error.message, new RegExp(`^leads\\[${i}\\] cannot be converted to JSON`), at)
            assert.ok(r.error.field, at)
            return
          }
          assert.deepStrictEqual(r, fromText[i], at)
          if (explain) return
          same(r, one(pack, leads[i]), i)
          if (!r.error) assert.deepStrictEqual(r, pack.score(leads[i], NOW), at)
        })
        assert.ok(errors > leads.length / 10 && errors < leads.length / 2, `${errors} errors`)
        assert.deepStrictEqual(await pack.scoreManyAsync(leads, NOW, { explain }), many)
      }
    }
  })
}
