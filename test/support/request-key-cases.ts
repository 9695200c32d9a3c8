// Requests whose keys are pinned in `test/src/cassettes/fixtures/request-keys.json`: generated from a seed (odd key
// orders, nested arrays and objects, unicode, `__proto__`, index-like keys, volatile fields at several depths, text,
// form and binary bodies, query strings, Bedrock and Gemini paths), each keyed by the code of a given `src/` as its
// session keys a live request and as its store keys the stored copy. The fixture was written by the code of 076cdd0
// (before replay got faster, issue 17), so the test checks every later version keys requests as users' cassettes were:
//
//   git archive 076cdd0 src | tar -x -C /tmp/old
//   npm exec -- node test/support/request-key-cases.ts /tmp/old/src > test/src/cassettes/fixtures/request-keys.json
import type { CanonicalRequest, NormalizeRequest } from '../../src/cassettes/canonical.js'

/** One generated request, as `fetch` received it, with the keys the code that wrote the fixture gave it. */
export interface RequestKeyCase {
  url: string
  method: string
  headers: Record<string, string>
  body: string
  normalize: keyof typeof NORMALIZERS
  /** The live request's key (what the session looks up). */
  key: string
  /** The key of the request as its cassette stores it (sorted JSON, read back). */
  storedKey: string
}

/** `normalizeRequest` hooks the cases use: none, one returning a copy, one changing its argument, one adding a field. */
export const NORMALIZERS = {
  none: undefined,
  copy: (request) => ({ ...request, body: isObject(request.body) ? { ...request.body, messages: undefined } : request.body }),
  mutate: (request) => {
    if (isObject(request.body)) delete request.body['model']
    return request
  },
  extraField: (request) => ({ query: request.query, extra: 1, path: request.path, method: request.method, body: request.body, headers: request.headers }) as CanonicalRequest,
} satisfies Record<string, NormalizeRequest | undefined>

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const KEYS = ['a', 'b', 'Z', 'z', '', 'é', 'e\u0301', '𝔘', '\u0000', '__proto__', 'constructor', 'toString', '1', '01', '0', '-1', '4294967295', '4294967294', '4294967296', '1e3', ' 1', 'user', 'metadata', 'user_id', 'safety_identifier', 'model', 'messages', 'role']
const LEAVES = ['null', 'true', 'false', '0', '-0', '1e400', '1.5', '12345678901234567890', '"x"', '"é𝔘\u2028"', '""', '"\\ud800"']
const HOSTS = ['https://api.openai.com', 'https://api.anthropic.com', 'https://bedrock-runtime.us-east-1.amazonaws.com', 'https://generativelanguage.googleapis.com', 'http://127.0.0.1:8080']
const PATHS = ['/v1/chat/completions', '/v1/messages', '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream', '/model/us.anthropic.claude-3-7:0/converse', '/v1beta/models/gemini-2.0-flash:streamGenerateContent', '/v1/a%2Fb/ü', '/']
const QUERIES = ['', '?', '?alt=sse', '?key=SECRET&alt=sse', '?b=2&a=1&b=1', '?a=%20x+y&%C3%A9=1', '?a', '?a=&a=', '?api-version=2024-01-01&api-key=k', '?Key=x', '?a=1#frag', '#frag', '?#', '?&&', '?x=%zz', '?__proto__=1&constructor=2', '?1=a&01=b&0=c']
const HEADERS: Record<string, string>[] = [{}, { 'anthropic-beta': 'tools-2024' }, { 'openai-beta': 'assistants=v2', 'anthropic-beta': 'x' }, { 'ai-language-model-id': 'm', 'ai-language-model-streaming': 'true', 'openai-beta': 'b' }]

/** `count` requests from `seed` (mulberry32: the same on every platform). */
export function generateRequests(seed: number, count: number): Omit<RequestKeyCase, 'key' | 'storedKey'>[] {
  let state = seed
  const random = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const value = (depth: number): string => {
    const roll = random()
    if (depth > 3 || roll < 0.35) return pick(LEAVES)
    if (roll < 0.55) return `[${Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1)).join(',')}]`
    return object(depth, false)
  }
  const object = (depth: number, top: boolean): string => {
    const parts = Array.from({ length: Math.floor(random() * 5) }, () => `${JSON.stringify(pick(KEYS))}:${value(depth + 1)}`)
    const insert = (part: string) => parts.splice(Math.floor(random() * (parts.length + 1)), 0, part)
    if (top && random() < 0.5) insert(`"user":${value(3)}`)
    if (top && random() < 0.5) insert(`"metadata":{${random() < 0.5 ? '"user_id":"u",' : ''}"b":${value(3)}${random() < 0.5 ? ',"a":1' : ''}}`)
    if (top && random() < 0.3) insert('"safety_identifier":"s"')
    return `{${parts.join(',')}}`
  }
  const body = (): string => {
    const roll = random()
    if (roll < 0.08) return ''
    if (roll < 0.12) return 'a=1&b=%20x&a=2'
    if (roll < 0.16) return '--b\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--b--'
    if (roll < 0.19) return '\u0000\u00ff\ufffd binary'
    if (roll < 0.22) return '{not json'
    if (roll < 0.28) return value(0)
    if (roll < 0.32) return ` ${object(0, true)}\n`
    return object(0, true)
  }
  const normalizers = Object.keys(NORMALIZERS) as (keyof typeof NORMALIZERS)[]
  return Array.from({ length: count }, () => ({
    url: pick(HOSTS) + pick(PATHS) + pick(QUERIES),
    method: pick(['POST', 'post', 'GET']),
    headers: pick(HEADERS),
    body: body(),
    normalize: random() < 0.6 ? 'none' : pick(normalizers),
  }))
}

/** The cases with their keys as the `src/` at `srcDir` computes them (the session before `parsedUrl`, as 076cdd0's). */
async function keyCases(srcDir: string): Promise<RequestKeyCase[]> {
  await import('./ts-specifiers.ts')
  const canonical = (await import(`${srcDir}/cassettes/canonical.ts`)) as typeof import('../../src/cassettes/canonical.ts')
  const live = (await import(`${srcDir}/cassettes/live-request.ts`)) as typeof import('../../src/cassettes/live-request.ts')
  const cases: RequestKeyCase[] = []
  for (const request of generateRequests(17, 400)) {
    const normalize = NORMALIZERS[request.normalize]
    const url = canonical.withoutCredentials(new URL(request.url))
    const received = await live.canonicalize({ url: url.href, method: request.method, headers: new Headers(request.headers), text: async () => request.body }, url)
    const key = canonical.requestKey(received, normalize)
    const { url: _url, ...stored } = JSON.parse(canonical.stableStringify({ url: url.href, ...received })) as CanonicalRequest & { url: string }
    cases.push({ ...request, key, storedKey: canonical.requestKey(stored, normalize) })
  }
  return cases
}

if (process.argv[1]?.endsWith('request-key-cases.ts') && process.argv[2]) {
  process.stdout.write(`[\n${(await keyCases(process.argv[2])).map((item) => JSON.stringify(item)).join(',\n')}\n]\n`)
}
