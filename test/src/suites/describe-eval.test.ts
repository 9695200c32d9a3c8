import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, test, type RunnerTestSuite } from 'vitest'
import type { ScoreRecord } from '../../../src/metrics/score-record.js'
import { describeEval, type DescribeEvalOptions } from '../../../src/suites/describe-eval.js'
import { evalEach } from '../../../src/suites/eval-each.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'
import { registerMatchers } from '../../matchers/support.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'

// The suites below run for real in this file; the tests after them read what they left on their tasks.
registerMatchers()
let server: ModelServer
let client: OpenAI
beforeAll(async () => {
  server = await startModelServer()
  client = new OpenAI({ apiKey: 'test', baseURL: server.openaiBaseURL, maxRetries: 0 })
  // Cases run in order with concurrency 1, so the scripted replies line up with (case, trial):
  // "steady" always answers right, "flaky" is wrong on its second trial, "wrong" never answers right.
  for (const content of ['Paris', 'Paris', 'Paris', 'Rome', 'Oslo', 'Rome', 'Lima', 'Lima', 'Lima']) server.enqueue({ content })
})
afterAll(() => server.close())

const rows = [
  { id: 'steady', question: 'Capital of France?', expected: 'Paris' },
  { id: 'flaky', question: 'Capital of Italy?', expected: 'Rome' },
  { id: 'wrong', question: 'Capital of Norway?', expected: 'Bern' },
]
const signals: AbortSignal[] = []

describeEval('capitals', {
  data: async () => rows,
  task: async (row, { signal }) => {
    signals.push(signal)
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: row.question }] }, { signal })
    return completion.choices[0]?.message.content ?? ''
  },
  scorers: [
    (output, { row }) => ({ metric: 'exact', score: output === row.expected ? 1 : 0 }),
    async (output, { row, expect }) => expect(output).toBeSimilarTo(row.expected, { method: 'levenshtein', threshold: 0.5 }),
  ],
  repeats: 3,
  caseFailures: 'score',
  threshold: { mean: 0.3 },
})

evalEach([{ id: 'one', text: 'a b c' }, { text: 'd e' }])('counts words in "$text"', async (row, { expect, caseId, task }) => {
  expect(caseId).toBe((task.meta as EvalTaskMeta).caseId)
  await expect(row.text).toBeSimilarTo(row.text)
})

// At most `concurrency` cases run at once, though Vitest would allow 5 concurrent tests.
let active = 0
let mostActive = 0
describeEval('limited', {
  data: Array.from({ length: 6 }, (_, index) => ({ id: `c${index}` })),
  task: async (row) => {
    active += 1
    mostActive = Math.max(mostActive, active)
    await new Promise((resolve) => setTimeout(resolve, 20))
    active -= 1
    return row.id
  },
  scorers: [(output) => ({ metric: 'ran', score: output.startsWith('c') ? 1 : 0 })],
  concurrency: 2,
})

describeEval.each([{ name: 'short', suffix: '' }, { name: 'long', suffix: ' indeed' }])('variants', {
  data: [{ id: 'v1', expected: 'yes' }],
  task: (row, { variant }) => `${row.expected}${variant.suffix}`,
  scorers: [(output, { row }) => ({ metric: 'exact', score: output === row.expected ? 1 : 0 })],
  threshold: { mean: 0 },
})

// The context's `expect` is the test's, made on first read; a spread copy keeps every field, `expect` included.
describeEval.each([{ name: 'spread', suffix: '!' }])('task context', {
  data: [{ id: 'x1' }],
  task: async (row, context) => {
    const copy = { ...context }
    await copy.expect(`${row.id}${copy.variant.suffix}`).toBeSimilarTo('x1!', { method: 'dice', threshold: 1 })
    return [copy.caseId, copy.trial, copy.signal instanceof AbortSignal, copy.variant.name].join(' ')
  },
  scorers: [
    async (output, context) => {
      await context.expect(output).toBeSimilarTo('x1 0 true spread', { method: 'dice', threshold: 1 })
      return { metric: 'fields', score: Object.keys({ ...context }).sort().join(',') === 'caseId,expect,row,signal,trial' ? 1 : 0, threshold: 1 }
    },
  ],
})

describeEval.each([{ name: 'lenient', target: 0 }])('variant factory', (variant): DescribeEvalOptions<{ id: string }, string> => ({
  data: [{ id: 'f1' }],
  task: (row) => row.id,
  scorers: [(output) => ({ metric: 'ran', score: output === 'f1' ? 1 : 0 })],
  threshold: { passRate: variant.target },
}))

describeEval('custom expected', {
  data: [{ id: 'x1', answer: { city: 'Paris' } }],
  task: (row) => row.answer.city,
  expected: (row) => `the city ${row.answer.city}`,
})

describe('evalEach expected', () => {
  evalEach([{ id: 'ref', reference: { city: 'Rome', aliases: ['Roma'] } }, { id: 'none', question: 'Hi?' }])('default $id', () => {})
  evalEach([{ id: 'own', answer: 7 }], { expected: (row) => `${row.answer} items` })('option $id', () => {})
})

