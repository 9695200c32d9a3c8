// A model call that reaches the cassettes with no test's async context while tests of its file run: a queue or
// pool made outside the tests ran it in its own context. It is filed under "(file)" and no test's trace sees it.
import { relative } from 'node:path'
import { hideSecretText } from './redact.js'

/**
 * The warning for a model call (`method url`) of `testFile` that lost its test's context, told once per file.
 *
 * @example
 * lostContextWarning('POST https://api.openai.com/v1/chat/completions', '/repo/evals/queue.test.ts', '/repo')
 */
export function lostContextWarning(call: string, testFile: string, root: string, secrets: readonly { name: string; value: string }[] = []): string {
  return hideSecretText(
    `[vitest-llm-evals] A model call (${call}) in ${relative(root, testFile)} lost its test's context: it arrived while tests of the file were running, ` +
      'but outside any of them, so it is recorded and replayed under "(file)" rather than its test, and testTrace() does not see it. ' +
      'A queue or pool created outside the test (at module level) that runs calls later does not keep the AsyncLocalStorage context of the call that queued them. ' +
      'Create it in the test, use p-limit (it keeps the context), or wrap what you queue with `AsyncResource.bind(fn)` from node:async_hooks. ' +
      'A call a test left running after it ended (a timer, a promise not awaited) arrives the same way: await it in the test. (Told once per file.)',
    secrets,
  )
}

/**
 * The warning for a call (`call`: `model call (method url)`, or `call of tool name`) that test `started` of `testFile` left running
 * when it was cut off (timed out, or the run was cancelled) and that reached the cassettes after it ended (while sequential test
 * `running` ran, when there is one): it is answered with an error, not sent (a tool is not run), not recorded, and not part of
 * any test's trace. Told once per file.
 *
 * @example
 * leftoverCallWarning('model call (POST https://api.openai.com/v1/chat/completions)', 'bot > starts', 'bot > asks', '/repo/bot.test.ts', '/repo')
 */
export function leftoverCallWarning(call: string, started: string, running: string | undefined, testFile: string, root: string, secrets: readonly { name: string; value: string }[] = []): string {
  const other = running === undefined ? 'another test' : `"${running}"`
  return hideSecretText(
    `[vitest-llm-evals] A ${call} in ${relative(root, testFile)} was started by test "${started}" but arrived after that test ended` +
      (running === undefined ? ': ' : `, while test "${running}" was running: `) +
      `it was not sent nor recorded (it is answered with an error)${running === undefined ? '' : `, and it is not part of "${running}"'s testTrace()`}. ` +
      `"${started}" left it running (a promise not awaited, an agent loop or a timer it did not wait for, a loop that went on after the test timed out): ` +
      `await it in "${started}", or stop it when the test ends (pass the test's \`signal\` to the SDK or to simulateConversation). ` +
      `If the tests share a queue or rate limiter, it may instead be ${other}'s own call, run in "${started}"'s context by a timer "${started}" set: ` +
      'create the queue in the test, or wrap what you queue with `AsyncResource.bind(fn)` from node:async_hooks. (Told once per file.)',
    secrets,
  )
}

/**
 * The warning for a call (`call`) that test `started` of `testFile` left running and that arrived after it ended, while
 * test `running` ran, when `started` was not cut off: it is recorded (and replayed) under `running`. Told once per file.
 *
 * @example
 * leftoverRecordedWarning('model call (POST https://api.openai.com/v1/chat/completions)', 'bot > starts', 'bot > asks', '/repo/bot.test.ts', '/repo')
 */
export function leftoverRecordedWarning(call: string, started: string, running: string, testFile: string, root: string, secrets: readonly { name: string; value: string }[] = []): string {
  return hideSecretText(
    `[vitest-llm-evals] A ${call} in ${relative(root, testFile)} was started in the context of test "${started}" but arrived after that test ended, ` +
      `while test "${running}" was running: it is recorded and replayed under "${running}", and testTrace() of "${started}" does not see it. ` +
      `If the tests share a queue or rate limiter, it is likely "${running}"'s own call, run in "${started}"'s context by a timer "${started}" set: ` +
      'create the queue in the test, or wrap what you queue with `AsyncResource.bind(fn)` from node:async_hooks. ' +
      `Otherwise "${started}" left it running (a promise not awaited, a loop or timer it did not wait for): await it in "${started}", ` +
      `so that the recordings of "${running}" do not depend on how long "${started}"'s calls take. (Told once per file.)`,
    secrets,
  )
}

/** What the app gets for such a call (see {@link leftoverCallWarning}), as the error of a non-retryable response. */
export function lateCallMessage(call: string, started: string, running: string | undefined, secrets: readonly { name: string; value: string }[] = []): string {
  return hideSecretText(
    `A ${call} of test "${started}" arrived after that test ended${running === undefined ? '' : `, while test "${running}" was running`}: it was not sent nor recorded. ` +
      `"${started}" was cut off (it timed out): stop its calls with the test's \`signal\` (pass it to the SDK or to simulateConversation), or await them. ` +
      'If the tests share a queue or rate limiter created in that test, create it in each test or wrap what you queue with `AsyncResource.bind(fn)`.',
    secrets,
  )
}

/**
 * What a miss adds when test `cutOff` of the same file was cut off (timed out) before the test that missed: in `replay`
 * sequential tests are not followed through async context, so a call `cutOff` left running is looked up under the
 * test running then, and misses there.
 */
export function cutOffTestNote(cutOff: string, missed: string, secrets: readonly { name: string; value: string }[] = []): string {
  return hideSecretText(
    `Test "${cutOff}" of this file was cut off (it timed out) before "${missed}" missed: this request may be a call "${cutOff}" left running ` +
      `(an agent loop that went on after its timeout, a promise not awaited), not "${missed}"'s own. If so, fix "${cutOff}": pass the test's \`signal\` ` +
      '(`test(name, async ({ signal }) => …)`) to the SDK or to simulateConversation so its calls stop when it is cut off, or await its calls (and give it a longer timeout).',
    secrets,
  )
}
