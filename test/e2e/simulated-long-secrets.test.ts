// A simulated user reads the conversation so far, each reply cut at 4,000 characters. Recorded, its prompt was cut
// as the reply was live; replayed, the reply comes back from the cassette with its key "[REDACTED]" (shorter), so it
// was cut elsewhere (or not at all) and the simulated user's call missed. Now a transcript that is cut is made from
// the texts as stored, live and in replay. Records against the scripted server with the OpenAI SDK, then replays
// with neither server nor key. Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { answerWith, githubToken, openaiKey } from '../support/long-answers.js'
import type { ModelServer } from '../support/model-server.js'
import { recordOnce } from './record-once.js'

const LIMIT = 4000
/** Per case, the app's replies in order: the simulated user says its goal is met after the last. */
const REPLIES: Record<string, string[]> = {
  'just under the limit, a key near its end': [answerWith(LIMIT - 250, openaiKey(1), LIMIT - 10)],
  'just over the limit live, under it once the key is redacted': [answerWith(LIMIT - 300, openaiKey(2), LIMIT + 50)],
  'well over the limit, a key across the cut': [answerWith(LIMIT - 60, openaiKey(3), 3 * LIMIT)],
  'well over the limit, a key past the cut': [answerWith(2 * LIMIT, openaiKey(4), 3 * LIMIT)],
  'well over the limit, a GitHub token before the cut': [answerWith(100, githubToken, 3 * LIMIT)],
  'two turns, the first reply over the limit with a key across the cut': [answerWith(LIMIT - 40, openaiKey(5), 2 * LIMIT), 'Anything else?'],
}
const SECRETS = [1, 2, 3, 4, 5].map(openaiKey).concat(githubToken)

function script(server: ModelServer): void {
  const path = '/v1/chat/completions'
  const customer = (message: string, goalMet = false) => server.enqueue({ path, content: { thought: `Say: ${message}`, message, goalMet } })
  for (const replies of Object.values(REPLIES)) {
    customer('Please write the quarterly report.')
    replies.forEach((reply, at) => {
      server.enqueue({ path, content: reply })
      if (at < replies.length - 1) customer('And the outlook?')
    })
    customer('Thanks, that is the report.', true)
  }
}

describe('a simulated user reading a reply longer than its cut, holding a key, records once and replays', () => {
  const cases = Object.entries(REPLIES).map(([name, replies]) => ({ name, turns: replies.length }))
  const calls = cases.reduce((sum, { turns }) => sum + 2 * turns + 1, 0)
  const once = recordOnce('simulated-long-secrets', script, { LONG_CASES: JSON.stringify(cases) })

  test('records every call, no key stored', () => {
    expect(once.recorded.output).toContain(`Tests  ${cases.length} passed`)
    const text = once.cassetteText()
    for (const secret of SECRETS) expect(text.includes(secret.slice(0, 30)), secret.slice(0, 30)).toBe(false)
  })

  test('replays in CI with no server and no keys: every simulated user call found, cassettes untouched', async () => {
    const { run: replayed, untouched } = await once.replay()
    expect(replayed.output).toContain(`Tests  ${cases.length} passed`)
    expect(replayed.output).toContain(`cassettes [replay]: ${calls} replayed, 0 recorded`)
    expect(untouched).toBe(true)
  }, 120_000)
})
