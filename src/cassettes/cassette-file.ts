import { nodeCrypto } from '../node-crypto.js'
import { existsSync, lstatSync, readFileSync, rmSync, statSync } from 'node:fs'
import { fixPermissions, isPermissionError, readRegularFile } from '../regular-file.js'
import { utf8Text } from '../utf8-text.js'
import { basename, join } from 'node:path'
import { writeFileAtomic } from '../atomic-files.js'
import { writeTargetOf } from '../write-target.js'
import { CassetteError } from '../errors/index.js'
import type { CassetteDocument, ToolRecord, UnrecordedCall } from './entry.js'
import { isPlainCassette } from './cassette-shape.js'
import { isSortedJson, sortedJsonData } from './sorted-json.js'
import { ownFieldsCopy } from '../own-field.js'
import { oneLine, printableText } from './one-line.js'
import { shellQuote } from './record-command.js'
import { cassetteSchema } from './cassette-schema.js'

/**
 * Folder beside a cassette that holds its large or binary bodies. Beside the real file of a linked cassette (kept in
 * a shared folder), so every project linking it finds them; beside the link only where an older version put them there.
 */
export function sidecarDir(cassetteFile: string): string {
  const besideLink = filesFolderOf(cassetteFile)
  // A linked folder holds the `.files` folder where its target does already: only a linked file needs resolving.
  if (!lstatSync(cassetteFile, { throwIfNoEntry: false })?.isSymbolicLink()) return besideLink
  let real: string
  try {
    real = writeTargetOf(cassetteFile)
  } catch {
    return besideLink // a dangling link or a loop: reading or writing the cassette itself says what is wrong
  }
  return existsSync(filesFolderOf(real)) || !existsSync(besideLink) ? filesFolderOf(real) : besideLink
}

const filesFolderOf = (cassetteFile: string) => cassetteFile.replace(/\.json$/, '') + '.files'

/** A cassette document as read: `tools` and `unrecorded` are always set. */
export type ReadCassette = CassetteDocument & { tools: ToolRecord[]; unrecorded: UnrecordedCall[] }

/** Reads a cassette; a missing file is an empty cassette, a damaged one a {@link CassetteError}. */
export function readCassette(file: string): ReadCassette {
  return existsSync(file) ? parseCassette(readCassetteText(file), file) : { version: 1, entries: [], tools: [], unrecorded: [] }
}

/** The text of cassette `file` (it exists); a directory, FIFO or device in its place is a {@link CassetteError}, never a read that blocks. */
export function readCassetteText(file: string): string {
  try {
    const bytes = readRegularFile(file, (kind) => new CassetteError(`Cannot read cassette ${file}: it is ${kind}, not a file. Remove what is there (a cassette is a JSON file), then record it again.`))
    return utf8Text(
      bytes,
      ({ line }) =>
        new CassetteError(
          `Cannot read cassette ${file}: line ${line} is not UTF-8 (an editor saved it in another encoding, such as Latin-1). ` +
            `Nothing was replayed from it or written to it. Save it as UTF-8 again, or restore it with \`git checkout -- ${shellQuote(printableText(file))}\`.`,
        ),
    )
  } catch (error) {
    if (!isPermissionError(error)) throw error
    throw new CassetteError(`Cannot read cassette ${file}: permission denied (${error.code}). ${fixPermissions(file)}`, { cause: error })
  }
}

