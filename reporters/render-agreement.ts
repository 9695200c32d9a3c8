import { styleText } from 'node:util'
import { agreementN, headlineKappa, type GraderAgreement } from '../src/review/agreement-report.js'
import type { ConfusionMatrix } from '../src/metrics/agreement/confusion-matrix.js'
import { table } from './render-terminal.js'

const fixed = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3))

/** Accuracy with its Wilson 95% interval: `0.833 [0.436, 0.970]`. */
export function formatAccuracy(agreement: GraderAgreement): string {
  const accuracy = agreement.stats?.accuracy
  return accuracy ? `${fixed(accuracy.value)} [${fixed(accuracy.low)}, ${fixed(accuracy.high)}]` : '—'
}

/** A confusion matrix as text rows: human labels down, grader labels across. */
export function confusionLines(confusion: ConfusionMatrix): string[] {
  const labels = confusion.labels.map(String)
  const header = ['human \\ grader', ...labels]
  const body = confusion.counts.map((row, index) => [labels[index] ?? '', ...row.map(String)])
  return table([header, ...body], ['left', ...labels.map(() => 'right' as const)])
}

/**
 * The judge-human agreement table printed after the score table: per grader and metric, n, accuracy with
 * its Wilson 95% interval, kappa (quadratic-weighted on 1..N scales, marked `w`), failure recall,
 * false-failure rate, and the confusion matrix below each row. Empty when nothing is labelled. The header
 * names `labelsFile` when labels were read from it, else the cases' own `humanLabel` (a dataset field).
 *
 * @example
 * logger.log(renderAgreement(agreementByGrader(rows), { color: false, labelsFile: 'evals/labels.jsonl' }).join('\n'))
 */
export function renderAgreement(agreements: readonly GraderAgreement[], options: { color: boolean; labelsFile?: string }): string[] {
  const counted = agreements.filter((agreement) => agreementN(agreement) > 0 || agreement.skipped > 0)
  if (counted.length === 0) return []
  const paint = (style: 'bold' | 'dim' | 'yellow', text: string) => (options.color ? styleText(style, text, { validateStream: false }) : text)
  const source = options.labelsFile ? `from ${options.labelsFile}` : "from the cases' humanLabel"
  const lines = ['', paint('bold', 'Judge-human agreement') + paint('dim', ` (human labels ${source}; rows of the matrix are the human label)`)]
  const header = ['grader', 'metric', 'n', 'accuracy [95% CI]', 'kappa', 'fail recall', 'false fail']
  const body = counted.map((agreement) => {
    const kappa = headlineKappa(agreement)
    return [
      agreement.grader,
      agreement.metric,
      String(agreementN(agreement)),
      formatAccuracy(agreement),
      `${fixed(kappa)}${agreement.ordinal && kappa !== undefined ? ' w' : ''}`,
      fixed(agreement.stats?.failures?.failureRecall),
      fixed(agreement.stats?.failures?.falseFailureRate),
    ]
  })
  const rendered = table([header, ...body], ['left', 'left', 'right', 'left', 'right', 'right', 'right'])
  lines.push(`   ${paint('dim', rendered[0] ?? '')}`)
  counted.forEach((agreement, index) => {
    lines.push(`   ${rendered[index + 1] ?? ''}`)
    if (agreement.ranks) lines.push(paint('dim', `       scores vs 1..N labels: spearman ${fixed(agreement.ranks.spearman)} · kendall tau-b ${fixed(agreement.ranks.kendallTauB)}`))
    if (agreement.stats && agreement.stats.n > 0) for (const line of confusionLines(agreement.stats.confusion)) lines.push(`       ${line}`)
    if (agreement.skipped) lines.push(paint('yellow', `       ${agreement.skipped} label${agreement.skipped === 1 ? '' : 's'} not counted (on an older output, or not a label this metric can compare)`))
  })
  if (counted.some((agreement) => agreement.ordinal)) lines.push(paint('dim', '   w = quadratic-weighted kappa (ordinal 1..N scale)'))
  return lines
}
