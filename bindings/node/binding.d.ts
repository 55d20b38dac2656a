/* Types of leadflow's JSON records and results. Maintained by hand in
 * bindings/node/types.d.ts; `napi build` prepends this file to the generated
 * function declarations in index.d.ts. The shapes mirror the Rust core's serde
 * model (crates/leadflow/src/model) field for field, snake_case as in JSON. */

/** RFC 3339 timestamp as written in records, e.g. `2026-03-01T09:30:00+09:00`. */
export type Timestamp = string
/** Calendar date, `YYYY-MM-DD`. */
export type DateString = string
/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** One event on a lead: `{type: "page_view", at, meta: {url: "/pricing"}}`. Unknown types are kept. */
export interface Activity {
  type: 'page_view' | 'email_open' | 'email_click' | 'email_sent' | 'form_submit' | 'webinar'
    | 'unsubscribe' | 'call_attempt' | 'call_connected' | 'meeting' | (string & {})
  at: Timestamp
  meta?: { [key: string]: Json }
  /** Fields this version does not know are kept for round-trips. */
  [extra: string]: unknown
}

/** Which state dimension a transition changed. */
export type Dimension = 'stage' | 'status' | 'opportunity_stage'
/** How a transition relates to the configured order. */
export type TransitionKind = 'initial' | 'advance' | 'skip' | 'recycle' | 'reopen'

/** One entry of a record's lifecycle history; appended by the engine, never edited. */
export interface Transition {
  dimension: Dimension
  from?: string
  to: string
  at: Timestamp
  kind: TransitionKind
  /** A user id, `rule:<name>`, `trigger:<name>` or `system`. */
  actor?: string
  /** Required for recycle and reopen. */
  reason?: string
}

/** The latest scoring result stored on a lead. */
export interface ScoreState {
  total: number
  fit: number
  engagement: number
  /** `A` to `F`, from the fit score. */
  grade: string
  /** `cold`, `warm` or `hot`. */
  temperature: string
  /** `name@version` of the pack that scored. */
  pack: string
  scored_at: Timestamp
}

/** The latest qualification verdict stored on a lead. */
export interface QualificationState {
  framework: string
  outcome: 'qualified' | 'not_yet' | 'disqualified'
  missing?: string[]
  disqualified_by?: string[]
  at: Timestamp
}

/** The records a converted lead became. */
export interface ConversionRef {
  converted_at: Timestamp
  account_id: string
  contact_id: string
  opportunity_id?: string
}

/** A lead as the engine writes it back. Unknown top-level fields are kept. */
export interface Lead {
  id: string
  created_at: Timestamp
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
  title?: string
  company?: string
  website?: string
  industry?: string
  employees?: number
  annual_revenue?: number
  /** ISO 3166-1 alpha-2 code. */
  country?: string
  source?: string
  campaign?: string
  owner?: string
  /** Free-form fields (`custom.budget`), visible to rules. */
  custom?: { [key: string]: Json }
  activities?: Activity[]
  /** Engine-managed: lifecycle stage (`subscriber` ... `evangelist`, `other`). */
  stage?: string
  /** Engine-managed: working status (`new`, `attempting`, `connected`, ...). */
  status?: string
  /** Engine-managed: touch attempts since the last connect or recycle. */
  attempts?: number
  score?: ScoreState
  qualification?: QualificationState
  history?: Transition[]
  conversion?: ConversionRef
  /** Field name to the provider an enriched value came from. */
  provenance?: { [key: string]: Json }
  [extra: string]: unknown
}

/** A lead as accepted on input: timestamps may also be `Date`s (sent as RFC 3339). */
export type LeadInput = Omit<Lead, 'created_at' | 'activities'> & {
  created_at: Timestamp | Date
  activities?: Array<Omit<Activity, 'at'> & { at: Timestamp | Date }>
}

/** A company; it may own several domains. */
export interface Account {
  id: string
  name: string
  domains?: string[]
  website?: string
  industry?: string
  employees?: number
  annual_revenue?: number
  country?: string
  owner?: string
  /** `true` for paying customers. */
  is_customer?: boolean
  created_at?: Timestamp
  custom?: { [key: string]: Json }
  [extra: string]: unknown
}

/** A person at an account. */
export interface Contact {
  id: string
  account_id: string
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
  title?: string
  owner?: string
  /** The lead this contact was converted from. */
  source_lead_id?: string
  created_at?: Timestamp
  activities?: Activity[]
  custom?: { [key: string]: Json }
  [extra: string]: unknown
}

/** Forecast category of an opportunity stage. */
export type ForecastCategory = 'pipeline' | 'best_case' | 'commit' | 'closed' | 'omitted'

/** A deal; stage-derived fields are kept consistent by the lifecycle. */
export interface Opportunity {
  id: string
  name: string
  account_id: string
  primary_contact_id?: string
  amount?: number
  currency?: string
  close_date?: DateString
  stage: string
  /** Win probability in percent (0 to 100). */
  probability: number
  forecast_category: ForecastCategory
  is_closed: boolean
  is_won: boolean
  lost_reason?: string
  owner?: string
  source_lead_id?: string
  source?: string
  campaign?: string
  created_at?: Timestamp
  history?: Transition[]
  activities?: Activity[]
  custom?: { [key: string]: Json }
  [extra: string]: unknown
}

/** Lead stages: an ordered ladder plus stages outside the order (`other`). */
export interface StageConfig {
  ladder: string[]
  off_ladder?: string[]
  initial: string
  /** When set, recycle reasons must be one of these codes. */
  recycle_reasons?: string[]
}

/** Lead working statuses and the moves allowed between them. */
export interface StatusConfig {
  states: string[]
  initial: string
  /** Allowed moves: from -> list of to. */
  transitions: { [from: string]: string[] }
  terminal: string[]
  /** The recycle status (`nurture`): entering it requires a reason. */
  recycle?: string
  converted?: string
  attempting?: string
  connected?: string
}

