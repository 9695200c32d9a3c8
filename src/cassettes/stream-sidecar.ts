// A streamed response (SSE, a streamed JSON array) larger than `maxInlineBytes` is kept out of the cassette, in a
// sidecar file `<hash>.stream.json` holding its events (one per line), so it still replays event by event.
import { readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { CassetteError } from '../errors/index.js'
import { readSidecar, sidecarDir, sidecarPath } from './cassette-file.js'
import { oneLine } from './one-line.js'
import type { CassetteEntry } from './entry.js'
import { scrubString, type RedactRule } from './redact.js'
import type { SecretFinding } from './secret-scan.js'
import { secretRules } from './secret-values.js'
import { literalValues, scrubStreamChunks, streamEventChunks } from './stream-scrub.js'
import { redactEvents } from './event-stream-secrets.js'

/** The extension of a stream sidecar: the file name says how to replay it (old cassettes never used it). */
export const STREAM_SIDECAR_EXTENSION = 'stream.json'

/** What a stream sidecar holds: the chunks as received and whether the app aborted the stream after them. */
export interface StreamSidecar {
  chunks: string[]
  aborted?: true
}

/** Whether the sidecar file `name` holds a stream (see {@link STREAM_SIDECAR_EXTENSION}). */
export function isStreamSidecar(name: string): boolean {
  return name.endsWith(`.${STREAM_SIDECAR_EXTENSION}`)
}

/** The bytes of a stream sidecar: pretty JSON, one chunk a line, so a re-recording diffs chunk by chunk. */
export function streamSidecarBytes(stream: StreamSidecar): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ chunks: stream.chunks, ...(stream.aborted ? { aborted: true } : {}) }, null, 2) + '\n')
}

/**
 * The stream a sidecar holds, or `undefined` when `bytes` are not one (a file edited by hand, or replaced).
 *
 * @example
 * parseStreamSidecar(bytes) // { chunks: ['data: {…}\n\n', …] }
 */
export function parseStreamSidecar(bytes: Uint8Array): StreamSidecar | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
  const { chunks, aborted } = (parsed ?? {}) as { chunks?: unknown; aborted?: unknown }
  if (!Array.isArray(chunks) || !chunks.every((chunk) => typeof chunk === 'string') || (aborted !== undefined && aborted !== true)) return undefined
  return { chunks, ...(aborted ? { aborted: true as const } : {}) }
}

/**
 * The stream `entry` of `cassetteFile` keeps in its sidecar file. A missing file, or one that is not a stream sidecar,
 * is a {@link CassetteError} naming the cassette, the entry, the file and what to do.
 *
 * @example
 * readStreamSidecar('__cassettes__/bot.test.ts.cassette.json', entry) // { chunks: ['data: {…}\n\n', …] }
 */
export function readStreamSidecar(cassetteFile: string, entry: Pick<CassetteEntry, 'test' | 'call' | 'response'>): StreamSidecar {
  const name = basename(entry.response.file ?? '')
  const stream = parseStreamSidecar(readSidecar(cassetteFile, name))
  if (stream) return stream
  throw new CassetteError(
    `Cassette ${cassetteFile}: the stream of test "${oneLine(entry.test, 120)}" (call ${entry.call}) is stored in ${join(sidecarDir(cassetteFile), name)}, which is not a stream sidecar ` +
      '(a JSON object with `chunks`, an array of strings): it was edited by hand or damaged. Restore it from git, or record the test again ' +
      '(`LLM_EVALS_CASSETTES=record`: the recording rewrites the file).',
  )
}

/**
 * Whether the sidecar file `entry` of `cassetteFile` refers to can be replayed: it is there (where replay reads it) and,
 * for a stream sidecar, is one. True for an entry with no sidecar. `auto` records a call again when it is false.
 *
 * @example
 * sidecarReplayable('__cassettes__/bot.test.ts.cassette.json', entry) // false: its `.files` folder was not committed
 */
export function sidecarReplayable(cassetteFile: string, entry: Pick<CassetteEntry, 'response'>): boolean {
  if (!entry.response.file) return true
  const path = sidecarPath(cassetteFile, entry.response.file)
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return false
  if (!isStreamSidecar(path)) return true
  try {
    return parseStreamSidecar(readFileSync(path)) !== undefined
  } catch {
    return false
  }
}

/** Size of a stream as received, in bytes (what `maxInlineBytes` is compared with, as for other bodies). */
export function streamByteLength(chunks: readonly string[]): number {
  return chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk), 0)
}

/**
 * `entry` as it is kept: a streamed response scrubbed as a whole ({@link scrubStreamChunks}: the user's `rules`, the
 * fixed key patterns and the secrets `found`, a value split across network chunks or events cut out too), and moved
 * to a stream sidecar when larger than `maxInlineBytes`, cut at its events so the same answer gets the same file.
 * `entry` itself when it has no stream or nothing changes. The store scrubs the sidecar's text again, as text: a rule
 * that would still change it there matches its JSON syntax (`[^"]+` takes the `\` of a `\"`) and would leave a file
 * no replay can read, so such a stream stays inline.
 */
export function streamToSidecar(entry: CassetteEntry, maxInlineBytes: number, rules: readonly RedactRule[], found: readonly SecretFinding[]): { entry: CassetteEntry; sidecar?: { bytes: Uint8Array; extension: string } } {
  const { chunks, aborted, ...rest } = entry.response
  if (!chunks) return { entry: withLiteralsCut(entry, rules) }
  const inline = scrubStreamChunks(chunks, rules, found)
  const unchanged = inline.length === chunks.length && inline.every((chunk, index) => chunk === chunks[index])
  const inlineEntry = unchanged ? entry : { ...entry, response: { ...entry.response, chunks: inline } }
  if (streamByteLength(chunks) <= maxInlineBytes) return { entry: inlineEntry }
  // Cut at events before scrubbing: a value the network split across two chunks is whole in its event.
  const scrubbed = scrubStreamChunks(streamEventChunks(chunks), rules, found)
  const bytes = streamSidecarBytes({ chunks: scrubbed, ...(aborted ? { aborted } : {}) })
  const text = new TextDecoder().decode(bytes)
  if (scrubString(text, [...secretRules(found), ...rules]) !== text) return { entry: inlineEntry }
  return { entry: { ...entry, response: rest }, sidecar: { bytes, extension: STREAM_SIDECAR_EXTENSION } }
}

/** `entry` with the values of literal `rules` a model's tokens split across its AWS events (Bedrock) cut out of them. */
function withLiteralsCut(entry: CassetteEntry, rules: readonly RedactRule[]): CassetteEntry {
  const { events } = entry.response
  const values = literalValues(rules)
  if (!events || values.length === 0) return entry
  const cut = redactEvents(events, values)
  return cut.every((event, index) => event === events[index]) ? entry : { ...entry, response: { ...entry.response, events: cut } }
}
