// Tests that fake the clock and timers (`vi.useFakeTimers()`, `vi.setSystemTime()`) fake their own code's, never
// the library's: recordings carry the real time and latency, two `record` runs of the file at once still keep one
// recording of a shared call (the merge tells fresh recordings by their real time), and the cassette replays.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { LIVE_OPENAI_KEY } from './fixture-with-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

interface Stored {
  entries: { test: string; meta: { recordedAt: string; latencyMs: number } }[]
  tools: { test: string; name: string; meta: { recordedAt: string } }[]
}

function cassettesCheck(project: FixtureProject): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), 'cassettes', 'check'], { cwd: project.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', fail)
    child.on('close', () => done(output))
  })
}

describe('tests that fake timers and the date', () => {
  let server: ModelServer
  let project: FixtureProject

  beforeAll(async () => {
    // Replies slow enough that both runs send the request before either has recorded it, and a latency to measure.
    server = await startModelServer({ latencyMs: 1500 })
    project = fixture('fake-timers')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('record with the real time and latency, two record runs at once keep one recording of the shared call, and replay passes', async () => {
    const env = (name: string) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, LLM_EVALS_CASSETTES: 'record', RUN_NAME: name })
    const before = Date.now()
    const [one, two] = await Promise.all([project.run([], env('one')), project.run(['-t', '^answers$'], env('two'))])
    const after = Date.now()
    expect(one.code, one.output).toBe(0)
    expect(two.code, two.output).toBe(0)

    const stored = JSON.parse(project.read('__cassettes__', 'faked.test.ts.cassette.json')) as Stored
    expect(stored.entries.map((entry) => entry.test).sort()).toEqual(['answers', 'other'])
    expect(stored.tools.map((record) => `${record.test}:${record.name}`)).toEqual(['answers:look_up'])
    for (const { meta } of [...stored.entries, ...stored.tools]) {
      expect(Date.parse(meta.recordedAt)).toBeGreaterThanOrEqual(before)
      expect(Date.parse(meta.recordedAt)).toBeLessThanOrEqual(after)
    }
    for (const entry of stored.entries) expect(entry.meta.latencyMs).toBeGreaterThanOrEqual(1000)

    // Each call sent live is either stored by its run or counted as already recorded by the other.
    const lines = [one.output, two.output].map((output) => output.split('\n').find((line) => line.includes('cassettes [record]')) ?? '')
    const kept = lines.filter((line) => line.includes('already recorded by another process'))
    expect(kept, lines.join('\n')).toHaveLength(1)

    expect(await cassettesCheck(project)).not.toContain('stale')
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 2 model calls replayed, 0 recorded')
  })
})
