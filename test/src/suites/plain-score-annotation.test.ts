// A scorer that returns a plain score is judged against a threshold (0.5 unless it gives one, or its own
// `pass`): its record carries that threshold, so its annotation shows it as a matcher's does.
import { describe, expect, test, type RunnerTestSuite } from 'vitest'
import { scoreAnnotations } from '../../../reporters/score-annotations.js'
import { describeEval } from '../../../src/suites/describe-eval.js'
import type { EvalTaskMeta } from '../../../src/suites/task-meta.js'

describeEval('plain scores', {
  data: [{ id: 'long' }],
  task: () => 'a long answer',
  scorers: [
    (output) => ({ metric: 'brevity', score: output.length < 5 ? 1 : 0 }),
    () => ({ metric: 'length', score: 1, threshold: 0.9 }),
    () => ({ metric: 'tone', score: 0.2, pass: true }),
    () => ({ metric: 'format', score: 0.7, pass: false, threshold: 0.8 }),
  ],
  // Scored only (a failing case does not fail its test): the brevity of 0 must not fail this file.
  threshold: { mean: 0 },
})

describe('what the suite left behind', () => {
  test('each returned score records the threshold it was judged by, and its annotation shows it', ({ task }) => {
    const suite = task.file.tasks.find((each) => each.name === 'plain scores') as RunnerTestSuite
    const records = (suite.tasks[0]?.meta as EvalTaskMeta).evals ?? []
    expect(records.map((record) => [record.metric, record.pass, record.threshold])).toEqual([
      ['brevity', false, 0.5],
      ['length', true, 0.9],
      // Its own verdict: no threshold was used.
      ['tone', true, undefined],
      ['format', false, 0.8],
    ])
    expect(scoreAnnotations(records, task.file.filepath, []).map((annotation) => annotation.message)).toEqual(['brevity 0 ✗ (needs ≥ 0.5)', 'length 1 ✓ (≥ 0.9)', 'tone 0.2 ✓', 'format 0.7 ✗ (needs ≥ 0.8)'])
  })
})
