// One call of a tool wrapped with `recordTool`, inside the cassette session: replayed from the cassette,
// or run and recorded, or a miss, as the mode says, with the same rules as model calls (occurrences per test
// attempt, scrubbing and the secret guard, retries held back, misses that fail the test).
import type { ToolCall } from '../agents/types.js'
import { storedToolArgs } from './stored-request.js'
import type { RedactRule } from './redact.js'
import { CassetteError, CassetteMissError, isLlmEvalsError, SecretLeakError } from '../errors/index.js'
import { nestedTooDeeply } from './cassette-file.js'
import type { ToolError, ToolRecord } from './entry.js'
import type { CassetteMode } from './mode.js'
import { findToolRecordSecrets } from './found-secrets.js'
import { foundSecretRules, hideFoundSecrets } from './secret-scan-sync.js'
import type { SecretFinding } from './secret-scan.js'
import { hideSecrets, hideSecretText, scrubDeep, scrubShown } from './redact.js'
import type { CassetteStore, CommitMode } from './store.js'
import { jsonCopy } from './json-copy.js'
import { jsonProblem, toolValueProblem, type JsonProblem } from './tool-json.js'
import { describeToolCall, storedArgs, toolKey } from './tool-key.js'
import { toolMissMessage } from './tool-miss-message.js'
import type { EarlierRefusal } from './earlier-refusals.js'
import { lostErrorFieldsWarning } from './tool-error-fields.js'
import { replayedThrow, toolErrorOf, toolErrorText } from './tool-thrown.js'
import { decodeToolValue, encodeToolValue } from './tool-value.js'
import { realElapsedNow, realIsoTime } from '../real-clock.js'

/** How many tool results a test attempt (or a run) replayed from the cassette, and recorded into it. */
export interface ToolResultCounts {
  replayed: number
  /** Records kept for the cassette (a refused one is not). */
  recorded: number
}

/** A test attempt's tool calls: occurrences per key, the next call number, the calls made so far, and the counts of the end-of-run line. */
export interface AttemptTools extends ToolResultCounts {
  occurrences: Map<string, number>
  nextCall: number
  calls: { call: ToolCall; done: boolean }[]
}

/** A fresh {@link AttemptTools} for a new test attempt. */
export function newAttemptTools(): AttemptTools {
  return { occurrences: new Map(), nextCall: 0, calls: [], replayed: 0, recorded: 0 }
}

/** The attempt's counts, or `undefined` when it replayed and recorded no tool result. */
export function toolResultCounts(tools: AttemptTools): ToolResultCounts | undefined {
  return tools.replayed || tools.recorded ? { replayed: tools.replayed, recorded: tools.recorded } : undefined
}

/** The finished calls of an attempt, in the order they were made (copies). */
export function finishedToolCalls(tools: AttemptTools | undefined): ToolCall[] {
  return (tools?.calls ?? []).filter((item) => item.done).map((item) => jsonCopy(item.call))
}

/** A call of a wrapped tool: its name, the function, and what it was called with. */
export interface ToolInvocation {
  name: string
  fn: (...args: never[]) => unknown
  thisArg: unknown
  /** Every argument; the first is the tool's arguments (recorded and matched), the others are only passed on. */
  args: readonly unknown[]
}

/** What a tool call needs of the session and of the test attempt that makes it. */
export interface ToolCallHost {
  mode: CassetteMode
  store: CassetteStore
  root: string
  testFile: string
  secrets: readonly { name: string; value: string }[]
  /** The `cassettes.redact` rules: a call is looked up by its arguments as stored (see `storedToolArgs`). */
  redact?: readonly RedactRule[]
  /** The test as named in messages, and as stored (scrubbed). */
  test: string
  storedTest: string
  repeat: number
  /** The Vitest project running the test (absent without `test.projects`). */
  project?: string
  /** Why this call (`key`, `occurrence`) was not recorded, if a recording run refused it (read only when a call misses). */
  refusedBefore?: (key: string, occurrence: number) => EarlierRefusal | undefined
  tools: AttemptTools
  /** The try that makes the call (identity of its pending recordings). */
  token: object
  /** Unfinished recordings of the attempt: the end of the test waits for them. */
  recordings: Set<Promise<void>>
  /** A recording that cannot be stored: fails the test at its end; `call`, for a secret, leaves a mark of it (see `MissReasons.refusedTool`). */
  refuse(error: CassetteError, call?: RefusedToolCall): void
  /** A call with no recording in `replay`: fails the test at its end even when the app swallows the error. */
  miss(message: string, call: string): void
  /** A recording was kept: written at once when the file's tests have ended. */
  recorded(): void
}

