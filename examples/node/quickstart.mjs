// leadflow from Node: compile a rule pack, score, explain, evaluate, convert,
// score a batch off the main thread, then route, touch, check SLAs and plan triggers. Run: `node examples/node/quickstart.mjs`
// (after `npm install` here, which links the binding in ../../bindings/node).
import { readFileSync } from 'node:fs'
import { GRADES, Pack, Router, SlaPolicy, Triggers, convert, recordActivity, toColumns } from 'leadflow'

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
// Column names match features case-insensitively (`Title` is `title`); `columns` maps
// others. Firmographic columns only: the features they lack are an error unless
// `strict: false`, which reads them as 0 and lists them in `warnings`.
const columns = toColumns(leads, { title: 'string', employees: 'number', industry: 'string', country: 'string', email: 'string' })
const fit = await pack.scoreColumnsAsync(columns, now, { strict: false })
console.log(`${again.length} leads scored async; first fit grade from columns: ${GRADES[fit.grade[0]]} (${fit.warnings.length} warning)`)

// 7. Route new leads to reps. The routing state (round-robin positions, daily caps)
// is plain JSON: load it from your store, pass it in, store the one you get back.
const routing = `${examples}routing/`
const router = Router.fromPath(`${routing}routing.yaml`, { accounts: JSON.parse(readFileSync(`${routing}accounts.json`, 'utf8')) })
const inbound = readFileSync(`${routing}leads.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
const { assignments, state } = router.assignMany(inbound, null, '2026-03-02T09:00:00Z')
for (const a of assignments.slice(0, 5)) {
  if ('error' in a) console.log(`skipped: ${a.error.message}`) // a bad lead never fails the batch
  else console.log(`${a.lead_id} -> ${JSON.stringify(a.assignee)} via ${a.via}: ${a.reason}`)
}
console.log(`state to store: ${JSON.stringify(state).length} bytes`)

// 8. Work the first lead: record touches (status moves, recycling), then check its SLAs.
let worked = inbound[0]
for (const activity of [
  { type: 'call_attempt', at: '2026-03-02T09:20:00+01:00' },
  { type: 'call_connected', at: '2026-03-02T11:00:00+01:00' },
]) {
  const r = recordActivity(worked, activity, { actor: 'rep:ana' })
  worked = r.lead
  console.log(`${activity.type} -> ${worked.status} (a touch: ${r.result.touch})`)
}
const sla = new SlaPolicy({ first_touch: [{ name: 'inbound', from: 'created', within_minutes: 30 }] })
const report = sla.evaluate(worked, '2026-03-02T12:00:00Z')
console.log(`speed to lead: ${report.speed_to_lead_seconds} s; ${report.slas.map((s) => `${s.policy} ${s.state}`).join(', ')}`)

// 9. Automation triggers plan actions for events; the host performs them.
const triggers = new Triggers({
  triggers: [{
    name: 'hot-lead',
    on: { score_crossed: { threshold: 60 } },
    actions: [{ set_stage: 'mql' }, { notify: { to: 'lead_owner', template: 'hot_lead' } }],
  }],
})
const { actions } = triggers.evaluate(worked, { type: 'score_changed', from: 40, to: 72 })
console.log(actions.map((a) => `${a.trigger}: ${Object.keys(a.action)[0]}`).join(', '))
