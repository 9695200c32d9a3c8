import { groupThousands } from '../format-number.js'
import { keyedRequest, stableStringify, type CanonicalRequest, type NormalizeRequest } from './canonical.js'
import { printableChar, printableText } from './one-line.js'
import { REDACTED, scrubShown } from './redact.js'

/** One place where two requests differ. */
export interface RequestDifference {
  path: string
  /** The recorded value as shown: whole when short, else a window around the first difference, the differing part marked `[-…-]`. */
  recorded: string
  /** The received value as shown: whole when short, else the same window, the differing part marked `{+…+}`. */
  received: string
  /** Set when both values are shown as windows: how many characters they share at the start, and their lengths. */
  window?: { same: number; recordedLength: number; receivedLength: number; json: boolean }
  /**
   * The values differ inside text stored redacted (`[REDACTED]` on either side where they part): a differing part that is
   * not `[REDACTED]` itself is not shown (it may be what a rule hid when the other was stored).
   */
  redacted?: true
}

const MISSING = '(absent)'
/** Longest value shown whole; longer values are shown as a window around their first difference. */
const WHOLE_LIMIT = 60
/** Characters shown of the text both values share before the difference, of the differing part, and after it. */
const WINDOW = { before: 30, changed: 40, after: 20 }

/** A short value whole, or cut (key patterns scrubbed first); escaped, since JSON leaves U+2028, U+2029 and C1 controls as they are. */
function cutWhole(text: string): string {
  const chars = Array.from(printableText(scrubShown(text)))
  return chars.length <= WHOLE_LIMIT ? chars.join('') : `${chars.slice(0, WHOLE_LIMIT).join('')}… (+${groupThousands(chars.length - WHOLE_LIMIT)} chars)`
}

/** A value as JSON: a string quoted, anything else with sorted keys. */
function jsonOf(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : stableStringify(value)
}

function preview(value: unknown): string {
  return value === undefined ? MISSING : cutWhole(jsonOf(value))
}

/** Printable characters of `chars` from `start`, in order, until `limit` printed characters. */
function take(chars: readonly string[], start: number, end: number, limit: number): { text: string; cut: boolean } {
  let text = ''
  for (let index = start; index < end; index++) {
    const shown = printableChar(chars[index] as string)
    if (text.length + shown.length > limit) return { text, cut: true }
    text += shown
  }
  return { text, cut: false }
}

/** Printable characters of `chars` before `end`, backwards, until `limit` printed characters. */
function takeBefore(chars: readonly string[], end: number, limit: number): { text: string; cut: boolean } {
  let text = ''
  for (let index = end - 1; index >= 0; index--) {
    const shown = printableChar(chars[index] as string)
    if (text.length + shown.length > limit) return { text, cut: true }
    text = shown + text
  }
  return { text, cut: false }
}

/**
 * Both values as windows around their first difference: some shared text before it, the differing part
 * of each (marked), some shared text after it, and `…` where text is cut. Strings are compared as text,
 * other values (or a string against a non-string) as their JSON.
 *
 * @example
 * differenceWindow('…long prompt, 30 days…', '…long prompt, 45 days…')
 * // { recorded: '…long prompt, [-30-] days…', received: '…long prompt, {+45+} days…', window: { same: 14, … } }
 */
