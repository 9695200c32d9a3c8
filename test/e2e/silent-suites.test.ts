// Dataset suites never pass silently on bad input: run for real on a fixture project against the built package.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const count = (text: string, part: string) => text.split(part).length - 1

describe('describeEval on bad input', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('silent-suites')
  })
  afterAll(() => project?.remove())

  test('a suite with a threshold and no scored case fails saying why; a bare number is a score', async () => {
    const run: RunResult = await project.run(['unscored.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('every task throws > suite threshold')
    expect(run.output).toContain('Suite "every task throws" scored no case: 2 cases ran and none was scored, so its threshold cannot be checked.\n  - 2 cases failed before they were scored (first, case "a": the model is down)')
    expect(run.output).toContain('Suite "nothing scored" scored no case: 1 case ran and none was scored')
    expect(run.output).not.toContain('bare numbers > suite threshold')
    expect(run.stdout).toMatch(/Tests\s+4 failed \| 3 passed \(7\)/)
  })

  test('a scorer ConfigError over 200 cases is shown in full once, then once more with its count', async () => {
    const run = await project.run(['repeated.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Tests\s+200 failed \(200\)/)
    // Besides the report's list of the first errored cases (test/e2e/errored-cases.test.ts).
    const listed = run.output.split('\n').filter((line) => line.startsWith(' errored: ')).join('\n')
    expect(count(run.output, 'returned a score of NaN for case') - count(listed, 'returned a score of NaN for case')).toBe(2)
    expect(listed).toContain('for case "r001"')
    expect(run.output).toContain(' errored: … and 195 more cases (all are in the report)')
    expect(count(run.output, 'the same ConfigError from scorer #1 of describeEval("nan scores") as case "r001", shown in full there')).toBe(199)
    expect(run.output).toContain('  - scorer #1, 200 of 200 cases (first: case "r001"): Scorer #1 of describeEval("nan scores") returned a score of NaN for case "r001" (metric "scorer-1"); a score is a number within 0..1.')
    // A code frame (a line pointing into the test file) only for the error shown in full.
    expect(count(run.output, 'repeated.test.ts:')).toBeLessThan(5)
  })

  test('a suite whose data gave no rows fails, though it defines no case test', async () => {
    const run = await project.run(['empty.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('[vitest-llm-evals] describeEval("no rows") has no cases: its data gave no rows. Check the data (an empty file, or a filter that drops every row).')
  })

  test('a misspelt threshold key fails the file with a did-you-mean', async () => {
    const run = await project.run(['typo.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('[vitest-llm-evals] describeEval("typo") option threshold has an unknown key "men"; did you mean "mean"? Valid keys: mean, passRate, perMetric.')
  })
})
