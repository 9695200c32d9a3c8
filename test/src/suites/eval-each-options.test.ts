// evalEach passes the options it does not read to Vitest, which ignores a key it does not know: a misspelt
// idField gave content-hash ids silently, and a field name as `expected` failed every case with a TypeError.
import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../../src/errors/index.js'
import { evalEach } from '../../../src/suites/eval-each.js'

const rows = [{ key: 'a', answer: 'yes' }]

describe('evalEach options', () => {
  test('fails when one of its own options is misspelt', () => {
    expect(() => evalEach(rows, { idfield: 'key' } as never)).toThrow(ConfigError)
    expect(() => evalEach(rows, { id_field: 'key' } as never)).toThrow('[vitest-llm-evals] evalEach option "id_field" is not one it knows; did you mean "idField"? Its options are idField and expected, besides Vitest\'s test options.')
    expect(() => evalEach(rows, { Expected: () => 'x' } as never)).toThrow('evalEach option "Expected" is not one it knows; did you mean "expected"?')
  })

  test('fails when idField or expected is not what it takes', () => {
    expect(() => evalEach(rows, { idField: '' })).toThrow('evalEach option idField must be a field name (a non-empty string), got "".')
    expect(() => evalEach(rows, { expected: 'answer' } as never)).toThrow('evalEach option expected must be a function of the row, such as (row) => row.answer, got "answer".')
  })

  test('passes when the options are its own and Vitest\'s', () => {
    expect(() => evalEach(rows, { idField: 'key', expected: (row) => row.answer, timeout: 1000, retry: 1, concurrent: true })).not.toThrow()
  })
})
