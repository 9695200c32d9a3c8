// evalEach and describeEval register one plain `test` per case instead of `test.for(cases)('%s', …)` (Vitest's
// name formatting cost ~5 µs a case, issue 17). The tests must be the ones test.for registered: same names
// (including '%', '$' and quotes in them), flags, options and context. The same check runs under Vitest 4.1
// in the peers benchmark's project (see the commit that made the change).
import { describe, expect, test, type RunnerTestCase, type RunnerTestSuite } from 'vitest'
import { evalEach } from '../../../src/suites/eval-each.js'
import { toEvalCases } from '../../../src/suites/cases.js'

const rows = [
  { id: 'a', question: '100% sure: %s %d %% %# $id' },
  { id: 'b', question: 'with "quotes" and `ticks` and \\ backslash' },
  { id: 'c', question: 'the same' },
  { id: 'd', question: 'the same' },
  { id: 7, question: '' },
]
const template = 'case $id: $question'
const options = { retry: 2, timeout: 1234, tags: undefined }
const contexts = new Map<string, Record<string, unknown>>()
const noted = (group: string, context: { task: { name: string } }) => {
  contexts.set(`${group} ${context.task.name}`, { keys: Object.keys(context).sort(), type: typeof context, caseId: (context as { caseId?: unknown }).caseId })
}

describe('registered by test.for', () => {
  const cases = toEvalCases(rows, template)
  test.for(cases.map((each) => [each.name, each] as const))('%s', { retry: 2, timeout: 1234 }, ([, each], context) => {
    Object.assign(context, { caseId: each.id })
    noted('for', context)
  })
})

describe('registered by evalEach', () => {
  evalEach(rows, { retry: 2 })(template, (_row, context) => noted('each', context), options.timeout)
})

const suiteNamed = (file: RunnerTestSuite, name: string) => file.tasks.find((each) => each.name === name) as RunnerTestSuite
/** What a registered test is, apart from its identity and its run. */
function shape(task: RunnerTestCase): Record<string, unknown> {
  const skip = new Set(['id', 'fullName', 'fullTestName', 'suite', 'file', 'result', 'meta', 'location', 'context', 'annotations', 'artifacts', 'timeout'])
  const fields = Object.entries(task).filter(([key]) => !skip.has(key))
  return { keys: Object.keys(task).sort(), ...Object.fromEntries(fields.map(([key, value]) => [key, typeof value === 'function' ? 'function' : value])), timeout: task.timeout, fnLength: typeof (task as { fn?: unknown }).fn }
}

test('evalEach registers the tests test.for did: names, flags, options and context', ({ task }) => {
  const byFor = suiteNamed(task.file, 'registered by test.for').tasks as RunnerTestCase[]
  const byEach = suiteNamed(task.file, 'registered by evalEach').tasks as RunnerTestCase[]
  expect(byEach.map((each) => each.name)).toEqual(byFor.map((each) => each.name))
  expect(byEach.map((each) => each.name)).toContain('case a: 100% sure: %s %d %% %# $id')
  expect(byEach.map(shape)).toEqual(byFor.map(shape))
  for (const each of byFor) expect(contexts.get(`each ${each.name}`)).toEqual(contexts.get(`for ${each.name}`))
  expect(contexts.size).toBe(rows.length * 2)
})
