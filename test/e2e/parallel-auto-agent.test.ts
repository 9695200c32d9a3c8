// Two processes running `auto` at once over one cassette, with an agent test whose later calls depend on its earlier
// answers (a model's reply and a recordTool result that differ from one process to the other). Each process records
// the whole chain; the cassette must end with one usable recording of the test (a replay finds every call, offline)
// and nothing that can never be replayed.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

type Cassette = { entries: { test: string; call: number }[]; tools?: { test: string; name: string }[] }

describe('two auto runs at once over an agent test', () => {
  const setup = fixtureWithServer('parallel-agent')

  test('leave one usable recording of the test: a replay finds every call, and a later auto run records nothing', async () => {
    const { project } = setup
    const env = setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto', PARALLEL: '2' })
    const runs = await Promise.all([project.run([], env), project.run([], env)])
    for (const run of runs) expect(run.code, run.output).toBe(0)
    const cassette = JSON.parse(readFileSync(project.path('__cassettes__', 'agent.test.ts.cassette.json'), 'utf8')) as Cassette
    expect(cassette.entries.map((entry) => entry.test)).toEqual(['refund agent: model, tool, model', 'refund agent: model, tool, model'])
    expect(cassette.tools?.map((record) => record.name)).toEqual(['lookup_order'])

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    const requests = setup.server.requests.length
    const again = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(again.code, again.output).toBe(0)
    expect(setup.server.requests.length).toBe(requests)
  }, 120_000)
})
