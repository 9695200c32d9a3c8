// What to do when a test's name holds a secret, said alike by the refusal of its recording and by the replay miss
// that follows. Recordings are stored and found under their test's name as stored: scrubbed of the fixed key
// patterns and of `cassettes.redact`, so a redact pattern that matches the value keeps it out of the cassette and
// the test still finds its recordings. Pure: no Vitest, no I/O.

/** The fix for a secret in a test's name (lower case: it follows a colon). */
export const TEST_NAME_SECRET_FIX =
  'rename the test (or keep the value out of the dataset field its name is built from), or add a pattern that matches it to ' +
  '`llmEvals({ cassettes: { redact: [...] } })`: the name is then stored redacted, and the test finds its recordings under that name'

/** How `assertNoSecrets` ends a refusal whose live value is in the test's name. */
export const TEST_NAME_HOLDS_IT = `The test's name holds it (recordings are stored and found under their test's name): ${TEST_NAME_SECRET_FIX}.`

/**
 * True when `message`, a refusal of a recording, was refused because the test's name holds the secret: told by how
 * the message begins (only that refusal begins so) or ends, not by the words of the test's name.
 *
 * @example
 * isTestNameRefusal('[vitest-llm-evals] Refused to record a call of test "t" in a.json: the test\'s name holds …') // true
 */
export function isTestNameRefusal(message: string): boolean {
  return /^(\[vitest-llm-evals\] )?Refused to record a call of test "/.test(message) || message.endsWith(TEST_NAME_HOLDS_IT)
}