/** One opportunity stage with the values copied onto a deal that enters it. */
export interface OpportunityStageDef {
  name: string
  probability: number
  forecast_category: ForecastCategory
  is_closed?: boolean
  is_won?: boolean
  requires_reason?: boolean
}

export interface OpportunityConfig {
  stages: OpportunityStageDef[]
  initial: string
}

/** A full lifecycle configuration (what `pipeline.config` returns). */
export interface LifecycleConfig {
  lead_stages: StageConfig
  lead_statuses: StatusConfig
  opportunity_stages: OpportunityConfig
}

/** A configuration as accepted: missing sections take the built-in defaults. */
export type LifecycleConfigInput = Partial<LifecycleConfig>

/** Format of a configuration text. */
export type ConfigFormat = 'json' | 'yaml' | 'yml' | 'toml'

/** The when, who and why of a lifecycle move. The core never reads the clock: `at` is required. */
export interface ChangeInput {
  at: Timestamp | Date
  /** A user id, `rule:<name>`, `trigger:<name>` or `system`. */
  actor?: string
  /** Required for recycles, `nurture`, Closed Lost and re-opening. */
  reason?: string
}

/** The outcome of one touch (call, email, meeting). */
export type TouchOutcome = 'attempt' | 'connected'

/** A lead after a stage or status move, with the transition recorded. */
export interface LeadMove {
  lead: Lead
  transition: Transition
}

/** One row of a timeline: a state, when it was first and last entered, total days in it. */
export interface StateTime {
  state: string
  first_entered_at: Timestamp
  last_entered_at: Timestamp
  days: number
}

/** Options of `matchLead` (and `ConvertOptions.matching`). Every field has a default. */
export interface MatchOptions {
  /** Your own company's domains: never used as account evidence. */
  own_domains?: string[]
  /** Free-mail domains on top of the built-in list. */
  free_mail_domains?: string[]
  /** Candidates below this confidence are left out (default 0). */
  min_confidence?: number
  /** At most this many candidates of each kind (default 10). */
  max_candidates?: number
}

/** Machine-readable kind of matching evidence. */
export type ReasonCode = 'email_exact' | 'person_name' | 'contact_account' | 'domain_website'
  | 'domain_email' | 'company_name'

/** One piece of evidence for a candidate. */
export interface MatchReason {
  code: ReasonCode
  /** The normalized value that matched (`acme.com`, `jane@acme.com`). */
  value: string
  text: string
}

/** An existing record the lead may correspond to. */
export interface Candidate {
  id: string
  /** 0 to 1, rounded to 4 decimals. */
  confidence: number
  reasons: MatchReason[]
}

/** Ranked candidates: confidence descending, then id ascending. */
export interface Matches {
  contacts: Candidate[]
  accounts: Candidate[]
}

/** Options of a conversion. Every field has a default; unknown fields are `ValidationError`s. */
export interface ConvertOptions {
  matching?: MatchOptions
  /** Link to the best match at or above `link_threshold` (default true). */
  auto_link?: boolean
  /** Default 0.8. */
  link_threshold?: number
  /** Link to this existing account. */
  account_id?: string | null
  /** Link to this existing contact. */
  contact_id?: string | null
  /** Default true. */
  create_opportunity?: boolean
  /** Placeholders `{company}`, `{account}`, `{first_name}`, `{last_name}`, `{full_name}`, `{lead_id}`. */
  opportunity_name?: string
  /** Ids of created records; default `acc-<lead id>`, `con-<lead id>`, `opp-<lead id>`. */
  ids?: { account?: string | null; contact?: string | null; opportunity?: string | null }
  /** Lead custom field to target field: `{budget: 'opportunity.amount'}`. */
  field_map?: { [customField: string]: string }
  /** Actor of the conversion's history entries (default `system`). */
  actor?: string
}

/** Why a target links to an existing record. */
export type LinkVia = 'option' | 'match' | 'contact'

/** What a conversion does for one target record. */
export type TargetAction =
  | { action: 'create'; id: string }
  | { action: 'link'; id: string; via: LinkVia; confidence?: number; reasons?: MatchReason[] }
  | { action: 'skip' }

/** The record a value is written to. */
export type ConversionTarget = 'account' | 'contact' | 'opportunity'

/** What a conversion does with one lead value. */
export type MappingAction = 'set' | 'fill' | 'unchanged' | 'conflict'

/** One lead value and where it goes. */
export interface FieldMapping {
  target: ConversionTarget
  /** Field of the target: `industry`, `domains`, `custom.budget`. */
  field: string
  value: Json
  /** Where the value comes from: `company`, `email`, `custom.budget`. */
  from_lead_field: string
  action: MappingAction
  /** For a conflict: the value the target keeps. */
  existing?: Json
}

/** A reviewable conversion plan; the input of `applyConversion`. */
export interface ConversionPlan {
  lead_id: string
  lead_fingerprint: string
  planned_at: Timestamp
  account: TargetAction
  contact: TargetAction
  opportunity: TargetAction
  fields: FieldMapping[]
  warnings?: string[]
  matches: Matches
}

/** What happened to a target record. */
export type RecordChange = 'created' | 'updated' | 'unchanged'

/** The outcome of a conversion: persist `lead`, `account`, `contact` and `opportunity` together. */
export interface ConversionResult {
  lead: Lead
  account: Account
  account_change: RecordChange
  contact: Contact
  contact_change: RecordChange
  opportunity?: Opportunity
  fields: FieldMapping[]
  conflicts: FieldMapping[]
}

