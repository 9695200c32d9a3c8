import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

interface Entry {
  test: string
  role: 'app' | 'judge'
}

describe('describeEval confirmFailures records the re-asked judge and replays it offline', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  const path = '/v1/chat/completions'
  const verdict = (category: string) => server.enqueue({ path, content: { reasoning: `It is ${category}.`, category } })

  beforeAll(async () => {
    server = await startModelServer()
    // rescued: the app answers, the judge fails it, then passes it twice. confirmed: fails twice (the third is never asked).
    server.enqueue({ path, content: 'Refunds take 5 working days.' })
    for (const category of ['contradicts', 'subset', 'subset']) verdict(category)
    server.enqueue({ path, content: 'Refunds take 30 days.' })
    for (const category of ['contradicts', 'contradicts']) verdict(category)
    project = fixture('confirm-failures')
    recorded = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', RESULTS_FILE: project.path('recorded.jsonl') }))
    await server.close()
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  const results = (file: string) => project.read(file).trim().split('\n').map((line) => JSON.parse(line) as { name: string; value: Array<{ pass: boolean; details: { confirmations?: unknown } }> })

  test('records every judge call, the re-asked ones included, and keeps the majority verdict', () => {
    expect(recorded.output).toContain('Tests  2 passed')
    const entries = (JSON.parse(project.read('__cassettes__', 'confirm.test.ts.cassette.json')) as { entries: Entry[] }).entries
    const count = (test: string, role: string) => entries.filter((entry) => entry.test.endsWith(test) && entry.role === role).length
    expect([count('rescued', 'app'), count('rescued', 'judge'), count('confirmed', 'app'), count('confirmed', 'judge')]).toEqual([1, 3, 1, 2])
    expect(results('recorded.jsonl').map(({ name, value }) => [name, value.map((record) => [record.pass, record.details.confirmations])])).toEqual([
      ['rescued', [[true, { runs: 2, verdicts: [false, true, true] }]]],
      ['confirmed', [[false, { runs: 1, verdicts: [false, false] }]]],
    ])
  })

  test('replays in CI with no server: the same verdicts in the same order', async () => {
    const replayed = await project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replayed.output).toContain('Tests  2 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 7 replayed, 0 recorded/)
    expect(project.read('replayed.jsonl')).toBe(project.read('recorded.jsonl'))
  })
})
