// The rows that align expected and actual tool calls, for `toCallTools`' verdict and failure message:
// in order (a longest common subsequence, the rest paired up within each gap) or in any order (a maximum
// matching, the rest paired up by tool). Pure.
import type { CallRow, ExpectedToolCall, Pairs, ToolCallsMode } from './tool-calls-check.js'
import type { ToolCall } from './types.js'

/** The longest common subsequence of matching pairs, as rows in order (missing / unexpected between matches). */
export function strictRows(n: number, m: number, matches: (i: number, j: number) => boolean): CallRow[] {
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
export function matchAnyOrder(n: number, m: number, candidates: (i: number) => readonly number[]): Int32Array {
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

/** Any order: matched pairs at the actual call's place, then the expected calls left over (`allowed` where the mode permits). */
export function anyOrderRows(mode: ToolCallsMode, n: number, m: number, expectedOf: Int32Array): CallRow[] {
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
export function pairInOrder(rows: readonly CallRow[], expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], pairs: Pairs): CallRow[] {
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
export function pairByName(rows: readonly CallRow[], expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], pairs: Pairs): CallRow[] {
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