/** Size band of `employees`. */
export type EmployeeBand = '1-10' | '11-50' | '51-200' | '201-1000' | '1001-5000' | '5001+'

/** Values derived from a lead's own fields; every key is always present. */
export interface Derived {
  email_domain: string | null
  website_domain: string | null
  company_domain: string | null
  free_mail: boolean
  company_normalized: string | null
  employee_band: EmployeeBand | null
  /** `c_level`, `owner`, `vp`, `head`, `director`, `manager`, `senior`, ..., or `unknown`. */
  seniority: string
  /** `executive`, `sales`, `marketing`, `engineering`, `it`, `finance`, `hr`, `operations`, ..., or `unknown`. */
  department: string
}

/** What a provider knows about a lead; unknown keys are `ValidationError`s. */
export interface EnrichmentData {
  first_name?: string
  last_name?: string
  phone?: string
  title?: string
  company?: string
  website?: string
  industry?: string
  employees?: number
  annual_revenue?: number
  country?: string
  /** Fills `lead.custom.<key>`. */
  custom?: { [key: string]: Json }
}

/** An offered value that was not applied. */
export interface RejectedValue {
  field: string
  provider: string
  reason: 'conflict' | 'invalid'
  value: Json
  existing?: Json
}

/** The lead after enrichment, with the fields filled and the values rejected. */
export interface EnrichmentResult {
  lead: Lead
  applied: string[]
  rejected: RejectedValue[]
}

/** How far a criterion is established. */
export type CriterionStatus = 'unknown' | 'partial' | 'confirmed' | 'disqualifying'

/** Evidence for one criterion. */
export interface CriterionEvidence {
  status: CriterionStatus
  evidence?: string
  source?: string
  at?: Timestamp
}

/** Evidence per criterion key; a bare status string is accepted as input. */
export type EvidenceInput = { [criterion: string]: CriterionStatus | (Omit<CriterionEvidence, 'at'> & { at?: Timestamp | Date }) }

/** A qualification policy. */
export interface QualificationPolicy {
  /** Every required criterion must be confirmed (default true). */
  all_required?: boolean
  partial_meets_required?: boolean
  /** At least this much credit over all criteria. */
  min_met?: number
  /** Credit of a partial criterion towards `min_met` (default 0.5). */
  partial_credit?: number
}

/** One thing a framework asks to know about a lead. */
export interface Criterion {
  key: string
  label: string
  description?: string
  /** Default true. */
  required?: boolean
  /** Lead field read when there is no explicit evidence (`custom.budget_approved`). */
  field?: string
}

/** A qualification framework definition. */
export interface Framework {
  name: string
  description?: string
  criteria: Criterion[]
  policy?: QualificationPolicy
}

/** A built-in framework name (case-insensitive) or an inline definition. */
export type FrameworkInput = 'BANT' | 'CHAMP' | 'MEDDIC' | 'MEDDPICC' | (string & {}) | Framework

/** One criterion in a result. */
export interface CriterionResult {
  key: string
  label: string
  required: boolean
  status: CriterionStatus
  evidence?: string
  source?: string
  at?: Timestamp
}

/** The outcome of a framework for one lead. */
export interface QualificationResult {
  framework: string
  outcome: 'qualified' | 'not_yet' | 'disqualified'
  missing: string[]
  disqualified_by: CriterionResult[]
  credit: number
  criteria: CriterionResult[]
}

/** `qualifyLead`'s answer: the evidence read, the result, and the state for `lead.qualification`. */
export interface LeadQualification {
  evidence: { [criterion: string]: CriterionEvidence }
  result: QualificationResult
  state: QualificationState
}

/** The JSON form of a core error, as found in batch results. */
export interface ErrorInfo {
  kind: ErrorCode
  message: string
  record?: string
  field?: string
  rule?: string
  file?: string
  line?: number
  column?: number
  details?: Json
}

/** A batch entry for a record that failed; the other entries are unaffected. */
export interface ErrorEntry {
  error: ErrorInfo
}

/**
 * What every leadflow function throws: `code` is the stable kind name, or
 * `'InternalError'` for a panic caught at the binding boundary (a leadflow bug,
 * like Python's `leadflow.InternalError`; not in `errorCodes()`, the core's list).
 */
export interface LeadflowError extends Error {
  name: 'LeadflowError'
  code: ErrorCode | 'InternalError'
  /** Id of the record the error is about. */
  record?: string
  /** Path of the offending field, e.g. `activities[1].at`. */
  field?: string
  /** Rule, trigger or routing rule involved. */
  rule?: string
  file?: string
  /** 1-based. */
  line?: number
  /** 1-based. */
  column?: number
  /** Kind-specific data: `from`/`to` of a refused transition, earlier ids, the limit hit. */
  details?: Json
}

/** The error codes as a runtime object: `ErrorCode.ValidationError === 'ValidationError'`. */
export declare const ErrorCode: { readonly [K in ErrorCode]: K }


// ---------------------------------------------------------------------------
// Rule packs (docs/node.md "Rule packs"; the pack format is in the core's rules docs)
// ---------------------------------------------------------------------------

/** Text formats of a pack given as a string. */
export type PackFormat = 'toml' | 'json' | 'yaml' | 'rhai'
/** Fit grade, `A` (best) to `F`. */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F'
/** Temperature from the total score. */
export type Temperature = 'cold' | 'warm' | 'hot'
/** The scoring axis: who the lead is (`fit`) or what they did (`engagement`). */
export type Axis = 'fit' | 'engagement'
/** Which tier ran a rule: a compiled native predicate or the sandboxed rhai interpreter. */
export type Tier = 'native' | 'script'

type Scalar = string | number | boolean
type OneOrMany<T> = T | T[]

