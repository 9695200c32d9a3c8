// evalEach cases under Vitest's repeats: with retry, each repeat's row shows the output of the try whose score was
// kept; with toMatchHumanLabel (not one of the output-keeping matchers), each repeat's row still has its output and hash.
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

test('toMatchHumanLabel under Vitest\'s repeats keeps each repeat\'s output, so a label given on a repeat\'s row has its hash', () => {
  const run = readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
  const rows = reviewRows(run, []).filter((row) => row.caseId === 'classify-1')
  expect(rows.map((row) => [row.trial, row.output, row.outputHash, row.awaitingLabel])).toEqual([
    [1, 'refund', outputHash('refund'), true],
    [2, 'billing', outputHash('billing'), true],
  ])
})
