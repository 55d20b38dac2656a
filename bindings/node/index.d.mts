// Types of the ESM entry point (index.mjs): the same API as index.d.ts.
export * from './index.js'
import * as leadflow from './index.js'
export default leadflow
