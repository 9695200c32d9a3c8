import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { writeFileAtomic } from '../src/atomic-files.js'
import { writeTextPiecesAtomic } from '../src/text-pieces-file.js'
import { summaryJsonPieces } from './summary-json.js'
import { fileWriteError } from '../src/file-write-error.js'
import { guardWrite } from '../src/cassettes/redact.js'
import { isWholeRun, readPinnedBaseline, selectBaseline } from '../src/history/baseline.js'
import { gitInfo, type GitInfo } from '../src/history/git.js'
import { appendRun, readHistory, type HistoryRetention, type HistoryWarning, type KeepCases } from '../src/history/history-file.js'
import { groupKey, HISTORY_FORMAT_VERSION, type GroupAggregate, type HistoryRun } from '../src/history/run-record.js'
import { compareRuns, gateFailures, type GateOptions, type RunComparison } from './compare.js'
import { renderHtml } from './render-html.js'
import { renderMarkdown } from './render-markdown.js'
import { describeMergedShards, type MergedShards } from './merged-shards.js'
import type { RunAgreement } from './run-agreement.js'
import type { RunSummary } from './summarize.js'

/** Where the reporter reads and writes, resolved from the plugin options. */
export interface ReportFiles {
  root: string
  /** The history file; undefined when `history: false`. */
  history?: string
  /** The pinned baseline (`llm-evals baseline set`). */
  baseline: string
  /** Without a pinned run, the newest run on this branch is the baseline. */
  baselineBranch?: string
  retention: HistoryRetention
  html?: string
  json?: string
  /** `$GITHUB_STEP_SUMMARY`, when set and not disabled. */
  stepSummary?: string
}

/** How the run ends: what to print, and why the gate fails it (empty when it passes). */
export interface FinishedRun {
  run: HistoryRun
  /** The history runs it was compared with (oldest first), for a report drawn without writing. */
  runs: HistoryRun[]
  comparison: RunComparison
  gateFailures: string[]
  written: string[]
}

/** Log sinks the store reports to (Vitest's logger in the reporter, the console in the CLI). */
export interface StoreLog {
  warn(message: string): void
}

/** Default place of the history file, relative to the root. */
export const DEFAULT_HISTORY_FILE = '.evals/history.jsonl'

/** The pinned baseline file that sits beside a history file. */
export function baselineFileFor(historyFile: string): string {
  return join(dirname(historyFile), 'baseline.json')
}

let version: { value: string | undefined } | undefined

/** Version of this library, from its package.json, read once (the reporter reads it while tests run: `warmUp`). */
export function libraryVersion(): string | undefined {
  version ??= { value: readLibraryVersion() }
  return version.value
}

function readLibraryVersion(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 4; depth++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'vitest-llm-evals') return pkg.version
    }
    dir = dirname(dir)
  }
  return undefined
}

/** A sortable, unique run id: the time plus a random suffix. */
export function newRunId(time: Date): string {
  return `${time.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`
}

function warningText(files: ReportFiles) {
  return (warning: HistoryWarning) => `[vitest-llm-evals] ${relative(files.root, warning.file)}:${warning.line}: ${warning.message}.`
}

/**
 * Keeps per-case scores only of the runs a comparison uses: the run before the compared one, the
 * baseline (pinned, else on the branch the newest run with scores and, for each suite metric of the
 * compared run, the newest run that scored it), and for each suite metric the newest earlier run that
 * scored it (its reference when the baseline has no score for it). `target` picks the compared run when
 * it is in the history itself (`llm-evals report`); without it, the compared run is a new one, after the
 * newest, whose suite metrics are `groups`.
 */
