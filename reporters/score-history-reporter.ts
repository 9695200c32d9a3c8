import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import type { CassetteMode } from '../src/cassettes/mode.js'

/** Options of {@link ScoreHistoryReporter}. */
export interface ScoreHistoryReporterOptions {
  /** The cassette mode of the run, shown in the summary. */
  cassetteMode?: CassetteMode
}

/** Per-test cassette counts that the worker setup file stores on `task.meta.cassette`. */
export interface CassetteCounts {
  replayed: number
  recorded: number
}

declare module 'vitest' {
  interface TaskMeta {
    /** Cassette activity of the test (set by vitest-llm-evals). */
    cassette?: CassetteCounts
  }
}

interface RunTotals {
  tests: number
  scores: number
  failedScores: number
  replayed: number
  recorded: number
}

/** Adds up what the tests of a run stored on their meta. */
export function summarizeRun(cases: readonly { meta: { evals?: unknown; cassette?: CassetteCounts } }[]): RunTotals {
  const totals: RunTotals = { tests: 0, scores: 0, failedScores: 0, replayed: 0, recorded: 0 }
  for (const { meta } of cases) {
    const records = Array.isArray(meta.evals) ? (meta.evals as { pass?: unknown }[]) : []
    if (records.length === 0 && !meta.cassette) continue
    totals.tests++
    totals.scores += records.length
    totals.failedScores += records.filter((record) => record.pass === false).length
    totals.replayed += meta.cassette?.replayed ?? 0
    totals.recorded += meta.cassette?.recorded ?? 0
  }
  return totals
}

/** One line for the end of the run, or nothing when no test used evals or cassettes. */
export function formatRunSummary(totals: RunTotals, mode?: CassetteMode): string | undefined {
  if (totals.tests === 0) return undefined
  const parts = [`${totals.scores} score${totals.scores === 1 ? '' : 's'} (${totals.failedScores} below threshold)`]
  parts.push(`cassettes${mode ? ` [${mode}]` : ''}: ${totals.replayed} replayed, ${totals.recorded} recorded`)
  const hint = totals.recorded > 0 ? ' — commit the __cassettes__ changes' : ''
  return `LLM evals: ${parts.join(' · ')}${hint}`
}

/**
 * Collects score records and cassette activity of a run and reports them once, at the end.
 * The score history, deltas and HTML report build on this class.
 */
export class ScoreHistoryReporter implements Reporter {
  private vitest: Vitest | undefined
  private readonly cases: { meta: { evals?: unknown; cassette?: CassetteCounts } }[] = []

  constructor(readonly options: ScoreHistoryReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestCaseResult(testCase: TestCase): void {
    this.cases.push({ meta: testCase.meta() })
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    const line = formatRunSummary(summarizeRun(this.cases), this.options.cassetteMode)
    if (line) this.vitest?.logger.log(line)
    this.cases.length = 0
  }
}
