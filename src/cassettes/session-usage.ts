// What a test file's cassette session did: per test attempt (the reporter's counts) and per file (the usage report).
import type { CallUsage, CassetteEntry, ToolRecord } from './entry.js'
import type { ToolResultCounts } from './tool-session.js'

/** What a test attempt did with the cassette. */
export interface AttemptCounts {
  replayed: number
  recorded: number
  calls: CallUsage[]
  /** Results of tools wrapped with `recordTool` (absent when there were none). */
  toolResults?: ToolResultCounts
}

/** What a run did with the current test file's cassette (see \`CassetteSession.usage\`). */
export interface CassetteUsage {
  /** Entries this run replayed or recorded (and wrote). */
  used: readonly CassetteEntry[]
  /** Entries in the cassette now. */
  total: number
  /** Entries this run wrote to the cassette. */
  written: number
  /** Recordings refused: they would have written a live secret, or a tool returned what is not JSON. */
  refused: { test: string; message: string }[]
  /** Tool records this run replayed or recorded (and wrote). */
  usedTools: readonly ToolRecord[]
  /** Tool records in the cassette now. */
  toolTotal: number
  /** Tool records this run wrote to the cassette. */
  toolsWritten: number
  /** Model calls this run sent live and tool calls it ran whose recordings another process had stored first (see `CassetteStore.alreadyRecorded`). */
  alreadyRecorded: { entries: number; tools: number }
  /** Model calls sent live and tool calls run by failed tries that Vitest retried: their recordings were dropped for the retry's (see `CassetteStore.discardedOnRetry`). */
  discardedOnRetry: { entries: number; tools: number }
  /** Model calls replayed outside tests (module top level, `beforeAll`): no test counts them. */
  replayedOutsideTests: number
  /** Recordings `auto` made again in place of ones whose sidecar file was missing or damaged (see `CassetteStore.restoredSidecars`). */
  restoredSidecars?: number
}
