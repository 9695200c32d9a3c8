import { relative, sep } from 'node:path'
import type { CanonicalRequest, NormalizeRequest } from './canonical.js'
import type { CassetteEntry } from './entry.js'
import type { CassetteMode } from './mode.js'
import { isFailedScanRefusal, isNotJsonRefusal, type EarlierRefusal, type EarlierUnfinished } from './earlier-refusals.js'
import { docsLocation } from '../docs-location.js'
import { groupThousands } from '../format-number.js'
import { oneLine } from './one-line.js'
import { hideSecretText, REDACTED, scrubDeep } from './redact.js'
import { recordCommand, recordTestCommand } from './record-command.js'
import { nearestRequest, type RequestDifference } from './request-diff.js'
import { isTestNameRefusal, TEST_NAME_SECRET_FIX } from './test-name-secret.js'

/** What every miss message says where it happened: a model request's or a `recordTool` call's. */
export interface MissPlace {
  mode: CassetteMode
  test: string
  /**
   * The name the test's recordings are stored under, when it is not `test`: scrubbed (`cassettes.redact`), or with its
   * place when an earlier test of the file has its name (see duplicate-names.ts). Tells its recordings from others'.
   */
  storedTest?: string
  repeat: number
  /** How many earlier identical calls this test attempt made (0-based occurrence of this one). */
  occurrence: number
  /** How many of the attempt's identical calls have a recording. */
  recordedOccurrences: number
  cassetteFile: string
  testFile: string
  root: string
  /** The Vitest project that ran the test (absent without `test.projects`): named, and selected by the record command. */
  project?: string
  /** A recording of this test that the last run refused to store (see `earlierRefusals`): the miss is why. */
  refusedBefore?: EarlierRefusal
  /** The same call, sent by the last run of the file but aborted or unanswered when its test ended (see `earlierUnfinished`). */
  unfinishedBefore?: EarlierUnfinished
  /** Live secret values (see `liveSecrets`): hidden, with known key patterns, in every text the message shows, before it is cut. */
  secrets?: readonly { name: string; value: string }[]
}

/** Everything known about a request that had no recording. */
export interface MissContext extends MissPlace {
  url: string
  request: CanonicalRequest
  entries: readonly CassetteEntry[]
  normalize?: NormalizeRequest
  /** Set when recording was impossible because no API key was configured. */
  missingKeyFor?: string
}

/** Why a test that was answered with recorded API errors (status >= 400) failed: they are recordings, not today's API. */
export function replayedFailureMessage(context: { cassetteFile: string; testFile: string; root: string; test: string; project?: string; failures: readonly CassetteEntry[]; secrets?: readonly { name: string; value: string }[] }): string {
  const { failures, secrets = [] } = context
  // The test's name is hidden before it becomes a `-t` pattern (escaped, a key in it would no longer match).
  const test = hideSecretText(context.test, secrets)
  const lines = [
    `The test was answered with ${failures.length === 1 ? 'an API error' : 'API errors'} replayed from ${relative(context.root, context.cassetteFile)}, not returned by the API today:`,
    ...failures.map((entry) => `  - ${entry.request.method} ${entry.request.path}: ${entry.response.status}, recorded ${entry.meta.recordedAt}`),
    `If the call is fixed now, record it again: ${recordTestCommand(context.testFile, context.root, test, context.project)}`,
  ]
  return hideSecretText(lines.join('\n'), secrets)
}

/**
 * The message of a replay miss: the request, the test, the cassette, the nearest recording and
 * what differs (long values as a window around their first difference), and the command that records
 * it. Every line is bounded: long URLs, test names and values are cut.
 */
export function missMessage(context: MissContext): string {
  const { secrets = [] } = context
  // The request's values are shown as windows (cut): its secrets are hidden in the whole values first.
  const request = scrubDeep(context.request, secrets.map(({ value }) => ({ literal: value })))
  const lines = [`No recording for ${request.method} ${oneLine(context.url, 240, secrets)} (cassette mode: ${context.mode}).`]
  lines.push(`  Test:     ${oneLine(context.test, 200, secrets)}${context.repeat ? ` (repeat ${context.repeat})` : ''}`)
  lines.push(...placeLines(context))
  if (context.recordedOccurrences > 0) {
    lines.push(
      `  This exact request was recorded ${context.recordedOccurrences} time(s) for this test; this is call ${context.occurrence + 1}. ` +
        'The test now makes it more often than when it was recorded.',
    )
  } else {
    lines.push(...nearestLines({ ...context, request }))
  }
  if (context.refusedBefore) lines.push(...refusedLines(context, context.refusedBefore))
  if (context.missingKeyFor) {
    const several = context.missingKeyFor.includes(' and ')
    lines.push(`  It could not be recorded: ${context.missingKeyFor} ${several ? 'are' : 'is'} not set. Set ${several ? 'them to real credentials' : 'it to a real key'} and run again (to record against a local stand-in that needs none, any value will do).`)
  } else if (context.unfinishedBefore) {
    lines.push(unfinishedLine(context, context.unfinishedBefore))
  } else if (!context.refusedBefore) {
    lines.push(`  To record it: ${recordCommand(context.testFile, context.root, context.project, hideSecretText(context.test, context.secrets))}  (needs a real API key; then commit the cassette)`)
  }
  return lines.join('\n')
}

