// Columnar scoring: `Pack.scoreColumns` / `scoreColumnsAsync` and `toColumns`.
import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf, thrown } from './helpers.mjs'

const PACKS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'packs')
const reference = lf.Pack.fromPath(join(PACKS, 'reference'))
const NOW = '2026-03-01T00:00:00Z'

// Flat feature rows of the reference workload (the shape `leadflow generate --format rows-jsonl` writes).
const rows = [
  { title: 'VP of Sales', employees: 800, revenue: 2e7, industry: 'Software', country: 'US', email: 'a@acme.com', source: 'referral', days_since_activity: 3, page_views: 12, email_opens: 14, email_clicks: 2, form_fills: 1, demo_requested: true, pricing_visits: 3, webinar_attended: false, unsubscribed: false },
  { title: 'Student', employees: 4, revenue: 0, industry: 'Education', country: 'FR', email: 'b@gmail.com', source: 'paid_search', days_since_activity: 120, page_views: 1, email_opens: 0, email_clicks: 0, form_fills: 0, demo_requested: false, pricing_visits: 0, webinar_attended: true, unsubscribed: true },
  { title: 'Chief Technology Officer', employees: 9000, revenue: 5e8, industry: 'Finance', country: 'DE', email: 'c@bank.de', source: 'organic', days_since_activity: 30, page_views: 40, email_opens: 3, email_clicks: 5, form_fills: 2, demo_requested: false, pricing_visits: 5, webinar_attended: true, unsubscribed: false },
  { title: 'Director, Ops — 東京', employees: 120, revenue: 1e6, industry: 'Healthcare', country: 'JP', email: 'd@yahoo.com', source: 'referral', days_since_activity: 0, page_views: 0, email_opens: 1, email_clicks: 0, form_fills: 0, demo_requested: false, pricing_visits: 0, webinar_attended: false, unsubscribed: false },
]
const FIELDS = {
  title: 'string', industry: 'string', country: 'string', email: 'string', source: 'string',
  employees: 'number', revenue: 'number', days_since_activity: 'number', page_views: 'number',
  email_opens: 'number', email_clicks: 'number', form_fills: 'number', pricing_visits: 'number',
  demo_requested: 'boolean', webinar_attended: 'boolean', unsubscribed: 'boolean',
}

// The same rows as leads: record values of activity features win over activities.
const asLeads = rows.map(({ revenue, ...r }, i) => ({ id: `L-${i}`, created_at: '2026-01-01T00:00:00Z', annual_revenue: revenue, ...r }))
const expected = reference.scoreMany(asLeads, NOW)

function assertScores(got, want = expected) {
  assert.equal(got.total.length, want.length)
  assert.ok(got.total instanceof Float64Array && got.grade instanceof Uint8Array)
  want.forEach((w, i) => {
    assert.ok(Math.abs(got.total[i] - w.total) < 1e-9, `row ${i}: ${got.total[i]} vs ${w.total}`)
    assert.equal(got.fit[i], w.fit)
    assert.equal(lf.GRADES[got.grade[i]], w.grade)
    assert.equal(lf.TEMPERATURES[got.temperature[i]], w.temperature)
  })
  assert.deepStrictEqual(got.errors, [])
}

test('scoreColumns gives the scores of the same values held in leads', async () => {
  const batch = lf.toColumns(rows, FIELDS)
  assert.ok(batch.columns.employees instanceof Float64Array)
  assert.ok(batch.columns.demo_requested instanceof Uint8Array)
  assertScores(reference.scoreColumns(batch, NOW))
  assertScores(await reference.scoreColumnsAsync(batch, new Date(NOW)))
  assertScores(reference.scoreColumns(lf.toColumns(rows, Object.keys(FIELDS)), NOW))
})

test('every column encoding reads the same values', () => {
  const base = lf.toColumns(rows, FIELDS)
  const enc = new TextEncoder()
  const arrow = (strings) => {
    const bytes = strings.map((s) => enc.encode(s))
    const offsets = new Int32Array(strings.length + 1)
    bytes.forEach((b, i) => { offsets[i + 1] = offsets[i] + b.length })
    const data = new Uint8Array(offsets[strings.length])
    bytes.forEach((b, i) => data.set(b, offsets[i]))
    return { offsets, data }
  }
  const columns = {
    ...base.columns,
    title: arrow(rows.map((r) => r.title)),
    industry: Buffer.from(''), // replaced below; Buffer is a Uint8Array
    employees: Int32Array.from(rows, (r) => r.employees),
    page_views: BigInt64Array.from(rows, (r) => BigInt(r.page_views)),
    email_opens: rows.map((r) => r.email_opens),
    demo_requested: rows.map((r) => r.demo_requested),
    webinar_attended: { bits: Uint8Array.of(rows.reduce((b, r, i) => b | (r.webinar_attended ? 1 << i : 0), 0)) },
    revenue: { values: Float64Array.from(rows, (r) => r.revenue) },
  }
  columns.industry = { values: rows.map((r) => r.industry) }
  assertScores(reference.scoreColumns({ length: rows.length, columns }, NOW))
  // A string holding the join separator (NUL) still lands in the right row.
  const withNul = { ...base.columns, title: rows.map((r, i) => (i === 3 ? 'Dir\0ector' : r.title)) }
  const nulLead = { ...asLeads[3], title: 'Dir\0ector' }
  assertScores(reference.scoreColumns({ columns: withNul }, NOW), [...expected.slice(0, 3), reference.score(nulLead, NOW)])
  assert.notEqual(reference.score(nulLead, NOW).total, expected[3].total)
})

