import { describe, expect, test } from 'vitest'
import { JudgeError } from '../../src/errors/index.js'
import { limiterFor } from '../../src/judge/limiter.js'
import { configureDefaultJudge } from '../../src/judge/resolve-judge.js'
import { scriptedJudge } from '../src/judge/scripted-judges.js'
import { useScriptedServer } from './judged-support.js'
import { registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()
/** A scripted reply that outlasts every test here: a judge that never answers. */
const HUNG_MS = 30_000

async function until(condition: () => boolean, what: string, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('judge timeout of every judged matcher (its `judge` option)', () => {
  const judge = () => scriptedJudge(scripted.server, 'openai', { timeoutMs: 200 })
  const calls: Array<[string, () => PromiseLike<unknown>]> = [
    ['toBeFactual (reference)', () => expect('5 days.').toBeFactual({ reference: 'Five days.', judge: judge() })],
    ['toBeFactual (context)', () => expect('5 days.').toBeFactual({ context: ['Five days.'], judge: judge() })],
    ['toBeGroundedIn', () => expect('5 days.').toBeGroundedIn(['Five days.'], { judge: judge() })],
    ['toBeRelevantTo', () => expect('5 days.').toBeRelevantTo('How long?', { judge: judge() })],
    ['toSatisfyRubric', () => expect('5 days.').toSatisfyRubric('Says how long.', { judge: judge() })],
    ['toPreferOver', () => expect('5 days.').toPreferOver('Soon.', 'More precise', { judge: judge() })],
    ['toRecallReference', () => expect(['Five days.']).toRecallReference('Refunds take 5 days.', { judge: judge() })],
    ['toHaveContextPrecision', () => expect(['Five days.']).toHaveContextPrecision({ question: 'How long?', judge: judge() })],
    ['toFollowInstructions (free text)', () => expect('5 days.').toFollowInstructions(['Be polite.'], { judge: judge() })],
    ['toMatchHumanLabel (rubric)', () => expect('5 days.').toMatchHumanLabel('pass', { rubric: 'Says how long.', judge: judge() })],
    ['toMatchHumanLabel (categories)', () => expect('5 days.').toMatchHumanLabel('answered', { categories: ['answered', 'unanswered'], judge: judge() })],
  ]

  test.each(calls)('%s fails with a JudgeError at `judge.timeoutMs` when the judge does not answer', { timeout: 10_000 }, async (_name, call) => {
    scripted.server.enqueue({ delayMs: HUNG_MS, times: Infinity })
    const started = performance.now()
    const error = await Promise.resolve(call()).then(() => undefined, (caught: unknown) => caught)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/the judge \(openai gpt-4o-mini, prompt [a-z-]+@[0-9a-f]{12}\) did not answer within 200 ms \(`timeoutMs`\)/)
  })

  test('the default judge takes its timeoutMs from its config (as `llmEvals({ judge })` sets it)', { timeout: 10_000 }, async () => {
    scripted.server.enqueue({ delayMs: HUNG_MS })
    configureDefaultJudge(scriptedJudge(scripted.server, 'anthropic', { timeoutMs: 200 }))
    try {
      await expect(expect('5 days.').toBeRelevantTo('How long?')).rejects.toThrow(/the judge \(anthropic claude-haiku-4-5, prompt relevance@[0-9a-f]{12}\) did not answer within 200 ms/)
    } finally {
      configureDefaultJudge(undefined)
    }
  })

  test('an invalid timeoutMs is a ConfigError naming the option', () => {
    expect(() => expect('x').toBeRelevantTo('q', { judge: { provider: 'openai', model: 'm', timeoutMs: 0 } })).toThrow(/toBeRelevantTo\(\) got invalid options:\n {2}- `judge`/)
  })
})

describe('a judge call still running when its test ends', () => {
  // The first test starts a matcher whose judge hangs and ends without waiting for it; the second checks
  // that the call was cancelled then (the server saw the connection closed, the slot is free).
  let pending: Promise<unknown> | undefined
  let endedAt = 0

  test('starts a judge call and ends', async ({ expect, onTestFinished }) => {
    scripted.server.enqueue({ delayMs: HUNG_MS })
    pending = expect('5 days.')
      .toBeRelevantTo('How long?', { judge: scriptedJudge(scripted.server, 'openai', { maxConcurrency: 5 }) })
      .then(
        () => 'answered',
        (caught: unknown) => caught,
      )
    await until(() => scripted.server.requests.length === 1, 'the judge request')
    onTestFinished(() => {
      endedAt = performance.now()
    })
  })

  test('is cancelled when the test ends: the SDK request is aborted and the limiter slot freed', { timeout: 10_000 }, async () => {
    const error = await pending
    expect(performance.now() - endedAt).toBeLessThan(1_000)
    expect(error).toBeInstanceOf(JudgeError)
    expect((error as Error).message).toMatch(/toBeRelevantTo\(\): the judge \(openai gpt-4o-mini, prompt relevance@[0-9a-f]{12}\) was cancelled: the test ".*starts a judge call and ends" ended before the judge answered/)
    expect(limiterFor('openai', 5).inFlight).toBe(0)
  })
})
