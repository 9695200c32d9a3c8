// Regression (review repro rside-projects): a `record` run of two test.projects whose test names differ by project (built from the
// project's env). Each project's endFile flush keeps only the entries of tests it collected (store.ts write: `exists`
// ignores `project`), so the project that finishes last drops the other's recording, and (this branch) its sidecar.
import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

const LONG = 'hello '.repeat(400)

describe('record run of two projects with per-project test names', () => {
  const setup = fixtureWithServer('record-projects-own-names')

  test('keeps both projects\' recordings and sidecars, and both replay', async () => {
    const { project, server } = setup
    server.enqueue({ path: '/v1/chat/completions', content: `${LONG} one` })
    server.enqueue({ path: '/v1/chat/completions', content: `${LONG} two` })
    const first = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(first.code, first.output).toBe(0)
    const cassette = JSON.parse(project.read('__cassettes__', 'answer.test.ts.cassette.json')) as { entries: { test: string; project?: string; response: { file?: string } }[] }
    const folder = project.path('__cassettes__', 'answer.test.ts.cassette.files')
    const files = existsSync(folder) ? readdirSync(folder) : []
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect({ entries: cassette.entries.map((entry) => `${entry.project}: ${entry.test}`).sort(), files: files.length, replay: /Tests\s+2 passed/.test(replay.output) }).toEqual({
      entries: ['big: answers with gpt-4o', 'mini: answers with gpt-4o-mini'],
      files: 2,
      replay: true,
    })
  }, 180_000)
})
