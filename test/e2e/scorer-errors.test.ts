// A scorer that throws for one case (a misuse: a bad option) fails that case, but the suite gate and the score
// history keep the other scorers' real scores for it: no 0 stands in for the broken scorer's, and the gate
// names the scorer, the case and the fix. Real Vitest on a fixture project; needs the build (`npm run build`).
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
    expect(run.output).toContain('Suite "capitals" cannot be fully checked: a scorer threw instead of scoring.\n  - scorer #2 (similar) threw in 1 of 3 cases (first, case "b": ConfigError: toBeSimilarTo')
    expect(run.output).toContain('its metric is left out for those cases, not counted as 0')
    // exact: (1 + 1 + 0) / 3 meets 0.6, so it is not listed; similarity is judged on a and c alone.
    expect(run.output).not.toMatch(/- exact: mean/)
    expect(run.output).toMatch(/- similarity:levenshtein: mean 0\.\d+ < target 0\.600; worst cases: c \(0\.\d+\), a \(1\.000\)\n/)
    expect(run.stdout).toMatch(/Tests\s+2 failed \| 2 passed \(4\)/)
  })

  test('the history keeps case b\'s real scores, from the scorers before and after the one that threw, and none for it', () => {
    const last = readHistory(project.path('.evals', 'history.jsonl')).at(-1) as HistoryRun
    const caseB = (last.cases ?? []).filter((score) => score.caseId === 'b').map((score) => [score.metric, score.score])
    expect(caseB.sort()).toEqual([['brevity', 1], ['exact', 1]])
    const exact = (last.groups ?? []).find((group) => group.metric === 'exact')
    expect(exact?.mean).toBeCloseTo(2 / 3)
  })
})
