import { existsSync, rmSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { DEFAULT_HISTORY_FILE, baselineFileFor } from '../../reporters/history-store.js'
import { formatCost, tokenCount } from '../../reporters/render-terminal.js'
import { hasScores, isWholeRun, readPinnedBaseline, writePinnedBaseline } from '../history/baseline.js'
import { readHistory, type KeepCases } from '../history/history-file.js'
import type { HistoryRun } from '../history/run-record.js'
import { ConfigError } from '../errors/index.js'
import { historyFileOf } from './plugin-options.js'
import { parseCommandArgs } from './command-args.js'
import { missingSubcommandMessage, unknownCommandMessage } from './unknown-command.js'
import { groupThousands } from '../format-number.js'
import { closestName, shownName } from '../closest-name.js'

const USAGE = `Usage: llm-evals history [options]            Table of recent runs
       llm-evals baseline set [run-id] [options]  Pin a run (default: the newest with scores) as the baseline
       llm-evals baseline show|clear [options]

Options:
  --root <dir>      Project root (default: current directory)
  --config <file>   Vitest config whose llmEvals() options name the history file (default: the one in --root)
  --file <path>     History file (default: history.file of those options, else ${DEFAULT_HISTORY_FILE})
  --limit <n>       history: how many runs (default: 20)
  --metric <name>   history: add a column with this metric's mean over all suites
  -h, --help        Show this help`

interface HistoryArgs {
  root: string
  file?: string
  config?: string
  limit: number
  metric?: string
  help: boolean
  positionals: string[]
}

function parse(command: 'history' | 'baseline', argv: string[]): HistoryArgs {
  const options = { root: { type: 'string' }, config: { type: 'string' }, file: { type: 'string' }, limit: { type: 'string' }, metric: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } as const
  const { values, positionals } = parseCommandArgs(command, argv, options, true)
  const root = resolve(values.root ?? process.cwd())
  const limit = values.limit === undefined ? 20 : Number(values.limit)
  if (!Number.isInteger(limit) || limit <= 0) throw new ConfigError(`--limit needs a positive whole number, got "${values.limit}".`)
  return { root, ...(values.file ? { file: values.file } : {}), ...(values.config ? { config: values.config } : {}), limit, ...(values.metric ? { metric: values.metric } : {}), help: values.help, positionals }
}

/**
 * The sentence for a history without runs: when there is no file at all (a misspelt \`--file\`, a config whose
 * \`history.file\` is elsewhere), it says so and where it looked, rather than advise to run the evals.
 *
 * @example
 * noRunsYet('/repo/nope.jsonl', '/repo') // 'No history file at nope.jsonl (looked at /repo/nope.jsonl): …'
 */
export function noRunsYet(file: string, root: string, flag = '--file'): string {
  const name = relative(root, file) || file
  if (existsSync(file)) return `No runs in ${name} yet: run your evals with the llmEvals() plugin first.`
  return `No history file at ${name} (looked at ${file}): check ${flag} and \`history.file\` in the llmEvals() options, or run your evals with the llmEvals() plugin first to create it.`
}

/** Reads the history, printing skipped lines as warnings. */
export function loadRuns(file: string, root: string, warn: (line: string) => void, keepCases?: KeepCases): HistoryRun[] {
  return readHistory(file, (warning) => warn(`[vitest-llm-evals] ${relative(root, warning.file)}:${warning.line}: ${warning.message}.`), keepCases ?? (() => false))
}

/** What `~` in the table of runs means. */
export const PARTIAL_LEGEND = "~ a partial merge: a `--merge-reports` run that lacked some shards' blob reports (`partial` in the history file), never the default baseline"

/** One row per run: time, branch, commit, scores, failures, mean score, tokens and cost; `*` marks the baseline, `~` a partial merge (its mean leaves the missing shards' suites out). */
export function formatHistoryTable(runs: readonly HistoryRun[], pinned: string | undefined, metric?: string): string[] {
  const header = ['', 'run', 'time', 'branch', 'commit', 'scores', 'failed', 'mean', ...(metric ? [metric] : []), 'tokens', 'cost']
  const mean = (values: number[]) => (values.length ? (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(3) : '—')
  const rows = runs.map((run) => [
    `${run.id === pinned ? '*' : ''}${run.partial ? '~' : ''}`,
    run.id,
    run.time.slice(0, 19).replace('T', ' '),
    run.git?.branch ?? '',
    run.git?.commit?.slice(0, 7) ?? '',
    String(run.totals.scores),
    String(run.totals.failedScores),
    mean(run.groups.map((group) => group.mean)),
    ...(metric ? [mean(run.groups.filter((group) => group.metric === metric).map((group) => group.mean))] : []),
    groupThousands(tokenCount(run.totals.tokens)),
    formatCost(run.totals.costUsd),
  ])
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)))
  return all.map((row) => row.map((cell, column) => (column >= 5 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd())
}

const MAX_METRICS_NAMED = 20

/** `--metric` that no run of the history has would add a column of `—`: a ConfigError naming the metrics there are. */
function checkMetric(metric: string, runs: readonly HistoryRun[], historyName: string): void {
  const known = [...new Set(runs.flatMap((run) => run.groups.map((group) => group.metric)))].sort()
  if (known.includes(metric)) return
  const meant = closestName(metric, known)
  const named = known.slice(0, MAX_METRICS_NAMED).map((name) => shownName(name)).join(', ')
  const more = known.length > MAX_METRICS_NAMED ? ` (+${known.length - MAX_METRICS_NAMED} more)` : ''
  throw new ConfigError(`No run in ${historyName} has the metric "${shownName(metric)}"${meant === undefined ? '.' : `; did you mean "${shownName(meant)}"?`} Metrics in the history: ${named || 'none'}${more}.`)
}

/**
 * `llm-evals history`: prints a table of recent runs from the history file.
 *
 * @example
 * await run(['--limit', '10'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const args = parse('history', argv)
  if (args.help) {
    print(USAGE)
    return 0
  }
  const file = await historyFileOf(args.root, args.file, args.config)
  const runs = loadRuns(file, args.root, (line) => console.warn(line))
  if (runs.length === 0) {
    print(noRunsYet(file, args.root))
    return 0
  }
  if (args.metric !== undefined) checkMetric(args.metric, runs, relative(args.root, file))
  const shown = runs.slice(-args.limit)
  const lines = formatHistoryTable(shown, readPinnedBaseline(baselineFileFor(file)), args.metric)
  for (const line of lines) print(line)
  if (shown.some((each) => each.partial)) print(PARTIAL_LEGEND)
  return 0
}

/**
 * `llm-evals baseline set [run-id] | show | clear`: pins the run later runs are compared with.
 *
 * @example
 * await runBaseline(['set'])
 */
export async function runBaseline(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const args = parse('baseline', argv)
  const [command, runId] = args.positionals
  if (args.help) {
    print(USAGE)
    return 0
  }
  if (!command) throw new ConfigError(missingSubcommandMessage('baseline', USAGE))
  // Before the config is loaded: a typo is told at once.
  if (command !== 'set' && command !== 'show' && command !== 'clear') throw new ConfigError(unknownCommandMessage(['baseline', command], 'Use `llm-evals baseline set [run-id]`, `show` or `clear`.'))
  const file = await historyFileOf(args.root, args.file, args.config)
  const baselineFile = baselineFileFor(file)
  if (command === 'clear') {
    rmSync(baselineFile, { force: true })
    print('Baseline cleared: runs are compared with the previous run (or `history.baselineBranch`).')
    return 0
  }
  if (command === 'show') {
    const pinned = readPinnedBaseline(baselineFile)
    print(pinned ? `Baseline: ${pinned} (${relative(args.root, baselineFile)})` : 'No baseline pinned.')
    return 0
  }
  const runs = loadRuns(file, args.root, (line) => console.warn(line))
  const chosen = runId ? runs.find((each) => each.id === runId) : (runs.findLast(isWholeRun) ?? runs.findLast(hasScores))
  const historyName = relative(args.root, file)
  if (!chosen) {
    if (runId) throw new ConfigError(`No run "${runId}" in ${historyName}. List runs with \`llm-evals history\`.`)
    if (runs.length === 0) throw new ConfigError(noRunsYet(file, args.root))
    throw new ConfigError(`No run in ${historyName} has scores yet (${runs.length === 1 ? '1 run, its' : `${runs.length} runs, their`} cases awaiting a human label). Label them (\`llm-evals review\`) and run your evals again, then pin.`)
  }
  // A run whose cases all await a label has no suite metric: every suite would fall back to its previous run.
  if (!hasScores(chosen)) {
    throw new ConfigError(`Run ${chosen.id} in ${historyName} has no scores (its cases await a human label), so nothing could be compared with it. Pin a run with scores (see \`llm-evals history\`), or label the cases first (\`llm-evals review\`).`)
  }
  const skipped = runs.slice(runs.indexOf(chosen) + 1)
  const partial = skipped.filter((each) => each.partial)
  if (!runId && partial.length) print(`Skipped ${partial.length === 1 ? '1 newer partial merge' : `${partial.length} newer partial merges`} (a \`--merge-reports\` run that lacked shards): ${partial.slice(0, 3).map((each) => each.id).join(', ')}${partial.length > 3 ? `, +${partial.length - 3} more` : ''}. Name one to pin it anyway.`)
  skipped.splice(0, skipped.length, ...skipped.filter((each) => !each.partial))
  if (!runId && skipped.length) print(`Skipped ${skipped.length === 1 ? '1 newer run' : `${skipped.length} newer runs`} without scores (${skipped.length === 1 ? 'its' : 'their'} cases await a human label): ${skipped.slice(0, 3).map((each) => each.id).join(', ')}${skipped.length > 3 ? `, +${skipped.length - 3} more` : ''}.`)
  writePinnedBaseline(baselineFile, chosen)
  print(`Baseline pinned: ${chosen.id} (${chosen.time}${chosen.git?.commit ? `, ${chosen.git.commit.slice(0, 7)}` : ''}) in ${relative(args.root, baselineFile)}. Commit it so CI compares with it.`)
  if (chosen.partial) print(`Run ${chosen.id} is a partial merge (${chosen.partial.missingShards.length ? `shard${chosen.partial.missingShards.length === 1 ? '' : 's'} ${chosen.partial.missingShards.map((index) => `${index}/${chosen.partial?.shardCount}`).join(', ')} missing` : 'its blob reports came from different runs, or one twice'}): the suites it lacks are compared with their own previous run.`)
  return 0
}