export function casesForComparison(pinned: string | undefined, branch: string | undefined, target?: (run: HistoryRun, newer: number) => boolean, groups: readonly GroupAggregate[] = []): KeepCases {
  let previousAt = target ? undefined : 0
  let unseen = new Set(groups.map(groupKey))
  let unseenOnBranch = new Set(unseen)
  let baselineSeen = false
  return (run, newer) => {
    if (previousAt === undefined) {
      if (!target?.(run, newer)) return false
      previousAt = newer + 1
      unseen = new Set(run.groups.map(groupKey))
      unseenOnBranch = new Set(unseen)
      return true
    }
    const isPrevious = newer === previousAt
    let ownPrevious = false
    for (const group of run.groups) if (unseen.delete(groupKey(group))) ownPrevious = true
    let branchBaseline = false
    if (!pinned && branch !== undefined && run.git?.branch === branch && !run.partial) for (const group of run.groups) if (unseenOnBranch.delete(groupKey(group))) branchBaseline = true
    const isBaseline = !baselineSeen && (pinned ? run.id === pinned : branch !== undefined && run.git?.branch === branch && isWholeRun(run))
    if (isBaseline) baselineSeen = true
    return isBaseline || isPrevious || ownPrevious || branchBaseline
  }
}

/** Reads history and the baseline, and compares `summary` with them (no writes). */
export function compareWithHistory(summary: RunSummary, files: ReportFiles, gate: GateOptions | undefined, tolerance: number, log: StoreLog): { runs: HistoryRun[]; comparison: RunComparison; gateFailures: string[] } {
  const pinned = readPinnedBaseline(files.baseline)
  const runs = files.history ? readHistory(files.history, (warning) => log.warn(warningText(files)(warning)), casesForComparison(pinned, files.baselineBranch, undefined, summary.groups)) : []
  const baselineRun = selectBaseline(runs, { ...(pinned ? { runId: pinned } : {}), ...(files.baselineBranch ? { branch: files.baselineBranch } : {}) })
  if (pinned && !baselineRun) log.warn(`[vitest-llm-evals] The pinned baseline run ${pinned} (${relative(files.root, files.baseline)}) is not in the history any more; comparing with the previous run. Pin another with \`llm-evals baseline set\`.`)
  const comparison = compareRuns(summary, runs, baselineRun, { tolerance, ...(gate?.confidence ? { confidence: gate.confidence } : {}), recent: 12, ...(!pinned && files.baselineBranch ? { baselineBranch: files.baselineBranch } : {}) })
  return { runs, comparison, gateFailures: gate ? gateFailures(comparison, gate) : [] }
}

/**
 * Ends a run: compares it with history, then (unless `write` is false, as in shard runs) appends it
 * to the history file and writes the HTML, JSON and Markdown reports. Nothing is written when the
 * run has no case at all; a run whose cases all await a human label is written, for review.
 */
/** The runner's file, not the user's: the fix is to turn the summary off, not to chmod the runner's folder. */
const STEP_SUMMARY_ERROR = {
  what: 'GitHub step summary ($GITHUB_STEP_SUMMARY)',
  fix: 'The CI runner owns this file: turn the summary off with `llmEvals({ report: { stepSummary: false } })` (the history and reports are written as usual), or check the runner.',
}

function appendStepSummary(file: string, markdown: string): void {
  let descriptor: number | undefined
  try {
    descriptor = openSync(file, 'a')
    writeFileSync(descriptor, markdown)
  } catch (error) {
    const left = descriptor === undefined ? {} : { left: 'Part of the summary may have been appended.' }
    throw fileWriteError(error, file, file, { ...STEP_SUMMARY_ERROR, ...left })
  } finally {
    if (descriptor !== undefined) closeSync(descriptor)
  }
}

