// A try can fail at its end: an un-awaited matcher, a replay miss the app swallowed. A test's onTestFailed callbacks
// must see those errors (under the library's runner the end of a try used to come after them, so they were not
// called at all), while the calls of its afterEach hooks and onTestFinished callbacks stay recorded on it.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

interface Entry { test: string; call: number; request: { body: { messages: { content: string }[] } } }

// Under a runner of the project's own, the setup file's hook ends the try before onTestFinished callbacks: their
// calls are the file's (docs/configuration.md says so), replayed too, and counted on the run's line as the file's.
const runners = [
  { name: "the library's runner", env: {}, finishedCallOf: { test: 'records its hooks', call: 2 }, replayed: 3 },
  { name: "a project's own runner (the setup file's hook)", env: { OWN_RUNNER: './plain-runner.ts' }, finishedCallOf: { test: '(file)', call: 0 }, replayed: 3 },
]

describe.each(runners)('$name', ({ env, finishedCallOf, replayed: replayedCalls }) => {
  const setup = fixtureWithServer('failed-callbacks')
  const seen = () =>
    readFileSync(setup.project.path('seen.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { test: string; errors: string[] })

  test('records the calls of afterEach hooks and onTestFinished callbacks on a test with onTestFailed callbacks', async () => {
    const recorded = await setup.project.run(['hooks.test.ts'], setup.liveEnv(env))
    expect(recorded.code, recorded.output).toBe(0)
    const { entries } = JSON.parse(setup.project.read('__cassettes__', 'hooks.test.ts.cassette.json')) as { entries: Entry[] }
    const calls = entries.map((entry) => ({ test: entry.test, call: entry.call, prompt: entry.request.body.messages[0]?.content }))
    expect(calls).toEqual(
      expect.arrayContaining([
        { test: 'records its hooks', call: 0, prompt: 'in test' },
        { test: 'records its hooks', call: 1, prompt: 'after each' },
        { ...finishedCallOf, prompt: 'on finished' },
      ]),
    )
    expect(calls).toHaveLength(3)
    const replayed = await setup.project.run(['hooks.test.ts'], cleanEnv({ ...env, CI: 'true' }))
    expect(replayed.output).toContain(`${replayedCalls} replayed, 0 recorded`)
    expect(replayed.code, replayed.output).toBe(0)
  }, 120_000)

  test('calls onTestFailed callbacks with the errors raised at the end of the try', async () => {
    const run = await setup.project.run(['failures.test.ts'], cleanEnv({ ...env, CI: 'true', SEEN_FILE: setup.project.path('seen.jsonl') }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('Tests  2 failed')
    const byTest = new Map(seen().map((each) => [each.test, each.errors]))
    expect([...byTest.keys()].sort()).toEqual(['swallowed miss', 'un-awaited matcher'])
    expect(byTest.get('swallowed miss')?.join('\n')).toMatch(/\[vitest-llm-evals\].*no recording/is)
    expect(byTest.get('un-awaited matcher')?.join('\n')).toMatch(/\[vitest-llm-evals\].*not awaited/is)
  }, 120_000)
})
