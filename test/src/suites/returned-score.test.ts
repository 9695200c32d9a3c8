// What a describeEval scorer returns: a bare number is a score (of a metric named after the scorer), and a
// score that is not a number within 0..1, or a value that is no score, is a ConfigError naming scorer, case
// and value (it was shown as `null`, or ignored).
import { describe, expect, test, type RunnerTestSuite } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import type { ScoreRecord } from '../../../src/metrics/score-record.js'
import { describeEval } from '../../../src/suites/describe-eval.js'
import { runCase, type CaseRun, type Scorer } from '../../../src/suites/run-case.js'
import { scorerMetric } from '../../../src/suites/returned-score.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'

const run = (scorer: Scorer<{ id: string }, string>): CaseRun<{ id: string }, string> => ({
  suite: 'plain scores',
  task: () => 'x',
  scorers: [() => ({ metric: 'first', score: 1 }), scorer],
  repeats: 1,
  passOn: 'every-trial',
  caseFailures: 'score',
})

function brevity(output: string): number {
  return output.length < 20 ? 1 : 0.25
}

describeEval('bare numbers', {
  data: [{ id: 'short', text: 'ok' }, { id: 'long', text: 'a rather long answer indeed' }],
  task: (row) => row.text,
  scorers: [brevity, (output) => (output.includes('ok') ? 0.9 : 0.1)],
  threshold: { perMetric: { brevity: { mean: 0.6 }, 'scorer-2': { mean: 0.5 } } },
})

describe('a scorer that returns a bare number', () => {
  test('passes when the number is a score: its metric is the scorer function\'s name, else its place', ({ task }) => {
    const suite = task.file.tasks.find((each) => each.name === 'bare numbers') as RunnerTestSuite
    const records = suite.tasks.map((each) => ((each.meta as EvalTaskMeta).evals ?? []).map((record: ScoreRecord) => [record.metric, record.score, record.pass, record.threshold]))
    expect(records).toEqual([
      [['brevity', 1, true, 0.5], ['scorer-2', 0.9, true, 0.5]],
      [['brevity', 0.25, false, 0.5], ['scorer-2', 0.1, false, 0.5]],
      [],
    ])
    expect(suite.tasks.map((each) => each.result?.state)).toEqual(['pass', 'pass', 'pass'])
    expect(scorerMetric(brevity.bind(null), 0)).toBe('brevity')
  })

  test.for([
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [1.2, '1.2'],
    [-0.5, '-0.5'],
  ] as const)('fails when it is %s: a ConfigError naming scorer, case, metric and value', async ([score, shown], context) => {
    const failure = runCase(context, 'c1', { id: 'c1' }, run(() => score), new Map())
    await expect(failure).rejects.toThrow(ConfigError)
    await expect(failure).rejects.toThrow(`Scorer #2 of describeEval("plain scores") returned a score of ${shown} for case "c1" (metric "scorer-2"); a score is a number within 0..1.`)
  })
})

describe('a scorer that returns a score result', () => {
  test('fails when its score is NaN or a string, shown as it is (not as null)', async (context) => {
    await expect(runCase(context, 'c1', { id: 'c1' }, run(() => ({ metric: 'tone', score: Number.NaN })), new Map())).rejects.toThrow(
      'Scorer #2 of describeEval("plain scores") returned a score of NaN for case "c1" (metric "tone"); a score is a number within 0..1.',
    )
    await expect(runCase(context, 'c1', { id: 'c1' }, run(() => ({ metric: 'tone', score: '0.5' as unknown as number })), new Map())).rejects.toThrow('returned a score of "0.5" for case "c1" (metric "tone")')
  })

  test('passes without a metric name: autoevals\' { name, score, metadata } and vitest-evals\' { score, metadata } are scores', async (context) => {
    const recorded = async (value: unknown, scorer?: Scorer<{ id: string }, string>) => {
      const meta: EvalTaskMeta = {}
      const each = scorer ?? (() => value as never)
      await runCase(Object.assign(Object.create(context) as typeof context, { task: { ...context.task, meta } }), 'c1', { id: 'c1' }, { ...run(each), scorers: [each] }, new Map())
      return (meta.evals ?? []).map(({ metric, score, pass, threshold, reason, details }) => ({ metric, score, pass, threshold, reason, details }))
    }
    expect(await recorded({ name: 'Factuality', score: 0.6, metadata: { rationale: 'The answer adds a date.', choice: 'B' } })).toEqual([
      { metric: 'Factuality', score: 0.6, pass: true, threshold: 0.5, reason: 'The answer adds a date.', details: { rationale: 'The answer adds a date.', choice: 'B' } },
    ])
    function politeness(): { score: number; metadata: { rationale: string } } {
      return { score: 0.25, metadata: { rationale: 'curt' } }
    }
    expect(await recorded(undefined, politeness)).toEqual([{ metric: 'politeness', score: 0.25, pass: false, threshold: 0.5, reason: 'curt', details: { rationale: 'curt' } }])
    // `metric` wins over `name`; a result's own reason and details over metadata's.
    expect(await recorded({ metric: 'tone', name: 'Tone', score: 1, reason: 'mine', details: { by: 'me' }, metadata: { rationale: 'theirs' } })).toEqual([
      { metric: 'tone', score: 1, pass: true, threshold: 0.5, reason: 'mine', details: { by: 'me' } },
    ])
  })

  test('fails when its metric name is empty, saying how to name it', async (context) => {
    await expect(runCase(context, 'c1', { id: 'c1' }, run(() => ({ metric: '', score: 0.5 })), new Map())).rejects.toThrow(
      'Scorer #2 of describeEval("plain scores") returned {"score":0.5,"metric":""} for case "c1" without a metric name; return { metric: \'name\', score }, or the score alone (a number: its metric is named after the scorer function).',
    )
  })
})

describe('a scorer that returns something else', () => {
  test.for([[true, 'true'], ['0.7', '"0.7"']] as const)('fails when it returns %s: no score is silently dropped', async ([value, shown], context) => {
    const failure = runCase(context, 'c1', { id: 'c1' }, run(() => value as never), new Map())
    await expect(failure).rejects.toThrow(ConfigError)
    await expect(failure).rejects.toThrow(`Scorer #2 of describeEval("plain scores") returned ${shown} for case "c1"; a scorer returns a score (a number within 0..1, or { metric, score, pass? }), or calls a matcher on context.expect.`)
  })

  test('passes when it returns nothing, null, or an object that is not a score (an expect chain, an array)', async (context) => {
    for (const value of [undefined, null, [undefined, undefined], new Map()]) {
      const outcomes = new Map()
      await runCase(context, 'c1', { id: 'c1' }, run(() => value as never), outcomes)
      expect(outcomes.get('c1')).toMatchObject({ pass: true, metrics: { first: { score: 1 } } })
    }
  })
})
