// JS half of values.rs (run with napi_run_script, evaluates to `{ elements,
// locate, idOf, appendScores, appendJson, newArray }`). When JSON.stringify
// fails for an array of records, its elements are written one by one, so that
// one element JSON cannot represent (a BigInt, a throwing getter or toJSON, a
// cycle, nesting too deep for the stack) fails alone; `locate` names the
// offending field path. Batches cross in chunks (`elements` in,
// `appendScores` / `appendJson` out) so that no string holds the whole batch
// (V8 caps strings at about 512 MB).
(() => {
  'use strict'

  const text = (err) => {
    try {
      return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    } catch {
      return 'an exception'
    }
  }

  // The id a failed record is named by, when it is readable and plain.
  const idOf = (item) => {
    try {
      const id = item !== null && typeof item === 'object' ? item.id : undefined
      return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? String(id) : null
    } catch {
      return null
    }
  }

  // [path, reason] of the first value under `root` that JSON.stringify cannot
  // write, walked as JSON.stringify walks (toJSON, own enumerable keys); a
  // container nested `limit` deep counts as too deep (the core's JSON limit).
  // null when nothing is found.
  function locate (root, limit) {
    const open = []
    const walk = (value, key, path) => {
      if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
        let toJSON
        try {
          toJSON = value.toJSON
          if (typeof toJSON === 'function') value = toJSON.call(value, key)
        } catch (err) {
          return [path, `toJSON() threw ${text(err)}`]
        }
      }
      if (typeof value === 'bigint') return [path, 'a BigInt (JSON has no such number: use a Number or a string)']
      if (value === null || typeof value !== 'object') return null
      if (open.includes(value)) return [path, 'a cycle (the value contains itself)']
      if (open.length + 1 >= limit) return [path, `nested deeper than ${limit - 1} levels`]
      open.push(value)
      const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
      for (const k of keys) {
        const at = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k
        let child
        try {
          child = value[k]
        } catch (err) {
          return [at, `reading it threw ${text(err)}`]
        }
        const found = walk(child, String(k), at)
        if (found) return found
      }
      open.pop()
      return null
    }
    try {
      return walk(root, '', '')
    } catch (err) {
      return ['', text(err)]
    }
  }

  // The JSON text of the array `items` written element by element (so that one
  // element's failure stays its own), and [index, path, reason, id] for each
  // element that failed (written `null`). Elements JSON writes as nothing are
  // `null`, as JSON.stringify(items) writes them. From `start`, up to `end` or
  // until the text holds `budget` characters (at least one element): `end` in
  // the result is where the next chunk starts, so that no text comes near V8's
  // string length limit however many or large the elements are.
  function elements (items, limit, start = 0, end = items.length, budget = Infinity) {
    const texts = []
    const failed = []
    let size = 0
    let i = start
    for (; i < end && (i === start || size < budget); i++) {
      let item
      let json = 'null'
      try {
        item = items[i]
        try {
          json = JSON.stringify(item) ?? 'null'
        } catch (err) {
          const [path, reason] = locate(item, limit) ?? ['', text(err)]
          failed.push([i, path, reason, idOf(item)])
        }
      } catch (err) {
        failed.push([i, '', `reading the element threw ${text(err)}`, null])
      }
      texts.push(json)
      size += json.length + 1
    }
    return { text: `[${texts.join(',')}]`, failed, end: i }
  }

  // serde_json writes a non-finite number as null.
  const finite = (x) => (Number.isFinite(x) ? x : null)

  // Appends one chunk of scoreMany results to `out`: plain results as columns
  // (lead ids joined in `ids`, each ending at `ends[row]` in UTF-16 units;
  // grade and temperature as codes into `grades` / `temperatures`), and the
  // other entries (`{error}`, explained results) as the JSON text of
  // [[position in the chunk, entry], ...] in `others`.
  function appendScores (out, c) {
    const { ids, ends, total, fit, engagement, grade, temperature, grades, temperatures } = c
    const extra = c.others === null ? [] : JSON.parse(c.others)
    const n = total.length + extra.length
    let k = 0
    let row = 0
    let start = 0
    for (let i = 0; i < n; i++) {
      if (k < extra.length && extra[k][0] === i) {
        out.push(extra[k++][1])
        continue
      }
      const end = ends[row]
      out.push({
        lead_id: ids.slice(start, end),
        total: finite(total[row]),
        fit: finite(fit[row]),
        engagement: finite(engagement[row]),
        grade: grades[grade[row]],
        temperature: temperatures[temperature[row]]
      })
      start = end
      row++
    }
  }

  // Appends the entries of one chunk, given as the JSON text of an array, to `out`.
  function appendJson (out, text) {
    for (const entry of JSON.parse(text)) out.push(entry)
  }

  const newArray = () => []

  return { elements, locate, idOf, appendScores, appendJson, newArray }
})()
