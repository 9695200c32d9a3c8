// simulateConversation cut off mid-conversation by its test's timeout (the app given no signal, so the conversation
// goes on): its later turns are refused (not sent, not recorded under the next test), and a replay of the half
// conversation fails at the turn that was never recorded; it never passes as if the conversation were complete.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

type Cassette = { entries: { test: string; request: { body: { messages: { content: string }[] } } }[] }

describe.each(['record', 'auto'])('a conversation cut off by its timeout, in %s', (mode) => {
  const setup = fixtureWithServer('conversation-timeout')
  const asked = () => (JSON.parse(readFileSync(setup.project.path('__cassettes__', 'dialogue.test.ts.cassette.json'), 'utf8')) as Cassette).entries.map((entry) => `${entry.test}: ${entry.request.body.messages.map((message) => message.content).join(' / ')}`).sort()

  test('stores no late turn, and the replay fails at the first turn never recorded', async () => {
    const { project, server } = setup
    if (mode === 'record') {
      const complete = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
      expect(complete.code, complete.output).toBe(0)
    }
    const sent = server.requests.length
    const slow = await project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: mode, SLOW: '1' }))
    expect(slow.code).toBe(1)
    expect(slow.output).toContain('Test timed out in 1500ms')
    // The late second turn was not sent (nor the third): the first turn and the next test's call were.
    expect(server.requests.length - sent).toBe(2)
    expect(asked()).toEqual(['after: after', 'dialogue: hello'])

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code).toBe(1)
    expect(replay.output).toMatch(/× dialogue/)
    expect(replay.output).toMatch(/✓ after/)
    expect(replay.output).toContain('simulateConversation(): `app` threw at turn 2, answering "where is order 123?": 400 [vitest-llm-evals] No recording for POST')
  }, 60_000)
})
