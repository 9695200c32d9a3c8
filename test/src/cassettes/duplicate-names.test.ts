import { describe, expect, test } from 'vitest'
import { duplicateNameWarning, duplicatePositions, storedDuplicateName } from '../../../src/cassettes/duplicate-names.js'

type Task = { type: string; name: string; tasks?: Task[] }
const it = (name: string): Task => ({ type: 'test', name })
const suite = (name: string, tasks: Task[]): Task => ({ type: 'suite', name, tasks })

describe('duplicatePositions', () => {
  test('each later test of a name gets its place, in declaration order and through suites; other names none', () => {
    const second = it('answers')
    const third = it('answers')
    const file = suite('', [it('answers'), it('other'), suite('bot', [it('answers')]), second, third])
    // Named by `nameOf` (here the bare name): the one inside "bot" is the second "answers".
    const positions = duplicatePositions(file, (task) => task.name)
    expect([...positions.values()]).toEqual([2, 3, 4])
    expect(positions.get(second)).toBe(3)
  })
})

describe('storedDuplicateName', () => {
  test('the first test keeps its name; a later one is stored with its place', () => {
    expect(storedDuplicateName('answers')).toBe('answers')
    expect(storedDuplicateName('answers', 2)).toBe('answers (duplicate name, test 2)')
  })
})

describe('duplicateNameWarning', () => {
  test('hides a live key in the name', () => {
    const warning = duplicateNameWarning('uses live-9f8e7d6c5b4a3f2e1d0c', '/repo/dup.test.ts', '/repo', [{ name: 'OPENAI_API_KEY', value: 'live-9f8e7d6c5b4a3f2e1d0c' }])
    expect(warning).toContain('"uses [REDACTED OPENAI_API_KEY]"')
    expect(warning).not.toContain('9f8e7d6c')
  })

  test('names that differ only in what a redact rule hides: says so, and what to do', () => {
    const warning = duplicateNameWarning('refund for [REDACTED]', '/repo/dup.test.ts', '/repo', [], 2, true)
    expect(warning).toContain('are stored under one name, "refund for [REDACTED]" (a `cassettes.redact` rule hides what tells their names apart)')
    expect(warning).toContain('Give each test a name the rule leaves apart, then record the file again.')
  })

  test('names the test and the file, says how they are stored and what to do', () => {
    expect(duplicateNameWarning('bot > answers', '/repo/test/dup.test.ts', '/repo')).toMatchInlineSnapshot(
      `"[vitest-llm-evals] Two tests in test/dup.test.ts are named "bot > answers": their recordings are kept apart (the second's under "bot > answers (duplicate name, test 2)" in the cassette), and each replays its own as long as the tests keep their order. Give each test a name of its own, then record the file again."`,
    )
  })
})

describe('duplicatePositions, a name that is already a stored duplicate name', () => {
  test('a later test of a name skips the place whose stored name another test has as its own', () => {
    const second = it('answers')
    const file = suite('', [it('answers'), it('answers (duplicate name, test 2)'), second])
    const positions = duplicatePositions(file, (task) => task.name)
    expect(positions.get(second)).toBe(3)
    const stored = file.tasks?.map((task) => storedDuplicateName(task.name, positions.get(task)))
    expect(new Set(stored).size).toBe(3)
  })

  test('places stay distinct when both a name and its stored duplicate name repeat', () => {
    const tests = [it('a'), it('a (duplicate name, test 2)'), it('a'), it('a (duplicate name, test 2)'), it('a')]
    const positions = duplicatePositions(suite('', tests), (task) => task.name)
    const stored = tests.map((task) => storedDuplicateName(task.name, positions.get(task)))
    expect(new Set(stored).size).toBe(tests.length)
  })
})
