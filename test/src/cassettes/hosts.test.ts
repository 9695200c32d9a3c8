import { afterEach, describe, expect, test } from 'vitest'
import { DEFAULT_HOSTS, hostPatternMatches, hostPatternProblem, ownsUrl } from '../../../src/cassettes/hosts.js'
import { parseOptions } from '../../../src/config.js'

describe('default hosts', () => {
  test.each([
    'https://api.openai.com/v1/chat/completions',
    'https://api.anthropic.com/v1/messages',
    'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent',
    'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
    'https://my-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
    'https://my-hub.services.ai.azure.com/models/chat/completions',
    'https://my-resource.cognitiveservices.azure.com/openai/v1/chat/completions',
    'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku/converse',
    'https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/model/x/converse',
    'https://api.mistral.ai/v1/chat/completions',
    'https://api.groq.com/openai/v1/chat/completions',
    'https://openrouter.ai/api/v1/chat/completions',
    'https://api.deepseek.com/chat/completions',
    'https://api.x.ai/v1/chat/completions',
    'https://api.together.xyz/v1/chat/completions',
    'https://api.fireworks.ai/inference/v1/chat/completions',
    'https://ai-gateway.vercel.sh/v1/chat/completions',
  ])('%s is recorded', (url) => {
    expect(ownsUrl(new URL(url), [])).toBe(true)
  })

  test.each([
    'https://example.com/v1/chat/completions',
    'https://openai.azure.com/x',
    'https://evil.com.openai.azure.com.attacker.net/x',
    'https://api.openai.com.attacker.net/v1/chat/completions',
    'https://bedrock.us-east-1.amazonaws.com/foundation-models',
    'https://s3.us-east-1.amazonaws.com/bucket',
    'https://storage.googleapis.com/bucket',
  ])('%s is left alone', (url) => {
    expect(ownsUrl(new URL(url), [])).toBe(false)
  })

  test('every default pattern is itself a valid pattern', () => {
    expect(DEFAULT_HOSTS.map(hostPatternProblem).filter(Boolean)).toEqual([])
  })
})

