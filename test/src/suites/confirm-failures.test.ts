import { afterAll, beforeAll, describe, expect, test, type RunnerTestSuite } from 'vitest'
import { scoreAnnotations } from '../../../reporters/score-annotations.js'
import type { ScoreRecord } from '../../../src/metrics/score-record.js'
import { confirmFailure, confirmFailuresOption } from '../../../src/suites/confirm-failures.js'
import { describeEval } from '../../../src/suites/describe-eval.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'
import { registerMatchers } from '../../matchers/support.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { enqueueVerdict, scriptedJudge } from '../judge/scripted-judges.js'

// The suite below runs for real; the tests after it read what it left on its tasks.
registerMatchers()
let server: ModelServer
const reference = 'Refunds are paid within 5 working days.'
const verdict = (category: 'subset' | 'contradicts') => enqueueVerdict(server, 'openai', 'factuality_verdict', { reasoning: `It is ${category}.`, category })
beforeAll(async () => {
  server = await startModelServer()
  // Cases run in order, so the judge's replies line up with them: a judge that flips.
  for (const category of ['contradicts', 'subset', 'subset'] as const) verdict(category) // rescued: fail, pass, pass
  for (const category of ['contradicts', 'contradicts'] as const) verdict(category) // confirmed: fail, fail (majority certain)
  verdict('subset') // clean: passes first time
  verdict('subset') // plain: the judge passes, a plain score fails and is not re-run
})
afterAll(() => server.close())

const rows = [{ id: 'rescued' }, { id: 'confirmed' }, { id: 'clean' }, { id: 'plain' }]
let plainRuns = 0

describeEval('confirm failures', {
  data: rows,
  task: () => 'Refunds take 5 working days.',
  scorers: [
    (output, { expect }) => expect(output).toBeFactual({ reference, judge: scriptedJudge(server, 'openai') }),
    (_output, { row }) => {
      if (row.id === 'plain') plainRuns += 1
      return { metric: 'exact', score: row.id === 'plain' ? 0 : 1 }
    },
  ],
  caseFailures: 'score',
  confirmFailures: 2,
})

function suiteNamed(file: RunnerTestSuite, name: string): RunnerTestSuite {
  const found = file.tasks.find((task) => task.name === name)
  if (found?.type !== 'suite') throw new Error(`no suite ${name}`)
  return found
}

describe('confirmFailures', () => {
  test('a failed judge verdict is asked again and the majority kept; the record says how many confirmations ran', ({ task }) => {
    const cases = suiteNamed(task.file, 'confirm failures').tasks.map((each) => each.meta as EvalTaskMeta)
    const factuality = cases.map((meta) => (meta.evals ?? []).filter((record: ScoreRecord) => record.metric === 'factuality'))
    // One record per case: the kept run's, never the discarded ones.
    expect(factuality.map((records) => records.length)).toEqual([1, 1, 1, 1])
    expect(factuality.map(([record]) => [record?.pass, (record?.details as { confirmations?: unknown }).confirmations])).toEqual([
      [true, { runs: 2, verdicts: [false, true, true] }],
      [false, { runs: 1, verdicts: [false, false] }],
      [true, undefined],
      [true, undefined],
    ])
    expect(server.requests).toHaveLength(7)
    expect(cases.map((meta) => meta.trials)).toEqual([undefined, undefined, undefined, undefined])
  })

  test("the test's annotations (made by the reporter from its records) show only the kept verdict, never a discarded one", ({ task }) => {
    const cases = suiteNamed(task.file, 'confirm failures').tasks
    const annotationsOf = (each: (typeof cases)[number]) => scoreAnnotations((each.meta as EvalTaskMeta).evals ?? [], task.file.filepath, [])
    const factuality = cases.map((each) => annotationsOf(each).filter((annotation) => annotation.message.startsWith('factuality')).map((annotation) => annotation.message.split(' — ')[0]))
    expect(factuality).toEqual([['factuality 0.4 ✓ · verdict asked 3×, 2 passed'], ['factuality 0 ✗ · verdict asked 2×, 0 passed'], ['factuality 0.4 ✓'], ['factuality 0.4 ✓']])
  })

  test('only judged scorers are asked again: a failing plain score runs once', ({ task }) => {
    const plain = suiteNamed(task.file, 'confirm failures').tasks[3]?.meta as EvalTaskMeta
    expect(plainRuns).toBe(1)
    expect(plain.evals?.filter((record) => record.metric === 'exact').map((record) => [record.pass, record.details])).toEqual([[false, undefined]])
  })

  test('the option must be a positive whole number', () => {
    expect(confirmFailuresOption(undefined, 'bot')).toBe(0)
    expect(confirmFailuresOption(2, 'bot')).toBe(2)
    for (const bad of [0, -1, 1.5, '2']) {
      expect(() => confirmFailuresOption(bad, 'bot')).toThrow(`[vitest-llm-evals] describeEval("bot") option confirmFailures must be a whole number >= 1 (how many more times to ask the judge when its verdict fails), got ${JSON.stringify(bad)}. Leave it out to keep the first verdict.`)
    }
  })

  test('a failure stands only when more than half the verdicts fail: a tie passes; a verdict that passes first is never asked again', async () => {
    const judged = (pass: boolean) => ({ records: [{ metric: 'm', score: pass ? 1 : 0, pass, attempt: { retry: 0, repeat: 0 }, judge: { provider: 'openai', model: 'x', promptVersion: 'v' } }], pass })
    const tie = await confirmFailure(judged(false), 1, async () => judged(true))
    expect(tie).toMatchObject({ pass: true, records: [{ details: { confirmations: { runs: 1, verdicts: [false, true] } } }] })
    expect(await confirmFailure(judged(false), 1, async () => judged(false))).toMatchObject({ pass: false, records: [{ details: { confirmations: { runs: 1, verdicts: [false, false] } } }] })
    // Four verdicts: fail, pass, fail, fail (three of four fail).
    const replies = [false, true, false, false]
    let at = 1
    const next = async () => judged(replies[at++] as boolean)
    expect(await confirmFailure(judged(false), 3, next)).toMatchObject({ pass: false, records: [{ details: { confirmations: { runs: 3, verdicts: [false, true, false, false] } } }] })
    let reruns = 0
    await confirmFailure(judged(true), 3, async () => (reruns++, judged(false)))
    expect(reruns).toBe(0)
  })
})
