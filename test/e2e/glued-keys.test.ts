// A key glued to the word before it ("isthesk-proj-…Then") has no word boundary before it: the `sk-` pattern and
// secretlint's rules (which want none, or no letter, there) both missed it, and the cassette stored it unless the key
// was also a live credential variable. Records answers and a prompt holding such keys against the scripted server
// with the OpenAI SDK: none is stored, and the recording replays offline. Runs the build (`npm run build` first).
import { describe, expect, test } from 'vitest'
import { anthropicKey, openaiKey } from '../support/long-answers.js'
import { recordOnce } from './record-once.js'

const SECRETS = [openaiKey(1), anthropicKey(2), anthropicKey(3)]

describe('keys glued to the words around them are not stored, and the recording replays', () => {
  const once = recordOnce('glued-keys', (server) => {
    const path = '/v1/chat/completions'
    server.enqueue({ path, content: `Your key isthe${openaiKey(1)}Then use it.` })
    server.enqueue({ path, content: `For Claude usethe${anthropicKey(2)} instead.` })
    server.enqueue({ path, content: 'That looks like a key: rotate it.' })
  }, { GLUED_PROMPT: `Is thiskey${anthropicKey(3)} safe to share?` })

  test('records every call, no part of a key stored', () => {
    expect(once.recorded.output).toContain('Tests  3 passed')
    const text = once.cassetteText()
    expect(text).toContain('Your key isthe[REDACTED] use it.')
    for (const secret of SECRETS) expect(text.includes(secret.slice(0, 24)) || text.includes(secret.slice(-24)), secret.slice(0, 24)).toBe(false)
  })

  test('replays in CI with no server and no keys: every call found, cassettes untouched', async () => {
    const { run: replayed, untouched } = await once.replay()
    expect(replayed.output).toContain('Tests  3 passed')
    expect(replayed.output).toContain('cassettes [replay]: 3 replayed, 0 recorded')
    expect(untouched).toBe(true)
  }, 120_000)
})
