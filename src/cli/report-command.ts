import { relative, resolve } from 'node:path'
import { parseCommandArgs } from './command-args.js'
import { writeFileAtomic } from '../atomic-files.js'
import { compareRuns, DEFAULT_TOLERANCE, gateFailures } from '../../reporters/compare.js'
import { mergedShardsOfRun, partialMergeFailure } from '../../reporters/merged-shards.js'
import { DEFAULT_HISTORY_FILE, baselineFileFor, casesForComparison } from '../../reporters/history-store.js'
import { renderHtml } from '../../reporters/render-html.js'
import { measureAgreement } from '../../reporters/run-agreement.js'
import { DEFAULT_LABELS_FILE } from '../review/labels-file.js'
import { resolveGate, resolveReportFiles } from '../../reporters/score-history-reporter.js'
import { readPinnedBaseline, selectBaseline } from '../history/baseline.js'
import { ConfigError } from '../errors/index.js'
import { loadRuns, noRunsYet } from './history-command.js'
import { loadPluginOptions } from './plugin-options.js'

const USAGE = `Usage: llm-evals report [options]   Regenerate the HTML report from the history file

History file, report path, baseline branch and gate come from the llmEvals() options in your Vitest
config (vitest.config.* or vite.config.* in --root); the options below override them.

Options:
  --root <dir>              Project root (default: current directory)
  --config <file>           Vitest config to read the llmEvals() options from
  --file <path>             History file (default: history.file, else ${DEFAULT_HISTORY_FILE})
  --out <path>              Report file (default: report.html, else .evals/report.html)
  --run <id>                Report on this run instead of the newest
  --baseline-branch <name>  Without a pinned baseline, compare with the newest run on this branch
  -h, --help                Show this help`

/**
 * `llm-evals report`: rewrites the self-contained HTML report from history (the newest run, or `--run`),
 * with the options of the project's `llmEvals()` plugin.
 *
 * @example
 * await run(['--out', 'eval-report.html'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseCommandArgs('report', argv, {
    root: { type: 'string' },
    config: { type: 'string' },
    file: { type: 'string' },
    out: { type: 'string' },
    run: { type: 'string' },
    'baseline-branch': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  })
  if (values.help) {
    print(USAGE)
    return 0
  }
  const root = resolve(values.root ?? process.cwd())
  const plugin = await loadPluginOptions(root, values.config)
  const configName = plugin ? relative(root, plugin.configFile) : undefined
  if (plugin?.options.history === false && !values.file) {
    throw new ConfigError(`History is off (\`history: false\` in the llmEvals() options of ${configName}), so there is nothing to report. Turn it on, or pass --file <history file>.`)
  }
  const configured = plugin ? resolveReportFiles(plugin.options, root, {}) : undefined
  const file = values.file ? resolve(root, values.file) : (configured?.history ?? resolve(root, DEFAULT_HISTORY_FILE))
  const branch = values['baseline-branch'] ?? configured?.baselineBranch
  const pinned = readPinnedBaseline(baselineFileFor(file))
  const runs = loadRuns(file, root, (line) => console.warn(line), casesForComparison(pinned, branch, (each, newer) => (values.run ? each.id === values.run : newer === 0)))
  const index = values.run ? runs.findIndex((each) => each.id === values.run) : runs.length - 1
  const current = runs[index]
  if (!current) {
    throw new ConfigError(values.run ? `No run "${values.run}" in ${relative(root, file)}. List runs with \`llm-evals history\`.` : noRunsYet(file, root))
  }
  const earlier = runs.slice(0, index)
  const baseline = selectBaseline(earlier, { ...(pinned ? { runId: pinned } : {}), ...(branch ? { branch } : {}) })
  const gate = resolveGate(plugin?.options.gate)
  const comparison = compareRuns(current, earlier, baseline, { tolerance: gate?.tolerance ?? DEFAULT_TOLERANCE, ...(gate?.confidence ? { confidence: gate.confidence } : {}), recent: 12, ...(!pinned && branch ? { baselineBranch: branch } : {}) })
  const out = values.out ? resolve(root, values.out) : (configured?.html ?? resolve(root, '.evals/report.html'))
  // Agreement with the human labels as they are now (the labels file of the plugin options), as the end of a run shows it.
  const agreement = measureAgreement(current.cases, resolve(root, plugin?.options.labels?.file ?? DEFAULT_LABELS_FILE))
  // A partial merge failed its run's gate (unless allowed): the report made again says so, as the run's did.
  const partial = gate && !gate.allowMissingShards && current.partial ? [partialMergeFailure(mergedShardsOfRun(current.partial))] : []
  writeFileAtomic(out, renderHtml({ runs: runs.slice(0, index + 1), comparison, gateFailures: gate ? [...partial, ...gateFailures(comparison, gate)] : [], agreement }))
  print(`Report written: ${relative(root, out)} (run ${current.id}, ${index + 1} run${index === 0 ? '' : 's'} of history${configName ? `; options from ${configName}` : ''})`)
  return 0
}
