import { relative, resolve } from 'node:path'
import { secretRules } from '../src/cassettes/secret-values.js'
import { scrubDeep, scrubForSharing, type RedactRule } from '../src/cassettes/redact.js'
import type { Reporter, TestCase, TestModule, TestSpecification, Vitest } from 'vitest/node'
import type { CassetteMode } from '../src/cassettes/mode.js'
import type { z } from 'zod'
import type { optionsSchema } from '../src/config.js'
import { takeGitInfo, type GitInfo } from '../src/history/git.js'
import { DEFAULT_RETENTION } from '../src/history/history-file.js'
import { preloadHistory } from '../src/history/history-scan.js'
import { agreementFloorFailures, NOT_YET } from '../src/review/agreement-report.js'
import { unknownFloorWarnings } from './unknown-floors.js'
import { DEFAULT_LABELS_FILE, describeProblems } from '../src/review/labels-file.js'
import { describeAmbiguousLegacy } from '../src/review/label-scope.js'
import { DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE, type GateOptions } from './compare.js'
import type { CassetteUsageReport } from '../src/cassettes/usage-report.js'
import { mayHaveUsageReports } from './usage-reports-hint.js'
import { formatRunSummary, recordedModelCalls } from './run-summary-line.js'
import { baselineFileFor, DEFAULT_HISTORY_FILE, finishRun, libraryVersion, type ReportFiles } from './history-store.js'
import { LiveReport, wantsLiveReport, writesInWatch } from './live-report.js'
import { DEFAULT_PRICES } from './pricing.js'
import { gateOffNote } from './gate-off-note.js'
import { renderAgreement } from './render-agreement.js'
import { renderTerminal } from './render-terminal.js'
import { measureAgreement } from './run-agreement.js'
import { RunningSummary } from './running-summary.js'
import { preloadSecretScan } from '../src/cassettes/secret-scan.js'
import { runSecrets } from './run-secrets.js'
import { incompleteMerge, markEmptyShard, markShard, mergedDirectory, missingShardsMessage, partialMergeFailure } from './merged-shards.js'
import { collectCase, RelativePaths } from './collect-case.js'
import { IdleQueue } from './idle-queue.js'
import { unsummarizedMessage } from './unsummarized.js'
import { addToolResults, summarizeRun, type CassetteCounts, type CollectedCase } from './summarize.js'
import { namedConfig } from '../src/vitest-config-files.js'

/** Options of {@link ScoreHistoryReporter}: the plugin passes its `history`, `report`, `gate`, `labels` and `pricing` options. */
export interface ScoreHistoryReporterOptions extends Pick<z.infer<typeof optionsSchema>, 'history' | 'report' | 'gate' | 'labels' | 'pricing'> {
  /** The cassette mode of the run, shown in the summary. */
  cassetteMode?: CassetteMode
  /** The cassettes' `redact` rules: a label's output hash is of the output as stored, the same live and replayed. */
  redact?: RedactRule[]
}

declare module 'vitest' {
  interface TaskMeta {
    /** Cassette activity of the test (set by vitest-llm-evals). */
    cassette?: CassetteCounts
    /** On a file task: what the run of the file did with its cassette (set by vitest-llm-evals). */
    llmEvalsCassette?: CassetteUsageReport
  }
}

/** Longest output, input or reasoning kept per case in history and reports, by default. */
export const DEFAULT_MAX_TEXT_CHARS = 2000

export { formatRunSummary, recordedModelCalls } from './run-summary-line.js'

/** History files larger than this are read at the end of the run only (a read holds the main process ~2 ms per MB). */
const PRELOAD_MAX_BYTES = 32 * 1024 * 1024

