// Vitest's retry × repeats on an evalEach case: each repeat's row shows the output of the try whose score was kept.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { outputHash } from '../../src/review/labels-file.js'
import { reviewRows } from '../../src/review/review-rows.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeAll(async () => {
  project = fixture('trial-retries')
  const result = await project.run([], cleanEnv())
  expect(result.code, result.output).toBe(0)
}, 120_000)
afterAll(() => project.remove())

test('a retried repeat keeps the output its kept score judged, not the failed try\'s', () => {
  const run = readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
  const rows = reviewRows(run, []).filter((row) => row.caseId === 'retried')
  expect(rows.map((row) => [row.trial, row.pass, row.output, row.outputHash])).toEqual([
    [1, true, 'Refunds take 5 days.', outputHash('Refunds take 5 days.')],
    [2, true, 'Refunds take 5 days.', outputHash('Refunds take 5 days.')],
  ])
})
