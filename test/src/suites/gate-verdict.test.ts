import { describe, expect, test } from 'vitest'
import { closestName } from '../../../src/closest-name.js'
import { suiteGateVerdict } from '../../../src/suites/gate-verdict.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'

const scored = (caseId: string, score: number): CaseOutcome => ({ caseId, pass: score >= 0.5, metrics: { exact: { score, pass: score >= 0.5 } } })
const crashed = (caseId: string, error: string): CaseOutcome => ({ caseId, pass: false, metrics: {}, error })
const unscored = (caseId: string): CaseOutcome => ({ caseId, pass: true, metrics: {} })
const message = (verdict: ReturnType<typeof suiteGateVerdict>) => (verdict.kind === 'fail' ? verdict.message : `not a failure: ${JSON.stringify(verdict)}`)

describe('suiteGateVerdict', () => {
  test('passes when the scored cases meet the threshold', () => {
    expect(suiteGateVerdict('bot', { mean: 0.5 }, [scored('a', 1), scored('b', 0.5)], 2)).toEqual({ kind: 'pass' })
  })

  test('fails when every task threw: how many cases, that none was scored, and the first error', () => {
    const outcomes = [crashed('q1', '[vitest-llm-evals] Case "q1" timed out after 200 ms; the task was cancelled.\n    at stack'), crashed('q2', 'TypeError: boom')]
    expect(message(suiteGateVerdict('bot', { passRate: 0 }, outcomes, 2))).toMatchInlineSnapshot(`
      "Suite "bot" scored no case: 2 cases ran and none was scored, so its threshold cannot be checked.
        - 2 cases failed before they were scored (first, case "q1": Case "q1" timed out after 200 ms; the task was cancelled.)"
    `)
  })

  test('fails when the scorers recorded nothing, saying what a scorer must do', () => {
    expect(message(suiteGateVerdict('bot', { mean: 0.8 }, [unscored('q1'), unscored('q2'), unscored('q3')], 3))).toMatchInlineSnapshot(`
      "Suite "bot" scored no case: 3 cases ran and none was scored, so its threshold cannot be checked.
        - 3 cases recorded no score: a scorer must call a matcher on context.expect (awaited or returned) or return a score (a number within 0..1, or { metric, score })"
    `)
    expect(message(suiteGateVerdict('bot', { mean: 0.8 }, [crashed('q1', 'boom'), unscored('q2')], 2))).toContain('  - 1 case failed before it was scored (first, case "q1": boom)\n  - the other 1 case recorded no score:')
  })

  test('fails when the data gave no rows', () => {
    expect(message(suiteGateVerdict('bot', { mean: 0.8 }, [], 0))).toMatchInlineSnapshot(`"Suite "bot" has no cases: its data gave no rows, so its threshold cannot be checked. Check the data of describeEval("bot") (an empty file, or a filter that drops every row)."`)
  })

  test('skips when no case ran (a -t filter), or every case only awaits a human label', () => {
    expect(suiteGateVerdict('bot', { mean: 0.8 }, [], 3)).toEqual({ kind: 'skip', note: 'no case of this suite ran (filtered out?)' })
    const awaiting = { ...unscored('q1'), awaitingLabel: true as const }
    expect(suiteGateVerdict('bot', { mean: 0.8 }, [awaiting, { ...awaiting, caseId: 'q2' }], 2)).toEqual({ kind: 'skip', note: 'no case is scored yet: 2 cases await a human label (npx llm-evals review)' })
  })

  test('below the threshold with some cases unscored: the usual failure, then how many could not be scored', () => {
    const outcomes = [scored('a', 1), crashed('b', 'Error: rate limited'), scored('c', 0)]
    expect(message(suiteGateVerdict('bot', { mean: 0.8 }, outcomes, 4))).toMatchInlineSnapshot(`
      "Suite "bot" is below its threshold (3 cases scored):
        - exact: mean 0.333 < target 0.800; worst cases: b (0.000), c (0.000), a (1.000)
      Improve the failing cases, or change threshold in describeEval("bot").
      (3 of 4 cases ran; the others were filtered out or skipped.)
      (1 case failed before it was scored (first, case "b": Error: rate limited); counted as 0.)"
    `)
  })

  test('a perMetric metric no case produced fails, with the likely metric it meant', () => {
    expect(message(suiteGateVerdict('bot', { perMetric: { exatc: { mean: 0.5 } } }, [scored('a', 1)], 1, closestName))).toContain('  - exatc: no case produced this metric (metrics seen: exact); check threshold.perMetric: did you mean "exact"?')
  })
})
