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
    const code: 'ParseError' | 'ValidationError' | ErrorCode = e.code
    console.log(code, e.record, e.field, e.details)
  }
}

console.log(stage, history.length, employees, leadflow.version())

// @ts-expect-error: a lead needs an id
const bad: Lead = { created_at: '2026-01-01T00:00:00Z' }
console.log(bad)
