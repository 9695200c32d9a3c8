import type { CanonicalRequest } from './canonical.js'

/** Who made a call: the app under test, or a judge grading it. */
export type CallRole = 'app' | 'judge'

/** Token counts reported by the provider, when the response had them. */
export interface TokenUsage {
  inputTokens?: number
  outputTokens?: number
}

/** A stored response: exactly one of `json`, `text`, `chunks` (SSE, as received) or `file` (sidecar). */
export interface StoredResponse {
  status: number
  statusText?: string
  headers: Record<string, string>
  json?: unknown
  text?: string
  chunks?: string[]
  /** Sidecar file (relative to the cassette's sidecar folder) holding a large or binary body. */
  file?: string
}

/** One recorded exchange. `request` is stored whole; its key is recomputed on load. */
export interface CassetteEntry {
  /** Full name of the test that made the call (`suite > test`), or `(file)` outside any test. */
  test: string
  /** Vitest `repeats` index (0 for the first run). */
  repeat: number
  /** Position of this call among the test's calls, in request start order. */
  call: number
  role: CallRole
  request: CanonicalRequest & { url: string }
  response: StoredResponse
  meta: { recordedAt: string; latencyMs: number; usage?: TokenUsage }
}

/** The JSON document of one cassette file. */
export interface CassetteDocument {
  version: 1
  entries: CassetteEntry[]
}

/** The name used for calls made outside any test (module top level, `beforeAll`). */
export const FILE_LEVEL_TEST = '(file)'

/** Orders entries stably: by test, repeat, then call order. */
export function compareEntries(a: CassetteEntry, b: CassetteEntry): number {
  if (a.test !== b.test) return a.test < b.test ? -1 : 1
  if (a.repeat !== b.repeat) return a.repeat - b.repeat
  return a.call - b.call
}

/** Identifies a test attempt's slot in the cassette. */
export function attemptId(test: string, repeat: number): string {
  return `${repeat}\u0000${test}`
}