/** A declarative condition over one feature (or a combination). */
export interface PackCondition {
  field?: string
  equals?: Scalar
  not_equals?: Scalar
  in?: Scalar[]
  not_in?: Scalar[]
  contains?: OneOrMany<string>
  starts_with?: OneOrMany<string>
  ends_with?: OneOrMany<string>
  gt?: number
  gte?: number
  lt?: number
  lte?: number
  is?: boolean
  all?: PackCondition[]
  any?: PackCondition[]
  not?: PackCondition
}

/** One declarative rule of a manifest (or a rule with its own inline `script`). */
export interface PackRule {
  name: string
  axis?: Axis
  group?: string
  when?: PackCondition
  points?: number
  /** Proportional points: `points` per `per` units of a feature (optionally clipped). */
  value?: string | { field: string; min?: number; max?: number }
  per?: number
  /** Name of a curve in `decay`. */
  decay?: string
  min?: number
  max?: number
  script?: string
  reason?: string
}

export interface PackRange {
  min?: number
  max?: number
}

/** The host's sandbox ceilings (docs/sandbox.md); a pack's own `limits` may only lower them. */
export interface Limits {
  max_operations?: number
  max_call_depth?: number
  max_expr_depth?: number
  max_string_size?: number
  max_array_size?: number
  max_map_size?: number
  /** CPU time of one lead's script work, in microseconds. */
  lead_time_us?: number
  /** Wall time of one batch call's script work, in milliseconds (null: none). */
  batch_time_ms?: number | null
  max_file_bytes?: number
  max_pack_bytes?: number
}

/** Options of `Pack.fromPath`, `Pack.fromString` and `Pack.fromObject`. */
export interface PackOptions {
  limits?: Limits
}

/**
 * A pack manifest (`pack.toml|json|yaml`) as an object, scripts inline. Unknown
 * keys are `ConfigError`s. See the pack format in the rules documentation.
 */
export interface PackManifest {
  name: string
  version: string
  description?: string
  features_from?: 'record_or_activities' | 'activities'
  features?: { [name: string]: { [key: string]: Json } }
  decay?: {
    [name: string]: {
      age?: string
      time_constant_days?: number
      half_life_days?: number
      linear?: { per_days: number; rate: number }
    }
  }
  rules?: PackRule[]
  scripts?: string[]
  script?: string
  recognize?: boolean
  grades?: { a?: number; b?: number; c?: number; d?: number; e?: number }
  temperature?: { hot?: number; warm?: number }
  caps?: { fit?: PackRange; engagement?: PackRange; total?: PackRange; groups?: { [group: string]: PackRange } }
  limits?: {
    max_operations?: number
    max_call_depth?: number
    max_expr_depth?: number
    max_string_size?: number
    max_array_size?: number
    max_map_size?: number
    /** CPU milliseconds one lead may spend in scripts. */
    lead_time_ms?: number
  }
  qualification?: { framework: FrameworkInput; policy?: QualificationPolicy }
  lifecycle?: Array<{
    name: string
    to: string
    min_grade?: Grade
    min_score?: number
    min_fit?: number
    min_engagement?: number
    qualification?: 'qualified' | 'not_yet' | 'disqualified'
    from?: string[]
  }>
}

/** Static facts about one rule (or `let` setup statement) of a compiled pack. */
export interface RuleInfo {
  name: string
  kind: 'rule' | 'setup'
  axis: Axis
  tier: Tier
  group?: string
  file?: string
  line?: number
  reason: string
}

export interface ScoreOptions {
  /** Add `explanation` to the result (slower: records every fired rule). */
  explain?: boolean
}

/**
 * How the names of flat input are matched to the pack's features (by the core,
 * the same on every path): case, spaces, `-` and `_` do not matter (`Title`,
 * `TITLE` and `Job_Title`... read as `title`, `job_title`); `columns` maps names
 * explicitly and wins.
 */
export interface ColumnOptions {
  /** Input column (or record key) -> feature or lead field, e.g. `{ 'Job Title': 'title' }`. */
  columns?: { [input: string]: string }
  /**
   * Default `true`: a feature column the batch lacks throws a `ValidationError`;
   * `false`: it reads as missing (0, '') and is listed in `ColumnScores.warnings`.
   */
  strict?: boolean
}

/**
 * `scoreMany` options. Records may omit any key (that record's value is
 * missing), so `strict` has nothing to relax there; it is accepted for symmetry.
 */
export interface ScoreManyOptions extends ScoreOptions, ColumnOptions {}

/** A cap that clipped a value. */
export interface AppliedCap {
  /** `rule`, `group:<name>`, `fit`, `engagement` or `total`. */
  scope: string
  min?: number
  max?: number
  before: number
  after: number
}

/** One rule that fired. */
export interface FiredRule {
  rule: string
  axis: Axis
  tier: Tier
  /** Points added, after decay and the rule cap. */
  points: number
  decay?: number
  capped?: AppliedCap
  reason: string
}

/** Why a lead got its score. */
export interface Explanation {
  /** `name@version` of the pack. */
  pack: string
  rules: FiredRule[]
  caps?: AppliedCap[]
  fit_raw: number
  engagement_raw: number
  grade_reason: string
  temperature_reason: string
}

/** The score of one lead. */
export interface ScoreResult {
  lead_id: string
  total: number
  fit: number
  engagement: number
  grade: Grade
  temperature: Temperature
  /** Present when an explanation was requested. */
  explanation?: Explanation
}

/** `pack.explain(...)`: a score with its explanation. */
export interface ExplainedScore extends ScoreResult {
  explanation: Explanation
}

/** What `evaluate` did: the score, the qualification (when the pack has one) and the stage moves. */
export interface Evaluation {
  score: ScoreResult
  qualification?: QualificationResult
  /** History entries added (placement and stage moves), in order. */
  moves: Transition[]
}

