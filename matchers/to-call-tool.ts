import type { MatcherState } from 'vitest'
import { lazyZodSchema } from '../src/lazy-schema.js'
import { checkToolCall, describeTimes, type CallTimes } from '../src/agents/tool-call-check.js'
import type { ArgsExpectation, ToolArgs } from '../src/agents/tool-calls-args.js'
import { callList } from '../src/agents/tool-calls-table.js'
import { ConfigError } from '../src/errors/index.js'
import type { MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { recordScore } from './shared/record-score.js'
import { ARGS_EXPECTATION, isArgsExpectation, isCount, isPlainObject, toolCallOptionsProblems, toolNameMisuse } from './shared/tool-call-misuse.js'
import { keepTrace, receivedTrace, shownCalls, shownNote, traceFailureMessage, vitestEquals } from './shared/trace-matching.js'

/** Options of `toCallTool`. */
export interface ToolCallOptions<Args = ToolArgs> {
  /** What the arguments must be: a partial object (deep subset; asymmetric matchers work), a Standard Schema (zod …), or a predicate. */
  args?: ArgsExpectation<Args>
  /** How many calls with matching arguments: exactly `n`, or `{ min?, max? }`. Default: at least one. */
  times?: CallTimes
}

const count = lazyZodSchema((z) => z.int().nonnegative())
/** Any object (a partial match, a schema, an asymmetric matcher) or a function. */
export const argsExpectation = lazyZodSchema((z) =>
  z.custom<ArgsExpectation>(
    (value) => isArgsExpectation(value),
    ARGS_EXPECTATION,
  ),
)

export const ToolCallOptionsSchema = lazyZodSchema((z) =>
  z.strictObject({
    args: argsExpectation().optional(),
    times: z
      .union([count(), z.strictObject({ min: count().optional(), max: count().optional() })])
      .refine((times) => typeof times === 'number' || (times.min ?? 0) <= (times.max ?? Number.POSITIVE_INFINITY), 'min must not exceed max')
      .optional(),
  }),
)

// Keys present with the value undefined go to zod too (it may leave them out of what it gives).
// Every own key, symbols and hidden ones included (zod's copy leaves them out: such options take zod's path).
const onlyKeys = (value: Record<string, unknown>, keys: readonly string[]): boolean => Reflect.ownKeys(value).every((key) => typeof key === 'string' && keys.includes(key) && value[key] !== undefined)

/** The options as the schema gives them (unchanged) when they are the usual kind, else undefined: zod checks and explains them. */
export function usualToolCallOptions(options: unknown): ToolCallOptions | undefined {
  if (!isPlainObject(options) || !onlyKeys(options, ['args', 'times'])) return undefined
  const { args, times } = options
  if (args !== undefined && !isArgsExpectation(args)) return undefined
  if (times === undefined || isCount(times)) return options
  if (!isPlainObject(times) || !onlyKeys(times, ['min', 'max'])) return undefined
  const { min, max } = times
  if ((min !== undefined && !isCount(min)) || (max !== undefined && !isCount(max))) return undefined
  return ((min as number | undefined) ?? 0) <= ((max as number | undefined) ?? Number.POSITIVE_INFINITY) ? options : undefined
}

/**
 * Passes when the trace (anything `traceOf` reads) calls the tool `name` — with arguments matching `args`
 * when given — a number of times within `times` (default: at least once). `.not` forbids the tool.
 * Records the metric `tool-call:<name>` (`no-tool-call:<name>` under `.not`, scored 1 when the tool was not called) and keeps a bounded copy of the trace on `task.meta.trace`.
 *
 * @example
 * await expect(testTrace()).toCallTool('lookup_order', { args: { orderId: '123' }, times: 1 })
 * await expect(testTrace()).not.toCallTool('delete_account')
 * @see docs/agents.md#traces-and-tool-calls
 */
export function toCallTool(this: MatcherState, received: unknown, name: string, options: ToolCallOptions = {}): Promise<MatcherOutcome> {
  const badName = toolNameMisuse(name)
  if (badName !== undefined) throw new ConfigError(badName)
  const { args, times } = parseMatcherOptions('toCallTool', ToolCallOptionsSchema, options, 'options', usualToolCallOptions, toolCallOptionsProblems)
  const equals = vitestEquals(this)
  return receivedTrace('toCallTool', received).then(async (trace) => {
    const verdict = await checkToolCall(trace, { name, ...(args ? { args } : {}), ...(times !== undefined ? { times } : {}) }, equals)
    keepTrace(this, trace)
    const { named, matching, mismatches, range } = verdict
    const howOften = times === undefined ? '' : ` ${describeTimes(range)}`
    const matched = args ? `${matching.length === 0 ? 'none' : matching.length} with matching arguments` : ''
    const reasons =
      named.length === 0
        ? [trace.toolCalls.length === 0 ? 'the trace made no tool calls' : `${name} was never called; the trace called ${[...new Set(trace.toolCalls.map((call) => call.name))].join(', ')}`]
        : [`${name} was called ${named.length === 1 ? 'once' : `${named.length} times`}${matched ? `, ${matched}` : ''}${verdict.pass ? '' : `; expected ${describeTimes(range)}`}`]
    const firstMismatch = [...mismatches.values()][0]
    const notes = new Map(named.map((index) => [index, mismatches.get(index) ?? 'matches']))
    // `.not` forbids the tool: its record is the forbidding check's own verdict (metric `no-tool-call:<name>`),
    // so history and gates count a tool that was rightly never called as a pass, not as a 0.
    const forbidden = this.isNot === true
    const kept = verdict.pass !== forbidden
    const record = recordScore(this, {
      metric: `${forbidden ? 'no-tool-call' : 'tool-call'}:${name}`,
      score: kept ? 1 : 0,
      pass: kept,
      ...(kept ? {} : { reason: forbidden ? reasons[0] : firstMismatch && matching.length === 0 ? firstMismatch : reasons[0] }),
      details: {
        name,
        calls: named.length,
        matching: matching.length,
        times: { min: range.min, max: Number.isFinite(range.max) ? range.max : null },
        ...(forbidden ? { not: true } : {}),
        ...(firstMismatch ? { mismatch: firstMismatch } : {}),
      },
    })
    return {
      pass: verdict.pass,
      message: () =>
        traceFailureMessage(this, {
          matcherName: 'toCallTool',
          expectedLabel: 'name',
          expectation: `to call ${name}${args ? ' with matching arguments' : ''}${howOften}`,
          score: record.score,
          reasons,
          block: { label: 'Calls', lines: callList(shownCalls(trace.toolCalls), new Map([...notes].map(([index, note]) => [index, shownNote(note)]))) },
        }),
    }
  })
}
