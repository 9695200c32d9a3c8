// What the secret scan finds in a new recording or a run's shared files, turned into redactions, and the
// checks that the stored copy no longer holds any of it.
import { SecretLeakError } from '../errors/index.js'
import { serializeCassette } from './cassette-file.js'
import type { CassetteEntry, ToolRecord } from './entry.js'
import { hideSecretText, REDACTED } from './redact.js'
import { findSecrets, maskSecret, type SecretFinding } from './secret-scan.js'
import { secretValues } from './secret-values.js'
import { streamTexts } from './stream-text.js'
import { parseStreamSidecar, STREAM_SIDECAR_EXTENSION } from './stream-sidecar.js'
import { eventStreamTexts } from './event-stream-secrets.js'
import { TEST_NAME_SECRET_FIX } from './test-name-secret.js'

/** A body too large or binary to inline, kept in a sidecar file. */
type Sidecar = { bytes: Uint8Array; extension: string }
/** A live credential value (see `liveSecrets`): hidden in every message. */
type LiveSecret = { name: string; value: string }

/**
 * The texts of a recording a scan reads: the entry as the cassette holds it, the texts a stream spells once its
 * events are joined (a key split across chunks is whole there), and a text sidecar (binary ones are not scanned; a
 * stream sidecar's events are joined too).
 */
export function recordingTexts(entry: CassetteEntry, sidecar?: Sidecar): string[] {
  return [
    serializeCassette({ version: 1, entries: [entry] }),
    ...(entry.response.chunks ? streamTexts(entry.response.chunks) : []),
    ...(entry.response.events ? eventStreamTexts(entry.response.events) : []),
    ...(sidecar && sidecar.extension !== 'bin' ? [new TextDecoder().decode(sidecar.bytes)] : []),
    ...(sidecar && sidecar.extension === STREAM_SIDECAR_EXTENSION ? streamSidecarTexts(sidecar.bytes) : []),
  ]
}

/** The texts a stream sidecar's events spell; none when it is not one (its raw text is scanned all the same). */
function streamSidecarTexts(bytes: Uint8Array): string[] {
  const stream = parseStreamSidecar(bytes)
  return stream ? streamTexts(stream.chunks) : []
}

/**
 * Every secret in a new recording, found by one scan of its texts (see {@link recordingTexts}).
 *
 * @example
 * const found = await findRecordingSecrets(entry) // then store.record(entry, slot, undefined, found)
 */
export async function findRecordingSecrets(entry: CassetteEntry, sidecar?: Sidecar): Promise<SecretFinding[]> {
  try {
    return await findSecrets(recordingTexts(entry, sidecar).join('\n'))
  } catch (error) {
    // A recording that could not be scanned is not stored: refused like one that would leak, so the test says so.
    throw new SecretLeakError(`Refused to store a recording of test "${hideSecretText(entry.test)}": the secret scan failed (${(error as Error).message}). Nothing unscanned is stored; run the test again.`, { cause: error })
  }
}

/**
 * Every secret in a new `recordTool` record (its arguments, result or error), found by one scan of it as stored.
 *
 * @example
 * const found = await findToolRecordSecrets(record) // then store.recordTool(record, slot, found)
 */
export async function findToolRecordSecrets(record: ToolRecord): Promise<SecretFinding[]> {
  try {
    return await findSecrets(serializeCassette({ version: 1, entries: [], tools: [record] }))
  } catch (error) {
    throw new SecretLeakError(`Refused to store a call of tool "${record.name}" in test "${hideSecretText(record.test)}": the secret scan failed (${(error as Error).message}). Nothing unscanned is stored; run the test again.`, { cause: error })
  }
}

/** `text` with every value of `found` replaced by `[REDACTED]`: a test name or message that may be printed. */
export function redactFound(text: string, found: readonly SecretFinding[]): string {
  return secretValues(found).reduce((result, value) => result.replaceAll(value, REDACTED), text)
}

/**
 * Throws a {@link SecretLeakError} when a found secret is in the test's name: recordings are looked up by the
 * name scrubbed of the fixed key patterns only, so the recording cannot be stored with the name redacted.
 */
export function refuseSecretInTestName(test: string, found: readonly SecretFinding[], file: string, secrets: readonly LiveSecret[] = []): void {
  const leak = found.find((finding) => secretValues([finding]).some((value) => test.includes(value)))
  if (!leak) return
  throw new SecretLeakError(
    `Refused to record a call of test "${hideSecretText(redactFound(test, found), secrets)}" in ${file}: the test's name holds what looks like a secret (${leak.rule}: ${maskSecret(leak.value)}). ` +
      `Recordings are stored and found under the name of their test: ${TEST_NAME_SECRET_FIX}. ` +
      "That recording was not stored; the file's other recordings were.",
  )
}

/** Throws a {@link SecretLeakError} when a stored text still holds a found secret (one that could not be scrubbed). */
export function assertScrubbed(texts: readonly string[], found: readonly SecretFinding[], file: string, test: string, secrets: readonly LiveSecret[] = [], tool?: string): void {
  const leak = found.find((finding) => texts.some((text) => text.includes(finding.value)))
  if (!leak) return
  const shownTest = `test "${hideSecretText(redactFound(test, found), secrets)}"`
  const what = tool === undefined ? `a recording of ${shownTest}` : `a recording of tool "${hideSecretText(tool, secrets)}" in ${shownTest}`
  const keepOut = tool === undefined ? 'Keep the value out of the prompt' : "The tool's result (or its arguments) held it: do not return the secret from the tool"
  throw new SecretLeakError(
    `Refused to write ${file}: ${what} holds what looks like a secret (${leak.rule}: ${maskSecret(leak.value)}) that could not be scrubbed from it. ` +
      `That recording was not stored; the file's other recordings were. ${keepOut}, or add a pattern that matches it to ` +
      '`llmEvals({ cassettes: { redact: [...] } })` so it is scrubbed before writing.',
  )
}
