import { existsSync } from 'node:fs'
import type { ProvidedOptions } from '../config.js'
import { compileFunction } from '../compile-function.js'
import type { NormalizeRequest } from './canonical.js'
import { ownsUrl } from './hosts.js'
import { startInterception } from './interceptor.js'
import { resolveCassetteMode } from './mode.js'
import { currentTestScope, enterTestScope, forgetCutOffTests, trackSequentialContext, type TestScope } from './scope.js'
import type { AttemptCounts, CassetteSession } from './session.js'
import type { ToolResultCounts } from './tool-session.js'
import { fileUsageReport, testOutcomes } from './file-usage.js'
import { testNames, USAGE_META_KEY, type CassetteUsageReport } from './usage-report.js'
import { scanUsageReport } from './usage-report-secrets.js'
import { setAwsPlaceholderCredentials } from './aws-credentials.js'
import { bridgeHttp2WhenLoaded } from './http2-bridge.js'
import { bypassRefusal, refuseOwnedConnections } from './replay-socket-guard.js'
import { UncoveredHosts } from './uncovered-hosts.js'
import { duplicateNameWarning, duplicatePositions, storedDuplicateName } from './duplicate-names.js'
import { liveSecrets, scrubString } from './redact.js'
import { cassettePathFor, DEFAULT_MAX_INLINE_BYTES, PLACEHOLDER_KEYS, PLACEHOLDER_UNLESS_SET, usageDir, type WorkerCassetteOptions } from './worker-options.js'
import { realNow } from '../real-clock.js'
import { saveOnSignals } from './save-on-signal.js'

export { usageDir, type CassetteUsageReport }

/** The parts of a Vitest task this module reads (structural, so Vitest 4.1 and 5 both fit). */
interface TaskLike {
  name: string
  type: string
  mode?: string
  suite?: TaskLike
  tasks?: TaskLike[]
  filepath?: string
  file?: TaskLike
  /** Vitest `repeats` of a test. */
  repeats?: number
  /** Vitest `retry` of a test: a count (Vitest 4.1), or `{ count }` too (Vitest 5). */
  retry?: number | { count?: number }
  meta: object
  result?: { state?: string; repeatCount?: number; retryCount?: number; errors?: { message?: string }[] }
}


/** Full test name without the file: `suite > inner suite > test`. */
export function fullTestName(task: TaskLike): string {
  const names = [task.name]
  for (let suite = task.suite; suite && suite.type !== 'file' && !suite.filepath; suite = suite.suite) {
    if (suite.name) names.unshift(suite.name)
  }
  return names.join(' > ')
}

/**
 * A test's full name as its recordings are stored (scrubbed like the session's): two names that differ only in what a
 * `redact` rule hides are one name there, so they are told apart as duplicates.
 */
function storedNameOf(options: WorkerCassetteOptions): (task: TaskLike) => string {
  return (task) => scrubString(fullTestName(task), options.redact)
}

/** The names the file's tests are stored under (see duplicate-names.ts). */
function allTestNames(file: TaskLike, options: WorkerCassetteOptions): Set<string> {
  const names = new Set<string>()
  const duplicates = duplicatePositions(file, storedNameOf(options))
  const walk = (task: TaskLike) => {
    for (const child of task.tasks ?? []) {
      if (child.type === 'test') names.add(storedDuplicateName(fullTestName(child), duplicates.get(child)))
      else walk(child)
    }
  }
  walk(file)
  return names
}

/** The test's place among the tests of its file with its name (see {@link duplicatePositions}); warns once per name and file. */
function duplicatePosition(state: WorkerState, task: TaskLike): number | undefined {
  const file = task.file ?? state.fileTask
  if (!file) return undefined
  let duplicates = state.duplicates?.file === file ? state.duplicates : undefined
  if (!duplicates) state.duplicates = duplicates = { file, positions: duplicatePositions(file, storedNameOf(state.options)), warned: new Set() }
  const position = duplicates.positions.get(task)
  if (position === undefined) return undefined
  const name = storedNameOf(state.options)(task)
  if (!duplicates.warned.has(name)) {
    duplicates.warned.add(name)
    // The first test stored under the name: when its own name differs from this one's, a `redact` rule made them one.
    duplicates.firstNames ??= firstNames(file, storedNameOf(state.options))
    const redacted = duplicates.firstNames.get(name) !== fullTestName(task)
    console.warn(duplicateNameWarning(name, file.filepath ?? state.testFile ?? '', state.options.root, liveSecrets(), position, redacted))
  }
  return position
}

