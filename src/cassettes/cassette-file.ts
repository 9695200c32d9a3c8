import { nodeCrypto } from '../node-crypto.js'
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { writeFileAtomic } from '../atomic-files.js'
import { CassetteError } from '../errors/index.js'
import { stableStringify } from './canonical.js'
import type { CassetteDocument, ToolRecord, UnrecordedCall } from './entry.js'
import { isPlainCassette } from './cassette-shape.js'
import { isSortedJson } from './sorted-json.js'
import { hasProtoKey, sortedWithProtoKeys } from './proto-keys.js'
import { cassetteSchema } from './cassette-schema.js'

/** Folder beside a cassette that holds its large or binary bodies. */
export function sidecarDir(cassetteFile: string): string {
  return cassetteFile.replace(/\.json$/, '') + '.files'
}

/** A cassette document as read: `tools` and `unrecorded` are always set. */
export type ReadCassette = CassetteDocument & { tools: ToolRecord[]; unrecorded: UnrecordedCall[] }

/** Reads a cassette; a missing file is an empty cassette, a damaged one a {@link CassetteError}. */
export function readCassette(file: string): ReadCassette {
  return existsSync(file) ? parseCassette(readFileSync(file, 'utf8'), file) : { version: 1, entries: [], tools: [], unrecorded: [] }
}

/** Parses the text of cassette `file` (see {@link readCassette}). */
export function parseCassette(text: string, file: string): ReadCassette {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new CassetteError(
      `Cannot read cassette ${file}: it is not valid JSON (${(error as Error).message}). ` +
        'If a merge conflict damaged it, resolve the conflict or restore it with `git checkout -- <file>`; to start over, delete it and re-record.',
    )
  }
  // A well-formed cassette is used as parsed; zod (loaded only then) explains a bad one, or drops unknown fields.
  if (isPlainCassette(raw)) return { ...raw, tools: raw.tools ?? [], unrecorded: raw.unrecorded ?? [] }
  const parsed = cassetteSchema().safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CassetteError(
      `Cannot read cassette ${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unexpected shape'}. ` +
        'It was written by another version or edited by hand; restore it from git or delete it and re-record.',
    )
  }
  return { ...(parsed.data as CassetteDocument), tools: (parsed.data.tools ?? []) as ToolRecord[], unrecorded: (parsed.data.unrecorded ?? []) as UnrecordedCall[] }
}

/** Reads a sidecar body. */
export function readSidecar(cassetteFile: string, name: string): Buffer {
  const path = join(sidecarDir(cassetteFile), basename(name))
  try {
    return readFileSync(path)
  } catch {
    throw new CassetteError(`Cassette ${cassetteFile} refers to ${path}, which is missing. Commit the .files folder beside the cassette, or re-record.`)
  }
}

/** The content-addressed name of a sidecar body. */
export function sidecarName(bytes: Uint8Array, extension: string): string {
  return `${nodeCrypto().createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${extension}`
}

/** Stores a sidecar body under its content-addressed name (a no-op when it is already there). */
export function writeSidecar(cassetteFile: string, name: string, bytes: Uint8Array): void {
  const target = join(sidecarDir(cassetteFile), name)
  if (!existsSync(target)) writeFileAtomic(target, bytes)
}

/**
 * Pretty JSON of a cassette, the exact bytes written to disk: fields in a fixed reading order
 * (test, request, response, meta) and keys of bodies sorted, so a re-recording diffs cleanly.
 */
export function serializeCassette(document: CassetteDocument): string {
  const entries = document.entries.map((entry) => ({
    test: entry.test,
    ...(entry.project ? { project: entry.project } : {}),
    repeat: entry.repeat,
    call: entry.call,
    role: entry.role,
    ...(entry.key ? { key: entry.key } : {}),
    request: {
      method: entry.request.method,
      url: entry.request.url,
      path: entry.request.path,
      query: sortedObject(entry.request.query),
      headers: sortedObject(entry.request.headers),
      body: sortedObject(entry.request.body),
    },
    response: {
      status: entry.response.status,
      ...(entry.response.statusText ? { statusText: entry.response.statusText } : {}),
      headers: sortedObject(entry.response.headers),
      ...storedBody(entry.response),
    },
    meta: entry.meta,
  }))
  const tools = (document.tools ?? []).map(storedTool)
  const unrecorded = (document.unrecorded ?? []).map(storedUnrecorded)
  // Without tool recordings or unrecorded calls the document is exactly what it was before they existed.
  return JSON.stringify({ version: document.version, entries, ...(tools.length ? { tools } : {}), ...(unrecorded.length ? { unrecorded } : {}) }, null, 2) + '\n'
}

/** An unrecorded call as written: fields in a fixed order. */
function storedUnrecorded(call: UnrecordedCall): UnrecordedCall {
  const { test, project, repeat, key, occurrence, method, path, reason, detail, at, mode } = call
  return { test, ...(project ? { project } : {}), repeat, key, occurrence, method, path, reason, ...(detail ? { detail } : {}), at, mode }
}

/**
 * A tool record as written: arguments with sorted keys (they are matched as canonical JSON), the result
 * untouched, so it replays with the key order the tool returned.
 */
function storedTool(record: ToolRecord): Record<string, unknown> {
  return {
    test: record.test,
    ...(record.project ? { project: record.project } : {}),
    repeat: record.repeat,
    call: record.call,
    name: record.name,
    key: record.key,
    occurrence: record.occurrence,
    args: hasProtoKey(record.args) ? sortedWithProtoKeys(record.args) : sortedObject(record.args),
    ...(record.error ? { error: record.error } : record.result !== undefined ? { result: record.result } : {}),
    meta: record.meta,
  }
}

function sortedObject(value: unknown): unknown {
  // Recordings read back from the file are sorted already: only new ones are copied.
  return isSortedJson(value) ? value : (JSON.parse(stableStringify(value)) as unknown)
}

function storedBody(response: CassetteDocument['entries'][number]['response']): Record<string, unknown> {
  if (response.chunks) return { chunks: response.chunks, ...(response.aborted ? { aborted: true } : {}) }
  if (response.events) return { events: response.events, ...(response.aborted ? { aborted: true } : {}) }
  if (response.file) return { file: response.file }
  if (response.json !== undefined) return { json: sortedObject(response.json) }
  return response.text !== undefined ? { text: response.text } : {}
}

