import { isAbsolute, resolve } from 'node:path'
import { inject, type MatcherState } from 'vitest'
import { z } from 'zod'
import { ConfigError } from '../src/errors/index.js'
import { compareLabels, type LabelAliases, type LabelValue } from '../src/metrics/agreement/compare-labels.js'
import { findHumanLabel, isHumanLabelReference, type HumanLabelReference } from '../src/review/human-label.js'
import { DEFAULT_LABELS_FILE, outputHash } from '../src/review/labels-file.js'
import { toMatcherResult, type MatcherOutcome } from './shared/matcher-result.js'
import { parseMatcherOptions } from './shared/options.js'

/** What a grader returns: a label, or a label with the grader's reasoning. */
export type GraderVerdict = LabelValue | { label: LabelValue; reason?: string }

/** An automated grader: a classifier, a heuristic, or a call to a judge model. */
export type Grader = (output: unknown) => GraderVerdict | Promise<GraderVerdict>

/** Options of `toMatchHumanLabel`. */
export interface HumanLabelOptions {
  /** What is labelled; the record's metric is `label:<metric>`. Default: the `humanLabel()` metric, else `label`. */
  metric?: string
  /** Grades the output; its verdict is compared with the label. Without it the output itself is the verdict. */
  grader?: Grader
  /** Alternative spellings per label, e.g. `{ refund: ['money back'] }`. */
  aliases?: LabelAliases
}

const label = z.union([z.string(), z.number().finite(), z.boolean()])
const OptionsSchema = z.strictObject({
  metric: z.string().min(1).optional(),
  grader: z.custom<Grader>((value) => typeof value === 'function', 'must be a function (output) => label; the `{ rubric }` judge grader is not available yet').optional(),
  aliases: z.record(z.string(), z.array(z.string())).optional(),
})
const VerdictSchema = z.union([label, z.object({ label, reason: z.string().optional() })])

/** The labels file the running project uses: the plugin's `labels.file`, else `evals/labels.jsonl`, from the root. */
function labelsFile(reference: HumanLabelReference): string {
  let provided: { root?: string; labels?: { file: string } } | undefined
  try {
    provided = inject('llmEvals')
  } catch {}
  const root = provided?.root ?? process.cwd()
  const file = reference.file ?? provided?.labels?.file ?? DEFAULT_LABELS_FILE
  return isAbsolute(file) ? file : resolve(root, file)
}

async function gradeOutput(output: unknown, grader: Grader | undefined): Promise<{ verdict: LabelValue; reason?: string }> {
  const raw = grader ? await grader(output) : output
  const parsed = VerdictSchema.safeParse(raw)
  if (!parsed.success) {
    const what = grader ? 'its grader returned' : 'got the output'
    throw new ConfigError(`toMatchHumanLabel() ${what} ${JSON.stringify(raw)?.slice(0, 80) ?? String(raw)}; it needs a label (string, number or boolean) or { label, reason }. Pass a grader that extracts the label.`)
  }
  return typeof parsed.data === 'object' ? { verdict: parsed.data.label, ...(parsed.data.reason ? { reason: parsed.data.reason } : {}) } : { verdict: parsed.data }
}

/**
 * Passes when the automated verdict equals the human label (ignoring case, whitespace, punctuation; with
 * `aliases`). The verdict is the output itself (classifiers) or what `grader` says about it (to validate a
 * judge). `label` comes from the dataset row or from the labels file via `humanLabel(caseId, metric)`;
 * a case with no label yet, or a label on a different output, is not scored. Records the (automated, human) pair.
 *
 * @example
 * await expect(intent).toMatchHumanLabel(row.intent, { aliases: { refund: ['money back'] } })
 * await expect(reply).toMatchHumanLabel(humanLabel(row.id, 'helpful'), { grader: judgeHelpful })
 * @see README.md#human-review
 */
export async function toMatchHumanLabel(this: MatcherState, output: unknown, expected: LabelValue | HumanLabelReference, options: HumanLabelOptions = {}): Promise<MatcherOutcome> {
  const { metric: named, grader, aliases = {} } = parseMatcherOptions('toMatchHumanLabel', OptionsSchema, options)
  const reference = isHumanLabelReference(expected) ? expected : undefined
  if (!reference && !label.safeParse(expected).success) {
    throw new ConfigError(`toMatchHumanLabel() needs the human label as a string, number or boolean, or humanLabel(caseId, metric); got ${JSON.stringify(expected) ?? typeof expected}.`)
  }
  const metric = named ?? reference?.metric ?? 'label'
  const text = typeof output === 'string' ? output : undefined
  const meta = (this.task?.meta ?? {}) as { output?: unknown; humanLabel?: unknown }
  if (text !== undefined) meta.output ??= text
  const stored = reference ? findHumanLabel(labelsFile(reference), reference.caseId, reference.metric) : undefined
  const hash = text === undefined ? undefined : outputHash(text)
  const stale = stored?.outputHash !== undefined && hash !== undefined && stored.outputHash !== hash
  if (reference && (!stored || stale)) {
    const why = stored ? `its label (${JSON.stringify(stored.label)} by ${stored.by ?? 'someone'}) is on a different output: review it again` : 'nobody has labelled it yet'
    return { pass: true, message: () => `Expected case ${JSON.stringify(reference.caseId)} (${metric}) to have a current human label, but ${why} (\`llm-evals review\`).` }
  }
  const human = stored ? stored.label : (expected as LabelValue)
  const { verdict, reason } = await gradeOutput(output, grader)
  const comparison = compareLabels(verdict, human, aliases)
  meta.humanLabel = String(comparison.human)
  const said = `${grader ? 'grader' : 'output'} said ${JSON.stringify(comparison.automated)}, human said ${JSON.stringify(comparison.human)}`
  return toMatcherResult(this, {
    record: {
      metric: `label:${metric}`,
      score: comparison.agree ? 1 : 0,
      pass: comparison.agree,
      reason: reason ? `${said}: ${reason}` : said,
      details: {
        automated: comparison.automated,
        human: comparison.human,
        grader: grader ? 'function' : 'output',
        source: stored ? 'labels-file' : 'argument',
        ...(hash ? { outputHash: hash } : {}),
        ...(stored?.by ? { labelledBy: stored.by } : {}),
        ...(stored?.note ? { note: stored.note } : {}),
      },
    },
    report: {
      matcherName: 'toMatchHumanLabel',
      expectedLabel: 'label',
      expectation: `to match the human label ${JSON.stringify(comparison.human)}${grader ? ' by its grader' : ''}`,
      reasons: [said, ...(reason ? [`grader's reason: ${reason}`] : []), ...(stored?.note ? [`human's note: ${stored.note}`] : [])],
      ...(text === undefined ? {} : { output: text }),
    },
    actual: comparison.automated,
    expected: comparison.human,
  })
}
