// Vitest `retry` and the cassettes: every try of a test is judged on its own calls. A replay miss the app caught
// fails every try that misses (not only the first, whose error Vitest keeps beside the retry's), and in `auto` a
// retry after two failed tries calls live again (the second failed try's recordings are dropped, never replayed).
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

interface Cassette { entries: { test: string; response: { json?: { choices?: { message: { content: string } }[] } } }[]; tools?: { test: string; result?: unknown }[] }

describe('tries of a retried test', () => {
  const setup = fixtureWithServer('retry-tries')
  const cassette = (file: string) => JSON.parse(readFileSync(setup.project.path('__cassettes__', `${file}.cassette.json`), 'utf8')) as Cassette

  test('replay: a miss the app caught fails every try, so a retried test fails', async () => {
    const run = await setup.project.run(['caught-miss.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code, run.output).not.toBe(0)
    expect(run.output).toContain('Tests  2 failed')
    // Each of the three tries of each test failed with its miss. Vitest prints an error once for the tries whose
    // errors are the same, stack included, so the tries may come in one group or several (async frames vary).
    expect(run.output).toContain('cassettes [replay]: 0 replayed, 0 recorded, 6 missing')
    const failedTries = (name: string) =>
      [...run.output.matchAll(new RegExp(`FAIL  caught-miss\\.test\\.ts > ${name} \\(([^)]*)\\)`, 'g'))].flatMap((match) => (match[1] ?? '').split(', ')).sort()
    expect(failedTries('model miss caught, retried')).toEqual(['1st retry', '2nd retry', 'initial run'])
    expect(failedTries('tool miss caught, retried')).toEqual(['1st retry', '2nd retry', 'initial run'])
    expect(run.output).toContain('No recording for tool search')
    expect(run.output).toContain('No recording for POST https://api.openai.com/v1/chat/completions')
  })

  test('auto: each retry after a failed try calls live, and only the passing try is stored', async () => {
    const { project, server } = setup
    for (const content of ['wrong', 'wrong', 'right']) server.enqueue({ content })
    const run = await project.run(['flaky-three.test.ts'], setup.liveEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('TRIES ["1:wrong","2:wrong","3:right"]')
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3)
    const stored = cassette('flaky-three.test.ts')
    expect(stored.entries.map((entry) => entry.response.json?.choices?.[0]?.message.content)).toEqual(['right'])
    expect(stored.tools?.map((record) => record.result)).toEqual([{ q: 'retry', run: 3 }])
    expect(run.output).toContain("0 model calls replayed, 1 recorded, 2 sent live in a failed try (dropped for the retry's recording) · 0 tool results replayed, 1 recorded, 2 run in a failed try")
    const replay = await project.run(['flaky-three.test.ts'], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('TRIES ["3:right"]')
  })

  test('auto, tools only: the counts are of tool results, the retry runs the tool again', async () => {
    const run = await setup.project.run(['tools-only.test.ts'], setup.liveEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('TOOL TRIES [1,2,3]')
    expect(cassette('tools-only.test.ts').tools?.map((record) => record.result)).toEqual([{ q: 'retry', run: 3 }])
    expect(run.output).toContain("0 model calls replayed, 0 recorded · 0 tool results replayed, 1 recorded, 2 run in a failed try (dropped for the retry's recording)")
  })
})
