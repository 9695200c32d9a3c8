// A scorer that throws for one case (a misuse: a bad option) fails that case, but the suite gate and the score
// history keep the other scorers' real scores for it: no 0 stands in for the broken scorer's, and the gate
// names the scorer, the case and the fix. Real Vitest on a fixture project; needs the build (`npm run build`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { HistoryRun } from '../../src/history/run-record.js'
import { readHistory } from '../../src/history/history-file.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

describe('describeEval with a scorer that throws for one case', () => {
  let project: FixtureProject
  let run: RunResult
  beforeAll(async () => {
    project = fixture('scorer-errors')
    run = await project.run(['broken-scorer.test.ts'], cleanEnv({ CI: 'true' }))
  }, 120_000)
  afterAll(() => project?.remove())

  test('the case fails with the scorer\'s ConfigError; the gate names the scorer and keeps the other metrics\' real means', () => {
    expect(run.code).toBe(1)
    expect(run.output).toContain('capitals > b')
    expect(run.output).toContain('ConfigError: [vitest-llm-evals] toBeSimilarTo')
    expect(run.output).toContain('Suite "capitals" cannot be fully checked: a scorer failed instead of scoring (it threw, or ran out of time).\n  - scorer #2 (similar) failed in 1 of 3 cases (first, case "b": ConfigError: toBeSimilarTo')
    expect(run.output).toContain('its metric is left out for those cases, not counted as 0')
    // exact: (1 + 1 + 0) / 3 meets 0.6, so it is not listed; similarity is judged on a and c alone.
    expect(run.output).not.toMatch(/- exact: mean/)
    expect(run.output).toMatch(/- similarity:levenshtein: mean 0\.\d+ < target 0\.600; worst cases: c \(0\.\d+\), a \(1\.000\)\n/)
    expect(run.stdout).toMatch(/Tests\s+2 failed \| 2 passed \(4\)/)
  })

  test('the history keeps case b\'s real scores, from the scorers before and after the one that threw, and lists it as errored for the other', () => {
    const last = readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
    const caseB = (last.cases ?? []).filter((score) => score.caseId === 'b').map((score) => [score.metric, score.score, score.trials, score.error !== undefined])
    expect(caseB.sort()).toEqual([['brevity', 1, 1, false], ['exact', 1, 1, false], ['similarity:levenshtein', 0, 0, true]])
    const exact = (last.groups ?? []).find((group) => group.metric === 'exact')
    expect(exact?.mean).toBeCloseTo(2 / 3)
    // As in the gate: similarity is judged on a and c alone; b is counted as an error, not as 0.
    expect((last.groups ?? []).find((group) => group.metric === 'similarity:levenshtein')).toMatchObject({ cases: 2, errors: 1 })
  })
})

/** `file:line` of the line of `file` (in the scorer-errors fixture) that ends with `marker`. */
function siteOf(file: string, marker: string): string {
  const lines = readFileSync(join(import.meta.dirname, 'fixtures', 'scorer-errors', file), 'utf8').split('\n')
  return `${file}:${lines.findIndex((line) => line.endsWith(marker)) + 1}`
}

const count = (text: string, part: string) => text.split(part).length - 1

