// Issue 13, "Nothing secret leaks": what looks like a key (secretlint's recommended rules and ours) is scrubbed
// from recordings, which still replay, flagged by `llm-evals cassettes check`, and kept out of history and reports.
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { embeddedData } from '../reporters/report-page-fixtures.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

const TOKEN = 'ghp_' + 'Qm7'.repeat(12)
const AWS_KEY_ID = 'AKIA' + 'ZQ7W'.repeat(4)
const CASSETTE = join('__cassettes__', 'model.test.ts.cassette.json')
const bin = join(repoRoot, 'dist', 'src', 'cli', 'bin.js')

const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`

function llmEvals(project: FixtureProject, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: project.dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (data: Buffer) => (output += data.toString()))
    child.stderr.on('data', (data: Buffer) => (output += data.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, output }))
  })
}

describe('secrets found by the scan', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: { output: string; code: number | null }
  const results = (file: string) => readFileSync(project.path(file), 'utf8').trim().split('\n').sort()

  beforeAll(async () => {
    server = await startModelServer()
    project = fixture('secrets')
    server.enqueue({ path: '/v1/chat/completions', content: `The deploy used ${TOKEN} yesterday.` })
    // The stream splits the token across three events, as a model's tokens would.
    server.enqueue({ path: '/v1/chat/completions', sse: [chunk('It is '), chunk(TOKEN.slice(0, 7)), chunk(TOKEN.slice(7, 25)), chunk(`${TOKEN.slice(25)}, rotate it.`), 'data: [DONE]\n\n'] })
    const env = cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-proj-livekey0123456789abcdef', LLM_EVALS_CASSETTES: 'record', RESULTS_FILE: project.path('recorded.jsonl') })
    recorded = await project.run(['model.test.ts'], env)
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('a response holding a GitHub token is stored scrubbed, also when a stream split it, and still replays', async () => {
    expect(recorded.output).toContain('Tests  2 passed')
    const text = project.read(CASSETTE)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(TOKEN.slice(7, 25))
    expect(text).toContain('The deploy used [REDACTED] yesterday.')
    expect(results('recorded.jsonl')).toEqual([`{"name":"json","value":"The deploy used ${TOKEN} yesterday."}`, `{"name":"stream","value":"It is ${TOKEN}, rotate it."}`])

    const replay = await project.run(['model.test.ts'], cleanEnv({ CI: 'true', RESULTS_FILE: project.path('replayed.jsonl') }))
    expect(replay.output).toContain('Tests  2 passed')
    expect(results('replayed.jsonl')).toEqual(['{"name":"json","value":"The deploy used [REDACTED] yesterday."}', '{"name":"stream","value":"It is [REDACTED], rotate it."}'])
  })

  test('cassettes check passes the scrubbed cassette, and flags an AWS key planted in it with its line (exit 1)', async () => {
    const clean = await llmEvals(project, ['cassettes', 'check'])
    expect(clean.output).toContain('✓ __cassettes__/model.test.ts.cassette.json: 2 entries')
    expect(clean.code).toBe(0)

    const planted = project.read(CASSETTE).replace('"Which token did the deploy use?"', `"Which token did the deploy use? ${AWS_KEY_ID}"`)
    writeFileSync(project.path(CASSETTE), planted)
    const lines = planted.split('\n')
    const line = lines.findIndex((text) => text.includes(AWS_KEY_ID)) + 1
    const column = (lines[line - 1] ?? '').indexOf(AWS_KEY_ID) + 1
    const check = await llmEvals(project, ['cassettes', 'check'])
    expect(check.code).toBe(1)
    expect(check.output).toContain(`✗ __cassettes__/model.test.ts.cassette.json: 2 entries`)
    expect(check.output).toContain(`    secret at __cassettes__/model.test.ts.cassette.json:${line}:${column}: AKIA… (20 chars), found by @secretlint/secretlint-rule-aws (test "answer holds a token")`)
    expect(check.output).not.toContain(AWS_KEY_ID)
  })

  test('an eval output holding a GitHub token never reaches history, report or summary, also where a long text is cut', async () => {
    const run = await project.run(['evals.test.ts'], cleanEnv({ CI: 'true' }))
    expect(run.output).toContain('Tests  2 passed')
    for (const file of ['history.jsonl', 'report.html', 'summary.json']) {
      const raw = readFileSync(project.path('.evals', file), 'utf8')
      // The report's case data is gzipped in base64: a token in it would not show in the file's text, so read it as the page does.
      const text = file === 'report.html' ? `${raw}\n${JSON.stringify(embeddedData(raw))}` : raw
      expect(text, file).not.toContain(TOKEN.slice(0, 12))
      expect(text, file).toContain('The deploy used [REDACTED] yesterday.')
    }
  })
})
