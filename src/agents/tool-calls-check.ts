// Whether a trace made the expected sequence of tool calls, in one of four modes (as agentevals defines
// trajectory matches): `strict` (same calls, same order), `unordered` (same calls, any order), `subset`
// (no call outside the expected ones), `superset` (every expected call made, extras allowed). Returns the
// rows that align expected and actual calls, for the failure message. Pure and async.
import { pushTo } from '../collections.js'
import { ConfigError } from '../errors/index.js'
import { checkArgs, type ArgsCheck, type ArgsComparator, type ArgsEquals, type ArgsExpectation, type ArgsMode, type ArgsVerdict } from './tool-calls-args.js'
import type { ToolCall } from './types.js'

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
interface Pairs {
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

/** The longest common subsequence of matching pairs, as rows in order (missing / unexpected between matches). */
function strictRows(n: number, m: number, matches: (i: number, j: number) => boolean): CallRow[] {
  const width = m + 1
  const table = new Uint16Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = matches(i, j) ? (table[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0)
    }
  }
  const rows: CallRow[] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && matches(i, j)) rows.push({ expected: i++, actual: j++, status: 'match' })
    else if (j >= m || (i < n && (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))) rows.push({ expected: i++, status: 'missing' })
    else rows.push({ actual: j++, status: 'unexpected' })
  }
  return rows
}

/** A maximum matching of expected to actual calls (augmenting paths), actual calls tried in order. */
function matchAnyOrder(n: number, m: number, candidates: (i: number) => readonly number[]): Int32Array {
  const expectedOf = new Int32Array(m).fill(-1)
  const assign = (i: number, seen: Uint8Array): boolean => {
    for (const j of candidates(i)) {
      if (seen[j]) continue
      seen[j] = 1
      if ((expectedOf[j] ?? -1) < 0 || assign(expectedOf[j] ?? -1, seen)) {
        expectedOf[j] = i
        return true
      }
    }
    return false
  }
  for (let i = 0; i < n; i++) assign(i, new Uint8Array(m))
  return expectedOf
}

function anyOrderRows(mode: ToolCallsMode, n: number, m: number, expectedOf: Int32Array): CallRow[] {
  const rows: CallRow[] = []
  const matchedExpected = new Set(expectedOf)
  for (let j = 0; j < m; j++) {
    const i = expectedOf[j] ?? -1
    rows.push(i >= 0 ? { expected: i, actual: j, status: 'match' } : { actual: j, status: mode === 'superset' ? 'allowed' : 'unexpected' })
  }
  for (let i = 0; i < n; i++) if (!matchedExpected.has(i)) rows.push({ expected: i, status: mode === 'subset' ? 'allowed' : 'missing' })
  return rows
}

/** Why an expected call found no match: the arguments of the same tool's call beside it, or that it was not called. */
function missingReason(name: string, actual: readonly ToolCall[]): string {
  return actual.some((call) => call.name === name) ? `${name} was called, but not with matching arguments here` : `${name} was not called`
}

/** A row that shows an expected call and the actual call made instead, with why they differ. */
function differsRow(i: number, j: number, expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], pairs: Pairs): CallRow {
  const name = (expected[i] as ExpectedToolCall).name
  const called = (actual[j] as ToolCall).name
  const reason = called === name ? (pairs.reason(i, j) ?? 'the arguments differ') : `expected ${name}, called ${called}`
  return { expected: i, actual: j, status: 'differs', reason }
}

/**
 * Strict order: within each run of rows between two matches, an expected call that was not made is shown
 * beside an actual call that was not expected (the same tool first), as one "differs" row.
 */
function pairInOrder(rows: readonly CallRow[], expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], pairs: Pairs): CallRow[] {
  const result: CallRow[] = []
  let run: CallRow[] = []
  const flush = () => {
    const missing = run.filter((row) => row.actual === undefined)
    const extra = run.filter((row) => row.expected === undefined)
    const partnerOf = new Map<CallRow, CallRow>()
    for (const row of missing) {
      const name = (expected[row.expected ?? 0] as ExpectedToolCall).name
      const free = extra.filter((other) => !partnerOf.has(other))
      const partner = free.find((other) => actual[other.actual ?? 0]?.name === name) ?? free[0]
      if (partner) partnerOf.set(partner, row)
    }
    const paired = new Set(partnerOf.values())
    for (const row of run) {
      const partner = partnerOf.get(row)
      if (partner) result.push(differsRow(partner.expected ?? 0, row.actual ?? 0, expected, actual, pairs))
      else if (!paired.has(row)) result.push(row.expected === undefined ? { ...row, reason: 'not expected here' } : { ...row, reason: missingReason((expected[row.expected] as ExpectedToolCall).name, actual) })
    }
    run = []
  }
  for (const row of rows) {
    if (row.status === 'match') {
      flush()
      result.push(row)
    } else run.push(row)
  }
  flush()
  return markOutOfOrder(result, pairs)
}

/** Strict order: an expected call made elsewhere in the sequence says so on both of its rows. */
function markOutOfOrder(rows: CallRow[], pairs: Pairs): CallRow[] {
  const missing = rows.filter((row) => row.status === 'missing')
  const extra = rows.filter((row) => row.status === 'unexpected')
  const used = new Set<CallRow>()
  for (const row of missing) {
    const partner = extra.find((other) => !used.has(other) && pairs.matches(row.expected ?? 0, other.actual ?? 0))
    if (!partner) continue
    used.add(partner)
    row.reason = `out of order: made as call ${(partner.actual ?? 0) + 1}`
    partner.reason = `out of order: expected as call ${(row.expected ?? 0) + 1}`
  }
  return rows
}

/** Any order: an unmatched expected call is shown beside an unmatched call of the same tool, at that call's place. */
function pairByName(rows: readonly CallRow[], expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], pairs: Pairs): CallRow[] {
  const free = rows.filter((row) => row.expected === undefined)
  const partnerOf = new Map<CallRow, number>()
  const paired = new Set<CallRow>()
  for (const row of rows) {
    if (row.actual !== undefined || row.expected === undefined) continue
    const name = (expected[row.expected] as ExpectedToolCall).name
    const partner = free.find((other) => !partnerOf.has(other) && actual[other.actual ?? 0]?.name === name)
    if (!partner) continue
    partnerOf.set(partner, row.expected)
    paired.add(row)
  }
  return rows.flatMap((row): CallRow[] => {
    const partner = partnerOf.get(row)
    if (partner !== undefined) return [differsRow(partner, row.actual ?? 0, expected, actual, pairs)]
    if (paired.has(row)) return []
    if (row.status === 'unexpected') return [{ ...row, reason: 'not expected' }]
    if (row.status === 'missing') return [{ ...row, reason: missingReason((expected[row.expected ?? 0] as ExpectedToolCall).name, actual) }]
    return [row]
  })
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
