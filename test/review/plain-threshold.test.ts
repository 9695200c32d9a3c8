// Review: a describeEval scorer's returned threshold is now recorded; one that is not a number within 0..1
// (NaN became null in the record, and the score annotation threw `Cannot read properties of null`) is a
// ConfigError naming the scorer, the case and the value, as an out-of-range score is.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../src/errors/index.js'
import { runCase, type CaseRun } from '../../src/suites/run-case.js'

const run = (threshold: unknown): CaseRun<{ id: string }, string> => ({
  suite: 'plain scores',
  task: () => 'x',
  scorers: [() => ({ metric: 'brevity', score: 0.9, threshold: threshold as number })],
  repeats: 1,
  passOn: 'every-trial',
  caseFailures: 'score',
})

describe('a returned score with an invalid threshold', () => {
  test.for([[Number.NaN, 'NaN'], ['0.5', '"0.5"'], [2, '2'], [-0.1, '-0.1']] as const)('%s is a ConfigError', async ([threshold, shown], context) => {
    const failure = runCase(context, 'c1', { id: 'c1' }, run(threshold), new Map())
    await expect(failure).rejects.toThrow(ConfigError)
    await expect(failure).rejects.toThrow(`Scorer #1 of describeEval("plain scores") returned a threshold of ${shown} for case "c1" (metric "brevity"); a threshold is a number within 0..1.`)
  })

  test('0 and 1 are thresholds', async (context) => {
    await expect(runCase(context, 'c1', { id: 'c1' }, run(0), new Map())).resolves.toBeUndefined()
    await expect(runCase(context, 'c1', { id: 'c1' }, run(1), new Map())).resolves.toBeUndefined()
  })
})