/** `pack.evaluate(...)`: the updated lead (score, qualification, stage, history) and the evaluation. */
export interface Evaluated {
  lead: Lead
  evaluation: Evaluation
}

/**
 * One column of a `ColumnBatch`. Read in place (no copy): `Float64Array`,
 * `BigInt64Array`, `Uint8Array` (booleans: 0 is false) and Arrow-layout strings.
 * Other numeric typed arrays are converted once; a `string[]` crosses as one
 * joined string; a `number[]`/`boolean[]` goes through `Float64Array.from`.
 */
export type Column =
  | Float64Array | Float32Array | BigInt64Array | BigUint64Array
  | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | boolean | null>
  /** Values with an Arrow validity bitmap (bit i clear: row i is missing). */
  | { values: Float64Array | BigInt64Array | Int32Array | Uint8Array | ReadonlyArray<string | number | boolean | null>; validity?: Uint8Array }
  /** Arrow `Utf8` layout: string i is `data[offsets[i]..offsets[i+1]]` (UTF-8 bytes). */
  | { offsets: Int32Array; data: Uint8Array; validity?: Uint8Array }
  /** Arrow bit-packed booleans (bit i, LSB first). */
  | { bits: Uint8Array; validity?: Uint8Array }

/**
 * Flat feature rows held in columns, named like the pack's features
 * (`pack.features`): `title`, `employees`, `page_views`, ... Derived features
 * are computed from their source column (`email` for `free_mail`, `title` for
 * `seniority`); features without a column are missing (0 or '').
 */
export interface ColumnBatch {
  /** Row count; defaults to the first column's length. Every column needs at least this many rows. */
  length?: number
  columns: { [feature: string]: Column }
  /** Lead ids, named in error entries (default `row <i>`). */
  ids?: Column
}

/** Columnar results, one entry per row. Failed rows hold `NaN` and are listed in `errors`. */
export interface ColumnScores {
  total: Float64Array
  fit: Float64Array
  engagement: Float64Array
  /** Grade codes: `GRADES[code]` (0 is `A`, 5 is `F`). */
  grade: Uint8Array
  /** Temperature codes: `TEMPERATURES[code]` (0 is `cold`). */
  temperature: Uint8Array
  errors: Array<{ row: number; error: ErrorInfo }>
  /** What `strict: false` let through (feature columns the batch lacks); empty otherwise. */
  warnings: string[]
}

// ---------------------------------------------------------------------------
// Metrics (docs/metrics.md defines every figure)
// ---------------------------------------------------------------------------

/** A metrics period: `2026-Q3`, `2026-07`, `2026`, ... or two instants (half-open). */
export type PeriodInput = string | { from: Timestamp | Date; to: Timestamp | Date }

/** Options of a metrics run; every key has a default (docs/metrics.md). */
export interface MetricsOptions {
  ladder?: string[]
  cohort_stage?: string
  conversions?: Array<[string, string]>
  sla_minutes?: number
  touch_types?: string[]
  stall_days?: number
  closed_statuses?: string[]
  stalled_limit?: number
  segment_field?: string
  mql_stage?: string
  sql_stage?: string
  hierarchy?: { [child: string]: string }
  costs?: Array<{ [key: string]: Json }>
}

/** Period, time zone, `now` and options of a metrics run. */
export interface MetricsConfigInput {
  period: PeriodInput
  /** `+09:00`; calendar periods are read in this offset (default UTC). */
  utc_offset?: string
  now: Timestamp | Date
  options?: MetricsOptions
}

/** One metrics run over records. */
export interface MetricsRequest extends MetricsConfigInput {
  leads?: LeadInput[]
  opportunities?: Opportunity[]
}

/** A section of the report; its shape is documented in docs/metrics.md. */
export type MetricsSection = { [key: string]: Json }

/** The metrics report: funnel, conversion, velocity, board, pipeline forecast, attribution. */
export interface MetricsReport {
  period: string
  from: Timestamp
  to: Timestamp
  now: Timestamp
  leads: number
  opportunities: number
  funnel: MetricsSection
  conversion: MetricsSection
  velocity: MetricsSection
  board: MetricsSection
  pipeline: MetricsSection
  attribution: MetricsSection
}

/** Serialized accumulator state (`acc.toJSON()`): opaque, versioned with the package. */
export type MetricsAccumulatorState = { [key: string]: Json }

// ---------------------------------------------------------------------------
// Routing (docs/routing.md describes every configuration key and result field)
// ---------------------------------------------------------------------------

/** A routing configuration (reps, teams, rules, segmentation, fallback queue); see docs/routing.md. */
export type RoutingConfigInput = { [key: string]: Json }
/** The configuration as validated, defaults included. */
export type RoutingConfig = { [key: string]: Json }
/** Round-robin positions and capacity counts; store it between calls (opaque). */
export type RoutingState = { [key: string]: Json }

/** Segment, region and territories derived for a lead. */
export type LeadFacts = { [key: string]: Json }

/** A rule or policy whose script condition failed for a lead (`kind`: `ScriptError` or `LimitExceeded`). */
export interface RuleError {
  rule: string
  kind: string
  /** Where the condition is in the config, e.g. `rules[2].when`. */
  field?: string
  message: string
}

/** Who got a lead, how, and why. */
export interface Assignment {
  lead_id: string
  /** A rep (`{rep: id}`) or a queue (`{queue: name}`). */
  assignee: { rep: string } | { queue: string }
  via: 'ownership' | 'rule' | 'fallback'
  rule?: string
  team?: string
  strategy?: string
  account_id?: string
  /** `no_rule_matched`, `no_eligible_rep` or `script_error` (see `rule_errors`). */
  fallback_reason?: string
  /** One sentence for humans. */
  reason: string
  eligible?: string[]
  skipped?: Array<{ [key: string]: Json }>
  rule_errors?: RuleError[]
  facts?: LeadFacts
  at: Timestamp
}

