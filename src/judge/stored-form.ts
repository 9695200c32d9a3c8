// A judge or simulated-user call is recorded with its prompt scrubbed of secrets (a token a tool returned, an
// app's answer quoting a key), and in replay the same texts come back from the cassette scrubbed. What a prompt
// derives from its texts (the boundary of its regions) is derived from them as the cassette stores them, so it
// is the same when recording and when replaying.
import { scrubString, type RedactRule } from '../cassettes/redact.js'
import { workerCassetteOptions } from './worker-cassettes.js'

/** A text as a cassette stores it: known key patterns, what the secret scan found and the user's `redact` rules replaced by `[REDACTED]`. */
export type StoredForm = (text: string) => string

/** The `cassettes.redact` rules of this worker's run; none outside a Vitest worker with the plugin. */
function workerRedactRules(): readonly RedactRule[] {
  return workerCassetteOptions()?.redact ?? []
}

/**
 * How `texts` will read once stored: the scrub a recording applies (see `CassetteStore.record`), with the secrets
 * one scan of `texts` finds. A scan that fails finds nothing: such a recording is refused anyway, never stored.
 *
 * @example
 * const stored = await storedFormOf([toolResult])
 * stored(`{"newToken":"${githubToken}"}`) // '{"newToken":"[REDACTED]"}'
 */
export async function storedFormOf(texts: readonly string[], redact: readonly RedactRule[] = workerRedactRules()): Promise<StoredForm> {
  const [{ findSecrets }, { secretRules }] = await Promise.all([import('../cassettes/secret-scan.js'), import('../cassettes/secret-values.js')])
  const found = await findSecrets(texts.join('\n')).catch(() => [])
  const rules = [...secretRules(found), ...redact]
  return (text) => scrubString(text, rules)
}
