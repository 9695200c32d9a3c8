import { mean } from '../metrics/trials/index.js'

/** Targets for one metric, or for the whole suite. */
export interface ThresholdTargets {
  /** Minimum mean score over the cases (each case counts once: the mean of its trials). */
  mean?: number
  /** Minimum fraction of cases that pass. */
  passRate?: number
}

/** Suite-level gate of `describeEval`, checked after every case has run: `mean` applies to each metric's mean on its own, `passRate` to the share of passing cases. */
export interface SuiteThreshold extends ThresholdTargets {
  /** Targets for single metrics (e.g. `{ 'similarity:rouge-l': { mean: 0.7 } }`); they add to the suite-wide ones. */
  perMetric?: Record<string, ThresholdTargets>
}

/** What one case contributed to its suite. */
export interface CaseOutcome {
  caseId: string
  /** Passed (all its trials, or any, per `passOn`); false when its task threw. */
  pass: boolean
  /** Per metric: mean score over trials and whether every trial passed. */
  metrics: Record<string, { score: number; pass: boolean }>
  /** Why the case could not be scored (its task threw or timed out). */
  error?: string
  /** Some of its records await a human label (listed for review, not scored yet). */
  awaitingLabel?: true
  /** Scorers that could not score this case (they threw: a misuse, a judge's error): their metrics are left out for it, not counted as 0. */
  scorerErrors?: ScorerError[]
}

/** A scorer that threw instead of scoring a case. */
export interface ScorerError {
  /** Its place in `scorers`, 1-based. */
  scorer: number
  /** The scorer function's name, when it has one. */
  name?: string
  /** The error's name (unless a plain Error) and message. */
  message: string
}

/** One target the suite missed. */
export interface GateFailure {
  /** The metric, or `all metrics` for the suite-wide pass rate. */
  metric: string
  measure: 'mean' | 'passRate'
  value: number
  target: number
  /** Lowest-scoring cases of that metric, worst first. */
  worst: { caseId: string; score: number }[]
  passed?: number
  total?: number
  /** No case produced this metric at all. */
  missing?: true
}

const SUITE = 'all metrics'

/** A case's result for `metric`: own fields only (a metric named `__proto__` or `constructor` is no inherited one). */
const metricOf = (outcome: CaseOutcome, metric: string) => (Object.hasOwn(outcome.metrics, metric) ? outcome.metrics[metric] : undefined)

function caseScore(outcome: CaseOutcome, metric: string): number {
  if (metric === SUITE) return outcome.error !== undefined ? 0 : mean(Object.values(outcome.metrics).map((each) => each.score))
  return metricOf(outcome, metric)?.score ?? 0
}

/**
 * Whether a case counts towards `metric`: always, unless one of its scorers could not score it; then only for
 * the metrics it has (the broken scorer's is unknown, and its score is no 0), never for the whole-case pass rate.
 */
function counts(outcome: CaseOutcome, metric: string): boolean {
  return outcome.scorerErrors === undefined || (metric !== SUITE && metricOf(outcome, metric) !== undefined)
}

function worstCases(outcomes: readonly CaseOutcome[], metric: string, count: number, onlyFailing: boolean): GateFailure['worst'] {
  return outcomes
    .filter((outcome) => !onlyFailing || !(metric === SUITE ? outcome.pass : (metricOf(outcome, metric)?.pass ?? false)))
    .map((outcome) => ({ caseId: outcome.caseId, score: caseScore(outcome, metric) }))
    .sort((a, b) => a.score - b.score || a.caseId.localeCompare(b.caseId))
    .slice(0, count)
}

