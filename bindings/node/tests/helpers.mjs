// Shared test helpers: the binding (CommonJS loader) and fixture locations.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
export const lf = require('../index.js')

const here = dirname(fileURLToPath(import.meta.url))
/** The repository's shared fixtures, run by the Rust, Python and Node suites alike. */
export const FIXTURES_DIR = join(here, '..', '..', '..', 'tests', 'fixtures')

/** Calls `fn` and returns what it threw; fails when it does not throw. */
export function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected the call to throw')
}
