/**
 * The first `{` or `[` of a text that starts a JSON value, found in one pass.
 *
 * Trying each bracket in turn (its balanced end, then `JSON.parse`) rescans the rest of the text per
 * bracket: quadratic, a minute for 80,000 unclosed brackets. Here every bracket is a reader that
 * validates JSON as it goes and dies at the first character JSON does not allow. Readers that
 * are in the same lexical state read the same tokens, so they share one stack of open containers
 * (a bracket read inside another reader's container is its nested value). A reader outside a string
 * and one inside a string never end up in the same state (they swap at each `"`, and a `\` kills the
 * one outside), so at most two groups are alive at any position: linear time.
 */

/** What the readers of a group are in the middle of: between tokens, or inside a string, number or literal. */
type Lexeme = 'between' | 'string' | 'escape' | 'unicode' | 'number' | 'literal'
/** What the innermost open container accepts next (between tokens). */
type Grammar = 'value-or-close' | 'value' | 'key-or-close' | 'key' | 'colon' | 'comma-or-close'
/** Where a number is in JSON's number grammar: after `-`, `0`, integer digits, `.`, fraction digits, `e`, its sign, its digits. */
type Digits = 'minus' | 'zero' | 'integer' | 'dot' | 'fraction' | 'exponent' | 'exponent-sign' | 'exponent-digits'

/** Readers in one lexical state: the open containers (outermost first), each a candidate start. */
interface Group {
  starts: number[]
  isObject: boolean[]
  grammar: Grammar
  lexeme: Lexeme
  stringIsKey: boolean
  hexLeft: number
  digits: Digits
  literal: string
  literalIndex: number
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39
const isHex = (code: number) => isDigit(code) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46)
const isWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
const ESCAPABLE = new Set([...'"\\/bfnrt'].map((char) => char.charCodeAt(0)))
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' }
const NUMBER_CAN_END = new Set<Digits>(['zero', 'integer', 'fraction', 'exponent-digits'])

/** The next number state after `code`, or undefined when `code` is not part of the number. */
function nextDigits(state: Digits, code: number): Digits | undefined {
  const digit = isDigit(code)
  switch (state) {
    case 'minus': return code === 0x30 ? 'zero' : digit ? 'integer' : undefined
    case 'zero':
    case 'integer':
      if (digit && state === 'integer') return 'integer'
      return code === 0x2e ? 'dot' : code === 0x65 || code === 0x45 ? 'exponent' : undefined
    case 'dot': return digit ? 'fraction' : undefined
    case 'fraction': return digit ? 'fraction' : code === 0x65 || code === 0x45 ? 'exponent' : undefined
    case 'exponent': return code === 0x2b || code === 0x2d ? 'exponent-sign' : digit ? 'exponent-digits' : undefined
    case 'exponent-sign':
    case 'exponent-digits': return digit ? 'exponent-digits' : undefined
  }
}

function openGroup(start: number, isObject: boolean): Group {
  return { starts: [start], isObject: [isObject], grammar: isObject ? 'key-or-close' : 'value-or-close', lexeme: 'between', stringIsKey: false, hexLeft: 0, digits: 'zero', literal: '', literalIndex: 0 }
}

/** Reads one character; false when the group's readers all fail (or all finished) here. */
function read(group: Group, code: number, index: number, finish: (start: number) => void): boolean {
  switch (group.lexeme) {
    case 'string':
      if (code === 0x22) {
        group.lexeme = 'between'
        group.grammar = group.stringIsKey ? 'colon' : 'comma-or-close'
      } else if (code === 0x5c) group.lexeme = 'escape'
      return code >= 0x20
    case 'escape':
      group.lexeme = code === 0x75 ? 'unicode' : 'string'
      group.hexLeft = 4
      return code === 0x75 || ESCAPABLE.has(code)
    case 'unicode':
      if (--group.hexLeft === 0) group.lexeme = 'string'
      return isHex(code)
    case 'literal':
      if (++group.literalIndex === group.literal.length) group.lexeme = 'between'
      return code === group.literal.charCodeAt(group.literalIndex - 1)
    case 'number': {
      const next = nextDigits(group.digits, code)
      if (next !== undefined) {
        group.digits = next
        return true
      }
      if (!NUMBER_CAN_END.has(group.digits)) return false
      group.lexeme = 'between'
      break // the character after the number is read below
    }
  }
  return readBetweenTokens(group, code, index, finish)
}

