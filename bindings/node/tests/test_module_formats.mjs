// The package works from ESM (`import`) and CommonJS (`require`), by name.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { test } from 'node:test'

const require = createRequire(import.meta.url)

test('ESM and CommonJS expose the same API', async () => {
  const cjs = require('leadflow')
  const esm = await import('leadflow')
  const cjsNames = Object.keys(cjs).sort()
  const esmNames = Object.keys(esm).filter((k) => k !== 'default').sort()
  assert.ok(cjsNames.includes('parseLead'))
  assert.deepStrictEqual(esmNames, cjsNames)
  for (const name of cjsNames) assert.equal(esm[name], cjs[name], name)
  assert.equal(esm.default, cjs)
})

test('named ESM imports work', async () => {
  const { parseLead, ErrorCode } = await import('leadflow')
  assert.equal(parseLead({ id: 'x', created_at: '2026-01-01T00:00:00Z' }).id, 'x')
  assert.equal(ErrorCode.NotFound, 'NotFound')
})
