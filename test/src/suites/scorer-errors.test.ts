// A scorer that throws instead of scoring (a misuse: bad options) fails its case, but does not take the other
// scorers' scores with it: they keep their real values, and the suite gate names the scorer, never a fake 0.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { suiteGateVerdict } from '../../../src/suites/gate-verdict.js'
import { runCase, type CaseRun } from '../../../src/suites/run-case.js'
import type { CaseOutcome } from '../../../src/suites/suite-gate.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'
import { errorOf, registerMatchers } from '../../matchers/support.js'

registerMatchers()

const message = (verdict: ReturnType<typeof suiteGateVerdict>) => (verdict.kind === 'fail' ? verdict.message : `not a failure: ${JSON.stringify(verdict)}`)

describe('a scorer that throws for a case', () => {
  test('fails the case with its error, while the other scorers keep their real scores and records', async (context) => {
    const run: CaseRun<{ id: string }, string> = {
      suite: 'support bot',
      task: () => 'Paris',
      scorers: [
        () => ({ metric: 'exact', score: 1 }),
        async function similar(output, { expect }) {
          // Scores once, then is misused: what it recorded before it threw is no score of the case either.
          await expect(output).toBeSimilarTo(output, { method: 'levenshtein' })
          await expect(output).toBeSimilarTo(output, { method: 'cosine' as never })
        },
        function brevity(output) {
          return output.length < 10 ? 0.8 : 0
        },
      ],
      repeats: 1,
      passOn: 'every-trial',
      caseFailures: 'score',
    }
    const outcomes = new Map<string, CaseOutcome>()
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes))
    expect(failure).toBeInstanceOf(ConfigError)
    expect(failure.message).toContain('toBeSimilarTo')
    const outcome = outcomes.get('q1')
    expect(outcome?.metrics).toEqual({ exact: { score: 1, pass: true }, brevity: { score: 0.8, pass: true } })
    expect(outcome?.error).toBeUndefined()
    expect(outcome?.pass).toBe(false)
    expect(outcome?.scorerErrors).toEqual([{ scorer: 2, name: 'similar', message: expect.stringMatching(/^ConfigError: toBeSimilarTo/) }])
    // What the history and reports read: the real scores only, nothing for the scorer that threw.
    expect(((context.task.meta as EvalTaskMeta).evals ?? []).map((record) => [record.metric, record.score])).toEqual([['exact', 1], ['brevity', 0.8]])
  })
})

describe('several scorers that throw for one case', () => {
  test('fail the case with every error, not only the first: an AggregateError of all, its message listing each', async (context) => {
    const judgeDown = new Error('judge: 500 Internal Server Error\n(request id req_1)')
    const run: CaseRun<{ id: string }, string> = {
      suite: 'support bot',
      task: () => 'Paris',
      scorers: [
        async function similar(output, { expect }) {
          await expect(output).toBeSimilarTo(output, { method: 'cosine' as never })
        },
        () => ({ metric: 'exact', score: 1 }),
        function judged() {
          throw judgeDown
        },
      ],
      repeats: 1,
      passOn: 'every-trial',
      caseFailures: 'score',
    }
    const outcomes = new Map<string, CaseOutcome>()
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes))
    expect(failure).toBeInstanceOf(AggregateError)
    // Vitest shows each of `errors` in full, with its own stack; the message lists them for any other reader.
    const [first, second] = (failure as AggregateError).errors
    expect(first).toBeInstanceOf(ConfigError)
    expect(second).toBe(judgeDown)
    expect(failure.message.split('\n')).toEqual([
      '[vitest-llm-evals] 2 scorers of describeEval("support bot") threw for case "q1" (each error follows in full):',
      expect.stringMatching(/^ {2}- scorer #1 \(similar\): ConfigError: toBeSimilarTo\(\) got invalid options: .*cosine/),
      '  - scorer #3 (judged): judge: 500 Internal Server Error (request id req_1)',
      'Fix each of them: the case fails until all of them score.',
    ])
    expect(outcomes.get('q1')?.scorerErrors?.map((each) => each.scorer)).toEqual([1, 3])
    expect(outcomes.get('q1')?.metrics).toEqual({ exact: { score: 1, pass: true } })
  })
})

describe('a scorer that throws in a later trial (repeats)', () => {
  test('gives the case no score at all: its scores from the earlier trials are dropped too', async (context) => {
    const run: CaseRun<{ id: string }, string> = {
      suite: 'support bot',
      task: () => 'Paris',
      scorers: [
        () => ({ metric: 'exact', score: 1 }),
        // A judge that answers on the first trial and errors on the second (a 500, a rate limit).
        function judged(_output, { trial }) {
          if (trial === 1) throw new Error('judge: 500 Internal Server Error')
          return { metric: 'judged', score: 0.2 }
        },
      ],
      repeats: 3,
      k: 3,
      passOn: 'any-trial',
      caseFailures: 'score',
    }
    const outcomes = new Map<string, CaseOutcome>()
    const failure = await errorOf(runCase(context, 'q1', { id: 'q1' }, run, outcomes))
    expect(failure.message).toBe('judge: 500 Internal Server Error')
    const outcome = outcomes.get('q1')
    expect(outcome?.metrics).toEqual({ exact: { score: 1, pass: true } })
    const meta = context.task.meta as EvalTaskMeta
    expect((meta.evals ?? []).map((record) => [record.metric, record.attempt.repeat])).toEqual([['exact', 0], ['exact', 1]])
    expect(Object.keys(meta.trials ?? {})).toEqual(['exact'])
    // The gate says the scorer's metric is left out for the case: it is, not judged on its first trial alone.
    expect(message(suiteGateVerdict('support bot', { perMetric: { exact: { mean: 0.5 } } }, [outcome as CaseOutcome], 1))).not.toContain('judged: mean')
  })
})

