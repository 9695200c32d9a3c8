// Two tests of one file with the same full name (Vitest allows it): each keeps its own recordings, under a name
// that tells them apart, and replays them; the run warns about the name instead of blaming another process.
import { describe, expect, test } from 'vitest'
import { cleanEnv } from './run-fixture.js'
import { fixtureWithServer } from './fixture-with-server.js'

type Cassette = { entries: { test: string; response: { json?: { choices?: { message?: { content?: string } }[] } } }[] }

describe('two tests with the same name in one file', () => {
  const setup = fixtureWithServer('duplicate-names')
  const answers = () => {
    const { entries } = JSON.parse(setup.project.read('__cassettes__', 'dup.test.ts.cassette.json')) as Cassette
    return entries.map((entry) => [entry.test, entry.response.json?.choices?.[0]?.message?.content])
  }
  const enqueueAnswers = () => {
    for (const content of ['warm', 'one', 'two']) setup.server.enqueue({ content })
  }
  const warning = 'Two tests in dup.test.ts are named "answers"'

  test('auto: both are recorded, each under its own name, and each replays its own answer', async () => {
    enqueueAnswers()
    const run = await setup.project.run([], setup.liveEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain(warning)
    expect(run.output).toContain('cassettes [auto]: 0 replayed, 3 recorded')
    expect(run.output).not.toContain('another process')
    expect(answers()).toEqual([['answers', 'one'], ['answers (duplicate name, test 2)', 'two'], ['warm up', 'warm']])

    const replay = await setup.project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 3 replayed, 0 recorded')
  })

  test("record: the second test's recording does not replace the first's", async () => {
    enqueueAnswers()
    const run = await setup.project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain(warning)
    expect(answers()).toEqual([['answers', 'one'], ['answers (duplicate name, test 2)', 'two'], ['warm up', 'warm']])

    const replay = await setup.project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  })
})

describe('two tests whose names differ only in what a redact rule scrubs', () => {
  const setup = fixtureWithServer('duplicate-names-redacted')
  const answers = () => {
    const { entries } = JSON.parse(setup.project.read('__cassettes__', 'redacted.test.ts.cassette.json')) as Cassette
    return entries.map((entry) => [entry.test, entry.response.json?.choices?.[0]?.message?.content])
  }

  // Stored under one name, the second replayed the first's answer (auto) or dropped its recording (record).
  test.each(['auto', 'record'])('%s: each keeps its own recording apart and replays it', async (mode) => {
    for (const content of ['one', 'two']) setup.server.enqueue({ content })
    const run = await setup.project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: mode }))
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('are stored under one name, "refund for [REDACTED]" (a `cassettes.redact` rule hides what tells their names apart)')
    expect(answers()).toEqual([['refund for [REDACTED]', 'one'], ['refund for [REDACTED] (duplicate name, test 2)', 'two']])

    const replay = await setup.project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  })
})
