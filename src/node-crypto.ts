// `node:crypto`, loaded on first use. Imported statically it costs every Vitest worker that loads the library ~4 ms
// of CPU at start-up (one worker per test file by default), and most test files hash nothing (issue 17).
import type * as Crypto from 'node:crypto'

let loaded: typeof Crypto | undefined

/**
 * Node's crypto module, loaded the first time it is asked for.
 *
 * @example
 * nodeCrypto().createHash('sha256').update(text).digest('hex')
 */
export function nodeCrypto(): typeof Crypto {
  return (loaded ??= process.getBuiltinModule('node:crypto'))
}
