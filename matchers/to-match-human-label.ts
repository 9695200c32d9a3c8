import { isAbsolute, resolve } from 'node:path'
import { inject, type MatcherState } from 'vitest'
import { ConfigError } from '../src/errors/index.js'
import { quoteJudgeText } from '../src/judge/options.js'
import { categoryEntries } from '../src/judge/scorers/classification.js'
import { compareLabels, normalizeLabel, type LabelValue } from '../src/metrics/agreement/compare-labels.js'
import { caseSuitesInHistory, findHumanLabel, isHumanLabelReference, type HumanLabelLookup, type HumanLabelReference } from '../src/review/human-label.js'
import { DEFAULT_LABELS_FILE, outputHash, suiteKey } from '../src/review/labels-file.js'
import { storedOutputHash } from '../src/review/output-hash.js'
import type { ProvidedOptions } from '../src/config.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'
import { recordScore } from './shared/record-score.js'
import { label, OptionsSchema, type HumanLabelOptions, type ParsedOptions } from './shared/label-options.js'
import { caseNameOf, checkHumanCategory, grade, graderSaid, isJudged, type Grading } from './shared/label-graders.js'
import { runningTest } from './shared/running-test.js'
import { keepRepeatOutput } from './shared/keep-output.js'
import { suiteOfTest } from './shared/test-suite.js'

export type { CategoryLabelOptions, Grader, GraderLabelOptions, GraderVerdict, HumanLabelOptions, RubricLabelOptions } from './shared/label-options.js'

// The reporter's default (`DEFAULT_HISTORY_FILE`), not imported: that module pulls the renderers into every worker.
const HISTORY_FILE = '.evals/history.jsonl'

/** The plugin's options, when the project uses it. */
function providedOptions(): Partial<ProvidedOptions> | undefined {
  try {
    return inject('llmEvals')
  } catch {
    return undefined
  }
}

/** The labels file the running project uses: the plugin's `labels.file`, else `evals/labels.jsonl`, from the root. */
function labelsFile(reference: HumanLabelReference): string {
  const provided = providedOptions()
  const file = reference.file ?? provided?.labels?.file ?? DEFAULT_LABELS_FILE
  return isAbsolute(file) ? file : resolve(provided?.root ?? process.cwd(), file)
}

/**
 * The label of the referenced case in the running test's suite. A legacy label (no suite) applies when the case
 * id is in this suite only: in this test and, with the plugin's history, in the newest recorded run.
 */
function lookUp(state: MatcherState, reference: HumanLabelReference, hash: string | undefined): HumanLabelLookup {
  const provided = providedOptions()
  const root = provided?.root ?? process.cwd()
  const suite = suiteOfTest(runningTest(state), root)
  const target = { suite: suite ?? '', caseId: reference.caseId, metric: reference.metric }
  // Outside a test file there is no suite to scope by: only a legacy label can apply, as before labels had one.
  const byOutput = hash === undefined ? {} : { outputHash: hash }
  if (suite === undefined) return findHumanLabel(labelsFile(reference), target, undefined, byOutput)
  const historyFile = provided?.root === undefined || provided.history === false ? undefined : resolve(root, provided.history?.file ?? HISTORY_FILE)
  const caseSuites = () => new Set([suiteKey(suite), ...(historyFile ? (caseSuitesInHistory(historyFile).get(reference.caseId) ?? []) : [])])
  return findHumanLabel(labelsFile(reference), target, caseSuites, byOutput)
}

/**
 * Passes when the automated verdict equals the human label (ignoring case, whitespace, punctuation; with
 * `aliases`). The verdict is the output itself (classifiers), what `grader` says about it, the judge's
 * verdict on `rubric`, or the one of `categories` the judge assigns (to validate the judge); a human label
 * that is not one of the `categories` is an error. `label` comes from the dataset row or from the labels file
 * via `humanLabel(caseId, metric)`. Records the (automated, human) pair. A case with no current label
 * (none yet, or one on a different output) is graded and recorded as awaiting a label — shown on the
 * review page, neither a failure nor a disagreement — and the assertion passes.
 *
 * @example
 * await expect(intent).toMatchHumanLabel(row.intent, { aliases: { refund: ['money back'] } })
 * await expect(reply).toMatchHumanLabel(humanLabel(row.id, 'helpful'), { rubric: 'Answers the question and offers a next step.' })
 * await expect(reply).toMatchHumanLabel(row.outcome, { categories: ['resolved', 'partially-resolved', 'unresolved', 'harmful'], question: row.message })
 * @see docs/human-review.md#tomatchhumanlabel
 */
