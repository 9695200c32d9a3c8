// A cassette is a file anyone can commit: one damaged by hand or by a hostile pull request fails its test file with a
// `[vitest-llm-evals]` error naming the file, the entry and what to do, in replay and while recording, and is never
// written over.
import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

const CASSETTE = ['__cassettes__', 'lifecycle.test.ts.cassette.json'] as const

describe('a hostile cassette', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: string
  const liveEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', ...extra })

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('modes')
    const run = await project.run(['lifecycle.test.ts'], liveEnv({ RESULTS_FILE: project.path('recorded.jsonl') }))
    expect(run.output).toContain('Tests  2 passed')
    recorded = project.read(...CASSETTE)
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('JSON nested 100,000 levels deep in a request body: a clear error in replay and in auto, and the file is left as it is', async () => {
    const document = JSON.parse(recorded) as { entries: { test: string; request: { body: unknown } }[] }
    const first = document.entries.find((entry) => entry.test === 'first')
    if (first) first.request.body = 'DEEP'
    const damaged = JSON.stringify(document, null, 2).replace('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)
    writeFileSync(project.path(...CASSETTE), damaged)
    for (const env of [cleanEnv({ CI: 'true' }), liveEnv({ LLM_EVALS_CASSETTES: 'auto' })]) {
      const run = await project.run(['lifecycle.test.ts'], env)
      expect(run.code).toBe(1)
      expect(run.output).toContain('[vitest-llm-evals] Cannot read cassette')
      expect(run.output).toContain('the entry of test "first" (call 0) holds JSON nested too deeply to use')
      expect(run.output).not.toMatch(/^RangeError/m)
      expect(project.read(...CASSETTE)).toBe(damaged)
    }
  }, 120_000)

  test('a response no Response can be made of (status 700): its test fails saying which entry, and the file is left as it is', async () => {
    const damaged = recorded.replace('"status": 200', '"status": 700')
    writeFileSync(project.path(...CASSETTE), damaged)
    const run = await project.run(['lifecycle.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.code).toBe(1)
    expect(run.output).toContain('Cannot replay a recording of cassette')
    expect(run.output).toContain('the entry of test "first" (call 0) holds a response that cannot be replayed (init["status"] must be in the range of 200 to 599')
    expect(run.output).not.toContain('Connection error')
    expect(project.read(...CASSETTE)).toBe(damaged)
  }, 120_000)

  test('a __proto__ header survives a recording run that writes the cassette again', async () => {
    const withHeader = recorded.replace('"headers": {}', '"headers": {\n        "__proto__": "kept"\n      }')
    expect(withHeader).not.toBe(recorded)
    writeFileSync(project.path(...CASSETTE), withHeader)
    // `record` re-records only "second": the entries of "first" are written back as they were read.
    const run = await project.run(['lifecycle.test.ts', '-t', 'second'], liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(run.output).toContain('1 passed')
    expect(project.read(...CASSETTE)).toContain('"__proto__": "kept"')
  }, 120_000)
})
