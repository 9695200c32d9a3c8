import { describe, expect, test } from 'vitest'
import { closestName } from '../../../src/closest-name.js'
import { ConfigError } from '../../../src/errors/index.js'
import { checkSuiteOptions } from '../../../src/suites/suite-options.js'

const base = { data: [{ id: 'a' }], task: () => 'x' }
const problem = (options: Record<string, unknown>): string => {
  try {
    checkSuiteOptions(options, 'support bot', closestName)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('no ConfigError')
}

describe('checkSuiteOptions', () => {
  test('passes when every option is one describeEval reads', () => {
    const options = { ...base, scorers: [() => 1], threshold: { mean: 0.5 }, repeats: 2, k: 1, passOn: 'any-trial', caseFailures: 'fail', concurrency: 2, timeout: 1000, name: '$id', idField: 'id', confirmFailures: 1, input: String, expected: String }
    expect(() => checkSuiteOptions(options, 'support bot', closestName)).not.toThrow()
  })

  test('fails when an option is misspelt: it was ignored (no scorers, no gate)', () => {
    expect(problem({ ...base, scorer: [() => 1] })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") has an unknown option "scorer"; did you mean "scorers"? Options: data, task, scorers, threshold, repeats, k, passOn, caseFailures, concurrency, timeout, name, idField, confirmFailures, input, expected."`)
    expect(problem({ ...base, treshold: { mean: 0.8 }, repeat: 3 })).toContain('unknown options "treshold", "repeat"; did you mean "threshold" for "treshold", "repeats" for "repeat"?')
    expect(problem({ ...base, repeat: 2 })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") has an unknown option "repeat"; did you mean "repeats"? Options: data, task, scorers, threshold, repeats, k, passOn, caseFailures, concurrency, timeout, name, idField, confirmFailures, input, expected."`)
    expect(problem({ ...base, repeat: 2, colour: 'red' })).toContain('unknown options "repeat", "colour"; did you mean "repeats" for "repeat"? Options:')
    expect(problem({ ...base, model: 'gpt-4.1' })).toContain('has an unknown option "model". Options: data, task,')
  })

  test('fails when a value is not what the option takes', () => {
    expect(problem({ ...base, passOn: 'any' })).toMatchInlineSnapshot(`"[vitest-llm-evals] describeEval("support bot") option passOn must be 'every-trial' or 'any-trial', got "any"."`)
    expect(problem({ ...base, caseFailures: 'report' })).toContain("option caseFailures must be 'fail' or 'score', got \"report\".")
    expect(problem({ ...base, caseFailures: 'scores' })).toContain("got \"scores\"; did you mean 'score'?")
    expect(problem({ data: [] })).toContain('describeEval("support bot") option task must be a function, got undefined.')
    expect(problem({ task: () => 'x' })).toContain('describeEval("support bot") needs data: the rows')
    expect(problem({ ...base, scorers: () => 1 })).toContain('option scorers must be an array of functions, got [Function scorers]; put the scorer in an array: scorers: [scorer].')
    expect(problem({ ...base, scorers: [() => 1, { metric: 'x' }] })).toContain('option scorers[1] is {"metric":"x"}, not a function;')
    expect(problem({ ...base, name: 42 })).toContain('option name must be a non-empty string, got 42.')
  })
})
