import { afterEach, beforeEach, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('concurrent-records')
})
afterEach(() => project.remove())

interface SummaryCase {
  test: string
  metric: string
  score: number
  output?: string
}

test('the global expect in concurrent tests records each score on the test that made it: none lost, none misplaced', async () => {
  const result = await project.run([], cleanEnv())
  expect(result.code, result.output).toBe(0)
  const summary = JSON.parse(project.read('.evals', 'summary.json')) as { run: { cases: SummaryCase[] } }
  const byTest = new Map<string, string[]>()
  for (const score of summary.run.cases) byTest.set(score.test, [...(byTest.get(score.test) ?? []), score.metric].sort())
  const expected = new Map<string, string[]>([1, 2, 3, 4, 5].map((index) => [`global expect > case ${index}`, ['retrieval:recall@2', 'similarity:dice']]))
  expected.set('sequential after', ['similarity:dice'])
  expect(byTest).toEqual(expected)
  // A plain test's output is the first text its matchers scored (kept by the matchers), on every metric row.
  for (const score of summary.run.cases) expect(score.output, score.test).toBe(score.test === 'sequential after' ? 'after' : `answer ${score.test.slice(-1)}`)
  expect(result.stdout).toContain('LLM evals: 11 scores (0 below threshold)')
})