/** The full name of the first test of `file` stored under each name. */
function firstNames(file: TaskLike, storedName: (task: TaskLike) => string): Map<string, string> {
  const first = new Map<string, string>()
  const walk = (task: TaskLike) => {
    for (const child of task.tasks ?? []) {
      if (child.type !== 'test') walk(child)
      else if (!first.has(storedName(child))) first.set(storedName(child), fullTestName(child))
    }
  }
  walk(file)
  return first
}

function isFileTask(value: unknown): value is TaskLike {
  const task = value as Partial<TaskLike> | null
  return typeof task === 'object' && task !== null && task.type === 'suite' && typeof task.filepath === 'string' && Array.isArray(task.tasks)
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
    runStartedAt: cassettes?.runStartedAt ?? realNow(),
    ...(cassettes?.dir ? { dir: cassettes.dir } : {}),
    ...(provided?.project ? { project: provided.project } : {}),
  }
  if (cassettes?.normalizeRequest) options.normalizeRequest = compileFunction<NormalizeRequest>(cassettes.normalizeRequest, 'normalizeRequest')
  return options
}

/** Vitest hooks for cassettes, as the setup file wires them. */
export interface CassetteHooks {
  /** `file`: the file task, when the hook received it (the last argument of `beforeAll` in Vitest 4.1 and 5). */
  beginFile(testPath: string | undefined, file?: unknown): void
  /** `repeat`: which of the test's `repeats` this try is (the task's `result.repeatCount` is set after the runner's start of a try). */
  beginTest(task: TaskLike, signal?: AbortSignal, repeat?: number): void
  /** Synchronous (nothing to wait for) unless the test made model calls. */
  endTest(task: TaskLike): Promise<void> | undefined
  endFile(): Promise<void> | undefined
  /**
   * After the file's `beforeAll` teardowns (they run after every `afterAll`, our `endFile` among them): waits for the
   * recordings of calls they made, so the worker does not exit before they are stored.
   */
  settleFile(): Promise<void> | undefined
}

/** What a worker keeps of cassettes across test files (on `globalThis`, under `Symbol.for('vitest-llm-evals.cassettes')`). */
export interface WorkerState {
  options: WorkerCassetteOptions
  /** The record/replay session, loaded with the first model call (or at the end of a file that has a cassette). */
  session?: CassetteSession
  loading?: Promise<CassetteSession>
  testFile?: string
  scopes: WeakMap<object, TestScope>
  /** Tests whose model calls failed because msw could not start. */
  startFailures: WeakMap<TestScope, Error>
  /** Model calls to hosts cassettes do not cover: told once per host and file (see uncovered-hosts.ts). */
  uncovered?: UncoveredHosts
  /** The file task of the running file, from `beforeAll` or seen through its tests. */
  fileTask?: TaskLike
  /** Tests of the running file that have not ended yet (known from the first test that ends). */
  remainingTests?: Set<TaskLike>
  /** The running file's tests named like an earlier test of it, and the names already warned about. */
  duplicates?: { file: TaskLike; positions: Map<TaskLike, number>; warned: Set<string>; firstNames?: Map<string, string> }
  /** Tests of the running file that have begun and not ended (a model call outside them meanwhile lost its test's context). */
  running: Set<TestScope>
  /**
   * How many errors the test had when each try began: Vitest keeps the errors of a test's earlier tries (retries,
   * repeats) in `task.result.errors`, and only the try's own say what it already failed with.
   */
  errorsBefore: WeakMap<TestScope, number>
}