function suiteNamed(file: RunnerTestSuite, name: string): RunnerTestSuite {
  const found = file.tasks.find((task) => task.name === name)
  if (found?.type !== 'suite') throw new Error(`no suite ${name}`)
  return found
}

describe('what the suites left behind', () => {
  test('one test per case, then the suite threshold test; every case scored 3 trials in order', ({ task }) => {
    const suite = suiteNamed(task.file, 'capitals')
    expect(suite.tasks.map((each) => [each.name, each.result?.state])).toEqual([['steady', 'pass'], ['flaky', 'pass'], ['wrong', 'pass'], ['suite threshold', 'pass']])
    expect(server.requests).toHaveLength(9)
    expect(signals).toHaveLength(9)
    const flaky = suite.tasks[1]?.meta as EvalTaskMeta
    expect(flaky.caseId).toBe('flaky')
    expect(flaky.input).toBe('Capital of Italy?')
    expect(flaky.output).toBe('Rome')
    expect(flaky.expected).toBe('Rome')
    const exact = (flaky.evals ?? []).filter((record: ScoreRecord) => record.metric === 'exact')
    expect(exact.map((record) => [record.score, record.attempt.repeat, record.caseId])).toEqual([[1, 0, 'flaky'], [0, 1, 'flaky'], [1, 2, 'flaky']])
  })

  test('trial statistics per metric: mean, min, variance, pass@k, pass^k and the flaky flag', ({ task }) => {
    const [steady, flaky, wrong] = suiteNamed(task.file, 'capitals').tasks.map((each) => (each.meta as EvalTaskMeta).trials)
    expect(steady?.exact).toMatchObject({ trials: 3, passes: 3, mean: 1, min: 1, variance: 0, passAtK: 1, passHatK: 1, flaky: false })
    expect(flaky?.exact).toMatchObject({ trials: 3, passes: 2, mean: 2 / 3, min: 0, variance: expect.closeTo(2 / 9, 12), k: 3, passAtK: 1, passHatK: 0, flaky: true })
    expect(wrong?.exact).toMatchObject({ passes: 0, mean: 0, passAtK: 0, flaky: false })
    // "Oslo" vs "Rome": the similarity matcher failed that trial too, so it is flaky as well.
    expect(flaky?.['similarity:levenshtein']).toMatchObject({ passes: 2, flaky: true })
  })

  test('concurrency limits how many cases run at once', ({ task }) => {
    expect(suiteNamed(task.file, 'limited').tasks.every((each) => each.result?.state === 'pass' && each.concurrent)).toBe(true)
    expect(mostActive).toBe(2)
  })

  test('variants: one nested block per variant, each case records its variant, each variant has its gate', ({ task }) => {
    const variants = suiteNamed(task.file, 'variants')
    expect(variants.tasks.map((each) => each.name)).toEqual(['short', 'long'])
    const [short, long] = variants.tasks.map((each) => (each.type === 'suite' ? each.tasks : []))
    expect(short?.map((each) => each.name)).toEqual(['v1', 'suite threshold'])
    expect((short?.[0]?.meta as EvalTaskMeta).variant).toBe('short')
    expect((long?.[0]?.meta as EvalTaskMeta).variant).toBe('long')
    expect((long?.[0]?.meta as EvalTaskMeta).evals?.map((record) => record.score)).toEqual([0])
    const factory = suiteNamed(task.file, 'variant factory').tasks[0]
    expect(factory?.type === 'suite' && factory.tasks.map((each) => [each.name, each.result?.state, (each.meta as EvalTaskMeta).variant])).toEqual([
      ['f1', 'pass', 'lenient'],
      ['suite threshold', 'pass', undefined],
    ])
    expect(() => describeEval.each([{ name: 'a' }, { name: 'a' }])).toThrow('describeEval.each needs variants with unique, non-empty names ("a" appears twice)')
  })

  test('evalEach names tests from row fields and sets the case id on records', ({ task }) => {
    const tests = task.file.tasks.filter((each) => each.name.startsWith('counts words'))
    expect(tests.map((each) => each.name)).toEqual(['counts words in "a b c"', 'counts words in "d e"'])
    expect(tests.map((each) => (each.meta as EvalTaskMeta).evals?.[0]?.caseId)).toEqual(['one', expect.stringMatching(/^[0-9a-f]{12}$/)])
  })

  test('expected, shown in reports: the option, else the row\'s expected or reference field (objects as JSON), else nothing', ({ task }) => {
    expect((suiteNamed(task.file, 'custom expected').tasks[0]?.meta as EvalTaskMeta).expected).toBe('the city Paris')
    const each = suiteNamed(task.file, 'evalEach expected').tasks.map((test) => [test.name, (test.meta as EvalTaskMeta).expected])
    expect(each).toEqual([
      ['default ref', '{"city":"Rome","aliases":["Roma"]}'],
      ['default none', undefined],
      ['option own', '7 items'],
    ])
  })
})
