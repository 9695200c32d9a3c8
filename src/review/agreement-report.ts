import { agreementByMetric, labelPairOf, type MetricAgreement, type ReviewRow } from './review-rows.js'
import { pushTo } from '../collections.js'

/** Agreement of one grader (a judge model and prompt version, or `code`) on one metric. */
export interface GraderAgreement extends MetricAgreement {
  /** `provider model (prompt version)` for judge metrics, `code` for deterministic graders. */
  grader: string
}

/** Floors on judge-human agreement (`gate.agreement`). */
export interface AgreementFloors {
  /** Lowest Cohen's kappa (quadratic-weighted for 1..N scales), −1..1. */
  minKappa?: number
  /** Lowest share of human-failed cases the grader fails too, 0..1. */
  minFailureRecall?: number
  /** Fewest current human labels a grader and metric needs before its agreement counts. */
  minN?: number
}

/** Name of the code grader in agreement tables. */
export const CODE_GRADER = 'code'

/**
 * Judge-human agreement per grader and metric: rows grouped by the judge that scored them (`code` when
 * none did), each group measured by {@link agreementByMetric}.
 *
 * @example
 * agreementByGrader(reviewRows(run, readLabels(file).labels)).map((each) => [each.grader, each.metric, each.stats?.kappa])
 */
export function agreementByGrader(rows: readonly ReviewRow[]): GraderAgreement[] {
  const byGrader = new Map<string, ReviewRow[]>()
  for (const row of rows) {
    const grader = row.judge ?? CODE_GRADER
    pushTo(byGrader, grader, row)
  }
  return [...byGrader].flatMap(([grader, graded]) => agreementByMetric(graded).map((agreement) => ({ grader, ...agreement })))
}

/** The kappa to read: quadratic-weighted on an ordinal (1..N) scale, else Cohen's kappa; undefined for rank-only rows. */
export function headlineKappa(agreement: MetricAgreement): number | null | undefined {
  if (!agreement.stats) return undefined
  return agreement.ordinal ? (agreement.stats.weightedKappa?.quadratic ?? null) : agreement.stats.kappa
}

/** Number of label pairs behind an agreement row. */
export function agreementN(agreement: MetricAgreement): number {
  return agreement.stats?.n ?? agreement.ranks?.n ?? 0
}

// Rounding noise (6/20 computed as 0.29999…) must not fail a floor the shown value meets.
const meets = (value: number | null | undefined, floor: number) => value !== null && value !== undefined && value + 1e-9 >= floor
const unknown = (value: number | null | undefined): value is null | undefined => value === null || value === undefined
const show = (value: number | null | undefined) => (unknown(value) ? 'undefined' : value.toFixed(3))

/** How a floor that cannot be checked yet (too few kinds of labels) is worded: the gate's message tells it apart from a disagreement. */
export const NOT_YET = 'cannot be computed yet'

/**
 * Why agreement fails its floors: one sentence per grader and metric naming the value, the floor and n
 * (empty when every floor is met). A kappa or recall that cannot be computed (e.g. humans failed nothing)
 * does not meet its floor. With `minN`, a run with no current human label at all fails too.
 *
 * @example
 * agreementFloorFailures(agreementByGrader(rows), { minKappa: 0.6 }, 'gate.agreement')
 */
export function agreementFloorFailures(agreements: readonly GraderAgreement[], floors: AgreementFloors, optionName = 'gate.agreement'): string[] {
  const failures: string[] = []
  if (floors.minN !== undefined && agreements.every((agreement) => agreementN(agreement) === 0)) {
    failures.push(`agreement: no case of this run has a current human label, so ${optionName}.minN ${floors.minN} is not met; label cases with \`llm-evals review\``)
  }
  for (const agreement of agreements) {
    const n = agreementN(agreement)
    const name = `agreement · ${agreement.grader} · ${agreement.metric}`
    if (floors.minN !== undefined && n < floors.minN) {
      failures.push(`${name}: only ${n} current human label${n === 1 ? '' : 's'}, fewer than ${optionName}.minN ${floors.minN}; label more cases with \`llm-evals review\``)
      continue
    }
    if (n === 0 || !agreement.stats) continue
    const kappa = headlineKappa(agreement)
    const kappaName = agreement.ordinal ? 'weighted kappa' : 'kappa'
    if (floors.minKappa !== undefined && !meets(kappa, floors.minKappa)) {
      failures.push(
        unknown(kappa)
          ? `${name}: ${kappaName} ${NOT_YET} (the human labels and the grader's verdicts are all one class, n ${n}), so ${optionName}.minKappa ${floors.minKappa} is not met; label cases of another class with \`llm-evals review\``
          : `${name}: ${kappaName} ${show(kappa)} is below ${optionName}.minKappa ${floors.minKappa} (n ${n})`,
      )
    }
    const recall = agreement.stats.failures?.failureRecall
    if (floors.minFailureRecall !== undefined && agreement.stats.failures && !meets(recall, floors.minFailureRecall)) {
      failures.push(
        unknown(recall)
          ? `${name}: failure recall ${NOT_YET} (no case has a human \`fail\` label, n ${n}), so ${optionName}.minFailureRecall ${floors.minFailureRecall} is not met; label a failing case with \`llm-evals review\``
          : `${name}: failure recall ${show(recall)} is below ${optionName}.minFailureRecall ${floors.minFailureRecall} (n ${n})`,
      )
    }
  }
  return failures
}

/** A case where grader and human disagree, ready to show a judge as a few-shot example. */
export interface DisagreementExample {
  /** Suite of the case (test file and top-level describe): the same case id in another suite is another case. */
  suite: string
  caseId: string
  metric: string
  /** A case run several times: the trial whose output was labelled (1-based). */
  trial?: number
  input?: string
  output?: string
  /** What the grader said: `pass`/`fail`, or its class or score for `label:` metrics. */
  graderLabel: string | number
  /** What the human said: the correct answer for the example. */
  humanLabel: string | number
  /** The human's note: why, in their words. */
  note?: string
  /** The grader's reasoning, to show what it got wrong. */
  graderReason?: string
}

/**
 * The disagreements of a run as few-shot examples for a judge prompt: one per case and metric whose
 * current human label contradicts the grader, with the human label as the answer.
 *
 * @example
 * const examples = disagreementExamples(reviewRows(run, readLabels(file).labels), { metric: 'rubric:helpful' })
 */
export function disagreementExamples(rows: readonly ReviewRow[], options: { metric?: string } = {}): DisagreementExample[] {
  return rows.flatMap((row) => {
    if (!row.disagrees || (options.metric !== undefined && row.metric !== options.metric && row.labelMetric !== options.metric)) return []
    const pair = labelPairOf(row)
    const graderLabel = pair ? pair.automated : row.pass ? 'pass' : 'fail'
    const humanLabel = pair ? pair.human : row.label?.label
    if (humanLabel === undefined) return []
    const example: DisagreementExample = { suite: row.suite, caseId: row.caseId, metric: row.labelMetric, ...(row.trial === undefined ? {} : { trial: row.trial }), graderLabel, humanLabel }
    if (row.input !== undefined) example.input = row.input
    if (row.output !== undefined) example.output = row.output
    if (row.label?.note) example.note = row.label.note
    if (row.reason !== undefined) example.graderReason = row.reason
    return [example]
  })
}
