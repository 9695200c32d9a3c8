// What one run of a test file did with its cassette. The worker puts it on the file task's meta, so it
// travels with the run's results (also in blob reports to `vitest --merge-reports`); the reporter writes it
// to the usage folder, and `llm-evals cassettes check|prune` read it there. Light on purpose: no I/O.
import { nodeCrypto } from '../node-crypto.js'
import type { UnrecordedReason } from './entry.js'

/** The key of the report on the file task's meta (`file.meta.llmEvalsCassette`). */
export const USAGE_META_KEY = 'llmEvalsCassette'

/** Some test names and how many there are in all. */
export interface TestNames {
  count: number
  /** The first few names (`suite > test`). */
  names: string[]
}

/** A recording slot of a cassette: which test attempt, which of its calls. */
export interface RecordingSlot {
  test: string
  repeat: number
  call: number
}

/** What one run of a test file did with its cassette; `llm-evals cassettes check|prune` read these. */
export interface CassetteUsageReport {
  /** The cassette, relative to the project root. */
  cassette: string
  /** The test file, relative to the project root. */
  testFile: string
  mode: string
  at: string
  /**
   * When the Vitest run began (ISO time, the real clock). A recording dated from then on that this run did not use was
   * made by another process during or after it (a parallel `record` run): `prune` keeps it. Absent: an older version.
   */
  startedAt?: string
  /** Every test of the file ran (no `-t`, `.only`, `.skip`, no test skipped at run time or by a failed hook). */
  complete: boolean
  /** Every test that ran passed, no request missed its recording, and no recording was refused. */
  successful?: boolean
  notRun?: TestNames
  failed?: TestNames
  /** Entries in the cassette at the end of the run. */
  total: number
  /** Entries and tool records this run stored in the cassette. */
  written?: number
  /**
   * Model calls this run sent live (`entries`) and tool calls it ran (`tools`) that it did not store: another
   * process sharing the cassette (a project, a parallel run) had stored the same exchange first. Absent: none.
   */
  alreadyRecorded?: { entries: number; tools: number }
  /**
   * Model calls this run sent live (`entries`) and tool calls it ran (`tools`) in a try that failed and that Vitest
   * retried: that try's recordings were dropped and the retry's stored instead. Absent: none.
   */
  discardedOnRetry?: { entries: number; tools: number }
  /** Model calls replayed outside tests (module top level, `beforeAll`, `afterAll`), which no test counts. Absent: none. */
  replayedOutsideTests?: number
  /** Recordings `auto` made again in place of ones whose sidecar file was missing or damaged. Absent: none. */
  restoredSidecars?: number
  /**
   * Model calls sent live but never stored: aborted (a describeEval timeout cancels its task's signal), or still
   * unanswered when their test ended. A later miss of the same request says why, and that recording again needs
   * a longer timeout. Absent: none.
   */
  unfinished?: { test: string; key: string; method: string; url: string; project?: string; reason?: Exclude<UnrecordedReason, 'refused'>; detail?: string }[]
  /** Recordings this run could not store (e.g. a `SecretLeakError`), with the reason (and the project that ran the test). */
  refused?: { test: string; message: string; project?: string }[]
  /** Entries this run replayed or recorded. */
  used: RecordingSlot[]
  /** Tool records (`recordTool`) in the cassette at the end of the run (absent: written before tool replay). */
  tools?: number
  /** Tool records this run replayed or recorded (`call` is the tool call's number; absent: not known, so never pruned). */
  usedTools?: RecordingSlot[]
  /** Requests, and tool calls (method `tool`, `url` the call as `name({...args})`), that had no recording. */
  misses: { test: string; method: string; url: string; project?: string }[]
  /** SHA-256 of the cassette file at the end of the run (absent when there was none). */
  fingerprint?: string
  /** The Vitest projects that ran the file in this run (`''` for a config without projects). */
  projects?: string[]
  /** Projects that ran the file in an earlier run but not in this one (`--project`): the run is then not complete. */
  projectsNotRun?: string[]
  /**
   * The run was limited to some projects (`--project`): a project that recorded into the cassette but is not in
   * `projects` may still run the file, so its recordings are not unused (set when no earlier report named it).
   */
  projectFilter?: true
  /** The Vitest config the run used (relative to the root), when it is not the one Vitest finds by default (`--config`). */
  config?: string
}

/** How many names {@link TestNames} keeps. */
export const NAMES_KEPT = 3

/** `names` as {@link TestNames}: the count and the first few. */
export function testNames(names: readonly string[]): TestNames {
  return { count: names.length, names: names.slice(0, NAMES_KEPT) }
}

/** The name of the usage folder's file that holds the report on `cassette` (relative to the root), so a damaged one still names its cassette. */
export function usageReportFileName(cassette: string): string {
  return `${nodeCrypto().createHash('sha256').update(cassette).digest('hex').slice(0, 16)}.json`
}