describe('the suite gate with a scorer that threw for some cases', () => {
  const scored = (caseId: string, exact: number, similar: number): CaseOutcome => ({
    caseId,
    pass: exact >= 0.5 && similar >= 0.5,
    metrics: { exact: { score: exact, pass: exact >= 0.5 }, similar: { score: similar, pass: similar >= 0.5 } },
  })
  const broken: CaseOutcome = {
    caseId: 'b',
    pass: false,
    metrics: { exact: { score: 1, pass: true } },
    scorerErrors: [{ scorer: 2, name: 'similar', message: 'ConfigError: toBeSimilarTo option method must be one of rouge-l, bleu, dice, levenshtein, embedding, got "cosine".' }],
  }
  const outcomes = [scored('a', 1, 0.9), broken, scored('c', 0, 0.2)]

  test('fails, naming the scorer and its error, even when the other scores meet the threshold', () => {
    expect(message(suiteGateVerdict('bot', { mean: 0.3, passRate: 0.5 }, outcomes, 3))).toMatchInlineSnapshot(`
      "Suite "bot" cannot be fully checked: a scorer failed instead of scoring (it threw, or ran out of time).
        - scorer #2 (similar) failed in 1 of 3 cases (first, case "b": ConfigError: toBeSimilarTo option method must be one of rouge-l, bleu, dice, levenshtein, embedding, got "cosine".)
      Fix the scorer (its error is shown in full on the test of the first case named); its metric is left out for those cases, not counted as 0, and the other scorers' scores count as they are.
      The scores the other scorers gave meet the threshold."
    `)
  })

  test('below the threshold: the other metrics keep their real scores, the broken one is left out for that case', () => {
    // exact: (1 + 1 + 0) / 3; similar: (0.9 + 0.2) / 2, without case b (no 0 for it).
    expect(message(suiteGateVerdict('bot', { mean: 0.7 }, outcomes, 3))).toMatchInlineSnapshot(`
      "Suite "bot" cannot be fully checked: a scorer failed instead of scoring (it threw, or ran out of time).
        - scorer #2 (similar) failed in 1 of 3 cases (first, case "b": ConfigError: toBeSimilarTo option method must be one of rouge-l, bleu, dice, levenshtein, embedding, got "cosine".)
      Fix the scorer (its error is shown in full on the test of the first case named); its metric is left out for those cases, not counted as 0, and the other scorers' scores count as they are.

      Suite "bot" is below its threshold (3 cases scored):
        - exact: mean 0.667 < target 0.700; worst cases: c (0.000), a (1.000), b (1.000)
        - similar: mean 0.550 < target 0.700; worst cases: c (0.200), a (0.900)
      Improve the failing cases, or change threshold in describeEval("bot")."
    `)
  })

  test('a perMetric metric only the broken scorer gives is not called a likely typo', () => {
    // The scorer threw in every case, so no case has its metric: that is the scorer's error, not a misspelt name.
    const everyCase = [broken, { ...broken, caseId: 'd' }]
    const text = message(suiteGateVerdict('bot', { perMetric: { 'similarity:dice': { mean: 0.5 } } }, everyCase, 2))
    expect(text).toContain('  - similarity:dice: no case produced this metric (metrics seen: exact); a scorer threw (above): it may be its metric, else check threshold.perMetric')
  })

  test('a pass rate no case could be judged on is not said to be met', () => {
    // Every case had a scorer that threw: whether any case passes is unknown, whatever the other scores are.
    const failing = { ...broken, metrics: { exact: { score: 0, pass: false } } }
    const text = message(suiteGateVerdict('bot', { passRate: 0.9 }, [failing, { ...failing, caseId: 'd' }], 2))
    expect(text).not.toContain('meet the threshold')
    expect(text).toContain('The pass rate (passRate 0.9) cannot be checked until then: every case that ran had a scorer that threw.')
  })

  test('when no case was scored, says the scorer threw rather than that nothing was recorded', () => {
    const only = { ...broken, metrics: {} }
    expect(message(suiteGateVerdict('bot', { mean: 0.5 }, [only, { ...only, caseId: 'd' }], 2))).toMatchInlineSnapshot(`
      "Suite "bot" scored no case: 2 cases ran and none was scored, so its threshold cannot be checked.
        - scorer #2 (similar) failed in 2 of 2 cases (first, case "b": ConfigError: toBeSimilarTo option method must be one of rouge-l, bleu, dice, levenshtein, embedding, got "cosine".)
      Fix the scorer (its error is shown in full on the test of the first case named); its metric is left out for those cases, not counted as 0, and the other scorers' scores count as they are."
    `)
  })
})
