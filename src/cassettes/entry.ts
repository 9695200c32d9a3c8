import type { CanonicalRequest } from './canonical.js'
import { requestModel } from './request-model.js'

/** Who made a call: the app under test, a judge grading it, or a model playing the user (`simulateConversation`). */
export type CallRole = 'app' | 'judge' | 'simulator'

/** Token counts reported by the provider, when the response had them. */
export interface TokenUsage {
  inputTokens?: number
  outputTokens?: number
}

/** One model call of a test as the reporter sees it (`task.meta.cassette.calls`). */
export interface CallUsage {
  role: CallRole
  /**
   * `replayed` from the cassette, `recorded` (sent to the API and saved), or `live`: sent to the API by a try that
   * failed and that Vitest retried, its recording dropped for the retry's (still spent: tokens and cost count).
   */
  source: 'replayed' | 'recorded' | 'live'
  model?: string
  inputTokens?: number
  outputTokens?: number
  /** The latency of the real call, also when replayed (from the recording). */
  latencyMs?: number
  /** The Vitest attempt that made the call. */
  attempt?: { repeat: number; retry: number }
}

/**
 * One message of an AWS event stream (Bedrock's streamed replies), stored readable and framed again on replay.
 * Header values are strings, or `{ type, value }` for the other wire types (long and timestamp as decimal
 * text, binary and uuid as base64). The payload is exactly one of `json`, `text` or `base64`.
 */
export interface StoredEvent {
  headers: Record<string, string | { type: string; value: string | number | boolean }>
  json?: unknown
  text?: string
  base64?: string
  /** `json.bytes` holds the JSON that the payload's base64 `bytes` field encodes (an `InvokeModelWithResponseStream` chunk). */
  bytesJson?: true
}

/**
 * A stored response: exactly one of `json`, `text`, `chunks` (SSE, as received), `events` (an AWS event stream,
 * decoded) or `file` (sidecar).
 */
export interface StoredResponse {
  status: number
  statusText?: string
  headers: Record<string, string>
  json?: unknown
  text?: string
  chunks?: string[]
  /** The app aborted the request before the stream ended: `chunks` is what had arrived, and a replay errors after them as the stream did. */
  aborted?: true
  /** The messages of an `application/vnd.amazon.eventstream` body, one replayed chunk each (see {@link StoredEvent}). */
  events?: StoredEvent[]
  /** Sidecar file (relative to the cassette's sidecar folder) holding a large or binary body. */
  file?: string
}

/** One recorded exchange: the request as stored (redacted), its lookup key, and the response. */
export interface CassetteEntry {
  /** Full name of the test that made the call (`suite > test`), or `(file)` outside any test. */
  test: string
  /**
   * The Vitest project that recorded it (absent without `test.projects`). A project replays its own recording of
   * a call first, else another project's (projects share what only one recorded); `record` re-records only its own.
   */
  project?: string
  /** Vitest `repeats` index (0 for the first run). */
  repeat: number
  /** Position of this call among the test's calls, in request start order. */
  call: number
  role: CallRole
  /**
   * The lookup key: the key of the request as stored (see `storedRequest`), as the recording run computed it; cassettes
   * recorded by 0.1 hold the live request's key. The stored request's key is recomputed on load too.
   */
  key?: string
  request: CanonicalRequest & { url: string }
  response: StoredResponse
  meta: { recordedAt: string; latencyMs: number; usage?: TokenUsage }
}

/**
 * What a recorded tool threw: an `Error` is replayed as an `Error` with the same `name`, `message` and `code`; a
 * thrown value that is not an `Error` but plain data (a plain object, a string, a number) is kept once, as `value`,
 * and replayed as itself.
 */
export type ToolError = ThrownError | ThrownValue

/** A thrown `Error`, or a thrown value a recording cannot keep (not plain data): what a replay throws an `Error` with. */
export interface ThrownError {
  name: string
  /** The error's message; for a thrown value, its text (`Error: <message>` is what traces show). */
  message: string
  /** The error's `code` (e.g. `ENOENT`, `P2025`), when it had a string or number one. */
  code?: string | number
  /** Only in cassettes written before `ThrownValue`: the thrown value beside its text (a replay throws it). */
  value?: unknown
}

