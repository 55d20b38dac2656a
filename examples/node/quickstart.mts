// The quickstart's types: every result is typed (type-checked by bindings/node/test.sh).
import { Pack, Pipeline, isLeadflowError, type ColumnScores, type ExplainedScore, type ScoreResult } from 'leadflow'

const now = '2025-11-10T00:00:00Z'
const pack: Pack = Pack.fromObject({
  name: 'tiny',
  version: '1.0.0',
  rules: [{ name: 'big_company', when: { field: 'employees', gte: 200 }, points: 20 }],
  lifecycle: [{ name: 'mql', to: 'mql', min_score: 20 }],
})
const lead = { id: 'L-1', created_at: new Date('2025-11-01'), employees: 500 }

const score: ScoreResult = pack.score(lead, now)
const explained: ExplainedScore = pack.explain(lead, now)
const grade: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' = score.grade
const fired: string[] = explained.explanation.rules.map((r) => r.rule)

const { lead: moved, evaluation } = pack.evaluate(lead, now, new Pipeline())
const stage: string | undefined = moved.stage
const moves: number = evaluation.moves.length

for (const entry of pack.scoreMany([lead, { id: 'bad', created_at: 'never' }], now)) {
  if ('error' in entry) console.log(entry.error.kind, entry.error.record)
  else console.log(entry.total)
}

async function columnar(): Promise<number> {
  const batch = { columns: { Headcount: Float64Array.of(50, 500) } }
  const scores: ColumnScores = await pack.scoreColumnsAsync(batch, now, { columns: { Headcount: 'employees' }, strict: false })
  const warnings: string[] = scores.warnings
  return warnings.length > 0 ? scores.total[1] : 0
}

try {
  Pack.fromString('name = 1', 'toml')
} catch (err) {
  if (isLeadflowError(err)) console.log(err.code, err.file)
}
console.log(grade, fired, stage, moves, columnar)