/** Runs one tool call as the mode says; resolves with what the tool returned, or rejects with what it threw. */
export async function runToolCall(host: ToolCallHost, invocation: ToolInvocation): Promise<unknown> {
  const { name } = invocation
  const args = invocation.args[0]
  const argsProblem = args === undefined ? undefined : jsonProblem(args, 'args')
  if (argsProblem) throw new CassetteError(notJsonMessage(name, host.test, 'was called with arguments that are not JSON, so the call cannot be matched or recorded', argsProblem))
  // No await before the occurrence is taken: identical calls started together keep their start order.
  // Looked up as stored (redacted): arguments that came back `[REDACTED]` from a replayed answer find their recording.
  const stored = storedToolArgs(args, host.redact ?? [])
  const key = toolKey(name, stored)
  const occurrence = host.tools.occurrences.get(key) ?? 0
  host.tools.occurrences.set(key, occurrence + 1)
  const traced = { call: { name, args: jsonCopy(storedArgs(args)) } as ToolCall, done: false }
  host.tools.calls.push(traced)
  if (host.mode !== 'record') {
    const hit = host.store.tools.find(host.storedTest, host.repeat, key, occurrence)
    if (hit) return replay(host, hit, traced)
    if (host.mode === 'replay') throw missError(host, name, stored, key, occurrence)
  }
  const base = host.mode === 'record' ? 0 : host.store.lastToolCall(host.storedTest, host.repeat) + 1
  const call = Math.max(base, host.tools.nextCall)
  host.tools.nextCall = call + 1
  const startedAt = realElapsedNow()
  let settle = () => undefined as void
  const recording = new Promise<void>((done) => (settle = done))
  host.recordings.add(recording)
  try {
    const result: unknown = await invocation.fn.apply(invocation.thisArg, invocation.args as never[])
    track(host, keep(host, { name, key, occurrence, call, startedAt }, { result }, traced))
    return result
  } catch (thrown) {
    // A miss or refusal of this library inside the tool (a model call it makes) is not what the tool answers.
    if (!isLlmEvalsError(thrown)) {
      warnLostErrorFields(host, name, thrown)
      track(host, keep(host, { name, key, occurrence, call, startedAt }, { error: toolErrorOf(thrown) }, traced))
    }
    throw thrown
  } finally {
    host.recordings.delete(recording)
    settle()
  }
}

function replay(host: ToolCallHost, hit: ToolRecord, traced: { call: ToolCall; done: boolean }): unknown {
  host.store.usedTools.add(hit)
  // A recorded throw is a replayed result too.
  host.tools.replayed++
  traced.done = true
  if (hit.error) {
    traced.call.error = toolErrorText(hit.error)
    throw replayedThrow(hit.error)
  }
  if (hit.result === undefined) return undefined
  try {
    // The trace holds the stored value itself, decoded (nothing changes it: `finishedToolCalls` hands out copies);
    // the app gets a copy each time, so it may change what it gets without changing the next replay or the trace.
    const result = decodeToolValue(hit.result)
    traced.call.result = result
    return jsonCopy(result)
  } catch (error) {
    throw nestedTooDeeply(host.store.file, { test: hit.test, call: hit.call, tool: hit.name }, error)
  }
}

function missError(host: ToolCallHost, name: string, args: unknown, key: string, occurrence: number): CassetteMissError {
  // The arguments may hold a live key, or what looks like one: the message shows them, and is printed. Hidden in
  // the whole texts, before the message cuts them.
  const found = foundSecretRules([name, host.test, host.storedTest, JSON.stringify(args) ?? ''])
  const shown = (text: string) => (found.length ? scrubShown(text, found) : text)
  const shownArgs = scrubDeep(args, [...host.secrets.map(({ value }) => ({ literal: value })), ...found])
  const message = hideFoundSecrets(hideSecrets(
    toolMissMessage({
      mode: host.mode, name: shown(name), args: shownArgs, test: shown(host.test), ...(host.storedTest !== host.test ? { storedTest: shown(host.storedTest) } : {}), repeat: host.repeat, occurrence,
      recordedOccurrences: host.store.tools.recordedCount(host.storedTest, host.repeat, key, occurrence),
      cassetteFile: host.store.file, testFile: host.testFile, root: host.root, records: host.store.tools.all,
      ...(host.project ? { project: host.project } : {}),
      ...refusedBefore(host, key, occurrence),
      secrets: host.secrets,
    }),
    host.secrets,
  ))
  host.miss(message, describeToolCall(name, shownArgs))
  return new CassetteMissError(message)
}

