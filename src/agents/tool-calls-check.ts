// Whether a trace made the expected sequence of tool calls, in one of four modes (as agentevals defines
// trajectory matches): `strict` (same calls, same order), `unordered` (same calls, any order), `subset`
// (no call outside the expected ones), `superset` (every expected call made, extras allowed). Returns the
// rows that align expected and actual calls, for the failure message. Pure and async.
import { pushTo } from '../collections.js'
import { ConfigError } from '../errors/index.js'
import { checkArgs, type ArgsCheck, type ArgsComparator, type ArgsEquals, type ArgsExpectation, type ArgsMode, type ArgsVerdict } from './tool-calls-args.js'
import type { ToolCall } from './types.js'
import { anyOrderRows, matchAnyOrder, pairByName, pairInOrder, strictRows } from './tool-calls-align.js'

/** How expected and actual calls are compared (see the file comment). */
export type ToolCallsMode = 'strict' | 'unordered' | 'subset' | 'superset'

/** One expected call: a tool name, and optionally what its arguments must be. */
export interface ExpectedToolCall {
  name: string
  args?: ArgsExpectation
}

/**
 * How expected arguments compare: one mode for every tool, one comparator for every call, or per tool
 * name a mode or comparator (`'*'` sets the default for tools not listed; otherwise `partial`).
 */
export type ArgsOption = ArgsMode | ArgsComparator | { readonly [tool: string]: ArgsMode | ArgsComparator }

/** What a row of the alignment says: matched, or how it fails (`allowed` rows are extras the mode permits). */
export type CallRowStatus = 'match' | 'differs' | 'missing' | 'unexpected' | 'allowed'

/** One row of the alignment: an expected call, an actual call, or both. */
export interface CallRow {
  expected?: number
  actual?: number
  status: CallRowStatus
  reason?: string
}

/** The verdict on a whole sequence. */
export interface ToolCallsVerdict {
  pass: boolean
  /** 0..1: the share of calls the mode counts that matched (see {@link checkToolCalls}). */
  score: number
  rows: CallRow[]
  /** The first failing row, or -1. */
  firstDifference: number
}

/** Most calls compared on either side, and most argument checks, so no trace can stall a worker. */
export const MAX_COMPARED_CALLS = 2000
export const MAX_ARGS_CHECKS = 250_000

function argsCheckFor(name: string, option: ArgsOption | undefined, equals: ArgsEquals | undefined): ArgsCheck {
  const chosen = typeof option === 'object' ? (option[name] ?? option['*']) : option
  const base: ArgsCheck = equals ? { equals } : {}
  if (typeof chosen === 'function') return { ...base, comparator: chosen }
  return chosen ? { ...base, mode: chosen } : base
}

/** Which (expected i, actual j) pairs match, and why a same-name pair does not. */
export interface Pairs {
  matches(i: number, j: number): boolean
  reason(i: number, j: number): string | undefined
  /** The actual calls expected call `i` matches, in order. */
  candidates(i: number): readonly number[]
}

/**
 * Checks every (expected, actual) pair of the same tool whose arguments need checking; a pair whose
 * expected call has no `args` (or whose tool's mode is `ignore`) matches by name alone, unchecked.
 */
async function checkPairs(expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], option: ArgsOption | undefined, equals: ArgsEquals | undefined): Promise<Pairs> {
  const m = actual.length
  const byName = new Map<string, number[]>()
  for (const [j, call] of actual.entries()) pushTo(byName, call.name, j)
  const checks = expected.reduce((sum, call) => sum + (call.args === undefined ? 0 : (byName.get(call.name)?.length ?? 0)), 0)
  if (checks > MAX_ARGS_CHECKS || expected.length > MAX_COMPARED_CALLS || m > MAX_COMPARED_CALLS) {
    throw new ConfigError(
      `toCallTools() would compare ${expected.length} expected with ${m} actual tool calls (${checks} argument checks; at most ${MAX_COMPARED_CALLS} calls a side and ${MAX_ARGS_CHECKS} checks). Compare a slice of the trace, e.g. traceOf(trace.toolCalls.slice(0, 100)).`,
    )
  }
  const verdicts = new Map<number, ArgsVerdict>()
  const byNameOnly = new Set<number>()
  const candidates: (readonly number[])[] = []
  for (const [i, call] of expected.entries()) {
    const named = byName.get(call.name) ?? []
    const check = argsCheckFor(call.name, option, equals)
    if (call.args === undefined || check.mode === 'ignore') {
      byNameOnly.add(i)
      candidates.push(named)
      continue
    }
    const matching: number[] = []
    for (const j of named) {
      const verdict = await checkArgs(actual[j] as ToolCall, call.args, check)
      verdicts.set(i * m + j, verdict)
      if (verdict.pass) matching.push(j)
    }
    candidates.push(matching)
  }
  return {
    matches: (i, j) => {
      const verdict = verdicts.get(i * m + j)
      return verdict ? verdict.pass : byNameOnly.has(i) && expected[i]?.name === actual[j]?.name
    },
    reason: (i, j) => verdicts.get(i * m + j)?.reason,
    candidates: (i) => candidates[i] ?? [],
  }
}

/**
 * Compares the actual calls with the expected ones in `mode`; the score is the share that matched: of
 * the longer list (`strict`: the longest in-order match; `unordered`), of the actual calls (`subset`),
 * of the expected calls (`superset`). Passes at score 1.
 *
 * @example
 * await checkToolCalls(trace.toolCalls, [{ name: 'lookup_order', args: { orderId: '123' } }, { name: 'issue_refund' }], { mode: 'strict' })
 */
export async function checkToolCalls(
  actual: readonly ToolCall[],
  expected: readonly ExpectedToolCall[],
  options: { mode: ToolCallsMode; args?: ArgsOption; equals?: ArgsEquals },
): Promise<ToolCallsVerdict> {
  const { mode } = options
  const n = expected.length
  const m = actual.length
  const pairs = await checkPairs(expected, actual, options.args, options.equals)
  let rows: CallRow[]
  let matched: number
  if (mode === 'strict') {
    rows = strictRows(n, m, pairs.matches)
    matched = rows.filter((row) => row.status === 'match').length
    rows = pairInOrder(rows, expected, actual, pairs)
  } else {
    const expectedOf = matchAnyOrder(n, m, pairs.candidates)
    matched = expectedOf.filter((i) => i >= 0).length
    rows = pairByName(anyOrderRows(mode, n, m, expectedOf), expected, actual, pairs)
  }
  const total = mode === 'subset' ? m : mode === 'superset' ? n : Math.max(n, m)
  const score = total === 0 ? 1 : matched / total
  return { pass: score === 1, score, rows, firstDifference: rows.findIndex((row) => row.status !== 'match' && row.status !== 'allowed') }
}
