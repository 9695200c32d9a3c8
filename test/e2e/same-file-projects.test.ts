// One test file run by two of `test.projects` (one project per model) is two suites: kept apart in the history,
// so a run of both after a run of one compares each project with itself (no false regression from a mix).
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

describe('the same file in two projects', () => {
  let project: FixtureProject | undefined
  let bothOutput = ''
  afterAll(() => project?.remove())

  test('is one suite per project, and `--project` then all compares each with itself', async () => {
    project = fixture('same-file-projects')
    const first = await project.run(['--project', 'model-a'], cleanEnv())
    expect(first.code, first.output).toBe(0)
    const both = await project.run([], cleanEnv())
    bothOutput = both.output
    expect(both.code, both.output).toBe(0)
    expect(both.output).not.toContain('Eval gate failed')
    const runs = readFileSync(project.path('.evals', 'history.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { groups: { suite: string; mean: number; cases: number }[] })
    expect(runs).toHaveLength(2)
    const groups = runs[1]!.groups.filter((group) => group.suite.startsWith('same.test.ts'))
    expect(groups.map(({ suite, mean, cases }) => ({ suite, mean: Math.round(mean * 100) / 100, cases })).sort((a, b) => a.suite.localeCompare(b.suite))).toEqual([
      { suite: 'same.test.ts [model-a]', mean: 1, cases: 8 },
      { suite: 'same.test.ts [model-b]', mean: expect.any(Number), cases: 8 },
    ])
    expect(groups.find((group) => group.suite.endsWith('[model-b]'))!.mean).toBeLessThan(0.5)
  })

  test('human labels: each project finds its own label, and a label given before suites named their project', () => {
    // evals/labels.jsonl: `labels.test.ts` (no project: before suites named it) says pass, `labels.test.ts [model-b]`
    // says fail; each project's grader agrees with its label only if both were found (n = 2, accuracy 1).
    expect(bothOutput).toMatch(/code\s+label:helpful\s+2\s+1\.000/)
  })
})
