// Hostile values at the Node boundary: elements JSON cannot represent (BigInt,
// throwing getters, cycles, nesting deeper than the stack) and panics. Each case
// asserts the typed error, that the rest of a batch is exactly what the good leads
// alone give, and that the process is alive after it (the same file exists in
// bindings/python/tests).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf, thrown } from './helpers.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const EXAMPLES = join(HERE, '..', '..', '..', 'examples')
const NOW = '2026-02-01T00:00:00Z'
const GOOD = readFileSync(join(EXAMPLES, 'data', 'sample-leads.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim()).slice(0, 6).map((l) => JSON.parse(l))
const pack = lf.Pack.fromPath(join(EXAMPLES, 'packs', 'b2b-saas'))
const CONFIG = {
  fallback_queue: 'q',
  reps: [{ id: 'ana' }, { id: 'ben' }],
  teams: [{ name: 't', members: ['ana', 'ben'], strategy: 'round_robin' }],
  rules: [{ name: 'all', assign: { team: 't' } }],
}

const bad = (id, fields) => ({ id, created_at: '2026-01-01T00:00:00Z', ...fields })
function nested (depth) {
  let value = 'bottom'
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

// [name, a factory of the bad lead, the field path the error names]
const BAD = [
  ['BigInt', () => bad('B-1', { employees: 10n }), 'employees'],
  ['throwing getter', () => {
    const lead = bad('B-2', { custom: {} })
    Object.defineProperty(lead.custom, 'x', { enumerable: true, get () { throw new Error('boom') } })
    return lead
  }, 'custom.x'],
  ['cyclic object', () => {
    const lead = bad('B-3', { custom: { a: [1] } })
    lead.custom.a.push(lead.custom)
    return lead
  }, 'custom.a[1]'],
  ['20,000 deep', () => bad('B-4', { custom: { deep: nested(20_000) } }), 'custom.deep'],
  ['130 deep (JSON can write it, the core cannot read it)', () => bad('B-5', { custom: { deep: nested(130) } }), 'custom.deep'],
]

function assertNames (entry, id, field) {
  assert.ok(entry && entry.error, `expected an error entry, got ${JSON.stringify(entry)}`)
  assert.equal(entry.error.kind, 'ValidationError')
  assert.equal(entry.error.record, id)
  assert.ok(entry.error.field?.startsWith(field), entry.error.field)
}

function assertAlive () {
  assert.deepStrictEqual(pack.scoreMany([GOOD[0]], NOW)[0], pack.score(GOOD[0], NOW))
}

for (const [name, make, field] of BAD) {
  test(`${name}: parseLead and score throw a ValidationError naming the field`, () => {
    const lead = make()
    for (const call of [() => lf.parseLead(lead), () => pack.score(lead, NOW)]) {
      const err = thrown(call)
      assert.ok(lf.isLeadflowError(err))
      assertNames({ error: { kind: err.code, record: err.record, field: err.field } }, lead.id, field)
    }
    assertAlive()
  })

  test(`${name}: one error entry in every batch, the others unchanged`, async () => {
    const lead = make()
    const leads = [...GOOD.slice(0, 3), lead, ...GOOD.slice(3)]
    const check = (entries, alone) => {
      assertNames(entries[3], lead.id, field)
      assert.match(entries[3].error.message, /\[3\]/)
      assert.deepStrictEqual([...entries.slice(0, 3), ...entries.slice(4)], alone)
    }
    check(pack.scoreMany(leads, NOW), pack.scoreMany(GOOD, NOW))
    check(pack.scoreMany(leads, NOW, { explain: true }), pack.scoreMany(GOOD, NOW, { explain: true }))
    check(await pack.scoreManyAsync(leads, NOW), pack.scoreMany(GOOD, NOW))
    check(pack.evaluateMany(leads, NOW), pack.evaluateMany(GOOD, NOW))
    check(await pack.evaluateManyAsync(leads, NOW), pack.evaluateMany(GOOD, NOW))
    check(lf.parseLeads(leads), lf.parseLeads(GOOD))
    const routed = new lf.Router(CONFIG).assignMany(leads, null, NOW)
    const alone = new lf.Router(CONFIG).assignMany(GOOD, null, NOW)
    check(routed.assignments, alone.assignments)
    assert.deepStrictEqual(routed.state, alone.state)
    // addLeads is all or none: the bad lead throws, naming its index, and nothing is added.
    const acc = new lf.MetricsAccumulator({ period: '2025', now: NOW })
    const err = thrown(() => acc.addLeads(leads))
    assert.equal(err.code, 'ValidationError')
    assert.ok(err.field.startsWith(`leads[3].${field}`), err.field)
    assert.equal(acc.addLeads(GOOD), GOOD.length)
    assertAlive()
  })
}

test('the depth limit is the JSON limit: an object is refused exactly when its text is', () => {
  for (const depth of [120, 125, 126, 130]) {
    const lead = bad('D-1', { custom: { a: nested(depth) } })
    const outcome = (input) => {
      try {
        lf.parseLead(input)
        return 'ok'
      } catch (err) {
        assert.ok(lf.isLeadflowError(err))
        return 'refused'
      }
    }
    assert.equal(outcome(lead), outcome(JSON.stringify(lead)), `depth ${depth}`)
  }
  assert.equal(lf.parseLead(bad('D-2', { custom: { a: nested(120) } })).id, 'D-2')
})

test('a value shared by two fields is not a cycle; undefined elements stay null entries', () => {
  const shared = { k: [1, 2] }
  const lead = bad('S-1', { custom: { a: shared, b: shared } })
  assert.deepStrictEqual(lf.parseLead(lead).custom, { a: shared, b: shared })
  const out = pack.scoreMany([GOOD[0], undefined, GOOD[1]], NOW)
  assert.deepStrictEqual(out[1], pack.scoreMany([null], NOW)[0])
  assert.deepStrictEqual([out[0], out[2]], pack.scoreMany([GOOD[0], GOOD[1]], NOW))
  assert.deepStrictEqual(pack.scoreMany([], NOW), [])
})

// Runs `code` in a child Node process and returns its status, stdout and stderr.
function child (code, env = {}) {
  const environ = { ...process.env, ...env }
  if (!('LEADFLOW_BACKTRACE' in env)) delete environ.LEADFLOW_BACKTRACE
  delete environ.RUST_BACKTRACE
  return spawnSync(process.execPath, ['--input-type=module', '-e', code],
    { cwd: HERE, env: environ, encoding: 'utf8', timeout: 60_000 })
}

const PANIC = `
import { createRequire } from 'node:module'
const lf = createRequire(import.meta.url)('../index.js')
try {
  lf._panic('kaboom')
} catch (err) {
  console.log(err.name, err.code, lf.isLeadflowError(err), err instanceof Error, err.message)
}
console.log(lf.parseLead({ id: 'L-1', created_at: '2026-01-01T00:00:00Z' }).id)
`

test('a panic is thrown as InternalError, nothing reaches stderr, the process goes on', () => {
  const run = child(PANIC)
  assert.equal(run.status, 0, run.stderr)
  const [first, second] = run.stdout.trim().split('\n')
  assert.match(first, /^LeadflowError InternalError true true InternalError: leadflow panicked: kaboom/)
  assert.equal(second, 'L-1')
  assert.equal(run.stderr, '')
})

test('LEADFLOW_BACKTRACE=1 prints caught panics with a backtrace', () => {
  const run = child(PANIC, { LEADFLOW_BACKTRACE: '1' })
  assert.equal(run.status, 0, run.stderr)
  assert.match(run.stderr, /leadflow panicked at .*: kaboom/)
  assert.match(run.stdout, /InternalError/)
})

test('isLeadflowError accepts InternalError; errorCodes stays the core list', () => {
  const err = thrown(() => lf._panic('x'))
  assert.equal(err.code, 'InternalError')
  assert.ok(lf.isLeadflowError(err))
  assert.ok(!lf.errorCodes().includes('InternalError'))
  const fake = Object.assign(new Error('x'), { name: 'LeadflowError', code: 'NotACode' })
  assert.ok(!lf.isLeadflowError(fake))
  assertAlive()
})

// The host owns the sandbox (docs/sandbox.md): a pack lowers its limits, never raises them.
const SPIN = { name: 'spin', version: '1', rules: [{ name: 'spin', script: 'loop { score += 1.0; }' }] }

test('host limits bind the pack', () => {
  const p = lf.Pack.fromObject(SPIN, { limits: { max_operations: 50 } })
  assert.equal(p.limits.max_operations, 50)
  const err = thrown(() => p.score(GOOD[0], NOW))
  assert.equal(err.code, 'LimitExceeded')
  assert.equal(err.record, GOOD[0].id)
})

test('limits out of range are ConfigErrors naming the key', () => {
  const cases = [
    [{ max_operations: 0 }, undefined, 'limits.max_operations'],
    [{ max_call_depth: 10000000 }, undefined, 'limits.max_call_depth'],
    [{ max_operations: 100 }, { max_operations: 50 }, 'limits.max_operations'],
    [{}, { max_operations: 0 }, 'limits.max_operations'],
    [{}, { max_expr_depth: 1000 }, 'limits.max_expr_depth'],
    [{}, { no_such_limit: 1 }, 'limits'],
  ]
  for (const [packLimits, hostLimits, field] of cases) {
    const err = thrown(() => lf.Pack.fromObject({ ...SPIN, limits: packLimits }, { limits: hostLimits }))
    assert.equal(err.code, 'ConfigError', JSON.stringify([packLimits, hostLimits]))
    assert.equal(err.field, field)
  }
})

test('packs read nothing outside their folder', () => {
  for (const name of ['escape-dotdot', 'escape-absolute', 'escape-symlink', 'escape-device']) {
    const err = thrown(() => lf.Pack.fromPath(join(EXAMPLES, '..', 'tests', 'hostile', 'packs', name)))
    assert.equal(err.code, 'ConfigError', name)
    assert.equal(err.field, 'scripts')
    assert.ok(!String(err.message).includes('leadflow_outside_secret_token'))
  }
})

test('a bad element of a text array is one entry', () => {
  // A NaN is not JSON: before, the whole array was one ParseError.
  const text = `[${JSON.stringify(GOOD[0])}, NaN, ${JSON.stringify(GOOD[1])}]`
  const scores = pack.scoreMany(text, NOW)
  assert.equal(scores.length, 3)
  assert.equal(scores[1].error.kind, 'ParseError')
  assert.deepStrictEqual([scores[0], scores[2]], pack.scoreMany(GOOD.slice(0, 2), NOW))
  // A BOM before an array loses nothing.
  assert.deepStrictEqual(lf.parseLeads(`\ufeff${JSON.stringify(GOOD.slice(0, 2))}`), lf.parseLeads(GOOD.slice(0, 2)))
})
