import type { MatcherState } from 'vitest'
import { lazyZodSchema } from '../src/lazy-schema.js'
import { checkToolCalls, type ArgsOption, type ExpectedToolCall, type ToolCallsMode, type ToolCallsVerdict } from '../src/agents/tool-calls-check.js'
import { alignedCalls } from '../src/agents/tool-calls-table.js'
import type { ToolCall } from '../src/agents/types.js'
import type { MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { recordScore } from './shared/record-score.js'
import { keepTrace, receivedTrace, shownCalls, shownNote, traceFailureMessage, vitestEquals } from './shared/trace-matching.js'
import { ARGS_MODES, expectedCallsProblems, isArgsExpectation, isArgsRule, isPlainObject, TOOL_CALLS_MODES, toolCallsOptionsProblems } from './shared/tool-call-misuse.js'
import { argsExpectation } from './to-call-tool.js'

/** Options of `toCallTools`. */
export interface ToolCallsOptions {
  /** `strict` (default): same calls, same order; `unordered`: same calls, any order; `subset`: no call outside `expected`; `superset`: every expected call made, extras allowed. */
  mode?: ToolCallsMode
  /** How expected `args` objects compare: `partial` (default), `exact`, `ignore`; a comparator `(actual, expected, call) => boolean`; or either per tool name (`'*'` for the rest). */
  args?: ArgsOption
}

const argsRule = lazyZodSchema((z) => z.union([z.enum(ARGS_MODES), z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'must be a comparator function')]))

export const ToolCallsOptionsSchema = lazyZodSchema((z) =>
  z.strictObject({
    mode: z.enum(TOOL_CALLS_MODES).default('strict'),
    args: z.union([argsRule(), z.record(z.string(), argsRule())]).optional(),
  }),
)

export const ExpectedSchema = lazyZodSchema((z) =>
  z.array(z.union([z.string().min(1), z.strictObject({ name: z.string().min(1), args: argsExpectation().optional() })]), {
    error: 'must be an array of tool names or { name, args? } objects',
  }),
)

/** Per-tool rules as `z.record` takes them unchanged: every own key (zod reads symbol and hidden keys too) a plain name with a rule (zod leaves `__proto__` out). */
function isRuleRecord(args: unknown): boolean {
  if (!isPlainObject(args)) return false
  const keys = Reflect.ownKeys(args)
  return keys.every((key) => typeof key === 'string' && key !== '__proto__' && Object.prototype.propertyIsEnumerable.call(args, key) && isArgsRule(args[key]))
}

/** The expected calls as the schema gives them (unchanged) when they are the usual kind, else undefined (zod checks and explains). */
export function usualExpectedCalls(expected: unknown): (string | ExpectedToolCall)[] | undefined {
  const usual = (item: unknown) =>
    (typeof item === 'string' && item !== '') ||
    (isPlainObject(item) && typeof item['name'] === 'string' && item['name'] !== '' && Reflect.ownKeys(item).every((key) => key === 'name' || key === 'args') && (!('args' in item) || isArgsExpectation(item['args'])))
  if (!Array.isArray(expected)) return undefined
  // By index, not `every`, which skips holes (`['a', , 'b']`): zod refuses a hole and says where it is.
  for (let index = 0; index < expected.length; index++) if (!usual(expected[index])) return undefined
  return expected as (string | ExpectedToolCall)[]
}

/** The options as the schema gives them (mode defaulted) when they are the usual kind, else undefined. */
export function usualToolCallsOptions(options: unknown): { mode: ToolCallsMode; args?: ArgsOption } | undefined {
  if (!isPlainObject(options) || !Object.entries(options).every(([key, value]) => (key === 'mode' || key === 'args') && value !== undefined)) return undefined
  const { mode = 'strict', args } = options
  if (!(TOOL_CALLS_MODES as readonly unknown[]).includes(mode)) return undefined
  if (args !== undefined && !isArgsRule(args) && !isRuleRecord(args)) return undefined
  return { mode: mode as ToolCallsMode, ...(args === undefined ? {} : { args: args as ArgsOption }) }
}

const MODE_MEANING: Record<ToolCallsMode, string> = {
  strict: 'the same calls in the same order',
  unordered: 'the same calls in any order',
  subset: 'no call outside the expected ones',
  superset: 'every expected call, extras allowed',
}

function summary(mode: ToolCallsMode, verdict: ToolCallsVerdict, expected: number, made: number): string {
  const matched = verdict.rows.filter((row) => row.status === 'match').length
  if (mode === 'subset') return `${matched} of the ${made} calls made were expected`
  if (mode === 'superset') return `${matched} of the ${expected} expected calls were made`
  return `${matched} of ${Math.max(expected, made)} calls match${mode === 'strict' ? ' in order' : ''} (${expected} expected, ${made} made)`
}

function names(calls: readonly { name: string }[]): string[] {
  return calls.slice(0, 50).map((call) => call.name)
}

/**
 * Passes when the trace's tool calls match `expected` (names, or `{ name, args }`) in `mode`; the score is
 * the share of calls that matched (metric `tool-calls`). The failure shows both sequences aligned, the
 * first difference marked.
 *
 * @example
 * await expect(testTrace()).toCallTools(['lookup_order', { name: 'issue_refund', args: { amount: 20 } }], { mode: 'strict' })
 * @see docs/agents.md#traces-and-tool-calls
 */
export function toCallTools(this: MatcherState, received: unknown, expected: ReadonlyArray<string | ExpectedToolCall>, options: ToolCallsOptions = {}): Promise<MatcherOutcome> {
  const wanted: ExpectedToolCall[] = parseMatcherOptions('toCallTools', ExpectedSchema, expected, 'expected calls', usualExpectedCalls, expectedCallsProblems).map((item) => (typeof item === 'string' ? { name: item } : item))
  const { mode, args } = parseMatcherOptions('toCallTools', ToolCallsOptionsSchema, options, 'options', usualToolCallsOptions, toolCallsOptionsProblems)
  const equals = vitestEquals(this)
  return receivedTrace('toCallTools', received).then(async (trace) => {
    const actual: readonly ToolCall[] = trace.toolCalls
    const verdict = await checkToolCalls(actual, wanted, { mode, ...(args ? { args: args as ArgsOption } : {}), equals })
    keepTrace(this, trace)
    const first = verdict.rows[verdict.firstDifference]
    const reasons = [summary(mode, verdict, wanted.length, actual.length), ...(first?.reason ? [`first difference (marked >): ${first.reason}`] : [])]
    const record = recordScore(this, {
      metric: 'tool-calls',
      score: verdict.score,
      pass: verdict.pass,
      ...(first?.reason ? { reason: first.reason } : {}),
      details: { mode, expected: names(wanted), actual: names(actual), ...(this.isNot ? { not: true } : {}) },
    })
    return {
      pass: record.pass,
      message: () =>
        traceFailureMessage(this, {
          matcherName: 'toCallTools',
          expectedLabel: 'expected',
          expectation: `to make the expected tool calls (${mode}: ${MODE_MEANING[mode]})`,
          score: record.score,
          reasons,
          block: { label: 'Calls', lines: alignedCalls(verdict.rows.map((row) => (row.reason ? { ...row, reason: shownNote(row.reason) } : row)), wanted, shownCalls(actual), verdict.firstDifference) },
        }),
    }
  })
}
