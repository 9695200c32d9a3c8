// Whether a trace called one tool (with matching arguments, a number of times): what `toCallTool`
// scores. Pure and async (a schema or predicate may be async).
import { checkArgs, type ArgsEquals, type ArgsExpectation } from './tool-calls-args.js'
import type { ToolCall, Trace } from './types.js'

/** How many matching calls are expected: exactly `n`, or a range (default: at least one). */
export type CallTimes = number | { min?: number; max?: number }

/** What `toCallTool` expects of one tool. */
export interface ToolCallExpectation {
  name: string
  args?: ArgsExpectation
  times?: CallTimes
}

/** The verdict on one tool: which calls had its name, which of them matched, and why the others did not. */
export interface ToolCallVerdict {
  pass: boolean
  /** Indexes (in `trace.toolCalls`) of the calls with the tool's name. */
  named: number[]
  /** Indexes of the named calls whose arguments matched. */
  matching: number[]
  /** Why each other named call did not match, by index. */
  mismatches: Map<number, string>
  range: { min: number; max: number }
}

/** The allowed number of matching calls. */
export function timesRange(times: CallTimes | undefined): { min: number; max: number } {
  if (times === undefined) return { min: 1, max: Number.POSITIVE_INFINITY }
  if (typeof times === 'number') return { min: times, max: times }
  return { min: times.min ?? 0, max: times.max ?? Number.POSITIVE_INFINITY }
}

/** "at least once", "exactly 2 times", "between 1 and 3 times", "at most 2 times". */
export function describeTimes(range: { min: number; max: number }): string {
  const count = (n: number) => (n === 1 ? 'once' : `${n} times`)
  if (range.min === range.max) return `exactly ${count(range.min)}`
  if (range.max === Number.POSITIVE_INFINITY) return `at least ${count(range.min)}`
  if (range.min === 0) return `at most ${count(range.max)}`
  return `between ${range.min} and ${range.max} times`
}

/**
 * Checks that `trace` called `expectation.name` (with arguments matching `args`) a number of times within
 * `times` (default: at least once).
 *
 * @example
 * const verdict = await checkToolCall(trace, { name: 'lookup_order', args: { orderId: '123' }, times: 1 })
 */
export async function checkToolCall(trace: Pick<Trace, 'toolCalls'>, expectation: ToolCallExpectation, equals?: ArgsEquals): Promise<ToolCallVerdict> {
  const range = timesRange(expectation.times)
  const named: number[] = []
  const matching: number[] = []
  const mismatches = new Map<number, string>()
  for (const [index, call] of trace.toolCalls.entries() as IterableIterator<[number, ToolCall]>) {
    if (call.name !== expectation.name) continue
    named.push(index)
    const verdict = await checkArgs(call, expectation.args, equals ? { equals } : {})
    if (verdict.pass) matching.push(index)
    else mismatches.set(index, verdict.reason ?? 'the arguments differ')
  }
  return { pass: matching.length >= range.min && matching.length <= range.max, named, matching, mismatches, range }
}