describe('describeEval: how a case whose scorers could not score it fails', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('scorer-errors')
  })
  afterAll(() => project?.remove())

  test('a judge still scoring when the trial\'s timeout passes: the scorer ran out of time, not the task; the trial keeps no score', async () => {
    const run = await project.run(['slow-judge.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain(`Scorer #2 (slowJudge) of describeEval("slow judge") (${siteOf('slow-judge.test.ts', '// site')}) ran out of time for case "b": the trial's timeout of 300 ms`)
    expect(run.output).toContain('Raise describeEval\'s timeout, or make the scorer faster (a faster judge model, fewer judge samples).')
    expect(run.output).not.toContain('make the task faster')
    expect(run.output).toContain('Suite "slow judge" cannot be fully checked: a scorer failed instead of scoring (it threw, or ran out of time).\n  - scorer #2 (slowJudge) failed in 1 of 2 cases (first, case "b": Scorer #2 (slowJudge)')
    // Not counted as a task failure (0 on every metric), and no score of case b's cut-short trial in the history: it is
    // listed as errored, with no trial (left out of the means, as the gate leaves it out).
    expect(run.output).not.toContain('failed before')
    const last = readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
    expect((last.cases ?? []).map((score) => [score.caseId, score.metric, score.trials]).sort()).toEqual([['a', 'exact', 1], ['a', 'judged', 1], ['b', 'exact', 0], ['b', 'judged', 0]])
    expect((last.cases ?? []).find((score) => score.caseId === 'b')?.error).toContain('Scorer #2 (slowJudge) of describeEval("slow judge")')
    expect(run.stdout).toContain(' errored: slow judge > b: scorer #2 (slowJudge): Scorer #2 (slowJudge)')
  })

  test('without describeEval\'s timeout, a case Vitest\'s test timeout failed is a failed case for the gate, not one left out', async () => {
    const run = await project.run(['vitest-timeout.test.ts', '--testTimeout', '500'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('Test timed out in 500ms')
    // Case "a" alone scores 1 on every metric: the gate passed, silently, on half the suite.
    expect(run.output).toContain(' FAIL  vitest-timeout.test.ts > vitest timeout > suite threshold\n')
    expect(run.output).toContain('1 case failed before it was scored (first, case "b": Test timed out in 500ms.')
    expect(run.stdout).toMatch(/Tests\s+2 failed \| 1 passed \(3\)/)
  })

  test('two scorers that throw for one case: both errors are shown', async () => {
    const run = await project.run(['several-scorers.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('ConfigError: [vitest-llm-evals] toBeSimilarTo')
    expect(run.output).toContain('Error: judge: 500 Internal Server Error')
  })

  test('a value that is not an Error, thrown by a scorer, a task or an evalEach test, is named with the case and the line', async () => {
    const run = await project.run(['thrown-values.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    const site = siteOf('thrown-values.test.ts', '// site')
    expect(run.output).toContain(`ConfigError: [vitest-llm-evals] Scorer #1 (judged) of describeEval("thrown values") (${site}) threw undefined for case "scorer-throws", not an Error`)
    expect(run.output).toContain(`ConfigError: [vitest-llm-evals] The task of describeEval("thrown values") (${site}) threw null for case "task-throws", not an Error`)
    expect(run.output).toContain(`ConfigError: [vitest-llm-evals] The test function of evalEach(rows)("each $id", …) (${siteOf('thrown-values.test.ts', '// each-site')}) threw "rate limited" for case "each-throws", not an Error`)
    expect(run.stdout).toMatch(/Tests\s+3 failed \(3\)/)
  })

  test('with --retry 2, a scorer ConfigError counts cases, not tries, and the suite threshold test is not retried', async () => {
    const run = await project.run(['retried.test.ts', '--retry', '2'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('Case "a", tried again: the same ConfigError from scorer #1 of describeEval("retried") as on its first try, shown in full there.')
    // Vitest prints an error repeated over a test's tries once, naming the tries.
    expect(run.output).toContain(' FAIL  retried.test.ts > retried > b (initial run, 1st retry, 2nd retry)\nConfigError: [vitest-llm-evals] Case "b": the same ConfigError from scorer #1 of describeEval("retried") as case "a", shown in full there (2 cases so far).')
    expect(run.output).not.toMatch(/\([3-6] cases so far\)/)
    expect(run.output).toContain('  - scorer #1, 2 of 2 cases (first: case "a")')
    // The gate's verdict is the same on every try: it runs once, and its failure is printed once.
    expect(run.output).toContain(' FAIL  retried.test.ts > retried > suite threshold\n')
    expect(run.output).not.toMatch(/suite threshold.*retr/)
    expect(count(run.output, 'Suite "retried" scored no case')).toBe(1)
  })
})
