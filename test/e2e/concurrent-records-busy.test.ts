import { afterEach, beforeEach, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('concurrent-records-busy')
})
afterEach(() => project.remove())

test('the global expect records on its own test with more concurrent tests than maxConcurrency, hooks, nested describes, .each and retries', async () => {
  const result = await project.run([], cleanEnv())
  expect(result.code, result.output).toBe(0)
  const summary = JSON.parse(project.read('.evals', 'summary.json')) as { run: { cases: { test: string; output?: string }[] } }
  const outputs = new Map<string, (string | undefined)[]>()
  for (const score of summary.run.cases) outputs.set(score.test, [...(outputs.get(score.test) ?? []), score.output])
  const expected = new Map<string, string[]>()
  for (let index = 1; index <= 12; index++) expected.set(`busy > case ${index}`, [`answer ${index}`])
  expected.set('sequential between', ['between'])
  for (let index = 13; index <= 19; index++) expected.set(`outer > inner > case ${index}`, [`answer ${index}`])
  expected.set('retried', ['answer retried'])
  expect(outputs).toEqual(expected)
})
