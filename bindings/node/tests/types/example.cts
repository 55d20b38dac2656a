// Type-checked by `npm run typecheck`: the CommonJS API with its types.
import leadflow = require('leadflow')

const lead: leadflow.Lead = leadflow.parseLead({ id: 'L-1', created_at: '2026-01-01T00:00:00Z' })
const codes: leadflow.ErrorCode[] = leadflow.errorCodes()
console.log(lead.id, codes.length)
