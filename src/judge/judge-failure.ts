// The error of a judge call that failed. In replay, a failure is the cassette's (no recording, or a recorded
// error replayed), never a wrong key: no API-key advice then, and not the SDK's error as cause, which Vitest
// prints with its `Headers` object. A miss over text redacted at record time says so.
import { REDACTED } from '../cassettes/redact.js'
import { docsLocation } from '../docs-location.js'
import { JudgeError } from '../errors/index.js'
import type { JudgeRequest } from './judge.js'
import { workerCassetteOptions } from './worker-cassettes.js'

const MISS_START = 'No recording for '

/** The cassette's miss message inside an SDK error's message (`400 [vitest-llm-evals] No recording for …`), if it is one. */
function missMessage(message: string): string | undefined {
  const at = message.indexOf(MISS_START)
  return at === -1 ? undefined : message.slice(at)
}

const REDACTED_NOTE =
  `The judge's prompt holds text that was redacted when it was recorded (${REDACTED}: a secret such as a token a tool returned ` +
  'or a key in an answer), and replay gives that text back redacted. Such a call replays when it was recorded by this version ' +
  'or a later one (earlier ones derived the prompt\'s region tags from the secret itself) with the same `cassettes.redact` rules: ' +
  'if the only difference above is a region tag (`<output-…>`), record the test again with the command above.'

/** True in a worker that replays cassettes (without the plugin there are no cassettes, so no replay). */
function isReplaying(): boolean {
  return workerCassetteOptions()?.mode === 'replay'
}

/**
 * The JudgeError of a judge call that threw `error` (not a library error, not a timeout): what failed and what to
 * check. In replay, the cassette's message as it is, with a note when `request` holds redacted text.
 *
 * @example
 * throw judgeFailure('toSatisfyRubric(): the judge (openai gpt-4o-mini, prompt rubric@…)', error, request)
 */
export function judgeFailure(who: string, error: unknown, request: JudgeRequest): JudgeError {
  const message = error instanceof Error ? error.message : String(error)
  const miss = missMessage(message)
  if (miss === undefined && !isReplaying()) {
    return new JudgeError(`${who} failed: ${message}\nCheck the judge model name and API key, or record the judge call (see ${docsLocation('judges.md')}).`, { cause: error })
  }
  if (miss === undefined) {
    return new JudgeError(`${who} failed in replay: ${message}\nIn replay no judge is called (no API key is needed): this is what its recording gave back. Record the judge call again if it should succeed now (see ${docsLocation('judges.md')}).`)
  }
  const redacted = request.user.includes(REDACTED) || request.system.includes(REDACTED)
  return new JudgeError(`${who} has no recording. ${miss}${redacted ? `\n${REDACTED_NOTE}` : ''}`)
}
