// Labels are scoped by suite (test file + top-level describe, as the history names it): the same case id in two
// suites never shares a label. A legacy line (written before labels were scoped, without `suite`) applies to its
// case id only where that id is in exactly one suite of the run looked at, and to none when it is in several:
// nothing a user labelled is lost, and `llm-evals review --migrate-labels` scopes those lines for good. Pure.
import { labelKey, suiteKey, type HumanLabel } from './labels-file.js'
import { pushTo } from '../collections.js'

/** A label of the file and its line order (a later line wins, scoped or not). */
export interface Indexed {
  label: HumanLabel
  position: number
}

/** The labels of a file ready for {@link findLabel}: the newest line per suite, case, metric and trial. */
export interface LabelIndex {
  /** By `labelKey(suite, caseId, metric, trial)`; legacy lines under no suite. */
  readonly entries: ReadonlyMap<string, Indexed>
  /** The newest legacy (suite-less) line of each case and metric. */
  readonly legacy: readonly HumanLabel[]
  /** The newest line of each trial, by `labelKey(suite, caseId, metric)` without the trial. */
  readonly trials: ReadonlyMap<string, readonly Indexed[]>
}

/** Where a label is looked up: a case of a suite, and the metric; with `trial`, that trial's own label (1-based). */
export interface LabelTarget {
  suite: string
  caseId: string
  metric: string
  trial?: number
}

/**
 * Indexes labels (in file order) for {@link findLabel}.
 *
 * @example
 * const index = indexLabels(readLabels('evals/labels.jsonl').labels)
 */
export function indexLabels(labels: readonly HumanLabel[]): LabelIndex {
  const entries = new Map<string, Indexed>()
  labels.forEach((label, position) => entries.set(labelKey(label.suite, label.caseId, label.metric, label.trial), { label, position }))
  const legacy = [...entries.values()].filter(({ label }) => !label.suite).map(({ label }) => label)
  const trials = new Map<string, Indexed[]>()
  for (const entry of entries.values()) {
    const { suite, caseId, metric, trial } = entry.label
    if (trial !== undefined) pushTo(trials, labelKey(suite, caseId, metric), entry)
  }
  return { entries, legacy, trials }
}

/**
 * The suites each case id (else test name) of a run is in, compared as labels compare them.
 *
 * @example
 * suitesByCase(run.cases ?? []).get('refund-1') // Set { 'tickets.test.ts > tickets' }
 */
export function suitesByCase(cases: readonly { suite: string; test: string; caseId?: string | undefined }[]): Map<string, Set<string>> {
  const suites = new Map<string, Set<string>>()
  for (const score of cases) {
    const id = score.caseId ?? score.test
    const found = suites.get(id) ?? new Set<string>()
    found.add(suiteKey(score.suite))
    suites.set(id, found)
  }
  return suites
}

/** True when a legacy label of a case in `suite` applies there: the case id is in no other suite. */
function legacyApplies(suite: string, caseSuites: ReadonlySet<string> | undefined): boolean {
  return [...(caseSuites ?? [])].every((each) => suiteKey(each) === suiteKey(suite))
}

/**
 * The suite name without its project (`a.test.ts [model-a] > bot` → `a.test.ts > bot`), or undefined when it
 * names none.
 *
 * @example
 * suiteWithoutProject('a.test.ts [model-a] > bot') // 'a.test.ts > bot'
 */
export function suiteWithoutProject(suite: string): string | undefined {
  const match = /^([^>]*?) \[[^\]]*\](?= > |$)/.exec(suite)
  return match ? `${match[1]}${suite.slice(match[0].length)}` : undefined
}

/**
 * The label of a suite's case and metric: the newest line given in that suite, or a newer legacy line when the
 * case id is in no other suite (`caseSuites`: the suites the id is in, in the run looked at).
 *
 * @example
 * findLabel(index, { suite: 'bot.test.ts > bot', caseId: 'refund', metric: 'helpful' }, suitesByCase(run.cases).get('refund'))
 */
export function findLabel(index: LabelIndex, target: LabelTarget, caseSuites: ReadonlySet<string> | undefined): HumanLabel | undefined {
  return findIndexedLabel(index, target, caseSuites)?.label
}

/**
 * {@link findLabel} with the line's position in the file, to tell which of two labels is newer.
 *
 * @example
 * findIndexedLabel(index, { suite, caseId: 'refund', metric: 'helpful', trial: 2 }, caseSuites)?.position
 */
