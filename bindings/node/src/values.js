// JS half of values.rs (run with napi_run_script, evaluates to `{ elements,
// locate, idOf }`). When JSON.stringify fails for an array of records, its
// elements are written one by one, so that one element JSON cannot represent
// (a BigInt, a throwing getter or toJSON, a cycle, nesting too deep for the
// stack) fails alone; `locate` names the offending field path.
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
  // `null`, as JSON.stringify(items) writes them.
  function elements (items, limit) {
    const n = items.length
    const texts = new Array(n)
    const failed = []
    for (let i = 0; i < n; i++) {
      texts[i] = 'null'
      let item
      try {
        item = items[i]
      } catch (err) {
        failed.push([i, '', `reading the element threw ${text(err)}`, null])
        continue
      }
      try {
        texts[i] = JSON.stringify(item) ?? 'null'
      } catch (err) {
        const [path, reason] = locate(item, limit) ?? ['', text(err)]
        failed.push([i, path, reason, idOf(item)])
      }
    }
    return { text: `[${texts.join(',')}]`, failed }
  }

  return { elements, locate, idOf }
})()
