import { execFileSync } from 'node:child_process'
import { userInfo } from 'node:os'
import { relative, resolve } from 'node:path'
import { parseCommandArgs } from './command-args.js'
import { DEFAULT_HISTORY_FILE } from '../../reporters/history-store.js'
import { confusionLines } from '../../reporters/render-agreement.js'
import { ConfigError } from '../errors/index.js'
import { writeFileAtomic } from '../atomic-files.js'
import { readHistory } from '../history/history-file.js'
import type { HistoryRun } from '../history/run-record.js'
import { disagreementExamples, headlineKappa } from '../review/agreement-report.js'
import { DEFAULT_LABELS_FILE, describeProblems, readLabels, type HumanLabel } from '../review/labels-file.js'
import { ambiguousLegacyLabels, describeAmbiguousLegacy, indexLabels, suitesByCase } from '../review/label-scope.js'
import { migrateLabels } from './migrate-labels-command.js'
import { noRunsYet } from './history-command.js'
import { agreementByMetric, reviewRows, type MetricAgreement } from '../review/review-rows.js'
import { startReviewServer } from '../review/review-server.js'

const USAGE = `Usage: llm-evals review [options]              Label the latest run in a local page (127.0.0.1 only)
       llm-evals review --agreement [options]  Print judge-human agreement per metric
       llm-evals review --export-disagreements <file.jsonl> [--metric <m>]
                                               Write grader-human disagreements as few-shot examples
       llm-evals review --migrate-labels [--dry-run]
                                               Add the suite to labels written before labels were scoped by suite

Options:
  --root <dir>               Project root (default: current directory)
  --history <path>           History file (default: ${DEFAULT_HISTORY_FILE})
  --labels <path>            Labels file (default: ${DEFAULT_LABELS_FILE}; match \`labels.file\` in your config)
  --port <n>                 Port on 127.0.0.1 (default: 4177; 0 picks a free one)
  --by <name>                Reviewer recorded on labels (default: git user.name)
  --classes <a,b,c>          Class names for keys 1..9 (default: the keys give scores 1..9)
  --agreement                Print agreement instead of serving the page
  --min-kappa <k>            With --agreement: exit 1 when a metric's kappa is below k
  --min-failure-recall <r>   With --agreement: exit 1 when a metric's failure recall is below r
  --export-disagreements <f> Write the latest run's disagreements as JSONL few-shot examples
  --metric <name>            With --export-disagreements: only this metric (e.g. rubric:helpful, intent)
  --migrate-labels           Add "suite" to labels without one whose case id is in one suite of the latest run
  --dry-run                  With --migrate-labels: print what would change, write nothing
  -h, --help                 Show this help`

function fraction(text: string | undefined, flag: string, low = 0): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isFinite(value) || value < low || value > 1) throw new ConfigError(`${flag} needs a number from ${low} to 1, got "${text}".`)
  return value
}

