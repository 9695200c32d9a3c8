// What a refused write (a SecretLeakError of `assertNoSecrets`) tells the user to do. It depends on the file: a
// value reaches a cassette through the calls it records, every other file the library writes (history, report,
// summary, labels, exports, snapshots, imports) through a run's results or the user's own data, where a prompt is
// not the place to look and `cassettes.redact` changes nothing. Pure: no Vitest, no I/O.
import { TEST_NAME_HOLDS_IT } from './test-name-secret.js'

/**
 * What a refused file is, when its writer knows: `labels` (a review label), `import` (a suite and dataset made from
 * another tool's file). Otherwise the file's name tells a cassette from the rest (a run's results and exports).
 */
export type WrittenFileKind = 'labels' | 'import'

const REDACT = '`llmEvals({ cassettes: { redact: [...] } })` so it is scrubbed before writing'

/** True for a cassette or a file in its sidecar folder (`x.test.ts.cassette.json`, `x.test.ts.cassette.files/…`). */
function isCassetteFile(file: string): boolean {
  return /\.cassette\.json$/.test(file) || /\.cassette\.files[\\/]/.test(file)
}

/**
 * The sentence that ends a refusal to write `file`: where the value came from and how to keep it out. `test` (and
 * `tool`) name the recording refused; `inTestName` says the test's name holds the value.
 *
 * @example
 * leakAdvice('.evals/history.jsonl') // "This run's results hold it …"
 */
export function leakAdvice(file: string, recording: { test?: string; tool?: string; inTestName?: boolean; kind?: WrittenFileKind } = {}): string {
  const { test, tool, inTestName, kind } = recording
  if (test !== undefined) {
    if (inTestName) return TEST_NAME_HOLDS_IT
    if (tool !== undefined) return `The tool's result (or its arguments) held the value: do not return the secret from the tool (nor pass it in its arguments), or add a pattern that matches it to ${REDACT}.`
    return `Usually the prompt or the API response contains the key; keep the key out of prompts, or add a pattern that matches it to ${REDACT}.`
  }
  if (kind === 'labels') return "A label's note (or the case or output it labels) holds it: remove the key from it and save the label again."
  if (kind === 'import') return 'The file being imported holds it (in a prompt, a variable or an example): remove the key from that file, or use an environment variable in its place, and import again.'
  if (isCassetteFile(file)) {
    return 'A recording already in the file (stored by another process or an earlier version) holds it: find it at that line, then remove that entry or record its test again (`LLM_EVALS_CASSETTES=record`).'
  }
  return (
    "This run's results hold it (a model's or a judge's text, a test, suite, case or metric name, a dataset row), not a cassette's recording: " +
    'usually a prompt or a dataset row holds the key and the model echoed it. Keep the key out of them and run again; `cassettes.redact` applies to cassettes only.'
  )
}
