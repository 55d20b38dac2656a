'use strict'
// The only hand-written JS of the package: building a columnar batch for
// `Pack.scoreColumns` from row objects is a loop V8 runs far faster than the
// same loop crossing into Rust one property at a time.

const native = require('./binding.js')

/** Grade of each `grade` code in `ColumnScores` (0 is A): the core's list. */
const GRADES = Object.freeze(native.grades())
/** Temperature of each `temperature` code in `ColumnScores` (0 is cold): the core's list. */
const TEMPERATURES = Object.freeze(native.temperatures())

/**
 * Turns an array of row objects into a `ColumnBatch`: `fields` maps each column
 * name to `'string'`, `'number'` or `'boolean'` (or is an array of names, typed
 * by the first row's values). Numbers go into a `Float64Array` (missing: 0),
 * booleans into a `Uint8Array`, strings into a `string[]` (missing: '').
 */
function toColumns(rows, fields) {
  const spec = Array.isArray(fields) ? inferTypes(rows, fields) : fields
  const length = rows.length
  const columns = {}
  for (const [name, type] of Object.entries(spec)) {
    if (type === 'number') {
      const col = new Float64Array(length)
      for (let i = 0; i < length; i++) col[i] = Number(rows[i][name] ?? 0)
      columns[name] = col
    } else if (type === 'boolean') {
      const col = new Uint8Array(length)
      for (let i = 0; i < length; i++) col[i] = rows[i][name] ? 1 : 0
      columns[name] = col
    } else if (type === 'string') {
      const col = new Array(length)
      for (let i = 0; i < length; i++) col[i] = rows[i][name] ?? ''
      columns[name] = col
    } else {
      throw new TypeError(`toColumns: column ${JSON.stringify(name)} has unknown type ${JSON.stringify(type)} (expected 'string', 'number' or 'boolean')`)
    }
  }
  return { length, columns }
}

function inferTypes(rows, names) {
  const spec = {}
  for (const name of names) {
    const sample = rows.find((r) => r[name] !== undefined && r[name] !== null)?.[name]
    spec[name] = typeof sample === 'number' || typeof sample === 'boolean' ? typeof sample : 'string'
  }
  return spec
}

module.exports = { toColumns, GRADES, TEMPERATURES }
