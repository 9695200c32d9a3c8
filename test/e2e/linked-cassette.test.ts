// Cassettes kept in a shared folder and linked beside their tests (a symbolic link per cassette): a recording run
// writes the shared file and keeps the link (the atomic rename replaced the link with a plain file before), and a
// replay through the link finds what it recorded.
import { lstatSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

const tests = (text: string) => (JSON.parse(text) as { entries: { test: string; meta: { recordedAt: string } }[] }).entries

describe('a cassette that is a symbolic link to a shared folder', () => {
  const setup = fixtureWithServer('marks-only-record')

  test('record writes the shared file through the link, which stays a link; replay reads it', async () => {
    const { project } = setup
    const first = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(first.code, first.output).toBe(0)
    // Moved to the shared folder, and linked back where the library looks for it.
    mkdirSync(project.path('shared'))
    const shared = project.path('shared', 'only-call.test.ts.cassette.json')
    const link = project.path('__cassettes__', 'only-call.test.ts.cassette.json')
    renameSync(link, shared)
    symlinkSync('../shared/only-call.test.ts.cassette.json', link)

    const startedAt = new Date().toISOString()
    const recorded = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.code, recorded.output).toBe(0)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    const entries = tests(readFileSync(shared, 'utf8'))
    expect(entries.map((entry) => entry.test)).toEqual(['cut off', 'refused', 'untouched'])
    expect(entries.every((entry) => entry.meta.recordedAt >= startedAt)).toBe(true)

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  })
})
