// Worker setup file added by the plugin. Interception starts at the top level, before test files
// construct SDK clients (they capture `fetch` when created, so `beforeAll` would be too late).
// It loads little on purpose: matchers, judges and msw load when first used (see BENCHMARKS.md).
import { afterAll, beforeAll, beforeEach, expect, inject } from 'vitest'
// First of the library's modules: it keeps the real clock and timers before any test code can fake them.
import './real-clock.js'
import { lazyMatchers } from '../matchers/lazy.js'
import { setCallSites } from '../matchers/shared/call-site.js'
import { installAwaitGuard, verifyAwaited } from '../matchers/shared/await-guard.js'
import { enterConcurrentTest, enterSequentialTest } from '../matchers/shared/running-test.js'
import { installCassettes } from './cassettes/worker.js'
import { setDefaultJudgeOption } from './judge/default-judge.js'
import { MetaSecrets } from './meta-secrets.js'
import { ResultsFlow } from './results-flow.js'
import { runnerIsOurs, setTestLifecycle, type LifecycleTest } from './test-lifecycle.js'

const provided = inject('llmEvals')
const cassettes = installCassettes(provided, expect.getState().testPath)

setDefaultJudgeOption(provided?.judge)
// Scores become annotations in the main process (reporters/score-annotations.ts); the worker notes call sites.
setCallSites(provided?.annotations !== false)
expect.extend(lazyMatchers)
installAwaitGuard(Object.keys(lazyMatchers), { afterEachHook: false })

// Each test try begins and ends through the library's runner when the plugin set it (src/runner.ts: no per-test
// hook, whose machinery and two task events cost every test ~30 µs; BENCHMARKS.md, issue 17), else through one
// `beforeEach` hook without Vitest's hook timeout (its timer costs every test too), whose cleanup Vitest runs after
// every afterEach hook. beginTry is synchronous up to its promise; endTest bounds its own wait for recordings.
// A concurrent test is registered for its async context, so the global `expect` records onto it (running-test.ts).
// Every 40 ms a try lets the event loop turn, so finished tests reach the main process while the rest run
// (results-flow.ts).
const flow = new ResultsFlow()
// Keys in each try's meta are hidden before Vitest reports it (its JSON and blob reports write meta as it is). The
// live key values are read once per test file: a value set by a test (vi.stubEnv) is seen from the next file on.
let metaSecrets: MetaSecrets | undefined
function beginTry(task: LifecycleTest, repeat: number): Promise<void> | undefined {
  if (task.concurrent === true) enterConcurrentTest(task as Parameters<typeof enterConcurrentTest>[0])
  else enterSequentialTest()
  cassettes.beginTest(task, task.context?.signal, repeat)
  return flow.due() ? flow.turn() : undefined
}
// The start and end of each test file. Under the library's runner, the runner registers them in every file
// (collectFile): a worker that runs several files (`--no-isolate`, VM pools) evaluates this file once when it is
// an installed package's (Node caches it), so hooks registered here would be the first file's only.
function fileHooks(): void {
  let file: LifecycleTest | undefined
  // A plain function reading `arguments`: the file task is the hook's last argument in Vitest 4.1 and 5, and
  // Vitest parses declared parameters as fixtures.
  beforeAll(function () {
    file = arguments[arguments.length - 1] as LifecycleTest | undefined
    metaSecrets = undefined
    cassettes.beginFile(expect.getState().testPath, file)
    // Teardowns run after every afterAll, last registered first: this one, registered before the test file's own,
    // runs after theirs and waits for the recordings of the calls they made, or the worker could exit first.
    return () => cassettes.settleFile()
  })
  // The file's meta (the cassette usage report) is sent after its afterAll hooks.
  afterAll(() => hideSecretsAfter(cassettes.endFile(), file))
}
if (runnerIsOurs()) {
  setTestLifecycle({ beginTry, endTry, hideSecrets: hideSecretsIn, collectFile: fileHooks })
} else {
  fileHooks()
  beforeEach((context) => {
    const waiting = beginTry(context.task, context.task.result?.repeatCount ?? 0)
    const cleanup = () => endTry(context.task)
    return waiting ? waiting.then(() => cleanup) : cleanup
  }, Number.POSITIVE_INFINITY)
}

function endTry(task: LifecycleTest): Promise<void> | undefined {
  let ending: Promise<void> | undefined
  try {
    ending = endTest(task)
  } catch (error) {
    hideSecretsIn(task)
    throw error
  }
  return hideSecretsAfter(ending, task)
}
function hideSecretsAfter(ending: Promise<void> | undefined, task: LifecycleTest | undefined): Promise<void> | undefined {
  if (!ending) return void hideSecretsIn(task)
  return ending.finally(() => hideSecretsIn(task))
}
function hideSecretsIn(task: LifecycleTest | undefined): void {
  if (task) (metaSecrets ??= new MetaSecrets()).hideIn(task.meta)
}

function endTest(task: LifecycleTest): Promise<void> | undefined {
  const ending = cassettes.endTest(task)
  try {
    verifyAwaited(task)
  } catch (notAwaited) {
    // Both failed: the un-awaited matcher is reported, with the cassette's error as its cause.
    if (!ending) throw notAwaited
    return ending.then(
      () => Promise.reject(notAwaited),
      (cassetteError: unknown) => Promise.reject(Object.assign(notAwaited as Error, { cause: cassetteError })),
    )
  }
  return ending
}