function readBetweenTokens(group: Group, code: number, index: number, finish: (start: number) => void): boolean {
  if (isWhitespace(code)) return true
  const inObject = group.isObject.at(-1) === true
  const char = String.fromCharCode(code)
  switch (group.grammar) {
    case 'colon':
      group.grammar = 'value'
      return char === ':'
    case 'key':
    case 'key-or-close':
      if (char === '}' && group.grammar === 'key-or-close') return close(group, finish)
      group.lexeme = 'string'
      group.stringIsKey = true
      return char === '"'
    case 'comma-or-close':
      if (char === ',') {
        group.grammar = inObject ? 'key' : 'value'
        return true
      }
      return char === (inObject ? '}' : ']') && close(group, finish)
    case 'value':
    case 'value-or-close':
      if (char === ']' && group.grammar === 'value-or-close') return close(group, finish)
      return startValue(group, char, code, index)
  }
}

function startValue(group: Group, char: string, code: number, index: number): boolean {
  if (char === '[' || char === '{') {
    group.starts.push(index)
    group.isObject.push(char === '{')
    group.grammar = char === '{' ? 'key-or-close' : 'value-or-close'
    return true
  }
  group.grammar = 'comma-or-close' // once the value is read
  if (char === '"') {
    group.lexeme = 'string'
    group.stringIsKey = false
  } else if (char === '-' || isDigit(code)) {
    group.lexeme = 'number'
    group.digits = char === '-' ? 'minus' : char === '0' ? 'zero' : 'integer'
  } else if (LITERALS[char] !== undefined) {
    group.lexeme = 'literal'
    group.literal = LITERALS[char]
    group.literalIndex = 1
  } else return false
  return true
}

/** Closes the innermost container: the reader that opened it has read a whole JSON value. */
function close(group: Group, finish: (start: number) => void): boolean {
  finish(group.starts.pop()!)
  group.isObject.pop()
  group.grammar = 'comma-or-close'
  return group.starts.length > 0
}

/**
 * The span of the first `{...}` / `[...]` in `text` that is valid JSON: the same one as trying each
 * bracket's balanced span with `JSON.parse` in order, in linear time.
 *
 * @example
 * findEmbeddedJson('x [1, {"a": 2}] y') // { start: 2, end: 15 }
 */
export function findEmbeddedJson(text: string): { start: number; end: number } | undefined {
  const groups: Group[] = []
  let best: { start: number; end: number } | undefined
  let index = 0
  const finish = (start: number) => {
    if (best === undefined || start < best.start) best = { start, end: index + 1 }
  }
  const nextBracket = /[[{]/g
  for (; index < text.length; index++) {
    if (groups.length === 0) {
      if (best !== undefined) break
      // Prose between candidates: jump to the next bracket.
      nextBracket.lastIndex = index
      if (nextBracket.exec(text) === null) break
      index = nextBracket.lastIndex - 1
    } else if (best !== undefined && groups.every((group) => group.starts[0]! > best!.start)) break
    const code = text.charCodeAt(index)
    let alive = 0
    for (let member = 0; member < groups.length; member++) if (read(groups[member]!, code, index, finish)) groups[alive++] = groups[member]!
    if (alive < groups.length) groups.length = alive // setting it unchanged is slow (a runtime call per character)
    const isOpener = code === 0x5b || code === 0x7b
    if (isOpener && best === undefined && !groups.some((group) => group.starts.at(-1) === index)) groups.push(openGroup(index, code === 0x7b))
  }
  return best
}
