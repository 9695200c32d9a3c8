/// <reference types="vitest/config" />
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Vite, Vitest, VitestPluginContext, TestProject } from 'vitest/node'
// Only what returns the plugin object loads with it: options are checked by hand (the zod schema is imported
// only for unusual or wrong ones), and the reporters are stand-ins that import their code once the first worker
// is created (BENCHMARKS.md, issue 17).
import { LazyScoreAnnotationsReporter, LazyScoreHistoryReporter } from '../reporters/lazy-reporters.js'
import { hasAnnotationsReporterMark, hasHistoryReporterMark } from '../reporters/reporter-marks.js'
import type { LlmEvalsOptions, ProvidedOptions } from './config.js'
import { isLlmEvalsError } from './errors/index.js'
import { toProvidedOptions, type ParsedOptions } from './provided-options.js'
import { quickParseOptions } from './quick-options.js'

export type { LlmEvalsOptions } from './config.js'
// Loads the matcher types (`expect(x).toBeSimilarTo(…)`, `task.meta.evals`) wherever the plugin is imported.
export type { LlmEvalsMatchers } from '../matchers/types.js'

/** Absolute path of the worker setup file (the built `.js`, or the `.ts` source in this repo's own tests). */
export function setupFilePath(): string {
  return ownFilePath('setup')
}

/** Absolute path of the library's test runner (src/runner.ts), built or source like the setup file. */
export function runnerFilePath(): string {
  return ownFilePath('runner')
}

function ownFilePath(name: string): string {
  const built = fileURLToPath(new URL(`./${name}.js`, import.meta.url))
  return existsSync(built) ? built : fileURLToPath(new URL(`./${name}.ts`, import.meta.url))
}

/**
 * Gives a project the library's test runner, which begins and ends each test try without a per-test hook
 * (src/test-lifecycle.ts), unless it has a runner of its own, runs benchmarks (Vitest 4.1's `bench`), or runs in
 * the browser: the setup file then registers its `beforeEach` hook instead.
 */
function useOwnRunner(config: TestProject['config']): void {
  const { runner, browser, mode } = config as { runner?: string; browser?: { enabled?: boolean }; mode?: string }
  if (runner || browser?.enabled === true || (mode !== undefined && mode !== 'test')) return
  config.runner = runnerFilePath()
}

const configuredProjects = new WeakSet<TestProject>()
const configuredRuns = new WeakSet<Vitest>()
const runStarts = new WeakMap<Vitest, { at: number; provided: ProvidedOptions[] }>()

/**
 * The Vitest plugin: validates options at start-up, adds the worker setup file (cassettes on,
 * matchers registered) to every project, adds the score reporter once, and passes the resolved
 * options to workers.
 *
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config'
 * import { llmEvals } from 'vitest-llm-evals/plugin'
 * export default defineConfig({ plugins: [llmEvals()] })
 */
export function llmEvals(options: LlmEvalsOptions = {}): Vite.Plugin {
  // The common options are checked here, without zod; others by the schema, loaded in the first hook (awaited
  // by Vite: a wrong option still stops the run at start-up, with the schema's message).
  let parsed = quickParseOptions(options)
  let parsing: Promise<ParsedOptions> | undefined
  const validate = async (): Promise<ParsedOptions> => {
    parsing ??= import('./config.js').then(({ parseOptions }) => parseOptions(options)).catch((error: unknown) => {
      throw withoutStack(error)
    })
    return (parsed = await parsing)
  }
  return {
    name: 'vitest-llm-evals',
    ...(parsed ? {} : { config: async () => void (await validate()) }),
    configureVitest(context: VitestPluginContext) {
      if (parsed) return configure(parsed, context)
      return validate().then((options) => configure(options, context))
    },
  }
}

// Details Vite or Rollup assign onto an error thrown in a hook (`error.plugin = …`), printed after the message.
const HOOK_DETAILS = ['plugin', 'hook', 'code', 'pluginCode'] as const

/**
 * A wrong option's ConfigError as Vitest prints it at start-up: the message alone, which says what to fix.
 * Its stack (Vite's, Vitest's and the library's frames) is dropped, and the details a hook runner assigns
 * onto it are made non-enumerable in advance, so an assignment keeps them out of the printed error.
 */
function withoutStack(error: unknown): unknown {
  if (!isLlmEvalsError(error)) return error
  try {
    error.stack = `${error.name}: ${error.message}`
    for (const key of HOOK_DETAILS) {
      if (!Object.hasOwn(error, key)) Object.defineProperty(error, key, { value: undefined, writable: true, enumerable: false, configurable: true })
    }
  } catch {
    // A frozen error keeps its stack.
  }
  return error
}

function configure(parsed: ParsedOptions, { vitest, project }: VitestPluginContext): void {
  const provided = toProvidedOptions(parsed, vitest.config.root, process.env)
  // One start time for every project of a run (configureVitest is called once per project), renewed on
  // each watch-mode rerun: `record` replaces what was recorded before it.
  let run = runStarts.get(vitest)
  if (!run) {
    const started = { at: Date.now(), provided: [] as ProvidedOptions[] }
    runStarts.set(vitest, (run = started))
    vitest.onTestsRerun(() => {
      started.at = Date.now()
      for (const each of started.provided) each.cassettes.runStartedAt = started.at
    })
  }
  provided.cassettes.runStartedAt = run.at
  run.provided.push(provided)
  const setupFile = setupFilePath()
  const projects = vitest.projects.length > 0 ? vitest.projects : [project]
  for (const each of projects) {
    if (configuredProjects.has(each)) continue
    configuredProjects.add(each)
    // First, so model calls made by the user's own setup files are intercepted too.
    if (!each.config.setupFiles.includes(setupFile)) each.config.setupFiles.unshift(setupFile)
    useOwnRunner(each.config)
    // Each project is told its name (recordings carry it); `cassettes` stays shared, so a rerun still renews its start.
    each.provide('llmEvals', each.name ? { ...provided, project: each.name } : provided)
  }
  if (configuredRuns.has(vitest)) return
  configuredRuns.add(vitest)
  const reporters = vitest.config.reporters as unknown[]
  // A reporter the user added (`vitest-llm-evals/reporter`) is recognised by its mark: never a second one.
  if (!reporters.some(hasHistoryReporterMark)) {
    reporters.push(new LazyScoreHistoryReporter({ cassetteMode: provided.cassettes.mode, redact: provided.cassettes.redact, history: parsed.history, report: parsed.report, gate: parsed.gate, pricing: parsed.pricing, labels: parsed.labels }))
  }
  // First, so that every other reporter sees a test's score annotations with its result.
  if (provided.annotations !== false && !reporters.some(hasAnnotationsReporterMark)) reporters.unshift(new LazyScoreAnnotationsReporter())
}
