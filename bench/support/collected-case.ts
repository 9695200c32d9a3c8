/**
 * A finished test as the reporters collect it, shaped like the peers workload's (one `toBeSimilarTo` record, an
 * output, a case id): the main process's input in `reporter-main.bench.ts` and `finish-run-cold.bench.ts`.
 * `vary` (for output comparisons): scores, outputs and suites change with `run`, so rows regress, improve and fail.
 *
 * @example
 * for (let i = 0; i < 1000; i++) running.add(collectedCase(i) as never)
 */
export function collectedCase(i: number, run = 0, vary = false) {
  const output = `The answer to question ${i} is in the help centre${i % 10 === 0 ? '!' : '.'}${vary && (i + run) % 7 === 0 ? ` (run ${run % 3})` : ''}`
  const score = vary ? ((i * 7 + run * 13) % 11) / 10 : i % 10 === 0 ? 0.98 : 1
  const judged = vary && i % 2 === 0 ? [{ metric: 'judge:tone', score: (i + run) % 4 === 0 ? 0 : 1, pass: (i + run) % 4 !== 0, caseId: `c${i}`, attempt: { retry: 0, repeat: 0 }, location: { line: 9, column: 3 } }] : []
  return {
    module: vary && i % 3 === 0 ? 'other.test.ts' : 'ours-each.test.ts',
    test: `case c${i}`,
    state: 'passed',
    flaky: false,
    meta: {
      caseId: `c${i}`,
      output,
      evals: [
        ...judged,
        { metric: 'similarity:levenshtein', score: Math.min(score, 1), pass: !vary || score >= 0.5, threshold: 0.8, details: { method: 'levenshtein' }, caseId: `c${i}`, attempt: { retry: 0, repeat: 0 }, location: { line: 8, column: 42 } },
      ],
    },
  }
}
