// The message of a request the cassette has no recording for (a replay miss), as the session builds it from its
// lookup: what differs from the nearest recording, why the call was not recorded when the recording run left a mark
// or a report of it, and what to run. Every secret the request, its URL or the test's name may hold is hidden.
import type { NormalizeRequest } from './canonical.js'
import type { CassetteMode } from './mode.js'
import { isRunCancel } from './abort-cause.js'
import { cutOffTestNote } from './lost-context.js'
import { missMessage } from './miss-message.js'
import type { MissReasons } from './miss-reasons.js'
import { hideSecrets, scrubDeep, scrubShown, scrubString, type RedactRule } from './redact.js'
import { cutOffBefore } from './scope.js'
import { foundSecretRules, hideFoundSecrets } from './secret-scan-sync.js'
import type { Lookup } from './session-attempt.js'

/** What a miss message needs beyond the lookup: the run's mode and place, its live secrets, and the file's miss reasons. */
export interface MissContext {
  mode: CassetteMode
  root: string
  testFile: string
  project?: string
  normalizeRequest?: NormalizeRequest
  secrets: readonly { name: string; value: string }[]
  /** The user's \`cassettes.redact\` rules: the URL is shown as stored. */
  redact: readonly RedactRule[]
  reasons: MissReasons
}

/**
 * The message of a replay miss of `lookup`; `missingKeyFor` names the provider whose API key an `auto` run lacked.
 *
 * @example
 * const message = replayMissMessage(lookup, undefined, { mode: 'replay', root, testFile, secrets, reasons })
 */
export function replayMissMessage(lookup: Lookup, missingKeyFor: string | undefined, context: MissContext): string {
  const { store, attempt, key, thisOccurrence, stored } = lookup
  const { test, repeat } = attempt.scope
  const { secrets } = context
  const recordedOccurrences = [...Array(thisOccurrence + 1).keys()].filter((n) => store.find(attempt.storedTest, repeat, key, n)).length
  // The request may hold a live key (in a prompt), its URL or the test's name what looks like one: the message
  // shows them, and is printed and kept in blob reports. Hidden in the whole texts, before the message cuts them.
  // The request is shown as stored (redacted), as its recordings are: it is compared with them, and never shows what a rule hides.
  const found = foundSecretRules([lookup.url, test, attempt.storedTest, JSON.stringify(stored)])
  const shown = (text: string) => (found.length ? scrubShown(text, found) : text)
  return hideFoundSecrets(hideSecrets(missMessage({
    mode: context.mode, url: shown(scrubString(lookup.url, context.redact)), request: scrubDeep(stored, [...secrets.map(({ value }) => ({ literal: value })), ...found]), test: shown(test), ...(attempt.storedTest !== test ? { storedTest: shown(attempt.storedTest) } : {}), repeat, occurrence: thisOccurrence, recordedOccurrences,
    cassetteFile: store.file, testFile: context.testFile, root: context.root, entries: store.all,
    ...(context.project ? { project: context.project } : {}),
    ...(context.normalizeRequest ? { normalize: context.normalizeRequest } : {}),
    ...(missingKeyFor ? { missingKeyFor } : {}),
    ...context.reasons.pastOf(attempt.storedTest, repeat, key, thisOccurrence),
    secrets,
  }) + cutOffNote(test), secrets))
}

/** What a miss of `test` adds when an earlier test of the file was cut off: the request may be that test's late call. */
function cutOffNote(test: string): string {
  const cutOff = cutOffBefore()
  return cutOff === undefined || cutOff.test === test || isRunCancel(cutOff.signal?.reason) ? '' : `\n\n${cutOffTestNote(cutOff.test, test)}`
}
