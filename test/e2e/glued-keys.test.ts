// A key glued to the word before it ("isthesk-proj-…Then") has no word boundary before it: the `sk-` pattern and
// secretlint's rules (which want none, or no letter, there) both missed it, and the cassette stored it unless the key
// was also a live credential variable. Records answers and a prompt holding such keys against the scripted server
// with the OpenAI SDK: none is stored, and the recording replays offline. Runs the build (`npm run build` first).
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { anthropicKey, openaiKey } from '../support/long-answers.js'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

const SECRETS = [openaiKey(1), anthropicKey(2), anthropicKey(3)]
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex')

describe('keys glued to the words around them are not stored, and the recording replays', () => {
  let server: ModelServer
  let project: FixtureProject
  let recorded: RunResult
  const env = (extra: NodeJS.ProcessEnv) => cleanEnv({ GLUED_PROMPT: `Is thiskey${anthropicKey(3)} safe to share?`, ...extra })
  const cassettes = () => readdirSync(project.path('__cassettes__')).sort()

  beforeAll(async () => {
    server = await startModelServer()
    const path = '/v1/chat/completions'
    server.enqueue({ path, content: `Your key isthe${openaiKey(1)}Then use it.` })
    server.enqueue({ path, content: `For Claude usethe${anthropicKey(2)} instead.` })
    server.enqueue({ path, content: 'That looks like a key: rotate it.' })
    project = fixture('glued-keys')
    recorded = await project.run([], env({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'auto' }))
    await server.close()
  }, 120_000)

  afterAll(async () => {
    project?.remove()
    await server?.close().catch(() => undefined)
  })

  test('records every call, no part of a key stored', () => {
    expect(recorded.output).toContain('Tests  3 passed')
    const text = cassettes().map((name) => project.read('__cassettes__', name)).join('\n')
    expect(text).toContain('Your key isthe[REDACTED] use it.')
    for (const secret of SECRETS) expect(text.includes(secret.slice(0, 24)) || text.includes(secret.slice(-24)), secret.slice(0, 24)).toBe(false)
  })

  test('replays in CI with no server and no keys: every call found, cassettes untouched', async () => {
    const before = cassettes().map((name) => hashOf(project.read('__cassettes__', name)))
    const replayed = await project.run([], env({ CI: 'true' }))
    expect(replayed.output).toContain('Tests  3 passed')
    expect(replayed.output).toContain('cassettes [replay]: 3 replayed, 0 recorded')
    expect(cassettes().map((name) => hashOf(project.read('__cassettes__', name)))).toEqual(before)
  }, 120_000)
})
