import { z } from 'zod'
import type { NormalizeRequest } from './cassettes/canonical.js'
import { CASSETTE_MODES, type CassetteMode } from './cassettes/mode.js'
import type { RedactRule } from './cassettes/redact.js'
import { hostPatternProblem } from './cassettes/hosts.js'
import { DEFAULT_MAX_INLINE_BYTES } from './cassettes/worker-options.js'
import { closestName, shownName } from './closest-name.js'
import { compileFunction } from './compile-function.js'
import { docsLocation } from './docs-location.js'
import { ConfigError } from './errors/index.js'
import { API_KEY_ENV_MESSAGE, checkJudgeEndpoint, ENV_VARIABLE_NAME } from './judge/config-rules.js'
import { isJudge, isLanguageModel, MAX_JUDGE_TIMEOUT_MS } from './judge/judge.js'
import { wrongValueLine } from './wrong-option-value.js'

export { compileFunction, DEFAULT_MAX_INLINE_BYTES }
// Moved to provided-options.ts (no zod), so the plugin entry resolves options without the schema.
export { functionSource, toProvidedOptions, type ParsedOptions } from './provided-options.js'

const isFunction = (value: unknown) => typeof value === 'function'

const hostPattern = z.string().superRefine((value, context) => {
  const problem = hostPatternProblem(value)
  if (problem) context.addIssue({ code: 'custom', message: `"${value}" ${problem}` })
})

const cassettesSchema = z.strictObject({
  mode: z.enum(CASSETTE_MODES as [CassetteMode, ...CassetteMode[]]).optional().describe('Cassette mode; `LLM_EVALS_CASSETTES` overrides it. Default: `replay` when `CI` is set, else `auto`.'),
  dir: z.string().min(1).optional().describe('Folder for all cassettes, mirroring the test tree. Default: `__cassettes__` beside each test file.'),
  hosts: z.array(hostPattern).optional().describe('More hosts to record (`name`, `name:port`, `*` for one DNS label: `*.example.com`, `localhost:*`), besides the built-in provider hosts and those of the SDKs\' base URL variables.'),
  redact: z.array(z.union([z.string().min(4, 'a redaction string needs at least 4 characters'), z.instanceof(RegExp).describe('RegExp')])).optional().describe('Strings or regular expressions replaced by `[REDACTED]` in every recording a cassette stores (request, response, test name).'),
  normalizeRequest: z.custom<NormalizeRequest>(isFunction, 'expected a function (request) => request').optional().describe('Removes your own volatile text before a request is matched. Must be self-contained (sent to workers as source).'),
  maxInlineBytes: z.number().int().positive().optional().describe('Response bodies (plain or streamed) larger than this go to a sidecar file; request bodies stay inline. Default: 524288 (512 KB).'),
})

const judgeSchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic', 'google', 'openai-compatible']).describe('Judge provider, through its official SDK (`openai-compatible`: the `openai` SDK at `baseURL`).'),
  model: z.string().min(1).describe('Judge model name.'),
  baseURL: z.url().optional().describe("The API's base URL: required for `openai-compatible`, else the SDK's default."),
  apiKeyEnv: z.string().regex(ENV_VARIABLE_NAME, API_KEY_ENV_MESSAGE).optional().describe('`openai-compatible` only: the name of the environment variable holding the API key (never the key). Default: `OPENAI_API_KEY`.'),
  temperature: z.number().min(0).max(2).optional().describe('Default: 0.'),
  maxConcurrency: z.number().int().positive().optional().describe('Judge calls in flight per provider. Default: 8.'),
  samples: z.number().int().positive().refine((value) => value % 2 === 1, 'must be odd (1, 3, 5…) so majority votes cannot tie').optional().describe('Judge calls per verdict (odd): majority vote or mean. Default: 1.'),
  maxRetries: z.number().int().nonnegative().optional().describe('SDK retries on 429/5xx. Default: 6.'),
  maxTokens: z.number().int().positive().optional().describe('Output token limit of a judge call.'),
  timeoutMs: z.number().int().positive().max(MAX_JUDGE_TIMEOUT_MS).optional().describe('Most time one judge call may take (SDK retries included) before it is aborted and fails with a `JudgeError`. Default: 60000 (60 s).'),
}).superRefine(checkJudgeEndpoint)

