import { groupThousands } from '../format-number.js'
import { hideSecretText } from './redact.js'

// Control characters, line separators (U+2028, U+2029, NEL) and lone surrogates would break a message's
// lines or its encoding, and bidirectional overrides and isolates (and U+FEFF) make a line read otherwise than
// it holds (as in visible-text.ts): they are shown as escapes, so text from a request or a test name stays as it is.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/

/** One character (a code point) as shown in a message: `\n`, `\t`, `\r`, `\uXXXX` for the unprintable. */
export function printableChar(char: string): string {
  if (char === '\n') return '\\n'
  if (char === '\t') return '\\t'
  if (char === '\r') return '\\r'
  if (UNPRINTABLE.test(char) || (char.length === 1 && char >= '\ud800' && char <= '\udfff')) return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  return char
}

/** `text` with every unprintable character escaped (see {@link printableChar}). */
export function printableText(text: string): string {
  let shown = ''
  for (const char of text) shown += printableChar(char)
  return shown
}

/**
 * `text` on one line, at most `limit` characters (then `… (+N chars)`): for a request's URL, path or
 * value, or a test name, in a message. Known key patterns and the values of `secrets` are hidden first, in the
 * whole text: once cut, a key would no longer match and its first characters would be shown.
 *
 * @example
 * oneLine('a\nb', 10) // 'a\\nb'
 */
export function oneLine(text: string, limit: number, secrets: readonly { name: string; value: string }[] = []): string {
  const hidden = hideSecretText(text, secrets)
  // Escaped only as far as shown: a test name of megabytes (a hostile cassette) must not cost seconds per line.
  let shown = ''
  let index = 0
  for (const char of hidden) {
    if (shown.length > limit) break
    shown += printableChar(char)
    index += char.length
  }
  if (shown.length <= limit) return shown
  const length = shown.length + printableLength(hidden.slice(index))
  return `${shown.slice(0, limit)}… (+${groupThousands(length - limit)} chars)`
}

// A surrogate pair (shown as is), or a character shown as an escape (see `printableChar`).
const PAIR_OR_ESCAPED = /[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/g

/** The length of `printableText(text)`, counted from the characters escaped, without building it. */
function printableLength(text: string): number {
  let length = text.length
  for (const [match] of text.matchAll(PAIR_OR_ESCAPED)) if (match.length === 1) length += printableChar(match).length - 1
  return length
}
