// A test with `repeats` whose second repeat times out between its two calls: the first repeat's recording stays
// whole, the late call of the timed-out repeat is refused (not recorded under the next test), a replay of the
// timed-out repeat misses on that call only, and a later `auto` run completes it so that the replay passes offline.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

type Cassette = { entries: { test: string; repeat: number; request: { body: { messages: { content: string }[] } } }[]; unrecorded?: { test: string; repeat: number; reason: string }[] }

describe.each(['record', 'auto'])('a repeat that times out, in %s', (mode) => {
  const setup = fixtureWithServer('repeat-timeout')
  const cassette = () => JSON.parse(readFileSync(setup.project.path('__cassettes__', 'repeated.test.ts.cassette.json'), 'utf8')) as Cassette
  const asked = (stored: Cassette) => stored.entries.map((entry) => `${entry.test}#${entry.repeat}: ${entry.request.body.messages[0]?.content}`).sort()

  test('keeps the other repeat whole, stores no late call, and a later auto run completes the timed-out repeat', async () => {
    const { project } = setup
    if (mode === 'record') {
      const complete = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
      expect(complete.code, complete.output).toBe(0)
    }
    const slow = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: mode, SLOW: '1' }))
    expect(slow.code).toBe(1)
    expect(slow.output).toContain('Test timed out in 1500ms')
    const stored = cassette()
    expect(asked(stored)).toEqual(['after#0: after', 'repeated#0: first of repeat 0', 'repeated#0: second of repeat 0', 'repeated#1: first of repeat 1'])

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    // Only the timed-out repeat fails, on its second call (the first is replayed).
    expect(replay.output).toMatch(/Tests {2}1 failed \| 1 passed \(2\)/)
    expect(replay.output).toContain('Test:     repeated (repeat 1)')
    expect(replay.output).toContain('received "second of repeat 1"')

    const completed = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(completed.code, completed.output).toBe(0)
    const again = await project.run([], cleanEnv({ CI: 'true' }))
    expect(again.code, again.output).toBe(0)
  }, 120_000)
})
