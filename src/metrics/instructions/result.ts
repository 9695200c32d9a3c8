/** The verdict on one instruction: whether it was followed, and what was counted against what. */
export interface InstructionResult {
  pass: boolean
  /** What was counted and what was required, e.g. "found 2 highlighted sections, needs at least 3". */
  reason: string
}

/** IFEval's comparison for counted things: `less than` (count < n) or `at least` (count >= n). */
export type Relation = 'less than' | 'at least'

/**
 * Builds a result.
 *
 * @example
 * verdict(true, 'found no commas') // { pass: true, reason: 'found no commas' }
 */
export function verdict(pass: boolean, reason: string): InstructionResult {
  return { pass, reason }
}

/**
 * Compares a count with a threshold under an IFEval relation and says so in the reason.
 *
 * @example
 * compareCount(2, 'at least', 3, 'highlighted sections')
 * // { pass: false, reason: 'found 2 highlighted sections, needs at least 3' }
 */
export function compareCount(count: number, relation: Relation, threshold: number, what: string): InstructionResult {
  const pass = relation === 'less than' ? count < threshold : count >= threshold
  const needs = relation === 'less than' ? `fewer than ${threshold}` : `at least ${threshold}`
  return verdict(pass, `found ${count} ${countable(count, what)}, needs ${needs}`)
}

/**
 * Checks an exact count and says so in the reason.
 *
 * @example
 * compareExact(4, 5, 'bullet points') // { pass: false, reason: 'found 4 bullet points, needs exactly 5' }
 */
export function compareExact(count: number, expected: number, what: string): InstructionResult {
  return verdict(count === expected, `found ${count} ${countable(count, what)}, needs exactly ${expected}`)
}

/** "1 bullet point" but "2 bullet points": `what` is written in the plural. */
function countable(count: number, what: string): string {
  return count === 1 ? what.replace(/s(?=\s|$)/u, '') : what
}

/**
 * A checker for one instruction id: pure, synchronous, given validated parameters.
 *
 * @example
 * const noComma: InstructionChecker<object> = (response) => verdict(!response.includes(','), '…')
 */
export type InstructionChecker<P> = (response: string, params: P) => InstructionResult
