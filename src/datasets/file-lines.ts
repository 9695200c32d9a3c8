import { createReadStream } from 'node:fs'
import { isUtf8 } from 'node:buffer'

/** One physical line of a file: its number, its bytes without the line break, and where it ends. */
export interface FileLine {
  /** 1-based line number. */
  line: number
  /** The line's bytes, without its line break. */
  content: Buffer
  /** The line break: `\n`, `\r\n`, `\r`, or nothing for a last line without one. */
  ending: Buffer
  /** Byte offset just past the line break. */
  end: number
}

const LINE_FEED = 0x0a
const CARRIAGE_RETURN = 0x0d
const NO_BREAK = Buffer.alloc(0)
const BREAKS = { lf: Buffer.from('\n'), crlf: Buffer.from('\r\n'), cr: Buffer.from('\r') }

/**
 * The lines of a file, streamed in bounded memory (plus the longest line): split at `\n`, `\r\n` and a
 * lone `\r`, as `node:readline` and editors count them. Bytes are not decoded here, so that a caller can
 * name the line of a byte that is not UTF-8 (see {@link invalidUtf8}).
 *
 * @example
 * for await (const { line, content } of readFileLines('data/cases.jsonl')) console.log(line, content.toString())
 */
export async function* readFileLines(file: string): AsyncGenerator<FileLine> {
  let pieces: Buffer[] = [] // the unfinished line, kept as pieces: joining per chunk would be quadratic in its length
  let line = 0
  let offset = 0
  let pendingReturn = false // the last chunk ended with \r: a \n may follow at the start of the next one
  const finish = (ending: Buffer): FileLine => {
    const content = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces)
    pieces = []
    offset += content.length + ending.length
    return { line: ++line, content, ending, end: offset }
  }
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0
    if (pendingReturn) {
      pendingReturn = false
      const crlf = chunk[0] === LINE_FEED
      yield finish(crlf ? BREAKS.crlf : BREAKS.cr)
      if (crlf) start = 1
    }
    let nextFeed = chunk.indexOf(LINE_FEED, start)
    let nextReturn = chunk.indexOf(CARRIAGE_RETURN, start)
    while (nextFeed !== -1 || nextReturn !== -1) {
      const isReturn = nextReturn !== -1 && (nextFeed === -1 || nextReturn < nextFeed)
      const at = isReturn ? nextReturn : nextFeed
      pieces.push(chunk.subarray(start, at))
      if (isReturn && at === chunk.length - 1) {
        pendingReturn = true
        start = chunk.length
        break
      }
      const crlf = isReturn && chunk[at + 1] === LINE_FEED
      yield finish(crlf ? BREAKS.crlf : isReturn ? BREAKS.cr : BREAKS.lf)
      start = at + (crlf ? 2 : 1)
      if (nextFeed !== -1 && nextFeed < start) nextFeed = chunk.indexOf(LINE_FEED, start)
      if (nextReturn !== -1 && nextReturn < start) nextReturn = chunk.indexOf(CARRIAGE_RETURN, start)
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start))
  }
  if (pendingReturn) yield finish(BREAKS.cr)
  else if (pieces.some((piece) => piece.length > 0)) yield finish(NO_BREAK)
}

/** Length of the UTF-8 sequence led by `lead`, and the allowed range of its second byte; undefined for a byte that cannot lead one. */
function sequenceOf(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead < 0x80) return { length: 1, low: 0, high: 0 }
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf }
  if (lead >= 0xe0 && lead <= 0xef) return { length: 3, low: lead === 0xe0 ? 0xa0 : 0x80, high: lead === 0xed ? 0x9f : 0xbf }
  if (lead >= 0xf0 && lead <= 0xf4) return { length: 4, low: lead === 0xf0 ? 0x90 : 0x80, high: lead === 0xf4 ? 0x8f : 0xbf }
  return undefined
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (as `TextDecoder` with `fatal: true` rejects it). */
function firstInvalidOffset(bytes: Uint8Array): number {
  for (let offset = 0; offset < bytes.length; ) {
    const sequence = sequenceOf(bytes[offset]!)
    if (sequence === undefined) return offset
    for (let index = 1; index < sequence.length; index++) {
      const byte = bytes[offset + index]
      const [low, high] = index === 1 ? [sequence.low, sequence.high] : [0x80, 0xbf]
      if (byte === undefined || byte < low || byte > high) return offset
    }
    offset += sequence.length
  }
  return -1
}

/**
 * Where `bytes` stop being UTF-8: the line (1-based, counting `\n`, `\r\n` and a lone `\r`), the column
 * (in characters) and the byte there; undefined when they are valid UTF-8.
 *
 * @example
 * invalidUtf8(Buffer.from([0x63, 0x61, 0x66, 0xe9])) // { line: 1, column: 4, byte: 0xe9 }
 */
export function invalidUtf8(bytes: Uint8Array): { line: number; column: number; byte: number } | undefined {
  if (isUtf8(bytes)) return undefined
  const offset = firstInvalidOffset(bytes)
  if (offset === -1) return undefined
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString('utf8')
  const lines = before.split(/\r\n|\r|\n/)
  return { line: lines.length, column: lines.at(-1)!.length + 1, byte: bytes[offset]! }
}

/** `byte 0xE9 at column 17`, for messages. */
export function describeInvalidUtf8(position: { column: number; byte: number }): string {
  return `byte 0x${position.byte.toString(16).toUpperCase().padStart(2, '0')} at column ${position.column}`
}