/**
 * Why a call sent by the recording run was never stored, by who cut it off: recording it as it is cannot work (it is
 * cut off again before it is answered), so the line says what to change first.
 */
function unfinishedLine(context: MissContext, unfinished: EarlierUnfinished): string {
  const { secrets = [] } = context
  const when = `${unfinished.source === 'cassette' ? 'the run that recorded this cassette' : 'the last run of this file'} (${oneLine(unfinished.at, 80, secrets)}, ${oneLine(unfinished.mode, 40, secrets)})`
  const command = recordCommand(context.testFile, context.root, context.project, hideSecretText(context.test, context.secrets))
  switch (unfinished.reason) {
    case 'test-timeout':
      return `  It was not recorded: in ${when} the test's time ran out before this call was answered (describeEval's \`timeout\`, or the test's), and the test's signal aborted it, so it was never stored. Raise the timeout, then record it: ${command}`
    case 'app-abort': {
      // SDKs abort the request with a signal of their own that follows the app's: its reason is often only an AbortError.
      const why = unfinished.detail === 'TimeoutError' ? 'its own time limit, an AbortSignal.timeout, ran out' : "its own AbortSignal, or its SDK client's `timeout`, aborted it"
      return `  It was not recorded: in ${when} the app under test cancelled this call before it was answered (${why}; the test's own time had not run out), so it was never stored. Give the app's time limit room (or do not cancel the call) while recording, then record it: ${command}`
    }
    case 'test-ended':
      return `  It was not recorded: in ${when} this call was still unanswered when its test ended (the test did not await it, or timed out while ignoring its signal), so it was never stored. Await the call in the test (or raise the timeout), then record it: ${command}`
    default:
      return `  It was not recorded: in ${when} this call was aborted, or still unanswered when its test ended (a timeout: describeEval's \`timeout\`, or the test's), so it was never stored. Raise the timeout, then record it: ${command}`
  }
}

