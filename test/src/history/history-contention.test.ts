// Real processes writing one history file: a writer paused or killed in the middle of a rewrite, and the
// runs that come after it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { FileLockError } from '../../../src/errors/index.js'
import { appendRun, DEFAULT_RETENTION, formatRunLine, readHistory } from '../../../src/history/history-file.js'
import { historyRun } from '../../reporters/fixtures.js'

const childScript = fileURLToPath(new URL('../file-lock.child.ts', import.meta.url))
let dir: string
let file: string
const children: ChildProcess[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-contention-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** A history of `count` runs of about a megabyte each (long suite names), so that a rewrite takes a while. */
function largeHistory(count: number): string[] {
  const ids = Array.from({ length: count }, (_, index) => `old-${index}`)
  const lines = ids.map((id) => {
    const run = historyRun(id, {}, { groups: [{ suite: `${id} ${'x'.repeat(1 << 20)}`, metric: 'rouge', mean: 0.5, passRate: 1, cases: 1, trials: 1, flaky: 0 }] })
    delete run.cases
    return formatRunLine(run)
  })
  writeFileSync(file, `${lines.join('\n')}\n`)
  return ids
}

function start(args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  return { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) }
}

const temporaryCopies = () => readdirSync(dir).filter((name) => name.endsWith('.tmp'))

function copiedBytes(): number {
  try {
    return temporaryCopies().reduce((total, name) => total + statSync(join(dir, name)).size, 0)
  } catch {
    return 0
  }
}

/** Waits (busily: the writer is another process) until the writer has copied part of the history, then sends `signal`. */
function signalMidRewrite(child: ChildProcess, signal: NodeJS.Signals): boolean {
  const end = Date.now() + 30_000
  while (Date.now() < end && child.exitCode === null) {
    if (copiedBytes() > 4 << 20) {
      child.kill(signal)
      return true
    }
  }
  return false
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

describe('history under contention', () => {
  test("a writer paused mid-rewrite whose lock is taken over keeps the other run's line, and its own", async () => {
    const old = largeHistory(40)
    let paused: ChildProcess | undefined
    let exited: Promise<number | null> | undefined
    for (let round = 0; round < 5 && !paused; round++) {
      const writer = start(['append-runs', file, 'paused', '1', 'always'])
      await sleep(20)
      if (signalMidRewrite(writer.child, 'SIGSTOP') && temporaryCopies().length > 0 && existsSync(`${file}.lock`)) {
        paused = writer.child
        exited = writer.exited
      } else {
        writer.child.kill('SIGCONT')
        await writer.exited
        writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter((line) => !line.includes('"paused-')).join('\n'))
      }
    }
    expect(paused, 'the writer was never caught in the middle of a rewrite').toBeDefined()
    // The paused writer's lock as a waiter on another machine sees it: not renewed for 11 minutes.
    writeFileSync(`${file}.lock`, `${paused?.pid} build-agent-7 paused-writer since=2026-01-01T00:00:00.000Z`)
    const then = new Date(Date.now() - 11 * 60_000)
    utimesSync(`${file}.lock`, then, then)
    appendRun(file, historyRun('r2', { rouge: 0.8 }), DEFAULT_RETENTION, { waitMs: 1_000 })
    paused?.kill('SIGCONT')
    expect(await exited).toBe(0)
    expect(readHistory(file).map((run) => run.id)).toEqual([...old, 'r2', 'paused-0'])
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test('kill -9 during a rewrite leaves a temporary copy and a lock: the next append removes the copy and takes the lock over at once, and no run is lost', async () => {
    const old = largeHistory(40)
    let killed = false
    for (let round = 0; round < 5 && !killed; round++) {
      const writer = start(['append-runs', file, `killed${round}`, '1000', 'always'])
      await sleep(20)
      const caught = signalMidRewrite(writer.child, 'SIGKILL')
      await writer.exited
      killed = caught && temporaryCopies().length > 0 && existsSync(`${file}.lock`)
    }
    expect(killed, 'the writer was never killed in the middle of a rewrite').toBe(true)
    const appended = readHistory(file).map((run) => run.id)
    const started = Date.now()
    appendRun(file, historyRun('r9', { rouge: 0.8 }), DEFAULT_RETENTION, { waitMs: 60_000 })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
    expect(readHistory(file).map((run) => run.id)).toEqual([...appended, 'r9'])
    expect(appended.slice(0, old.length)).toEqual(old)
  })

  test('an append waits for a live writer that holds the history for long (here paused), and never takes its lock', async () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const holder = start(['hold', file])
    await new Promise((resolve) => holder.child.stdout?.once('data', resolve))
    holder.child.kill('SIGSTOP')
    const then = new Date(Date.now() - 3 * 60_000)
    utimesSync(`${file}.lock`, then, then)
    const before = readFileSync(file, 'utf8')
    expect(() => appendRun(file, historyRun('r2', { rouge: 0.8 }), DEFAULT_RETENTION, { waitMs: 300 })).toThrowError(FileLockError)
    expect(readFileSync(file, 'utf8')).toBe(before)
    expect(readFileSync(`${file}.lock`, 'utf8')).toMatch(new RegExp(`^${holder.child.pid} ${hostname()} `))
    holder.child.kill('SIGKILL')
    await holder.exited
    appendRun(file, historyRun('r2', { rouge: 0.8 }), DEFAULT_RETENTION, { waitMs: 300 })
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2'])
  })
})
