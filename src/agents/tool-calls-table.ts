// Tool call sequences as failure messages show them: expected and actual calls side by side, the first
// difference marked with `>`, each failing row with its reason; long traces cut to a window around the
// first difference. Pure text.
import { previewValue } from './tool-calls-args.js'
import type { CallRow, ExpectedToolCall } from './tool-calls-check.js'
import type { ToolCall } from './types.js'

/** Most rows shown; the window starts a few rows before the first difference. */
export const MAX_TABLE_ROWS = 20
const CONTEXT_ROWS = 5
const LABEL_WIDTH = 44
const LIST_LABEL_WIDTH = 64
const REASON_WIDTH = 90

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text
}

/** `name {args}` on one line (no args shown when there are none or none are expected; text that is not JSON shown as is). */
export function callLabel(name: string, args: unknown, limit = LABEL_WIDTH, raw = false): string {
  const empty = args === undefined || (typeof args === 'object' && args !== null && !Array.isArray(args) && Object.keys(args).length === 0)
  const shown = raw && typeof args === 'string' ? args.replace(/\s+/g, ' ') : previewValue(args, limit)
  return cut(empty ? name : `${name} ${shown}`, limit)
}

function actualLabel(call: ToolCall, limit: number): string {
  return callLabel(call.name, call.args, limit, call.argsError !== undefined)
}

/** The rows to show of `count`, around `focus`: [start, end). */
function window(count: number, focus: number): [number, number] {
  if (count <= MAX_TABLE_ROWS) return [0, count]
  const start = Math.min(Math.max(0, focus - CONTEXT_ROWS), count - MAX_TABLE_ROWS)
  return [start, start + MAX_TABLE_ROWS]
}

function framed(lines: string[], start: number, end: number, count: number, unit: string): string[] {
  return [...(start > 0 ? [`  … ${start} ${unit} before`] : []), ...lines, ...(end < count ? [`  … ${count - end} more ${unit}`] : [])]
}

/**
 * Expected and actual calls aligned row by row (`—` where a side has none), the first difference marked.
 *
 * @example
 * alignedCalls(verdict.rows, expected, trace.toolCalls, verdict.firstDifference).join('\n')
 */
export function alignedCalls(rows: readonly CallRow[], expected: readonly ExpectedToolCall[], actual: readonly ToolCall[], firstDifference: number): string[] {
  const [start, end] = window(rows.length, Math.max(0, firstDifference))
  const cells = rows.slice(start, end).map((row) => {
    const want = row.expected === undefined ? '—' : `${row.expected + 1} ${callLabel((expected[row.expected] as ExpectedToolCall).name, expected[row.expected]?.args)}`
    const call = row.actual === undefined ? undefined : actual[row.actual]
    const got = call === undefined ? '—' : `${(row.actual ?? 0) + 1} ${actualLabel(call, LABEL_WIDTH)}`
    const note = row.status === 'allowed' ? (row.expected === undefined ? 'extra, allowed' : 'not called, allowed') : (row.reason ?? '')
    return { want, got, note }
  })
  const width = Math.max('expected'.length, ...cells.map((cell) => cell.want.length))
  const gotWidth = Math.max('actual'.length, ...cells.map((cell) => cell.got.length))
  const lines = cells.map(({ want, got, note }, index) => {
    const marker = start + index === firstDifference ? '>' : ' '
    return `${marker} ${want.padEnd(width)}  ${note ? `${got.padEnd(gotWidth)}  ${cut(note, REASON_WIDTH)}` : got}`.trimEnd()
  })
  return [`  ${'expected'.padEnd(width)}  actual`, ...framed(lines, start, end, rows.length, 'rows')]
}

/**
 * The trace's calls, numbered, with a note on each that `notes` has (the calls of the tool asserted on),
 * those marked with `>`.
 *
 * @example
 * callList(trace.toolCalls, new Map([[1, 'args.orderId: expected "123", received "124"']]))
 */
export function callList(calls: readonly ToolCall[], notes: ReadonlyMap<number, string>): string[] {
  if (calls.length === 0) return ['  (no tool calls)']
  const first = [...notes.keys()].sort((a, b) => a - b)[0] ?? 0
  const [start, end] = window(calls.length, first)
  const labels = calls.slice(start, end).map((call, index) => `${start + index + 1} ${actualLabel(call, LIST_LABEL_WIDTH)}`)
  const width = Math.max(...labels.map((label) => label.length))
  const lines = labels.map((label, index) => {
    const note = notes.get(start + index)
    return note === undefined ? `  ${label}` : `> ${label.padEnd(width)}  ${cut(note, REASON_WIDTH)}`
  })
  return framed(lines, start, end, calls.length, 'calls')
}
