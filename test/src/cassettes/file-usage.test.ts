import { describe, expect, test } from 'vitest'
import { testOutcomes } from '../../../src/cassettes/file-usage.js'

interface Node {
  type: string
  name: string
  mode?: string
  tasks?: Node[]
  result?: { state?: string; errors?: unknown[] }
}

const test_ = (name: string, state?: string, mode?: string): Node => ({ type: 'test', name, ...(mode ? { mode } : {}), ...(state ? { result: { state } } : {}) })
const suite = (name: string, tasks: Node[], result?: Node['result']): Node => ({ type: 'suite', name, tasks, ...(result ? { result } : {}) })
const outcomes = (file: Node) => testOutcomes(file, (node) => node.name)

describe('testOutcomes', () => {
  test('a suite failed by one of its tests is not reported as a failed hook', () => {
    // What describeEval leaves when only its "suite threshold" test fails: Vitest marks the suite failed too.
    const file = suite('file', [suite('answers', [test_('case 1', 'pass'), test_('suite threshold', 'fail')], { state: 'fail' })])
    expect(outcomes(file)).toEqual({ notRun: [], failed: ['suite threshold'] })
  })

  test("a suite whose own hook threw is reported, with the tests it kept from running", () => {
    const file = suite('file', [suite('cleanup', [test_('works', 'pass'), test_('later')], { state: 'fail', errors: [new Error('afterAll threw')] })])
    expect(outcomes(file)).toEqual({ notRun: ['later'], failed: ['cleanup (a hook of the suite failed)'] })
  })

  test('todo tests count as neither; skipped ones did not run', () => {
    const file = suite('file', [test_('todo', undefined, 'todo'), test_('skipped', 'skip', 'skip'), test_('failed', 'fail')])
    expect(outcomes(file)).toEqual({ notRun: ['skipped'], failed: ['failed'] })
  })
})
