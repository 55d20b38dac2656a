// Type-checked by `npm run typecheck` (tsc --noEmit): the ESM API with its types.
import leadflow, {
  ErrorCode,
  isLeadflowError,
  parseLead,
  parseLeads,
  type ErrorEntry,
  type Lead,
  type LeadflowError,
  type LeadInput,
  type Transition,
  type ConversionResult,
  type ConversionPlan,
  type Matches,
  Pipeline,
  convert,
  planConversion,
  applyConversion,
  matchLead,
  enteredAt,
  cumulativeTime,
  qualify,
  qualifyLead,
  applyEnrichment,
  derive,
  type QualificationResult,
} from 'leadflow'

const input: LeadInput = {
  id: 'L-1',
  created_at: new Date(),
  email: 'ada@example.com',
  activities: [{ type: 'page_view', at: '2026-03-01T00:00:00Z', meta: { url: '/pricing' } }],
}
const lead: Lead = parseLead(input)
const stage: string | undefined = lead.stage
const history: Transition[] = lead.history ?? []
const employees: number | undefined = lead.employees

for (const entry of parseLeads('{"id":"a","created_at":"2026-01-01T00:00:00Z"}')) {
  if ('error' in entry && entry.error !== undefined) {
    const e = entry as ErrorEntry
    const code: ErrorCode = e.error.kind
    console.log(code, e.error.record, e.error.line)
  } else {
    console.log((entry as Lead).id)
  }
}

try {
  parseLead('{')
} catch (err) {
  if (isLeadflowError(err)) {
    const e: LeadflowError = err
    if (e.code === ErrorCode.ParseError) console.log(e.line, e.column)
    // A caught panic (a leadflow bug) is the one code beyond the core's list.
    const code: ErrorCode | 'InternalError' = e.code
    if (e.code === 'InternalError') console.error('please report this leadflow bug', e.message)
    console.log(code, e.record, e.field, e.details)
  }
}

console.log(stage, history.length, employees, leadflow.version())

const pipeline = new Pipeline({ lead_stages: { ladder: ['inquiry', 'won'], initial: 'inquiry' } })
const moved = pipeline.advanceStage(lead, 'won', { at: new Date(), actor: 'rep-1' })
const t: Transition = moved.transition
const touched = pipeline.recordTouch(moved.lead, 'attempt', { at: '2026-03-01T00:00:00Z' })
const maybe: Transition | null = touched.transition
const opp = pipeline.openOpportunity('O-1', 'Acme', 'A-1', { at: '2026-03-01T00:00:00Z' })
const closed = pipeline.moveOpportunity(opp, 'Closed Won', { at: '2026-03-02T00:00:00Z' })
const won: boolean = closed.opportunity.is_won
const first: string | null = enteredAt(moved.lead.history ?? [], 'stage', 'won')
const days: Record<string, number> = cumulativeTime(moved.lead.history ?? [], 'stage', new Date())
console.log(t.kind, maybe?.to, won, first, days, pipeline.config.lead_stages.ladder)

const matches: Matches = matchLead(lead, [{ id: 'A-1', name: 'Acme' }], [])
const plan: ConversionPlan = planConversion(lead, [], [], new Date(), { create_opportunity: false })
if (plan.account.action === 'link') console.log(plan.account.via, plan.account.confidence)
const result: ConversionResult = applyConversion(plan, lead, [], [], new Date())
const direct: ConversionResult = convert(lead, [], [], '2026-03-01T00:00:00Z', { field_map: { budget: 'opportunity.amount' } })
console.log(matches.accounts[0]?.reasons[0]?.code, result.account_change, direct.opportunity?.stage)
const q: QualificationResult = qualify('BANT', { budget: 'confirmed' })
const ql = qualifyLead(lead, { name: 'Mini', criteria: [{ key: 'fit', label: 'Fit' }] }, new Date())
const enriched = applyEnrichment(lead, { industry: 'Software' }, 'clearbit')
console.log(q.outcome, ql.state.outcome, enriched.rejected.length, derive(lead).employee_band)
// @ts-expect-error: touches are 'attempt' or 'connected'
pipeline.recordTouch(lead, 'maybe', { at: '2026-03-01T00:00:00Z' })

// @ts-expect-error: a lead needs an id
const bad: Lead = { created_at: '2026-01-01T00:00:00Z' }
console.log(bad)