export function findIndexedLabel(index: LabelIndex, target: LabelTarget, caseSuites: ReadonlySet<string> | undefined): Indexed | undefined {
  const unprojected = suiteWithoutProject(target.suite)
  // A suite of a named project (`file [project] > describe`) also finds a label given before suites named their
  // project (`file > describe`): the project's own label, when there is one, wins.
  const scoped = index.entries.get(labelKey(target.suite, target.caseId, target.metric, target.trial)) ?? (unprojected === undefined ? undefined : index.entries.get(labelKey(unprojected, target.caseId, target.metric, target.trial)))
  const legacy = index.entries.get(labelKey(undefined, target.caseId, target.metric, target.trial))
  if (!legacy || !legacyApplies(target.suite, caseSuites)) return scoped
  return !scoped || legacy.position > scoped.position ? legacy : scoped
}

/**
 * The newest label given on one trial of a suite's case and metric to the output hashed `hash`: a trial's label
 * judges that output, whichever trial says it again.
 *
 * @example
 * trialLabelOfOutput(index, { suite: 'bot.test.ts > bot', caseId: 'refund', metric: 'intent' }, outputHash(text))?.label
 */
export function trialLabelOfOutput(index: LabelIndex, target: LabelTarget, hash: string): Indexed | undefined {
  const unprojected = suiteWithoutProject(target.suite)
  const candidates = [...(index.trials.get(labelKey(target.suite, target.caseId, target.metric)) ?? []), ...(unprojected === undefined ? [] : (index.trials.get(labelKey(unprojected, target.caseId, target.metric)) ?? []))]
  let newest: Indexed | undefined
  for (const entry of candidates) if (entry.label.outputHash === hash && (!newest || entry.position > newest.position)) newest = entry
  return newest
}

/** A legacy label that applies to no case: its case id is in several suites. */
export interface AmbiguousLegacyLabel {
  caseId: string
  metric: string
  /** The suites the case id is in. */
  suites: string[]
}

/**
 * Legacy labels that would be a case's current label but for the case id being in several suites of the run
 * (a suite with a newer label of its own does not count).
 *
 * @example
 * ambiguousLegacyLabels(index, suitesByCase(run.cases ?? [])) // [{ caseId: 'q1', metric: 'helpful', suites: ['a.test.ts', 'b.test.ts'] }]
 */
export function ambiguousLegacyLabels(index: LabelIndex, suites: ReadonlyMap<string, ReadonlySet<string>>): AmbiguousLegacyLabel[] {
  return index.legacy.flatMap((label) => {
    const caseSuites = suites.get(label.caseId)
    if (!caseSuites || caseSuites.size < 2) return []
    const legacy = index.entries.get(labelKey(undefined, label.caseId, label.metric, label.trial)) as Indexed
    const shadowed = (suite: string) => (index.entries.get(labelKey(suite, label.caseId, label.metric, label.trial))?.position ?? -1) > legacy.position
    return [...caseSuites].every(shadowed) ? [] : [{ caseId: label.caseId, metric: label.metric, suites: [...caseSuites] }]
  })
}

const SHOWN = 10

/**
 * One notice about legacy labels that apply to no case, naming them and the fix; `''` when there are none.
 *
 * @example
 * const notice = describeAmbiguousLegacy(ambiguous, 'evals/labels.jsonl')
 */
export function describeAmbiguousLegacy(ambiguous: readonly AmbiguousLegacyLabel[], labelsFile: string): string {
  if (!ambiguous.length) return ''
  const lines = ambiguous.slice(0, SHOWN).map(({ caseId, metric, suites }) => `  ${caseId} (${metric}): in ${suites.join(', ')}`)
  if (ambiguous.length > SHOWN) lines.push(`  … and ${ambiguous.length - SHOWN} more`)
  const count = ambiguous.length === 1 ? '1 label' : `${ambiguous.length} labels`
  return (
    `${count} in ${labelsFile} ${ambiguous.length === 1 ? 'has' : 'have'} no suite (written before labels were scoped by suite) and ${ambiguous.length === 1 ? 'its case id is' : 'their case ids are'} in several suites, so ${ambiguous.length === 1 ? 'it applies' : 'they apply'} to none of them:\n${lines.join('\n')}\n` +
    'Run `llm-evals review --migrate-labels` to add the suite where a case id is in one suite only, and label these cases again on the review page (or add `"suite"` to their lines by hand).'
  )
}