const STATE = Symbol.for('vitest-llm-evals.cassettes')

/** The worker's record/replay session, loaded on first use (a model call, or a `recordTool` call). */
export function loadSession(state: WorkerState): Promise<CassetteSession> {
  state.loading ??= import('./session.js').then(({ CassetteSession }) => {
    const session = new CassetteSession(state.options)
    session.testsRunning = () => state.running.size > 0
    if (state.testFile) session.useTestFile(state.testFile)
    state.session = session
    return session
  })
  return state.loading
}

/**
 * Starts cassettes in this worker once (setup files run again per test file when isolation is
 * off) and returns the hooks the setup file registers. Start-up is light: the record/replay session and
 * msw load with the first model call, so test files that make none pay (almost) nothing.
 */
export function installCassettes(provided: ProvidedOptions | undefined, testPath: string | undefined): CassetteHooks {
  const global = globalThis as { [STATE]?: WorkerState }
  if (!global[STATE]) {
    const state: WorkerState = { options: workerOptions(provided), scopes: new WeakMap(), startFailures: new WeakMap(), running: new Set(), errorsBefore: new WeakMap() }
    const { mode, hosts } = state.options
    // A call a finished test left running is told apart while recording (see `lateCallScopes`).
    trackSequentialContext(mode === 'record' || mode === 'auto')
    // Ctrl-C or a kill ends the worker at once: what ended tests recorded is written first (save-on-signal.ts).
    if (mode === 'record' || mode === 'auto') saveOnSignals(() => state.session?.saveEnded())
    if (mode === 'replay' || mode === 'auto') {
      for (const [name, placeholder] of Object.entries(PLACEHOLDER_KEYS)) {
        if (!PLACEHOLDER_UNLESS_SET[name]?.some((other) => process.env[other])) process.env[name] ||= placeholder
      }
      setAwsPlaceholderCredentials(process.env, mode)
    }
    if (mode !== 'passthrough') {
      const uncovered = (state.uncovered = new UncoveredHosts(mode, hosts))
      bridgeHttp2WhenLoaded((url) => ownsUrl(url, hosts), undefined, { replaying: () => mode === 'replay' })
      // Replay never reaches the network: a client with an HTTP stack of its own is refused at the socket.
      if (mode === 'replay') {
        refuseOwnedConnections((url) => ownsUrl(url, hosts), (url, proxied) => {
          const error = bypassRefusal(url, proxied)
          const scope = currentTestScope()
          if (scope && !state.startFailures.has(scope)) state.startFailures.set(scope, error)
          return error
        })
      }
      startInterception({
        owns: (url) => ownsUrl(url, hosts),
        answer: async (request) => (await loadSession(state)).answer(request),
        handle: async (request, requestId) => (await loadSession(state)).handle(request, requestId),
        onNetworkResponse: (requestId, response) => state.session?.onNetworkResponse(requestId, response),
        onNetworkError: (requestId) => state.session?.onNetworkError(requestId),
        // The SDK turns the failed request into an opaque connection error: the test also gets this one.
        onStartFailure: (error) => {
          const scope = currentTestScope()
          if (scope) state.startFailures.set(scope, error)
        },
        uncovered: (request) => uncovered.see(request, currentTestScope()),
      })
    }
    global[STATE] = state
  }
  const state = global[STATE]
  const useTestFile = (path: string | undefined) => {
    if (!path) return
    if (path !== state.testFile) state.uncovered?.beginFile()
    state.testFile = path
    state.session?.useTestFile(path)
  }
  useTestFile(testPath)
  const passthrough = state.options.mode === 'passthrough'
  return {
    beginFile(path, file) {
      state.fileTask = isFileTask(file) ? file : undefined
      state.remainingTests = undefined
      state.running.clear()
      forgetCutOffTests()
      useTestFile(path)
    },
    beginTest(task, signal, repeat) {
      state.fileTask = task.file ?? state.fileTask
      if (passthrough) return
      const scope: TestScope = { test: fullTestName(task), repeat: repeat ?? task.result?.repeatCount ?? 0, active: true }
      const duplicate = duplicatePosition(state, task)
      if (duplicate !== undefined) scope.duplicate = duplicate
      if (signal) scope.signal = signal
      state.scopes.set(task, scope)
      state.errorsBefore.set(scope, task.result?.errors?.length ?? 0)
      state.running.add(scope)
      enterTestScope(scope, (task as { concurrent?: boolean }).concurrent === true)
      state.session?.beginTry(scope)
    },
    endTest(task) {
      const scope = state.scopes.get(task)
      if (!scope) return undefined
      state.scopes.delete(task)
      state.running.delete(scope)
      const last = isLastTest(state, task)
      if (last) state.running.clear()
      const startFailure = state.startFailures.get(scope) ?? state.uncovered?.failureOf(scope)
      if (startFailure) {
        scope.active = false
        throw startFailure
      }
      // No session yet: this worker has made no model call, so the test has nothing to count or write.
      if (!state.session) {
        scope.active = false
        return undefined
      }
      const session = state.session
      const ended = endTestWithSession(session, scope, task, state.errorsBefore.get(scope) ?? 0)
      // After the file's last test, its recordings and report are saved at once: a user's `afterAll` that
      // throws stops the hooks after it, our end of file among them.
      return last ? ended.finally(() => saveBeforeFileEnd(state, session)) : ended
    },
    endFile() {
      if (passthrough) return undefined
      const cassette = state.testFile ? cassettePathFor(state.testFile, state.options.root, state.options.dir) : undefined
      // A file that made no model call and has no cassette has nothing to write, prune or report.
      if (!state.session && !(cassette && existsSync(cassette))) return undefined
      return endFileWithSession(state, state.fileTask)
    },
    settleFile() {
      return state.session?.settleLateRecordings()
    },
  }
}

