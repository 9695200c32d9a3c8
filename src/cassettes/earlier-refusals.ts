// What the last run of a test file refused to record, read back from its usage report for a later miss: a
// request that misses because its recording was refused needs the refusal fixed, not "a real API key".
// Read only when a miss message is built (never on the start-up path), and only a report of the cassette as it is
// now: an older run's report must not outrank the cassette's own marks (see unrecorded-calls.ts).
import { nodeCrypto } from '../node-crypto.js'
import { readFileSync } from 'node:fs'
import { readRegularFile } from '../regular-file.js'
import { join, relative } from 'node:path'
import { REDACTED } from './redact.js'
import { parseUsageReport } from './usage-report-schema.js'
import { usageReportFileName, type CassetteUsageReport } from './usage-report.js'
import { usageDir } from './worker-options.js'
import type { UnrecordedReason } from './entry.js'

/** A recording of a test that an earlier run refused to store, and when. */
export interface EarlierRefusal {
  /** The test, as stored (scrubbed). */
  test: string
  /** The refusal's message (it names the variable or rule, never the secret's value). */
  message: string
  /** When that run ended, and its cassette mode. */
  at: string
  mode: string
  /** Where it was read: the last run's usage report (this machine), or the cassette's mark (see unrecorded-calls.ts). */
  source?: 'report' | 'cassette'
}

/**
 * The refusals the last run of `cassette` made (its usage report under `root`), those of `project` when both name
 * one; none when there is no readable report (a fresh checkout, CI).
 *
 * @example
 * earlierRefusals('/repo', '/repo/__cassettes__/bot.test.ts.cassette.json') // [{ test: 'bot > answers', message: 'Refused to write …', at: '…', mode: 'auto' }]
 */
export function earlierRefusals(root: string, cassette: string, project?: string): EarlierRefusal[] {
  const report = lastReport(root, cassette)
  if (!report) return []
  const sameProject = (named: string | undefined) => named === undefined || project === undefined || named === project
  return (report.refused ?? []).filter((refusal) => sameProject(refusal.project)).map(({ test, message }) => ({ test, message, at: report.at, mode: report.mode }))
}

/** A model call the last run of a file sent that was aborted, or still unanswered when its test ended: never stored. */
export interface EarlierUnfinished {
  test: string
  /** The request's key (see `requestKey`). */
  key: string
  at: string
  mode: string
  /** Who cut it off (absent in reports written before it was told). */
  reason?: Exclude<UnrecordedReason, 'refused'>
  /** For an app's abort, its reason's name (see `abortCause`). */
  detail?: string
  /** Where it was read: the last run's usage report (this machine), or the cassette's mark (see unrecorded-calls.ts). */
  source?: 'report' | 'cassette'
}

/**
 * The model calls the last run of `cassette` sent but could not store (aborted, or unanswered when the test ended:
 * a timeout), those of `project` when both name one; none without a readable report.
 *
 * @example
 * earlierUnfinished('/repo', '/repo/__cassettes__/bot.test.ts.cassette.json') // [{ test: 'bot > slow', key: '3f…', at: '…', mode: 'auto' }]
 */
export function earlierUnfinished(root: string, cassette: string, project?: string): EarlierUnfinished[] {
  const report = lastReport(root, cassette)
  if (!report) return []
  const sameProject = (named: string | undefined) => named === undefined || project === undefined || named === project
  return (report.unfinished ?? []).filter((call) => sameProject(call.project)).map(({ test, key, reason, detail }) => ({ test, key, at: report.at, mode: report.mode, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) }))
}

/**
 * True when `reported`, a test's name as a usage report keeps it, is `test` or `shown` (the name with live values
 * hidden): the report's free text is secret-scanned before it is written (see usage-report-secrets.ts), so each
 * `[REDACTED]` in it stands for a secret the name held and matches any text there.
 *
 * @example
 * isReportedName('deploys with [REDACTED] > one', 'deploys with ghp_… > one', 'deploys with ghp_… > one') // true
 */
export function isReportedName(reported: string, test: string, shown: string): boolean {
  if (reported === test || reported === shown) return true
  if (!reported.includes(REDACTED)) return false
  const pattern = new RegExp(`^${reported.split(REDACTED).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+?')}$`, 's')
  return pattern.test(test) || pattern.test(shown)
}

function lastReport(root: string, cassette: string): CassetteUsageReport | undefined {
  const name = relative(root, cassette)
  let text: string
  try {
    text = readFileSync(join(usageDir(root), usageReportFileName(name)), 'utf8')
  } catch {
    return undefined
  }
  let parsed: ReturnType<typeof parseUsageReport>
  try {
    parsed = parseUsageReport(JSON.parse(text))
  } catch {
    return undefined
  }
  // A report of another cassette (copied, or a name that happens to hash alike) says nothing of this one.
  if (!('report' in parsed) || parsed.report.cassette !== name) return undefined
  return isOfCurrentCassette(parsed.report, cassette) ? parsed.report : undefined
}

/**
 * True when `report` is of the cassette as it is now: the run that left it in this state, or a later one that did
 * not change it (its `fingerprint` is the file's hash; neither when there is no file). A report of an older state
 * (the cassette was pulled, re-recorded elsewhere, or edited since) may tell a reason the cassette's own marks no
 * longer hold: it is not read, and the marks explain the miss.
 */
function isOfCurrentCassette(report: CassetteUsageReport, cassette: string): boolean {
  let bytes: Buffer
  try {
    bytes = readRegularFile(cassette, () => new Error('not a file'))
  } catch {
    return report.fingerprint === undefined
  }
  return report.fingerprint === nodeCrypto().createHash('sha256').update(bytes).digest('hex')
}

// Every refusal of a secret (or of a failed scan) begins so; the test's name inside may hold any words.
const SECRET_REFUSAL = /^(?:\[vitest-llm-evals\] )?Refused to /

/**
 * True for the refusal of a `recordTool` result that is not JSON (every other refusal is of a secret, or a failed
 * scan): told by how the message begins, not by words a test's name (`"rejects a reply that is not JSON"`) may hold.
 */
export function isNotJsonRefusal(message: string): boolean {
  return !SECRET_REFUSAL.test(message) && message.includes('that is not JSON')
}

/** True for a recording refused because the secret scan failed (nothing unscanned is stored): recording again is the fix. */
export function isFailedScanRefusal(message: string): boolean {
  return SECRET_REFUSAL.test(message) && message.includes('": the secret scan failed (')
}