export async function toMatchHumanLabel(this: MatcherState, output: unknown, expected: LabelValue | HumanLabelReference, options: HumanLabelOptions = {}): Promise<MatcherOutcome> {
  const parsed = parseMatcherOptions('toMatchHumanLabel', OptionsSchema(), options)
  const aliases = parsed.aliases ?? {}
  const reference = isHumanLabelReference(expected) ? expected : undefined
  if (!reference && !label().safeParse(expected).success) {
    throw new ConfigError(`toMatchHumanLabel() needs the human label as a string, number or boolean, or humanLabel(caseId, metric); got ${JSON.stringify(expected) ?? typeof expected}.`)
  }
  const metric = parsed.metric ?? reference?.metric ?? 'label'
  const text = typeof output === 'string' ? output : undefined
  const meta = (runningTest(this)?.meta ?? {}) as { output?: unknown; humanLabel?: unknown }
  if (text !== undefined) {
    meta.output ??= text
    // Under Vitest's repeats each repeat is its own review row: it shows (and a label given there hashes) what it graded.
    keepRepeatOutput(this, text)
  }
  // The output as a cassette stores it (redacted) is hashed: live when recorded and replayed, it is the same output.
  const hash = text === undefined ? undefined : storedOutputHash(text)
  // A label given on one trial of the case (review page) is found by the output it judged.
  const found = reference ? lookUp(this, reference, hash) : {}
  const stored = found.label
  // A label given before hashes were of the stored form holds the hash of the text as it was.
  const stale = stored?.outputHash !== undefined && text !== undefined && stored.outputHash !== hash && stored.outputHash !== outputHash(text)
  if (reference && (!stored || stale)) {
    const ambiguous = found.ambiguousLegacy ? { ambiguous: found.ambiguousLegacy.suites } : {}
    return awaitingLabel(this, output, parsed, { reference, metric, ...(stale && stored ? { stale: stored } : {}), ...ambiguous, ...(hash ? { hash } : {}) })
  }
  const human = stored ? stored.label : (expected as LabelValue)
  if (parsed.categories) {
    const origin = { caseName: caseNameOf(this, reference), metric, ...(stored && reference ? { file: labelsFile(reference) } : {}) }
    checkHumanCategory(human, categoryEntries(parsed.categories, 'toMatchHumanLabel()'), aliases, origin)
  }
  const grading = await grade(this, output, parsed, human)
  const comparison = compareLabels(grading.verdict, human, aliases)
  meta.humanLabel = String(comparison.human)
  const said = `${graderSaid(grading, comparison.automated)}, human said ${JSON.stringify(comparison.human)}`
  return toMatcherResult(this, {
    record: {
      metric: `label:${metric}`,
      score: comparison.agree ? 1 : 0,
      pass: comparison.agree,
      reason: grading.reason ? `${said}: ${grading.reason}` : said,
      details: {
        automated: comparison.automated,
        human: comparison.human,
        grader: grading.grader,
        ...(grading.votes ? { votes: grading.votes } : {}),
        source: stored ? 'labels-file' : 'argument',
        ...(hash ? { outputHash: hash } : {}),
        ...(stored?.by ? { labelledBy: stored.by } : {}),
        ...(stored?.note ? { note: stored.note } : {}),
      },
      ...grading.judged,
    },
    report: {
      matcherName: 'toMatchHumanLabel',
      expectedLabel: 'label',
      expectation: `to match the human label ${JSON.stringify(comparison.human)}${grading.grader === 'function' ? ' by its grader' : isJudged(grading) ? ' by the judge' : ''}`,
      reasons: [said, ...(grading.reason ? [`${isJudged(grading) ? 'judge' : 'grader'}'s reason: ${quoteIfJudged(grading)}`] : []), ...(stored?.note ? [`human's note: ${stored.note}`] : [])],
      ...(text === undefined ? {} : { output: text }),
    },
    actual: comparison.automated,
    expected: comparison.human,
  })
}

/** Judge reasoning is untrusted model text: quoted and escaped in messages, as every judged matcher does. */
function quoteIfJudged(grading: Grading): string {
  return isJudged(grading) ? quoteJudgeText(grading.reason ?? '') : (grading.reason ?? '')
}

interface Unlabelled {
  reference: HumanLabelReference
  metric: string
  hash?: string
  /** The label given to a different output. */
  stale?: { label: LabelValue; by?: string }
  /** A label without a suite that applies to none: the case id is in these suites. */
  ambiguous?: string[]
}

/**
 * A case with no current human label: graded all the same and recorded with `details.awaitingLabel`, so
 * the review page lists it with the grader's verdict. It passes (pass true, score 0); the reporter keeps
 * it out of scores, failures and agreement until a human labels it.
 */
async function awaitingLabel(state: MatcherState, output: unknown, options: ParsedOptions, unlabelled: Unlabelled): Promise<MatcherOutcome> {
  const { reference, metric, stale, hash, ambiguous } = unlabelled
  const grading = await grade(state, output, options, undefined)
  const automated = normalizeLabel(grading.verdict, options.aliases ?? {})
  const why = stale
    ? `its label (${JSON.stringify(stale.label)} by ${stale.by ?? 'someone'}) is on a different output: review it again`
    : ambiguous
      ? `its label has no suite and the case id is in several suites (${ambiguous.join(', ')}), so it applies to none: run \`llm-evals review --migrate-labels\` or label it again`
      : 'nobody has labelled it yet'
  const said = graderSaid(grading, automated)
  recordScore(state, {
    metric: `label:${metric}`,
    score: 0,
    pass: true,
    reason: `awaiting a human label (${stale ? 'stale label' : ambiguous ? 'its label has no suite and the case id is in several suites' : 'unlabelled'}); ${said}${grading.reason ? `: ${grading.reason}` : ''}`,
    details: {
      awaitingLabel: true,
      automated,
      grader: grading.grader,
      ...(grading.votes ? { votes: grading.votes } : {}),
      source: 'labels-file',
      ...(hash ? { outputHash: hash } : {}),
      ...(stale ? { staleLabel: stale.label } : {}),
    },
    ...grading.judged,
  })
  return { pass: true, message: () => `Expected case ${JSON.stringify(reference.caseId)} (${metric}) to have a current human label, but ${why} (\`llm-evals review\`).` }
}