function defaultReviewer(root: string): string | undefined {
  try {
    const name = execFileSync('git', ['config', 'user.name'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    if (name) return name
  } catch {}
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}

function latestRun(historyFile: string, root: string): HistoryRun {
  const run = readHistory(historyFile, () => {}, (_run, newer) => newer === 0).at(-1)
  if (!run) throw new ConfigError(noRunsYet(historyFile, root, '--history'))
  return run
}

/** The labels, after printing (once) a notice about legacy labels that apply to no case of the run. */
function labelsFor(run: HistoryRun, labels: readonly HumanLabel[], labelsFile: string, root: string, print: (line: string) => void): readonly HumanLabel[] {
  const notice = describeAmbiguousLegacy(ambiguousLegacyLabels(indexLabels(labels), suitesByCase(run.cases ?? [])), relative(root, labelsFile))
  if (notice) print(`[vitest-llm-evals] ${notice}`)
  return labels
}

const fmt = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value.toFixed(3))

/** Lines of the agreement table, and the gate failures. */
export function formatAgreement(agreement: readonly MetricAgreement[], gate: { minKappa?: number; minFailureRecall?: number }): { lines: string[]; failures: string[] } {
  const lines: string[] = []
  const failures: string[] = []
  for (const each of agreement) {
    const { metric, stats, ranks, skipped } = each
    const note = skipped ? `  (${skipped} stale or non pass/fail labels not counted)` : ''
    if (ranks) {
      lines.push(`${metric}: n ${ranks.n}  spearman ${fmt(ranks.spearman)}  kendall tau-b ${fmt(ranks.kendallTauB)}${note}`)
      continue
    }
    if (!stats) continue
    const accuracy = stats.accuracy ? `${fmt(stats.accuracy.value)} [${fmt(stats.accuracy.low)}, ${fmt(stats.accuracy.high)}]` : '—'
    lines.push(`${metric}: n ${stats.n}  accuracy ${accuracy}  ${each.ordinal ? 'weighted kappa' : 'kappa'} ${fmt(headlineKappa(each))}  failure recall ${fmt(stats.failures?.failureRecall)}  false-failure rate ${fmt(stats.failures?.falseFailureRate)}  mcc ${fmt(stats.failures?.mcc)}${note}`)
    const [failRow, passRow] = stats.confusion.counts
    if (stats.confusion.labels.join() === 'fail,pass') lines.push(`  human fail: grader fail ${failRow?.[0] ?? 0}, grader pass ${failRow?.[1] ?? 0}`, `  human pass: grader fail ${passRow?.[0] ?? 0}, grader pass ${passRow?.[1] ?? 0}`)
    else lines.push(...confusionLines(stats.confusion).map((line) => `  ${line}`))
    const kappa = headlineKappa(each)
    if (gate.minKappa !== undefined && !((kappa ?? -Infinity) >= gate.minKappa)) failures.push(kappa === null || kappa === undefined ? `${metric}: kappa cannot be computed yet (the human labels and the grader's verdicts are all one class), so --min-kappa ${gate.minKappa} is not met; label cases of another class` : `${metric}: kappa ${fmt(kappa)} is below ${gate.minKappa}`)
    const recall = stats.failures?.failureRecall
    if (gate.minFailureRecall !== undefined && !((recall ?? -Infinity) >= gate.minFailureRecall)) failures.push(recall === null || recall === undefined ? `${metric}: failure recall cannot be computed yet (no case has a human \`fail\` label), so --min-failure-recall ${gate.minFailureRecall} is not met; label a failing case` : `${metric}: failure recall ${fmt(recall)} is below ${gate.minFailureRecall}`)
  }
  return { lines, failures }
}

/**
 * `llm-evals review`: serves the review page until interrupted, with `--agreement` prints judge-human
 * agreement per metric (exit 1 when below `--min-kappa` / `--min-failure-recall`), or with
 * `--export-disagreements file.jsonl` writes the disagreements as few-shot examples for a judge prompt, or with
 * `--migrate-labels` adds the suite to legacy labels (`--dry-run`: print only).
 *
 * @example
 * await run(['--agreement', '--min-kappa', '0.6'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log, signal?: AbortSignal): Promise<number> {
  const { values } = parseCommandArgs('review', argv, {
    root: { type: 'string' },
    history: { type: 'string' },
    labels: { type: 'string' },
    port: { type: 'string' },
    by: { type: 'string' },
    classes: { type: 'string' },
    agreement: { type: 'boolean', default: false },
    'min-kappa': { type: 'string' },
    'min-failure-recall': { type: 'string' },
    'export-disagreements': { type: 'string' },
    metric: { type: 'string' },
    'migrate-labels': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  })
  if (values.help) {
    print(USAGE)
    return 0
  }
  const root = resolve(values.root ?? process.cwd())
  const historyFile = resolve(root, values.history ?? DEFAULT_HISTORY_FILE)
  const labelsFile = resolve(root, values.labels ?? DEFAULT_LABELS_FILE)
  if (values['migrate-labels']) return migrateLabels({ root, labelsFile, run: latestRun(historyFile, root), dryRun: values['dry-run'] }, print)
  if (values['dry-run']) throw new ConfigError('--dry-run goes with --migrate-labels (`llm-evals review --migrate-labels --dry-run`).')
  if (values['export-disagreements'] !== undefined) {
    const target = resolve(root, values['export-disagreements'])
    const run = latestRun(historyFile, root)
    const { labels, problems } = readLabels(labelsFile)
    if (problems.length) print(`[vitest-llm-evals] Lines of the labels file that cannot be read (not exported):\n${describeProblems(problems)}`)
    const examples = disagreementExamples(reviewRows(run, labelsFor(run, labels, labelsFile, root, print)), values.metric === undefined ? {} : { metric: values.metric })
    writeFileAtomic(target, examples.map((example) => `${JSON.stringify(example)}\n`).join(''))
    print(`Wrote ${examples.length} disagreement${examples.length === 1 ? '' : 's'} of run ${run.id} to ${relative(root, target)}${examples.length ? '' : ' (none: label cases with `llm-evals review` first)'}.`)
    return 0
  }
  if (values.agreement) {
    const gate = { minKappa: fraction(values['min-kappa'], '--min-kappa', -1), minFailureRecall: fraction(values['min-failure-recall'], '--min-failure-recall') }
    const run = latestRun(historyFile, root)
    const { labels, problems } = readLabels(labelsFile)
    if (problems.length) print(`[vitest-llm-evals] Lines of the labels file that cannot be read (not counted):\n${describeProblems(problems)}`)
    const { lines, failures } = formatAgreement(agreementByMetric(reviewRows(run, labelsFor(run, labels, labelsFile, root, print))), gate)
    print(lines.length ? `Judge-human agreement, run ${run.id}:\n${lines.join('\n')}` : `No labelled rows in run ${run.id}: label some with \`llm-evals review\`.`)
    for (const failure of failures) print(`[vitest-llm-evals] Agreement floor not met: ${failure}.`)
    return failures.length ? 1 : 0
  }
  const port = values.port === undefined ? 4177 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port needs a port number (0 for any free one), got "${values.port}".`)
  const classes = values.classes?.split(',').map((name) => name.trim()).filter(Boolean)
  if (classes && classes.length > 9) throw new ConfigError(`--classes takes at most 9 classes (keys 1..9), got ${classes.length}.`)
  const reviewer = values.by ?? defaultReviewer(root)
  const server = await startReviewServer({ root, historyFile, labelsFile, port, ...(reviewer ? { reviewer } : {}), ...(classes ? { classes } : {}) })
  print(`Review page: ${server.url}  (labels go to ${relative(root, labelsFile)}; Ctrl+C to stop)`)
  const reviewed = readHistory(historyFile, () => {}, (_run, newer) => newer === 0).at(-1)
  if (reviewed) labelsFor(reviewed, readLabels(labelsFile).labels, labelsFile, root, print)
  await new Promise<void>((done) => {
    const stop = () => done()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    signal?.addEventListener('abort', stop, { once: true })
  })
  await server.close()
  return 0
}
