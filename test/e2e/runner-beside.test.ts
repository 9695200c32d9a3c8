// A sequential test can start beside a concurrent one (a concurrent describe holding a sequential one) and inherit
// its async context. Under the library's runner a test ends after its onTestFinished callbacks, so the concurrent
// test may still be running: the sequential test's calls and scores must still be its own.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let server: ModelServer
let project: FixtureProject
let run: { code: number | null; output: string }
beforeAll(async () => {
  server = await startModelServer()
  project = fixture('runner-beside')
  run = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test' }))
}, 120_000)
afterAll(async () => {
  project.remove()
  await server.close().catch(() => undefined)
})

test("records a sequential test's calls and scores on it while a concurrent test beside it finishes", () => {
  expect(run.code, run.output).toBe(0)
  const { entries } = JSON.parse(project.read('__cassettes__', 'beside.test.ts.cassette.json')) as { entries: { test: string; request: { body: { messages: { content: string }[] } } }[] }
  const calls = entries.map((entry) => `${entry.test}: ${entry.request.body.messages[0]?.content}`).sort()
  expect(calls).toEqual(['beside > in order > sequential: sequential', 'finishing: finishing'])
  expect(project.exists('.evals', 'summary.json'), run.output).toBe(true)
  const { run: summary } = JSON.parse(project.read('.evals', 'summary.json')) as { run: { cases: { test: string; output?: string }[] } }
  expect(summary.cases.map((each) => [each.test, each.output?.endsWith(' #sequential')])).toEqual([['beside > in order > sequential', true]])
})
