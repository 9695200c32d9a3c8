// How a tool call finds its recording: by the tool's name and its arguments as canonical JSON. Pure: no
// Vitest, no I/O.
import { nodeCrypto } from '../node-crypto.js'
import { stableStringify } from './canonical.js'
import { hasProtoKey, sortedWithProtoKeys } from './proto-keys.js'

/**
 * The stable key of a tool call: a hash of the tool's name and its arguments as canonical JSON (object
 * keys sorted at every depth), so `{ a, b }` and `{ b, a }` are the same call.
 *
 * @example
 * toolKey('lookup_order', { orderId: '123', expand: true }) === toolKey('lookup_order', { expand: true, orderId: '123' }) // true
 */
export function toolKey(name: string, args: unknown): string {
  // An own `__proto__` key would drop out of the sorted text (see proto-keys.ts): such arguments print their own way.
  if (hasProtoKey(args)) return nodeCrypto().hash('sha256', JSON.stringify({ args: sortedWithProtoKeys(args), tool: name }), 'hex').slice(0, 16)
  return nodeCrypto().createHash('sha256').update(stableStringify({ tool: name, args: storedArgs(args) })).digest('hex').slice(0, 16)
}

/** The arguments as they are matched and stored: `null` for a call without arguments. */
export function storedArgs(args: unknown): unknown {
  return args === undefined ? null : args
}

/** How a call is named in messages: `lookup_order({"orderId":"123"})` (keys sorted). */
export function describeToolCall(name: string, args: unknown): string {
  return `${name}(${args === undefined || args === null ? '' : stableStringify(args)})`
}
