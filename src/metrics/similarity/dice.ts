import { createRequire } from 'node:module'

type StringSimilarity = typeof import('string-similarity')
let loaded: StringSimilarity | undefined

/** `string-similarity` (CommonJS), loaded on first use: a test file that imports the library but compares no texts does not pay for it. */
export function stringSimilarity(): StringSimilarity {
  return (loaded ??= createRequire(import.meta.url)('string-similarity') as StringSimilarity)
}

/**
 * Sørensen–Dice coefficient over character bigrams (whitespace ignored), from `string-similarity`.
 *
 * @example
 * diceSimilarity('night', 'nacht') // 0.25
 */
export function diceSimilarity(output: string, expected: string): number {
  return stringSimilarity().compareTwoStrings(output, expected)
}
