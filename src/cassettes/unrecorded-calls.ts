// Calls a recording run sent but did not store (cut off by a timeout, aborted by the app, refused for a secret),
// kept in the cassette beside its recordings: the usage report that also says so is local to the machine that
// recorded, and a replay in CI or a fresh clone must still say why the call misses. Such a mark answers no request,
// and a recording of its call (a later `auto` or `record` run) replaces it.
import { compareEntries, type CassetteEntry, type UnrecordedCall } from './entry.js'
import { REDACTED } from './redact.js'

/** What {@link mergeUnrecorded} needs of an attempt being written. */
export interface AttemptMarks {
  test: string
  repeat: number
  /** `replace`: the attempt was re-recorded as a whole, so what it left unrecorded before is void. */
  mode: 'append' | 'replace' | 'merge'
  /** `ended`: the try passed (every call it made was answered); `held`: it failed (see `PendingAttempt.state`). */
  state: 'running' | 'ended' | 'held'
  unrecorded: readonly UnrecordedCall[]
}

/**
 * The unrecorded calls to write: those on disk, with the attempts' new ones in place of what they supersede (the
 * same call, every call of an attempt that `record` replaced, and what runs before this one, which began at
 * `runStartedAt`, left of an attempt that passed or left marks of its own: its calls were sent again, so an older
 * mark is of a call no longer made, and marks do not pile up when a prompt changes every run), less every call that
 * has a recording now (`entries`: model recordings and `recordTool` records, each with its key).
 *
 * @example
 * mergeUnrecorded(onDisk.unrecorded, attempts, entries, (entry) => entry.key ?? '')
 */
export function mergeUnrecorded<T extends Pick<CassetteEntry, 'test' | 'repeat'>>(onDisk: readonly UnrecordedCall[], attempts: readonly AttemptMarks[], entries: readonly T[], keyOf: (entry: T) => string, project?: string, runStartedAt?: number): UnrecordedCall[] {
  let calls = [...onDisk]
  const earlierRun = (call: UnrecordedCall) => runStartedAt !== undefined && Date.parse(call.at) < runStartedAt
  for (const attempt of attempts) {
    const mine = (call: UnrecordedCall) => call.test === attempt.test && call.repeat === attempt.repeat && call.project === project
    // A call cut off again the same way keeps its mark as it was: the cassette does not change at every run.
    const before = calls
    const marks = dedupe(attempt.unrecorded).map((call) => before.find((old) => sameMark(old, call)) ?? call)
    if (attempt.mode === 'replace') calls = calls.filter((call) => !mine(call))
    else if (attempt.state === 'ended' || attempt.unrecorded.length > 0) calls = calls.filter((call) => !mine(call) || !earlierRun(call))
    const fresh = new Set(marks.map(callId))
    calls = [...calls.filter((call) => !fresh.has(callId(call))), ...marks]
  }
  const recorded = new Map<string, number>()
  for (const entry of entries) {
    const id = `${entry.repeat}\u0000${entry.test}\u0000${keyOf(entry)}`
    recorded.set(id, (recorded.get(id) ?? 0) + 1)
  }
  // Any project's recording of the call answers it: the mark no longer explains a miss.
  return calls.filter((call) => (recorded.get(`${call.repeat}\u0000${call.test}\u0000${call.key}`) ?? 0) <= call.occurrence).sort(compareUnrecorded)
}

/**
 * The unrecorded call that explains a miss of the `occurrence`-th call to `key` in a test attempt: that very call,
 * else another occurrence of it; this project's first (see `CassetteEntry.project`).
 */
export function findUnrecorded(calls: readonly UnrecordedCall[], test: string, repeat: number, key: string, occurrence: number, project?: string): UnrecordedCall | undefined {
  const same = calls.filter((call) => call.repeat === repeat && call.key === key && (call.test === test || isRedactedName(call.test, test)))
  const ranked = [...same].sort((a, b) => rank(a) - rank(b))
  return ranked[0]

  function rank(call: UnrecordedCall): number {
    return (call.occurrence === occurrence ? 0 : 2) + (call.project === project ? 0 : 1)
  }
}

/**
 * `test` with each of `secrets` in it replaced by `[REDACTED]`: how a mark keeps the name of a test whose name holds a
 * secret (its recordings were refused for it), so the mark holds none.
 *
 * @example
 * redactedName('answers for token s3cr3t-value', ['s3cr3t-value']) // 'answers for token [REDACTED]'
 */
export function redactedName(test: string, secrets: readonly string[]): string {
  return secrets.filter((value) => value.length > 0).reduce((name, value) => name.replaceAll(value, REDACTED), test)
}

/**
 * True when `marked`, a test's name as a mark keeps it (see {@link redactedName}), names `test`: each `[REDACTED]` in it
 * stands for a secret the name held and matches any text there.
 *
 * @example
 * isRedactedName('answers for token [REDACTED]', 'answers for token s3cr3t-value') // true
 */
export function isRedactedName(marked: string, test: string): boolean {
  const parts = marked.split(REDACTED)
  const first = parts[0] ?? ''
  const last = parts.at(-1) ?? ''
  if (parts.length < 2 || !test.startsWith(first) || !test.endsWith(last)) return false
  // Leftmost matches, each `[REDACTED]` at least one character: linear in the name, whatever a cassette holds.
  let at = first.length
  for (const part of parts.slice(1, -1)) {
    const found = test.indexOf(part, at + 1)
    if (found === -1) return false
    at = found + part.length
  }
  return test.length - last.length >= at + 1
}

/** The same call, cut off the same way (when aside). */
function sameMark(a: UnrecordedCall, b: UnrecordedCall): boolean {
  return callId(a) === callId(b) && a.reason === b.reason && a.detail === b.detail && a.method === b.method && a.path === b.path && a.mode === b.mode
}

function callId(call: UnrecordedCall): string {
  return `${call.repeat}\u0000${call.test}\u0000${call.key}\u0000${call.occurrence}\u0000${call.project ?? ''}`
}

/** The last mark of each call (a call cut off when its test ended, then aborted, is told by how it ended last). */
function dedupe(calls: readonly UnrecordedCall[]): UnrecordedCall[] {
  return [...new Map(calls.map((call) => [callId(call), call])).values()]
}

function compareUnrecorded(a: UnrecordedCall, b: UnrecordedCall): number {
  return compareEntries({ ...a, call: a.occurrence }, { ...b, call: b.occurrence }) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || ((a.project ?? '') < (b.project ?? '') ? -1 : (a.project ?? '') > (b.project ?? '') ? 1 : 0)
}
