// Well-known tokens other than OpenAI and Anthropic keys glued to the word before them ("keyisghp_…", "tokenAKIA…",
// URL-encoded "%3Aghp_…") have no word boundary before them: secretlint's rules and the token patterns passed them
// over, and the cassette stored them. Records answers (one streamed) and a prompt holding such tokens against the
// scripted server with the OpenAI SDK: none is stored, the words before them are, and the recording replays offline.
// Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { FAKE_TOKENS } from '../support/fake-tokens.js'
import { recordOnce } from './record-once.js'

const KINDS = Object.entries(FAKE_TOKENS).filter(([name]) => name !== 'private key block' && name !== 'Slack incoming webhook URL')
const TOKENS = KINDS.map(([, token]) => token)
const BEFORE = ['keyis', 'token9', 'my_', 'note%3A']
const glued = (start: number) => TOKENS.map((token, index) => `${BEFORE[(index + start) % BEFORE.length]}${token}`).join(' and ')

describe('well-known tokens glued to the word before them are not stored, and the recording replays', () => {
  const once = recordOnce('glued-tokens', (server) => {
    const path = '/v1/chat/completions'
    server.enqueue({ path, content: `Use ${glued(0)} now.` })
    server.enqueue({ path, content: `Streamed ${glued(1)} done.` })
    server.enqueue({ path, content: 'Those look like tokens: rotate them.' })
  }, { GLUED_TOKENS_PROMPT: `Are ${glued(2)} safe to share?` })

  test('records every call, no part of a token stored, the words before them kept', () => {
    expect(once.recorded.output).toContain('Tests  3 passed')
    const text = once.cassetteText()
    for (const [name, token] of KINDS) expect(text.includes(token.slice(0, 16)) || text.includes(token.slice(-16)), name).toBe(false)
    expect(text).toContain('Use keyis[REDACTED] and token9[REDACTED] and my_[REDACTED] and note%3A[REDACTED] and')
    expect(text).toContain('Are my_[REDACTED] and note%3A[REDACTED] and keyis[REDACTED]')
  })

  test('replays in CI with no server and no keys: every call found, cassettes untouched', async () => {
    const { run: replayed, untouched } = await once.replay()
    expect(replayed.output).toContain('Tests  3 passed')
    expect(replayed.output).toContain('cassettes [replay]: 3 replayed, 0 recorded')
    expect(untouched).toBe(true)
  }, 120_000)
})
