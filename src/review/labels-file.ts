import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs'
import { appendWhole } from '../append-whole.js'
import { readRegularFile } from '../regular-file.js'
import { utf8Text } from '../utf8-text.js'
import { lazyZodSchema } from '../lazy-schema.js'
import { LabelsError, SecretLeakError } from '../errors/index.js'
import { withFileLock } from '../atomic-files.js'
import { fileWriteError } from '../file-write-error.js'
import { guardWrite, liveSecrets } from '../cassettes/redact.js'
import { labelShower, storedLabel } from './label-text.js'

/** Where labels live unless `labels.file` (plugin) or `--labels` (CLI) says otherwise; relative to the project root. */
export const DEFAULT_LABELS_FILE = 'evals/labels.jsonl'

/** One human label: one line of the labels file. Later lines for the same case and metric replace earlier ones. */
export interface HumanLabel {
  /** The dataset case id (`task.meta.caseId`), else the test's full name. */
  caseId: string
  /** The metric or rubric the label judges, e.g. `rubric:helpful`, or a name of your own. */
  metric: string
  /** `pass` / `fail`, a class name, or a score on a 1..N scale. */
  label: string | number
  note?: string
  /** Who labelled. */
  by?: string
  /** ISO time of labelling. */
  at: string
  /** {@link outputHash} of the output that was labelled: a label on another output is stale. */
  outputHash?: string
  /**
   * Suite of the case as the history names it: the test file relative to the root, plus ` > ` and its top-level
   * `describe` (`evals/tickets.test.ts > tickets`). A label applies to that suite's case only; a line without it
   * (written before labels were scoped) applies only where its case id is in exactly one suite.
   */
  suite?: string
  /**
   * The trial (1-based, as the review page shows "trial 2 of 3") of a case run several times (`repeats`) whose
   * output was labelled. A line without it labels the case: on a case with several trials it applies to the trial
   * whose output it was given on (its `outputHash`), else to the trial that gave the grader's most frequent answer
   * (the latest such). See docs/human-review.md.
   */
  trial?: number
}

/** Shape of a labels line; unknown fields (from newer versions) are kept. */
export const humanLabelSchema = lazyZodSchema((z) =>
  z.looseObject({
    caseId: z.string().min(1),
    metric: z.string().min(1),
    label: z.union([z.string().trim().min(1), z.number().finite()]),
    note: z.string().optional(),
    by: z.string().optional(),
    at: z.string().min(1),
    outputHash: z.string().optional(),
    suite: z.string().optional(),
    trial: z.number().int().positive().optional(),
  }),
)

/** A line of the labels file that could not be read. */
export interface LabelsProblem {
  file: string
  line: number
  message: string
}

/** Everything in a labels file: labels in file order, and the lines that could not be read. */
export interface LabelsContent {
  labels: HumanLabel[]
  problems: LabelsProblem[]
}

export { outputHash } from './output-hash.js'

/**
 * Key of a suite, case, metric (and trial) in {@link latestLabels}; no suite (or `''`) is the key of a legacy, unscoped label.
 * Path separators in the suite are compared as `/`, so labels given on Windows apply on Linux CI too.
 *
 * @example
 * latestLabels(labels).get(labelKey('evals/tickets.test.ts > tickets', 'refund-1', 'intent'))
 */
export function labelKey(suite: string | undefined, caseId: string, metric: string, trial?: number): string {
  const key = `${suiteKey(suite)}\u0000${caseId}\u0000${metric}`
  // A trial's label is its own: it never replaces the case's label, nor another trial's.
  return trial === undefined ? key : `${key}\u0000${trial}`
}

/** A suite name as labels compare it: backslashes read as `/`; no suite is `''`. */
export function suiteKey(suite: string | undefined): string {
  return (suite ?? '').replaceAll('\\', '/')
}

/**
 * The suite name of a test as the history writes it and labels are scoped by: its file (relative to the root), plus
 * its Vitest project when it has a name, plus its top-level `describe`. Here, not in the reporter's modules: the
 * toMatchHumanLabel matcher names its test's suite with it in the workers, which must not load the reporter's chunk.
 *
 * @example
 * suiteName({ module: 'evals/bot.test.ts', describe: 'bot' }) // 'evals/bot.test.ts > bot'
 */
export function suiteName(test: { module: string; describe?: string | undefined; project?: string | undefined }): string {
  const file = test.project ? `${test.module} [${test.project}]` : test.module
  return test.describe ? `${file} > ${test.describe}` : file
}

/**
 * Reads a labels file. A missing file has no labels; a line that is not a label is listed in `problems`
 * with its line number (never thrown here, never dropped from the file). Each label is returned as reports show
 * it (`shownLabel`): its note, reviewer and label value scrubbed of what looks like a secret and of the values
 * of `secrets` (default: the live credential variables), control characters escaped.
 *
 * @example
 * const { labels, problems } = readLabels('evals/labels.jsonl')
 */
export function readLabels(file: string, secrets: readonly { name: string; value: string }[] = liveSecrets()): LabelsContent {
  if (!existsSync(file)) return { labels: [], problems: [] }
  const labels: HumanLabel[] = []
  const problems: LabelsProblem[] = []
  const shown = labelShower(secrets)
  readLabelsText(file)
    .split('\n')
    .forEach((text, index) => {
      if (text.trim() === '') return
      const problem = (message: string) => problems.push({ file, line: index + 1, message })
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        return problem(text.startsWith('<<<<<<<') || text.startsWith('=======') || text.startsWith('>>>>>>>') ? 'a merge conflict marker; keep both sides\' lines and delete the markers' : 'not valid JSON')
      }
      const parsed = humanLabelSchema().safeParse(value)
      if (parsed.success) labels.push(shown(parsed.data as HumanLabel))
      else problem(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; '))
    })
  return { labels, problems }
}

