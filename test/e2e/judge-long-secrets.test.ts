// A judge prompt cuts a long text at its limit (4,000 characters, 2,000 for a tool result). Recorded, the prompt was
// cut as the text was live; replayed, the text comes back from the cassette with its key "[REDACTED]" (shorter), so
// it was cut elsewhere (or not at all) and the judge call missed. Now a prompt that is cut is made from the texts as
// stored, live and in replay. Records against the scripted server with the OpenAI SDK, then replays with neither
// server nor key. Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { answerWith, githubToken, openaiKey } from '../support/long-answers.js'
import type { ModelServer } from '../support/model-server.js'
import { recordOnce } from './record-once.js'

const LIMIT = 4000
const ANSWERS: Record<string, string> = {
  'just under the limit, a key near its end': answerWith(LIMIT - 250, openaiKey(1), LIMIT - 10),
  'just over the limit live, under it once the key is redacted': answerWith(LIMIT - 300, openaiKey(2), LIMIT + 50),
  'well over the limit, a key across the cut': answerWith(LIMIT - 60, openaiKey(3), 3 * LIMIT),
  'well over the limit, a key past the cut': answerWith(2 * LIMIT, openaiKey(4), 3 * LIMIT),
  'well over the limit, a GitHub token before the cut': answerWith(100, githubToken, 3 * LIMIT),
}
const TOOL_RESULT = answerWith(1900, openaiKey(5), 5000)

function script(server: ModelServer): void {
  const path = '/v1/chat/completions'
  const verdict = { outcome: 'The report is written.', reasoning: 'It covers the quarter.', verdict: 'completed' }
  for (const content of Object.values(ANSWERS)) {
    server.enqueue({ path, content })
    server.enqueue({ path, content: verdict })
  }
  server.enqueue({ path, toolCall: { name: 'fetch_log', arguments: { day: 'today' } } })
  server.enqueue({ path, content: 'The log shows a quiet day.' })
  server.enqueue({ path, content: verdict })
}

describe('a judge call over a text longer than its cut, holding a key, records once and replays', () => {
  const once = recordOnce('judge-long-secrets', script, { LONG_CASES: JSON.stringify(Object.keys(ANSWERS)), LONG_TOOL_RESULT: TOOL_RESULT })

  test('records every call, no key stored', () => {
    expect(once.recorded.output).toContain('Tests  6 passed')
    const text = once.cassetteText()
    for (const secret of [openaiKey(1), openaiKey(2), openaiKey(3), openaiKey(4), openaiKey(5), githubToken]) expect(text.includes(secret.slice(0, 30)), secret.slice(0, 30)).toBe(false)
  })

  test('replays in CI with no server and no keys: every judge call found, cassettes untouched', async () => {
    const { run: replayed, untouched } = await once.replay()
    expect(replayed.output).toContain('Tests  6 passed')
    expect(replayed.output).toMatch(/cassettes \[replay\]: 13 model calls replayed, 0 recorded · 1 tool result replayed/)
    expect(untouched).toBe(true)
  }, 120_000)
})
