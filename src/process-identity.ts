// Who wrote a lock, and whether that process still runs. A pid alone is not enough: after a crash the
// kernel gives the pid to another process, so a lock records its writer's start identity as well.
import { readFileSync, readlinkSync } from 'node:fs'
import { hostname } from 'node:os'

/** Where a process runs: its host name and, on Linux, its pid namespace (containers sharing a folder may share a host name, never pids). */
export interface Machine {
  host: string
  pidNamespace?: string
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return undefined
  }
}

let own: { machine: Machine; start: string | undefined } | undefined

/** This process's machine and start identity (read once). */
export function ownIdentity(): { machine: Machine; start: string | undefined } {
  if (!own) {
    let pidNamespace: string | undefined
    try {
      pidNamespace = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1]
    } catch {
      // Not Linux: the host name alone says where a process runs.
    }
    own = { machine: { host: hostname(), ...(pidNamespace ? { pidNamespace } : {}) }, start: startIdentity(process.pid) }
  }
  return own
}

/**
 * When process `pid` started, as `<boot id>/<start time in clock ticks since boot>`: two processes with the
 * same pid (a recycled one, or one from before a reboot) never share it. Read from `/proc/<pid>/stat`
 * (field 22) and `/proc/sys/kernel/random/boot_id`, both raw kernel values, so the same process always
 * gives the same text. Undefined where there is no `/proc` (macOS, Windows) or it cannot be read: callers
 * then only know whether the pid runs.
 */
export function startIdentity(pid: number): string | undefined {
  const boot = readText('/proc/sys/kernel/random/boot_id')
  const stat = readText(`/proc/${pid}/stat`)
  if (!boot || !stat) return undefined
  // The command name (field 2) is in parentheses and may hold spaces or ')': count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = fields[22 - 3]
  return ticks && /^\d+$/.test(ticks) ? `${boot}/${ticks}` : undefined
}

/** True when a process with this pid runs (on this machine), whoever it is. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** True when `machine` is this one: the same host name, and the same pid namespace when both are known. */
export function isThisMachine(machine: Machine): boolean {
  const mine = ownIdentity().machine
  if (machine.host !== mine.host) return false
  return machine.pidNamespace === undefined || mine.pidNamespace === undefined || machine.pidNamespace === mine.pidNamespace
}

/**
 * True when the process that recorded `pid` and `start` still runs on this machine. Without a recorded or
 * readable start identity (a lock of an older version, no `/proc`), a running pid counts as that process:
 * a recycled pid then keeps a lock until its new owner ends, but a live owner is never mistaken for a dead one.
 */
export function isSameProcessRunning(pid: number, start: string | undefined): boolean {
  if (!isRunning(pid)) return false
  if (start === undefined) return true
  const current = startIdentity(pid)
  return current === undefined || current === start
}
