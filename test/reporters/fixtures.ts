import type { HistoryRun } from '../../src/history/run-record.js'
import { noTokens } from '../../src/history/run-record.js'
import type { ScoreRecord } from '../../src/metrics/score-record.js'
import type { CollectedCase } from '../../reporters/summarize.js'

/** A score record with defaults. */
export function record(metric: string, score: number, extra: Partial<ScoreRecord> = {}): ScoreRecord {
  return { metric, score, pass: score >= 0.5, threshold: 0.5, attempt: { retry: 0, repeat: 0 }, ...extra }
}

/** A collected test with defaults. */
export function collected(test: string, evals: ScoreRecord[], extra: Partial<CollectedCase> = {}): CollectedCase {
  return { module: 'bot.test.ts', describe: 'bot', test: `bot > ${test}`, state: 'passed', flaky: false, meta: { evals }, ...extra }
}

/** A history run with one group per `means` entry (`metric` → mean) and `count` matching cases each (ids `a`, `b`, …), all at that mean. */
export function historyRun(id: string, means: Record<string, number>, extra: Partial<HistoryRun> = {}, count = 1): HistoryRun {
  const ids = Array.from({ length: count }, (_, index) => String.fromCharCode(97 + index))
  return {
    v: 1,
    id,
    time: `2025-01-0${id.slice(-1)}T10:00:00.000Z`,
    versions: { node: '22.0.0' },
    totals: { tests: 1, scores: 1, failedScores: 0, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 },
    groups: Object.entries(means).map(([metric, mean]) => ({ suite: 'bot.test.ts > bot', metric, mean, passRate: 1, cases: count, trials: count, flaky: 0 })),
    suites: [],
    cases: Object.entries(means).flatMap(([metric, score]) => ids.map((caseId) => ({ suite: 'bot.test.ts > bot', test: `bot > ${caseId}`, caseId, metric, score, pass: true, trials: 1 }))),
    ...extra,
  }
}
