import { describe, expect, test } from 'vitest'
import { keepTrialOutput, MAX_KEPT_TRIALS, MAX_TRIAL_OUTPUT_CHARS, runsTrials, type TrialOutputs } from '../../../src/suites/trial-outputs.js'

describe('keepTrialOutput', () => {
  test('keeps each trial output by repeat; a retry of a trial replaces it', () => {
    const meta: { trialOutputs?: TrialOutputs } = {}
    keepTrialOutput(meta, 0, 'first')
    keepTrialOutput(meta, 1, 'second')
    keepTrialOutput(meta, 1, 'second, retried')
    expect(meta.trialOutputs).toEqual({ 0: 'first', 1: 'second, retried' })
  })

  test(`keeps the last ${MAX_KEPT_TRIALS} trials, each cut at ${MAX_TRIAL_OUTPUT_CHARS} characters`, () => {
    const meta: { trialOutputs?: TrialOutputs } = {}
    for (let repeat = 0; repeat < 25; repeat++) keepTrialOutput(meta, repeat, `trial ${repeat}`)
    expect(Object.keys(meta.trialOutputs ?? {}).map(Number)).toEqual(Array.from({ length: MAX_KEPT_TRIALS }, (_, index) => 25 - MAX_KEPT_TRIALS + index))
    keepTrialOutput(meta, 30, 'y'.repeat(MAX_TRIAL_OUTPUT_CHARS + 5))
    expect(meta.trialOutputs?.['30']).toHaveLength(MAX_TRIAL_OUTPUT_CHARS)
  })
})

describe('runsTrials', () => {
  test('is true with describeEval repeats or Vitest repeats only', () => {
    expect(runsTrials({}, 1)).toBe(false)
    expect(runsTrials({ repeats: 0 }, 1)).toBe(false)
    expect(runsTrials({}, 3)).toBe(true)
    expect(runsTrials({ repeats: 2 })).toBe(true)
  })
})