/** Parses the text of cassette `file` (see {@link readCassette}). */
export function parseCassette(text: string, file: string): ReadCassette {
  let raw: unknown
  try {
    // A byte order mark (an editor on Windows) is not content.
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
  } catch (error) {
    // An empty file is no merge conflict: a write cut off before this version wrote atomically, or a `> file` by hand.
    if (text.trim() === '') {
      throw new CassetteError(
        `Cannot read cassette ${file}: it is empty${text === '' ? ' (0 bytes)' : ' (only white space)'}, so it holds no recording. ` +
          `Restore it with \`git checkout -- ${shellQuote(printableText(file))}\`, or delete it and record again: \`LLM_EVALS_CASSETTES=auto npx vitest run <its test file>\`.`,
      )
    }
    // The parser quotes the start of the text: a cassette's bytes, shown on one line, with no control character.
    throw new CassetteError(
      `Cannot read cassette ${file}: it is not valid JSON (${oneLine((error as Error).message, 200)}). ` +
        `If a merge conflict damaged it, resolve the conflict or restore it with \`git checkout -- ${shellQuote(printableText(file))}\`; to start over, delete it and re-record.`,
    )
  }
  // A well-formed cassette is used as parsed; zod (loaded only then) explains a bad one, or drops unknown fields.
  if (isPlainCassette(raw)) return { ...raw, tools: raw.tools ?? [], unrecorded: raw.unrecorded ?? [] }
  const parsed = cassetteSchema().safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CassetteError(
      `Cannot read cassette ${file}: ${issue ? `${issuePlace(raw, issue.path)}: ${issue.message}` : 'unexpected shape'}. ` +
        'It was written by another version or edited by hand; restore it from git or delete it and re-record.',
    )
  }
  const document = { ...(parsed.data as CassetteDocument), tools: (parsed.data.tools ?? []) as ToolRecord[], unrecorded: (parsed.data.unrecorded ?? []) as UnrecordedCall[] }
  keepProtoFields(document, raw as CassetteDocument)
  return document
}

/** Where in the cassette a schema issue is: its path (`entries.3.request.query`), and the test of that entry when it names one. */
function issuePlace(raw: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the document (an object with `version` and `entries`)'
  const [list, index] = path
  const item = typeof list === 'string' && typeof index === 'number' ? (raw as Record<string, unknown[] | undefined>)[list]?.[index] : undefined
  const test = item !== null && typeof item === 'object' && typeof (item as { test?: unknown }).test === 'string' ? ` (test "${oneLine((item as { test: string }).test, 120)}")` : ''
  return `${path.map(String).join('.')}${test}`
}

/**
 * Puts back the `__proto__` fields of the records zod copied (query, headers): zod drops them (older zod 4 releases
 * made them the copy's prototype), and a cassette read and written again must lose nothing of what it holds.
 */
function keepProtoFields(document: CassetteDocument, raw: CassetteDocument): void {
  document.entries.forEach((entry, index) => {
    const source = raw.entries[index]
    if (!source) return
    entry.request.query = withProtoField(entry.request.query, source.request.query)
    entry.request.headers = withProtoField(entry.request.headers, source.request.headers)
    entry.response.headers = withProtoField(entry.response.headers, source.response.headers)
    entry.response.events?.forEach((event, at) => {
      const headers = source.response.events?.[at]?.headers
      if (headers) event.headers = withProtoField(event.headers, headers)
    })
  })
}

/** `copied` (zod's copy of `source`, validated), or a copy of `source` with every field as data when it has a `__proto__` one. */
function withProtoField<T>(copied: Record<string, T>, source: Record<string, T>): Record<string, T> {
  return Object.hasOwn(source, '__proto__') ? ownFieldsCopy(source) : copied
}

/**
 * The error for a recording whose JSON is nested too deeply to hash or replay (a hand-edited or hostile cassette:
 * no model request or response is): which file, which entry, and what to do. Any other error is returned as it is.
 */
export function nestedTooDeeply(file: string, entry: { test: string; call: number; tool?: string }, error: unknown): unknown {
  // V8's message for a recursion past the stack (JSON.stringify of deep data); other RangeErrors are other faults.
  if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) return error
  return new CassetteError(
    `Cannot read cassette ${file}: the ${entry.tool === undefined ? 'entry' : `recording of tool "${oneLine(entry.tool, 120)}"`} of test "${oneLine(entry.test, 120)}" (call ${entry.call}) holds JSON nested too deeply to use (${error.message}). ` +
      `No ${entry.tool === undefined ? 'model request or response' : 'recorded tool call'} is nested like this: restore the cassette from git, or delete that ${entry.tool === undefined ? 'entry' : 'record'} and record it again.`,
    { cause: error },
  )
}

