// A case of one trial (the usual case) takes its per-metric score and verdict straight from the trial's records,
// without trial statistics; the outcome must be the one the statistics gave (the suite gate and the reports read it).
import { describe, expect, test } from 'vitest'
import type { ScoreRecord } from '../../../src/metrics/score-record.js'
import { trialStatistics } from '../../../src/metrics/trials/index.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'
import { runCase, type CaseRun, type ScoreResult } from '../../../src/suites/run-case.js'
import { evalMeta } from '../../../src/suites/task-meta.js'

/** The outcome's metrics as they were computed before: statistics over the (one) trial, then mean and verdict. */
function throughStatistics(records: readonly ScoreRecord[], passOn: CaseRun<unknown, unknown>['passOn']): CaseOutcome['metrics'] {
  const byMetric = new Map<string, ScoreRecord[]>()
  for (const record of records) byMetric.set(record.metric, [...(byMetric.get(record.metric) ?? []), record])
  const statistics = Object.fromEntries(
    [...byMetric].map(([metric, list]) => [metric, trialStatistics([{ score: list.reduce((sum, record) => sum + record.score, 0) / list.length, pass: list.every((record) => record.pass) }], 1)]),
  )
  return Object.fromEntries(Object.entries(statistics).map(([metric, stats]) => [metric, { score: stats.mean, pass: passOn === 'any-trial' ? stats.passes > 0 : stats.passes === stats.trials }]))
}

const results: ScoreResult[] = [
  { metric: 'tone', score: 0.1, pass: true },
  { metric: '2', score: 0.7 },
  { metric: 'tone', score: 0.2, pass: true },
  { metric: '__proto__', score: 0.3, pass: false },
  { metric: 'tone', score: 0.3, pass: false },
  { metric: '1', score: 0 },
  { metric: 'exact', score: 1 },
]

describe('a case of one trial', () => {
  for (const passOn of ['every-trial', 'any-trial'] as const) {
    test(`its metrics are the ones trial statistics gave (${passOn})`, async (context) => {
      const outcomes = new Map<string, CaseOutcome>()
      const run: CaseRun<{ id: string }, string> = { suite: 'one trial', task: () => 'x', scorers: results.map((result) => () => result), repeats: 1, passOn, caseFailures: 'score' }
      await runCase(context, 'c1', { id: 'c1' }, run, outcomes)
      const metrics = outcomes.get('c1')?.metrics
      const expected = throughStatistics(context.task.meta.evals ?? [], passOn)
      expect(metrics).toStrictEqual(expected)
      expect(Object.keys(metrics ?? {})).toEqual(Object.keys(expected))
      expect(Object.keys(metrics ?? {})).toEqual(['1', '2', 'tone', '__proto__', 'exact'])
      expect(metrics?.tone).toEqual({ score: (0 + 0.1 + 0.2 + 0.3) / 3, pass: false })
      expect(evalMeta(context.task).trials).toBeUndefined()
    })
  }
})
