/**
 * Text rules shared by the instruction checkers. IFEval's reference is Python, so stripping,
 * splitting, word characters and upper/lower case follow Python's Unicode definitions, which
 * differ from JavaScript's `\s`, `\w` and `trim()` on a few code points.
 */

/** Python's `str.isspace()` characters, as a regex character-class body. */
export const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'

/** Python's Unicode `\w` (letters, numbers and `_`), as a regex character-class body. */
export const PY_WORD = '\\p{L}\\p{N}_'

const SPACE = new RegExp(`^[${PY_SPACE}]$`, 'u')
const SPACE_RUN = new RegExp(`[${PY_SPACE}]+`, 'u')
const WORDS = new RegExp(`[${PY_WORD}]+`, 'gu')

function isSpace(char: string): boolean {
  return SPACE.test(char)
}

/**
 * Python's `str.strip([chars])`: removes whitespace (or any of `chars`) from both ends.
 *
 * @example
 * pyStrip('  "hi"\n') // '"hi"'
 * pyStrip('**bold**', '*') // 'bold'
 */
export function pyStrip(text: string, chars?: string): string {
  const strips = chars === undefined ? isSpace : (char: string) => chars.includes(char)
  let start = 0
  let end = text.length
  while (start < end && strips(text.charAt(start))) start++
  while (end > start && strips(text.charAt(end - 1))) end--
  return text.slice(start, end)
}

/**
 * Python's `str.rstrip()`: removes trailing whitespace.
 *
 * @example
 * pyRstrip('end.  \n') // 'end.'
 */
export function pyRstrip(text: string): string {
  let end = text.length
  while (end > 0 && isSpace(text.charAt(end - 1))) end--
  return text.slice(0, end)
}

/**
 * Python's `str.split()` without arguments: splits on whitespace runs, drops empty parts.
 *
 * @example
 * pySplit(' a  b\nc ') // ['a', 'b', 'c']
 */
export function pySplit(text: string): string[] {
  return text.split(SPACE_RUN).filter((part) => part !== '')
}

/**
 * Python's `str.isupper()`: at least one cased character and no lowercase or titlecase one.
 *
 * @example
 * isUpperCase("I'M 42!") // true
 * isUpperCase('123') // false
 */
export function isUpperCase(text: string): boolean {
  return /\p{Uppercase}/u.test(text) && !/[\p{Lowercase}\p{Lt}]/u.test(text)
}

/**
 * Python's `str.islower()`: at least one cased character and no uppercase or titlecase one.
 *
 * @example
 * isLowerCase('hello, world 2') // true
 */
export function isLowerCase(text: string): boolean {
  return /\p{Lowercase}/u.test(text) && !/[\p{Uppercase}\p{Lt}]/u.test(text)
}

/**
 * Counts words as IFEval does (NLTK's `RegexpTokenizer(r"\w+")`): runs of Unicode letters,
 * digits and underscores, so "state-of-the-art" is four words and "naïve" one.
 *
 * @example
 * countWords('Hello, wörld! 42 times.') // 4
 */
export function countWords(text: string): number {
  let count = 0
  WORDS.lastIndex = 0
  while (WORDS.exec(text) !== null) count++
  return count
}

/**
 * The regex source for a user pattern, used the way the reference uses it (`re.search(keyword, ...)`):
 * as a regular expression, or as literal text when it is not a valid one (e.g. "C++").
 *
 * @example
 * patternSource('C++') // 'C\\+\\+'
 */
export function patternSource(pattern: string): string {
  try {
    new RegExp(pattern, 'u')
    return pattern
  } catch {
    return pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  }
}

/**
 * Compiles a user pattern (see {@link patternSource}) with Unicode semantics.
 *
 * @example
 * compilePattern('c++', 'gi').test('I like C++') // true
 */
export function compilePattern(pattern: string, flags: string): RegExp {
  return new RegExp(patternSource(pattern), `${flags}u`)
}

/**
 * Quotes a response excerpt for a reason string, cut to `max` characters.
 *
 * @example
 * excerpt('Hello world', 5) // '"Hello…"'
 */
export function excerpt(text: string, max = 40): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text)
}
