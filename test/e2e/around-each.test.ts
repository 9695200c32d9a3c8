// Vitest runs a test's aroundEach set-up before its try begins and its teardown after it ends (under the library's
// runner and under a project's own alike): their model calls are the file's, recorded and replayed in order, not
// counted on the test (docs/configuration.md says so), and counted on the run's line as the file's on replay as on record.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

interface Entry { test: string; call: number; request: { body: { messages: { content: string }[] } } }

const runners = [
  { name: "the library's runner", env: {} },
  { name: "a project's own runner (the setup file's hook)", env: { OWN_RUNNER: './plain-runner.ts' } },
]

describe.each(runners)('$name', ({ env }) => {
  const setup = fixtureWithServer('around-each')

  test("records aroundEach set-up and teardown calls as the file's, and replays them", async () => {
    const recorded = await setup.project.run([], setup.liveEnv(env))
    expect(recorded.code, recorded.output).toBe(0)
    const { entries } = JSON.parse(setup.project.read('__cassettes__', 'around.test.ts.cassette.json')) as { entries: Entry[] }
    const calls = entries.map((entry) => ({ test: entry.test, call: entry.call, prompt: entry.request.body.messages[0]?.content }))
    expect(calls).toEqual([
      { test: '(file)', call: 0, prompt: 'set up first' },
      { test: '(file)', call: 1, prompt: 'tear down first' },
      { test: '(file)', call: 2, prompt: 'set up second' },
      { test: '(file)', call: 3, prompt: 'tear down second' },
      { test: 'first', call: 0, prompt: 'in first' },
      { test: 'second', call: 0, prompt: 'in second' },
    ])
    const replayed = await setup.project.run([], cleanEnv({ ...env, CI: 'true' }))
    expect(replayed.code, replayed.output).toBe(0)
    expect(recorded.output).toContain('6 recorded')
    expect(replayed.output).toContain('6 replayed, 0 recorded')
  }, 120_000)
})
