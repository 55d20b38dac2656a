// Runs every shared JSON fixture under the repository's tests/fixtures/ through
// the Node API; the Rust suite (tests/fixtures.rs) and the Python suite run the
// same files and must agree. An unknown `operation` fails: no fixture can
// silently go unrun.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { test } from 'node:test'

import { FIXTURES_DIR, lf } from './helpers.mjs'

/** One entry per operation of tests/fixtures/README.md: input -> JSON result. */
const OPERATIONS = {
  parse_lead: (input) => lf.parseLead(input),
  lifecycle: runLifecycle,
  opportunity: runOpportunity,
  match_lead: (i) => lf.matchLead(i.lead, i.accounts ?? [], i.contacts ?? [], i.options),
  convert_plan: (i) => lf.planConversion(i.lead, i.accounts ?? [], i.contacts ?? [], i.now, i.options),
  convert: (i) => lf.convert(i.lead, i.accounts ?? [], i.contacts ?? [], i.now, i.options),
  derive: (input) => lf.derive(input),
  enrich: (i) => {
    const { lead, rejected } = lf.applyEnrichment(i.lead, i.data, i.provider)
    return { lead, rejected }
  },
  qualify: (i) => lf.qualify(i.framework, i.evidence, i.policy),
  ...Object.fromEntries(
    ['funnel', 'conversion', 'velocity', 'board', 'pipeline', 'attribution'].map((section) => [section, (i) => lf.metrics(i)[section]]),
  ),
  route: (i) => {
    const existing = i.accounts === undefined ? undefined : { accounts: i.accounts, contacts: i.contacts ?? [] }
    return new lf.Router(i.config, existing).assignMany(i.leads ?? [], i.state, i.now)
  },
  sla: (i) => {
    const policy = new lf.SlaPolicy(i.config)
    return (i.leads ?? []).map((lead) => {
      try {
        return policy.evaluate(lead, i.now)
      } catch (e) {
        if (!lf.isLeadflowError(e)) throw e
        return { error: errorJson(e) }
      }
    })
  },
  triggers: (i) => {
    const t = new lf.Triggers(i.config)
    let state = i.state
    const actions = []
    for (const event of i.events ?? []) {
      const r = t.evaluate(i.lead, event, state)
      actions.push(...r.actions)
      state = r.state
    }
    return { actions, state }
  },
  touch: (i) => {
    let lead = i.lead
    const results = []
    for (const activity of i.activities ?? []) {
      const r = lf.recordActivity(lead, activity, { policy: i.policy, actor: i.actor })
      lead = r.lead
      results.push(r.result)
    }
    return { lead: lf.parseLead(lead), results }
  },
  score: (i) => packOf(i.pack).score(i.lead, i.now, { explain: i.explain ?? false }),
  score_many: (i) => packOf(i.pack).scoreMany(i.leads, i.now, { explain: i.explain ?? false, columns: i.columns }),
  score_columns: (i) => {
    // Plain arrays as the batch's columns (numbers and booleans go through Float64Array.from).
    const r = packOf(i.pack).scoreColumns({ columns: i.table }, i.now, { columns: i.columns, strict: i.strict })
    assert.deepStrictEqual(r.errors, [], 'score_columns fixtures score every row')
    const scores = Array.from(r.total, (total, k) => ({
      total, fit: r.fit[k], engagement: r.engagement[k], grade: lf.GRADES[r.grade[k]], temperature: lf.TEMPERATURES[r.temperature[k]],
    }))
    return { scores, warnings: r.warnings }
  },
  evaluate: (i) => lf.parseLead(packOf(i.pack).evaluate(i.lead, i.now, i.pipeline == null ? undefined : new lf.Pipeline(i.pipeline)).lead),
  qualify_lead: (i) => {
    const { evidence, result, state } = lf.qualifyLead(i.lead, i.framework, i.now)
    return { evidence, outcome: result.outcome, state }
  },
}

/** The core's JSON of an error (the `{error}` entry of a batch). */
const errorJson = (e) => Object.fromEntries(['kind', 'message', 'record', 'field', 'rule', 'file', 'line', 'column', 'details']
  .map((k) => [k, k === 'kind' ? e.code : e[k]]).filter(([, v]) => v !== undefined))

/** A pack given as a path relative to the repository root, or as an inline manifest. */
const packOf = (pack) => (typeof pack === 'string' ? lf.Pack.fromPath(join(FIXTURES_DIR, '..', '..', pack)) : lf.Pack.fromObject(pack))

const pipelineOf = (input) => (input.pipeline === undefined ? new lf.Pipeline() : new lf.Pipeline(input.pipeline))
const changeOf = ({ at, actor, reason }) => ({ at, actor, reason })

/** Applies `steps` to a lead in order; the first refused step throws. */
function runLifecycle(input) {
  const p = pipelineOf(input)
  let lead = input.lead
  for (const step of input.steps) {
    const ch = changeOf(step)
    switch (step.action) {
      case 'place': lead = p.place(lead, ch).lead; break
      case 'advance_stage': lead = p.advanceStage(lead, step.to, ch).lead; break
      case 'recycle_stage': lead = p.recycleStage(lead, step.to, ch).lead; break
      case 'set_status': lead = p.setStatus(lead, step.to, ch).lead; break
      case 'record_touch': lead = p.recordTouch(lead, step.outcome, ch).lead; break
      default: assert.fail(`unknown lifecycle action ${JSON.stringify(step.action)}`)
    }
  }
  return lf.parseLead(lead)
}

/** Opens an opportunity and moves it through `steps`. */
function runOpportunity(input) {
  const p = pipelineOf(input)
  const o = input.open
  let opp = p.openOpportunity(o.id, o.name, o.account_id, changeOf(o))
  for (const step of input.steps) opp = p.moveOpportunity(opp, step.to, changeOf(step)).opportunity
  return opp
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith('.json'))
    .sort()
}

// The hostile corpus's cases have the same format (tests/hostile/README.md).
const HOSTILE_DIR = join(FIXTURES_DIR, '..', 'hostile', 'cases')
const files = [...walk(FIXTURES_DIR), ...walk(HOSTILE_DIR)]

test('fixtures are found', () => {
  assert.ok(files.length > 0, `no fixtures under ${FIXTURES_DIR}`)
})

for (const file of files) {
  const name = relative(join(FIXTURES_DIR, '..'), file)
  test(`fixture ${name}`, () => {
    const fx = JSON.parse(readFileSync(file, 'utf8'))
    const run = OPERATIONS[fx.operation]
    assert.ok(run, `${name}: unknown fixture operation ${JSON.stringify(fx.operation)}: add it to tests/test_fixtures.mjs`)
    const hasExpected = 'expected' in fx
    const hasError = 'error' in fx
    assert.ok(hasExpected !== hasError, `${name}: a fixture has exactly one of \`expected\` and \`error\``)
    if (hasExpected) {
      assert.deepStrictEqual(run(fx.input), fx.expected, name)
      return
    }
    let err
    try {
      const got = run(fx.input)
      assert.fail(`${name}: expected error ${JSON.stringify(fx.error)}, got ${JSON.stringify(got)}`)
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e
      err = e
    }
    assert.ok(lf.isLeadflowError(err), `${name}: not a leadflow error: ${err}`)
    assert.equal(err.code, fx.error.kind, `${name}: ${err.message}`)
    for (const key of ['record', 'field', 'rule']) {
      if (typeof fx.error[key] === 'string') {
        assert.equal(err[key], fx.error[key], `${name}: ${key} of ${err.message}`)
      }
    }
  })
}
