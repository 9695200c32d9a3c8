// A case's score per metric from its trials' records: the mean over trials (each trial's records of a metric
// averaged first) and the verdict, with trial statistics (variance, pass@k) when there are several. Pure.
import { pushTo } from '../collections.js'
import type { ScoreRecord } from '../metrics/score-record.js'
import { trialStatistics, type TrialStatistics } from '../metrics/trials/index.js'

/**
 * Per metric, statistics over the trials: each trial's score of the metric is the mean of its records of it,
 * and it passes when all of them passed; pass@k and pass^k use `k` (default: every trial).
 *
 * @example
 * metricStatistics(trials, 3) // { exact: { mean: 0.67, passes: 2, trials: 3, … } }
 */
export function metricStatistics(trials: readonly { records: readonly ScoreRecord[] }[], k: number | undefined): Record<string, TrialStatistics> {
  const perMetric = new Map<string, { score: number; pass: boolean }[]>()
  for (const trial of trials) {
    const byMetric = new Map<string, ScoreRecord[]>()
    for (const record of trial.records) pushTo(byMetric, record.metric, record)
    for (const [metric, records] of byMetric) {
      const score = records.reduce((sum, record) => sum + record.score, 0) / records.length
      pushTo(perMetric, metric, { score, pass: records.every((record) => record.pass) })
    }
  }
  return Object.fromEntries([...perMetric].map(([metric, results]) => [metric, trialStatistics(results, Math.min(k ?? results.length, results.length))]))
}

/**
 * Per metric, the case's score and verdict when it ran one trial (the usual case): the mean of the trial's
 * scores of that metric and whether all passed, which is what {@link metricStatistics} gives for one trial
 * (mean of one value, passes 0 or 1 of 1), without its statistics (variance, pass@k) for every case.
 */
export function oneTrialMetrics(trial: { records: readonly ScoreRecord[] }): Record<string, { score: number; pass: boolean }> {
  // One record (the usual case): no map. A computed key defines an own field even for `__proto__`, as fromEntries does.
  const only = trial.records.length === 1 ? trial.records[0] : undefined
  if (only) return { [only.metric]: { score: 0 + only.score, pass: only.pass } }
  const perMetric = new Map<string, { sum: number; count: number; pass: boolean }>()
  for (const record of trial.records) {
    const metric = perMetric.get(record.metric)
    if (metric) {
      metric.sum += record.score
      metric.count++
      metric.pass &&= record.pass
    } else perMetric.set(record.metric, { sum: 0 + record.score, count: 1, pass: record.pass })
  }
  return Object.fromEntries([...perMetric].map(([metric, { sum, count, pass }]) => [metric, { score: sum / count, pass }]))
}
