// `record` re-records a test whole: a try that sent its calls but stored none of them (a recording refused for a
// secret, a call cut off by the test's timeout) leaves only marks, and those replace the test's earlier recording too.
// Before, the earlier answer stayed and CI replayed it green, an answer the last recording run did not confirm.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

interface Stored {
  entries: { test: string; meta: { recordedAt: string } }[]
  unrecorded?: { test: string; reason: string }[]
}
/** A live credential no key pattern matches: only the guard on live values can keep it off disk, by refusing. */
const LIVE_TOKEN = 'live-secret-value-0123456789abcdef'
const stored = (project: FixtureProject) => JSON.parse(project.read('__cassettes__', 'only-call.test.ts.cassette.json')) as Stored

describe('a record try that stored nothing but marks', () => {
  const setup = fixtureWithServer('marks-only-record')

  test('replaces the test\'s earlier recording: its replay misses and says why; the next auto run records it again', async () => {
    const { project, server } = setup
    const first = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(first.code, first.output).toBe(0)
    expect(stored(project).entries.map((entry) => entry.test)).toEqual(['cut off', 'refused', 'untouched'])

    // The API now echoes the key in its answer to the first test, and answers the second after its timeout.
    server.enqueue({ content: `use ${LIVE_TOKEN}` })
    server.enqueue({ content: 'too late', delayMs: 1500 })
    const startedAt = new Date().toISOString()
    const recorded = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record', BILLING_API_TOKEN: LIVE_TOKEN }))
    expect(recorded.code).toBe(1)
    expect(recorded.output).toContain('That recording was not stored')
    expect(recorded.output).toContain('Test timed out in 1000ms')
    const after = stored(project)
    expect(after.entries.map((entry) => entry.test)).toEqual(['untouched'])
    expect((after.entries[0]?.meta.recordedAt ?? '') >= startedAt).toBe(true)
    expect(after.unrecorded?.map((mark) => [mark.test, mark.reason])).toEqual([['cut off', 'test-timeout'], ['refused', 'refused']])
    expect(project.read('__cassettes__', 'only-call.test.ts.cassette.json')).not.toContain(LIVE_TOKEN)

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    expect(replay.output).toContain('Tests  2 failed | 1 passed')
    expect(replay.output).toContain('refused to store a recording of this test')
    expect(replay.output).toContain("the test's time ran out before this call was answered")

    // Let the late reply finish; then an ordinary recording run stores both calls and their marks go.
    await new Promise((done) => setTimeout(done, 800))
    const again = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(again.code, again.output).toBe(0)
    expect(stored(project).entries.map((entry) => entry.test)).toEqual(['cut off', 'refused', 'untouched'])
    expect(stored(project).unrecorded).toBeUndefined()
    const green = await project.run([], cleanEnv({ CI: 'true' }))
    expect(green.code, green.output).toBe(0)
  })
})
