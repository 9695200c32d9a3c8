import { describe, expect, test } from 'vitest'
import { DEFAULT_PRICES } from '../../reporters/pricing.js'
import { finalRecords, summarizeRun, truncateText } from '../../reporters/summarize.js'
import { collected, record } from './fixtures.js'
import { outputHash } from '../../src/review/labels-file.js'
import { keepTrialOutput, MAX_TRIAL_OUTPUT_CHARS, type TrialOutputs } from '../../src/suites/trial-outputs.js'

const options = { pricing: DEFAULT_PRICES, maxTextChars: 20 }

describe('summarizeRun', () => {
  test('aggregates per suite and metric: mean of cases, pass rate, n', () => {
    const summary = summarizeRun(
      [
        collected('a', [record('rouge', 0.9, { caseId: 'a' }), record('schema', 1)]),
        collected('b', [record('rouge', 0.3, { caseId: 'b' })]),
        collected('c', [record('rouge', 0.6, { caseId: 'c' })]),
      ],
      options,
    )
    const rouge = summary.groups.find((group) => group.metric === 'rouge')
    expect(rouge).toMatchObject({ suite: 'bot.test.ts > bot', cases: 3, trials: 3, flaky: 0 })
    expect(rouge?.mean).toBeCloseTo(0.6, 10)
    expect(rouge?.passRate).toBeCloseTo(2 / 3, 10)
    expect(summary.totals).toMatchObject({ tests: 3, scores: 4, failedScores: 1 })
    expect(summary.cases?.map((score) => score.caseId)).toEqual(['a', undefined, 'b', 'c'])
  })

  test("each suite metric keeps its mean's 95% interval: Wilson for pass/fail scores, t for the rest", () => {
    const summary = summarizeRun(
      [
        collected('a', [record('rouge', 0.7, { caseId: 'a' }), record('exact', 1)]),
        collected('b', [record('rouge', 0.8, { caseId: 'b' }), record('exact', 0)]),
        collected('c', [record('rouge', 0.9, { caseId: 'c' }), record('exact', 1)]),
      ],
      options,
    )
    // t(0.975, 2) = 4.3027 × 0.1 / √3: 0.8 ± 0.2484, clamped at 1. Wilson 2 of 3: 0.2077–0.9385.
    expect(summary.groups.find((group) => group.metric === 'rouge')?.interval).toEqual({ low: 0.5516, high: 1 })
    expect(summary.groups.find((group) => group.metric === 'exact')?.interval).toEqual({ low: 0.2077, high: 0.9385 })
  })

  test('only the final retry of each repeat counts', () => {
    const evals = [record('rouge', 0.1, { attempt: { retry: 0, repeat: 0 } }), record('rouge', 0.9, { attempt: { retry: 1, repeat: 0 } })]
    expect(finalRecords(evals).map((each) => each.score)).toEqual([0.9])
    const summary = summarizeRun([collected('a', evals, { flaky: true })], options)
    expect(summary.cases?.[0]).toMatchObject({ score: 0.9, trials: 1, pass: true, flaky: true })
    expect(summary.totals.scores).toBe(1)
  })

  test('repeats count per trial: mean, min, variance, passing trials, flaky', () => {
    const evals = [0.2, 0.8, 1].map((score, repeat) => record('rouge', score, { attempt: { retry: 0, repeat } }))
    const summary = summarizeRun([collected('a', evals)], options)
    const [score] = summary.cases ?? []
    expect(score).toMatchObject({ trials: 3, passes: 2, min: 0.2, pass: false, flaky: true })
    expect(score?.score).toBeCloseTo(2 / 3, 10)
    expect(score?.variance).toBeCloseTo(((0.2 - 2 / 3) ** 2 + (0.8 - 2 / 3) ** 2 + (1 - 2 / 3) ** 2) / 3, 10)
    expect(summary.groups[0]).toMatchObject({ trials: 3, flaky: 1 })
    expect(summary.groups[0]?.passRate).toBeCloseTo(2 / 3, 10)
  })

  test('a case run several times keeps each trial: its own score, verdict, reasons and output (truncated), the last 10', () => {
    const texts = Array.from({ length: 12 }, (_, repeat) => `answer ${repeat} ${'x'.repeat(repeat === 11 ? 30 : 0)}`)
    const evals = texts.map((_, repeat) => record('rouge', repeat % 2 ? 0.2 : 0.9, { attempt: { retry: 0, repeat }, reason: `trial ${repeat + 1}` }))
    const trialOutputs = Object.fromEntries(texts.map((text, repeat) => [String(repeat), text]).slice(2))
    const [score] = summarizeRun([collected('a', evals, { meta: { evals, output: texts[11], trialOutputs } })], options).cases ?? []
    expect(score?.trials).toBe(12)
    expect(score?.trialResults?.map((trial) => [trial.trial, trial.score, trial.pass, trial.reason, trial.output])).toEqual(
      texts.slice(2).map((text, index) => [index + 3, index % 2 ? 0.2 : 0.9, index % 2 === 0, `trial ${index + 3}`, truncateText(text, 20)]),
    )
    // The hash is of the whole output, the one a label given on the old page (the last trial's output) carries.
    expect(score?.trialResults?.at(-1)?.outputHash).toBe(outputHash(texts[11] as string))
    expect(score?.trialResults?.at(-1)?.outputHash).toBe(score?.outputHash)
  })

  test('the trials\' texts are kept once per test, on its first metric; every metric keeps their hashes', () => {
    const evals = [0, 1].flatMap((repeat) => [record('rouge', 0.9, { attempt: { retry: 0, repeat } }), record('schema', 1, { attempt: { retry: 0, repeat } })])
    const [rouge, schema] = summarizeRun([collected('a', evals, { meta: { evals, output: 'two', trialOutputs: { 0: 'one', 1: 'two' } } })], options).cases ?? []
    expect(rouge?.trialResults?.map((trial) => [trial.output, trial.outputHash])).toEqual([['one', outputHash('one')], ['two', outputHash('two')]])
    expect(schema?.trialResults?.map((trial) => [trial.output, trial.outputHash])).toEqual([[undefined, outputHash('one')], [undefined, outputHash('two')]])
  })

  test('a trial output longer than a test keeps is hashed whole, as toMatchHumanLabel hashes it and the case output is', () => {
    const long = `${'y'.repeat(MAX_TRIAL_OUTPUT_CHARS)} and the end`
    const meta: { trialOutputs?: TrialOutputs } = {}
    keepTrialOutput(meta, 0, long)
    keepTrialOutput(meta, 1, 'short')
    const evals = [0, 1].map((repeat) => record('rouge', 0.9, { attempt: { retry: 0, repeat } }))
    const [score] = summarizeRun([collected('a', evals, { meta: { evals, output: 'short', ...meta } })], options).cases ?? []
    expect(score?.trialResults?.map((trial) => trial.outputHash)).toEqual([outputHash(long), outputHash('short')])
  })

  test('one trial keeps no per-trial results: the case is its trial', () => {
    const [score] = summarizeRun([collected('a', [record('rouge', 0.9)], { meta: { evals: [record('rouge', 0.9)], output: 'x' } })], options).cases ?? []
    expect(score?.trialResults).toBeUndefined()
  })

  test('keeps variants apart and carries output, reasoning, label and judge, truncated', () => {
    const judge = { provider: 'openai', model: 'gpt-4o-mini', promptVersion: 'factual@1' }
    const summary = summarizeRun(
      [
        collected('a [short]', [record('factual', 1, { reason: 'all claims supported', judge })], { meta: { evals: [record('factual', 1, { reason: 'all claims supported', judge })], variant: 'short', output: '<b>'.repeat(10), humanLabel: 'pass' } }),
        collected('a [long]', [], { meta: { evals: [record('factual', 0)], variant: 'long' } }),
      ],
      options,
    )
    expect(summary.groups.map((group) => [group.variant, group.mean])).toEqual([['short', 1], ['long', 0]])
    expect(summary.cases?.[0]).toMatchObject({ reason: 'all claims supported', humanLabel: 'pass', judge, output: `${'<b>'.repeat(6)}<b… (+10 chars)` })
  })

  test('carries the input and what the case expects, truncated like the output; a number as text, anything else left out', () => {
    const summary = summarizeRun(
      [
        collected('a', [], { meta: { evals: [record('exact', 1)], input: 'Capital of France?', expected: 'Paris, the capital since 987 AD' } }),
        collected('b', [], { meta: { evals: [record('exact', 1)], expected: 42 } }),
        collected('c', [], { meta: { evals: [record('exact', 1)], expected: { city: 'Paris' } } }),
      ],
      options,
    )
    expect(summary.cases?.map((score) => [score.input, score.expected])).toEqual([['Capital of France?', 'Paris, the capital s… (+11 chars)'], [undefined, '42'], [undefined, undefined]])
  })

  test('tokens split app/judge and replayed/live, cost from the price table, latency from the calls', () => {
    const calls = [
      { role: 'app' as const, source: 'replayed' as const, model: 'gpt-4o-mini-2024-07-18', inputTokens: 1000, outputTokens: 1000, latencyMs: 300 },
      { role: 'judge' as const, source: 'recorded' as const, model: 'my-model', inputTokens: 10, outputTokens: 0, latencyMs: 50 },
    ]
    const summary = summarizeRun([collected('a', [record('rouge', 1)], { meta: { evals: [record('rouge', 1)], cassette: { replayed: 1, recorded: 1, calls } } })], {
      ...options,
      pricing: { ...DEFAULT_PRICES, 'my-model': { input: 100, output: 0 } },
    })
    expect(summary.totals.tokens).toEqual({ app: { input: 1000, output: 1000 }, judge: { input: 10, output: 0 }, replayed: 2000, live: 10 })
    expect(summary.totals.costUsd).toBeCloseTo(0.00015 + 0.0006 + 0.001, 10)
    // The replayed call's latency is the recorded one: kept apart, so reports can say so.
    expect(summary.suites[0]).toMatchObject({ suite: 'bot.test.ts > bot', tests: 1, latencyMs: 350, replayedLatencyMs: 300 })
  })

  test('simulator tokens are their own split; a role this version does not know does not break the tally', () => {
    const calls = [
      { role: 'simulator' as const, source: 'replayed' as const, model: 'gpt-4o-mini', inputTokens: 40, outputTokens: 2 },
      { role: 'planner' as never, source: 'recorded' as const, inputTokens: 5, outputTokens: 5 },
    ]
    const summary = summarizeRun([collected('a', [record('rouge', 1)], { meta: { evals: [record('rouge', 1)], cassette: { replayed: 1, recorded: 1, calls } } })], options)
    expect(summary.totals.tokens).toMatchObject({ app: { input: 0, output: 0 }, simulator: { input: 40, output: 2 }, replayed: 42, live: 10 })
  })

  test('without call data, judge usage comes from the records (cost given wins over the table)', () => {
    const judge = { provider: 'openai', model: 'gpt-4o', promptVersion: '1' }
    const summary = summarizeRun([collected('a', [record('factual', 1, { judge, usage: { inputTokens: 100, outputTokens: 10 } }), record('rubric', 1, { judge, usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.5 } })])], options)
    expect(summary.totals.tokens.judge).toEqual({ input: 101, output: 11 })
    expect(summary.totals.costUsd).toBeCloseTo((100 * 2.5 + 10 * 10) / 1e6 + 0.5, 10)
  })

  test('tests without records or cassettes are left out', () => {
    expect(summarizeRun([collected('a', [])], options)).toMatchObject({ totals: { tests: 0 }, groups: [], cases: [] })
  })

  test('truncateText says how much was cut', () => {
    expect(truncateText('abcdef', 4)).toBe('abcd… (+2 chars)')
    expect(truncateText('abc', 4)).toBe('abc')
  })
})

describe('group means', () => {
  test('are the same to the last bit whatever order the tests finished in', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 997)
    const tests = scores.map((score, i) => collected(`case ${i}`, [record('m', score, { caseId: `c${i}` })]))
    const options = { pricing: {}, maxTextChars: 2000 }
    const forward = summarizeRun(tests, options).groups[0]?.mean
    const backward = summarizeRun([...tests].reverse(), options).groups[0]?.mean
    const shuffled = summarizeRun(tests.map((test, i) => [((i * 31) % 1000) + i / 1000, test] as const).sort((a, b) => a[0] - b[0]).map(([, test]) => test), options).groups[0]?.mean
    expect(backward).toBe(forward)
    expect(shuffled).toBe(forward)
  })
})
