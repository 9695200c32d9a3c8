// A case that could not be scored (its task threw or ran out of time, its only scorer threw, a later trial timed
// out) is in the report as the gate counts it: failed, with its error on one line (keys hidden, controls escaped),
// never left out. And a score a timed-out try records late does not land among its retry's records.
// Real Vitest on a fixture project; needs the build (`npm run build`).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CaseScore, HistoryRun } from '../../src/history/run-record.js'
import { readHistory } from '../../src/history/history-file.js'
import { embeddedData } from '../reporters/report-page-fixtures.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const SECRET = 'sk-errored-0123456789abcdefghijklmnop'

let project: FixtureProject
beforeAll(() => {
  project = fixture('errored-cases')
})
afterAll(() => project?.remove())

const lastRun = () => readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
const casesOf = (run: HistoryRun, caseId: string): CaseScore[] => (run.cases ?? []).filter((score) => score.caseId === caseId)

describe('a case whose task threw or timed out', () => {
  let run: RunResult
  beforeAll(async () => {
    run = await project.run(['task-errors.test.ts'], cleanEnv({ CI: 'true', ERRORED_API_KEY: SECRET }))
  }, 120_000)

  test('is in the history as failed, 0 on its suite\'s metrics, with its error on one line', () => {
    expect(run.code).toBe(1)
    const last = lastRun()
    const [b] = casesOf(last, 'b')
    expect(b).toMatchObject({ metric: 'exact', score: 0, pass: false, trials: 1 })
    expect(b?.error).toMatch(/^upstream refused\\u001b\[2K key /)
    expect(b?.error).not.toContain('\n')
    expect(b?.error).not.toContain('second line')
    const [c] = casesOf(last, 'c')
    expect(c).toMatchObject({ metric: 'exact', score: 0, pass: false })
    expect(c?.error).toContain('Case "c" timed out after 300 ms')
    // The same count and mean as the gate: 3 cases, two of them 0.
    const group = last.groups.find((each) => each.metric === 'exact')
    expect(group).toMatchObject({ cases: 3, errors: 2 })
    expect(group?.mean).toBeCloseTo(1 / 3)
  })

  test('keys never reach the history, the reports or the terminal', () => {
    expect(project.read('.evals', 'history.jsonl')).not.toContain(SECRET)
    expect(project.read('.evals', 'summary.json')).not.toContain(SECRET)
    // The HTML report shows the error where a case's reason is.
    const report = embeddedData(project.read('.evals', 'report.html'))
    const reasons = report.rows.flatMap((row) => row.cells.map((cell) => cell?.reason ?? ''))
    expect(reasons).toContainEqual(expect.stringMatching(/^Not scored: upstream refused\\u001b\[2K key \[REDACTED/))
    expect(JSON.stringify(report)).not.toContain(SECRET)
    expect(run.stdout.split('LLM eval scores')[1] ?? '').not.toContain(SECRET)
  })

  test('the terminal lists the errored cases under the table', () => {
    expect(run.stdout).toMatch(/ errored: task errors > b: upstream refused\\u001b\[2K key /)
    expect(run.stdout).toContain(' errored: task errors > c: Case "c" timed out after 300 ms')
  })
})

describe('a case whose only scorer threw', () => {
  test('is in the history as errored, left out of the metric\'s mean as the gate leaves it out', async () => {
    const run = await project.run(['only-scorer-throws.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('scorer #1 (judged) failed in 1 of 2 cases')
    const last = lastRun()
    expect(casesOf(last, 'b')).toEqual([expect.objectContaining({ metric: 'judged', score: 0, pass: false, trials: 0, error: 'scorer #1 (judged): judge: 500 Internal Server Error' })])
    expect(last.groups.find((each) => each.metric === 'judged')).toMatchObject({ mean: 1, cases: 1, errors: 1 })
    expect(run.stdout).toContain(' errored: only scorer throws > b: scorer #1 (judged): judge: 500 Internal Server Error')
  }, 120_000)
})

describe('with repeats, a case whose later trial timed out', () => {
  test('counts 0 in the history as in the gate, not its earlier trial\'s score', async () => {
    const run = await project.run(['later-trial-timeout.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('exact: mean 0.500 < target 0.750')
    const last = lastRun()
    const [b] = casesOf(last, 'b')
    expect(b).toMatchObject({ metric: 'exact', score: 0, pass: false, trials: 2, passes: 0 })
    expect(b?.error).toContain('Case "b" trial 2 of 2 timed out after 300 ms')
    expect(last.groups.find((each) => each.metric === 'exact')?.mean).toBeCloseTo(0.5)
  }, 120_000)
})

describe('with --retry 1, a score recorded late by a timed-out try', () => {
  test('is dropped: the retry keeps its own score alone', async () => {
    const run = await project.run(['late-score.test.ts', '--retry', '1'], cleanEnv({ CI: 'true' }))
    expect(run.stdout).toContain('flaky: late score > b')
    const last = lastRun()
    expect(casesOf(last, 'b')).toEqual([expect.objectContaining({ metric: 'similarity:rouge-l', score: 1, pass: true, trials: 1 })])
    // The first try's scorer timeout (its case error) is cleared by the retry that scored.
    expect((last.cases ?? []).some((score) => score.error !== undefined)).toBe(false)
    expect(run.stdout).not.toContain(' errored:')
    expect(run.code).toBe(0)
  }, 120_000)
})

describe('--shard and --merge-reports', () => {
  test('the merged history lists the errored cases as one run of every file does, keys hidden', async () => {
    const env = cleanEnv({ CI: 'true', ERRORED_API_KEY: SECRET })
    const files = ['task-errors.test.ts', 'only-scorer-throws.test.ts']
    await project.run(files, env)
    const whole = lastRun()
    const shards = await Promise.all([1, 2].map((index) => project.run([...files, `--shard=${index}/2`, '--reporter=blob'], env)))
    expect(shards.map((run) => run.code)).toEqual([1, 1])
    const merged = await project.run(['--merge-reports'], env)
    expect(merged.code).toBe(1)
    const last = lastRun()
    expect(last.id).not.toBe(whole.id)
    // Each shard's files carry its mark through the blob (set after the worker's last update of the file's meta).
    expect(merged.output).not.toMatch(/merged \d of \d shards/)
    expect(last).not.toHaveProperty('partial')
    const rows = (run: HistoryRun) => (run.cases ?? []).filter((score) => score.error !== undefined).map((score) => [score.suite, score.caseId, score.metric, score.trials, score.error]).sort()
    expect(rows(last)).toEqual(rows(whole))
    expect(rows(last)).toHaveLength(3)
    expect(last.groups.map((group) => [group.suite, group.metric, group.cases, group.errors, group.mean]).sort()).toEqual(whole.groups.map((group) => [group.suite, group.metric, group.cases, group.errors, group.mean]).sort())
    expect(project.read('.evals', 'history.jsonl')).not.toContain(SECRET)
    expect(merged.stdout).toContain(' errored: only scorer throws > b: scorer #1 (judged): judge: 500 Internal Server Error')
  }, 180_000)
})

describe('with vitest --repeats, a case whose task threw on a later run of its test', () => {
  test('is listed with its error on its metric, not under "(no score)", and counts that run as a failed trial', async () => {
    const run = await project.run(['vitest-repeats.test.ts', '--repeats', '1'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    const last = lastRun()
    expect(casesOf(last, 'b')).toEqual([expect.objectContaining({ metric: 'exact', score: 0.5, pass: false, trials: 2, passes: 1, min: 0, error: 'upstream refused' })])
    expect(last.groups).toEqual([expect.objectContaining({ metric: 'exact', mean: 0.75, cases: 2, trials: 4, errors: 1 })])
    expect(run.stdout).toContain(' errored: vitest repeats > b: upstream refused')
  }, 120_000)
})

describe("a case Vitest's timeout stopped after some of its trials had scored", () => {
  test('counts 0 over all its trials, as the gate counts it, not the trials that scored', async () => {
    const run = await project.run(['vitest-timeout.test.ts', '--testTimeout', '1000'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    const last = lastRun()
    const [b, ...others] = casesOf(last, 'b')
    expect(others).toEqual([])
    expect(b).toMatchObject({ metric: 'exact', score: 0, pass: false, trials: 2 })
    expect(b?.error).toMatch(/^Test timed out in 1000ms/)
    expect(last.groups).toEqual([expect.objectContaining({ metric: 'exact', mean: 0.5, cases: 2, errors: 1 })])
  }, 120_000)
})