/** Resolves where the reporter reads and writes from the plugin options. */
export function resolveReportFiles(options: ScoreHistoryReporterOptions, root: string, env: NodeJS.ProcessEnv): ReportFiles {
  const history = options.history === false ? undefined : resolve(root, options.history?.file ?? DEFAULT_HISTORY_FILE)
  const base = resolve(root, options.history === false || !options.history?.file ? DEFAULT_HISTORY_FILE : options.history.file)
  const report = options.report === false ? undefined : (options.report ?? {})
  const place = (value: string | boolean | undefined, fallback: string) => (report === undefined || value === false ? undefined : resolve(root, typeof value === 'string' ? value : fallback))
  const files: ReportFiles = {
    root,
    baseline: baselineFileFor(base),
    retention: {
      caseScores: options.history ? (options.history.keepCaseScores ?? DEFAULT_RETENTION.caseScores) : DEFAULT_RETENTION.caseScores,
      caseDetails: options.history ? (options.history.keepCaseDetails ?? DEFAULT_RETENTION.caseDetails) : DEFAULT_RETENTION.caseDetails,
    },
  }
  if (history) files.history = history
  if (options.history && options.history.baselineBranch) files.baselineBranch = options.history.baselineBranch
  const html = place(report?.html, '.evals/report.html')
  const json = place(report?.json, '.evals/summary.json')
  if (html) files.html = html
  if (json) files.json = json
  if (report && report.stepSummary !== false && env.GITHUB_STEP_SUMMARY) files.stepSummary = env.GITHUB_STEP_SUMMARY
  return files
}