/** A thrown value that is not an `Error` but plain data: stored once, as a result is (see `encodeToolValue`); a replay throws (a copy of) it. */
export interface ThrownValue {
  value: unknown
  name?: undefined
}

/**
 * One recorded call of a tool wrapped with `recordTool`: which test attempt made it, the tool and its
 * arguments (canonical JSON, keys sorted), and what it returned (`result`, exactly as returned, key order
 * kept) or threw (`error`). Neither: the tool returned `undefined`.
 */
export interface ToolRecord {
  /** Full name of the test that made the call (`suite > test`), or `(file)` outside any test. */
  test: string
  /** The Vitest project that recorded it (see `CassetteEntry.project`). */
  project?: string
  repeat: number
  /** Position of this call among the test attempt's tool calls, in start order. */
  call: number
  name: string
  /** The lookup key: a hash of the tool's name and its arguments as stored, canonical (see `toolKey`, `storedToolArgs`; 0.1 hashed the live arguments). */
  key: string
  /** Which call of this tool with these arguments in the test attempt it is (0 for the first). */
  occurrence: number
  /** The first argument the tool was called with, as stored (redacted, keys sorted); `null` when there was none. */
  args: unknown
  result?: unknown
  error?: ToolError
  meta: { recordedAt: string; latencyMs: number }
}

/**
 * Why a model call of the recording run was never stored: `test-timeout` (the test's time ran out: its signal
 * aborted the call), `app-abort` (the app aborted it with its own signal), `test-ended` (still unanswered when its
 * test ended: not awaited, or the test timed out ignoring the signal), `refused` (it would have stored a secret).
 */
export type UnrecordedReason = 'test-timeout' | 'app-abort' | 'test-ended' | 'refused'

/**
 * A model call the recording run sent but did not store, kept so that a replay anywhere (CI, a fresh clone) can say
 * why it misses. It holds no request body and no response: it never answers a request, and a later recording of
 * the call replaces it.
 */
export interface UnrecordedCall {
  test: string
  project?: string
  repeat: number
  /** The lookup key of the request (of its stored form, see `storedRequest`; a hash: no request content). */
  key: string
  /** Which call with this key in the test attempt it was (0 for the first). */
  occurrence: number
  method: string
  path: string
  reason: UnrecordedReason
  /** For `app-abort`, the abort reason's name (`TimeoutError`, `AbortError`); for `refused`, what was refused (it names the variable or rule, never the value). */
  detail?: string
  /** When, and in which cassette mode, the call was sent. */
  at: string
  mode: string
}

/**
 * The JSON document of one cassette file. `tools` is absent in cassettes without tool recordings, `unrecorded` in
 * cassettes whose recording runs stored every call they sent.
 */
export interface CassetteDocument {
  version: 1
  entries: CassetteEntry[]
  tools?: ToolRecord[]
  unrecorded?: UnrecordedCall[]
}

/** The usage of an entry's call, for the reporter. */
export function callUsage(entry: Pick<CassetteEntry, 'role' | 'request' | 'meta'>, source: CallUsage['source']): CallUsage {
  const model = requestModel(entry.request)
  return { role: entry.role, source, ...(model ? { model } : {}), ...entry.meta.usage, latencyMs: entry.meta.latencyMs }
}

/** The name used for calls made outside any test (module top level, `beforeAll`). */
export const FILE_LEVEL_TEST = '(file)'

/** Orders entries (or tool records) stably: by test, repeat, then call order. */
export function compareEntries(a: Pick<CassetteEntry, 'test' | 'repeat' | 'call'>, b: Pick<CassetteEntry, 'test' | 'repeat' | 'call'>): number {
  if (a.test !== b.test) return a.test < b.test ? -1 : 1
  if (a.repeat !== b.repeat) return a.repeat - b.repeat
  return a.call - b.call
}

/** Identifies a test attempt's slot in the cassette. */
export function attemptId(test: string, repeat: number): string {
  return `${repeat}\u0000${test}`
}
