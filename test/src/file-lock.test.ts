import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { withFileLock, writeFileAtomicStreamed } from '../../src/atomic-files.js'
import { FileLockError } from '../../src/errors/index.js'
import { ownIdentity } from '../../src/process-identity.js'

// Locks keep time on the real clock (fake timers do not reach it): a test moves it ahead to see a renewal due.
const realClock = vi.hoisted(() => ({ ahead: 0 }))
vi.mock('../../src/real-clock.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/real-clock.js')>()
  return { ...real, realNow: () => real.realNow() + realClock.ahead }
})

const childScript = fileURLToPath(new URL('./file-lock.child.ts', import.meta.url))
const onLinux = existsSync('/proc/self/stat')
let dir: string
const children: ChildProcess[] = []
const lockedFile = () => join((dir = mkdtempSync(join(tmpdir(), 'file-lock-'))), 'history.jsonl')
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** A child process that holds `file`'s lock until killed. */
async function lockHolder(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [childScript, 'hold', file], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await new Promise((resolve, reject) => {
    child.stdout?.once('data', resolve)
    child.once('exit', () => reject(new Error('the lock holder exited')))
  })
  return child
}

function backdate(path: string, ms: number): void {
  const then = new Date(Date.now() - ms)
  utimesSync(path, then, then)
}

function lockError(file: string, waitMs = 200): string {
  try {
    withFileLock(file, () => 'ran', waitMs)
  } catch (error) {
    expect(error).toBeInstanceOf(FileLockError)
    return (error as Error).message.replaceAll(dir, '<dir>').replaceAll(hostname(), '<host>').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, '<time>')
  }
  throw new Error('the lock was taken')
}

const deadPid = () => spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout

