// The plugin's reporters as stand-ins that load their code in the background. Loading ScoreHistoryReporter and
// ScoreAnnotationsReporter (zod, history, summaries, report rendering, secret scan) cost the main process
// ~100 ms before the first worker could start (issue 17, BENCHMARKS.md). A stand-in starts `import()`ing its
// reporter just after the run's first worker process (or thread) is created, so that loading overlaps the
// worker's start-up, when this process is idle. (Started at `onTestRunStart`, the import still ran before the
// spawn: Vitest's way from there to the pool waits on I/O, and the import's steps went in between.)
//
// Vitest awaits every reporter hook. Those it calls before the worker starts (onInit, onTestRunStart) are queued
// without waiting; any later call waits until the reporter is loaded and has received every queued call, in
// order. The first calls from a worker (`onTestModuleQueued`, sent as it starts collecting a file, then
// `onTestModuleStart` and `onTestCaseReady` ahead of a test's result in the same batch of events) hold back the
// events after them, so the score annotations are on a test before the other reporters see its result, as
// when the reporter was loaded up front. (Only a batch of results arriving while the import is still running,
// 100 ms after the first, could reach the other reporters first: the import takes ~0.1 s, while the worker
// takes longer than that to start.)
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { Reporter, TestCase, TestModule, TestSpecification, Vitest } from 'vitest/node'
import { startGitInfo } from '../src/history/git.js'
import { markEmptyShard } from './empty-shards.js'
import { ANNOTATIONS_REPORTER_MARK, HISTORY_REPORTER_MARK } from './reporter-marks.js'
import type { ScoreHistoryReporter, ScoreHistoryReporterOptions } from './score-history-reporter.js'

type Hook = keyof Reporter
type Call = { hook: Hook; args: unknown[] }
type Method = (...args: unknown[]) => unknown

const ignore = () => {}

/** What the stand-ins pass on. A test checks it holds every hook of the real reporters. */
export const FORWARDED_HOOKS = ['onInit', 'onTestRunStart', 'onTestModuleQueued', 'onTestModuleCollected', 'onTestModuleStart', 'onTestCaseReady', 'onTestCaseResult', 'onTestModuleEnd', 'onTestRunEnd'] as const

/** Node's channels told of every new child process and worker thread (the pools' workers). */
const WORKER_CHANNELS = ['child_process', 'worker_threads']
const waiting = new Set<() => void>()

// One subscriber for every stand-in: Node stops telling the rest of a channel's subscribers once one leaves.
function workerCreated(): void {
  for (const name of WORKER_CHANNELS) unsubscribe(name, workerCreated)
  const calls = [...waiting]
  waiting.clear()
  setImmediate(() => {
    for (const call of calls) call()
  })
}

/** Calls `then` once, in the turn after the next child process or worker thread is created. Returns a function that cancels it. */
function afterNextWorker(then: () => void): () => void {
  if (waiting.size === 0) for (const name of WORKER_CHANNELS) subscribe(name, workerCreated)
  waiting.add(then)
  return () => {
    if (!waiting.delete(then) || waiting.size > 0) return
    for (const name of WORKER_CHANNELS) unsubscribe(name, workerCreated)
  }
}

/** A reporter whose code is imported on first need; calls before then are kept and passed on in order. */
abstract class LazyReporter {
  private loaded: Reporter | undefined
  private readonly calls: Call[] = []
  private ready: Promise<void> | undefined
  private stopWaiting: (() => void) | undefined

  /** Imports the real reporter and creates it. */
  protected abstract create(): Promise<Reporter>

  /** Called as the first worker is created, before the real reporter is imported. */
  protected workerCreated(): void {}

  /** Called once the real reporter is loaded and has received the queued calls (the workers have started by then). */
  protected loadedAfterStart(_reporter: Reporter): void {}

  /** The real reporter, once it is loaded and has received every call made before (for tests). */
  get reporter(): Reporter | undefined {
    return this.loaded
  }

  /** Starts loading the real reporter (once); settles when it is loaded and has received every call so far. */
  load(): Promise<void> {
    this.stopWaiting?.()
    this.ready ??= this.create().then(async (reporter) => {
      let failure: { error: unknown } | undefined
      // Calls made while one is passed on join the queue: the loop takes them too, in order.
      for (let call = this.calls.shift(); call; call = this.calls.shift()) {
        try {
          await (reporter[call.hook] as Method | undefined)?.apply(reporter, call.args)
        } catch (error) {
          failure ??= { error }
        }
      }
      this.loaded = reporter
      this.loadedAfterStart(reporter)
      // A queued hook that failed fails the hook that waited for it, as Vitest would have failed the queued one.
      if (failure) throw failure.error
    })
    return this.ready
  }

