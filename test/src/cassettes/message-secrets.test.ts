import { describe, expect, test } from 'vitest'
import type { CanonicalRequest } from '../../../src/cassettes/canonical.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { missMessage, replayedFailureMessage, type MissContext } from '../../../src/cassettes/miss-message.js'
import { oneLine } from '../../../src/cassettes/one-line.js'
import { diffValues } from '../../../src/cassettes/request-diff.js'
import { toolMissMessage } from '../../../src/cassettes/tool-miss-message.js'

// A live key (no known pattern: only the environment says it is one) and a key that matches a known pattern.
const LIVE = 'live-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c'
const SECRETS = [{ name: 'OPENAI_API_KEY', value: LIVE }]
const PATTERNED = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** Every 8-character piece of `key`: none may be in a printed message. */
function expectNoPieceOf(key: string, message: string): void {
  const shown = Array.from({ length: key.length - 7 }, (_, at) => key.slice(at, at + 8)).filter((piece) => message.includes(piece))
  expect(shown).toEqual([])
}

/** A text (starting with `prefix`) in which `key` starts 10 characters before a cut at `limit`. */
const across = (limit: number, key: string, prefix = '') => `${prefix}${'x'.repeat(limit - prefix.length - 11)} ${key} tail`

const URL = 'https://api.openai.com/v1/chat/completions'
const request = (path = '/v1/chat/completions'): CanonicalRequest => ({ method: 'POST', path, query: {}, headers: {}, body: { model: 'gpt-4o' } })
const failure: CassetteEntry = {
  test: 'bot > answers', repeat: 0, call: 0, role: 'app',
  request: { ...request(), url: URL },
  response: { status: 500, headers: {}, json: {} },
  meta: { recordedAt: '2025-01-01T00:00:00.000Z', latencyMs: 1 },
}

function miss(extra: Partial<MissContext>): string {
  return missMessage({
    mode: 'replay', url: URL, request: request(), test: 'bot > answers', repeat: 0, occurrence: 0, recordedOccurrences: 0,
    cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json', testFile: '/project/bot.test.ts', root: '/project', entries: [],
    secrets: SECRETS, ...extra,
  })
}

describe('secrets in messages are hidden before the text is cut', () => {
  test('a live key and a key pattern in a test name, across the cut at 200', () => {
    for (const key of [LIVE, PATTERNED]) {
      const message = miss({ test: across(200, key) })
      expectNoPieceOf(key, message)
      expect(message).toMatch(/Test: +x+ \[REDACTED/)
    }
  })

  test('a key in the path, across the cut at 300', () => {
    for (const key of [LIVE, PATTERNED]) expectNoPieceOf(key, miss({ request: request(across(300, key, '/v1/')) }))
  })

  test('a key in the URL, across the cut at 240', () => {
    for (const key of [LIVE, PATTERNED]) expectNoPieceOf(key, miss({ url: `${URL}?${across(240, key, `${URL}?q=`).slice(URL.length + 1)}` }))
  })

  test("a key in the reason of the last run's refusal, across the cut at 300", () => {
    const refusal = { test: 'bot > answers', at: '2025-01-01T00:00:00.000Z', mode: 'auto' }
    for (const key of [LIVE, PATTERNED]) {
      const message = miss({ refusedBefore: { ...refusal, message: `${across(300, key, 'Refused to write x.json: it would contain ')}.` } })
      expectNoPieceOf(key, message)
    }
  })

  test("a tool call's test name, across the cut at 200", () => {
    for (const key of [LIVE, PATTERNED]) {
      const message = toolMissMessage({
        mode: 'replay', name: 'lookup', args: {}, records: [], test: across(200, key), repeat: 0, occurrence: 0, recordedOccurrences: 0,
        cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json', testFile: '/project/bot.test.ts', root: '/project', secrets: SECRETS,
      })
      expectNoPieceOf(key, message)
    }
  })

  test('a key pattern in a one-line preview, across its limit', () => {
    expectNoPieceOf(PATTERNED, oneLine(across(200, PATTERNED), 200))
    expectNoPieceOf(LIVE, oneLine(across(200, LIVE), 200, SECRETS))
  })

  test('a key pattern in a value of a request difference, across the 60-character cut and the window', () => {
    const [short] = diffValues('body', { prompt: `${'x'.repeat(50)} ${PATTERNED}` }, { prompt: 1 })
    const [window] = diffValues('body', { prompt: `${'a'.repeat(30)} ${PATTERNED} ${'z'.repeat(80)}` }, { prompt: `${'a'.repeat(30)}b${'z'.repeat(80)}` })
    expectNoPieceOf(PATTERNED, `${short?.recorded}\n${window?.recorded}`)
  })
})

describe('replayedFailureMessage', () => {
  test('hides a live key and a key pattern in the test name (and the command that records it)', () => {
    for (const key of [LIVE, PATTERNED]) {
      const message = replayedFailureMessage({
        cassetteFile: '/project/__cassettes__/bot.test.ts.cassette.json', testFile: '/project/bot.test.ts', root: '/project',
        test: `bot > uses ${key}.`, failures: [failure], secrets: SECRETS,
      })
      expectNoPieceOf(key, message)
      // The command's -t pattern matches any text where the name holds the key.
      expect(message).toContain(String.raw`-t '(?:^| )bot(?: > | )uses .+\.$'`)
    }
  })
})

describe('live values that overlap', () => {
  // One value inside another (a token and the DSN that holds it), or two that share a part: hiding one first left the rest of the other.
  const TOKEN = 'tok-5e4d3c2b1a09f8e7'
  const DSN = `postgres://app:${TOKEN}@db.internal:5432/orders`
  const HEAD = 'alpha-1a2b3c4d-shared-9z8y7x6w'
  const TAIL = 'shared-9z8y7x6w-omega-5v4u3t2s'

  test('a value inside another is hidden whole, whichever is listed first', () => {
    for (const secrets of [[{ name: 'DB_TOKEN', value: TOKEN }, { name: 'DATABASE_PASSWORD', value: DSN }], [{ name: 'DATABASE_PASSWORD', value: DSN }, { name: 'DB_TOKEN', value: TOKEN }]]) {
      const message = miss({ test: `connects with ${DSN} twice`, secrets })
      expectNoPieceOf(DSN, message)
      expect(message).toContain('connects with [REDACTED')
    }
  })

  test('two values that share a part are both hidden where they overlap in the text', () => {
    const secrets = [{ name: 'A_TOKEN', value: HEAD }, { name: 'B_TOKEN', value: TAIL }]
    const message = oneLine(`uses alpha-1a2b3c4d-shared-9z8y7x6w-omega-5v4u3t2s here`, 200, secrets)
    expectNoPieceOf(HEAD, message)
    expectNoPieceOf(TAIL, message)
    expect(message).toMatch(/^uses \[REDACTED [AB]_TOKEN\] here$/)
  })
})
