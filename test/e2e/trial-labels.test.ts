// Human labels × repeats end to end: a describeEval case run 3 times, trials that differ, each trial a review row
// with its own output and verdict, a label saved on one trial (as the review page saves it) compared with that
// trial's verdict, not with the case's mean.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'
import type { HistoryRun } from '../../src/history/run-record.js'
import { appendLabel, outputHash, readLabels } from '../../src/review/labels-file.js'
import { agreementByMetric, reviewRows, type ReviewRow } from '../../src/review/review-rows.js'
import { startReviewServer } from '../../src/review/review-server.js'
import { run as review } from '../../src/cli/review-command.js'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { ReportData } from '../../reporters/report-data.js'
import { reportDataJson } from '../support/report-html.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeAll(async () => {
  project = fixture('trial-labels')
  const result = await project.run([], cleanEnv())
  expect(result.code, result.output).toBe(0)
}, 120_000)
afterAll(() => project.remove())

const latestRun = (): HistoryRun => readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
const labelsFile = () => project.path('evals', 'labels.jsonl')

/** Saves a label on a row through the review server, as the page does. */
async function labelOnPage(pick: (row: ReviewRow) => boolean, label: string): Promise<void> {
  const server = await startReviewServer({ root: project.path(), historyFile: project.path('.evals', 'history.jsonl'), labelsFile: labelsFile(), port: 0, reviewer: 'ana' })
  try {
    const { rows } = (await (await fetch(`${server.url}api/state`)).json()) as { rows: ReviewRow[] }
    const row = rows.find(pick) as ReviewRow
    const response = await fetch(`${server.url}api/labels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: row.id, caseId: row.caseId, metric: row.metric, label, ...(row.trial === undefined ? {} : { trial: row.trial }) }),
    })
    expect(response.status, await response.clone().text()).toBe(200)
  } finally {
    await server.close()
  }
}

describe('labels on trials of a repeated case', () => {
  test('history keeps each trial: its own output, score, verdict and reasons', () => {
    const refund = latestRun().cases?.find((score) => score.caseId === 'refund')
    expect(refund).toMatchObject({ trials: 3, passes: 2, pass: false })
    expect(refund?.trialResults).toEqual([
      { trial: 1, score: 1, pass: true, reason: 'names the refund', output: 'Refunds take 5 days.', outputHash: outputHash('Refunds take 5 days.') },
      { trial: 2, score: 0, pass: false, reason: 'no refund in "I cannot help with that."', output: 'I cannot help with that.', outputHash: outputHash('I cannot help with that.') },
      { trial: 3, score: 1, pass: true, reason: 'names the refund', output: 'Refunds take 5 days; start on the orders page.', outputHash: outputHash('Refunds take 5 days; start on the orders page.') },
    ])
  })

  test('evalEach under Vitest\'s repeats keeps each repeat\'s output too', () => {
    const rows = reviewRows(latestRun(), []).filter((row) => row.caseId === 'each-refund')
    expect(rows.map((row) => [row.trial, row.trials, row.output])).toEqual([
      [1, 3, 'Refunds take 5 days.'],
      [2, 3, 'Refunds are slow.'],
      [3, 3, 'Refunds take five days.'],
    ])
    expect(rows[0]?.score).toBe(1)
    expect(rows[1]?.score).toBeLessThan(1)
  })

  test('the review rows show each trial with its own output and verdict', () => {
    const rows = reviewRows(latestRun(), []).filter((row) => row.caseId === 'refund')
    expect(rows.map((row) => [row.trial, row.trials, row.output, row.score, row.pass])).toEqual([
      [1, 3, 'Refunds take 5 days.', 1, true],
      [2, 3, 'I cannot help with that.', 0, false],
      [3, 3, 'Refunds take 5 days; start on the orders page.', 1, true],
    ])
  })

  test('a pass label on a passing trial agrees with that trial, whatever the mean; a fail on the failing one too', async () => {
    await labelOnPage((row) => row.caseId === 'refund' && row.trial === 1, 'pass')
    await labelOnPage((row) => row.caseId === 'refund' && row.trial === 2, 'fail')
    const stored = readLabels(labelsFile()).labels
    expect(stored.map((label) => [label.caseId, label.trial, label.label, label.outputHash])).toEqual([
      ['refund', 1, 'pass', outputHash('Refunds take 5 days.')],
      ['refund', 2, 'fail', outputHash('I cannot help with that.')],
    ])
    const rows = reviewRows(latestRun(), stored).filter((row) => row.metric === 'mentions-refund')
    expect(rows.filter((row) => row.caseId === 'refund').map((row) => [row.trial, row.label?.label, row.disagrees])).toEqual([
      [1, 'pass', false],
      [2, 'fail', false],
      [3, undefined, false],
    ])
    // Both labels agree with the verdicts on the outputs they were given on: no disagreement.
    expect(agreementByMetric(rows)[0]?.stats?.confusion.counts).toEqual([[1, 0], [0, 1]])
    const printed: string[] = []
    expect(await review(['--root', project.path(), '--agreement', '--min-kappa', '1'], (line) => printed.push(line))).toBe(0)
    expect(printed.join('\n')).toContain('mentions-refund: n 2  accuracy 1.000')
    // The HTML report made again shows each label on its trial, not only the case's.
    const made = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), 'report'], { cwd: project.dir, encoding: 'utf8', env: cleanEnv() })
    expect(made.status, made.stderr).toBe(0)
    const data = JSON.parse(reportDataJson(project.read('.evals', 'report.html')) as string) as ReportData
    const refund = data.rows.find((row) => row.id === 'refund')
    expect(refund?.cells[0]?.trialResults?.map((trial) => [trial.trial, trial.pass, trial.humanLabel ?? null])).toEqual([[1, true, 'pass'], [2, false, 'fail'], [3, true, null]])
    expect(refund?.outputs[0]?.trials?.map((trial) => trial.output)).toEqual(['Refunds take 5 days.', 'I cannot help with that.', 'Refunds take 5 days; start on the orders page.'])
  })

  test('a label file written before trials were kept still reads: an untrialled label applies to the trial whose output it was given on', () => {
    // The old page showed the last trial's output and saved its hash; a hand-written line has no hash.
    const suite = latestRun().cases?.find((score) => score.caseId === 'refund')?.suite as string
    appendLabel(labelsFile(), { caseId: 'refund', metric: 'mentions-refund', label: 'pass', outputHash: outputHash('Refunds take 5 days; start on the orders page.'), suite })
    appendLabel(labelsFile(), { caseId: 'hostile', metric: 'mentions-refund', label: 'fail' })
    const rows = reviewRows(latestRun(), readLabels(labelsFile()).labels).filter((row) => row.metric === 'mentions-refund')
    expect(rows.map((row) => [row.caseId, row.trial, row.label?.label ?? null, row.label?.stale ?? null, row.disagrees])).toEqual([
      ['refund', 1, 'pass', false, false],
      ['refund', 2, 'fail', false, false],
      ['refund', 3, 'pass', false, false],
      ['hostile', 1, null, null, false],
      ['hostile', 2, null, null, false],
      ['hostile', 3, 'fail', false, true],
    ])
  })
})

describe('toMatchHumanLabel in a repeated case', () => {
  test('a label given on one trial row is read back by the matcher for that output, next run', async () => {
    const before = reviewRows(latestRun(), []).filter((row) => row.caseId === 'intent-1')
    expect(before.map((row) => [row.trial, row.output, row.automatedLabel, row.awaitingLabel ?? false])).toEqual([
      [1, 'refund', 'refund', true],
      [2, 'billing', 'billing', true],
      [3, 'refund', 'refund', true],
    ])
    await labelOnPage((row) => row.caseId === 'intent-1' && row.trial === 2, 'refund')
    const again = await project.run([], cleanEnv())
    expect(again.code, again.output).toBe(0)
    const rows = reviewRows(latestRun(), readLabels(labelsFile()).labels).filter((row) => row.caseId === 'intent-1')
    // Trial 2 said "billing"; the human said "refund" for that output: one disagreement, on that trial only.
    expect(rows.map((row) => [row.trial, row.automatedLabel, row.label?.label ?? null, row.awaitingLabel ?? false, row.disagrees])).toEqual([
      [1, 'refund', null, true, false],
      [2, 'billing', 'refund', false, true],
      [3, 'refund', null, true, false],
    ])
    expect(agreementByMetric(rows)).toEqual([expect.objectContaining({ metric: 'label:intent', stats: expect.objectContaining({ n: 1 }) })])
    const intent = latestRun().cases?.find((score) => score.caseId === 'intent-1')
    expect(intent?.trialResults?.map((trial) => [trial.trial, trial.pass])).toEqual([[1, true], [2, false], [3, true]])
  }, 120_000)
})