  /** A hook Vitest calls before any worker starts: queued (waiting here would delay the worker). */
  private early(hook: Hook, args: unknown[]): unknown {
    if (this.loaded) return (this.loaded[hook] as Method | undefined)?.apply(this.loaded, args)
    this.calls.push({ hook, args })
    return undefined
  }

  /** Any later hook: passed on, once the reporter is loaded and has received the calls before it. */
  private later(hook: Hook, args: unknown[]): unknown {
    if (this.loaded) return (this.loaded[hook] as Method | undefined)?.apply(this.loaded, args)
    this.calls.push({ hook, args })
    return this.load()
  }

  onInit(vitest: Vitest): void {
    this.early('onInit', [vitest])
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): unknown {
    const result = this.early('onTestRunStart', [specifications])
    // The pool starts the workers next: the import runs while they start (its failure surfaces in a later hook).
    if (!this.ready) {
      this.stopWaiting ??= afterNextWorker(() => {
        this.workerCreated()
        this.load().catch(ignore)
      })
    }
    return result
  }

  onTestModuleQueued(testModule: TestModule): unknown {
    return this.later('onTestModuleQueued', [testModule])
  }

  onTestModuleCollected(testModule: TestModule): unknown {
    return this.later('onTestModuleCollected', [testModule])
  }

  onTestModuleStart(testModule: TestModule): unknown {
    return this.later('onTestModuleStart', [testModule])
  }

  onTestCaseReady(testCase: TestCase): unknown {
    return this.later('onTestCaseReady', [testCase])
  }

  onTestCaseResult(testCase: TestCase): unknown {
    return this.later('onTestCaseResult', [testCase])
  }

  onTestModuleEnd(testModule: TestModule): unknown {
    return this.later('onTestModuleEnd', [testModule])
  }

  onTestRunEnd(...args: Parameters<NonNullable<Reporter['onTestRunEnd']>>): unknown {
    return this.later('onTestRunEnd', args)
  }
}

/**
 * The plugin's ScoreHistoryReporter: recognised as one (`isScoreHistoryReporter`, its `options`), loaded in the
 * background once the run starts.
 *
 * @example
 * reporters.push(new LazyScoreHistoryReporter({ history: { file: '.evals/history.jsonl' } }))
 */
export class LazyScoreHistoryReporter extends LazyReporter {
  readonly [HISTORY_REPORTER_MARK] = true

  constructor(readonly options: ScoreHistoryReporterOptions = {}) {
    super()
  }

  private vitest: Vitest | undefined

  override onInit(vitest: Vitest): void {
    this.vitest = vitest
    super.onInit(vitest)
  }

  // Now, not queued: a shard run with no test file starts no worker, and a blob reporter writes before this
  // reporter's queued hooks reach it. On Vitest 4, the mark shards the files first: Vitest awaits that.
  override onTestRunStart(specifications: ReadonlyArray<TestSpecification>): unknown {
    const marked = markEmptyShard(this.vitest, specifications)
    const started = super.onTestRunStart(specifications)
    return marked ? Promise.all([marked, started]) : started
  }

  // The commit and branch, read now: the git process starts as a fork of this process, counted in the run's resident
  // memory beside the worker, which is still small now (issue 17). The reporter's warmUp takes this read.
  protected override workerCreated(): void {
    const root = this.vitest?.config?.root
    if (root) startGitInfo(root, process.env)
  }

  protected async create(): Promise<Reporter> {
    const { ScoreHistoryReporter } = await import('./score-history-reporter.js')
    return new ScoreHistoryReporter(this.options)
  }

  // Loaded while the first worker starts, when this process waits for it: the end-of-run work is readied now, in
  // a later turn, rather than once the worker has collected its file, when it would wait for this process (issue 17).
  protected override loadedAfterStart(reporter: Reporter): void {
    setImmediate(() => (reporter as Partial<ScoreHistoryReporter>).warmUp?.())
  }
}

/**
 * The plugin's ScoreAnnotationsReporter, loaded in the background once the run starts.
 *
 * @example
 * reporters.unshift(new LazyScoreAnnotationsReporter())
 */
export class LazyScoreAnnotationsReporter extends LazyReporter {
  readonly [ANNOTATIONS_REPORTER_MARK] = true

  protected async create(): Promise<Reporter> {
    const { ScoreAnnotationsReporter } = await import('./score-annotations.js')
    return new ScoreAnnotationsReporter()
  }
}