/** A refusal of a `recordTool` call's recording (see `assertNoSecrets`, `assertScrubbed`). */
const TOOL_REFUSAL = /: (?:it would contain the value of \S+ \()?a recording of tool "/

/**
 * Why a miss whose test had a recording refused by the last run is no matter of a missing key: that run had one,
 * and refused to store what it got back. Says what was refused (the message names the variable or rule, never the
 * value) and how to record it: keep the secret out, or redact it (a secret in the test's name: rename the test, or redact
 * it); a tool that returned what is not JSON, fix the tool.
 */
export function refusedLines(place: MissPlace, refusal: EarlierRefusal): string[] {
  const secrets = place.secrets ?? []
  const reason = oneLine(refusalSentence(refusal.message, refusal.test, place.root), 300, secrets)
  const command = recordCommand(place.testFile, place.root, place.project, hideSecretText(place.test, secrets))
  const what = isNotJsonRefusal(refusal.message)
    ? `Make the tool return plain JSON, then record again: ${command}`
    : isFailedScanRefusal(refusal.message)
      ? `Record again: ${command}`
      : isTestNameRefusal(refusal.message)
        ? "The test's name held a secret: the recording was refused, since recordings are stored and found under their test's name. " +
          `To record it, ${TEST_NAME_SECRET_FIX}; then record again: ${command}`
      : TOOL_REFUSAL.test(refusal.message)
        ? "The tool's result (or its arguments) held a secret: the recording was refused so that it would not reach the cassette. Do not return the secret " +
          'from the tool (nor pass it in its arguments), or add a pattern that matches it to `llmEvals({ cassettes: { redact: [...] } })` ' +
          `so it is scrubbed before writing, then record again: ${command}`
      : 'The API key was there: the recording was refused so that a secret would not reach the cassette. Keep the secret out of the prompt ' +
        '(and out of what the model is asked to repeat), or add a pattern that matches it to `llmEvals({ cassettes: { redact: [...] } })` ' +
        `so it is scrubbed before writing, then record again: ${command}  (see "What is never stored" in ${docsLocation('cassettes.md')})`
  const run = refusal.source === 'cassette' ? 'the run that recorded this cassette' : 'the last run of this file'
  return [`  It was not recorded: ${run} (${oneLine(refusal.at, 80, secrets)}, ${oneLine(refusal.mode, 40, secrets)}) refused to store a recording of this test: ${reason}`, `  ${what}`]
}

/**
 * The first sentence of a refusal's message (what was refused, naming the variable or rule, never the value), with
 * paths relative to `root` as the miss message shows them.
 *
 * @example
 * refusalSentence('[vitest-llm-evals] Refused to write /repo/a.json: it would contain the value of TOKEN (…). That …', 'bot', '/repo')
 * // 'Refused to write a.json: it would contain the value of TOKEN (…).'
 */
export function refusalSentence(message: string, test: string, root: string): string {
  // The test's name may hold '. ' too ("v2. answers"): the sentence ends after it.
  const text = message.replace(/^\[vitest-llm-evals\] /, '')
  const named = text.indexOf(`"${test}"`)
  const end = text.indexOf('. ', named === -1 ? 0 : named + test.length + 2)
  const first = end === -1 ? text : text.slice(0, end + 1)
  return first.replaceAll(`${root}${sep}`, '')
}

/**
 * The cassette line of a miss message, and the project line when the run has `test.projects` (after the
 * cassette: {@link parseMissMessages} reads the lines before it).
 */
export function placeLines(place: MissPlace): string[] {
  const cassette = `  Cassette: ${relative(place.root, place.cassetteFile) || place.cassetteFile}`
  return place.project ? [cassette, `  Project:  ${oneLine(place.project, 200, place.secrets)}`] : [cassette]
}

/** A replay miss as read back from its message (see {@link parseMissMessages}). */
export interface ParsedMiss {
  test: string
  method: string
  url: string
  /** As the message names it: relative to the project root. */
  cassette: string
  mode: string
}

// The first three lines of {@link missMessage}; their text is escaped to one line each, so they parse back.
const MISS_LINES = /No recording for (\S+) (.*) \(cassette mode: ([a-z]+)\)\.\n {2}Test: +(.*?)(?: \(repeat \d+\))?\n {2}Cassette: (.*)/g

/**
 * The misses whose messages `text` holds (an error's message, e.g. an SDK error that wraps one): for a
 * request that missed where no hook could report it, such as while a test file was being collected.
 *
 * @example
 * parseMissMessages(error.message) // [{ test: '(file)', method: 'POST', url: 'https://…', cassette: '__cassettes__/a.test.ts.cassette.json', mode: 'replay' }]
 */
export function parseMissMessages(text: string): ParsedMiss[] {
  return [...text.matchAll(MISS_LINES)].map(([, method = '', url = '', mode = '', test = '', cassette = '']) => ({ test, method, url, cassette, mode }))
}

const SHOWN_DIFFERENCES = 6

/** Said when the request and its nearest recording part inside text stored redacted (see `RequestDifference.redacted`). */
const REDACTED_DIFFERENCE =
  `  The difference is inside text stored redacted (${REDACTED}: a \`cassettes.redact\` rule or the secret scan), so it is not shown. ` +
  'Requests are compared, and looked up, as stored: if `cassettes.redact` changed since the recording was made, record it again.'

function nearestLines(context: MissContext): string[] {
  const own = context.storedTest ?? context.test
  const sameTest = context.entries.filter((entry) => entry.test === own)
  const found = nearestRequest(sameTest, context.request, context.normalize) ?? nearestRequest(context.entries, context.request, context.normalize)
  if (!found) return [`  Nothing was recorded for ${context.request.method} ${oneLine(context.request.path, 300, context.secrets)} in this cassette.`]
  const where = found.candidate.test === own ? 'this test' : `test "${oneLine(found.candidate.test, 200, context.secrets)}"`
  const shown = found.differences.slice(0, SHOWN_DIFFERENCES).flatMap(differenceLines)
  const hidden = found.differences.length - Math.min(found.differences.length, SHOWN_DIFFERENCES)
  const more = hidden > 0 ? [`    … and ${hidden} more`] : []
  const sameRequest = found.differences.length === 0 ? [`    (identical request as stored; it was recorded for ${where} only)`] : []
  const redacted = found.differences.some((difference) => difference.redacted) ? [REDACTED_DIFFERENCE] : []
  return [`  Nearest recording (${where}, call ${found.candidate.call}) differs in:`, ...shown, ...more, ...sameRequest, ...redacted]
}

/** One line for short values; for long ones, where they part and a window of each around it. */
export function differenceLines(difference: RequestDifference): string[] {
  const path = oneLine(difference.path, 200)
  const { window } = difference
  if (!window) return [`    - ${path}: recorded ${difference.recorded}, received ${difference.received}`]
  const where = window.same === 0 ? 'differs from the start' : `differs after char ${groupThousands(window.same)}`
  const lengths = `recorded ${groupThousands(window.recordedLength)} chars, received ${groupThousands(window.receivedLength)} chars`
  return [`    - ${path}${window.json ? ' (as JSON)' : ''}: ${where} (${lengths}):`, `        recorded: ${difference.recorded}`, `        received: ${difference.received}`]
}
