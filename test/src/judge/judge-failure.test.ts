import { afterEach, describe, expect, test } from 'vitest'
import { JudgeError } from '../../../src/errors/index.js'
import { judgeFailure } from '../../../src/judge/judge-failure.js'
import type { JudgeRequest } from '../../../src/judge/judge.js'

const STATE = Symbol.for('vitest-llm-evals.cassettes')
const WHO = 'toSatisfyRubric(): the judge (openai gpt-4o-mini, prompt rubric@439b6fa3aea9)'
const MISS = '[vitest-llm-evals] No recording for POST https://api.openai.com/v1/chat/completions (cassette mode: replay).\n  Test:     t\n  To record it: LLM_EVALS_CASSETTES=auto npx vitest run a.test.ts'

/** An SDK error as the openai SDK throws it for the cassette's miss: its message, and the response headers Vitest would print. */
function sdkMiss(): Error {
  return Object.assign(new Error(`400 ${MISS}`), { status: 400, headers: new Headers({ 'x-llm-evals-cassette': 'miss' }) })
}

const request = (user: string): JudgeRequest => ({ system: 'You grade.', user, schemaName: 'rubric_verdict', schema: {} })

/** Makes this worker look like one whose cassettes run in `mode` (the state the plugin's setup keeps). */
function inWorker(mode: string): void {
  ;(globalThis as Record<symbol, unknown>)[STATE] = { options: { mode, redact: [] } }
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[STATE]
})

describe('judgeFailure', () => {
  test('a replay miss over redacted text says the text was redacted when recorded, with no API-key advice and no SDK error attached', () => {
    inWorker('replay')
    const error = judgeFailure(WHO, sdkMiss(), request('<output-0123456789ab>\nThe token is [REDACTED].\n</output-0123456789ab>'))
    expect(error).toBeInstanceOf(JudgeError)
    expect(error.message).toContain(`${WHO} has no recording. No recording for POST https://api.openai.com/v1/chat/completions`)
    expect(error.message).toContain("The judge's prompt holds text that was redacted when it was recorded ([REDACTED]")
    expect(error.message).not.toContain('API key')
    expect(error.message).not.toContain('400 ')
    expect(error.cause).toBeUndefined()
  })

  test('a replay miss over text without redaction has no redaction note', () => {
    inWorker('replay')
    const error = judgeFailure(WHO, sdkMiss(), request('<output-0123456789ab>\nParis.\n</output-0123456789ab>'))
    expect(error.message).not.toMatch(/redacted/i)
    expect(error.message).not.toContain('Check the judge model name')
  })

  test('another failure in replay gives no API-key advice (no judge is called)', () => {
    inWorker('replay')
    const error = judgeFailure(WHO, Object.assign(new Error('500 overloaded'), { headers: new Headers() }), request('Paris.'))
    expect(error.message).toMatch(/failed in replay: 500 overloaded\nIn replay no judge is called \(no API key is needed\)/)
    expect(error.cause).toBeUndefined()
  })

  test('a live failure (auto) keeps the advice to check the model name and key, and the SDK error as cause', () => {
    inWorker('auto')
    const cause = new Error('401 invalid api key')
    const error = judgeFailure(WHO, cause, request('Paris.'))
    expect(error.message).toMatch(/failed: 401 invalid api key\nCheck the judge model name and API key, or record the judge call/)
    expect(error.cause).toBe(cause)
  })
})
