// A task, scorer or test function that throws something that is not an Error (`throw undefined`, a string, a
// plain object, a promise rejected with nothing) gives Vitest no message and no stack: the test failed and
// said nothing. Such a value is wrapped in an error saying who threw what, for which case, and where. Pure.
import { pointAtCaller, type CallSiteHolder } from '../../matchers/shared/caller-stack.js'
import { withoutSecrets } from '../../matchers/shared/failure-message.js'
import { ConfigError } from '../errors/index.js'
import { printValue } from '../print-value.js'
import { visibleText } from '../visible-text.js'
import { callSiteText } from './call-site-text.js'

const MAX_SHOWN_CHARS = 200
/** How much is printed before keys are hidden and the text cut: a key across the cut is hidden whole. */
const MAX_READ_CHARS = MAX_SHOWN_CHARS * 10

/**
 * An Error, from this realm or another (a `vm` context's: `instanceof Error` is false there). A proxy whose
 * trap throws, or a `Symbol.toStringTag` getter that does, is not one (its error would replace the report).
 */
function isError(value: unknown): boolean {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]'
  } catch {
    return false
  }
}

/**
 * The thrown value printed safely: bounded, never throwing (a proxy, a getter that throws, a cycle), with no
 * key (a known pattern, a key-like environment variable's value: `throw \`bad key ${key}\``) and no character
 * a terminal would act on (a CI log keeps the message).
 */
function shown(value: unknown): string {
  if (value === undefined || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  const text = typeof value === 'string' ? value.slice(0, MAX_READ_CHARS) : printValue(value, { maxChars: MAX_READ_CHARS })
  const safe = withoutSecrets(text)
  const cut = safe.length > MAX_SHOWN_CHARS ? `${safe.slice(0, MAX_SHOWN_CHARS)}${typeof value === 'string' ? '…' : '… (+more)'}` : safe
  return visibleText(typeof value === 'string' ? JSON.stringify(cut) : cut)
}

/**
 * `thrown` itself when it is an Error, else a ConfigError naming who threw (`The task of describeEval("bot")`,
 * `Scorer #2 (judged) of describeEval("bot")`), the value (printed safely), the case and where: the `file:line`
 * of `callSite` (a stack captured at the describeEval or evalEach call), whose frames its stack gets.
 *
 * @example
 * throw asThrownError(undefined, 'Scorer #2 of describeEval("bot")', 'q1', callSite)
 * // ConfigError: [vitest-llm-evals] Scorer #2 of describeEval("bot") (bot.test.ts:4) threw undefined for case "q1", not an Error: …
 */
export function asThrownError(thrown: unknown, who: string, caseId: string, callSite: CallSiteHolder | undefined): unknown {
  if (isError(thrown)) return thrown
  const where = callSite ? callSiteText(callSite.stack) : undefined
  const error = new ConfigError(
    `${who}${where === undefined ? '' : ` (${where})`} threw ${shown(thrown)} for case "${caseId}", not an Error, so there was no message or stack to show. ` +
      'Throw an Error instead (throw new Error(\'…\')); when a library throws such a value, catch it and throw an Error that says what failed.',
  )
  return callSite ? pointAtCaller(error, callSite) : error
}
