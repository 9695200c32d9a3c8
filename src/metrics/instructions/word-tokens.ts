/*
 * Word tokens as NLTK's `word_tokenize` (the improved Treebank tokenizer) produces them, as far as
 * telling all-capital words needs: punctuation, brackets and quotes are split off, clitics become
 * tokens of their own ("I'M" -> "I" "'M", "DON'T" -> "DO" "N'T"), fused forms are split
 * ("CANNOT" -> "CAN" "NOT"), while hyphenated words and "U.S." stay whole.
 */

const SPLITS: readonly [RegExp, string][] = [
  [/([«“‘„]|`+)/gu, ' $1 '],
  [/"/g, ' " '],
  [/([:,])([^\p{Nd}])/gu, ' $1 $2'],
  [/([:,])$/u, ' $1 '],
  [/\.{2,}/g, ' $& '],
  [/[;@#$%&?!*]/g, ' $& '],
  [/([^'])' /g, "$1 ' "],
  [/[\][(){}<>]/g, ' $& '],
  [/--/g, ' -- '],
  [/([»”’])/gu, ' $1 '],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /g, '$1 $2 '],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /g, '$1 $2 '],
  [/\b(can)(not)\b/gi, ' $1 $2 '],
  [/\b(d)('ye)\b/gi, ' $1 $2 '],
  [/\b(gim|lem)(me)\b/gi, ' $1 $2 '],
  [/\b(gon)(na)\b/gi, ' $1 $2 '],
  [/\b(got)(ta)\b/gi, ' $1 $2 '],
  [/\b(more)('n)\b/gi, ' $1 $2 '],
  [/\b(wan)(na)(?=\s)/gi, ' $1 $2 '],
  [/ ('t)(is|was)\b/gi, ' $1 $2 '],
]

/**
 * Splits text into NLTK-style word tokens.
 *
 * @example
 * tokenizeWords("I'M HAPPY, CAN'T YOU SEE?") // ['I', "'M", 'HAPPY', ',', 'CA', "N'T", 'YOU', 'SEE', '?']
 */
export function tokenizeWords(text: string): string[] {
  let padded = ` ${text} `
  for (const [pattern, replacement] of SPLITS) padded = padded.replace(pattern, replacement)
  return padded.split(/\s+/u).filter((token) => token !== '')
}