function check(all: readonly CaseOutcome[], metric: string, targets: ThresholdTargets, worst: number): GateFailure[] {
  const outcomes = all.some((outcome) => outcome.scorerErrors) ? all.filter((outcome) => counts(outcome, metric)) : all
  const failures: GateFailure[] = []
  // Every case left out (each had a scorer that threw): nothing to judge here; the gate reports the scorers.
  if (outcomes.length === 0) return failures
  if (targets.mean !== undefined) {
    const value = mean(outcomes.map((outcome) => caseScore(outcome, metric)))
    if (value < targets.mean) failures.push({ metric, measure: 'mean', value, target: targets.mean, worst: worstCases(outcomes, metric, worst, false) })
  }
  if (targets.passRate !== undefined) {
    const passed = outcomes.filter((outcome) => (metric === SUITE ? outcome.pass : (metricOf(outcome, metric)?.pass ?? false))).length
    const value = outcomes.length === 0 ? 0 : passed / outcomes.length
    if (value < targets.passRate) failures.push({ metric, measure: 'passRate', value, target: targets.passRate, worst: worstCases(outcomes, metric, worst, true), passed, total: outcomes.length })
  }
  return failures
}

/**
 * Checks a suite's outcomes against its threshold. Suite-wide `mean` applies to every metric's mean;
 * `passRate` to the fraction of passing cases; `perMetric` to one metric each. A case whose task threw
 * counts as 0 on every metric; a case one of whose scorers threw counts only for the metrics it has. A `perMetric` metric with no scores at all is a failure (likely a typo).
 *
 * @example
 * evaluateSuiteGate(outcomes, { mean: 0.8, perMetric: { schema: { passRate: 1 } } })
 */
export function evaluateSuiteGate(outcomes: readonly CaseOutcome[], threshold: SuiteThreshold, worst = 5): GateFailure[] {
  const metrics = [...new Set(outcomes.flatMap((outcome) => Object.keys(outcome.metrics)))].sort()
  const failures: GateFailure[] = []
  if (threshold.mean !== undefined) for (const metric of metrics) failures.push(...check(outcomes, metric, { mean: threshold.mean }, worst))
  if (threshold.passRate !== undefined) failures.push(...check(outcomes, SUITE, { passRate: threshold.passRate }, worst))
  for (const [metric, targets] of Object.entries(threshold.perMetric ?? {})) {
    if (!metrics.includes(metric)) {
      failures.push({ metric, measure: targets.mean !== undefined ? 'mean' : 'passRate', value: 0, target: targets.mean ?? targets.passRate ?? 0, worst: [], missing: true })
      continue
    }
    failures.push(...check(outcomes, metric, targets, worst))
  }
  return failures
}

const number = (value: number) => value.toFixed(3)

/** One line per missed target: metric, measure, value, target and the worst cases; `suggest` (src/closest-name.ts) names the metric a missing one likely meant. */
export function formatGateFailures(suite: string, failures: readonly GateFailure[], outcomes: readonly CaseOutcome[], suggest?: (name: string, known: readonly string[]) => string | undefined): string {
  const cases = outcomes.length
  const knownMetrics = [...new Set(outcomes.flatMap((outcome) => Object.keys(outcome.metrics)))].sort()
  // A scorer that threw gave no metric for its cases: a metric missing then is likely its own, not a typo.
  const scorerThrew = outcomes.some((outcome) => outcome.scorerErrors !== undefined)
  const lines = failures.map((failure) => {
    if (failure.missing) {
      const seen = `  - ${failure.metric}: no case produced this metric (metrics seen: ${knownMetrics.join(', ') || 'none'})`
      if (scorerThrew) return `${seen}; a scorer threw (above): it may be its metric, else check threshold.perMetric`
      const near = suggest?.(failure.metric, knownMetrics)
      return `${seen}; check threshold.perMetric${near === undefined ? '' : `: did you mean "${near}"?`}`
    }
    const measure = failure.measure === 'mean' ? 'mean' : 'pass rate'
    const counts = failure.total === undefined ? '' : ` (${failure.passed} of ${failure.total} cases passed)`
    const worst = failure.worst.length ? `; worst cases: ${failure.worst.map((each) => `${each.caseId} (${number(each.score)})`).join(', ')}` : ''
    return `  - ${failure.metric}: ${measure} ${number(failure.value)} < target ${number(failure.target)}${counts}${worst}`
  })
  return [
    `Suite "${suite}" is below its threshold (${cases} case${cases === 1 ? '' : 's'} scored):`,
    ...lines,
    `Improve the failing cases, or change threshold in describeEval("${suite}").`,
  ].join('\n')
}
