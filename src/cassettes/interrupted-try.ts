// A `record` try the user's cancel cut short (Ctrl-C in watch mode, `--bail`, the Vitest API's cancel): what it
// recorded is half of the test's calls. Written, it would replace the test's complete recording from an earlier run
// (a replay would then miss the rest); it is dropped instead, and the run says so. Pure: no Vitest, no I/O.
import { relative } from 'node:path'
import { hideSecretText } from './redact.js'

/**
 * The warning for test `test` of `testFile` whose `record` try was interrupted by a cancelled run after it recorded
 * `recorded` calls (model calls and tool calls): none of them was stored, and the cassette keeps what it held.
 *
 * @example
 * interruptedTryWarning('bot > answers', 2, '/repo/bot.test.ts', '/repo/__cassettes__/bot.test.ts.cassette.json', '/repo')
 */
export function interruptedTryWarning(test: string, recorded: number, testFile: string, cassetteFile: string, root: string, secrets: readonly { name: string; value: string }[] = []): string {
  const calls = recorded === 1 ? 'the call it recorded was' : `the ${recorded} calls it recorded were`
  return hideSecretText(
    `[vitest-llm-evals] Test "${test}" in ${relative(root, testFile)} was interrupted (the run was cancelled) before it ended: ${calls} not stored, ` +
      `so ${relative(root, cassetteFile)} keeps its earlier recording of the test (if any), whole. Run the test again with LLM_EVALS_CASSETTES=record to re-record it.`,
    secrets,
  )
}