export function finishRun(
  summary: RunSummary,
  identity: { time: Date; vitestVersion?: string; cassetteMode?: string; env: NodeJS.ProcessEnv; git?: GitInfo },
  files: ReportFiles,
  options: { gate?: GateOptions; tolerance: number; write: boolean; agreement?: RunAgreement; agreementFailures?: readonly string[]; shardFailures?: readonly string[]; shards?: MergedShards },
  log: StoreLog,
): FinishedRun {
  const compared = compareWithHistory(summary, files, options.gate, options.tolerance, log)
  const { runs, comparison } = compared
  const failures = [...(options.shardFailures ?? []), ...compared.gateFailures, ...(options.agreementFailures ?? [])]
  const git = identity.git ?? gitInfo(files.root, identity.env)
  const library = libraryVersion()
  const run: HistoryRun = {
    v: HISTORY_FORMAT_VERSION,
    id: newRunId(identity.time),
    time: identity.time.toISOString(),
    ...(git.commit || git.branch ? { git } : {}),
    versions: { ...(identity.vitestVersion ? { vitest: identity.vitestVersion } : {}), ...(library ? { library } : {}), node: process.versions.node },
    ...(identity.cassetteMode ? { cassetteMode: identity.cassetteMode } : {}),
    totals: summary.totals,
    groups: summary.groups,
    suites: summary.suites,
    ...(options.shards ? { partial: { shardCount: options.shards.count, missingShards: options.shards.missing, ...(options.shards.counts ? { shardCounts: options.shards.counts } : {}), ...(options.shards.duplicated ? { duplicatedFiles: options.shards.duplicated } : {}), ...(options.shards.commits ? { commits: options.shards.commits } : {}), ...(options.shards.ranEmpty ? { ranEmpty: options.shards.ranEmpty } : {}), ...(options.shards.unsharded ? { unsharded: true as const, ...(options.shards.blobReports === undefined ? {} : { blobReports: options.shards.blobReports }) } : {}) } } : {}),
    errorsCounted: true,
    ...(summary.cases ? { cases: summary.cases } : {}),
  }
  const written: string[] = []
  if (!options.write || !summary.cases?.length) return { run, runs, comparison, gateFailures: failures, written }
  if (files.history) {
    appendRun(files.history, run, files.retention)
    written.push(files.history)
  }
  if (files.html) {
    // With a history, the report and summary.json are made again by every run from it: not flushed to disk
    // (3-20 ms each). Without one they are the run's only record: flushed.
    writeFileAtomic(files.html, renderHtml({ runs: [...runs, run], comparison, gateFailures: failures, ...(options.agreement ? { agreement: options.agreement } : {}) }), { durable: !files.history })
    written.push(files.html)
  }
  if (files.json) {
    const agreement = options.agreement ? { agreement: jsonAgreement(options.agreement, files.root) } : {}
    writeTextPiecesAtomic(files.json, () => summaryJsonPieces({ run, comparison: jsonComparison(comparison), gateFailures: failures, ...agreement }), { durable: !files.history })
    written.push(files.json)
  }
  if (files.stepSummary) {
    // GitHub owns this file and reads what each step appends: appended, not replaced, after the same guard.
    const markdown = renderMarkdown(summary, comparison, failures, options.shards ? describeMergedShards(options.shards) : undefined)
    guardWrite(files.stepSummary, markdown)
    appendStepSummary(files.stepSummary, markdown)
    written.push(files.stepSummary)
  }
  return { run, runs, comparison, gateFailures: failures, written }
}

/** The comparison as plain data for the JSON summary (run ids instead of whole runs; each row names the run it was compared with). */
export function jsonComparison(comparison: RunComparison) {
  return {
    previousRunId: comparison.previousRun?.id ?? null,
    baselineRunId: comparison.baselineRun?.id ?? null,
    rows: comparison.rows.map(({ group, previous, previousRun, baseline, reference, regressed, verdict, note, dropped }) => ({
      ...group,
      previous: previous ?? null,
      previousRunId: previousRun?.id ?? null,
      baseline: baseline ?? null,
      reference: reference ? { kind: reference.kind, runId: reference.run.id, mean: reference.mean } : null,
      regressed,
      verdict: verdict ?? null,
      note: note ?? null,
      dropped,
    })),
  }
}

/** Agreement as plain data for the JSON summary: per grader and metric, and the disagreeing cases. */
export function jsonAgreement(agreement: RunAgreement, root: string) {
  return { labelsFile: relative(root, agreement.labelsFile), rows: agreement.agreements, disagreements: agreement.disagreements }
}
