// Files the library rewrites (cassettes, the labels file) must be read as they are: a file an editor saved in
// Latin-1 or Windows-1252 decodes to U+FFFD replacement characters, and the next write would store those for good.
import { isUtf8 } from 'node:buffer'

/** Where the first byte that is not UTF-8 sits in a file's bytes. */
export interface InvalidUtf8 {
  /** 1-based line of the first invalid byte. */
  line: number
  /** 0-based offset of that byte in the file. */
  offset: number
}

/** Bytes checked natively at once while looking for the first invalid one: only that chunk is scanned by hand. */
const CHUNK_BYTES = 64 * 1024

/**
 * The text of `bytes` (UTF-8), or the error `invalid` makes, told where the first byte that is not UTF-8 is.
 *
 * @example
 * const text = utf8Text(readFileSync(file), ({ line }) => new CassetteError(`${file}:${line} is not UTF-8`))
 */
export function utf8Text(bytes: Buffer, invalid: (where: InvalidUtf8) => Error): string {
  if (isUtf8(bytes)) return bytes.toString('utf8')
  throw invalid(firstInvalidByte(bytes))
}

/**
 * The first byte of `bytes` that does not start (or continue) a well-formed UTF-8 sequence. The bytes are checked
 * natively in chunks that end on a character boundary; only the first bad chunk is walked character by character,
 * so a 50 MB file costs about one native pass, whatever its lines.
 */
function firstInvalidByte(bytes: Buffer): InvalidUtf8 {
  let start = 0
  while (start < bytes.length) {
    const end = chunkEnd(bytes, start)
    if (!isUtf8(bytes.subarray(start, end))) break
    start = end
  }
  const offset = scanFrom(bytes, start)
  return { line: newlinesBefore(bytes, offset) + 1, offset }
}

/** The end of the chunk that starts at `start`, moved back (at most 3 bytes) so no character is cut in two. */
function chunkEnd(bytes: Buffer, start: number): number {
  const end = Math.min(start + CHUNK_BYTES, bytes.length)
  if (end === bytes.length) return end
  for (let back = 0; back <= 3; back++) {
    if (((bytes[end - back] as number) & 0xc0) !== 0x80) return end - back
  }
  return end // four continuation bytes in a row: the chunk is invalid anyway
}

/** Walks characters from `offset` (a character boundary) to the first invalid one, skipping ASCII. */
function scanFrom(bytes: Buffer, offset: number): number {
  while (offset < bytes.length) {
    const lead = bytes[offset] as number
    if (lead < 0x80) {
      offset++
      continue
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0
    // isUtf8 on the sequence alone also rejects overlong forms, surrogates and code points above U+10FFFF.
    if (length === 0 || offset + length > bytes.length || !isUtf8(bytes.subarray(offset, offset + length))) return offset
    offset += length
  }
  return offset
}

/** Newline bytes before `offset`: a newline byte never occurs inside a multi-byte character. */
function newlinesBefore(bytes: Buffer, offset: number): number {
  let count = 0
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < offset; at = bytes.indexOf(0x0a, at + 1)) count++
  return count
}