/**
 * The error for a recording whose stored response cannot be replayed (see {@link nestedTooDeeply} for one nested too
 * deeply): which file, which entry, why, and what to do. A {@link CassetteError} is returned as it is.
 */
export function unreplayableEntry(file: string, entry: { test: string; call: number }, error: unknown): CassetteError {
  // One that names the file already says where (a missing sidecar); another (a malformed event header) is told with it.
  if (error instanceof CassetteError && error.message.includes(file)) return error
  const deep = nestedTooDeeply(file, entry, error)
  if (deep !== error) return deep as CassetteError
  return new CassetteError(
    `Cannot replay a recording of cassette ${file}: the entry of test "${oneLine(entry.test, 120)}" (call ${entry.call}) holds a response that cannot be replayed ` +
      `(${oneLine(error instanceof Error ? error.message.replace(/^\[vitest-llm-evals\] /, '') : String(error), 300)}). It was edited by hand or written by another tool: restore the cassette from git, or delete that entry and record it again.`,
    { cause: error },
  )
}

/** Reads a sidecar body. */
export function readSidecar(cassetteFile: string, name: string): Buffer {
  const besideLink = join(filesFolderOf(cassetteFile), basename(name))
  const beside = join(sidecarDir(cassetteFile), basename(name))
  // A linked cassette's body an older version stored beside the link, before another project stored one beside its target.
  const path = !existsSync(beside) && existsSync(besideLink) ? besideLink : beside
  try {
    return readRegularFile(path, (kind) => new CassetteError(`Cassette ${cassetteFile} refers to ${path}, which is ${kind}, not a file. Remove it and record the test again.`))
  } catch (error) {
    if (error instanceof CassetteError) throw error
    if (isPermissionError(error)) throw new CassetteError(`Cassette ${cassetteFile} refers to ${path}, which cannot be read: permission denied (${error.code}). ${fixPermissions(path)}`, { cause: error })
    throw new CassetteError(`Cassette ${cassetteFile} refers to ${path}, which is missing. Commit the .files folder beside the cassette, or re-record.`)
  }
}

/** The content-addressed name of a sidecar body. */
export function sidecarName(bytes: Uint8Array, extension: string): string {
  return `${nodeCrypto().createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${extension}`
}

/**
 * Stores a sidecar body under its content-addressed name. One already there with these bytes is left as it is; a
 * damaged one (truncated, edited) or something else in its place is replaced, so recording again repairs it.
 */
export function writeSidecar(cassetteFile: string, name: string, bytes: Uint8Array): void {
  const target = join(sidecarDir(cassetteFile), name)
  const stats = statSync(target, { throwIfNoEntry: false })
  // Compared only when the size matches; a FIFO or device is never read (it would block).
  if (stats?.isFile() && stats.size === bytes.byteLength && readFileSync(target).equals(bytes)) return
  // A folder in its place cannot be renamed over; a file (or link, FIFO) is replaced by the rename.
  if (stats?.isDirectory()) rmSync(target, { recursive: true, force: true })
  writeFileAtomic(target, bytes)
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
    args: sortedObject(record.args),
    ...(record.error ? { error: record.error } : record.result !== undefined ? { result: record.result } : {}),
    meta: record.meta,
  }
}

function sortedObject(value: unknown): unknown {
  // Recordings read back from the file are sorted already: only new ones are copied.
  return isSortedJson(value) ? value : sortedJsonData(value)
}

function storedBody(response: CassetteDocument['entries'][number]['response']): Record<string, unknown> {
  if (response.chunks) return { chunks: response.chunks, ...(response.aborted ? { aborted: true } : {}) }
  if (response.events) return { events: response.events, ...(response.aborted ? { aborted: true } : {}) }
  if (response.file) return { file: response.file }
  if (response.json !== undefined) return { json: sortedObject(response.json) }
  return response.text !== undefined ? { text: response.text } : {}
}

