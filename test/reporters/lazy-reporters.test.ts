import { spawn } from 'node:child_process'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import { describe, expect, test } from 'vitest'
import { FORWARDED_HOOKS, LazyScoreAnnotationsReporter, LazyScoreHistoryReporter } from '../../reporters/lazy-reporters.js'
import { hasAnnotationsReporterMark, hasHistoryReporterMark } from '../../reporters/reporter-marks.js'
import { ScoreAnnotationsReporter } from '../../reporters/score-annotations.js'
import { takeGitInfo } from '../../src/history/git.js'
import { isScoreHistoryReporter, ScoreHistoryReporter } from '../../reporters/score-history-reporter.js'

/** A stand-in whose reporter records what it receives, and loads when the test says so. */
class Probe extends LazyScoreHistoryReporter {
  readonly seen: string[] = []
  created = 0
  private release: (() => void) | undefined
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve))
  failIn: string | undefined

  finishLoading(): void {
    this.release?.()
  }

  protected override async create(): Promise<Reporter> {
    this.created++
    await this.gate
    const record = (hook: string, name?: string) => {
      this.seen.push(name === undefined ? hook : `${hook} ${name}`)
      if (this.failIn === hook) throw new Error(`${hook} failed`)
    }
    return {
      onInit: () => record('onInit'),
      onTestRunStart: () => record('onTestRunStart'),
      onTestModuleQueued: (module: TestModule) => record('onTestModuleQueued', module.moduleId),
      onTestCaseResult: (testCase: TestCase) => record('onTestCaseResult', testCase.name),
      onTestRunEnd: () => record('onTestRunEnd'),
    }
  }
}

const vitest = {} as Vitest
const module = (id: string) => ({ moduleId: id }) as TestModule
const testCase = (name: string) => ({ name }) as TestCase

async function spawnChild(): Promise<void> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
  await once(child, 'exit')
}

