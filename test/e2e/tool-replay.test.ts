// recordTool end to end: a whole agent run (model calls and tool calls) recorded once, then replayed in CI
// with the model API and the tools' backend gone.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

const LIVE_KEY = 'live-secret-value-0123456789abcdef'
interface ToolRecord { test: string; repeat: number; call: number; name: string; occurrence: number; args: unknown; result?: unknown; error?: unknown }

describe('recordTool: record, then replay offline', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { code: number | null; output: string }
  const tools = (file: string) => (JSON.parse(project.read('__cassettes__', `${file}.cassette.json`)) as { tools: ToolRecord[] }).tools
  const results = (file: string) => project.read(file).trim().split('\n').sort()
  const cli = (args: string[]) =>
    new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'bin.js'), ...args], { cwd: project.dir, env: cleanEnv() })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
      child.on('close', (code) => done({ code, output }))
    })

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('tools')
    server.enqueue({ path: '/v1/chat/completions', toolCall: { name: 'lookup_order', arguments: { orderId: '123' } } })
    server.enqueue({ path: '/v1/chat/completions', content: 'Refund issued for order 123.' })
    recorded = await project.run(
      ['agent.test.ts', 'secret.test.ts'],
      cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_KEY, RESULTS_FILE: project.path('recorded.jsonl'), CALLS_FILE: project.path('recorded-calls.txt') }),
    )
    await server.close()
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('auto records every tool call beside the model calls, in order, with what it returned or threw', () => {
    expect(recorded.output).toContain('Tests  1 failed | 8 passed')
    const stored = tools('agent.test.ts')
    const summary = (test: string) => stored.filter((record) => record.test === test).map((record) => [record.repeat, record.call, record.name, record.occurrence])
    expect(summary('(file)')).toEqual([[0, 0, 'load_config', 0]])
    expect(summary('refund agent: model, tool, model')).toEqual([[0, 0, 'lookup_order', 0]])
    expect(summary('concurrent a')).toEqual([[0, 0, 'clock', 0], [0, 1, 'clock', 1], [0, 2, 'clock', 2]])
    expect(summary('repeated')).toEqual([[0, 0, 'clock', 0], [1, 0, 'clock', 0], [2, 0, 'clock', 0]])
    expect(stored.find((record) => record.test === 'a thrown error is replayed with its name, message and code' && record.error)?.error).toEqual({
      name: 'NotFoundError', message: 'no customer with email bob@example.com', code: 'P2025',
    })
    // Vitest retried the flaky test: only the passing retry's call is kept.
    const flaky = stored.filter((record) => record.test === 'flaky')
    expect(flaky).toHaveLength(1)
    expect(flaky[0]?.result).toEqual(JSON.parse(results('recorded.jsonl').find((line) => line.includes('"flaky try 2"')) ?? '{}').value)
    // The order of keys of a result is kept in the file (arguments are sorted).
    expect(project.read('__cassettes__', 'agent.test.ts.cassette.json')).toMatch(/"result": \{\n\s+"orderId": "123",\n\s+"status": "delivered",\n\s+"zeta": 1,\n\s+"alpha": \{\n\s+"z": true/)
  })

  test('a live key in what a tool returns refuses only that recording, and never reaches disk', () => {
    expect(recorded.output).toContain('SecretLeakError')
    expect(recorded.output).toContain('it would contain the value of OPENAI_API_KEY (a recording of tool "read_settings" in test "leaks the key")')
    expect(tools('secret.test.ts').map((record) => record.test)).toEqual(['harmless'])
    expect(project.read('__cassettes__', 'secret.test.ts.cassette.json')).not.toContain(LIVE_KEY)
  })

  test('replay with the model API and the backend gone gives the same results, never calls a tool, and writes nothing', async () => {
    const before = project.read('__cassettes__', 'agent.test.ts.cassette.json')
    const replay = await project.run(['agent.test.ts'], cleanEnv({ CI: 'true', BACKEND_DOWN: '1', RESULTS_FILE: project.path('replayed.jsonl'), CALLS_FILE: project.path('replayed-calls.txt') }))
    expect(replay.output).toContain('Tests  7 passed')
    expect(project.exists('replayed-calls.txt')).toBe(false)
    const notFlaky = (lines: string[]) => lines.filter((line) => !line.includes('"flaky try'))
    expect(notFlaky(results('replayed.jsonl'))).toEqual(notFlaky(results('recorded.jsonl')))
    // The flaky test fails its first try again (its own counter): both tries replay what the passing retry recorded.
    const valueOf = (line: string | undefined) => (JSON.parse(line ?? '{}') as { value?: unknown }).value
    const retried = valueOf(results('recorded.jsonl').find((line) => line.includes('"flaky try 2"')))
    expect(results('replayed.jsonl').filter((line) => line.includes('"flaky try')).map(valueOf)).toEqual([retried, retried])
    expect(project.read('__cassettes__', 'agent.test.ts.cassette.json')).toBe(before)
    expect(readFileSync(project.path('recorded-calls.txt'), 'utf8').split('\n').filter(Boolean).length).toBeGreaterThan(0)
  })

  test('a tool call with no recording fails its test with the call, the nearest recording and the command', async () => {
    const file = project.path('agent.test.ts')
    const source = readFileSync(file, 'utf8')
    writeFileSync(file, source.replace("findCustomer({ email: 'bob@example.com' })", "findCustomer({ email: 'bob@example.org' })"))
    try {
      const replay = await project.run(['agent.test.ts', '-t', 'thrown error'], cleanEnv({ CI: 'true', BACKEND_DOWN: '1' }))
      expect(replay.code).toBe(1)
      // The app caught the error, the test still fails with the miss.
      const message = /CassetteMissError: \[vitest-llm-evals\] No recording for tool[^]*?To record it: [^\n]*/.exec(replay.output)?.[0]
      expect(message).toMatchInlineSnapshot(`
        "CassetteMissError: [vitest-llm-evals] No recording for tool find_customer({"email":"bob@example.org"}) (cassette mode: replay).
          Test:     a thrown error is replayed with its name, message and code
          Cassette: __cassettes__/agent.test.ts.cassette.json
          Nearest recording (this test, tool call 0) differs in:
            - args.email: recorded "ada@example.com", received "bob@example.org"
          To record it: LLM_EVALS_CASSETTES=auto npx vitest run agent.test.ts -t '(?:^| )a thrown error is replayed with its name, message and code$'  (calls the tool for real; then commit the cassette)"
      `)
    } finally {
      writeFileSync(file, source)
    }
  })

  test('cassettes check counts tool recordings and prune drops the ones no test uses', async () => {
    rmSync(project.path('replayed.jsonl'), { force: true })
    const file = project.path('agent.test.ts')
    writeFileSync(file, readFileSync(file, 'utf8').replace("const found = await findCustomer({ email: 'ada@example.com' })", "const found = { id: 'c1', name: 'Ada' }"))
    expect((await project.run(['agent.test.ts'], cleanEnv({ CI: 'true', BACKEND_DOWN: '1' }))).output).toContain('Tests  7 passed')
    const check = await cli(['cassettes', 'check'])
    expect(check.output).toMatch(/agent\.test\.ts\.cassette\.json: 2 entries, 17 tool recordings, [\d.]+ KB/)
    expect(check.output).toContain('unused: 1 tool recording ("a thrown error is replayed with its name, message and code")')
    const prune = await cli(['cassettes', 'prune'])
    expect(prune.output).toContain('Removed 0 entries and 1 tool recording.')
    expect(tools('agent.test.ts')).toHaveLength(16)
    expect((await project.run(['agent.test.ts'], cleanEnv({ CI: 'true', BACKEND_DOWN: '1' }))).output).toContain('Tests  7 passed')
    expect(existsSync(project.path('replayed-calls.txt'))).toBe(false)
  })
})

describe('recordTool: processes sharing one cassette', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('tools')
  })
  afterAll(() => project?.remove())

  test('projects and parallel runs recording the same test file keep every tool record, once', async () => {
    const stored = () => (JSON.parse(project.read('__cassettes__', 'shared.test.ts.cassette.json')) as { tools: ToolRecord[] }).tools
    for (let round = 0; round < 2; round++) {
      rmSync(project.path('__cassettes__'), { recursive: true, force: true })
      const [both, again] = await Promise.all([
        project.run(['--config', 'vitest.projects.config.ts', '--maxWorkers=2'], cleanEnv()),
        project.run(['--config', 'vitest.projects.config.ts', '--project', 'first'], cleanEnv()),
      ])
      expect(both.output).toContain('Tests  40 passed')
      expect(again.output).toContain('Tests  20 passed')
      // Per test: each project's own search, and the search both make, each stored once.
      expect(stored()).toHaveLength(60)
    }
    const replay = await project.run(['--config', 'vitest.projects.config.ts'], cleanEnv({ CI: 'true', BACKEND_DOWN: '1' }))
    expect(replay.output).toContain('Tests  40 passed')
  }, 120_000)
})
