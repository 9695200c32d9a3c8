// The end-of-run line and summary.json count the tool results (recordTool) a run replayed and recorded beside
// its model calls, in every mode, and a `--merge-reports` run counts what every shard did.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const LIVE_KEY = 'live-secret-value-0123456789abcdef'
const ANSWER = 'Order 123 is delivered.'

describe('cassette counts with recordTool', () => {
  let server: ModelServer
  let project: FixtureProject
  const line = (output: string) => output.split('\n').find((text) => text.startsWith('LLM evals: '))
  const totals = () => (JSON.parse(project.read('.evals', 'summary.json')) as { run: { totals: Record<string, unknown> } }).run.totals
  const live = () => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY })
  const offline = cleanEnv({ CI: 'true', BACKEND_DOWN: '1' })

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('tool-counts')
  })
  afterAll(async () => {
    project?.remove()
    await server?.close()
  })

  test('auto records the tool results, replay replays them, and both say how many', async () => {
    server.enqueue({ path: '/v1/chat/completions', content: ANSWER })
    const recorded = await project.run([], { ...live(), LLM_EVALS_CASSETTES: 'auto' })
    expect(recorded.output).toContain('Tests  17 passed')
    // 24 tool results: one at the top level of a file, one beside the model call, a result and a throw, three
    // repeats, the retried test's last try, three concurrent tests of two calls, ten tests of one.
    expect(line(recorded.stdout)).toBe("LLM evals: 11 scores (0 below threshold) · cassettes [auto]: 0 model calls replayed, 1 recorded · 0 tool results replayed, 24 recorded, 1 run in a failed try (dropped for the retry's recording) — commit the __cassettes__ changes")
    expect(totals()).toMatchObject({ replayed: 0, recorded: 1, toolResults: { replayed: 0, recorded: 24 } })

    const replayed = await project.run([], offline)
    expect(replayed.output).toContain('Tests  17 passed')
    expect(line(replayed.stdout)).toBe('LLM evals: 11 scores (0 below threshold) · cassettes [replay]: 1 model call replayed, 0 recorded · 24 tool results replayed, 0 recorded')
    expect(totals()).toMatchObject({ replayed: 1, recorded: 0, toolResults: { replayed: 24, recorded: 0 } })
  }, 120_000)

  test('--merge-reports counts the tool results of every shard', async () => {
    const shards = await Promise.all([1, 2].map((index) => project.run([`--shard=${index}/2`, '--reporter=blob'], offline)))
    expect(shards.map((run) => run.code)).toEqual([0, 0])
    const counts = shards.map((run) => /cassettes \[replay\]: .*/.exec(run.stdout)?.[0]).sort()
    expect(counts).toEqual(['cassettes [replay]: 0 model calls replayed, 0 recorded · 10 tool results replayed, 0 recorded', 'cassettes [replay]: 1 model call replayed, 0 recorded · 14 tool results replayed, 0 recorded'])
    const merged = await project.run(['--merge-reports'], offline)
    expect(merged.code).toBe(0)
    expect(line(merged.stdout)).toBe('LLM evals: 11 scores (0 below threshold) · cassettes [replay]: 1 model call replayed, 0 recorded · 24 tool results replayed, 0 recorded')
    expect(totals()).toMatchObject({ replayed: 1, recorded: 0, toolResults: { replayed: 24, recorded: 0 } })
  }, 120_000)

  test('record re-records every tool result', async () => {
    server.enqueue({ path: '/v1/chat/completions', content: ANSWER })
    const recorded = await project.run([], { ...live(), LLM_EVALS_CASSETTES: 'record' })
    expect(recorded.output).toContain('Tests  17 passed')
    expect(line(recorded.stdout)).toBe("LLM evals: 11 scores (0 below threshold) · cassettes [record]: 0 model calls replayed, 1 recorded · 0 tool results replayed, 24 recorded, 1 run in a failed try (dropped for the retry's recording) — commit the __cassettes__ changes")
    expect(totals()).toMatchObject({ replayed: 0, recorded: 1, toolResults: { replayed: 0, recorded: 24 } })
  }, 120_000)
})
