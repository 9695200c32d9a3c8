import { expect, test, type RunnerTestSuite } from 'vitest'
import { describeEval } from '../../../src/suites/describe-eval.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'

// A case whose human label is still missing records `details.awaitingLabel` with score 0: it must not
// pull the suite mean below its threshold, nor enter trial statistics.
describeEval('awaiting labels', {
  data: [{ id: 'a' }, { id: 'b' }],
  task: async (row) => row.id,
  repeats: 2,
  threshold: { mean: 0.9 },
  scorers: [
    () => ({ metric: 'exact', score: 1 }),
    () => ({ metric: 'label:intent', score: 0, pass: true, details: { awaitingLabel: true, automated: 'refund' } }),
  ],
})

test('awaiting-label records stay on the test but out of statistics and the suite gate', ({ task }) => {
  const suite = task.file.tasks.find((child) => child.name === 'awaiting labels') as RunnerTestSuite
  const gate = suite.tasks.find((child) => child.name === 'suite threshold')
  expect(gate?.result?.state).toBe('pass')
  const first = suite.tasks.find((child) => child.type === 'test' && child.name !== 'suite threshold')
  const meta = first?.meta as EvalTaskMeta
  expect(meta.evals?.filter((record) => record.metric === 'label:intent')).toHaveLength(2)
  expect(Object.keys(meta.trials ?? {})).toEqual(['exact'])
})
