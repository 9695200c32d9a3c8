// Lock files that let writers in several processes (projects, shards, parallel runs, machines sharing a
// folder) take turns on one file, without ever taking a lock from a process that still runs.
import { nodeCrypto } from './node-crypto.js'
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { FileLockError } from './errors/index.js'
import { isSameProcessRunning, isThisMachine, ownIdentity, type Machine } from './process-identity.js'
import { realDate, realIsoTime, realNow } from './real-clock.js'

const WAIT_MS = 30_000
/** A lock of another machine whose owner has not renewed it for this long is taken over (its process cannot be checked). */
export const FOREIGN_STALE_MS = 10 * 60_000
/** How often an owner renews its lock while it works (see {@link renewLock}). */
const RENEW_MS = 30_000
/** A lock without an owner written into it (killed between creating and writing it) is taken over after this long. */
const UNWRITTEN_STALE_MS = 10_000

/** What a lock file says about its owner: `<pid> <host> <random> start=… ns=… since=…` (older versions wrote the first three only). */
interface LockOwner {
  text: string
  pid: number
  machine: Machine
  start?: string
  since?: string
}

function ownerText(): string {
  const { machine, start } = ownIdentity()
  const fields = [String(process.pid), machine.host, nodeCrypto().randomBytes(6).toString('hex')]
  if (start) fields.push(`start=${start}`)
  if (machine.pidNamespace) fields.push(`ns=${machine.pidNamespace}`)
  fields.push(`since=${realIsoTime()}`)
  return fields.join(' ')
}

function parseOwner(text: string): LockOwner | undefined {
  const [pid, host, , ...rest] = text.trim().split(' ')
  if (!pid || !/^\d+$/.test(pid) || !host) return undefined
  const field = (name: string) => rest.find((part) => part.startsWith(`${name}=`))?.slice(name.length + 1)
  const ns = field('ns')
  const start = field('start')
  const since = field('since')
  return { text, pid: Number(pid), machine: { host, ...(ns ? { pidNamespace: ns } : {}) }, ...(start ? { start } : {}), ...(since ? { since } : {}) }
}

function readLock(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8')
  } catch {
    return undefined
  }
}

function ageOf(lock: string): number {
  try {
    return realNow() - statSync(lock).mtimeMs
  } catch {
    return 0
  }
}

/**
 * Whether a lock may be taken over: never from a process that runs on this machine (however long it holds
 * the lock: a slow disk, a large history, a paused process); at once from one that ended or whose pid now
 * belongs to another process. A process on another machine cannot be checked: its lock is taken over when
 * the owner has not renewed it for {@link FOREIGN_STALE_MS} (owners renew while they work).
 */
function isAbandoned(lock: string, text: string): boolean {
  const owner = parseOwner(text)
  if (!owner) return ageOf(lock) > UNWRITTEN_STALE_MS
  if (!isThisMachine(owner.machine)) return ageOf(lock) > FOREIGN_STALE_MS
  return !isSameProcessRunning(owner.pid, owner.start)
}

/**
 * Removes an abandoned lock, unless another process replaced it meanwhile: the lock is moved aside
 * atomically and put back when what was moved is not the abandoned one.
 */
function takeOver(lock: string, abandoned: string): void {
  const aside = `${lock}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.stale`
  try {
    renameSync(lock, aside)
  } catch {
    return // gone meanwhile
  }
  if (readLock(aside) !== abandoned) {
    try {
      linkSync(aside, lock)
    } catch {
      // A third process created a lock meanwhile: the one moved aside is lost, the files' checks before rename still hold.
    }
  }
  rmSync(aside, { force: true })
}

function describeOwner(lock: string, text: string): string {
  const owner = parseOwner(text)
  if (!owner) return `${lock} names no owner (a process killed while creating it?); it is taken over once it is ${UNWRITTEN_STALE_MS / 1000} s old`
  const since = owner.since ?? realIsoTime(realNow() - ageOf(lock))
  const held = `${lock} is held by process ${owner.pid} on ${owner.machine.host} since ${since}`
  if (!isThisMachine(owner.machine)) {
    return `${held} (another machine or container sharing this folder). Its process cannot be checked from here, so its lock is taken over only once it has not been renewed for ${FOREIGN_STALE_MS / 60_000} minutes. If that run has stopped, delete ${lock}`
  }
  return `${held}, which is still running. Another run is writing the same file: let it finish and run again. If process ${owner.pid} is stuck (paused with Ctrl-Z, hung), end it; a lock whose process has ended is taken over at once`
}

const held = new Map<string, { text: string; renewedAt: number }>()

/**
 * Runs `action` while holding `<path>.lock` (created exclusively, holding its owner's pid, host, start identity and
 * since when), so writers in other processes take turns. A lock whose owner no longer runs on this machine (a
 * killed writer, or a pid since reused) is taken over at once; a live owner is waited for up to `waitMs`
 * however long it takes, then a {@link FileLockError} says which process holds it, since when, and what to do.
 * A lock of another machine (a shared folder), whose process cannot be checked, is taken over once its owner has
 * not renewed it for 10 minutes (see {@link renewLock}). Only the owner removes a lock.
 *
 * @example
 * withFileLock('.evals/history.jsonl', () => appendTo('.evals/history.jsonl'))
 */
export function withFileLock<T>(path: string, action: () => T, waitMs = WAIT_MS): T {
  const lock = `${path}.lock`
  mkdirSync(dirname(lock), { recursive: true })
  const text = ownerText()
  const started = realNow()
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, text, { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const current = readLock(lock)
      if (current === undefined) continue // released meanwhile
      if (isAbandoned(lock, current)) takeOver(lock, current)
      else if (realNow() - started > waitMs) throw new FileLockError(`Timed out after ${waitMs < 1000 ? `${waitMs} ms` : `${Math.round(waitMs / 1000)} s`} waiting to write ${path}: ${describeOwner(lock, current)}.`)
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(250, 5 + attempt * 2) * (0.5 + Math.random()))
    }
  }
  held.set(lock, { text, renewedAt: realNow() })
  try {
    return action()
  } finally {
    held.delete(lock)
    if (readLock(lock) === text) rmSync(lock, { force: true })
  }
}

/**
 * Tells waiters on other machines that the owner of `<path>.lock` is still at work (a long rewrite): touches the
 * lock at most every 30 s, only when this process holds it. Cheap enough to call for every megabyte written.
 */
export function renewLock(path: string): void {
  const lock = `${path}.lock`
  const mine = held.get(lock)
  if (!mine || realNow() - mine.renewedAt < RENEW_MS) return
  mine.renewedAt = realNow()
  if (readLock(lock) !== mine.text) return
  try {
    const now = realDate()
    utimesSync(lock, now, now)
  } catch {
    // Removed by a process that took it over: the write's check before rename still protects the file.
  }
}
