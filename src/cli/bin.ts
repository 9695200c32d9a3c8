#!/usr/bin/env node
import { resolve } from 'node:path'
import { existsSync, statSync } from 'node:fs'
import { ConfigError, isLlmEvalsError } from '../errors/index.js'
import { runCheck, type CassettesCommandOptions } from './cassettes-command.js'
import { runPrune } from './prune-command.js'
import { parseCommandArgs } from './command-args.js'

/** Command groups living in their own modules, loaded on demand: each exports `run(argv): Promise<number>`. */
const GROUPS: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  history: () => import('./history-command.js'),
  report: () => import('./report-command.js'),
  review: () => import('./review-command.js'),
  baseline: () => import('./history-command.js').then((module) => ({ run: module.runBaseline })),
  dataset: () => import('./dataset-command.js'),
  import: () => import('./import-command.js'),
}

const USAGE = `Usage: llm-evals <command> [options]

Commands:
  cassettes check   List missing, unused, stale and oversized recordings, and secrets in cassettes (exit 1 on a missing one or a secret)
  cassettes prune   Remove recordings the last complete, successful run of their test file did not use
  history           Table of recent runs from the score history
  report            Regenerate the HTML report from the score history
  baseline set|show|clear
                    Pin (or show, or clear) the run new runs are compared with
  review            Label the latest run in a local page; --agreement prints judge-human agreement
  dataset inspect|export
                    Check a dataset (counts, imbalance, duplicates, leakage) or write fine-tuning JSONL
  import promptfoo|openai-evals
                    Turn a promptfoo config or an OpenAI Evals export into a describeEval suite and a dataset

Run \`llm-evals <command> --help\` for the options of history, report, baseline, review, dataset and import.

Options of cassettes check|prune:
  --root <dir>           Project root (default: current directory)
  --max-age <days>       Age after which a recording is listed as stale (default: 180)
  --max-entry-kb <kb>    Size above which an entry or tool recording is listed as oversized (default: 256)
  --strict               Kept for compatibility: a missing recording always makes check exit 1
  --dry-run              prune: show what would be removed
  -h, --help             Show this help`

async function main(argv: string[]): Promise<number> {
  const options = {
    root: { type: 'string' },
    'max-age': { type: 'string' },
    'max-entry-kb': { type: 'string' },
    strict: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  } as const
  const { values, positionals } = parseCommandArgs(argv[0] === 'cassettes' ? 'cassettes' : '', argv, options, true)
  const [group, command] = positionals
  if (values.help || !group) {
    console.log(USAGE)
    return values.help ? 0 : 2
  }
  const commandOptions: CassettesCommandOptions = {
    root: rootFolder(values.root),
    maxAgeDays: positiveNumber(values['max-age'], 180, '--max-age'),
    maxEntryBytes: positiveNumber(values['max-entry-kb'], 256, '--max-entry-kb') * 1024,
    strict: values.strict,
    dryRun: values['dry-run'],
    env: process.env,
  }
  const print = (line: string) => console.log(line)
  if (group === 'cassettes' && command === 'check') return runCheck(commandOptions, print)
  if (group === 'cassettes' && command === 'prune') return runPrune(commandOptions, print)
  return unknownCommand(positionals)
}

/** Prints what an unknown command was probably meant as, and the command list; exit code 2. */
async function unknownCommand(words: readonly string[]): Promise<number> {
  const { unknownCommandMessage } = await import('./unknown-command.js')
  console.error(`[vitest-llm-evals] ${unknownCommandMessage(words, USAGE)}`)
  return 2
}

/** `--root` as an absolute folder; one that is not there (a typo) is an error, not a bare ENOENT from listing it. */
function rootFolder(given: string | undefined): string {
  const root = resolve(given ?? process.cwd())
  if (given === undefined || statSync(root, { throwIfNoEntry: false })?.isDirectory()) return root
  const what = existsSync(root) ? 'is a file, not a folder' : 'names no folder'
  throw new ConfigError(`--root ${given} ${what} (looked at ${root}). Pass the project's root folder (where you run vitest), or leave --root out to use the current directory.`)
}

function positiveNumber(text: string | undefined, fallback: number, flag: string): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`[vitest-llm-evals] ${flag} needs a positive number, got "${text}".`)
  return value
}

async function dispatch(argv: string[]): Promise<number> {
  const first = argv[0]
  const group = first !== undefined && Object.hasOwn(GROUPS, first) ? GROUPS[first] : undefined
  if (group) return (await group()).run(argv.slice(1))
  // An unknown command, before its options are parsed (they would fail first, with no word on the command).
  if (first !== undefined && first !== 'cassettes' && !first.startsWith('-')) {
    const options = argv.findIndex((word) => word.startsWith('-'))
    return unknownCommand(options === -1 ? argv : argv.slice(0, options))
  }
  return main(argv)
}

try {
  process.exitCode = await dispatch(process.argv.slice(2))
} catch (error) {
  console.error(isLlmEvalsError(error) || error instanceof Error ? error.message : String(error))
  process.exitCode = 2
}