/** Schema of `llmEvals(options)`; every key optional, unknown keys rejected. */
export const optionsSchema = z.strictObject({
  cassettes: z.union([z.literal(false), cassettesSchema]).optional().describe('Record/replay of model calls; `false` is the same as mode `passthrough`.'),
  judge: judgeSchema.optional().describe('Default judge model of the judged matchers (each call can override it).'),
  history: z
    .union([
      z.literal(false),
      z.strictObject({
        file: z.string().min(1).optional().describe('History file. Default: `.evals/history.jsonl`.'),
        baselineBranch: z.string().min(1).optional().describe('Without a pinned baseline, compare each suite metric with the newest run on this branch that scored it.'),
        keepCaseScores: z.number().int().nonnegative().optional().describe('Newest runs that keep per-case scores. Default: 200.'),
        keepCaseDetails: z.number().int().nonnegative().optional().describe('Newest runs that keep per-case output, reasoning and the error text of cases that could not be scored. Default: 20.'),
        maxTextChars: z.number().int().positive().optional().describe('Output, input and reasoning are cut at this length. Default: 2000.'),
        watch: z.boolean().optional().describe('In watch mode, append every rerun to the history and write the report files too. Default: false (watch reruns write nothing; the live page shows them).'),
      }),
    ])
    .optional()
    .describe('Score history across runs; `false` keeps none.'),
  report: z
    .union([
      z.literal(false),
      z.strictObject({
        html: z.union([z.string().min(1), z.boolean()]).optional().describe('HTML report file, or false. Default: `.evals/report.html`.'),
        json: z.union([z.string().min(1), z.boolean()]).optional().describe('JSON summary file, or false. Default: `.evals/summary.json`.'),
        stepSummary: z.boolean().optional().describe('Append a Markdown summary to `$GITHUB_STEP_SUMMARY` when set. Default: true.'),
        live: z.boolean().optional().describe('In watch mode, serve the HTML report on 127.0.0.1 and reload it after each rerun (never in `vitest run` or when `CI` is set). Default: true.'),
      }),
    ])
    .optional()
    .describe('Report files written after each run; `false` writes none.'),
  gate: z
    .strictObject({
      failOnRegression: z.boolean().optional().describe('Fail on a drop larger than `tolerance` that is unlikely to be noise (see `confidence`). Default: true once `gate` is set; without `gate`, a regression is shown (✗) but never fails the run.'),
      tolerance: z.number().min(0).max(1).optional().describe('Allowed drop of a suite metric vs its reference: the baseline when it scored the suite metric, else its previous run. Default: 0.05.'),
      confidence: z.number().min(0.5).max(0.999).optional().describe('How sure the gate must be that a drop is not noise before it fails (paired over the cases both runs scored). Default: 0.95.'),
      minScore: z.union([z.number().min(0).max(1), z.record(z.string(), z.number().min(0).max(1))]).optional().describe('Floor for every suite metric, or per metric name.'),
      allowMissingShards: z.boolean().optional().describe("Pass a `--merge-reports` run that lacks some shards' blob reports (it is still said, and its history line marked partial). Default: false: such a merge fails the gate."),
      agreement: z
        .strictObject({
          minKappa: z.number().min(-1).max(1).optional().describe("Floor for judge-human Cohen's kappa."),
          minFailureRecall: z.number().min(0).max(1).optional().describe('Floor for the share of human-failed cases the grader also fails.'),
          minN: z.number().int().positive().optional().describe('Fewest human labels per grader and metric.'),
        })
        .optional()
        .describe('Judge-human agreement floors.'),
    })
    .optional()
    .describe('Fail the run on a regression or below a floor, even when every test passed. Off unless set: `gate: {}` turns it on with the defaults below.'),
  labels: z.strictObject({ file: z.string().min(1).describe('Human labels file. Default: `evals/labels.jsonl`.') }).optional().describe('Human labels.'),
  annotations: z.boolean().optional().describe('Add every score as a Vitest test annotation (Vitest UI, HTML, JUnit and GitHub Actions reporters). Default: true.'),
  pricing: z
    .record(z.string(), z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() }))
    .optional()
    .describe('USD per 1M input/output tokens by model name or prefix; extends the built-in table.'),
})

/** Options of the `llmEvals()` plugin. */
export type LlmEvalsOptions = z.input<typeof optionsSchema>

/** Options as the worker setup file receives them (plain data: they cross the worker boundary). */
export interface ProvidedOptions {
  root: string
  cassettes: {
    mode: CassetteMode
    dir?: string
    hosts: string[]
    redact: RedactRule[]
    /** Source text of the user's `normalizeRequest`, rebuilt in the worker. */
    normalizeRequest?: string
    maxInlineBytes: number
    /** When the run started (ms since the epoch): `record` replaces what was recorded before it, never what other processes of this run or a parallel run recorded since. */
    runStartedAt?: number
  }
  judge?: z.infer<typeof judgeSchema>
  /** Human labels file as configured (relative to `root`); absent means `evals/labels.jsonl`. */
  labels?: { file: string }
  /** History file as configured (relative to `root`), or `false` for none; absent means `.evals/history.jsonl`. Legacy labels are resolved against its newest run. */
  history?: { file: string } | false
  /** `false` when scores are not to become test annotations (`annotations: false`). */
  annotations?: false
  /** The Vitest project's name (absent without `test.projects`): recordings say which project made them. */
  project?: string
}

declare module 'vitest' {
  interface ProvidedContext {
    llmEvals: ProvidedOptions
  }
}


