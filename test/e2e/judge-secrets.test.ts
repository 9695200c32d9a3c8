import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const token = 'ghp_' + 'abcdefghijklmnopqrstuvwxyz0123456789'
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex')

/** The app's answers, the judge's verdicts and the simulated user's moves, in the order the fixture asks for them. */
function script(server: ModelServer): void {
  const path = '/v1/chat/completions'
  server.enqueue({ path, toolCall: { name: 'rotate_token', arguments: { repo: 'web' } } })
  server.enqueue({ path, content: 'The deploy token of repo web is rotated.' })
  server.enqueue({ path, content: { outcome: 'The token is rotated.', reasoning: 'The tool returned a new token.', verdict: 'completed' } })
  server.enqueue({ path, content: `For example: ${token}` })
  server.enqueue({ path, content: { steps: ['Gives a token?'], reasoning: 'It does.', score: 5 } })
  server.enqueue({ path, content: { thought: 'Ask.', message: 'I need a new deploy token.', goalMet: false } })
  server.enqueue({ path, content: `Here it is: ${token}` })
  server.enqueue({ path, content: { thought: 'Got it.', message: 'Thanks!', goalMet: true } })
}

describe('judge and simulated-user calls over text holding a token record once and replay (the token stored redacted)', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  const cassetteText = () => project.read('__cassettes__', 'secrets.test.ts.cassette.json')
  const hashes = () => readdirSync(project.path('__cassettes__')).sort().map((name) => hashOf(project.read('__cassettes__', name)))

  beforeAll(async () => {
    server = await startModelServer()
    script(server)
    project = fixture('judge-secrets')
    recorded = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'auto' }))
    await server.close()
  })

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('records every call, the token redacted in the judge and simulator prompts', () => {
    expect(recorded.output).toContain('Tests  3 passed')
    const stored = JSON.parse(cassetteText()) as { entries: Array<{ role: string; request: { body: { messages: Array<{ content: string }> } } }> }
    expect(stored.entries.map((entry) => entry.role).sort()).toEqual(['app', 'app', 'app', 'app', 'judge', 'judge', 'simulator', 'simulator'])
    expect(cassetteText()).not.toContain(token)
    const prompts = (role: string) => stored.entries.filter((entry) => entry.role === role).map((entry) => entry.request.body.messages.at(-1)!.content)
    for (const prompt of prompts('judge')) expect(prompt).toContain('[REDACTED]')
    // The simulated user's second move is asked with the app's answer, the token in it.
    expect(prompts('simulator').filter((prompt) => prompt.includes('[REDACTED]'))).toHaveLength(1)
  })

  test('replays in CI with no server and no keys: every judge and simulator call found, cassette untouched', async () => {
    const before = hashes()
    const replayed = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replayed.output).toContain('Tests  3 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 8 model calls replayed, 0 recorded · 1 tool result replayed/)
    expect(hashes()).toEqual(before)
  })

  test('a judge call that misses in replay says its prompt was redacted when recorded, and gives no API-key advice', async () => {
    const replayed = await project.run(['-t', 'an answer that holds a token'], cleanEnv({ CI: 'true', RUBRIC: 'Gives two example tokens.' }))
    expect(replayed.output).toContain('Tests  1 failed')
    expect(replayed.output).toContain('toSatisfyRubric(): the judge (openai gpt-4o-mini, prompt rubric@')
    expect(replayed.output).toContain("The judge's prompt holds text that was redacted when it was recorded ([REDACTED]")
    expect(replayed.output).not.toContain('Check the judge model name and API key')
    expect(replayed.output).not.toContain('Headers')
  })
})
