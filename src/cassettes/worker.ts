import { createHash } from 'node:crypto'
import { join, relative } from 'node:path'
import { compileFunction, DEFAULT_MAX_INLINE_BYTES, type ProvidedOptions } from '../config.js'
import type { NormalizeRequest } from './canonical.js'
import { writeFileAtomic } from '../atomic-files.js'
import { startInterception } from './interceptor.js'
import { resolveCassetteMode } from './mode.js'
import { CassetteSession, PLACEHOLDER_KEYS, type AttemptCounts, type WorkerCassetteOptions } from './session.js'
import { enterTestScope, type TestScope } from './scope.js'

/** The parts of a Vitest task this module reads (structural, so Vitest 4.1 and 5 both fit). */
interface TaskLike {
  name: string
  type: string
  mode?: string
  suite?: TaskLike
  tasks?: TaskLike[]
  filepath?: string
  file?: TaskLike
  meta: object
  result?: { state?: string; repeatCount?: number; retryCount?: number; errors?: { message?: string }[] }
}

/** The folder where each run leaves which recordings it used (read by `llm-evals cassettes check`). */
export function usageDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
}

/** Full test name without the file: `suite > inner suite > test`. */
export function fullTestName(task: TaskLike): string {
  const names = [task.name]
  for (let suite = task.suite; suite && suite.type !== 'file' && !suite.filepath; suite = suite.suite) {
    if (suite.name) names.unshift(suite.name)
  }
  return names.join(' > ')
}

function allTestNames(task: TaskLike, into = new Set<string>()): Set<string> {
  for (const child of task.tasks ?? []) {
    if (child.type === 'test') into.add(fullTestName(child))
    else allTestNames(child, into)
  }
  return into
}

function ranEveryTest(task: TaskLike): boolean {
  return (task.tasks ?? []).every((child) => (child.type === 'test' ? child.mode === 'run' || child.result?.state !== undefined : ranEveryTest(child)))
}

function workerOptions(provided: ProvidedOptions | undefined): WorkerCassetteOptions {
  const root = provided?.root ?? process.cwd()
  const cassettes = provided?.cassettes
  const options: WorkerCassetteOptions = {
    mode: cassettes?.mode ?? resolveCassetteMode(process.env),
    root,
    hosts: cassettes?.hosts ?? [],
    redact: cassettes?.redact ?? [],
    maxInlineBytes: cassettes?.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES,
    ...(cassettes?.dir ? { dir: cassettes.dir } : {}),
  }
  if (cassettes?.normalizeRequest) options.normalizeRequest = compileFunction<NormalizeRequest>(cassettes.normalizeRequest, 'normalizeRequest')
  return options
}

/** Vitest hooks for cassettes, as the setup file wires them. */
export interface CassetteHooks {
  beginFile(testPath: string | undefined): void
  beginTest(task: TaskLike): void
  endTest(task: TaskLike): Promise<void>
  endFile(): Promise<void>
}

interface WorkerState {
  session: CassetteSession
  scopes: WeakMap<object, TestScope>
  /** The file task of the running file, seen through its tests (hook signatures differ across Vitest versions). */
  fileTask?: TaskLike
}

const STATE = Symbol.for('vitest-llm-evals.cassettes')

/**
 * Starts cassettes in this worker once (setup files run again per test file when isolation is
 * off) and returns the hooks the setup file registers.
 */
export function installCassettes(provided: ProvidedOptions | undefined, testPath: string | undefined): CassetteHooks {
  const global = globalThis as { [STATE]?: WorkerState }
  if (!global[STATE]) {
    const session = new CassetteSession(workerOptions(provided))
    if (session.options.mode === 'replay' || session.options.mode === 'auto') {
      for (const [name, placeholder] of Object.entries(PLACEHOLDER_KEYS)) process.env[name] ||= placeholder
    }
    if (session.options.mode !== 'passthrough') startInterception(session)
    global[STATE] = { session, scopes: new WeakMap() }
  }
  const state = global[STATE]
  const { session } = state
  if (testPath) session.useTestFile(testPath)
  return {
    beginFile(path) {
      state.fileTask = undefined
      if (path) session.useTestFile(path)
    },
    beginTest(task) {
      state.fileTask = task.file ?? state.fileTask
      const scope: TestScope = { test: fullTestName(task), repeat: task.result?.repeatCount ?? 0, active: true }
      state.scopes.set(task, scope)
      enterTestScope(scope)
      session.beginTest(scope)
    },
    async endTest(task) {
      const scope = state.scopes.get(task)
      if (!scope) return
      state.scopes.delete(task)
      const errors = (task.result?.errors ?? []).map((error) => error.message ?? '')
      const counts = await session.endTest(scope, task.result?.state === 'fail', errors)
      // Repeats add up; a Vitest retry replaces the calls of the attempt it retries.
      const meta = task.meta as { cassette?: AttemptCounts }
      const attempt = { repeat: scope.repeat, retry: task.result?.retryCount ?? 0 }
      const kept = (meta.cassette?.calls ?? []).filter((call) => call.attempt?.repeat !== attempt.repeat)
      const calls = [...kept, ...counts.calls.map((call) => ({ ...call, attempt }))]
      meta.cassette = {
        replayed: calls.filter((call) => call.source === 'replayed').length,
        recorded: calls.filter((call) => call.source === 'recorded').length,
        calls,
      }
    },
    async endFile() {
      const file = state.fileTask
      const complete = file ? ranEveryTest(file) : false
      try {
        await session.endFile(file ? allTestNames(file) : new Set(), complete)
      } finally {
        writeUsage(session, file?.filepath ?? '', complete)
      }
    },
  }
}

/** What one run of a test file did with its cassette; `llm-evals cassettes check` reads these. */
export interface CassetteUsageReport {
  cassette: string
  testFile: string
  mode: string
  at: string
  /** True when every test of the file ran (no filter, no `.only`): only then is "unused" meaningful. */
  complete: boolean
  total: number
  used: { test: string; repeat: number; call: number }[]
  misses: { test: string; method: string; url: string }[]
}

function writeUsage(session: CassetteSession, testFile: string, complete: boolean): void {
  const cassette = session.cassetteFile
  if (!cassette || session.options.mode === 'passthrough') return
  const { used, total } = session.usage()
  const report: CassetteUsageReport = {
    cassette: relative(session.options.root, cassette),
    testFile: relative(session.options.root, testFile),
    mode: session.options.mode,
    at: new Date().toISOString(),
    complete,
    total,
    used: used.map((entry) => ({ test: entry.test, repeat: entry.repeat, call: entry.call })),
    misses: session.misses.map((miss) => ({ ...miss })),
  }
  const name = createHash('sha256').update(cassette).digest('hex').slice(0, 16)
  try {
    writeFileAtomic(join(usageDir(session.options.root), `${name}.json`), JSON.stringify(report, null, 2))
  } catch {
    // The usage report only feeds `llm-evals cassettes check`; never fail a run over it.
  }
}
