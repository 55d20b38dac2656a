// Rule packs: compile, score, explain, evaluate, batches and their async variants
// (columnar batches: test_columnar.mjs).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

import { lf, thrown } from './helpers.mjs'

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples')
const NOW = '2025-11-10T00:00:00Z'
const sampleLeads = readFileSync(join(EXAMPLES, 'data', 'sample-leads.jsonl'), 'utf8')
  .split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
const b2b = lf.Pack.fromPath(join(EXAMPLES, 'packs', 'b2b-saas'))

test('Pack.fromPath exposes name, version, id, rules and features', () => {
  assert.equal(b2b.name, 'b2b-saas')
  assert.equal(b2b.id, `b2b-saas@${b2b.version}`)
  assert.ok(b2b.rules.some((r) => r.name === 'multi_channel' && r.tier === 'script'))
  assert.ok(b2b.rules.every((r) => ['native', 'script'].includes(r.tier)))
  assert.ok(b2b.features.includes('seniority'))
})

test('score, explain and scoreMany agree; explanations add up', async () => {
  const one = b2b.score(sampleLeads[0], NOW)
  assert.equal(one.lead_id, sampleLeads[0].id)
  assert.equal(one.explanation, undefined)
  const ex = b2b.explain(sampleLeads[0], new Date(NOW))
  assert.equal(ex.total, one.total)
  const fitPoints = ex.explanation.rules.filter((r) => r.axis === 'fit').reduce((s, r) => s + r.points, 0)
  assert.ok(Math.abs(fitPoints - ex.explanation.fit_raw) < 1e-9)
  assert.deepStrictEqual(b2b.score(sampleLeads[0], NOW, { explain: true }), ex)
  const many = b2b.scoreMany(sampleLeads, NOW)
  assert.equal(many.length, sampleLeads.length)
  many.forEach((r, i) => assert.deepStrictEqual(r, b2b.score(sampleLeads[i], NOW)))
  assert.deepStrictEqual(await b2b.scoreManyAsync(sampleLeads, NOW), many)
  const jsonl = sampleLeads.map((l) => JSON.stringify(l)).join('\n')
  assert.deepStrictEqual(b2b.scoreMany(jsonl, NOW), many)
  assert.ok(new Set(many.map((r) => r.grade)).size > 1, 'the sample spans several grades')
})

test('a bad lead is an error entry, never a failed batch', async () => {
  const leads = [sampleLeads[0], { id: 'L-bad', created_at: 'yesterday' }, sampleLeads[1]]
  for (const r of [b2b.scoreMany(leads, NOW), await b2b.scoreManyAsync(leads, NOW)]) {
    assert.equal(r.length, 3)
    assert.equal(r[0].lead_id, sampleLeads[0].id)
    assert.equal(r[1].error.kind, 'ValidationError')
    assert.equal(r[1].error.record, 'L-bad')
    assert.equal(r[2].lead_id, sampleLeads[1].id)
  }
  assert.equal(thrown(() => b2b.score({ id: 'x' }, NOW)).code, 'ValidationError')
  assert.equal(thrown(() => b2b.score(sampleLeads[0], 'soon')).field, 'now')
  assert.equal(thrown(() => b2b.score(sampleLeads[0], NOW, { explian: true })).code, 'ValidationError')
  // Invalid arguments throw at the call, before any work is queued.
  assert.equal(thrown(() => b2b.scoreManyAsync(leads, 'soon')).field, 'now')
})

test('evaluate scores, places and moves the lead; evaluateMany matches', async () => {
  const { lead, evaluation } = b2b.evaluate(sampleLeads[0], NOW)
  assert.equal(lead.score.pack, b2b.id)
  assert.equal(lead.score.total, evaluation.score.total)
  assert.equal(evaluation.moves.at(-1).actor, 'rule:mql_threshold')
  assert.equal(lead.stage, evaluation.moves.at(-1).to)
  assert.deepStrictEqual(b2b.evaluate(sampleLeads[0], NOW, new lf.Pipeline()), { lead, evaluation })
  const many = b2b.evaluateMany([sampleLeads[0], { id: 'x' }], NOW)
  assert.deepStrictEqual(many[0], { lead, evaluation })
  assert.equal(many[1].error.record, 'x')
  assert.deepStrictEqual(await b2b.evaluateManyAsync([sampleLeads[0], { id: 'x' }], NOW), many)
  // A pipeline without the rule's target stage: the error names the rule.
  const tiny = new lf.Pipeline({ lead_stages: { ladder: ['lead', 'customer'], initial: 'lead' } })
  const err = thrown(() => b2b.evaluate(sampleLeads[0], NOW, tiny))
  assert.equal(err.code, 'NotFound')
  assert.equal(err.rule, 'mql_threshold')
})

test('packs from strings and objects; bad packs are ConfigErrors naming the file', () => {
  const toml = 'name = "t"\nversion = "1"\n[[rules]]\nname = "big"\nwhen = { field = "employees", gte = 100 }\npoints = 10\n'
  const fromToml = lf.Pack.fromString(toml, 'toml', 't.toml')
  const fromObj = lf.Pack.fromObject({ name: 't', version: '1', rules: [{ name: 'big', when: { field: 'employees', gte: 100 }, points: 10 }] })
  const lead = { id: 'L', created_at: NOW, employees: 150 }
  assert.equal(fromToml.score(lead, NOW).total, 10)
  assert.deepStrictEqual(fromObj.score(lead, NOW), fromToml.score(lead, NOW))
  const rhai = lf.Pack.fromString('//! name: s\n// rule: big fit\nif lead.employees >= 100 { score += 4.0; }\n', 'rhai')
  assert.equal(rhai.score(lead, NOW).fit, 4)
  assert.equal(thrown(() => lf.Pack.fromString(toml, 'xml')).code, 'ConfigError')
  const bad = thrown(() => lf.Pack.fromString('name = "t"\nversion = "1"\ntypo = 1\n', 'toml', 'bad.toml'))
  assert.equal(bad.code, 'ConfigError')
  assert.equal(bad.file, 'bad.toml')
  // A missing path is "no such file" (IoError), as in Python, not an unknown file type.
  const missing = thrown(() => lf.Pack.fromPath('/no/such/pack'))
  assert.equal(missing.code, 'IoError')
  assert.match(missing.message, /no such file/)
})
