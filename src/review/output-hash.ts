// The hash a human label keeps of the output it judged. Its own module: workers hash trial outputs without
// loading the labels file's code.
import { nodeCrypto } from '../node-crypto.js'

/**
 * Short content hash of an output (`sha256:` + 16 hex digits), stored with a label to tell whether the
 * output has changed since.
 *
 * @example
 * outputHash('Paris') // 'sha256:5dd272b4f316b776'
 */
export function outputHash(output: string): string {
  return `sha256:${nodeCrypto().hash('sha256', output, 'hex').slice(0, 16)}`
}
