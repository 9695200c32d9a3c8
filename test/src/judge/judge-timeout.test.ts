import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { JudgeError } from '../../../src/errors/index.js'
import type { Judge, JudgeRequest } from '../../../src/judge/judge.js'
import { limiterFor } from '../../../src/judge/limiter.js'
import { createJudge } from '../../../src/judge/resolve-judge.js'
import { runJudge } from '../../../src/judge/run-judge.js'
import { startModelServer, type ModelServer } from '../../support/model-server.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from './scripted-judges.js'
import { verdictPrompt } from './verdict-prompt.js'

const ask = (judge: Judge, signal?: AbortSignal) => runJudge(judge, { matcherName: 'toBeBlue', prompt: verdictPrompt, variables: { thing: 'x' }, ...(signal ? { signal } : {}) })
/** Long enough to outlast every test here: a reply that "never" comes. */
const HUNG_MS = 30_000

async function until(condition: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

let server: ModelServer
beforeAll(async () => {
  server = await startModelServer()
})
beforeEach(() => server.reset())
afterAll(async () => server.close())

describe.each(PROVIDERS)('judge timeout through the real %s SDK', (provider) => {
  const path = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages'
  const model = provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5'

  test('fails when the judge does not answer within timeoutMs: a JudgeError naming provider, model and timeout, and how to raise it', { timeout: 10_000 }, async () => {
    server.enqueue({ path, delayMs: HUNG_MS })
    const started = performance.now()
    const error = await ask(createJudge(scriptedJudge(server, provider, { timeoutMs: 300 }))).catch((caught: unknown) => caught)
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(290)
    expect(elapsed).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(JudgeError)
    const message = (error as Error).message
    expect(message).toContain(`toBeBlue(): the judge (${provider} ${model}, prompt test-verdict@`)
    expect(message).toContain('did not answer within 300 ms (`timeoutMs`)')
    expect(message).toContain('timeoutMs: 600')
  })

  test('the timeout aborts the SDK request: the server sees the connection closed, and the SDK does not retry it', { timeout: 10_000 }, async () => {
    server.enqueue({ path, delayMs: HUNG_MS })
    await ask(createJudge(scriptedJudge(server, provider, { timeoutMs: 200, maxRetries: 2 }))).catch(() => undefined)
    await until(() => server.abandoned.length === 1, 'the server to see the connection closed')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(server.requests).toHaveLength(1)
  })

  test('a burst of hung calls does not starve healthy ones: each frees its limiter slot when it times out', { timeout: 10_000 }, async () => {
    const judge = createJudge(scriptedJudge(server, provider, { timeoutMs: 300, maxConcurrency: 2 }))
    server.enqueue({ path, delayMs: HUNG_MS, times: 4 })
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'healthy', verdict: 'yes' })
    enqueueVerdict(server, provider, 'test_verdict', { reasoning: 'healthy', verdict: 'no' })
    const started = performance.now()
    const hung = Array.from({ length: 4 }, () => ask(judge).catch((caught: unknown) => caught))
    const healthy = [ask(judge), ask(judge)]
    const verdicts = (await Promise.all(healthy)).map((run) => run.samples[0]?.output.verdict)
    expect(verdicts.sort()).toEqual(['no', 'yes'])
    // Two slots: hung calls time out two at a time (about 300 ms, then 600 ms), then the healthy ones run.
    expect(performance.now() - started).toBeLessThan(3_000)
    for (const error of await Promise.all(hung)) expect((error as Error).message).toContain('did not answer within 300 ms')
    expect(limiterFor(provider, 2).inFlight).toBe(0)
  })

  test('cancelling the call (its signal) aborts the SDK request at once and frees the slot', { timeout: 10_000 }, async () => {
    server.enqueue({ path, delayMs: HUNG_MS })
    const controller = new AbortController()
    const pending = ask(createJudge(scriptedJudge(server, provider, { maxConcurrency: 3 })), controller.signal).catch((caught: unknown) => caught)
    await until(() => server.requests.length === 1, 'the judge request')
    const started = performance.now()
    controller.abort(new Error('the test ended'))
    const error = await pending
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toContain(`toBeBlue(): the judge (${provider} ${model}, prompt test-verdict@`)
    expect((error as Error).message).toContain('was cancelled: the test ended')
    await until(() => server.abandoned.length === 1, 'the server to see the connection closed')
    expect(limiterFor(provider, 3).inFlight).toBe(0)
  })
})

describe('judge timeout of a Judge object', () => {
  const fake = (complete: Judge['complete'], extra: Partial<Judge> = {}): Judge => ({ provider: 'fake-timeout', model: 'slow-1', complete, ...extra })

  test('a judge that ignores its signal still fails at timeoutMs, and its slot is freed', { timeout: 10_000 }, async () => {
    const judge = fake(() => new Promise(() => undefined), { timeoutMs: 100, maxConcurrency: 1 })
    const first = await ask(judge).catch((caught: unknown) => caught)
    expect(first).toBeInstanceOf(JudgeError)
    expect((first as Error).message).toContain('the judge (fake-timeout slow-1, prompt test-verdict@')
    expect((first as Error).message).toContain('did not answer within 100 ms')
    expect(limiterFor('fake-timeout', 1).inFlight).toBe(0)
  })

  test('complete() receives a signal that aborts at the timeout', { timeout: 10_000 }, async () => {
    const signals: AbortSignal[] = []
    const judge = fake(
      (_request: JudgeRequest, options) =>
        new Promise((_, reject) => {
          if (options?.signal) signals.push(options.signal)
          options?.signal.addEventListener('abort', () => reject(options.signal.reason))
        }),
      { timeoutMs: 100 },
    )
    await ask(judge).catch(() => undefined)
    expect(signals).toHaveLength(1)
    expect(signals[0]?.aborted).toBe(true)
  })

  test('the default timeout is 60 s', async () => {
    const { DEFAULT_JUDGE_TIMEOUT_MS } = await import('../../../src/judge/judge.js')
    expect(DEFAULT_JUDGE_TIMEOUT_MS).toBe(60_000)
  })

  test('a call waiting for a slot is cancelled by its signal without ever starting', { timeout: 10_000 }, async () => {
    let started = 0
    const judge = fake(
      (_request, options) => {
        started += 1
        return new Promise((_, reject) => options?.signal.addEventListener('abort', () => reject(options.signal.reason)))
      },
      { provider: 'fake-queue', maxConcurrency: 1, timeoutMs: 5_000 },
    )
    const holder = new AbortController()
    const holding = ask(judge, holder.signal).catch((caught: unknown) => caught)
    const waiter = new AbortController()
    const waiting = ask(judge, waiter.signal).catch((caught: unknown) => caught)
    await until(() => started === 1, 'the first call to start')
    waiter.abort(new Error('the test ended'))
    expect((await waiting) as Error).toBeInstanceOf(JudgeError)
    holder.abort(new Error('the test ended'))
    await holding
    expect(started).toBe(1)
    expect(limiterFor('fake-queue', 1).inFlight).toBe(0)
  })
})
