// A request is looked up by its stored form (redact rules and the secret scan applied), so a conversation whose
// earlier answer comes back redacted from the cassette while the app sends the same value live elsewhere (the next
// user turn, a judge's reference, a simulated user's system prompt) replays. Before, its key was the live request's:
// it matched neither the live key recorded nor the stored copy's, and such a test never replayed. Records against
// the scripted server with the OpenAI SDK (in `auto`, then in `record`), then replays with neither server nor key.
// Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { githubToken } from '../support/long-answers.js'
import { recordOnce } from './record-once.js'
import { cleanEnv } from './run-fixture.js'
import { startModelServer } from '../support/model-server.js'

const env = { DEPLOY_NOTE: githubToken }

describe('requests holding text redacted in an earlier answer replay (app, judge and simulated-user calls)', () => {
  const once = recordOnce('redacted-conversations', () => {}, env)

  test('records every call, neither the value nor the token stored', () => {
    expect(once.recorded.output).toContain('Tests  4 passed')
    const text = once.cassetteText()
    expect(text).not.toContain('cust_')
    expect(text).not.toContain(githubToken)
    expect(text).toContain('[REDACTED]')
  })

  test('replays in CI with no server and no key: every call found, cassettes untouched', async () => {
    const { run, untouched } = await once.replay()
    expect(run.output).toContain('Tests  4 passed')
    expect(run.output).not.toContain('No recording for')
    expect(untouched).toBe(true)
  }, 120_000)

  test('recorded again in `record` mode, it replays too', async () => {
    const server = await startModelServer()
    try {
      const recorded = await once.project.run([], cleanEnv({ ...env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: 'sk-test-e2e-openai', LLM_EVALS_CASSETTES: 'record' }))
      expect(recorded.output).toContain('Tests  4 passed')
    } finally {
      await server.close()
    }
    const { run } = await once.replay()
    expect(run.output).toContain('Tests  4 passed')
    expect(run.output).not.toContain('No recording for')
  }, 120_000)
})
