// evalEach's rows must be an array: anything else (undefined, a promise not awaited, a path, an object) is a
// ConfigError at the evalEach call, naming what it got and what to pass, not an error of the returned function.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { evalEach } from '../../../src/suites/eval-each.js'

const misuse = (rows: unknown): Error => {
  try {
    evalEach(rows as never)
  } catch (error) {
    return error as Error
  }
  throw new Error('evalEach accepted it')
}

describe('evalEach rows', () => {
  test.for([
    ['undefined', undefined, 'got undefined'],
    ['null', null, 'got null'],
    ['an object', { rows: [] }, 'got an object'],
    ['a string', 'evals/cases.jsonl', 'got a string ("evals/cases.jsonl"); to read a dataset file, pass await loadDataset(path, schema)'],
    ['a promise', Promise.resolve([]), 'got a Promise: await it first'],
    ['a Set', new Set([{ id: 'a' }]), 'got a Set, not an array: pass [...rows]'],
    ['a generator', (function* rows() { yield { id: 'a' } })(), 'got a Generator, not an array: pass [...rows]'],
    ['an array-like', { length: 0 }, 'got an object'],
  ] as const)('fails at the evalEach call when they are %s', ([, rows, said]) => {
    const error = misuse(rows)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toMatch(/^\[vitest-llm-evals\] evalEach\(rows\) needs an array of rows/)
    expect(error.message).toContain(said)
    // The stack starts at the caller's line, not in the library.
    expect(error.stack?.split('\n')[1]).toContain('eval-each-rows.test.ts')
  })

  test('passes when they are an array, even an empty one', () => {
    expect(() => evalEach([])).not.toThrow()
  })
})
