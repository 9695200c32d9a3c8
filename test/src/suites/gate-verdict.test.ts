import { afterEach, describe, expect, test, vi } from 'vitest'
import { FAKE_TOKENS } from '../../support/fake-tokens.js'
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

describe('suiteGateVerdict with a key or control characters in an error, a case id or the suite name', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })
  const token = FAKE_TOKENS['GitHub personal token (ghp_)']!
  const hostile = `upstream said: tokZZsecretVALUE98765 ${token} \u001b[2J\u001b]8;;http://e\u0007`

  test.each([
    ['a task threw (below the threshold)', [scored('k1', 1), crashed('k2', hostile)], { mean: 0.9 }],
    ['every task threw', [crashed('k2', hostile)], { mean: 0.9 }],
  ] as const)('%s: the message hides the live value and the token, and shows controls as escapes', (_, outcomes, threshold) => {
    vi.stubEnv('MY_SERVICE_TOKEN', 'tokZZsecretVALUE98765')
    const text = message(suiteGateVerdict('bot', threshold, outcomes, outcomes.length))
    expect(text).toContain('(first, case "k2": upstream said: [REDACTED MY_SERVICE_TOKEN] [REDACTED] \\u001b[2J\\u001b]8;;http://e\\u0007)')
    expect(text).not.toMatch(/tokZZ|ghp_|[\u0007\u001b]/)
  })

  test("a scorer's error, the suite name and a case id: hidden and escaped too", () => {
    vi.stubEnv('MY_SERVICE_TOKEN', 'tokZZsecretVALUE98765')
    const outcome: CaseOutcome = { caseId: `c\u001b]8;;x\u0007 ${token}`, pass: false, metrics: {}, scorerErrors: [{ scorer: 1, message: `judge: ${hostile}\nmore` }] }
    const text = message(suiteGateVerdict('bot \u001b[2J', { mean: 0.9 }, [outcome], 1))
    expect(text).toContain('Suite "bot \\u001b[2J"')
    expect(text).toContain('(first, case "c\\u001b]8;;x\\u0007 [REDACTED]": judge: upstream said: [REDACTED MY_SERVICE_TOKEN] [REDACTED]')
    expect(text).not.toMatch(/tokZZ|ghp_|[\u0007\u001b]/)
  })
})