export function differenceWindow(recorded: unknown, received: unknown): Pick<RequestDifference, 'recorded' | 'received' | 'window' | 'redacted'> {
  const json = typeof recorded !== 'string' || typeof received !== 'string'
  // Key patterns are scrubbed from the whole values: a window cuts them.
  const a = Array.from(scrubShown(json ? stableStringify(recorded) : (recorded as string)))
  const b = Array.from(scrubShown(json ? stableStringify(received) : (received as string)))
  let same = 0
  while (same < a.length && same < b.length && a[same] === b[same]) same++
  let tail = 0
  while (tail < a.length - same && tail < b.length - same && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const before = takeBefore(a, same, WINDOW.before)
  const lead = `${before.cut ? '…' : ''}${before.text}`
  const redacted = changeTouchesRedacted(a, same, tail) || changeTouchesRedacted(b, same, tail)
  const show = (chars: string[], open: string, close: string) => {
    if (redacted && !onlyRedacted(chars.slice(same, chars.length - tail).join(''))) {
      const after = take(chars, chars.length - tail, chars.length, WINDOW.after)
      return `${lead}${open}${hiddenPart(chars.length - tail - same)}${close}${after.text}${after.cut ? '…' : ''}`
    }
    const changed = take(chars, same, chars.length - tail, WINDOW.changed)
    if (changed.cut) return `${lead}${open}${changed.text}…${close}`
    const after = take(chars, chars.length - tail, chars.length, WINDOW.after)
    return `${lead}${open}${changed.text}${close}${after.text}${after.cut ? '…' : ''}`
  }
  return { recorded: show(a, '[-', '-]'), received: show(b, '{+', '+}'), window: { same, recordedLength: a.length, receivedLength: b.length, json }, ...(redacted ? { redacted: true as const } : {}) }
}

/** True when the part of `chars` that differs (after `same` shared characters, before `tail`) overlaps a `[REDACTED]` in it. */
function changeTouchesRedacted(chars: readonly string[], same: number, tail: number): boolean {
  const end = Math.max(chars.length - tail, same + 1)
  // Only a `[REDACTED]` that starts before the change ends and ends after it starts: at most its length before `same`.
  for (let start = Math.max(0, same - REDACTED.length + 1); start < end && start < chars.length; start++) {
    if (chars[start] === '[' && chars.slice(start, start + REDACTED.length).join('') === REDACTED) return true
  }
  return false
}

/** True for a differing part that holds nothing but `[REDACTED]` (and punctuation or spaces around it): safe to show. */
function onlyRedacted(part: string): boolean {
  return part.includes(REDACTED) && !/[\p{L}\p{N}]/u.test(part.replaceAll(REDACTED, ''))
}

function hiddenPart(length: number): string {
  return `(${groupThousands(length)} chars not shown)`
}

/** `value[key]` when `value` has it: a key from the request (`constructor`, `toString`) must not read what objects inherit. */
function ownField(value: object, key: string): unknown {
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
}

function walk(path: string, recorded: unknown, received: unknown, out: RequestDifference[]): void {
  if (stableStringify(recorded) === stableStringify(received)) return
  const bothObjects = recorded !== null && received !== null && typeof recorded === 'object' && typeof received === 'object'
  if (bothObjects && Array.isArray(recorded) === Array.isArray(received)) {
    const keys = new Set([...Object.keys(recorded), ...Object.keys(received)])
    for (const key of keys) {
      // A key is text from the request: escaped, so a line break in it cannot break the message's lines.
      const child = Array.isArray(recorded) ? `${path}[${key}]` : `${path}.${printableText(key)}`
      walk(child, ownField(recorded, key), ownField(received, key), out)
    }
    return
  }
  // Two long values cut at the same length would look the same: show where they differ instead.
  const long = recorded !== undefined && received !== undefined && [recorded, received].some((value) => Array.from(jsonOf(value)).length > WHOLE_LIMIT)
  if (long) return void out.push({ path, ...differenceWindow(recorded, received) })
  // A short value differing inside redacted text: as a window, its differing part shown only where it is `[REDACTED]`.
  const window = recorded !== undefined && received !== undefined ? differenceWindow(recorded, received) : undefined
  if (window?.redacted) return void out.push({ path, recorded: window.recorded, received: window.received, redacted: true })
  out.push({ path, recorded: preview(recorded), received: preview(received) })
}

/**
 * Where two values differ, each place named by its path under `path`.
 *
 * @example
 * diffValues('args', { orderId: '123' }, { orderId: '124' }) // [{ path: 'args.orderId', recorded: '"123"', received: '"124"' }]
 */
export function diffValues(path: string, recorded: unknown, received: unknown): RequestDifference[] {
  const out: RequestDifference[] = []
  walk(path, recorded, received, out)
  return out
}

/**
 * Where two requests differ once normalised as keys are (volatile fields removed, user hook applied).
 *
 * @example
 * diffRequests(recorded, received) // [{ path: 'body.model', recorded: '"gpt-4o"', received: '"gpt-4.1"' }]
 */
export function diffRequests(recorded: CanonicalRequest, received: CanonicalRequest, normalize?: NormalizeRequest): RequestDifference[] {
  const out: RequestDifference[] = []
  const a = keyedRequest(recorded, normalize)
  const b = keyedRequest(received, normalize)
  walk('method', a.method, b.method, out)
  walk('path', a.path, b.path, out)
  walk('query', a.query, b.query, out)
  walk('headers', a.headers, b.headers, out)
  walk('body', a.body, b.body, out)
  return out
}

/** The candidate with the fewest differences from `received`, with those differences. */
export function nearestRequest<T extends { request: CanonicalRequest }>(
  candidates: readonly T[],
  received: CanonicalRequest,
  normalize?: NormalizeRequest,
): { candidate: T; differences: RequestDifference[] } | undefined {
  let best: { candidate: T; differences: RequestDifference[] } | undefined
  for (const candidate of candidates) {
    if (candidate.request.method !== received.method || candidate.request.path !== received.path) continue
    const differences = diffRequests(candidate.request, received, normalize)
    if (!best || differences.length < best.differences.length) best = { candidate, differences }
  }
  return best
}
