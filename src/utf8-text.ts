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

/** The first byte of `bytes` that does not start (or continue) a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Buffer): InvalidUtf8 {
  let line = 1
  let offset = 0
  while (offset < bytes.length) {
    const lead = bytes[offset] as number
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0
    // isUtf8 on the sequence alone also rejects overlong forms, surrogates and code points above U+10FFFF.
    if (length === 0 || offset + length > bytes.length || !isUtf8(bytes.subarray(offset, offset + length))) return { line, offset }
    if (lead === 0x0a) line++
    offset += length
  }
  return { line, offset }
}
