// A secret written with escapes matches no pattern as written: JSON text inside a JSON string (a tool call's
// `arguments` holding `sk-\u0070roj…`, stored as `sk-\\u0070roj…`) or URL-encoding (`sk%2Dproj…`, `ghp%5F…` in a URL
// or form body). The secret scan passed them over, and a cassette stored them. The scan now reads the text with such
// escapes decoded and reports each secret as written, so the stored copy is scrubbed of it.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { CassetteEntry } from '../../src/cassettes/entry.js'
import { findRecordingSecrets } from '../../src/cassettes/found-secrets.js'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { CassetteStore } from '../../src/cassettes/store.js'
import { encodedSecretsIn } from '../../src/encoded-tokens.js'
import { FAKE_TOKENS } from '../support/fake-tokens.js'
import { growthAt4x } from '../support/growth.js'
import { openaiKey } from '../support/long-answers.js'

const key = openaiKey(4)
const github = FAKE_TOKENS['GitHub personal token (ghp_)']!
const stripe = FAKE_TOKENS['Stripe live secret key (sk_live_)']!
/** `text` with its character at `at` written as a JSON `\u00XX` escape. */
const jsonEscaped = (text: string, at: number) => `${text.slice(0, at)}\\u00${text.charCodeAt(at).toString(16)}${text.slice(at + 1)}`
const urlEncoded = (text: string, at: number) => `${text.slice(0, at)}%${text.charCodeAt(at).toString(16).toUpperCase()}${text.slice(at + 1)}`

describe('secrets written with escapes', () => {
  test.each([
    ['an OpenAI key, one letter JSON-escaped, in JSON text inside a string', JSON.stringify({ arguments: `{"key":"${jsonEscaped(key, 3)}"}` }), JSON.stringify(jsonEscaped(key, 3)).slice(1, -1)],
    ['a GitHub token with an escaped underscore in JSON text inside a string', JSON.stringify({ arguments: `{"token":"${jsonEscaped(github, 3)}"}` }), JSON.stringify(jsonEscaped(github, 3)).slice(1, -1)],
    ['an OpenAI key URL-encoded in a query', JSON.stringify({ url: `https://api.example.com/v1/notes?text=${urlEncoded(key, 2)}` }), urlEncoded(key, 2)],
    ['a Stripe key URL-encoded in a form body', `amount=5&note=${urlEncoded(urlEncoded(stripe, 2), 7)}&x=1`, urlEncoded(urlEncoded(stripe, 2), 7)],
  ])('%s: found as written', (_, text, written) => {
    const found = findSecretsSync(text)
    expect(found.map((finding) => [finding.rule, finding.value])).toEqual([['vitest-llm-evals/escaped-secret', written]])
    expect(text.slice(found[0]!.index, found[0]!.index + written.length)).toBe(written)
  })

  test('a recording whose tool-call arguments hold an escaped key is stored without it, and a URL-encoded one in its URL', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'encoded-')), '__cassettes__', 'a.test.ts.cassette.json')
    const entry: CassetteEntry = {
      test: 't',
      repeat: 0,
      call: 0,
      role: 'app',
      request: { url: `https://api.openai.com/v1/chat/completions?note=${urlEncoded(github, 3)}`, method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [{ role: 'user', content: 'save my key' }] } },
      response: { status: 200, headers: { 'content-type': 'application/json' }, json: { choices: [{ message: { tool_calls: [{ function: { name: 'save', arguments: `{"key":"${jsonEscaped(key, 4)}"}` } }] } }] } },
      meta: { recordedAt: '2026-12-07T00:00:00.000Z', latencyMs: 5 },
    }
    const store = new CassetteStore(file, { redact: [], secrets: [] })
    store.record(entry, { attempt: {}, occurrence: 0, mode: 'append' }, undefined, await findRecordingSecrets(entry))
    store.flush({ final: true })
    const written = readFileSync(file, 'utf8')
    expect(written).toContain('"arguments": "{\\"key\\":\\"[REDACTED]\\"}"')
    expect(written).toContain('?note=[REDACTED]')
    expect(written).not.toContain(key.slice(12, 40))
    expect(written).not.toContain(github.slice(8))
  })

  test('escapes of ordinary text, and secrets found as written, are not reported again', () => {
    expect(encodedSecretsIn('https://example.com/a%20b?q=caf%C3%A9&s=%2Fhome and {"a":"\\u0041BC"}', findSecretsSync)).toEqual([])
    expect(encodedSecretsIn(`q=a%20b&token=${github}`, findSecretsSync)).toEqual([])
    expect(findSecretsSync(`q=a%20b&token=${github}`).map((finding) => finding.value)).toEqual([github])
  })

  test('escapes are read in time linear in their size', () => {
    // Growth, not time (a loaded machine slows both sizes alike): 4 times the text costs under 8 times as much.
    for (const make of [(n: number) => '%2D'.repeat(n), (n: number) => '\\u0070'.repeat(n), (n: number) => '\\'.repeat(3 * n), (n: number) => `sk%2D${'a'.repeat(3 * n)}`]) {
      expect(growthAt4x(make, 40_000, findSecretsSync), make(1)).toBeLessThan(8)
    }
  })
})
