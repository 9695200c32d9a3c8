// Secrets written with escapes: JSON text inside a JSON string (a tool call's `arguments`, a tool's raw HTTP body:
// `sk-\u0070roj…`, stored as `sk-\\u0070roj…`) and URL-encoding (`sk%2Dproj…`, `ghp%5F…` in a stored URL or form body).
// No pattern matches them as written, so the secret scan passed them over and a cassette stored them. Here the text is
// read with those escapes decoded, the secrets found in it are mapped back to the text as written, and each is
// reported as written (the stored copy is scrubbed of that). Only escapes of printable ASCII are decoded, and only
// secrets that hold an escape are reported (the others are found as written). Linear: one pass to decode. Pure.

/** Cheap test first: most texts hold no escape of a token's characters. */
const MAY_HOLD_ESCAPE = /\\u00[2-7]|%[2-7]/

/**
 * Where the escapes are: for escape `i`, its offset in the decoded text (one character there) and the offset just past
 * it in the text as written. Typed arrays, grown as needed: 10 MB of escapes are millions of them.
 */
interface Escapes {
  count: number
  decodedAt: Int32Array
  writtenEnd: Int32Array
}

/**
 * The secrets `find` reports in `text` with its escapes decoded, as they are written in `text` (escapes included),
 * that hold at least one escape.
 *
 * @example
 * encodedSecretsIn('q=sk%2Dproj-…', findOwn) // [{ value: 'sk%2Dproj-…', index: 2 }]
 */
export function encodedSecretsIn(text: string, find: (decoded: string) => readonly { value: string; index: number }[]): { value: string; index: number }[] {
  if (!MAY_HOLD_ESCAPE.test(text)) return []
  const escapes: Escapes = { count: 0, decodedAt: new Int32Array(64), writtenEnd: new Int32Array(64) }
  // One pass over the characters into a buffer: a regular expression's millions of matches cost seconds on 10 MB.
  const out = new Uint16Array(text.length)
  let length = 0
  for (let at = 0; at < text.length; ) {
    const end = escapeEnd(text, at)
    if (end < 0) {
      // Not an escape: its character, or the whole run of backslashes it starts (read once, not from each of them).
      for (const stop = -end; at < stop; ) out[length++] = text.charCodeAt(at++)
      continue
    }
    add(escapes, length, end)
    out[length++] = parseInt(text.slice(end - 2, end), 16)
    at = end
  }
  if (escapes.count === 0) return []
  const decoded = new TextDecoder('utf-16le').decode(out.subarray(0, length))
  const found: { value: string; index: number }[] = []
  for (const secret of find(decoded)) {
    const start = writtenOffset(escapes, secret.index)
    const end = writtenOffset(escapes, secret.index + secret.value.length)
    const value = text.slice(start, end)
    if (value !== secret.value) found.push({ value, index: start })
  }
  return found
}

/**
 * Where an escape of a printable ASCII character that starts at `at` ends (`\u0070` behind any number of backslashes,
 * or `%70`); when none starts there, minus where the text that is no escape ends (the character at `at`, or the run
 * of backslashes it starts). `%7F` and `\u0020` (DEL, a space) are no token's characters: left as written.
 */
function escapeEnd(text: string, at: number): number {
  let hex = at + 1
  if (text.charCodeAt(at) === 92) {
    while (text.charCodeAt(hex) === 92) hex++
    if (!text.startsWith('u00', hex)) return -hex
    hex += 3
  } else if (text.charCodeAt(at) !== 37) return -(at + 1)
  const first = text.charCodeAt(hex)
  const second = text.charCodeAt(hex + 1)
  const isHex = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)
  if (first < 50 || first > 55 || !isHex(second) || (first === 50 && second === 48) || (first === 55 && (second === 70 || second === 102))) return -(at + 1)
  return hex + 2
}

function add(escapes: Escapes, decodedAt: number, writtenEnd: number): void {
  if (escapes.count === escapes.decodedAt.length) {
    const grow = (array: Int32Array) => {
      const larger = new Int32Array(array.length * 2)
      larger.set(array)
      return larger
    }
    escapes.decodedAt = grow(escapes.decodedAt)
    escapes.writtenEnd = grow(escapes.writtenEnd)
  }
  escapes.decodedAt[escapes.count] = decodedAt
  escapes.writtenEnd[escapes.count] = writtenEnd
  escapes.count++
}

/** Where the decoded text's offset `at` is in the text as written (binary search over the escapes before it). */
function writtenOffset(escapes: Escapes, at: number): number {
  let low = 0
  let high = escapes.count
  while (low < high) {
    const middle = (low + high) >> 1
    if (escapes.decodedAt[middle]! < at) low = middle + 1
    else high = middle
  }
  // After the last escape before `at`, the written text is longer by what that escape and the ones before it added.
  return low === 0 ? at : at + escapes.writtenEnd[low - 1]! - (escapes.decodedAt[low - 1]! + 1)
}