/** Validates plugin options; a wrong one is a {@link ConfigError} naming it and what is allowed. */
export function parseOptions(input: unknown): z.infer<typeof optionsSchema> {
  checkPlainJudge((input as { judge?: unknown } | null | undefined)?.judge)
  const parsed = optionsSchema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const lines = parsed.error.issues.flatMap(branchIssues).map((issue) => (issue.code === 'unrecognized_keys' ? unknownKeysLine(issue.path.map(String), issue.keys) : wrongValueLine(issue, input ?? {}, optionsSchema)))
  throw new ConfigError(`Invalid llmEvals() options:\n${lines.map((line) => `  - ${line}`).join('\n')}\nSee the options in ${docsLocation('configuration.md')}.`)
}

const MAX_KEYS_NAMED = 10

/** `unknown option \`report.htlm\`; allowed here: html, json, stepSummary, live; did you mean \`report.html\`?` */
function unknownKeysLine(path: readonly string[], allKeys: readonly string[]): string {
  const allowed = allowedKeysAt(path)
  const option = (key: string) => `\`${shownName([...path, key].join('.'))}\``
  // A few keys named: an object spread into the options by mistake may have thousands.
  const keys = allKeys.slice(0, MAX_KEYS_NAMED)
  const more = allKeys.length > keys.length ? ` (+${allKeys.length - keys.length} more)` : ''
  const meant = keys.flatMap((key) => {
    const near = closestName(key, allowed ?? [])
    // Not a typo here, but an option of another object (`mode` at the top level is `cassettes.mode`).
    // A key too long to be a typo (closestName's bound) is not looked for elsewhere: no schema walk per megabyte key.
    const elsewhere = near === undefined && key.length <= 100 ? optionPathsNamed(key) : []
    const suggestion = near === undefined ? elsewhere.join('` or `') : shownName([...path, near].join('.'))
    return suggestion ? [{ key, suggestion }] : []
  })
  const guesses = meant.length === 1 && keys.length === 1 ? `\`${meant[0]?.suggestion}\`` : meant.map(({ key, suggestion }) => `\`${suggestion}\` for ${option(key)}`).join(', ')
  return `unknown option ${keys.map(option).join(', ')}${more}${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}${guesses ? `; did you mean ${guesses}?` : ''}`
}

/** The plugin's `judge` reaches workers as plain data: a model or judge object there is a ConfigError saying where it goes. */
function checkPlainJudge(judge: unknown): void {
  if (!isLanguageModel(judge) && !isJudge(judge)) return
  const what = isLanguageModel(judge) ? 'an AI SDK model' : 'a Judge object'
  throw new ConfigError(
    `Invalid llmEvals() options: \`judge\` is ${what}, but the plugin's options reach the test workers as plain data, so only a config ({ provider, model, … }) fits there. ` +
      "Set it in a setup file instead: add `setupFiles: ['./llm-evals.setup.ts']` to the test config, and in that file " +
      "`import { configureDefaultJudge } from 'vitest-llm-evals'` and call `configureDefaultJudge(openai('gpt-4o-mini'))` with your model. " +
      `See "An AI SDK model as a judge" in ${docsLocation('judges.md')}.`,
  )
}

/** For a failed union (`false | {...}`), the issues of the branch the value was meant for. */
function branchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue]
  // The branch whose issues reach deepest is the one whose shape the value had.
  const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(0, ...branch.map((inner) => inner.path.length + (inner.code === 'unrecognized_keys' ? 1 : 0)))
  const meant = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]
  if (!meant || depth(meant) === 0) return [issue]
  return meant.flatMap((inner) => branchIssues({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue))
}

function allowedKeysAt(path: readonly string[]): string[] | undefined {
  let schema: z.ZodType = optionsSchema
  for (const segment of path) {
    // A record (`pricing`) takes any key: its value's schema is what every key holds.
    const record = recordIn(schema)
    const next = record ? record.valueType : objectIn(schema)?.shape[segment]
    if (!next) return undefined
    schema = next as z.ZodType
  }
  const object = objectIn(schema)
  return object ? Object.keys(object.shape) : undefined
}

/** The paths of the options named `key` (any case) anywhere in the schema, e.g. `cassettes.mode` for `mode`. */
function optionPathsNamed(key: string, schema: z.ZodType = optionsSchema, path: readonly string[] = []): string[] {
  const object = objectIn(schema)
  if (!object) return []
  return Object.entries(object.shape).flatMap(([name, inner]) => [
    ...(name.toLowerCase() === key.toLowerCase() ? [[...path, name].join('.')] : []),
    ...optionPathsNamed(key, inner as z.ZodType, [...path, name]),
  ])
}

function recordIn(schema: z.ZodType): z.ZodRecord | undefined {
  if (schema instanceof z.ZodRecord) return schema
  if (schema instanceof z.ZodOptional) return recordIn(schema.unwrap() as z.ZodType)
  return undefined
}

function objectIn(schema: z.ZodType): z.ZodObject | undefined {
  if (schema instanceof z.ZodObject) return schema
  if (schema instanceof z.ZodOptional) return objectIn(schema.unwrap() as z.ZodType)
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as readonly z.ZodType[]) {
      const found = objectIn(option)
      if (found) return found
    }
  }
  return undefined
}
