// `retry` in `auto`: a first try that fails (after its calls, or timed out with a call unanswered whose answer arrives
// during the retry) and a passing second try. What is stored is exactly the passing try's calls, and a replay then
// passes offline.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

type Cassette = { entries: { test: string; call: number; request: { body: { messages: { content: string }[] } } }[] }

describe.each([
  { how: 'fails after its calls', env: { FAIL_FIRST: '1' } },
  { how: 'times out with a call unanswered', env: { TIME_OUT_FIRST: '1' } },
])('a first try that $how, retried in auto', ({ env }) => {
  const setup = fixtureWithServer('retry-auto')

  test("stores exactly the passing try's calls, and the replay passes offline", async () => {
    const { project, server } = setup
    if (env.TIME_OUT_FIRST) server.enqueue({ content: 'late answer of the first try', delayMs: 1_500 })
    const recorded = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto', ...env }))
    expect(recorded.code, recorded.output).toBe(0)
    const stored = JSON.parse(readFileSync(project.path('__cassettes__', 'retried.test.ts.cassette.json'), 'utf8')) as Cassette
    expect(stored.entries.filter((entry) => entry.test === 'retried').map((entry) => [entry.call, entry.request.body.messages[0]?.content])).toEqual([
      [0, 'shared first call'],
      [1, 'second call of try 1'],
    ])
    expect(JSON.stringify(stored)).not.toContain('late answer of the first try')

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  }, 60_000)
})
