import { stripVTControlCharacters } from 'node:util'
import { existsSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { DEFAULT_HISTORY_FILE } from '../../reporters/history-store.js'
import { isScoreHistoryReporter, type ScoreHistoryReporterOptions } from '../../reporters/score-history-reporter.js'
import { ConfigError } from '../errors/index.js'
import { defaultVitestConfig } from '../vitest-config-files.js'

/** The options given to `llmEvals()` in a project's Vitest config, and that config's path. */
export interface PluginOptions {
  options: ScoreHistoryReporterOptions
  configFile: string
}

/** The Vitest config of the project at `root`: `explicit` when given (relative to `root`), else the first default name present. */
export function findVitestConfig(root: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = resolve(root, explicit)
    if (!existsSync(file)) throw new ConfigError(`--config ${explicit}: no such file in ${root}. Give the path of your vitest.config.ts.`)
    return file
  }
  return defaultVitestConfig(root)
}

/**
 * Loads the project's Vitest config the way `vitest` does (its plugins included) and returns the
 * options the `llmEvals()` plugin handed to its reporter: history file, retention, baseline branch,
 * report paths, gate. Undefined when the project has no config or the config does not use the plugin.
 *
 * @example
 * const loaded = await loadPluginOptions(process.cwd())
 * const historyFile = loaded?.options.history ? loaded.options.history.file : undefined
 */
/**
 * The bundler's error as one short line: its colours and code frame (drawn over the text Vite prepends to the
 * config, so hundreds of escaped characters wide) left out, the lines that say what is wrong kept.
 */
export function loadFailure(message: string): string {
  const lines = stripVTControlCharacters(message)
    .split('\n')
    .map((line) => line.trim())
    // A code frame's lines start with a gutter (`1 │`, `│`, `╭─`, `───╯`): what is left says what and where.
    .filter((line) => line !== '' && !/^(?:\d+\s*)?[│╭╰─┬┴]/.test(line))
  const text = lines.join(' ').replace(/^Build failed with \d+ errors?: /, '')
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

export async function loadPluginOptions(root: string, explicitConfig?: string): Promise<PluginOptions | undefined> {
  const configFile = findVitestConfig(root, explicitConfig)
  if (!configFile) return undefined
  const { createVitest } = await import('vitest/node')
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() })
  let vitest: Awaited<ReturnType<typeof createVitest>>
  try {
    vitest = await createVitest({ root, config: configFile, watch: false, reporters: [] }, {}, { stdout: quiet, stderr: quiet })
  } catch (error) {
    const reason = loadFailure(error instanceof Error ? error.message : String(error))
    throw new ConfigError(`Could not load ${relative(root, configFile)} to read the llmEvals() options: ${reason}. Fix the config (run \`npx vitest\` to see the whole error), or name another with --config <file>.`, { cause: error })
  }
  try {
    const reporter = (vitest.config.reporters as unknown[]).find(isScoreHistoryReporter)
    return reporter ? { options: reporter.options, configFile } : undefined
  } finally {
    await vitest.close()
  }
}

/**
 * The history file a command reads: `--file` when given, else `history.file` of the project's
 * `llmEvals()` options, else `.evals/history.jsonl`.
 *
 * @example
 * const file = await historyFileOf(root, values.file, values.config)
 */
export async function historyFileOf(root: string, fileFlag: string | undefined, configFlag: string | undefined): Promise<string> {
  if (fileFlag !== undefined) return resolve(root, fileFlag)
  const plugin = await loadPluginOptions(root, configFlag)
  const history = plugin?.options.history
  if (history === false) throw new ConfigError(`History is off (\`history: false\` in the llmEvals() options of ${relative(root, plugin?.configFile ?? '')}). Turn it on, or pass --file <history file>.`)
  return resolve(root, history?.file ?? DEFAULT_HISTORY_FILE)
}