test('validity bitmaps and missing columns read as missing values', () => {
  const base = lf.toColumns(rows, FIELDS)
  // Row 0 without its title and employees: scored like a lead without them.
  const columns = {
    ...base.columns,
    title: { values: base.columns.title, validity: Uint8Array.of(0b1110) },
    employees: { values: base.columns.employees, validity: Uint8Array.of(0b1110) },
  }
  const { title, employees, ...rest } = asLeads[0]
  const want = [reference.score(rest, NOW), ...expected.slice(1)]
  assertScores(reference.scoreColumns({ columns }, NOW), want)
  // No columns at all: with `strict: false` every feature is missing (a
  // warning), nothing fails; strict (the default), that is an error.
  const empty = reference.scoreColumns({ length: 2, columns: {} }, NOW, { strict: false })
  assert.equal(empty.total.length, 2)
  assert.deepStrictEqual(empty.errors, [])
  assert.equal(empty.warnings.length, 1)
  assert.equal(thrown(() => reference.scoreColumns({ length: 2, columns: {} }, NOW)).code, 'ValidationError')
})

test('a failing row is listed in errors with its id; the others are scored', async () => {
  const pack = lf.Pack.fromString('//! name: boom\n// rule: boom fit\nif lead.title == "boom" { throw "no"; }\n// rule: t fit\nif lead.title != "" { score += 1.0; }\n', 'rhai')
  const batch = { columns: { title: ['a', 'boom', 'c'] }, ids: ['L-a', 'L-boom', 'L-c'] }
  for (const r of [pack.scoreColumns(batch, NOW), await pack.scoreColumnsAsync(batch, NOW)]) {
    assert.deepStrictEqual(Array.from(r.fit), [1, NaN, 1])
    assert.equal(r.errors.length, 1)
    assert.equal(r.errors[0].row, 1)
    assert.equal(r.errors[0].error.kind, 'ScriptError')
    assert.equal(r.errors[0].error.record, 'L-boom')
  }
})

test('malformed batches are ValidationErrors naming the column', async () => {
  assert.equal(thrown(() => reference.scoreColumns({}, NOW)).field, 'columns')
  const short = thrown(() => reference.scoreColumns({ length: 5, columns: { employees: new Float64Array(2) } }, NOW))
  assert.equal(short.code, 'ValidationError')
  assert.equal(short.field, 'employees')
  const offsets = thrown(() => reference.scoreColumns({ columns: { title: { offsets: Int32Array.of(0, 9), data: new Uint8Array(2) } } }, NOW))
  assert.equal(offsets.code, 'ValidationError')
  const utf8 = thrown(() => reference.scoreColumns({ columns: { title: { offsets: Int32Array.of(0, 1), data: Uint8Array.of(0xff) } } }, NOW))
  assert.equal(utf8.field, 'columns.title')
  assert.equal(thrown(() => reference.scoreColumns({ columns: { title: 42 } }, NOW)).field, 'columns.title')
  assert.equal(thrown(() => reference.scoreColumns({ length: -1, columns: {} }, NOW)).field, 'length')
  await assert.rejects(reference.scoreColumnsAsync({ length: 5, columns: { employees: new Float64Array(2) } }, NOW), (e) => e.code === 'ValidationError')
  assert.throws(() => lf.toColumns(rows, { title: 'date' }), TypeError)
})

test('grade and temperature labels are the core\'s', () => {
  // The labels of the codes come from the core, in code order (frozen);
  // assertScores compares them with scoreMany's labels row by row.
  assert.deepStrictEqual([...lf.GRADES], ['A', 'B', 'C', 'D', 'E', 'F'])
  assert.deepStrictEqual([...lf.TEMPERATURES], ['cold', 'warm', 'hot'])
  assert.ok(Object.isFrozen(lf.GRADES) && Object.isFrozen(lf.TEMPERATURES))
  assertScores(reference.scoreColumns(lf.toColumns(rows, FIELDS), NOW))
})
