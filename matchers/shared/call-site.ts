// Where in the test file a matcher was called, for the score's annotation (a GitHub Actions notice points at
// that line). Taken while the matcher call is still synchronous: after the scorer's awaits the test file's
// frame is gone from the stack. Cheap per call: one stack capture (the await guard's), read as V8's raw call
// sites; Vite's source mapping (the costly part: a formatted, mapped stack per call took ~60 µs) runs once
// per distinct call site.
import type { MatcherState } from 'vitest'
import type { CallSiteHolder } from './caller-stack.js'
import { runningTest } from './running-test.js'

/** A line and column in the test file (1-based, as Vitest's annotations have them). */
export interface CallSiteLocation {
  line: number
  column: number
}

let enabled = true
// The stack the await guard captured for the matcher call in progress (synchronous: set and read in one call).
let current: CallSiteHolder | undefined
// The stack taken at each matcher call, keyed by its matcher state (one object per call).
const callSites = new WeakMap<object, object>()
// Per test file, raw (transformed) position → source-mapped position; a test file has few distinct call sites.
const mapped = new Map<string, Map<number, CallSiteLocation | null>>()
let mappedCount = 0
const MAX_MAPPED = 10_000

/** Frames kept above a matcher call: the test's line is the second (after chai's wrapper), or a few more through helpers. */
export const CALL_SITE_FRAMES = 5

/**
 * Turns call-site capture on or off in this worker: off with `annotations: false`, the only reader.
 *
 * @example
 * setCallSites(false)
 */
export function setCallSites(on: boolean): void {
  enabled = on
}

/**
 * Makes `holder` (a `captureStackTrace` target taken at a matcher call) the call site of the call about to
 * run, so {@link noteMatcherCall} does not take a second stack; returns the outer one, for
 * {@link leaveCallSite} in a `finally` (a plain pair, not a callback: no closure per matcher call).
 *
 * @example
 * const outer = enterCallSite(callSite)
 * try { return original.apply(this, args) } finally { leaveCallSite(outer) }
 */
export function enterCallSite(holder: CallSiteHolder): CallSiteHolder | undefined {
  const outer = current
  current = holder
  return outer
}

/** Restores the call site {@link enterCallSite} returned, once the matcher call returned or threw. */
export function leaveCallSite(outer: CallSiteHolder | undefined): void {
  current = outer
}

/**
 * Notes where a matcher was called, first thing in the matcher wrapper: the await guard's stack when it
 * wraps the call, else a stack taken here (V8 formats it lazily); {@link matcherLocation} reads it when the
 * score is recorded. Returns that stack's holder (undefined when there is none: no guard and call sites
 * off), for the call's failures to point at (caller-stack.ts).
 *
 * @example
 * const callSite = noteMatcherCall(this)
 */
export function noteMatcherCall(state: MatcherState): CallSiteHolder | undefined {
  const guarded = current
  current = undefined
  if (!enabled || runningTest(state) === undefined) return guarded
  let holder = guarded
  if (!holder) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = CALL_SITE_FRAMES + 8 // + the frames of Vitest's expect wrappers and ours
    holder = new Error('call site')
    Error.stackTraceLimit = limit
  }
  callSites.set(state, holder)
  return holder
}

type Prepare = (error: object, sites: NodeJS.CallSite[]) => unknown

/** The raw call sites a holder's `stack` was read as, for its text to be formatted when it is read again. */
const RAW_SITES = Symbol('raw call sites')
type ReadHolder = { [RAW_SITES]?: NodeJS.CallSite[]; stack?: unknown }

/** A holder's `stack` once its raw sites were read: the text, formatted on first read as it would have been. */
function formattedStack(this: ReadHolder): string {
  const sites = this[RAW_SITES] ?? []
  const prepare = Error.prepareStackTrace as Prepare | undefined
  const text = typeof prepare === 'function' ? String(prepare(this, sites)) : `Error\n${sites.map((site) => `    at ${String(site)}`).join('\n')}`
  Object.defineProperty(this, 'stack', { configurable: true, writable: true, value: text })
  return text
}

