// The run's summary and its secret scan, built one test at a time as tests finish: on a run of thousands of
// cases this work (~0.3 s at 5,000) then runs beside the tests still running, not after the last one.
import type { SecretFinding } from '../src/cassettes/secret-scan.js'
import { liveSecrets, mayScrub, scrubDeep, scrubForSharing, type RedactRule } from '../src/cassettes/redact.js'
import { findSecrets } from '../src/cassettes/secret-scan.js'
import { printValue } from '../src/print-value.js'
import { RunSummarizer, type CollectedCase, type RunSummary, type SummarizeOptions } from './summarize.js'

/** Text scanned for secrets in one go: large enough that the scanner's per-call cost (~0.3 ms) does not matter, small enough that the last batch, scanned after the last test, is quick. */
const SCAN_BATCH_CHARS = 64 * 1024

/**
 * What of a finished test can reach a written file or a printed line (summarize.ts `caseScores`: names, ids,
 * texts, judges, labels, traces, conversations, a failed case's error), whole, before anything is cut: the text the secret scan reads.
 * Scores, attempts, call sites and cassette counts are numbers and fixed names, never written as text.
 */
export function writtenText(collected: CollectedCase): string {
  const { meta } = collected
  const records: unknown[] = Array.isArray(meta.evals) ? meta.evals : []
  const fromRecords = records.map((record) => {
    if (typeof record !== 'object' || record === null) return record
    const { metric, caseId, reason, judge, details } = record as { metric?: unknown; caseId?: unknown; reason?: unknown; judge?: unknown; details?: { automated?: unknown } }
    return [metric, caseId, reason, judge, typeof details === 'object' && details !== null ? details.automated : undefined]
  })
  const texts = [collected.module, collected.project, collected.describe, collected.test, meta.caseId, meta.variant, meta.input, meta.expected, meta.output, meta.trialOutputs, meta.humanLabel, meta.trace, meta.conversation, fromRecords, meta.caseError, collected.error]
  try {
    return JSON.stringify(texts)
  } catch {
    // A meta JSON cannot hold (a cycle, a bigint: Vitest's structured clone carries both): every string in it still
    // scanned, whole (only strings are ever written of it).
    return printValue(texts, { maxChars: Number.MAX_SAFE_INTEGER })
  }
}

/**
 * A run's summary, scrubbed of live secret values, and the secret scan of what it was made from, fed one
 * finished test at a time.
 *
 * @example
 * const running = new RunningSummary(options)
 * running.add(collected) // per finished test
 * const summary = running.finish()
 * const found = await running.secrets()
 */
export class RunningSummary {
  private readonly summarizer: RunSummarizer
  private readonly scans: Promise<SecretFinding[]>[] = []
  private batch: string[] = []
  private batchChars = 0

  constructor(
    readonly options: SummarizeOptions,
    /** Live secret values scrubbed from the summary (the reporter adds the workers' `test.env`: run-secrets.ts). */
    readonly live: ReturnType<typeof liveSecrets> = liveSecrets(),
  ) {
    // `scrubForSharing`'s rules, made once (not per test), and a test's scores copied only when a string in
    // them would change: nearly always none does, and a copy per test was GC work in the main process (issue 17).
    const rules: RedactRule[] = live.map((secret) => ({ literal: secret.value }))
    this.summarizer = new RunSummarizer(options, (cases) => (mayScrub(cases, rules) ? scrubDeep(cases, rules) : cases))
  }

  /** Adds a finished test: its scores to the summary, its data to the secret scan (tests with scores or model calls). */
  add(collected: CollectedCase): void {
    const { evals, cassette } = collected.meta
    // A failed case with no score is listed with its error (errored-cases.ts): that text is written too. Read
    // before the test is summarised: a test whose text cannot be read for the scan is not summarised either.
    const scanned = (Array.isArray(evals) && evals.length > 0) || cassette || collected.meta.caseError !== undefined || collected.error !== undefined
    const text = scanned ? writtenText(collected) : undefined
    this.summarizer.add(collected)
    if (text === undefined) return
    this.batch.push(text)
    this.batchChars += text.length
    if (this.batchChars >= SCAN_BATCH_CHARS) this.scanBatch()
  }

  private scanBatch(): void {
    if (this.batch.length === 0) return
    const text = `[${this.batch.join(',')}]`
    this.batch = []
    this.batchChars = 0
    const scan = findSecrets(text)
    // Awaited by `secrets()`; until then a failure must not surface as an unhandled rejection.
    scan.catch(() => undefined)
    this.scans.push(scan)
  }

  /** The summary of every test added, live secret values scrubbed. */
  finish(): RunSummary {
    const { cases, ...rest } = this.summarizer.finish()
    return { ...scrubForSharing(rest, this.live), ...(cases ? { cases } : {}) }
  }

  /** Everything the secret scan found in the tests added. */
  async secrets(): Promise<SecretFinding[]> {
    this.scanBatch()
    return (await Promise.all(this.scans)).flat()
  }
}