/** Speed-to-lead and follow-up SLA configuration; see docs/routing.md. */
export type SlaConfigInput = { [key: string]: Json }
/** One lead's SLA report: `{lead_id, segment?, first_touch_at?, speed_to_lead_seconds?, slas, rule_errors?}`. */
export interface SlaReport {
  lead_id: string
  segment?: string
  first_touch_at?: Timestamp
  speed_to_lead_seconds?: number
  slas: Array<{ [key: string]: Json }>
  /** First-touch policies skipped because their script condition failed. */
  rule_errors?: RuleError[]
}

/** Trigger configuration; see docs/routing.md. */
export type TriggerConfigInput = { [key: string]: Json }
/** An event fed to `Triggers.evaluate` (for example a stage change or an SLA breach). */
export type TriggerEvent = { [key: string]: Json }
/** One-shot bookkeeping of fired triggers; store it between calls (opaque). */
export type TriggerState = { [key: string]: Json }
/** An action the host should perform (assign, notify, create a task, set a status...). */
export type PlannedAction = { [key: string]: Json }

/** How touches are classified and when a lead recycles (`max_attempts`). */
export type TouchPolicy = { [key: string]: Json }
/** What recording an activity did: the touch kind and the transitions recorded. */
export type TouchResult = { [key: string]: Json }
/**
 * Accumulates metrics lead by lead in memory proportional to the groups, not
 * the leads; partial accumulators of the same configuration merge exactly.
 */
export declare class MetricsAccumulator {
  /** `config` is a metrics request without records: `{period, utc_offset?, now, options?}`. */
  constructor(config: MetricsConfigInput)
  /** Adds one lead (its stage history, status, owner and touches). */
  addLead(lead: LeadInput): void
  /**
   * Adds many leads (an array or JSON Lines text); all or none: the first
   * invalid lead throws, naming its index, before any is added.
   */
  addLeads(leads: LeadInput[] | string): number
  /** Adds one opportunity (pipeline forecast and attribution). */
  addOpportunity(opportunity: Opportunity): void
  /** Adds another accumulator's counts (same configuration, else `ConfigError`). */
  merge(other: MetricsAccumulator): void
  /** The report of everything added so far (the accumulator stays usable). */
  finish(): MetricsReport
  /**
   * The accumulator's state as a plain object (so `JSON.stringify(acc)` works),
   * to send a partial to another process or worker.
   */
  toJSON(): MetricsAccumulatorState
  /** Restores an accumulator from `toJSON()` (the object or its JSON text). */
  static fromJSON(state: MetricsAccumulatorState | string): MetricsAccumulator
}

/** A compiled rule pack. Immutable and cheap to share: compile once, score many. */
export declare class Pack {
  /**
   * Loads and compiles a pack folder (with `pack.toml|json|yaml`) or a single
   * manifest or `.rhai` file. `options.limits` are the host's sandbox ceilings
   * (`docs/sandbox.md`); the pack's own `[limits]` may only lower them.
   */
  static fromPath(path: string, options?: PackOptions): Pack
  /**
   * Compiles a pack given as text in `format`; `file` names it in errors.
   * Scripts must be inline.
   */
  static fromString(text: string, format: PackFormat, file?: string, options?: PackOptions): Pack
  /** Compiles a pack given as a manifest object with inline scripts. */
  static fromObject(manifest: PackManifest, options?: PackOptions): Pack
  /** The sandbox limits the pack runs under: the host's, lowered by the pack. */
  get limits(): Limits
  get name(): string
  get version(): string
  /** `name@version`, as stored in `lead.score.pack`. */
  get id(): string
  /** Every rule and setup statement, in evaluation order, with its tier. */
  get rules(): RuleInfo[]
  /** Names of the features the pack reads (the column names `scoreColumns` looks for). */
  get features(): Array<string>
  /** Scores one lead as of `now`; `{explain: true}` adds the explanation. */
  score(lead: LeadInput, now: Timestamp | Date, options?: ScoreOptions): ScoreResult
  /** Scores one lead and explains every fired rule, cap, grade and temperature. */
  explain(lead: LeadInput, now: Timestamp | Date): ExplainedScore
  /**
   * Scores the lead, evaluates the pack's qualification framework and applies
   * its lifecycle thresholds (built-in pipeline unless one is given). Returns
   * the updated lead (score, qualification, stage, history) and what happened.
   */
  evaluate(lead: LeadInput, now: Timestamp | Date, pipeline?: Pipeline | null): Evaluated
  /**
   * Scores many leads (an array of lead objects, or a JSON array / JSON Lines
   * text) on all cores. One entry per lead, in order; a lead that fails is an
   * `{error}` entry and never fails the batch.
   */
  scoreMany(leads: LeadInput[] | string, now: Timestamp | Date, options?: ScoreManyOptions): Array<ScoreResult | ErrorEntry>
  /**
   * `scoreMany` off the main thread: the leads are serialized on the calling
   * thread (chunk by chunk), then parsed and scored on a worker; resolves
   * with the same entries.
   */
  scoreManyAsync(leads: LeadInput[] | string, now: Timestamp | Date, options?: ScoreManyOptions): Promise<Array<ScoreResult | ErrorEntry>>
  /** `evaluate` for many leads: one `{lead, evaluation}` or `{error}` entry per lead. */
  evaluateMany(leads: LeadInput[] | string, now: Timestamp | Date, pipeline?: Pipeline | null): Array<Evaluated | ErrorEntry>
  /** `evaluateMany` off the main thread. */
  evaluateManyAsync(leads: LeadInput[] | string, now: Timestamp | Date, pipeline?: Pipeline | null): Promise<Array<Evaluated | ErrorEntry>>
  /**
   * Scores a columnar batch (see `ColumnBatch`): numeric typed arrays are read
   * in place, string columns cross once per column. Runs on all cores.
   * Column names are matched by the core's schema check (`Title` reads as
   * `title`; `options.columns` maps names explicitly); a feature column the
   * batch lacks throws, or with `strict: false` is listed in `warnings`.
   */
  scoreColumns(batch: ColumnBatch, now: Timestamp | Date, options?: ColumnOptions): ColumnScores
  /**
   * `scoreColumns` off the main thread. The typed arrays are read in place:
   * do not modify them until the promise settles.
   */
  scoreColumnsAsync(batch: ColumnBatch, now: Timestamp | Date, options?: ColumnOptions): Promise<ColumnScores>
}

