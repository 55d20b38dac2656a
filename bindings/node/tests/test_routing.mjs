// Routing: Router (assignment with explicit state), SlaPolicy, Triggers, recordActivity.
// The shared fixtures (tests/fixtures/routing) cover the behaviour; these tests cover the JS API.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'

import { FIXTURES_DIR, lf, thrown } from './helpers.mjs'

const fixture = (name) => JSON.parse(readFileSync(join(FIXTURES_DIR, 'routing', name), 'utf8')).input
const NOW = '2026-03-02T09:00:00Z'
const config = {
  fallback_queue: 'unassigned',
  reps: [{ id: 'ana' }, { id: 'ben' }],
  teams: [{ name: 'sdr', members: ['ana', 'ben'], strategy: 'round_robin' }],
  rules: [{ name: 'everyone', assign: { team: 'sdr' } }],
}
const lead = (id) => ({ id, created_at: '2026-03-01T00:00:00Z' })

test('assign threads the state; assignMany equals assigning one by one', () => {
  const router = new lf.Router(config)
  const first = router.assign(lead('L1'), undefined, NOW)
  const second = router.assign(lead('L2'), first.state, new Date(NOW))
  assert.equal(first.assignment.via, 'rule')
  assert.notDeepStrictEqual(first.assignment.assignee, second.assignment.assignee)
  const many = router.assignMany([lead('L1'), { id: 'bad' }, lead('L2')], null, NOW)
  assert.deepStrictEqual(many.assignments[0], first.assignment)
  assert.equal(many.assignments[1].error.record, 'bad')
  assert.deepStrictEqual(many.assignments[2].assignee, second.assignment.assignee)
  assert.deepStrictEqual(many.state, second.state)
  assert.equal(router.config.fallback_queue, 'unassigned')
})

test('routing configs from text; a bad config is a ConfigError', () => {
  const fromText = lf.Router.fromString(JSON.stringify(config), 'json')
  assert.deepStrictEqual(fromText.assign(lead('L1'), null, NOW), new lf.Router(config).assign(lead('L1'), null, NOW))
  assert.equal(thrown(() => new lf.Router({ ...config, rules: [{ name: 'x', assign: { team: 'nope' } }] })).code, 'ConfigError')
  assert.equal(thrown(() => new lf.Router(config).assign(lead('L1'), { nonsense: 1 }, NOW)).field?.startsWith('state'), true)
})

test('SlaPolicy, Triggers and recordActivity run the fixture inputs', () => {
  const sla = fixture('sla_first_touch_boundaries.json')
  const report = new lf.SlaPolicy(sla.config).evaluate(sla.leads[0], sla.now)
  assert.equal(report.lead_id, sla.leads[0].id)
  const tr = fixture('triggers_cascade_and_one_shot.json')
  const triggers = new lf.Triggers(tr.config)
  const once = triggers.evaluate(tr.lead, tr.events[0], tr.state)
  assert.ok(Array.isArray(once.actions))
  const loop = fixture('triggers_loop_is_refused.json')
  const err = thrown(() => {
    const t = new lf.Triggers(loop.config)
    for (const e of loop.events) t.evaluate(loop.lead, e)
  })
  assert.equal(err.code, 'TriggerLoop')
  const touch = fixture('touch_recycle_after_attempts.json')
  const r = lf.recordActivity(touch.lead, touch.activities[0], { policy: touch.policy }, new lf.Pipeline())
  assert.equal(r.lead.activities.length, (touch.lead.activities ?? []).length + 1)
  assert.equal(thrown(() => lf.recordActivity(touch.lead, { type: 'call_attempt' })).field, 'activity')
})
