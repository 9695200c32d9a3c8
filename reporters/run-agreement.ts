import type { CaseScore } from '../src/history/run-record.js'
import { agreementByGrader, disagreementExamples, type DisagreementExample, type GraderAgreement } from '../src/review/agreement-report.js'
import { labelKey, readLabels, type HumanLabel, type LabelsProblem } from '../src/review/labels-file.js'
import { ambiguousLegacyLabels, findLabel, indexLabels, suitesByCase, type AmbiguousLegacyLabel } from '../src/review/label-scope.js'
import { reviewRows, type ReviewRow } from '../src/review/review-rows.js'

/** Judge-human agreement of one run: the tables, the disagreeing rows, and unreadable lines of the labels file. */
export interface RunAgreement {
  /** The labels file read (absolute). */
  labelsFile: string
  /** Labels read from that file (0 when it does not exist: labels then come from the cases' `humanLabel`). */
  fileLabels: number
  agreements: GraderAgreement[]
  /** Cases whose current human label contradicts the grader, in run order. */
  disagreements: DisagreementExample[]
  /** Lines of the labels file that could not be read (not counted, never changed). */
  problems: LabelsProblem[]
  /** The label of each suite, case and metric of the run (by `labelKey(suite, caseId, metric)`), for reports to show beside the scores. */
  labels?: ReadonlyMap<string, HumanLabel>
  /** Legacy (suite-less) labels applied to no case because their case id is in several suites of the run. */
  ambiguousLegacy?: AmbiguousLegacyLabel[]
  /** The human label of each trial of a case run several times (by `labelKey(suite, caseId, metric, trial)`), as its review row shows it. */
  trialLabels?: ReadonlyMap<string, TrialLabel>
}

/** A trial's human label as a report shows it: marked when given on an older output, and whether its verdict disagrees. */
export interface TrialLabel {
  label: string
  disagrees: boolean
}

/** The labels of the trial rows: the one given on the trial (the labels file), else the one its matcher compared with. */
function trialLabelsOf(rows: readonly ReviewRow[]): Map<string, TrialLabel> {
  const found = new Map<string, TrialLabel>()
  for (const row of rows) {
    if (row.trial === undefined) continue
    // A case label every trial's matcher read counts on one trial only (see `recordedCountedElsewhere`): said so.
    const recorded = row.recordedHumanLabel === undefined ? undefined : `${row.recordedHumanLabel}${row.recordedCountedElsewhere ? " (the case's label, counted on another trial)" : ''}`
    const label = row.label ? `${row.label.label}${row.label.stale ? ' (on an older output)' : ''}` : recorded
    if (label !== undefined) found.set(labelKey(row.suite, row.caseId, row.labelMetric, row.trial), { label: String(label), disagrees: row.disagrees })
  }
  return found
}

const labelMetric = (metric: string) => (metric.startsWith('label:') ? metric.slice('label:'.length) : metric)

/**
 * Measures a run's cases against the human labels in `labelsFile` (a missing file has no labels). A label
 * applies to the cases of its suite only (see `findLabel`). Notes are scrubbed as `readLabels` reads them, of
 * `secrets` too (the run's live credential values: `runSecrets`).
 *
 * @example
 * const { agreements, disagreements } = measureAgreement(summary.cases, '/repo/evals/labels.jsonl')
 */
export function measureAgreement(cases: readonly CaseScore[] | undefined, labelsFile: string, secrets?: readonly { name: string; value: string }[]): RunAgreement {
  const { labels, problems } = readLabels(labelsFile, secrets)
  // No label in the file and no `label:` metric (the only rows that carry a human label of their own): nothing to
  // agree on, and no need to build a review row per case (~5 µs each).
  if (labels.length === 0 && !(cases ?? []).some((score) => score.metric.startsWith('label:'))) {
    return { labelsFile, fileLabels: 0, agreements: [], disagreements: [], problems, labels: new Map() }
  }
  const index = indexLabels(labels)
  const suites = suitesByCase(cases ?? [])
  const current = new Map<string, HumanLabel>()
  for (const score of cases ?? []) {
    const target = { suite: score.suite, caseId: score.caseId ?? score.test, metric: labelMetric(score.metric) }
    const found = findLabel(index, target, suites.get(target.caseId))
    if (found) current.set(labelKey(target.suite, target.caseId, target.metric), found)
  }
  const rows = reviewRows({ cases: [...(cases ?? [])] }, labels)
  const ambiguousLegacy = ambiguousLegacyLabels(index, suites)
  const trialLabels = trialLabelsOf(rows)
  return {
    labelsFile,
    fileLabels: labels.length,
    agreements: agreementByGrader(rows),
    disagreements: disagreementExamples(rows),
    problems,
    labels: current,
    ...(ambiguousLegacy.length ? { ambiguousLegacy } : {}),
    ...(trialLabels.size ? { trialLabels } : {}),
  }
}
