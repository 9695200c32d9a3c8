import { classMetrics, failureAgreement, type ClassMetrics, type FailureAgreement } from './class-metrics.js'
import { confusionMatrix, labelKey, orderLabels, type AgreementLabel, type ConfusionMatrix, type LabelPair } from './confusion-matrix.js'
import { cohenKappa } from './kappa.js'
import { wilsonInterval, type ProportionInterval } from './proportion.js'
import { kendallTauB, spearman } from './rank-correlation.js'

/** Options of {@link agreementStats}. */
export interface AgreementOptions {
  /** Label order; for an ordinal scale, lowest first. Default: numbers ascending, else alphabetical. */
  labels?: readonly AgreementLabel[]
  /** Treat the labels as an ordinal scale (weighted kappa). Default: true when every label is a number. */
  ordinal?: boolean
  /** The failing and passing labels, for failure recall, false-failure rate and MCC. Default `fail` / `pass`. */
  failLabel?: AgreementLabel
  passLabel?: AgreementLabel
}

/** How well a grader agrees with human labels. Ratios are `null` where they have no cases. */
export interface AgreementStats {
  n: number
  confusion: ConfusionMatrix
  /** Exact agreement with its Wilson 95% interval. */
  accuracy: ProportionInterval | null
  /** Cohen's kappa (unweighted). */
  kappa: number | null
  /** Weighted kappa, for ordinal scales only. */
  weightedKappa?: { linear: number | null; quadratic: number | null }
  /** Precision, recall and F1 of each class. */
  classes: ClassMetrics[]
  /** Pass/fail statistics, when the labels are exactly the fail and pass labels. */
  failures?: FailureAgreement
  /** Rank correlations, when every label is a number. */
  spearman?: number | null
  kendallTauB?: number | null
}

/**
 * Agreement of an automated grader with human labels: n, accuracy (Wilson 95%), Cohen's kappa (weighted
 * for ordinal scales), confusion matrix, per-class precision/recall/F1; for pass/fail labels also
 * prevalence, failure recall, false-failure rate and MCC; for numeric scores Spearman and Kendall tau-b.
 *
 * @example
 * agreementStats([{ automated: 'pass', human: 'fail' }, { automated: 'fail', human: 'fail' }]).failures?.failureRecall // 0.5
 */
export function agreementStats(pairs: readonly LabelPair[], options: AgreementOptions = {}): AgreementStats {
  const failLabel = options.failLabel ?? 'fail'
  const passLabel = options.passLabel ?? 'pass'
  const labels = options.labels ? [...options.labels] : orderLabels(pairs.flatMap((pair) => [pair.human, pair.automated]))
  const numeric = labels.length > 0 && labels.every((label) => typeof label === 'number')
  const confusion = confusionMatrix(pairs, labels)
  const agreeing = confusion.counts.reduce((sum, row, index) => sum + (row[index] ?? 0), 0)
  const stats: AgreementStats = {
    n: pairs.length,
    confusion,
    accuracy: wilsonInterval(agreeing, pairs.length),
    kappa: cohenKappa(confusion),
    classes: classMetrics(confusion),
  }
  if (options.ordinal ?? numeric) stats.weightedKappa = { linear: cohenKappa(confusion, 'linear'), quadratic: cohenKappa(confusion, 'quadratic') }
  const keys = new Set(labels.map(labelKey))
  const isPassFail = keys.size === 2 && keys.has(labelKey(failLabel)) && keys.has(labelKey(passLabel))
  const onlyOne = keys.size === 1 && (keys.has(labelKey(failLabel)) || keys.has(labelKey(passLabel)))
  if (isPassFail || onlyOne) stats.failures = failureAgreement(confusionMatrix(pairs, [failLabel, passLabel]), failLabel, passLabel)
  if (numeric) {
    const automated = pairs.map((pair) => Number(pair.automated))
    const human = pairs.map((pair) => Number(pair.human))
    stats.spearman = spearman(automated, human)
    stats.kendallTauB = kendallTauB(automated, human)
  }
  return stats
}