/**
 * A validated lifecycle configuration: stage ladder, status transitions and
 * opportunity stages. Immutable; share one per configuration.
 */
export declare class Pipeline {
  /**
   * The built-in pipeline, or one from a configuration object or JSON text
   * (missing sections take the defaults; unknown keys are `ConfigError`s).
   */
  constructor(config?: LifecycleConfigInput | string)
  /** Loads a `.json`, `.yaml`/`.yml` or `.toml` configuration file. */
  static fromPath(path: string): Pipeline
  /** Parses a configuration text in `format` (`json`, `yaml` or `toml`). */
  static fromString(text: string, format: ConfigFormat): Pipeline
  /** The full configuration, defaults included. */
  get config(): LifecycleConfig
  /** The lead stage ladder, earliest first. */
  stageLadder(): Array<string>
  /** The definition of an opportunity stage, or `null` when there is none. */
  opportunityStage(name: string): OpportunityStageDef | null
  /** Gives a new lead its initial stage and status (fields already set are kept). */
place(lead: LeadInput, change: ChangeInput): { lead: Lead; transitions: Transition[] }
/**
 * Moves a lead forward (skips allowed, recorded as `skip`); backward moves
 * are `InvalidTransition`: use `recycleStage`.
 */
advanceStage(lead: LeadInput, to: string, change: ChangeInput): LeadMove
/** Moves a lead back down the ladder; `change.reason` is required. */
recycleStage(lead: LeadInput, to: string, change: ChangeInput): LeadMove
/** Moves the working status along a configured transition (`nurture` needs a reason). */
setStatus(lead: LeadInput, to: string, change: ChangeInput): LeadMove
/**
 * Records a touch: an `attempt` counts up (and moves `new` to `attempting`),
 * `connected` moves to `connected` and resets the count. `transition` is
 * `null` when the status did not change.
 */
recordTouch(lead: LeadInput, outcome: TouchOutcome, change: ChangeInput): { lead: Lead; transition: Transition | null }
/** A new opportunity in the initial stage, with its `initial` history entry. */
openOpportunity(id: string, name: string, accountId: string, change: ChangeInput): Opportunity
/**
 * Moves an opportunity to a stage, copying probability, forecast category
 * and closed/won flags; Closed Lost, moving back and re-opening need a reason.
 */
moveOpportunity(opportunity: Opportunity, to: string, change: ChangeInput): { opportunity: Opportunity; transition: Transition }
}

/**
 * Assigns leads to reps, teams or queues; never drops a lead (nobody
 * eligible: the fallback queue, with the reason). Deterministic: the same
 * config, state, lead and `now` always give the same assignment.
 */
export declare class Router {
  /**
   * A router from a routing configuration (object or JSON text); `existing`
   * accounts and contacts turn on ownership routing.
   */
  constructor(config: RoutingConfigInput | string, existing?: { accounts?: Account[]; contacts?: Contact[] })
  /** Loads a `.json`, `.yaml`/`.yml` or `.toml` routing configuration. */
  static fromPath(path: string, existing?: { accounts?: Account[]; contacts?: Contact[] }): Router
  /** Parses a routing configuration text in `format` (`json`, `yaml` or `toml`). */
  static fromString(text: string, format: ConfigFormat, existing?: { accounts?: Account[]; contacts?: Contact[] }): Router
  /** The configuration, defaults included. */
  get config(): RoutingConfig
  /** Segment, region and territories the configuration derives for a lead. */
  facts(lead: LeadInput): LeadFacts
  /**
   * Assigns one lead: `{assignment, state}`; store `state` for the next call
   * (round-robin positions, capacity counts). The given state is not modified.
   */
assign(lead: LeadInput, state: RoutingState | null | undefined, now: Timestamp | Date): { assignment: Assignment; state: RoutingState }
/**
 * Assigns leads in order (exactly as one by one): `{assignments, state}`; a
 * lead that does not parse is an `{error}` entry and takes no turn.
 */
assignMany(leads: LeadInput[] | string, state: RoutingState | null | undefined, now: Timestamp | Date): { assignments: Array<Assignment | ErrorEntry>; state: RoutingState }
}

/** Speed-to-lead and follow-up SLAs (business hours, segments). */
export declare class SlaPolicy {
  /** An SLA configuration (object or JSON text). */
  constructor(config: SlaConfigInput | string)
  /** The SLA report of one lead as of `now`. */
  evaluate(lead: LeadInput, now: Timestamp | Date): SlaReport
}

/** Automation triggers: events in, planned actions out (the host performs them). */
export declare class Triggers {
  /**
   * A trigger configuration (object or JSON text); cycles are refused here or
   * as a `TriggerLoop` at evaluation.
   */
  constructor(config: TriggerConfigInput | string)
  /**
   * Plans the actions for `event` on `lead`: `{actions, state}`; keep `state`
   * (one-shot triggers) for the next call.
   */
evaluate(lead: LeadInput, event: TriggerEvent, state?: TriggerState | null): { actions: PlannedAction[]; state: TriggerState }
}

