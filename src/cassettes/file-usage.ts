import { nodeCrypto } from '../node-crypto.js'
import { readFileSync, statSync } from 'node:fs'
import { relative } from 'node:path'
import type { CassetteSession } from './session.js'
import { testNames, type CassetteUsageReport } from './usage-report.js'
import { hideSecrets, liveSecrets } from './redact.js'
import { realIsoTime } from '../real-clock.js'

/** The parts of a Vitest task the outcome count reads. */
interface TaskTree {
  type: string
  mode?: string
  tasks?: TaskTree[]
  result?: { state?: string; errors?: readonly unknown[] }
}

/** The tests of a file that did not run and those that failed, by full name. */
export interface TestOutcomes {
  notRun: string[]
  failed: string[]
}

/**
 * The tests of a file that did not run (filtered with `-t`, `.only`, `.skip`, skipped at run time or because a
 * `beforeAll` failed) and those that failed, and suites whose own hooks failed (an `afterAll` that throws skips
 * the calls it would have made). `.todo` tests have no body: they count as neither.
 */
export function testOutcomes<T extends TaskTree>(task: T, nameOf: (test: T) => string, into: TestOutcomes = { notRun: [], failed: [] }): TestOutcomes {
  for (const child of (task.tasks ?? []) as T[]) {
    if (child.type !== 'test') {
      // A suite fails when one of its tests fails too; only its own errors (a hook that threw, no test in it) are
      // the suite's failure.
      if (child.result?.state === 'fail' && (child.result.errors?.length ?? 0) > 0) into.failed.push(`${nameOf(child)} (a hook of the suite failed)`)
      testOutcomes(child, nameOf, into)
    } else if (child.mode === 'todo' || child.result?.state === 'pass') continue
    else if (child.result?.state === 'fail') into.failed.push(nameOf(child))
    else into.notRun.push(nameOf(child))
  }
  return into
}

/** What the worker knows of the file's run besides the session. */
export interface FileRun {
  testFile: string
  outcomes: TestOutcomes
}

/** What this run of a test file did with its cassette, for `llm-evals cassettes check|prune` (undefined in `passthrough`). */
export function fileUsageReport(session: CassetteSession, run: FileRun): CassetteUsageReport | undefined {
  const cassette = session.cassetteFile
  const { mode, root } = session.options
  if (!cassette || mode === 'passthrough') return undefined
  const fingerprint = cassetteFingerprint(cassette)
  const usage = session.usage()
  const slot = (record: { test: string; repeat: number; call: number }) => ({ test: record.test, repeat: record.repeat, call: record.call })
  const used = usage.used.map(slot)
  const { refused } = usage
  // Test names may hold a live secret (a dataset row's text): the report is written, so they are hidden in it.
  const secrets = liveSecrets()
  const hide = (name: string) => hideSecrets(name, secrets)
  const misses = session.misses.map((miss) => ({ ...miss, test: hide(miss.test) }))
  const notRun = run.outcomes.notRun.map(hide)
  const failed = run.outcomes.failed.map(hide)
  return {
    cassette: relative(root, cassette),
    testFile: relative(root, run.testFile),
    mode,
    at: realIsoTime(),
    startedAt: realIsoTime(session.options.runStartedAt),
    complete: notRun.length === 0,
    successful: failed.length === 0 && misses.length === 0 && refused.length === 0,
    notRun: testNames(notRun),
    failed: testNames(failed),
    total: usage.total,
    written: usage.written + usage.toolsWritten,
    ...(usage.alreadyRecorded.entries || usage.alreadyRecorded.tools ? { alreadyRecorded: { ...usage.alreadyRecorded } } : {}),
    ...(usage.discardedOnRetry.entries || usage.discardedOnRetry.tools ? { discardedOnRetry: { ...usage.discardedOnRetry } } : {}),
    ...(usage.replayedOutsideTests ? { replayedOutsideTests: usage.replayedOutsideTests } : {}),
    ...(usage.restoredSidecars ? { restoredSidecars: usage.restoredSidecars } : {}),
    ...(session.unfinished.length ? { unfinished: session.unfinished.map((call) => ({ ...call })) } : {}),
    refused: [...refused],
    used,
    ...(usage.toolTotal || usage.usedTools.length ? { tools: usage.toolTotal, usedTools: usage.usedTools.map(slot) } : {}),
    misses,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  }
}

/** The last fingerprint taken, and of which version of which file (a write replaces the file: new inode, new time). */
let lastFingerprint: { file: string; version: string; fingerprint: string } | undefined

/**
 * The SHA-256 of a cassette's bytes, or `undefined` when it does not exist. A file's report is made twice
 * (after its last test and at its end), usually of an unchanged cassette: it is hashed once then.
 */
function cassetteFingerprint(cassette: string): string | undefined {
  const stats = statSync(cassette, { throwIfNoEntry: false, bigint: true })
  // A FIFO or device in its place (the worker refused it) is not read: it would block.
  if (!stats?.isFile()) return undefined
  const version = `${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
  if (lastFingerprint?.file === cassette && lastFingerprint.version === version) return lastFingerprint.fingerprint
  const fingerprint = nodeCrypto().createHash('sha256').update(readFileSync(cassette)).digest('hex')
  lastFingerprint = { file: cassette, version, fingerprint }
  return fingerprint
}
