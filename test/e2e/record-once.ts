// One fixture project recorded once against the scripted server (OpenAI SDK, `auto`), for e2e files that then
// check what the cassettes hold and that a CI replay with neither server nor key finds every call.
import { createHash } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

export interface RecordedOnce {
  project: FixtureProject
  recorded: RunResult
  /** Every cassette's text, joined. */
  cassetteText(): string
  /** Replays with `CI=true` (no server, no key); returns the run and whether the cassettes stayed byte for byte. */
  replay(): Promise<{ run: RunResult; untouched: boolean }>
}

/**
 * Registers `beforeAll`/`afterAll` that record fixture `name` once (`script` queues the server's answers; `env` are
 * the fixture's own variables) and returns the recording, filled in before the first test.
 *
 * @example
 * const once = recordOnce('glued-keys', (server) => server.enqueue({ path, content: 'hi' }))
 * test('stored', () => expect(once.cassetteText()).not.toContain(key))
 */
export function recordOnce(name: string, script: (server: ModelServer) => void, env: NodeJS.ProcessEnv = {}): RecordedOnce {
  let server: ModelServer | undefined
  const names = () => readdirSync(once.project.path('__cassettes__')).sort()
  const hashes = () => names().map((file) => createHash('sha256').update(once.project.read('__cassettes__', file)).digest('hex'))
  const once = {
    cassetteText: () => names().map((file) => once.project.read('__cassettes__', file)).join('\n'),
    replay: async () => {
      const before = hashes()
      const run = await once.project.run([], cleanEnv({ ...env, CI: 'true' }))
      return { run, untouched: JSON.stringify(hashes()) === JSON.stringify(before) }
    },
  } as RecordedOnce

  beforeAll(async () => {
    server = await startModelServer()
    script(server)
    once.project = fixture(name)
    once.recorded = await once.project.run([], cleanEnv({ ...env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'auto' }))
    await server.close()
  }, 120_000)

  afterAll(async () => {
    once.project?.remove()
    await server?.close().catch(() => undefined)
  })
  return once
}