// One descriptor for every holder (not a getter closure per matcher call).
const FORMATTED_STACK: PropertyDescriptor = { configurable: true, get: formattedStack }

/**
 * The raw call sites of `holder` (its stack not read before). Its `stack` then reads as text again, formatted
 * on demand as it would have been: the await guard may still show it.
 */
function rawSites(holder: object): NodeJS.CallSite[] | undefined {
  const previous = Error.prepareStackTrace
  Error.prepareStackTrace = returnSites
  let sites: unknown
  try {
    sites = (holder as ReadHolder).stack
  } catch {
    return undefined
  } finally {
    Error.prepareStackTrace = previous
  }
  if (!Array.isArray(sites)) return undefined
  try {
    ;(holder as ReadHolder)[RAW_SITES] = sites as NodeJS.CallSite[]
    Object.defineProperty(holder, 'stack', FORMATTED_STACK)
  } catch {
    // A stack that cannot be redefined keeps the raw sites: only the await guard's message would lose frames.
  }
  return sites as NodeJS.CallSite[]
}

const returnSites = (_error: object, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites

/** The last `:line:column` of a formatted stack frame, e.g. `at /app/a.test.ts:14:30` or `(…:14:30)`. */
export function lineAndColumn(frame: string): CallSiteLocation | null {
  const match = /:(\d+):(\d+)\)?\s*$/.exec(frame)
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null
}

/** The site's position in the source the user wrote, through the stack formatter Vitest installed (Vite's). */
function sourcePosition(holder: object, site: NodeJS.CallSite): CallSiteLocation | null {
  const prepare = Error.prepareStackTrace as Prepare | undefined
  try {
    const text = typeof prepare === 'function' ? String(prepare(holder, [site])) : `    at ${String(site)}`
    return lineAndColumn(text.split('\n').findLast((line) => line.trim().startsWith('at ')) ?? '')
  } catch {
    return null
  }
}

/**
 * The test file's line and column of the matcher call behind `state`, or undefined when it was not made
 * from `file` (a helper module's own call, outside a test) or call sites are off.
 *
 * @example
 * matcherLocation(this, task.file.filepath) // { line: 14, column: 30 }
 */
export function matcherLocation(state: object | undefined, file: string | undefined): CallSiteLocation | undefined {
  const holder = state ? callSites.get(state) : undefined
  if (!holder || !file) return undefined
  callSites.delete(state as object)
  const sites = rawSites(holder)
  if (!sites) return undefined
  const url = fileUrl(file)
  const site = sites.find((each) => {
    const name = each.getFileName()
    return name === file || name === url
  })
  if (!site) return undefined
  const line = site.getLineNumber() ?? 0
  const column = site.getColumnNumber() ?? 0
  // A number per position (no key text built per call); positions past 2^26 (never in a test file) go uncached.
  const key = line < 2 ** 26 && column < 2 ** 26 ? line * 2 ** 26 + column : undefined
  let inFile = mapped.get(file)
  let position = key === undefined ? undefined : inFile?.get(key)
  if (position === undefined) {
    position = sourcePosition(holder, site)
    if (key !== undefined) {
      if (mappedCount >= MAX_MAPPED) {
        mapped.clear()
        mappedCount = 0
        inFile = undefined
      }
      if (!inFile) mapped.set(file, (inFile = new Map()))
      inFile.set(key, position)
      mappedCount++
    }
  }
  return position ?? undefined
}

let lastFile: string | undefined
let lastUrl = ''

/** `file` as a `file://` URL (how ESM frames name it), built once per test file rather than per frame. */
function fileUrl(file: string): string {
  if (file !== lastFile) {
    lastFile = file
    lastUrl = `file://${file}`
  }
  return lastUrl
}
