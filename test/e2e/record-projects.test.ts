// Two `test.projects` over one test file share its cassette: re-recording one project (`--project`) must keep
// what the other recorded, so a replay of both still finds every call.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

interface Stored { test: string; project?: string; request?: { body: { model?: string } }; args?: { model?: string } }
const cassette = (project: FixtureProject) =>
  JSON.parse(project.read('__cassettes__', 'answer.test.ts.cassette.json')) as { entries: Stored[]; tools?: Stored[] }

describe('re-recording one of two projects that share a cassette', () => {
  const setup = fixtureWithServer('record-projects')
  const liveEnv = setup.liveEnv

  test('keeps the other project\'s recordings, and each recording says which project made it', async () => {
    const { project } = setup
    const first = await project.run([], liveEnv())
    expect(first.code, first.output).toBe(0)
    const rerecord = await project.run(['--project', 'mini'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(rerecord.code, rerecord.output).toBe(0)

    const { entries, tools = [] } = cassette(project)
    expect(entries.map((entry) => [entry.project, entry.request?.body.model]).sort()).toEqual([['big', 'gpt-4o'], ['mini', 'gpt-4o-mini']])
    expect(tools.map((record) => [record.project, record.args?.model]).sort()).toEqual([['big', 'gpt-4o'], ['mini', 'gpt-4o-mini']])

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('Tests  2 passed')
  })

  test('a record run of both projects replaces the recordings of each', async () => {
    const { project } = setup
    const before = cassette(project).entries.length
    const run = await project.run([], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.code, run.output).toBe(0)
    expect(cassette(project).entries).toHaveLength(before)
  })
})
