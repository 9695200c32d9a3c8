import { createRequire } from 'node:module'

/**
 * What is used of `string-similarity`. Written out, not `typeof import('string-similarity')`: its types are a dev
 * dependency (@types/string-similarity), and a published declaration naming the module fails a user's type check
 * (TS7016 with skipLibCheck off).
 */
interface StringSimilarity {
  compareTwoStrings(first: string, second: string): number
}
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
