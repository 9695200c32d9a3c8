// The plugin's test runner (src/runner.ts) begins and ends each test try without a per-test hook. What the hook
// did must still happen, whichever way a project runs: under the library's runner, under a runner of the project's
// own (the setup file then registers its hook), and under a runner that extends the library's.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

interface Entry { test: string; repeat: number; call: number; request: { body: { messages: { content: string }[] } } }

const USER_HOOKS = 1
// Tries: `hooks > sequential`, six concurrent cases, three repeats, two tries of `retried`.
const TRIES = 1 + 6 + 3 + 2

const runners = [
  { name: "the library's runner (set by the plugin)", env: {}, ourHooks: 0 },
  { name: "a project's own runner (the plugin keeps it; a beforeEach hook instead)", env: { OWN_RUNNER: './plain-runner.ts' }, ourHooks: TRIES },
  { name: "a project's runner extending vitest-llm-evals/runner", env: { OWN_RUNNER: './extending-runner.ts' }, ourHooks: 0 },
  // Vitest's VM pools give test code a `node:module` whose registerHooks throws (the setup file used to fail there).
  { name: 'the vmThreads pool', env: {}, args: ['--pool=vmThreads'], ourHooks: 0 },
  { name: 'no isolation', env: {}, args: ['--no-isolate'], ourHooks: 0 },
]

describe.each(runners)('$name', ({ env, args = [], ourHooks }) => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }
  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('runner')
    recorded = await project.run(args, cleanEnv({ ...env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test' }))
  }, 120_000)
  afterAll(async () => {
    project.remove()
    await server.close().catch(() => undefined)
  })

  const entries = () => (JSON.parse(project.read('__cassettes__', 'calls.test.ts.cassette.json')) as { entries: Entry[] }).entries
  const calls = (name: string) =>
    entries()
      .filter((entry) => entry.test === name)
      .map((entry) => ({ repeat: entry.repeat, call: entry.call, prompt: entry.request.body.messages[0]?.content }))
  const outputs = () => {
    const summary = JSON.parse(project.read('.evals', 'summary.json')) as { run: { cases: { test: string; output?: string }[] } }
    return new Map(summary.run.cases.map((each) => [each.test, each.output]))
  }

  test('records every call on the test whose try made it, hooks, concurrency, repeats and retries included', () => {
    expect(recorded.code, recorded.output).toBe(0)
    expect(JSON.parse(project.read('hooks.json'))).toEqual({ beforeEach: USER_HOOKS + ourHooks })
    expect(calls('hooks > sequential')).toEqual([
      { repeat: 0, call: 0, prompt: 'before sequential' },
      { repeat: 0, call: 1, prompt: 'in sequential' },
      { repeat: 0, call: 2, prompt: 'after sequential' },
    ])
    for (let index = 1; index <= 6; index++) expect(calls(`concurrent > case ${index}`)).toEqual([{ repeat: 0, call: 0, prompt: `concurrent ${index}` }])
    expect(calls('repeated')).toEqual([0, 1, 2].map((repeat) => ({ repeat, call: 0, prompt: 'repeat me' })))
    // The failed try's recording is dropped when its retry begins.
    expect(calls('retried')).toEqual([{ repeat: 0, call: 0, prompt: 'retry me' }])
    // Each concurrent case's score is on its own test.
    for (let index = 1; index <= 6; index++) expect(outputs().get(`concurrent > case ${index}`)).toMatch(new RegExp(` #${index}$`))
  })

  test('replays it all offline in CI', async () => {
    await server.close()
    const replayed = await project.run(args, cleanEnv({ ...env, CI: 'true' }))
    expect(replayed.code, replayed.output).toBe(0)
    expect(replayed.output).toContain('Tests  9 passed')
    expect(replayed.output).toContain('13 replayed, 0 recorded')
  })
})
