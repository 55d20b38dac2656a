// Column and key names of flat input (columnar batches, row objects) are matched to
// the pack's features by the core's schema check: CRM casing, ALL CAPS and explicit
// `columns` mappings score like the pack's own names, and a missing feature column
// is an error (`strict: true`, the default) or a warning on the result (`strict: false`).
//
// The Python suite runs the same cases (bindings/python/tests/test_columns_mapping.py).
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf, thrown } from './helpers.mjs'

const PACKS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'packs')
const pack = lf.Pack.fromPath(join(PACKS, 'reference'))
const NOW = '2026-03-01T00:00:00Z'

const FIELDS = {
  title: 'string', industry: 'string', country: 'string', email: 'string', source: 'string',
  employees: 'number', revenue: 'number', days_since_activity: 'number', page_views: 'number',
  email_opens: 'number', email_clicks: 'number', form_fills: 'number', pricing_visits: 'number',
  demo_requested: 'boolean', webinar_attended: 'boolean', unsubscribed: 'boolean',
}

/** Flat rows with every column the reference pack reads (a small seeded generator). */
function rows(n, seed = 11) {
  let s = seed
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)]
  return Array.from({ length: n }, () => ({
    title: pick(['VP Sales', 'Director of IT', 'CEO', 'Intern', '']),
    employees: pick([3, 50, 800, 9000]),
    revenue: pick([1e5, 2e7]),
    industry: pick(['Software', 'Finance', 'Retail']),
    country: pick(['US', 'JP', 'DE']),
    email: pick(['a@gmail.com', 'b@acme.com']),
    source: pick(['referral', 'paid_search', 'event']),
    days_since_activity: Math.floor(rnd() * 200),
    page_views: Math.floor(rnd() * 40),
    email_opens: Math.floor(rnd() * 20),
    email_clicks: Math.floor(rnd() * 5),
    form_fills: Math.floor(rnd() * 3),
    demo_requested: rnd() < 0.2,
    pricing_visits: Math.floor(rnd() * 5),
    webinar_attended: rnd() < 0.3,
    unsubscribed: rnd() < 0.05,
  }))
}

/** A CRM export's spelling: `days_since_activity` -> `Days Since Activity`. */
const crm = (name) => name.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ')
const caps = (name) => name.toUpperCase()
const spaced = (name) => ` ${crm(name)} `

/** The batch with its columns renamed by `spell`. */
function renamed(batch, spell) {
  return { ...batch, columns: Object.fromEntries(Object.entries(batch.columns).map(([k, v]) => [spell(k), v])) }
}

const data = rows(300)
const batch = lf.toColumns(data, FIELDS)
const lower = pack.scoreColumns(batch, NOW)

function sameScores(got, want = lower) {
  assert.deepStrictEqual(Array.from(got.total), Array.from(want.total))
  assert.deepStrictEqual(Array.from(got.fit), Array.from(want.fit))
  assert.deepStrictEqual(Array.from(got.grade), Array.from(want.grade))
  assert.deepStrictEqual(Array.from(got.temperature), Array.from(want.temperature))
  assert.deepStrictEqual(got.errors, [])
}

test('the data spreads the scores (equal results would prove nothing)', () => {
  assert.deepStrictEqual(lower.errors, [])
  assert.deepStrictEqual(lower.warnings, [])
  assert.ok(new Set(lower.total).size > 20)
})

test('cased batch columns score like the pack names', async () => {
  for (const spell of [crm, caps, spaced]) {
    const got = pack.scoreColumns(renamed(batch, spell), NOW)
    sameScores(got)
    assert.deepStrictEqual(got.warnings, [])
    sameScores(await pack.scoreColumnsAsync(renamed(batch, spell), NOW))
  }
})

test('cased object keys score like the pack names', async () => {
  const leads = data.map(({ revenue, ...row }, i) => ({
    ID: `L-${i}`, 'Created At': NOW, 'Annual Revenue': revenue,
    ...Object.fromEntries(Object.entries(row).map(([k, v]) => [crm(k), v])),
  }))
  for (const got of [pack.scoreMany(leads, NOW), await pack.scoreManyAsync(leads, NOW)]) {
    assert.deepStrictEqual(got.map((r) => r.total), Array.from(lower.total))
    assert.deepStrictEqual(got.slice(0, 2).map((r) => r.lead_id), ['L-0', 'L-1'])
  }
})

