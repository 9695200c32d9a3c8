// A multipart/form-data body (an audio transcription, an image edit, a file upload) as its key and its stored copy
// read it: its parts by name, a file part as its filename, content type, size and content hash. Never the boundary,
// which the SDK draws at random for every request (with it, no upload ever replayed), and never a file's bytes.
import { nodeCrypto } from '../node-crypto.js'
import { setOwnField } from '../own-field.js'

/** A file part of a multipart body, as keyed and stored: no content, only its hash. */
export interface MultipartFile {
  filename: string
  contentType?: string
  /** Length of its content (as the request's text, in UTF-16 code units: the same bytes give the same length). */
  size: number
  /** `sha256:` and 16 hex digits of its content. */
  sha256: string
}

/** Most parts read; a body with more (no SDK sends that many) is kept as text, as before. */
const MAX_PARTS = 1000

/** The boundary of a `multipart/form-data` content type, or undefined for any other. */
export function multipartBoundary(contentType: string | null): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined
  const match = /;\s*boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))/i.exec(contentType)
  return match?.[1] ?? match?.[2]
}

/**
 * The parts of a multipart body by name (a name sent several times: an array, in order): a field's text, or a file's
 * {@link MultipartFile}. Undefined when `text` is not a well-formed body with that boundary (it is then keyed as text).
 *
 * @example
 * multipartBody(body, 'form-boundary-1') // { file: { filename: 'note.wav', contentType: 'audio/wav', size: 32, sha256: 'sha256:…' }, model: 'whisper-1' }
 */
export function multipartBody(text: string, boundary: string): Record<string, unknown> | undefined {
  const delimiter = `--${boundary}`
  let at = text.indexOf(delimiter)
  if (at === -1) return undefined
  const parts: Record<string, unknown> = {}
  for (let count = 0; count < MAX_PARTS; count++) {
    const start = at + delimiter.length
    if (text.startsWith('--', start)) return sortedParts(parts)
    const next = text.indexOf(`\r\n${delimiter}`, start)
    const headerEnd = text.indexOf('\r\n\r\n', start)
    if (next === -1 || headerEnd === -1 || headerEnd > next) return undefined
    const part = partOf(text.slice(start, headerEnd), text.slice(headerEnd + 4, next))
    if (!part) return undefined
    const earlier = Object.hasOwn(parts, part.name) ? parts[part.name] : undefined
    setOwnField(parts, part.name, earlier === undefined ? part.value : [...(Array.isArray(earlier) ? earlier : [earlier]), part.value])
    at = next + 2
  }
  return undefined
}

function partOf(headers: string, content: string): { name: string; value: unknown } | undefined {
  const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1]
  if (disposition === undefined) return undefined
  const name = parameter(disposition, 'name')
  if (name === undefined) return undefined
  const filename = parameter(disposition, 'filename')
  const contentType = /^content-type:\s*(.+?)\s*$/im.exec(headers)?.[1]
  if (filename === undefined && contentType === undefined) return { name, value: content }
  const sha256 = `sha256:${nodeCrypto().hash('sha256', content, 'hex').slice(0, 16)}`
  const file: MultipartFile = { filename: filename ?? '', ...(contentType ? { contentType } : {}), size: content.length, sha256 }
  return { name, value: file }
}

function parameter(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition)
  return match?.[1]?.replace(/\\(.)/g, '$1')
}

/** The parts with their names sorted, as every stored body is. */
function sortedParts(parts: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {}
  for (const name of Object.keys(parts).sort()) setOwnField(sorted, name, parts[name])
  return sorted
}