describe('the plugin reporters loaded in the background', () => {
  test('calls made before the reporter is loaded reach it, in order, before any later call', async () => {
    const probe = new Probe()
    // Before any worker: queued, and Vitest is not kept waiting.
    expect(probe.onInit(vitest)).toBeUndefined()
    expect(probe.onTestRunStart([])).toBeUndefined()
    // From the workers: these wait for the reporter.
    const waiting = [probe.onTestModuleQueued(module('a.test.ts')), probe.onTestCaseResult(testCase('one')), probe.onTestCaseResult(testCase('two'))]
    expect(waiting.every((result) => result instanceof Promise)).toBe(true)
    await nextTurn()
    expect(probe.seen).toEqual([])
    probe.finishLoading()
    await Promise.all(waiting)
    expect(probe.seen).toEqual(['onInit', 'onTestRunStart', 'onTestModuleQueued a.test.ts', 'onTestCaseResult one', 'onTestCaseResult two'])
    // Once loaded, calls go straight through.
    probe.onTestCaseResult(testCase('three'))
    expect(probe.seen.at(-1)).toBe('onTestCaseResult three')
    expect(probe.created).toBe(1)
  })

  test('a call made while the queued ones are passed on comes after them', async () => {
    const probe = new Probe()
    probe.onInit(vitest)
    const first = probe.onTestCaseResult(testCase('one'))
    probe.finishLoading()
    await nextTurn()
    const second = probe.onTestCaseResult(testCase('two'))
    await Promise.all([first, second])
    expect(probe.seen).toEqual(['onInit', 'onTestCaseResult one', 'onTestCaseResult two'])
  })

  test('starts loading when the first worker process is created, not before', async () => {
    const probe = new Probe()
    probe.onInit(vitest)
    probe.onTestRunStart([])
    await nextTurn()
    expect(probe.created).toBe(0)
    await spawnChild()
    await nextTurn()
    expect(probe.created).toBe(1)
    probe.finishLoading()
    await probe.load()
    expect(probe.seen).toEqual(['onInit', 'onTestRunStart'])
  })

  test('the history reporter readies the end of the run (secret scanner, git) in the turn after it is loaded, while the worker starts', async () => {
    const seen: string[] = []
    class Warming extends LazyScoreHistoryReporter {
      protected override async create(): Promise<Reporter> {
        return { onTestRunStart: () => void seen.push('onTestRunStart'), warmUp: () => void seen.push('warmUp') } as Reporter
      }
    }
    const history = new Warming()
    history.onTestRunStart([])
    await history.load()
    expect(seen).toEqual(['onTestRunStart'])
    await nextTurn()
    expect(seen).toEqual(['onTestRunStart', 'warmUp'])
  })

  test('the history stand-in starts git as the first worker is created, before importing the reporter, which then takes that read', async () => {
    // The channel tells of a process before it is spawned: its file is read afterwards.
    const events: ({ spawnfile: string } | 'import')[] = []
    const onSpawn = (message: unknown) => void events.push((message as { process: { spawnfile: string } }).process)
    const spawned = () => events.map((event) => (event === 'import' ? event : event.spawnfile))
    subscribe('child_process', onSpawn)
    const root = mkdtempSync(join(tmpdir(), 'lazy-git-'))
    try {
      class Early extends Probe {
        protected override async create(): Promise<Reporter> {
          events.push('import')
          return super.create()
        }
      }
      const history = new Early()
      history.onInit({ config: { root } } as Vitest)
      history.onTestRunStart([])
      await nextTurn()
      expect(spawned()).toEqual([])
      await spawnChild()
      await nextTurn()
      expect(spawned()).toEqual([process.execPath, 'git', 'import'])
      // The reporter's read is the one started: no second git process.
      await expect(takeGitInfo(root, {})).resolves.toEqual({})
      expect(spawned().filter((file) => file === 'git')).toHaveLength(1)
      history.finishLoading()
      await history.load()
    } finally {
      unsubscribe('child_process', onSpawn)
      rmSync(root, { recursive: true, force: true })
    }
  })

  test('a queued call that fails fails the call that waited for it; later calls go through', async () => {
    const probe = new Probe()
    probe.failIn = 'onInit'
    probe.onInit(vitest)
    const waiting = probe.onTestModuleQueued(module('a.test.ts'))
    probe.finishLoading()
    await expect(waiting).rejects.toThrow('onInit failed')
    probe.onTestCaseResult(testCase('one'))
    expect(probe.seen).toEqual(['onInit', 'onTestModuleQueued a.test.ts', 'onTestCaseResult one'])
  })

  test('load the real reporters, with the options given', async () => {
    const history = new LazyScoreHistoryReporter({ history: false, report: false, cassetteMode: 'replay' })
    await history.load()
    expect(history.reporter).toBeInstanceOf(ScoreHistoryReporter)
    expect((history.reporter as ScoreHistoryReporter).options).toEqual({ history: false, report: false, cassetteMode: 'replay' })
    const annotations = new LazyScoreAnnotationsReporter()
    await annotations.load()
    expect(annotations.reporter).toBeInstanceOf(ScoreAnnotationsReporter)
  })

  test('pass on every hook the real reporters have', () => {
    for (const reporter of [ScoreHistoryReporter, ScoreAnnotationsReporter]) {
      const hooks = Object.getOwnPropertyNames(reporter.prototype).filter((name) => /^on[A-Z]/.test(name))
      expect(FORWARDED_HOOKS, reporter.name).toEqual(expect.arrayContaining(hooks))
    }
    for (const hook of FORWARDED_HOOKS) expect(typeof new LazyScoreHistoryReporter()[hook]).toBe('function')
  })

  test('are recognised as the reporters they stand for, and so are the real ones', () => {
    const history = new LazyScoreHistoryReporter({ history: false })
    expect(isScoreHistoryReporter(history)).toBe(true)
    expect(hasHistoryReporterMark(history)).toBe(true)
    expect(hasHistoryReporterMark(new ScoreHistoryReporter())).toBe(true)
    expect(hasAnnotationsReporterMark(new LazyScoreAnnotationsReporter())).toBe(true)
    expect(hasAnnotationsReporterMark(new ScoreAnnotationsReporter())).toBe(true)
    expect(hasHistoryReporterMark(new ScoreAnnotationsReporter())).toBe(false)
    expect(hasAnnotationsReporterMark(['default', {}])).toBe(false)
  })
})