function refusedBefore(host: ToolCallHost, key: string, occurrence: number): { refusedBefore?: EarlierRefusal } {
  const refusal = host.refusedBefore?.(key, occurrence)
  return refusal ? { refusedBefore: refusal } : {}
}

/** A tool call whose recording was refused for a secret: what its mark in the cassette needs (`found`: what the scan found, never stored). */
export interface RefusedToolCall {
  name: string
  key: string
  occurrence: number
  found: readonly SecretFinding[]
}

interface CallFacts {
  name: string
  key: string
  occurrence: number
  call: number
  startedAt: number
}

/** The end of the test waits for `keeping` (the secret scan of a record runs after the tool has answered the app). */
function track(host: ToolCallHost, keeping: Promise<void>): void {
  host.recordings.add(keeping)
  void keeping.finally(() => host.recordings.delete(keeping)).catch(() => undefined)
}

/** Stores what the tool answered; what cannot be stored (not JSON, a live key, a found secret in the test name) is refused and fails the test. */
async function keep(host: ToolCallHost, facts: CallFacts, outcome: { result: unknown } | { error: ToolError }, traced: { call: ToolCall; done: boolean }): Promise<void> {
  traced.done = true
  if ('error' in outcome) traced.call.error = toolErrorText(outcome.error)
  else {
    const problem = outcome.result === undefined ? undefined : toolValueProblem(outcome.result, 'result')
    if (problem) return host.refuse(new CassetteError(notJsonMessage(facts.name, host.test, 'returned a value that is not plain JSON, so it was not recorded', problem)))
    if (outcome.result !== undefined) traced.call.result = jsonCopy(outcome.result)
  }
  // What the call was made with and what the tool answered, as copied when it answered (the trace's copies, shared
  // until scrubbing copies them again): the app, or the tool's cache, may change its own value before the scan ends.
  const record: ToolRecord = {
    test: host.storedTest, repeat: host.repeat, call: facts.call, name: facts.name, key: facts.key, occurrence: facts.occurrence, args: traced.call.args,
    ...('error' in outcome ? outcome : { result: traced.call.result === undefined ? undefined : encodeToolValue(traced.call.result) }), meta: { recordedAt: realIsoTime(), latencyMs: Math.round(realElapsedNow() - facts.startedAt) },
  }
  if ('result' in record && record.result === undefined) delete record.result
  const mode: CommitMode = host.mode === 'record' ? 'merge' : 'append'
  let found: SecretFinding[] = []
  try {
    // What looks like a key (secretlint's rules) is scrubbed from the stored record, as for model recordings.
    found = await findToolRecordSecrets(record)
    host.store.recordTool(record, { attempt: host.token, mode }, found)
    host.tools.recorded++
    host.recorded()
  } catch (error) {
    if (!(error instanceof SecretLeakError)) throw error
    host.refuse(error, { name: facts.name, key: facts.key, occurrence: facts.occurrence, found })
  }
}

function notJsonMessage(name: string, test: string, what: string, problem: JsonProblem): string {
  const rule = problem.path.startsWith('args')
    ? 'Tools recorded with recordTool take plain JSON arguments'
    : 'Tools recorded with recordTool return plain JSON (-0, NaN, Infinity and undefined are kept too), so that a replay gives back what they returned'
  return `Tool "${name}" ${what}: ${problem.path} is ${problem.found} (test "${test}"). ${rule}; ${problem.hint}.`
}

/** Tools (by file) already warned about (see tool-error-fields.ts). */
const warnedErrorFields = new Set<string>()

function warnLostErrorFields(host: ToolCallHost, tool: string, thrown: unknown): void {
  const id = `${host.testFile}\u0000${tool}`
  if (warnedErrorFields.has(id)) return
  const warning = lostErrorFieldsWarning(tool, thrown)
  if (!warning) return
  warnedErrorFields.add(id)
  console.warn(hideSecretText(warning, host.secrets))
}
