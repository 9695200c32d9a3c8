// A scorer's ConfigError fails every case it hits, but is shown in full once per suite: later cases fail with
// one line pointing at the first, and the suite reports how many cases it failed, once.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { RepeatedScorerErrors } from '../../../src/suites/repeated-errors.js'
import { runCase, type CaseRun } from '../../../src/suites/run-case.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'
import { errorOf } from '../../matchers/support.js'

const caseRun = (repeatedErrors: RepeatedScorerErrors, scorer: CaseRun<{ id: string }, string>['scorers'][number]): CaseRun<{ id: string }, string> => ({
  suite: 'support bot',
  task: (row) => row.id,
  scorers: [() => ({ metric: 'ok', score: 1 }), scorer],
  repeats: 1,
  passOn: 'every-trial',
  caseFailures: 'score',
  repeatedErrors,
})

describe('a scorer ConfigError repeated over the cases of a suite', () => {
  test('fails each case, the first with the error in full, the others with one line pointing at it', async (context) => {
    const repeated = new RepeatedScorerErrors('support bot')
    const run = caseRun(repeated, () => Number.NaN)
    const outcomes = new Map<string, CaseOutcome>()
    const [first, second, third] = [await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes)), await errorOf(runCase(context, 'q2', { id: 'q2' }, run, outcomes)), await errorOf(runCase(context, 'q3', { id: 'q3' }, run, outcomes))]
    expect(first.message).toBe('[vitest-llm-evals] Scorer #2 of describeEval("support bot") returned a score of NaN for case "q1" (metric "scorer-2"); a score is a number within 0..1.')
    expect(first.stack).toContain('repeated-errors.test.ts')
    expect(second).toBeInstanceOf(ConfigError)
    expect(second.message).toBe('[vitest-llm-evals] Case "q2": the same ConfigError from scorer #2 of describeEval("support bot") as case "q1", shown in full there (2 cases so far).')
    // No stack frames: Vitest prints the line alone, without a code frame.
    expect(second.stack).toBe(`ConfigError: ${second.message}`)
    expect(third.message).toContain('Case "q3": the same ConfigError from scorer #2 of describeEval("support bot") as case "q1", shown in full there (3 cases so far).')
    // The gate still sees which scorer threw and why, while the other scorer's score counts.
    expect(outcomes.get('q3')?.scorerErrors?.[0]?.message).toContain('returned a score of NaN for case "q3"')
    expect(outcomes.get('q3')?.metrics).toEqual({ ok: { score: 1, pass: true } })
    expect(repeated.summary(3)?.message).toMatchInlineSnapshot(`
      "[vitest-llm-evals] The scorers of describeEval("support bot") threw the same ConfigError in several cases, shown in full once each:
        - scorer #2, 3 of 3 cases (first: case "q1"): Scorer #2 of describeEval("support bot") returned a score of NaN for case "q1" (metric "scorer-2"); a score is a number within 0..1.
      Fix the scorer: each of these cases fails until then."
    `)
  })

  test('a different error, another scorer\'s, or the task\'s own is shown in full', async (context) => {
    const repeated = new RepeatedScorerErrors('support bot')
    const outcomes = new Map<string, CaseOutcome>()
    const nan = caseRun(repeated, () => Number.NaN)
    await errorOf(runCase(context, 'q1', { id: 'q1' }, nan, outcomes))
    expect((await errorOf(runCase(context, 'q2', { id: 'q2' }, caseRun(repeated, () => 2), outcomes))).message).toContain('returned a score of 2 for case "q2"')
    const crashing: CaseRun<{ id: string }, string> = { ...nan, task: () => { throw new ConfigError('task misconfigured') } }
    expect((await errorOf(runCase(context, 'q3', { id: 'q3' }, crashing, outcomes))).message).toBe('[vitest-llm-evals] task misconfigured')
    expect((await errorOf(runCase(context, 'q4', { id: 'q4' }, crashing, outcomes))).message).toBe('[vitest-llm-evals] task misconfigured')
    expect(repeated.summary(4)).toBeUndefined()
  })

  test('counts cases, not tries: a case retried (Vitest\'s retry) is one case, its later tries point at its first', async (context) => {
    const repeated = new RepeatedScorerErrors('support bot')
    const run = caseRun(repeated, () => Number.NaN)
    const outcomes = new Map<string, CaseOutcome>()
    // With `retry: 2`, each failing case runs three times: the same case id, the same error each time.
    const tries = async (caseId: string) => [1, 2, 3].reduce<Promise<Error[]>>(async (done) => [...(await done), await errorOf(runCase(context, caseId, { id: caseId }, run, outcomes))], Promise.resolve([]))
    const [q1, q2] = [await tries('q1'), await tries('q2')]
    expect(q1[0]?.message).toContain('returned a score of NaN for case "q1"')
    expect(q1[1]?.message).toBe('[vitest-llm-evals] Case "q1", tried again: the same ConfigError from scorer #2 of describeEval("support bot") as on its first try, shown in full there.')
    expect(q1[2]?.message).toBe(q1[1]?.message)
    expect(q2.map((error) => error.message)).toEqual(Array(3).fill('[vitest-llm-evals] Case "q2": the same ConfigError from scorer #2 of describeEval("support bot") as case "q1", shown in full there (2 cases so far).'))
    expect(repeated.summary(outcomes.size)?.message).toContain('  - scorer #2, 2 of 2 cases (first: case "q1")')
  })
})
