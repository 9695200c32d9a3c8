import { describe, expect, test } from 'vitest'
import type { CaseScore } from '../../../src/history/run-record.js'
import { ambiguousLegacyLabels, describeAmbiguousLegacy, findLabel, indexLabels, suitesByCase, suiteWithoutProject } from '../../../src/review/label-scope.js'
import type { HumanLabel } from '../../../src/review/labels-file.js'
import { agreementByMetric, reviewRows } from '../../../src/review/review-rows.js'
import { runWith } from './fixtures.js'

const A = 'a.test.ts > refunds'
const B = 'b.test.ts > refunds'
const at = '2025-01-01T00:00:00Z'
const label = (caseId: string, value: string, suite?: string, metric = 'helpful'): HumanLabel => ({ caseId, metric, label: value, at, ...(suite ? { suite } : {}) })

/** The same case id `q1` in two suites (two test files), plus `q2` in suite A only; the grader passes all. */
function twoSuites(): CaseScore[] {
  const base = { metric: 'helpful', score: 1, pass: true, trials: 1 }
  return [
    { ...base, suite: A, test: 'refunds > q1', caseId: 'q1', output: 'A says hi' },
    { ...base, suite: B, test: 'refunds > q1', caseId: 'q1', output: 'B says hi' },
    { ...base, suite: A, test: 'refunds > q2', caseId: 'q2', output: 'A says bye' },
  ]
}

describe('labels scoped by suite', () => {
  test('a label given in one suite applies to that suite only, never to the same case id in another', () => {
    const rows = reviewRows(runWith(twoSuites()), [label('q1', 'fail', A)])
    expect(rows.map((row) => [row.suite, row.caseId, row.label?.label, row.disagrees])).toEqual([
      [A, 'q1', 'fail', true],
      [B, 'q1', undefined, false],
      [A, 'q2', undefined, false],
    ])
    // Agreement counts the one labelled case once.
    expect(agreementByMetric(rows)[0]?.stats).toMatchObject({ n: 1, failures: { missed: 1 } })
  })

  test('each suite keeps its own label of the same case id', () => {
    const rows = reviewRows(runWith(twoSuites()), [label('q1', 'fail', A), label('q1', 'pass', B)])
    expect(rows.map((row) => row.label?.label)).toEqual(['fail', 'pass', undefined])
    expect(agreementByMetric(rows)[0]?.stats?.n).toBe(2)
  })

  test('a suite of a named project finds a label given before suites named their project; its own label wins', () => {
    const before = label('q1', 'fail', 'a.test.ts > refunds')
    const target = (suite: string) => ({ suite, caseId: 'q1', metric: 'helpful' })
    expect(findLabel(indexLabels([before]), target('a.test.ts [model-a] > refunds'), undefined)?.label).toBe('fail')
    expect(findLabel(indexLabels([before, label('q1', 'pass', 'a.test.ts [model-b] > refunds')]), target('a.test.ts [model-b] > refunds'), undefined)?.label).toBe('pass')
    // Brackets in a describe name are not a project: no fallback to another describe.
    expect(findLabel(indexLabels([label('q1', 'fail', 'a.test.ts > bot')]), target('a.test.ts > bot [v1]'), undefined)).toBeUndefined()
    expect(suiteWithoutProject('dir/weird [x].test.ts [p]')).toBe('dir/weird [x].test.ts')
    expect(suiteWithoutProject('a.test.ts > bot [v1]')).toBeUndefined()
  })

  test('suites compare with either path separator, so labels given on Windows apply on Linux', () => {
    const index = indexLabels([label('q1', 'fail', 'evals\\a.test.ts > refunds')])
    expect(findLabel(index, { suite: 'evals/a.test.ts > refunds', caseId: 'q1', metric: 'helpful' }, undefined)?.label).toBe('fail')
  })
})

describe('legacy labels (no suite)', () => {
  test('apply to a case id that is in one suite only, and to none of the suites of a case id in several', () => {
    const rows = reviewRows(runWith(twoSuites()), [label('q1', 'fail'), label('q2', 'fail')])
    expect(rows.map((row) => [row.suite, row.caseId, row.label?.label])).toEqual([
      [A, 'q1', undefined],
      [B, 'q1', undefined],
      [A, 'q2', 'fail'],
    ])
  })

  test('the later line wins between a legacy label and a scoped one', () => {
    const index = indexLabels([label('q2', 'fail', A), label('q2', 'pass')])
    const suites = suitesByCase(twoSuites())
    expect(findLabel(index, { suite: A, caseId: 'q2', metric: 'helpful' }, suites.get('q2'))?.label).toBe('pass')
    const relabelled = indexLabels([label('q2', 'pass'), label('q2', 'fail', A)])
    expect(findLabel(relabelled, { suite: A, caseId: 'q2', metric: 'helpful' }, suites.get('q2'))?.label).toBe('fail')
  })

  test('the ones that apply to no case are listed once with the fix, unless every suite has a newer label of its own', () => {
    const suites = suitesByCase(twoSuites())
    const ambiguous = ambiguousLegacyLabels(indexLabels([label('q1', 'fail'), label('q2', 'fail')]), suites)
    expect(ambiguous).toEqual([{ caseId: 'q1', metric: 'helpful', suites: [A, B] }])
    expect(describeAmbiguousLegacy(ambiguous, 'evals/labels.jsonl')).toBe(
      '1 label in evals/labels.jsonl has no suite (written before labels were scoped by suite) and its case id is in several suites, so it applies to none of them:\n' +
        '  q1 (helpful): in a.test.ts > refunds, b.test.ts > refunds\n' +
        'Run `llm-evals review --migrate-labels` to add the suite where a case id is in one suite only, and label these cases again on the review page (or add `"suite"` to their lines by hand).',
    )
    expect(ambiguousLegacyLabels(indexLabels([label('q1', 'fail'), label('q1', 'pass', A), label('q1', 'pass', B)]), suites)).toEqual([])
    expect(ambiguousLegacyLabels(indexLabels([label('q1', 'fail'), label('q1', 'pass', A)]), suites)).toHaveLength(1)
    expect(describeAmbiguousLegacy([], 'evals/labels.jsonl')).toBe('')
  })
})