/** The text of labels file `file` (it exists); a directory, FIFO or device in its place is a {@link LabelsError}, never a read that blocks. */
export function readLabelsText(file: string): string {
  const bytes = readRegularFile(file, (kind) => new LabelsError(`Cannot read the labels file ${file}: it is ${kind}, not a file. Point \`labels.file\` in llmEvals() (or --labels) at a JSONL file, or remove what is there.`))
  // Never read through replacement characters: the review page's next save would write them over the labels.
  return utf8Text(bytes, ({ line }) => new LabelsError(`Cannot read the labels file ${file}: line ${line} is not UTF-8 (an editor saved it in another encoding, such as Latin-1). Save it as UTF-8 again (nothing was written to it).`))
}

/**
 * The newest label of each suite, case, metric and trial (a later line wins), by {@link labelKey}; legacy lines
 * without a suite are keyed under no suite. To find the label that applies to a case, use `findLabel`.
 *
 * @example
 * latestLabels(readLabels('evals/labels.jsonl').labels).get(labelKey('bot.test.ts > bot', 'refund', 'helpful'))
 */
export function latestLabels(labels: readonly HumanLabel[]): Map<string, HumanLabel> {
  return new Map(labels.map((label) => [labelKey(label.suite, label.caseId, label.metric, label.trial), label]))
}

/** Most problems {@link describeProblems} lists: a file of garbage (millions of lines) must not make a message of megabytes. */
const LISTED_PROBLEMS = 20

/** A readable list of a file's problems (the first 20, then how many more), for error messages and the review page. */
export function describeProblems(problems: readonly LabelsProblem[]): string {
  const lines = problems.slice(0, LISTED_PROBLEMS).map((problem) => `  ${problem.file}:${problem.line}: ${problem.message}`)
  const more = problems.length - LISTED_PROBLEMS
  return (more > 0 ? [...lines, `  … and ${more} more ${more === 1 ? 'line' : 'lines'} that cannot be read`] : lines).join('\n')
}

/**
 * Appends one label to the labels file (created with its folder if missing). Append-only under a lock
 * file, written whole and flushed to disk (a write the disk refuses leaves the file as it was): concurrent writers
 * never lose a label and earlier lines are never rewritten. Returns the label as stored (with `at` filled in). A label holding the value of a
 * live credential variable (a key pasted into a note) is refused with a `SecretLeakError`, the file left as it was;
 * what only looks like a secret in its note, reviewer or label value is stored as `[REDACTED]` ({@link storedLabel}).
 *
 * @example
 * appendLabel('evals/labels.jsonl', { caseId: 'refund-1', metric: 'rubric:helpful', label: 'fail', by: 'ana' })
 */
export function appendLabel(file: string, input: Omit<HumanLabel, 'at'> & { at?: string }): HumanLabel {
  const parsed = humanLabelSchema().safeParse({ ...input, at: input.at ?? new Date().toISOString() })
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `\`${issue.path.join('.')}\`: ${issue.message}`).join('; ')
    throw new LabelsError(`Cannot save the label for case ${JSON.stringify(input.caseId)} (${String(input.metric)}): ${problems}.`)
  }
  refuseSecrets(file, parsed.data as HumanLabel)
  const label = storedLabel(parsed.data as HumanLabel)
  const line = `${JSON.stringify(orderedFields(label))}\n`
  guardWrite(file, line, liveSecrets(), 'labels')
  withFileLock(file, () => {
    let descriptor: number
    try {
      descriptor = openSync(file, 'a+')
    } catch (error) {
      throw fileWriteError(error, file)
    }
    try {
      // A line left without its newline (an editor, a killed tool) must not swallow this label.
      appendWhole(descriptor, Buffer.from(endsWithNewline(descriptor) ? line : `\n${line}`), file)
    } finally {
      closeSync(descriptor)
    }
  })
  return label
}

/** Names the field and the variable, which the generic guard's message cannot: a reviewer fixes the note, not a prompt. */
function refuseSecrets(file: string, label: HumanLabel): void {
  for (const { name, value } of liveSecrets()) {
    const field = Object.entries(label).find(([, text]) => String(text).includes(value))?.[0]
    if (field === undefined) continue
    throw new SecretLeakError(
      `Refused to save the label for case ${JSON.stringify(label.caseId.replaceAll(value, `[${name}]`))} (${label.metric.replaceAll(value, `[${name}]`)}) in ${file}: its \`${field}\` contains the value of ${name}. ` +
        'The labels file was left as it was. Remove the key from it and save the label again.',
    )
  }
}

function endsWithNewline(descriptor: number): boolean {
  const size = fstatSync(descriptor).size
  if (size === 0) return true
  const last = Buffer.alloc(1)
  readSync(descriptor, last, 0, 1, size - 1)
  return last[0] === 0x0a
}

function orderedFields(label: HumanLabel): HumanLabel {
  const { caseId, metric, label: value, note, by, at, outputHash: hash, suite, trial, ...rest } = label
  return { caseId, metric, label: value, ...(note ? { note } : {}), ...(by ? { by } : {}), at, ...(hash ? { outputHash: hash } : {}), ...(suite ? { suite } : {}), ...(trial === undefined ? {} : { trial }), ...rest }
}