async function endTestWithSession(session: CassetteSession, scope: TestScope, task: TaskLike, errorsBefore: number): Promise<void> {
  // This try's errors only: a miss an earlier try failed with must fail the retry that misses it again.
  const errors = (task.result?.errors ?? []).slice(errorsBefore).map((error) => error.message ?? '')
  // Counted before the end of the test may throw (a miss, a refused recording): what the try did still counts.
  await session.endTest(scope, task.result?.state === 'fail', errors, (counts) => countOnTest(task, scope.repeat, counts))
}

/** Tool result counts of each repeat of a test (the worker's own: a retry replaces its repeat's counts). */
const toolResultsByRepeat = new WeakMap<TaskLike, Map<number, ToolResultCounts>>()

/**
 * Puts a test try's counts on `task.meta.cassette`, for the reporter: repeats add up, a Vitest retry replaces the
 * try it retries, but the calls that try sent live stay, as `live`: their recordings were dropped, not their cost.
 */
function countOnTest(task: TaskLike, repeat: number, counts: AttemptCounts): void {
  const meta = task.meta as { cassette?: AttemptCounts }
  if (counts.calls.length === 0 && !counts.toolResults && !meta.cassette) return
  const attempt = { repeat, retry: task.result?.retryCount ?? 0 }
  const kept = (meta.cassette?.calls ?? []).flatMap((call) => {
    if (call.attempt?.repeat !== attempt.repeat) return [call]
    return call.source === 'replayed' || (call.attempt?.retry ?? 0) >= attempt.retry ? [] : [{ ...call, source: 'live' as const }]
  })
  const calls = [...kept, ...counts.calls.map((call) => ({ ...call, attempt }))]
  const toolResults = repeatsToolResults(task, repeat, counts.toolResults)
  meta.cassette = {
    replayed: calls.filter((call) => call.source === 'replayed').length,
    recorded: calls.filter((call) => call.source === 'recorded').length,
    calls,
    ...(toolResults ? { toolResults } : {}),
  }
}

