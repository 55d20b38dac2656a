// leadflow from Node: compile a rule pack, score, explain, evaluate, convert,
// and score a batch off the main thread. Run: `node examples/node/quickstart.mjs`
// (after `npm install` here, which links the binding in ../../bindings/node).
import { readFileSync } from 'node:fs'
import { GRADES, Pack, convert, toColumns } from 'leadflow'

const examples = new URL('..', import.meta.url).pathname
const read = (file) => readFileSync(`${examples}data/${file}`, 'utf8')
const now = '2025-11-10T00:00:00Z' // the core never reads the clock: pass `now`

// 1. Compile the pack once (rules, decay, grades, lifecycle thresholds).
const pack = Pack.fromPath(`${examples}packs/b2b-saas`)
console.log(`${pack.id}: ${pack.rules.length} rules`)

// 2. Score the sample leads on all cores. A bad lead would be an {error} entry.
const leads = read('sample-leads.jsonl').trim().split('\n').map((line) => JSON.parse(line))
const scores = pack.scoreMany(leads, now)
for (const s of scores.slice(0, 3)) {
  if ('error' in s) console.log(s.error.message)
  else console.log(`${s.lead_id}: ${s.total.toFixed(1)} (grade ${s.grade}, ${s.temperature})`)
}

// 3. Why did the first lead get its score?
const { explanation } = pack.explain(leads[0], now)
for (const r of explanation.rules.slice(0, 3)) console.log(`  ${r.rule} +${r.points.toFixed(1)}: ${r.reason}`)

// 4. Evaluate: score, then move the lead through the lifecycle by the pack's thresholds.
const { lead, evaluation } = pack.evaluate(leads[0], now)
console.log(`stage ${lead.stage} after ${evaluation.moves.map((m) => m.to).join(' -> ')}`)

// 5. Convert it into account + contact + opportunity.
const accounts = JSON.parse(read('accounts.json'))
const contacts = JSON.parse(read('contacts.json'))
const converted = convert(lead, accounts, contacts, now, JSON.parse(read('convert_options.json')))
console.log(`converted to account ${converted.account.id}, contact ${converted.contact.id}`)

// 6. Batches off the main thread: lead objects, or columns (typed arrays, fastest).
const again = await pack.scoreManyAsync(leads, now)
const columns = toColumns(leads, { title: 'string', employees: 'number', industry: 'string', country: 'string', email: 'string' })
const fit = await pack.scoreColumnsAsync(columns, now)
console.log(`${again.length} leads scored async; first fit grade from columns: ${GRADES[fit.grade[0]]}`)
