import { ABBREVIATIONS, COMMON_WORDS } from './punkt-words.js'
import { pyRstrip } from './text.js'

/*
 * Sentence counting after NLTK's Punkt tokenizer (Kiss & Strunk 2006), which IFEval uses with its
 * pre-trained English model. This follows Punkt's decision procedure: candidate ends are `.`, `?`,
 * `!` followed by punctuation or by whitespace and a token; each candidate's context (the word
 * before it and the token after it) is split into Punkt word tokens and annotated in two passes.
 * The trained model's statistics are replaced by the word lists in `punkt-words.ts`, so abbreviations,
 * initials and ellipses are decided by rule rather than by corpus counts. Unlike Unicode (ICU)
 * sentence segmentation, line breaks alone never end a sentence and a lowercase word after a
 * period does not join two sentences, as in Punkt.
 */

const NON_WORD = `[)";}\\]*:@'({\\[!?]`
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)`
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`
const PUNKT_WORD = new RegExp(
  `${MULTI_CHAR}|(?=${WORD_START})\\S+?(?=\\s|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|\\s|${NON_WORD}|${MULTI_CHAR}))|\\S`,
  'gu',
)
const END_CONTEXT = new RegExp(`[.?!](?=(${NON_WORD})|(\\s+)(\\S+))`, 'gu')
const REALIGNED = /^["')\]}]+?(?:\s+|(?=--)|$)/u

interface Token {
  text: string
  type: string
  periodFinal: boolean
  sentbreak: boolean
  abbr: boolean
  ellipsis: boolean
}

function toToken(text: string): Token {
  const type = text.toLowerCase().replace(/^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u, '##number##')
  return { text, type, periodFinal: text.endsWith('.'), sentbreak: false, abbr: false, ellipsis: false }
}

const withoutPeriod = (type: string) => (type.length > 1 && type.endsWith('.') ? type.slice(0, -1) : type)
const firstChar = (text: string) => String.fromCodePoint(text.codePointAt(0) ?? 32)
const firstUpper = (token: Token) => /\p{Uppercase}/u.test(firstChar(token.text))
const firstLower = (token: Token) => /\p{Lowercase}/u.test(firstChar(token.text))

function annotateFirstPass(token: Token): void {
  const { text } = token
  if (text === '.' || text === '?' || text === '!') token.sentbreak = true
  else if (/^\.\.+$/u.test(text)) token.ellipsis = true
  else if (token.periodFinal && !text.endsWith('..')) {
    const stem = text.slice(0, -1).toLowerCase()
    if (ABBREVIATIONS.has(stem) || ABBREVIATIONS.has(stem.split('-').at(-1) ?? '')) token.abbr = true
    else token.sentbreak = true
  }
}

/** Punkt's orthographic heuristic: does `token` look like the first word of a sentence? */
function startsSentence(token: Token): boolean | 'unknown' {
  if (';:,.!?'.includes(token.text) && token.text.length === 1) return false
  if (firstUpper(token) && COMMON_WORDS.has(withoutPeriod(token.type))) return true
  if (firstLower(token)) return false
  return 'unknown'
}

function annotateSecondPass(token: Token, next: Token): void {
  if (!token.periodFinal) return
  const nextType = next.sentbreak ? withoutPeriod(next.type) : next.type
  const initial = /^[\p{L}_]\.$/u.test(token.text)
  if ((token.abbr || token.ellipsis) && !initial) {
    if (startsSentence(next) === true || (firstUpper(next) && COMMON_WORDS.has(nextType))) token.sentbreak = true
    return
  }
  if (initial || withoutPeriod(token.type) === '##number##') {
    const starter = startsSentence(next)
    if (starter === false || (starter === 'unknown' && initial && firstUpper(next))) {
      token.sentbreak = false
      token.abbr = true
    }
  }
}

function containsSentenceBreak(context: string): boolean {
  const tokens = Array.from(context.matchAll(PUNKT_WORD), (match) => toToken(match[0]))
  tokens.forEach(annotateFirstPass)
  tokens.forEach((token, index) => {
    const next = tokens[index + 1]
    if (next) annotateSecondPass(token, next)
  })
  return tokens.some((token, index) => token.sentbreak && index < tokens.length - 1)
}

/** Punkt keeps only the last candidate within one whitespace-delimited word. */
function* sentenceBreaks(text: string): Generator<{ end: number; nextStart: number }> {
  let previous: { match: RegExpExecArray; wordStart: number } | undefined
  const decide = ({ match, wordStart }: { match: RegExpExecArray; wordStart: number }) => {
    const after = match[1] ?? `${match[2] ?? ''}${match[3] ?? ''}`
    if (!containsSentenceBreak(text.slice(wordStart, match.index) + match[0] + after)) return undefined
    const end = match.index + 1
    return { end, nextStart: match[3] === undefined ? end : end + (match[2]?.length ?? 0) }
  }
  for (const match of text.matchAll(END_CONTEXT)) {
    const lower = previous ? previous.match.index : 0
    let space = match.index - 1
    while (space > lower && !/[ \t\n\r\v\f]/.test(text.charAt(space))) space--
    // As in NLTK, a space found at the lower bound itself counts as no space found.
    const wordStart = space > lower ? space + 1 : (previous?.wordStart ?? 0)
    if (previous && previous.match.index <= wordStart) {
      const found = decide(previous)
      if (found) yield found
    }
    previous = { match, wordStart }
  }
  const found = previous && decide(previous)
  if (found) yield found
}

/**
 * Counts sentences the way IFEval does with NLTK Punkt (see the file comment for the model).
 *
 * @example
 * countSentences('Dr. Smith arrived. He sat down.\nThen he left!') // 3
 */
export function countSentences(text: string): number {
  let count = 0
  let start = 0
  const add = (segment: string, first: boolean) => {
    if ((first ? segment : segment.replace(REALIGNED, '')) !== '') count++
  }
  for (const { end, nextStart } of sentenceBreaks(text)) {
    add(text.slice(start, end), start === 0)
    start = nextStart
  }
  add(pyRstrip(text).slice(start), start === 0)
  return count
}