/** The test's tool result counts over its repeats, with `counts` as those of `repeat` (the latest try). */
function repeatsToolResults(task: TaskLike, repeat: number, counts: ToolResultCounts | undefined): ToolResultCounts | undefined {
  let byRepeat = toolResultsByRepeat.get(task)
  if (!byRepeat) {
    if (!counts) return undefined
    toolResultsByRepeat.set(task, (byRepeat = new Map()))
  }
  if (counts) byRepeat.set(repeat, counts)
  else byRepeat.delete(repeat)
  const total = { replayed: 0, recorded: 0 }
  for (const each of byRepeat.values()) {
    total.replayed += each.replayed
    total.recorded += each.recorded
  }
  return total.replayed || total.recorded ? total : undefined
}

/** Puts the tool results of calls made outside tests (module top level, `beforeAll`) on the file task's `meta.cassette`. */
function countOnFile(file: TaskLike, session: CassetteSession): void {
  const toolResults = session.fileToolResults()
  const meta = file.meta as { cassette?: AttemptCounts }
  if (toolResults) meta.cassette = { replayed: 0, recorded: 0, calls: [], toolResults }
}

/** True when `task` ending (its last repeat) leaves no test of the file still to end. */
function isLastTest(state: WorkerState, task: TaskLike): boolean {
  const file = task.file ?? state.fileTask
  if (!file) return false
  if (!state.remainingTests) {
    state.remainingTests = new Set()
    collectTests(file, state.remainingTests)
  }
  if ((task.result?.repeatCount ?? 0) >= (task.repeats ?? 0) && !mayBeRetried(task)) state.remainingTests.delete(task)
  return state.remainingTests.size === 0
}

/** The try that ends failed, and Vitest has retries left for it: the test runs again (its calls are not the file's last). */
function mayBeRetried(task: TaskLike): boolean {
  if (task.result?.state !== 'fail') return false
  const retries = typeof task.retry === 'number' ? task.retry : (task.retry?.count ?? 0)
  return (task.result.retryCount ?? 0) < retries
}

function collectTests(task: TaskLike, into: Set<TaskLike>): void {
  for (const child of task.tasks ?? []) {
    if (child.type === 'test') {
      if (child.mode === 'run') into.add(child)
    } else collectTests(child, into)
  }
}

/**
 * Writes what the file's tests recorded and a provisional report (marked incomplete: the file's `afterAll`
 * hooks may still make calls) before the end of the file, which a failing `afterAll` of the user's skips.
 */
function saveBeforeFileEnd(state: WorkerState, session: CassetteSession): Promise<void> | undefined {
  const file = state.fileTask
  try {
    session.endTests()
  } catch {
    // The end of the file writes again and reports what failed.
  }
  if (!file) return
  countOnFile(file, session)
  const report = fileUsageReport(session, { testFile: file.filepath ?? state.testFile ?? '', outcomes: testOutcomes(file, fullTestName) })
  if (!report) return
  // Scanned before it is put where the reporter writes it from: test names and URLs may hold a secret. The
  // provisional note is added after, as this library's own text: a replay whose tests all passed loads no scanner.
  return scanUsageReport(report).then((scanned) => {
    (file.meta as Record<string, unknown>)[USAGE_META_KEY] = { ...scanned, complete: false, notRun: testNames(['(the end of the file: its afterAll hooks did not finish)']) }
  })
}

async function endFileWithSession(state: WorkerState, file: TaskLike | undefined): Promise<void> {
  const session = await loadSession(state)
  const outcomes = file ? testOutcomes(file, fullTestName) : undefined
  try {
    // `record` prunes the entries of tests that no longer exist only after a run of every test.
    await session.endFile(file ? allTestNames(file, state.options) : new Set(), outcomes?.notRun.length === 0)
  } finally {
    // The report travels on the file task's meta (also through blob reports); without the task it cannot.
    if (file) countOnFile(file, session)
    const report = file && outcomes ? fileUsageReport(session, { testFile: file.filepath ?? state.testFile ?? '', outcomes }) : undefined
    if (file && report) (file.meta as Record<string, unknown>)[USAGE_META_KEY] = await scanUsageReport(report)
  }
}

