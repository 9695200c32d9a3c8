import { relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeFileAtomic } from '../atomic-files.js'
import { compareRuns, DEFAULT_TOLERANCE } from '../../reporters/compare.js'
import { DEFAULT_HISTORY_FILE, baselineFileFor, casesForComparison } from '../../reporters/history-store.js'
import { renderHtml } from '../../reporters/render-html.js'
import { readPinnedBaseline, selectBaseline } from '../history/baseline.js'
import { ConfigError } from '../errors/index.js'
import { loadRuns } from './history-command.js'

const USAGE = `Usage: llm-evals report [options]   Regenerate the HTML report from the history file

Options:
  --root <dir>              Project root (default: current directory)
  --file <path>             History file (default: ${DEFAULT_HISTORY_FILE})
  --out <path>              Report file (default: .evals/report.html)
  --run <id>                Report on this run instead of the newest
  --baseline-branch <name>  Without a pinned baseline, compare with the newest run on this branch
  -h, --help                Show this help`

/**
 * `llm-evals report`: rewrites the self-contained HTML report from history (the newest run, or `--run`).
 *
 * @example
 * await run(['--out', 'eval-report.html'])
 */
export async function run(argv: string[], print: (line: string) => void = console.log): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { root: { type: 'string' }, file: { type: 'string' }, out: { type: 'string' }, run: { type: 'string' }, 'baseline-branch': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  })
  if (values.help) {
    print(USAGE)
    return 0
  }
  const root = resolve(values.root ?? process.cwd())
  const file = resolve(root, values.file ?? DEFAULT_HISTORY_FILE)
  const pinned = readPinnedBaseline(baselineFileFor(file))
  const runs = loadRuns(file, root, (line) => console.warn(line), casesForComparison(pinned, values['baseline-branch'], (run, newer) => (values.run ? run.id === values.run : newer === 0)))
  const index = values.run ? runs.findIndex((each) => each.id === values.run) : runs.length - 1
  const current = runs[index]
  if (!current) {
    throw new ConfigError(values.run ? `No run "${values.run}" in ${relative(root, file)}. List runs with \`llm-evals history\`.` : `No runs in ${relative(root, file)} yet: run your evals with the llmEvals() plugin first.`)
  }
  const earlier = runs.slice(0, index)
  const baseline = selectBaseline(earlier, { ...(pinned ? { runId: pinned } : {}), ...(values['baseline-branch'] ? { branch: values['baseline-branch'] } : {}) })
  const comparison = compareRuns(current, earlier, baseline, { tolerance: DEFAULT_TOLERANCE, recent: 12 })
  const out = resolve(root, values.out ?? '.evals/report.html')
  writeFileAtomic(out, renderHtml({ runs: runs.slice(0, index + 1), comparison, gateFailures: [] }))
  print(`Report written: ${relative(root, out)} (run ${current.id}, ${index + 1} runs of history)`)
  return 0
}