describe('withFileLock: an owner on this machine', () => {
  test('that still runs is never taken over, however long it has held the lock (here paused, 3 minutes): the waiter fails naming it; the lock stays', async () => {
    const file = lockedFile()
    const owner = await lockHolder(file)
    owner.kill('SIGSTOP')
    backdate(`${file}.lock`, 180_000)
    const lock = readFileSync(`${file}.lock`, 'utf8')
    expect(lockError(file).replaceAll(String(owner.pid), '<pid>')).toMatchInlineSnapshot(`"[vitest-llm-evals] Timed out after 200 ms waiting to write <dir>/history.jsonl: <dir>/history.jsonl.lock is held by process <pid> on <host> since <time>, which is still running. Another run is writing the same file: let it finish and run again. If process <pid> is stuck (paused with Ctrl-Z, hung), end it; a lock whose process has ended is taken over at once."`)
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(lock)
  })

  test('records its pid, host, start time and since when in the lock', () => {
    const file = lockedFile()
    const lock = withFileLock(file, () => readFileSync(`${file}.lock`, 'utf8'))
    expect(lock).toMatch(new RegExp(`^${process.pid} ${hostname()} [0-9a-f]{12}${onLinux ? ' start=[0-9a-f-]+/\\d+ ns=\\d+' : ''} since=\\d{4}-\\d\\d-\\d\\dT`))
  })

  test('that no longer runs (a killed writer) is taken over at once, and the lock removed after', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, `${deadPid()} ${hostname()} killed-writer`)
    expect(withFileLock(file, () => readFileSync(`${file}.lock`, 'utf8'), 100)).toMatch(new RegExp(`^${process.pid} `))
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  test.skipIf(!onLinux)('whose pid now belongs to another process (another start time) is taken over at once', () => {
    const file = lockedFile()
    const { machine, start } = ownIdentity()
    // This very process runs with that pid, but started at another time: the writer of the lock is gone.
    writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} before-reboot start=${start?.split('/')[0]}/1 ns=${machine.pidNamespace} since=2025-01-01T00:00:00.000Z`)
    const started = Date.now()
    expect(withFileLock(file, () => 'ran', 5_000)).toBe('ran')
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  test('of an older version (pid and host only) that still runs is waited for, not taken over', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} someone-else`)
    backdate(`${file}.lock`, 180_000)
    expect(lockError(file, 100)).toContain(`is held by process ${process.pid} on <host> since <time>, which is still running`)
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid} ${hostname()} someone-else`)
  })
})

describe('withFileLock: an owner on another machine (a shared folder)', () => {
  test('is waited for until its lock has not been renewed for 10 minutes, then taken over', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, '4242 build-agent-7 a1b2c3 since=2026-01-01T00:00:00.000Z')
    expect(lockError(file)).toMatchInlineSnapshot(`"[vitest-llm-evals] Timed out after 200 ms waiting to write <dir>/history.jsonl: <dir>/history.jsonl.lock is held by process 4242 on build-agent-7 since <time> (another machine or container sharing this folder). Its process cannot be checked from here, so its lock is taken over only once it has not been renewed for 10 minutes. If that run has stopped, delete <dir>/history.jsonl.lock."`)
    backdate(`${file}.lock`, 3 * 60_000)
    expect(() => withFileLock(file, () => 'ran', 100)).toThrowError(FileLockError)
    backdate(`${file}.lock`, 11 * 60_000)
    expect(withFileLock(file, () => 'ran', 100)).toBe('ran')
  })

  test.skipIf(!onLinux)('a container with the same host name but other pids counts as another machine: its pid is not looked up here', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, `${deadPid()} ${hostname()} other-container ns=1 since=2026-01-01T00:00:00.000Z`)
    expect(lockError(file, 100)).toContain('(another machine or container sharing this folder)')
  })

  test('its lock is renewed by a long write under it, so it is not taken over while the work goes on', () => {
    const file = lockedFile()
    try {
      withFileLock(file, () => {
        backdate(`${file}.lock`, 9 * 60_000)
        realClock.ahead = 31_000
        writeFileAtomicStreamed(file, (write) => write(Buffer.alloc(2 << 20, 'x')))
        expect(statSync(`${file}.lock`).mtimeMs).toBeGreaterThan(Date.now() - 60_000)
      })
    } finally {
      realClock.ahead = 0
    }
  })
})

describe('withFileLock: a lock with no owner in it (killed between creating and writing it)', () => {
  test('is waited for while fresh, and taken over once 10 s old', () => {
    const file = lockedFile()
    writeFileSync(`${file}.lock`, '')
    expect(lockError(file, 100)).toContain('names no owner (a process killed while creating it?); it is taken over once it is 10 s old')
    backdate(`${file}.lock`, 11_000)
    expect(withFileLock(file, () => 'ran', 100)).toBe('ran')
  })
})

describe('withFileLock: ownership', () => {
  test('never removes a lock it no longer owns', () => {
    const file = lockedFile()
    withFileLock(file, () => writeFileSync(`${file}.lock`, `${process.pid} ${hostname()} taken-over`))
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid} ${hostname()} taken-over`)
  })

  test('processes racing to take over a dead writer\'s lock hold it one at a time', async () => {
    const file = lockedFile()
    const log = join(dir, 'turns.log')
    writeFileSync(`${file}.lock`, `${deadPid()} ${hostname()} killed-writer`)
    const runs = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, [childScript, 'take-turns', file, log, '25'], { stdio: ['ignore', 'ignore', 'inherit'] })
      children.push(child)
      return new Promise((resolve) => child.once('exit', resolve))
    })
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0])
    const lines = readFileSync(log, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(4 * 25 * 2)
    for (let index = 0; index < lines.length; index += 2) expect(lines[index + 1]).toBe(lines[index]?.replace('enter', 'leave'))
    expect(existsSync(`${file}.lock`)).toBe(false)
  })
})

describe('withFileLock: in a test that fakes the date and timers', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  test('says since when on the real clock, not the faked date', () => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2020-01-01T00:00:00Z'))
    const file = lockedFile()
    const since = withFileLock(file, () => readFileSync(`${file}.lock`, 'utf8')).match(/since=(\S+)/)?.[1] ?? ''
    expect(Math.abs(Date.parse(since) - vi.getRealSystemTime())).toBeLessThan(60_000)
  })

  test('waits for a live owner on the real clock: it fails after its wait, although the faked clock stands still', async () => {
    const file = lockedFile()
    await lockHolder(file)
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2020-01-01T00:00:00Z'))
    const started = vi.getRealSystemTime()
    expect(lockError(file, 300)).toContain('Timed out after 300 ms waiting to write')
    expect(vi.getRealSystemTime() - started).toBeGreaterThanOrEqual(300)
  })
})
