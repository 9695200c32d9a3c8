// Every user's committed cassettes replay only while a request keeps its key: 400 generated requests (odd key orders,
// unicode, `__proto__` and index-like keys, volatile fields, text and binary bodies, query strings, Bedrock and Gemini
// paths, `normalizeRequest` hooks) keyed as the fetch wrapper and the store key them now, against the keys the code
// of 076cdd0 gave them (pinned in the fixture; see test/support/request-key-cases.ts for how it was written).
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { requestKey, stableStringify, withoutCredentials, type CanonicalRequest } from '../../../src/cassettes/canonical.js'
import { fetchParts } from '../../../src/cassettes/direct-fetch.js'
import { canonicalize } from '../../../src/cassettes/live-request.js'
import { generateRequests, NORMALIZERS, type RequestKeyCase } from '../../support/request-key-cases.js'

const cases = JSON.parse(readFileSync(new URL('fixtures/request-keys.json', import.meta.url), 'utf8')) as RequestKeyCase[]

/** The key the session computes for a `fetch` call, from the parts the fetch wrapper passes it. */
async function liveKey(item: RequestKeyCase): Promise<string> {
  const parts = fetchParts({ method: item.method, headers: item.headers, body: item.body === '' ? null : item.body }, new URL(item.url))
  const url = withoutCredentials(parts.parsedUrl ?? new URL(parts.url))
  return requestKey(await canonicalize(parts, url), NORMALIZERS[item.normalize])
}

/** The key the store computes at load for the request as its cassette holds it (sorted JSON, `url` set apart). */
async function storedKey(item: RequestKeyCase): Promise<string> {
  const url = withoutCredentials(new URL(item.url))
  const received = await canonicalize({ url: url.href, method: item.method, headers: new Headers(item.headers), text: async () => item.body }, url)
  const { url: _url, ...stored } = JSON.parse(stableStringify({ url: url.href, ...received })) as CanonicalRequest & { url: string }
  return requestKey(stored, NORMALIZERS[item.normalize])
}

describe('request keys', () => {
  test('the fixture holds the requests the generator makes', () => {
    expect(cases.map(({ key: _key, storedKey: _stored, ...request }) => request)).toEqual(generateRequests(17, 400))
  })

  test('a live request keeps the key it was recorded under', async () => {
    const changed: string[] = []
    for (const item of cases) if ((await liveKey(item)) !== item.key) changed.push(`${item.method} ${item.url} ${item.body}`)
    expect(changed).toEqual([])
  })

  test('a stored request keeps its key', async () => {
    const changed: string[] = []
    for (const item of cases) if ((await storedKey(item)) !== item.storedKey) changed.push(`${item.method} ${item.url} ${item.body}`)
    expect(changed).toEqual([])
  })
})
