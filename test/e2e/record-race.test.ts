// Two `record` runs (two processes) of one test file at the same time, both re-recording the same test: the
// cassette keeps one recording of the call, the run whose recording was not kept says so on its last line
// (rather than "1 recorded" from both), and nothing the other run did not record is lost.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { LIVE_OPENAI_KEY } from './fixture-with-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

type Cassette = { entries: { test: string }[] }

describe('two record runs of one test at the same time', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    // Replies slow enough that both runs send the request before either has recorded it.
    server = await startModelServer({ latencyMs: 1500 })
    project = fixture('record-race')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('keep one recording of the shared call, and the run whose recording was not kept says so', async () => {
    const env = (name: string) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, LLM_EVALS_CASSETTES: 'record', RUN_NAME: name })
    const [one, two] = await Promise.all([project.run([], env('one')), project.run(['-t', '^answers$'], env('two'))])
    expect(one.code, one.output).toBe(0)
    expect(two.code, two.output).toBe(0)
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3)

    const { entries } = JSON.parse(project.read('__cassettes__', 'race.test.ts.cassette.json')) as Cassette
    expect(entries.map((entry) => entry.test).sort()).toEqual(['answers', 'other'])
    // Each call sent live is either stored by its run or counted as already recorded by the other: 3 in all.
    const lines = [one.output, two.output].map((output) => output.split('\n').find((line) => line.includes('cassettes [record]')) ?? '')
    const kept = lines.filter((line) => line.includes('sent live but already recorded by another process'))
    expect(kept, lines.join('\n')).toHaveLength(1)
    expect(kept[0]).toMatch(/: 0 replayed, [01] recorded, 1 sent live but already recorded by another process/)

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 2 replayed, 0 recorded')
  })
})
