import { describe, expect, test } from 'vitest'
import { closestName } from '../../../src/closest-name.js'
import { ConfigError } from '../../../src/errors/index.js'
import { suiteThresholdOption } from '../../../src/suites/suite-threshold.js'

const problem = (threshold: unknown): string => {
  try {
    suiteThresholdOption(threshold, 'support bot', closestName)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('no ConfigError')
}

describe('suiteThresholdOption', () => {
  test('passes when every key is a target within 0..1, per metric too', () => {
    const threshold = { mean: 0, passRate: 1, perMetric: { 'similarity:rouge-l': { mean: 0.7 }, brevity: { passRate: 0.9, mean: 0.5 } } }
    expect(suiteThresholdOption(threshold, 'support bot')).toEqual(threshold)
    expect(suiteThresholdOption(undefined, 'support bot')).toBeUndefined()
  })

  test('fails when a key is misspelt, naming the suite, the likely key and the valid ones', () => {
    expect(problem({ men: 0.8 })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold has an unknown key "men"; did you mean "mean"? Valid keys: mean, passRate, perMetric."`)
    expect(problem({ passrate: 0.8 })).toContain('unknown key "passrate"; did you mean "passRate"?')
    expect(problem({ permetric: { brevity: { mean: 1 } } })).toContain('unknown key "permetric"; did you mean "perMetric"?')
    expect(problem({ perMetric: { brevity: { meen: 0.9 } } })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold.perMetric["brevity"] has an unknown key "meen"; did you mean "mean"? Valid keys: mean, passRate."`)
  })

  test('fails when a metric is put at the top level, saying it goes under perMetric', () => {
    expect(problem({ 'similarity:rouge-l': { mean: 0.7 } })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold has an unknown key "similarity:rouge-l". Valid keys: mean, passRate, perMetric. Targets for one metric go under perMetric: { perMetric: { "similarity:rouge-l": { mean: 0.8 } } }."`)
    expect(problem({ brevity: 0.9 })).toContain('{ perMetric: { "brevity": { mean: 0.9 } } }')
  })

  test('fails when a target is not a number within 0..1, worded as a scorer\'s threshold is', () => {
    expect(problem({ mean: 80 })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold.mean is 80; a threshold is a number within 0..1 (80% is 0.8)."`)
    expect(problem({ passRate: '0.9' })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold.passRate is "0.9"; a threshold is a number within 0..1."`)
    expect(problem({ mean: Number.NaN })).toContain('threshold.mean is NaN;')
    expect(problem({ mean: -0.1 })).toContain('threshold.mean is -0.1;')
    expect(problem({ perMetric: { brevity: { passRate: 1.5 } } })).toContain('option threshold.perMetric["brevity"].passRate is 1.5; a threshold is a number within 0..1.')
  })

  test('fails when the threshold, perMetric or a metric\'s targets are not objects of targets', () => {
    expect(problem(0.8)).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold must be an object of targets such as { mean: 0.8, passRate: 0.9 }, got 0.8; did you mean { mean: 0.8 }?"`)
    expect(problem({ perMetric: ['brevity'] })).toContain('option threshold.perMetric must map metric names to targets, such as { "similarity:rouge-l": { mean: 0.7 } }, got ["brevity"].')
    expect(problem({ perMetric: { brevity: 0.9 } })).toContain('option threshold.perMetric["brevity"] must be targets { mean?, passRate? }, got 0.9; did you mean { mean: 0.9 }?')
  })

  test('fails when it sets no target at all: the suite would pass with nothing checked', () => {
    expect(problem({})).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option threshold sets no target: give it mean, passRate or perMetric, or leave threshold out (the cases then fail on their own)."`)
    expect(problem({ perMetric: {} })).toContain('option threshold sets no target')
    expect(problem({ perMetric: { brevity: {} } })).toContain('option threshold.perMetric["brevity"] sets no target: give it mean or passRate (numbers within 0..1), or remove it.')
  })
})

describe('metric names that are Object.prototype\'s', () => {
  test('a perMetric target named __proto__ or constructor (JSON.parse makes such keys) is kept and checked, not dropped', () => {
    const threshold = suiteThresholdOption(JSON.parse('{"perMetric":{"__proto__":{"mean":0.95},"constructor":{"passRate":1}}}'), 'support bot')
    expect(Object.keys(threshold?.perMetric ?? {})).toEqual(['__proto__', 'constructor'])
    expect(Object.getPrototypeOf(threshold?.perMetric)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(threshold?.perMetric, '__proto__')?.value).toEqual({ mean: 0.95 })
  })
})