describe('host patterns', () => {
  test('no pattern makes a long host name stall the worker (no regular expression built from config)', () => {
    const started = performance.now()
    // Validation refuses `**` now; matching stays linear for any pattern it may still be given.
    expect(hostPatternProblem('*'.repeat(12) + '.com')).toMatch(/has "\*\*"/)
    expect(hostPatternMatches('*'.repeat(6) + '.com', `${'a'.repeat(50)}.co`)).toBe(false)
    expect(hostPatternMatches('*-*-*-*-*-*-*-*-*-*.example.com', `${'a'.repeat(60)}-a.example.com`)).toBe(false)
    expect(performance.now() - started).toBeLessThan(200)
    expect(hostPatternMatches('**.com', 'ab.com')).toBe(true)
    expect(hostPatternMatches('**.com', 'a.com')).toBe(false)
    expect(hostPatternMatches('a*b*c.example.com', 'axxbyyc.example.com')).toBe(true)
    expect(hostPatternMatches('a*b*c.example.com', 'abc.example.com')).toBe(false)
  })

  test('a pattern is never read as a regular expression, even when not validated', () => {
    expect(() => hostPatternMatches('[::1]:8080', 'x')).not.toThrow()
    expect(hostPatternMatches('a+.example.com', 'aaa.example.com')).toBe(false)
    expect(hostPatternMatches('(a|b).example.com', 'a.example.com')).toBe(false)
  })

  test('a pattern naming the default port matches a URL that leaves it out', () => {
    expect(ownsUrl(new URL('https://llm.internal/v1/chat/completions'), ['llm.internal:443'])).toBe(true)
    expect(ownsUrl(new URL('http://llm.internal/v1/chat/completions'), ['llm.internal:80'])).toBe(true)
    expect(ownsUrl(new URL('http://llm.internal/v1/chat/completions'), ['llm.internal:443'])).toBe(false)
  })

  test('a * stands for one DNS label or part of one, never for a dot', () => {
    expect(hostPatternMatches('*.example.com', 'a.example.com')).toBe(true)
    expect(hostPatternMatches('*.example.com', 'a.b.example.com')).toBe(false)
    expect(hostPatternMatches('*.example.com', 'example.com')).toBe(false)
    expect(hostPatternMatches('*-aiplatform.googleapis.com', 'europe-west4-aiplatform.googleapis.com')).toBe(true)
    expect(hostPatternMatches('*-aiplatform.googleapis.com', 'x.y-aiplatform.googleapis.com')).toBe(false)
  })

  test('a pattern without a port matches every port; with one, only that port (or * for any)', () => {
    expect(hostPatternMatches('localhost', 'localhost:4010')).toBe(true)
    expect(hostPatternMatches('localhost:4010', 'localhost:4010')).toBe(true)
    expect(hostPatternMatches('localhost:4010', 'localhost:4011')).toBe(false)
    expect(hostPatternMatches('localhost:4010', 'localhost')).toBe(false)
    expect(hostPatternMatches('127.0.0.1:*', '127.0.0.1:55123')).toBe(true)
  })

  test('a pattern with a scheme\'s default port matches URLs that leave the port out, and the other way round', () => {
    expect(ownsUrl(new URL('https://llm-gateway.internal/v1/chat/completions'), ['llm-gateway.internal:443'])).toBe(true)
    expect(ownsUrl(new URL('http://127.0.0.1/v1'), ['127.0.0.1:80'])).toBe(true)
    expect(ownsUrl(new URL('https://llm-gateway.internal:443/v1'), ['llm-gateway.internal:443'])).toBe(true)
    expect(ownsUrl(new URL('http://llm-gateway.internal/v1'), ['llm-gateway.internal:443'])).toBe(false)
    expect(ownsUrl(new URL('https://llm-gateway.internal:8443/v1'), ['llm-gateway.internal:443'])).toBe(false)
  })

  test('dots in a pattern are literal and names compare case-insensitively', () => {
    expect(hostPatternMatches('api.example.com', 'apixexample.com')).toBe(false)
    expect(hostPatternMatches('API.Example.com', 'api.example.COM')).toBe(true)
  })

  test.each([
    ['https://my.openai.azure.com/openai', 'is a URL: give its host only, e.g. "my.openai.azure.com"'],
    ['*', 'matches every host: name the domain, e.g. "*.example.com"'],
    ['*.*', 'matches every host: name the domain, e.g. "*.example.com"'],
    ['host:port', 'has a bad port: write "name" or "name:port" (a number from 1 to 65535, or * for any port)'],
    ['llm.internal:99999', 'has a bad port: write "name" or "name:port" (a number from 1 to 65535, or * for any port)'],
    ['llm.internal:0', 'has a bad port: write "name" or "name:port" (a number from 1 to 65535, or * for any port)'],
    ['[::1]:8080', 'is an IPv6 address, which host patterns do not support: give a host name'],
    ['**.example.com', 'has "**": a * already stands for a whole label (or part of one), e.g. "*.example.com"'],
    ['a b.com', 'is not a host name: letters, digits, "-", "." and "*" only'],
    ['example.com/path', 'is not a host name: letters, digits, "-", "." and "*" only'],
  ])('%s is refused: %s', (pattern, problem) => {
    expect(hostPatternProblem(pattern)).toBe(problem)
  })

  test('cassettes.hosts patterns are recorded, and a bad one fails at start-up naming it', () => {
    expect(ownsUrl(new URL('https://llm.corp.example/v1'), ['*.corp.example'])).toBe(true)
    expect(() => parseOptions({ cassettes: { hosts: ['https://llm.corp.example/v1'] } })).toThrowError(/"https:\/\/llm\.corp\.example\/v1" is a URL: give its host only, e\.g\. "llm\.corp\.example"/)
  })
})

describe('base URL variables', () => {
  const saved = { ...process.env }
  afterEach(() => {
    process.env = { ...saved }
  })

  test.each(['OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'AZURE_OPENAI_ENDPOINT', 'GOOGLE_GEMINI_BASE_URL', 'GOOGLE_VERTEX_BASE_URL'])('the host of %s is recorded while it is set', (name) => {
    const url = new URL('http://127.0.0.1:4555/v1/x')
    expect(ownsUrl(url, [])).toBe(false)
    process.env[name] = 'http://127.0.0.1:4555/v1'
    expect(ownsUrl(url, [])).toBe(true)
    expect(ownsUrl(new URL('http://127.0.0.1:4556/v1/x'), [])).toBe(false)
  })
})