/** Panics inside a binding call, to test that panics reach JS as `InternalError`. */
export declare function _panic(message: string): void

/**
 * Applies a plan: all records or nothing. A lead that changed since the plan,
 * or a plan of another lead, is a `ConversionError`; a converted lead is
 * `AlreadyConverted`. Pass the same options as to `planConversion`.
 */
export declare function applyConversion(plan: ConversionPlan, lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions): ConversionResult

/**
 * Fills the lead's empty fields from a provider's data, recording provenance.
 * Never overwrites: differing values come back in `rejected` (`conflict`), as
 * do invalid ones (`invalid`).
 */
export declare function applyEnrichment(lead: LeadInput, data: EnrichmentData, provider: string): EnrichmentResult

/** Plans and applies a conversion in one call. */
export declare function convert(lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions): ConversionResult

/** Days spent in each state of `dimension` up to `now`, summed over every visit. */
export declare function cumulativeTime(history: Transition[], dimension: Dimension, now: Timestamp | Date): Record<string, number>

/**
 * Values derived from the lead's own fields (domains, free mail, normalized
 * company, employee band, seniority, department). Never fails on odd values.
 */
export declare function derive(lead: LeadInput): Derived

/** When the record first entered `state` (RFC 3339), or `null`. */
export declare function enteredAt(history: Transition[], dimension: Dimension, state: string): Timestamp | null

/**
 * The stable error codes (`err.code` of every leadflow error); the Python
 * binding's exception classes have the same names.
 */
export type ErrorCode =  'ParseError'|
'ValidationError'|
'ConfigError'|
'InvalidTransition'|
'AlreadyConverted'|
'ConversionError'|
'NotFound'|
'ScriptError'|
'LimitExceeded'|
'TriggerLoop'|
'IoError';

/**
 * Every error code, in the core's stable order. Built from the core's own list;
 * `tests/test_errors.mjs` checks that `ErrorCode` above matches it.
 */
export declare function errorCodes(): ErrorCode[]

/**
 * The grade of each `grade` code of columnar results (0 is `A`): the core's
 * list, read once by `columns.js` into `GRADES`.
 */
export declare function grades(): Grade[]

/**
 * True when `err` is an error thrown by leadflow (in TypeScript it narrows
 * to `LeadflowError`).
 */
export declare function isLeadflowError(err: unknown): err is LeadflowError

/** When the record last entered `state` (RFC 3339), or `null`. */
export declare function lastEnteredAt(history: Transition[], dimension: Dimension, state: string): Timestamp | null

/**
 * Ranks the existing contacts and accounts the lead may correspond to, each
 * with a confidence (0 to 1) and machine-readable reasons.
 */
export declare function matchLead(lead: LeadInput, accounts: Account[], contacts: Contact[], options?: MatchOptions): Matches

/**
 * Computes a whole report from one request `{leads, opportunities, period,
 * utc_offset?, now, options?}` (an object or JSON text). An invalid record
 * fails the run, naming it (`leads[3].created_at`).
 */
export declare function metrics(request: MetricsRequest | string): MetricsReport

/** Validates one account. */
export declare function parseAccount(input: string | object): Account

/** Validates one contact. */
export declare function parseContact(input: string | object): Contact

/**
 * Validates one lead (JSON text or a plain object) and returns it as written
 * back by the core: lossless, unknown fields kept, timestamps as given.
 */
export declare function parseLead(input: string | object): Lead

/**
 * Parses a batch of leads: JSON Lines, a JSON array or one object as text, or
 * an array of plain objects. One entry per record: the lead, or `{error}` for a
 * record that failed; one bad record never fails the batch.
 */
export declare function parseLeads(input: string | object[]): Array<Lead | ErrorEntry>

/** Validates one opportunity. */
export declare function parseOpportunity(input: string | object): Opportunity

/**
 * Plans the conversion of a lead: per target `create`, `link` or `skip`, and
 * where every lead value goes (conflicts included). Changes nothing.
 */
export declare function planConversion(lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions): ConversionPlan

/**
 * Evaluates evidence against a framework under a policy (the framework's
 * default when omitted).
 */
export declare function qualify(framework: FrameworkInput, evidence?: EvidenceInput | null, policy?: QualificationPolicy | null): QualificationResult

/**
 * Reads a lead's evidence for a framework (`custom.qualification.<key>`, then
 * each criterion's mapped field), evaluates it, and returns the
 * `QualificationState` to store as `lead.qualification`.
 */
export declare function qualifyLead(lead: LeadInput, framework: FrameworkInput, now: Timestamp | Date, policy?: QualificationPolicy | null): LeadQualification

/**
 * Records an activity on a lead and moves its touch status by the policy
 * (`new -> attempting -> connected`, recycling after `max_attempts`):
 * `{lead, result}`. Atomic: on error the lead is unchanged.
 */
export declare function recordActivity(lead: LeadInput, activity: Activity, options?: { policy?: TouchPolicy; actor?: string } | null, pipeline?: Pipeline | null): { lead: Lead; result: TouchResult }

/**
 * The temperature of each `temperature` code of columnar results (0 is
 * `cold`): the core's list, read once by `columns.js` into `TEMPERATURES`.
 */
export declare function temperatures(): Temperature[]

/** Days since the latest transition of `dimension` as of `now`, or `null`. */
export declare function timeInCurrent(history: Transition[], dimension: Dimension, now: Timestamp | Date): number | null

/** Every state visited in `dimension`, in order of first entry, with total days. */
export declare function timeline(history: Transition[], dimension: Dimension, now: Timestamp | Date): StateTime[]

/** Version of the leadflow core this binding was built from. */
export declare function version(): string
