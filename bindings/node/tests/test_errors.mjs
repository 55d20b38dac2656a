// Error mapping: every leadflow error is an `Error` with `name` LeadflowError,
// `code` = the core's kind name (the Python exception class names), and the
// location attributes the core knows.
import assert from 'node:assert/strict'
import { test } from 'node:test'

import { lf, thrown } from './helpers.mjs'

// The Python binding's exception classes carry exactly these names.
const CODES = [
  'ParseError', 'ValidationError', 'ConfigError', 'InvalidTransition', 'AlreadyConverted',
  'ConversionError', 'NotFound', 'ScriptError', 'LimitExceeded', 'TriggerLoop', 'IoError',
]

test('error codes come from the core and match the ErrorCode constants', () => {
  assert.deepStrictEqual(lf.errorCodes(), CODES)
  assert.deepStrictEqual(Object.values(lf.ErrorCode), CODES)
  for (const code of CODES) assert.equal(lf.ErrorCode[code], code)
})

test('malformed JSON text is a ParseError with line and column', () => {
  const err = thrown(() => lf.parseLead('{"id": "L-9",\n  "created_at": '))
  assert.ok(err instanceof Error)
  assert.equal(err.name, 'LeadflowError')
  assert.equal(err.code, 'ParseError')
  assert.equal(lf.ErrorCode.ParseError, err.code)
  assert.equal(err.line, 2)
  assert.equal(typeof err.column, 'number')
  assert.match(err.message, /^ParseError: /)
  assert.ok(lf.isLeadflowError(err))
})

test('a wrong type is a ValidationError naming record and field', () => {
  const err = thrown(() =>
    lf.parseLead({ id: 'L-7', created_at: '2026-01-01T00:00:00Z', employees: 'many' }))
  assert.equal(err.code, 'ValidationError')
  assert.equal(err.record, 'L-7')
  assert.equal(err.field, 'employees')
  assert.match(err.message, /record L-7, field employees/)
  assert.match(err.stack, /^LeadflowError: ValidationError/)
})

test('the same error from JSON text and from an object', () => {
  const input = { id: 'L-8', created_at: '2026-01-01T00:00:00Z', activities: [{ type: 'x', at: 'soon' }] }
  const a = thrown(() => lf.parseLead(input))
  const b = thrown(() => lf.parseLead(JSON.stringify(input)))
  for (const err of [a, b]) {
    assert.equal(err.code, 'ValidationError')
    assert.equal(err.record, 'L-8')
    assert.equal(err.field, 'activities[0].at')
  }
})

test('absent attributes are not set', () => {
  const err = thrown(() => lf.parseLead({ id: 'L-1' }))
  assert.equal(err.code, 'ValidationError')
  assert.equal(err.record, 'L-1')
  for (const key of ['rule', 'file', 'line', 'column', 'details']) assert.ok(!(key in err), key)
})

test('values JSON cannot represent are ValidationErrors, not crashes', () => {
  const cyclic = { id: 'L-1', created_at: '2026-01-01T00:00:00Z' }
  cyclic.self = cyclic
  assert.equal(thrown(() => lf.parseLead(cyclic)).code, 'ValidationError')
  assert.equal(thrown(() => lf.parseLead({ id: 'L-1', n: 10n })).code, 'ValidationError')
  assert.equal(thrown(() => lf.parseLead(undefined)).code !== undefined, true)
  assert.equal(thrown(() => lf.parseLead(42)).code, 'ValidationError')
  assert.equal(thrown(() => lf.parseLead([])).code, 'ValidationError')
  assert.equal(thrown(() => lf.parseLead(() => 1)).code, 'ValidationError')
})

test('a JS exception inside toJSON surfaces as a ValidationError', () => {
  const input = { id: 'L-1', toJSON() { throw new RangeError('nope') } }
  const err = thrown(() => lf.parseLead(input))
  assert.equal(err.code, 'ValidationError')
  assert.match(err.message, /nope/)
})

test('isLeadflowError rejects other values', () => {
  assert.equal(lf.isLeadflowError(new Error('x')), false)
  assert.equal(lf.isLeadflowError(Object.assign(new Error('x'), { name: 'LeadflowError', code: 'Nope' })), false)
  assert.equal(lf.isLeadflowError(null), false)
  assert.equal(lf.isLeadflowError('ParseError'), false)
})

test('batch error entries use the core error JSON and keep the batch going', () => {
  const out = lf.parseLeads('{"id":"a","created_at":"2026-01-01T00:00:00Z"}\n{oops\n{"id":"c","created_at":"2026-01-01T00:00:00Z","employees":-1}\n')
  assert.equal(out.length, 3)
  assert.equal(out[0].id, 'a')
  assert.equal(out[1].error.kind, 'ParseError')
  assert.equal(out[1].error.line, 2)
  assert.equal(out[2].error.kind, 'ValidationError')
  assert.equal(out[2].error.record, 'c')
  assert.equal(out[2].error.field, 'employees')
  assert.equal(typeof out[2].error.message, 'string')
})