/** The gate options with defaults, or undefined when no gate is set. */
export function resolveGate(gate: ScoreHistoryReporterOptions['gate']): GateOptions | undefined {
  if (!gate) return undefined
  return {
    failOnRegression: gate.failOnRegression ?? true,
    tolerance: gate.tolerance ?? DEFAULT_TOLERANCE,
    confidence: gate.confidence ?? DEFAULT_CONFIDENCE,
    ...(gate.minScore === undefined ? {} : { minScore: gate.minScore }),
    ...(gate.agreement === undefined ? {} : { agreement: gate.agreement }),
    ...(gate.allowMissingShards === undefined ? {} : { allowMissingShards: gate.allowMissingShards }),
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** The gate's error: what failed, one line each, and how to fix it. `shardFailures`: a merge that lacks shards (listed first). */
export function gateMessage(scoreFailures: number, agreementFailures: number, failures: readonly string[], shardFailures = 0): string {
  const counts = [shardFailures ? 'a partial merge' : '', scoreFailures ? plural(scoreFailures, 'suite metric') : '', agreementFailures ? plural(agreementFailures, 'agreement floor') : ''].filter(Boolean).join(', ')
  // A floor (gate.minScore) is not relative to a run: pinning a baseline cannot lift it.
  const floors = failures.filter((failure) => failure.includes('is below gate.minScore')).length
  // Floors that too few labels leave unchecked (no label, fewer than minN, one class only) are no disagreement.
  const unchecked = failures.filter((failure) => failure.startsWith('agreement') && (failure.includes(NOT_YET) || failure.includes('.minN '))).length
  const fixes = [
    shardFailures ? 'Rerun the missing shards and merge one run\'s blob reports again (one per shard), or set `gate: { allowMissingShards: true }` in llmEvals() options to pass a partial merge.' : '',
    scoreFailures > floors ? 'Fix the regression; if the change is intended, pin this run as the new baseline with `llm-evals baseline set`, or adjust `gate` in llmEvals() options.' : '',
    floors ? 'Raise the scores below their floor, or lower `gate.minScore` in llmEvals() options (a baseline does not change a floor).' : '',
    agreementFailures > unchecked ? 'The grader disagrees with your human labels: see the disagreements (`llm-evals review`, or the HTML report), improve the grader or its prompt, or adjust `gate.agreement` in llmEvals() options.' : '',
    unchecked ? 'Agreement with your human labels cannot be checked yet: label more cases with `llm-evals review` (as the lines above say), or adjust `gate.agreement` in llmEvals() options.' : '',
  ]
  return `\n[vitest-llm-evals] Eval gate failed (${counts}):\n${failures.map((failure) => `  - ${failure}`).join('\n')}\n${fixes.filter(Boolean).join('\n')}`
}

// A global symbol, so the reporter is recognised across copies of the module (the CLI and a user's config).
const REPORTER_MARK = Symbol.for('vitest-llm-evals.score-history-reporter')

/** True for a {@link ScoreHistoryReporter}, also one created by another copy of this library's modules. */
export function isScoreHistoryReporter(value: unknown): value is ScoreHistoryReporter {
  return typeof value === 'object' && value !== null && REPORTER_MARK in value
}

/**
 * Collects the score records and cassette activity of a run and reports them once, at the end:
 * a table with deltas after Vitest's summary, one history line, HTML / JSON / Markdown reports, and
 * the gate. Shard runs (`--shard`) write nothing; `--merge-reports` writes once with all shards.
 *
 * @example
 * // vitest.config.ts (the plugin adds it for you; use it directly only without the plugin)
 * export default defineConfig({ test: { reporters: ['default', new ScoreHistoryReporter({ gate: { tolerance: 0.05 } })] } })
 */
export class ScoreHistoryReporter implements Reporter {
  private vitest: Vitest | undefined
  private readonly cases: CollectedCase[] = []
  private readonly paths = new RelativePaths()
  private live: LiveReport | undefined
  readonly [REPORTER_MARK] = true

  constructor(readonly options: ScoreHistoryReporterOptions = {}) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
    // Watch mode: the HTML report is served live instead of written (see live-report.ts).
    if (wantsLiveReport(vitest.config, this.options.report, process.env)) this.live = new LiveReport(vitest)
  }

  // Commit and branch, read while the tests run (a git process at the end of the run cost ~30–70 ms).
  private git: { root: string; info: Promise<GitInfo> } | undefined
  private commit: string | undefined
  // Work on each test done as it finishes, beside the tests still running (BENCHMARKS.md, issue 17).
  private running: RunningSummary | undefined
  private warm = false
  private historyPreloaded = false
  // Between the worker updates this process handles, not inside them: a worker waits for its last update to be
  // handled, and that one often holds half of its tests (idle-queue.ts).
  private readonly finished = new IdleQueue<TestCase>(
    (testCase) => this.addFinished(testCase),
    (testCase, error) => this.unsummarized.push({ testCase, error }),
  )
  /** Tests whose result could not be summarised: said at the end of the run, which fails; the rest is reported. */
  private unsummarized: { testCase: TestCase; error: unknown }[] = []

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): Promise<void> | undefined {
    const marked = markEmptyShard(this.vitest, specifications)
    this.cases.length = 0
    this.finished.clear()
    this.unsummarized = []
    this.git = undefined
    this.commit = undefined
    this.warm = false
    this.historyPreloaded = false
    this.running = new RunningSummary(this.summarizeOptions(), runSecrets(this.vitest))
    return marked
  }

  /**
   * Reads git (takes the read the plugin's stand-in started as the first worker was created, if any) and loads the
   * secret scanner while the tests run, not after them. Called once the workers have
   * started (the plugin's stand-in calls it as soon as the reporter is loaded, while the first worker starts;
   * otherwise its first file collected): before that, loading modules and spawning git hold the main process's
   * event loop, which delays the start of the workers themselves (issue 17).
   *
   * @example
   * reporter.warmUp()
   */
  warmUp(): void {
    if (this.warm) return
    this.warm = true
    preloadSecretScan()
    libraryVersion()
    const root = this.vitest?.config.root
    // The commit goes on the shard marks too (merged-shards.ts), which are set without waiting for it.
    if (!this.git && root) this.git = { root, info: takeGitInfo(root, process.env).then((info) => ((this.commit = info.commit), info)) }
  }

  onTestModuleCollected(): void {
    this.warmUp()
  }

  /**
   * A shard run marks its test files with its shard, for `--merge-reports` to count (merged-shards.ts): when a file
   * starts (a file stopped by `--bail` never ends) and again when it ends, after the worker's last update of its
   * meta, which replaces the meta.
   */
  onTestModuleStart(module: TestModule): void {
    markShard(module, this.vitest?.config.shard, this.commit)
  }

  onTestModuleEnd(module: TestModule): void {
    markShard(module, this.vitest?.config.shard, this.commit)
  }

  onTestCaseResult(testCase: TestCase): void {
    this.warmUp()
    if (!this.historyPreloaded) this.preloadHistory()
    this.finished.push(testCase)
  }

  private addFinished(testCase: TestCase): void {
    const collected = collectCase(testCase, this.vitest?.config.root ?? process.cwd(), this.paths)
    this.cases.push(collected)
    ;(this.running ??= new RunningSummary(this.summarizeOptions(), runSecrets(this.vitest))).add(collected)
  }

  /**
   * Reads the history file while the tests run, once the first result is in (the workers have started):
   * the end of the run then reads nothing if the file has not changed (history-scan.ts). A large file is left
   * to the end, not to hold the main process's event loop while workers wait on it.
   */
  private preloadHistory(): void {
    this.historyPreloaded = true
    const root = this.vitest?.config.root
    if (!root || this.options.history === false) return
    const file = resolveReportFiles(this.options, root, process.env).history
    if (!file) return
    setTimeout(() => preloadHistory(file, { maxBytes: PRELOAD_MAX_BYTES }), 0).unref()
  }

  private summarizeOptions() {
    return { pricing: { ...DEFAULT_PRICES, ...this.options.pricing }, maxTextChars: this.options.history ? (this.options.history.maxTextChars ?? DEFAULT_MAX_TEXT_CHARS) : DEFAULT_MAX_TEXT_CHARS, redact: this.options.redact ?? [] }
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    const vitest = this.vitest
    this.finished.flush()
    const unsummarized = this.unsummarized.splice(0)
    const cases = this.cases.splice(0)
    const running = this.running ?? new RunningSummary(this.summarizeOptions(), runSecrets(this.vitest))
    this.running = undefined
    if (!vitest) return
    // Before any await: a blob reporter listed after this one serialises the files in this same turn.
    for (const module of modules) markShard(module, vitest.config.shard, this.commit)
    const logger = vitest.logger
    if (unsummarized.length) {
      process.exitCode = 1
      logger.error(unsummarizedMessage(unsummarized.map(({ testCase, error }) => ({ test: testCase.fullName, file: relative(vitest.config.root, testCase.module.moduleId), error }))))
    }
    // Everything the run writes or prints comes from the summary: scrubbed of keys (each case as it finished).
    let summary = running.finish()
    if (summary.cases?.length) {
      // A run that writes files is scanned for secrets; found ones are scrubbed from the cases before they are
      // summarized, which cuts long texts (and could cut a key in two).
      const found = secretRules(await running.secrets())
      if (found.length) summary = scrubForSharing(summarizeRun(scrubDeep(cases, found), running.options), running.live, found)
    }
    const shard = vitest.config.shard
    const gate = resolveGate(this.options.gate)
    const incomplete = incompleteMerge(vitest, modules)
    const shardFailures = incomplete && gate && !gate.allowMissingShards ? [partialMergeFailure(incomplete)] : []
    const warnPartialMerge = (historyLine: boolean) => {
      if (incomplete) logger.warn(missingShardsMessage(incomplete, mergedDirectory(vitest), { historyLine, gate: !gate ? 'off' : shardFailures.length ? 'fails' : 'allowed' }))
    }
    // The usage reports' code is loaded only for a run that may have some (a cassette used, or errors).
    const usageCode = mayHaveUsageReports(modules) ? await import('./cassette-usage.js') : undefined
    const usage = usageCode ? usageCode.usageReportsOf(modules, vitest.config.root) : []
    const writes = usageCode && usage.length ? usageCode.cassetteWrites(usage) : undefined
    // Tool calls outside tests (module top level, `beforeAll`) are counted on their file.
    for (const module of modules) addToolResults(summary.totals, (module.meta() as { cassette?: CassetteCounts }).cassette?.toolResults)
    if (writes) summary.totals.recorded = recordedModelCalls(summary.totals, writes)
    // Like history: shards leave it to `--merge-reports`, which has every shard's reports in the modules' meta.
    if (usageCode && usage.length && !shard) {
      try {
        // `--project`: a project left out of this run may still run a file it ran before.
        const config = namedConfig(vitest.config.root, configFileOf(vitest))
        usageCode.writeUsageReports(vitest.config.root, usage, { someProjects: (vitest.config.project?.length ?? 0) > 0, ...(config ? { config } : {}) })
      } catch (error) {
        logger.warn(`[vitest-llm-evals] Could not save which recordings this run used (\`llm-evals cassettes check\` reads them): ${(error as Error).message.replace(/^\[vitest-llm-evals\] /, '')}`)
      }
    }
    const line = formatRunSummary(summary.totals, this.options.cassetteMode, writes, summary.cases)
    // A run whose only records await a human label has no score yet, but is kept: the review page lists its cases.
    if (!summary.cases?.length) {
      await this.live?.show(undefined, (text) => logger.log(text))
      if (line) logger.log(line)
      warnPartialMerge(false)
      if (shardFailures.length) {
        process.exitCode = 1
        logger.error(gateMessage(0, 0, shardFailures, shardFailures.length))
      }
      return
    }
    for (const warning of await unknownFloorWarnings(gate?.minScore, summary.groups.map((group) => group.metric))) logger.warn(warning)
    const files = resolveReportFiles(this.options, vitest.config.root, process.env)
    const write = !shard && (!vitest.config.watch || writesInWatch(this.options.history))
    const agreement = measureAgreement(summary.cases, resolve(vitest.config.root, this.options.labels?.file ?? DEFAULT_LABELS_FILE), running.live)
    if (agreement.problems.length) logger.warn(`[vitest-llm-evals] Lines of the labels file that cannot be read (not counted in agreement; fix or remove them):\n${describeProblems(agreement.problems)}`)
    const legacyNotice = describeAmbiguousLegacy(agreement.ambiguousLegacy ?? [], relative(vitest.config.root, agreement.labelsFile))
    if (legacyNotice) logger.warn(`[vitest-llm-evals] ${legacyNotice}`)
    const agreementFailures = gate?.agreement ? agreementFloorFailures(agreement.agreements, gate.agreement) : []
    const git = this.git?.root === files.root ? await this.git.info : undefined
    const finished = finishRun(summary, { time: new Date(), vitestVersion: vitest.version, ...(this.options.cassetteMode ? { cassetteMode: this.options.cassetteMode } : {}), env: process.env, ...(git ? { git } : {}) }, files, { ...(gate ? { gate } : {}), tolerance: gate?.tolerance ?? DEFAULT_TOLERANCE, write, agreement, agreementFailures, shardFailures, ...(incomplete ? { shards: incomplete } : {}) }, { warn: (message) => logger.warn(message) })
    const color = !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') || process.stdout.isTTY === true)
    for (const text of renderTerminal(summary, finished.comparison, { color })) logger.log(text)
    const gateOff = gateOffNote(finished.comparison, this.options.gate, { color })
    if (gateOff) logger.log(gateOff)
    for (const text of renderAgreement(agreement.agreements, { color, ...(agreement.fileLabels > 0 ? { labelsFile: relative(vitest.config.root, agreement.labelsFile) } : {}) })) logger.log(text)
    if (shard) logger.log(` shard ${shard.index}/${shard.count}: history and reports are written once by \`vitest --merge-reports\``)
    else if (finished.written.length) logger.log(` written: ${finished.written.map((file) => relative(vitest.config.root, file)).join(', ')}`)
    await this.live?.show({ runs: [...finished.runs, finished.run], comparison: finished.comparison, gateFailures: finished.gateFailures, agreement }, (text) => logger.log(text))
    if (line) logger.log(line)
    warnPartialMerge(files.history !== undefined && finished.written.includes(files.history))
    if (finished.gateFailures.length && !shard) {
      process.exitCode = 1
      logger.error(gateMessage(finished.gateFailures.length - agreementFailures.length - shardFailures.length, agreementFailures.length, finished.gateFailures, shardFailures.length))
    }
  }
}

/** The config file the run loaded (`vitest.vite` throws before its server is set, which a reporter should never see). */
function configFileOf(vitest: Vitest): string | undefined {
  try {
    return vitest.vite.config.configFile
  } catch {
    return undefined
  }
}
