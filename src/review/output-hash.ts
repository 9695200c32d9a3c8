// The hash a human label keeps of the output it judged. Its own module: workers hash trial outputs without
// loading the labels file's code.
import { nodeCrypto } from '../node-crypto.js'
import { KNOWN_SECRET_HINT, scrubString, type RedactRule } from '../cassettes/redact.js'
import { foundSecretRules } from '../cassettes/secret-scan-sync.js'
import { workerCassetteOptions } from '../judge/worker-cassettes.js'

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

/**
 * The {@link outputHash} of an output as a cassette stores it: known key patterns, what the secret scan finds and the
 * `cassettes.redact` rules replaced by `[REDACTED]`. The output a recording run gets live and the one its replay gets
 * from the cassette then hash the same, so a label given on either stays current in the other. An output with nothing
 * to redact hashes as with {@link outputHash}, so labels given before still apply to it. `redact` defaults to the
 * rules of the Vitest worker it runs in (none elsewhere).
 *
 * @example
 * storedOutputHash('Account cust_42 is gold.', [{ source: 'cust_\\d+', flags: 'g' }]) === outputHash('Account [REDACTED] is gold.') // true
 */
export function storedOutputHash(output: string, redact: readonly RedactRule[] = workerCassetteOptions()?.redact ?? []): string {
  // Scanned only when it holds a known token's prefix (every rule of the scan needs one): a scan costs ~0.2 ms a text.
  const found = KNOWN_SECRET_HINT.test(output) ? foundSecretRules([output]) : []
  return outputHash(scrubString(output, [...found, ...redact]))
}
