// Two `test.projects` over one test file, recorded together in `record` mode: the same first request gets a
// different answer in each, and the second request holds it. Each project's recording must be kept, the count
// must say what was stored, and a replay must give each project the answers it was recorded with.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

interface Stored { test: string; call: number; project?: string }

describe('record mode with two projects over one file', () => {
  const setup = fixtureWithServer('record-projects-chain')

  test('keeps each project\'s recordings, and each project replays its own', async () => {
    const { project } = setup
    const recorded = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record', RUN_NAME: 'record' }))
    expect(recorded.code, recorded.output).toBe(0)
    const { entries } = JSON.parse(project.read('__cassettes__', 'chain.test.ts.cassette.json')) as { entries: Stored[] }
    expect(entries.map((entry) => entry.project).sort()).toEqual(['alpha', 'alpha', 'beta', 'beta'])
    expect(new Set(entries.map((entry) => entry.call)).size, 'call numbers stay unique within the test').toBe(4)
    expect(recorded.output).toContain('0 replayed, 4 recorded')

    const replay = await project.run([], cleanEnv({ CI: 'true', RUN_NAME: 'replay' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('4 replayed, 0 recorded')
    for (const name of ['alpha', 'beta']) {
      expect(project.read(`answers-${name}-replay.json`), name).toBe(project.read(`answers-${name}-record.json`))
    }
  })
})