test('test_single_lead_reads_crm_cased_keys_as_score_many', () => {
  // One lead alone reads its keys as a batch does (`Title` is `title`), with
  // activities (the borrowed reader's path) and without (the flat path).
  const activities = [{ type: 'page_view', at: '2026-02-20T10:00:00Z', meta: { url: 'https://x.com/pricing' } }]
  for (const extra of [{}, { activities }]) {
    const lead = { id: 'L-1', created_at: '2026-01-05T00:00:00Z', Employees: 800, ...extra }
    const titled = { ...lead, Title: 'VP Sales' }
    const one = pack.score(titled, NOW)
    assert.deepStrictEqual(one, pack.scoreMany([titled], NOW)[0])
    assert.deepStrictEqual(one, pack.score({ ...lead, title: 'VP Sales' }, NOW))
    assert.notEqual(one.total, pack.score(lead, NOW).total, 'the title counts')
    // A lead whose keys read as one name is that lead's error, as in a batch.
    const both = { ...titled, title: 'CEO' }
    const err = thrown(() => pack.score(both, NOW))
    const { error } = pack.scoreMany([both], NOW)[0]
    assert.deepStrictEqual([err.code, err.record, err.field], [error.kind, error.record, error.field])
    assert.ok(err.message.includes(error.message), err.message)
    // ... reported before a bad `now`, as the lead's own errors are.
    assert.equal(thrown(() => pack.score(both, 'yesterday')).message, err.message)
  }
})

test('an explicit mapping wins', async () => {
  const { title, page_views: views, ...rest } = batch.columns
  // A `Title` column the mapping displaces keeps its own name and is not read.
  const mapped = { ...batch, columns: { ...rest, 'Job Title': title, 'Web Visits': views, Title: data.map(() => 'Intern') } }
  const columns = { 'Job Title': 'title', 'Web Visits': 'page_views' }
  sameScores(pack.scoreColumns(mapped, NOW, { columns }))
  sameScores(await pack.scoreColumnsAsync(mapped, NOW, { columns }))
  const records = [{ id: 'L-1', created_at: NOW, 'Job Title': 'VP Sales', Title: 'Intern' }]
  const [got] = pack.scoreMany(records, NOW, { columns: { 'Job Title': 'title' } })
  const [plain] = pack.scoreMany([{ id: 'L-1', created_at: NOW, title: 'VP Sales' }], NOW)
  assert.deepStrictEqual(got, plain)
})

test('a missing feature column is an error by default', async () => {
  const { page_views: _v, employees: _e, ...columns } = batch.columns
  const err = thrown(() => pack.scoreColumns({ columns }, NOW))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.message, /`employees`/)
  assert.match(err.message, /`page_views`/)
  assert.equal(err.field, 'employees')
  assert.ok(err.details.missing.includes('page_views'))
  await assert.rejects(pack.scoreColumnsAsync({ columns }, NOW), (e) => e.code === 'ValidationError')
})

test('strict: false scores with a warning on the result', async () => {
  const { page_views: _v, ...columns } = batch.columns
  const got = pack.scoreColumns({ columns }, NOW, { strict: false })
  assert.equal(got.warnings.length, 1)
  assert.match(got.warnings[0], /`page_views`/)
  assert.deepStrictEqual(got.errors, [])
  // The missing feature reads 0, as in a lead without page views.
  const zero = pack.scoreColumns({ columns: { ...columns, page_views: new Float64Array(data.length) } }, NOW)
  assert.deepStrictEqual(Array.from(got.total), Array.from(zero.total))
  const later = await pack.scoreColumnsAsync({ columns }, NOW, { strict: false })
  assert.deepStrictEqual(later.warnings, got.warnings)
})

test('two columns reading as one name are an error naming both', () => {
  const columns = { ...batch.columns, Title: data.map(() => 'CEO') }
  const err = thrown(() => pack.scoreColumns({ columns }, NOW))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.message, /`title`/)
  assert.match(err.message, /`Title`/)
  // In object rows, that record is the error entry; the others score.
  const got = pack.scoreMany([
    { id: 'L-1', created_at: NOW, title: 'CEO', TITLE: 'VP' },
    { id: 'L-2', created_at: NOW, title: 'CEO' },
  ], NOW)
  assert.equal(got[0].error.kind, 'ValidationError')
  assert.equal(got[0].error.record, 'L-1')
  assert.match(got[0].error.message, /`title`/)
  assert.match(got[0].error.message, /`TITLE`/)
  assert.equal(typeof got[1].total, 'number')
})

test('bad mappings and options are errors', async () => {
  let err = thrown(() => pack.scoreColumns(batch, NOW, { columns: { title: 'rank' } }))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.message, /`rank`/)
  err = thrown(() => pack.scoreColumns(batch, NOW, { columns: { Position: 'title' } }))
  assert.match(err.message, /`Position`/)
  err = thrown(() => pack.scoreMany([{ id: 'L-1', created_at: NOW }], NOW, { columns: { title: 'rank' } }))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.message, /`rank`/)
  await assert.rejects(pack.scoreManyAsync([], NOW, { columns: { title: 'rank' } }), (e) => e.code === 'ValidationError')
  err = thrown(() => pack.scoreColumns(batch, NOW, { columns: { title: 3 } }))
  assert.equal(err.code, 'ValidationError')
  assert.equal(err.field, 'options.columns.title')
  err = thrown(() => pack.scoreColumns(batch, NOW, { lenient: true }))
  assert.equal(err.code, 'ValidationError')
})
