const WORD = /[\p{L}\p{M}\p{N}]+/gu

/**
 * Lower-cased word tokens (runs of Unicode letters, marks and digits); punctuation is dropped.
 * ROUGE's reference tokenizer does the same for ASCII (`[^a-z0-9]+` as separator after lower-casing).
 *
 * @example
 * wordTokens('The cat, the mat!') // ['the', 'cat', 'the', 'mat']
 */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}
