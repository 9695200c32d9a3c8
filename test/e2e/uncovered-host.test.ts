import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

// A new user's case: `new OpenAI({ baseURL })` in code at a local stand-in, the README's plain `llmEvals()`.
// The calls went live and unrecorded without a word, then failed in CI with the SDK's bare "Connection error.".
describe('model calls to a host the cassettes do not cover', () => {
  let server: ModelServer
  let project: FixtureProject
  let host: string
  let auto: RunResult
  const keys = { OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', ANTHROPIC_API_KEY: 'sk-ant-api03-livekey0123456789abcdef' }
  const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ MODEL_URL: server.url, ...keys, ...extra })
  const warnings = (output: string) => output.split('\n').filter((line) => line.includes('looks like a model API call'))

  beforeAll(async () => {
    server = await startModelServer()
    host = new URL(server.url).host
    project = fixture('uncovered-host')
    auto = await project.run([], env())
  }, 120_000)

  afterAll(async () => {
    if (!process.env.KEEP_FIXTURE) project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('auto: each file says once which host was not recorded and the snippet that records it', () => {
    expect(auto.output).toContain('Tests  4 passed')
    expect(project.exists('__cassettes__')).toBe(false)
    const lines = warnings(auto.output)
    // Once per host and test file (chat.test.ts makes two calls), never for the plain JSON API.
    expect(lines).toHaveLength(2)
    expect(lines.some((line) => line.includes(`POST http://${host}/v1/chat/completions`))).toBe(true)
    expect(lines.some((line) => line.includes(`POST http://${host}/v1/messages`))).toBe(true)
    for (const line of lines) expect(line).toContain('was not recorded (cassette mode: auto)')
    expect(auto.output).toContain(`llmEvals({ cassettes: { hosts: ['${host}'] } }) in vitest.config.ts`)
    expect(auto.output).toContain('or set the base URL through OPENAI_BASE_URL')
    expect(auto.output).toContain('or set the base URL through ANTHROPIC_BASE_URL')
    expect(auto.output).toMatch(/See "Which requests are recorded" in \S*docs\/cassettes\.md\./)
    // Never a header or a key.
    expect(auto.output).not.toMatch(/authorization|livekey|x-stainless/i)
  })

  test('replay (CI): a live server is still called (deliberate passthrough) but said; with no server the test fails with the explanation', async () => {
    const live = await project.run(['chat.test.ts'], env({ CI: 'true' }))
    expect(live.output).toContain('Tests  2 passed')
    expect(warnings(live.output)).toHaveLength(1)
    expect(live.output).toContain('not served from a cassette (cassette mode: replay)')

    const down = await project.run(['chat.test.ts'], env({ CI: 'true', MODEL_URL: 'http://127.0.0.1:9' }))
    expect(down.output).toContain('Tests  2 failed')
    expect(down.output).toContain('Connection error.')
    expect(down.output).toContain('CassetteError: [vitest-llm-evals] POST http://127.0.0.1:9/v1/chat/completions looks like a model API call')
    expect(down.output).toContain('failed: no server answered there')
    expect(down.output).toContain("llmEvals({ cassettes: { hosts: ['127.0.0.1:9'] } })")
  }, 60_000)

  test('with the snippet added: recorded in auto, replayed with CI=true and no server, no warning', async () => {
    const config = project.path('vitest.config.ts')
    writeFileSync(config, readFileSync(config, 'utf8').replace('llmEvals()', `llmEvals({ cassettes: { hosts: ['${host}'] } })`))
    const record = await project.run(['chat.test.ts', 'messages.test.ts'], env())
    expect(record.output).toContain('Tests  3 passed')
    expect(warnings(record.output)).toEqual([])
    expect(record.output).toContain('cassettes [auto]: 0 replayed, 3 recorded')
    expect(project.exists('__cassettes__', 'chat.test.ts.cassette.json')).toBe(true)

    // No server any more: only the cassettes can answer.
    await server.close()
    const replay = await project.run(['chat.test.ts', 'messages.test.ts'], env({ CI: 'true' }))
    expect(replay.output).toContain('Tests  3 passed')
    expect(replay.output).toContain('cassettes [replay]: 3 replayed, 0 recorded')
    expect(warnings(replay.output)).toEqual([])
  }, 60_000)
})
