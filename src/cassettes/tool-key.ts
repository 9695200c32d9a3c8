// How a tool call finds its recording: by the tool's name and its arguments as canonical JSON. Pure: no
// Vitest, no I/O.
import { nodeCrypto } from '../node-crypto.js'
import { stableStringify } from './canonical.js'
import { hasProtoKey } from './proto-keys.js'
import { sortedJsonData } from './sorted-json.js'

/**
 * The stable key of a tool call: a hash of the tool's name and its arguments as canonical JSON (object
 * keys sorted at every depth), so `{ a, b }` and `{ b, a }` are the same call.
 *
 * @example
 * toolKey('lookup_order', { orderId: '123', expand: true }) === toolKey('lookup_order', { expand: true, orderId: '123' }) // true
 */
export function toolKey(name: string, args: unknown): string {
  // Fields in sorted order, so sorted arguments print the plain (fast) way; a one-shot hash, not a Hash object
  // per call. The text hashed is the same as ever: recorded keys must keep matching.
  // An own `__proto__` key would drop out of the sorted text (see proto-keys.ts): such arguments are sorted keeping it.
  if (hasProtoKey(args)) return nodeCrypto().hash('sha256', JSON.stringify({ args: sortedJsonData(args), tool: name }), 'hex').slice(0, 16)
  return nodeCrypto().hash('sha256', stableStringify({ args: storedArgs(args), tool: name }), 'hex').slice(0, 16)
}

/** The arguments as they are matched and stored: `null` for a call without arguments. */
export function storedArgs(args: unknown): unknown {
  return args === undefined ? null : args
}

/** How a call is named in messages: `lookup_order({"orderId":"123"})` (keys sorted). */
export function describeToolCall(name: string, args: unknown): string {
  return `${name}(${args === undefined || args === null ? '' : stableStringify(args)})`
}
