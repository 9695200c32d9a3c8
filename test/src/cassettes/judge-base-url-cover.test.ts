// A judge's baseURL is owned by the cassettes from its configuration (not its first call), and only what is under
// it: the base URL's path for HTTP, and the scheme's default port when it names none.
import { describe, expect, test } from 'vitest'
import { coverBaseUrl, ownsUrl } from '../../../src/cassettes/hosts.js'
import { setDefaultJudgeOption } from '../../../src/judge/default-judge.js'
import { createJudge } from '../../../src/judge/resolve-judge.js'
import { createOpenAICompatibleJudge } from '../../../src/judge/openai-compatible-judge.js'

describe('coverBaseUrl', () => {
  test("a created openai-compatible judge's server is owned before the judge's first call", () => {
    createOpenAICompatibleJudge({ provider: 'openai-compatible', model: 'llama', baseURL: 'http://127.0.0.1:18000/v1' })
    expect(ownsUrl(new URL('http://127.0.0.1:18000/v1/chat/completions'), [])).toBe(true)
  })

  test("a matcher's resolved judge config (any provider) is owned when created", () => {
    createJudge({ provider: 'anthropic', model: 'claude', baseURL: 'http://127.0.0.1:18001/anthropic' })
    expect(ownsUrl(new URL('http://127.0.0.1:18001/anthropic/v1/messages'), [])).toBe(true)
  })

  test("the plugin's judge option is owned at worker start (setDefaultJudgeOption), with no judge built", () => {
    setDefaultJudgeOption({ provider: 'openai-compatible', model: 'llama', baseURL: 'http://127.0.0.1:18002/v1', apiKeyEnv: 'JUDGE_API_KEY' })
    try {
      expect(ownsUrl(new URL('http://127.0.0.1:18002/v1/chat/completions'), [])).toBe(true)
    } finally {
      setDefaultJudgeOption(undefined)
    }
  })

  test("a base URL with a path owns only what is under that path: the gateway's other APIs are left alone", () => {
    coverBaseUrl('https://gateway.corp.example/llm/v1')
    expect(ownsUrl(new URL('https://gateway.corp.example/llm/v1/chat/completions'), [])).toBe(true)
    expect(ownsUrl(new URL('https://gateway.corp.example/llm/v1'), [])).toBe(true)
    expect(ownsUrl(new URL('https://gateway.corp.example/api/orders'), [])).toBe(false)
    expect(ownsUrl(new URL('https://gateway.corp.example/llm/v10/chat'), [])).toBe(false)
    // A connection check (replay socket guard, HTTP/2 bridge) sees the origin only: host and port decide.
    expect(ownsUrl(new URL('https://gateway.corp.example:443'), [])).toBe(true)
  })

  test('a base URL without a port owns the default port of its scheme only', () => {
    coverBaseUrl('https://llm.corp.example/v1')
    expect(ownsUrl(new URL('https://llm.corp.example:443/v1/chat/completions'), [])).toBe(true)
    expect(ownsUrl(new URL('http://llm.corp.example:5432/v1'), [])).toBe(false)
    expect(ownsUrl(new URL('http://llm.corp.example/v1/chat/completions'), [])).toBe(false)
    coverBaseUrl('http://127.0.0.1:18003')
    expect(ownsUrl(new URL('http://127.0.0.1:18003/anything'), [])).toBe(true)
    expect(ownsUrl(new URL('http://127.0.0.1:18004/anything'), [])).toBe(false)
  })
})
