import { AsyncResource } from 'node:async_hooks'
import { describe, expect, onTestFinished, test } from 'vitest'
import { closeSlot, openSlot, setAppExchangeSource, type AppExchangeSlot, type AttemptExchanges } from '../../../src/agents/app-exchanges.js'
import { settledTrace, testTrace } from '../../../src/agents/test-trace.js'
import { inTrial, trackTrialTool } from '../../../src/agents/trial-calls.js'
import type { CassetteEntry } from '../../../src/cassettes/entry.js'
import { enterTestScope } from '../../../src/cassettes/scope.js'
import { registerMatchers } from '../../matchers/support.js'
import { chatCompletion } from './wire-shapes.js'

// The cassette session's side is exercised end to end (test/e2e/agent-traces.test.ts); here a stand-in
// source gives testTrace the slots a session would.
const entry = (json: unknown, body: unknown = {}): CassetteEntry => ({
  test: 't', repeat: 0, call: 0, role: 'app',
  request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body },
  response: { status: 200, headers: {}, json },
  meta: { recordedAt: '2026-01-01T00:00:00.000Z', latencyMs: 420 },
})
const answer = { object: 'chat.completion', model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'Done.' } }] }

registerMatchers()

function useSlots(slots: AppExchangeSlot[], toolRecords?: AttemptExchanges['toolRecords']): void {
  const scope = { test: 'uses slots', repeat: 0, active: true }
  enterTestScope(scope)
  onTestFinished(() => {
    scope.active = false
  })
  setAppExchangeSource({ currentAppExchanges: () => ({ slots, cassetteFile: undefined, ...(toolRecords ? { toolRecords } : {}) }) })
}

/** An answer that calls `lookup_order` with `args`, as a chat completion. */
const lookup = (id: string, args: unknown) => ({
  object: 'chat.completion', model: 'gpt-4o',
  choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'lookup_order', arguments: JSON.stringify(args) } }] } }],
})
const nextTick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('testTrace', () => {
  test('outside a test with cassettes on, says what to do instead', () => {
    expect(() => testTrace()).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: [vitest-llm-evals] testTrace() has no trace to give: no test is running here with cassettes on (it reads the model calls the cassettes saw in the running test attempt: is \`llmEvals()\` in the plugins of this project's Vitest config?). Call it inside a test of a project that uses the llmEvals() plugin, with cassettes on; anywhere else, build the trace from what your agent returned: traceOf(result).]`,
    )
  })

  test('the stored calls in order, with latency from the recording', () => {
    useSlots([openSlot('u', entry(chatCompletion)), openSlot('u', entry(answer))])
    const trace = testTrace()
    expect(trace.steps.map((step) => [step.provider, step.latencyMs, step.toolCalls.length])).toEqual([['openai-chat', 420, 2], ['openai-chat', 420, 0]])
    expect(trace.output).toBe('Done.')
  })

  test('a call still being recorded is left out, and settledTrace waits for it', async () => {
    const pending = openSlot('https://api.openai.com/v1/chat/completions')
    useSlots([openSlot('u', entry(chatCompletion)), pending])
    const trace = testTrace()
    expect(trace.steps).toHaveLength(1)
    expect(Object.keys(trace)).toEqual(['steps', 'toolCalls', 'output', 'usage'])
    setTimeout(() => closeSlot(pending, { entry: entry(answer) }), 10)
    const settled = await settledTrace(trace)
    expect(settled).toMatchObject({ steps: [{}, { text: 'Done.' }], output: 'Done.' })
  })

  test('the trace matchers wait for it too', async () => {
    const pending = openSlot('u')
    useSlots([pending])
    const trace = testTrace()
    setTimeout(() => closeSlot(pending, { entry: entry(chatCompletion) }), 10)
    await expect(trace).toCallTool('get_weather', { times: 2 })
  })

  test('a dropped call (a retried failure) is no step', async () => {
    const dropped = openSlot('u')
    useSlots([dropped, openSlot('u', entry(answer))])
    closeSlot(dropped, 'dropped')
    expect(testTrace().steps).toHaveLength(1)
    expect(await settledTrace('not a trace')).toBe('not a trace')
  })
})

describe('testTrace in describeEval trials (several in one test)', () => {
  test('each trial sees its own calls, even when a late call of an earlier trial comes in beside it', async () => {
    const slots: AppExchangeSlot[] = []
    useSlots(slots, [{ name: 'lookup_order', args: { orderId: '1' }, result: 'from the test' }])
    let late: Promise<void> | undefined
    const first = await inTrial(async () => {
      slots.push(openSlot('u', entry(lookup('call_1', { orderId: '1' }))))
      // A trial that ran out of time goes on: its next call comes in while the next trial runs.
      late = nextTick().then(() => void slots.push(openSlot('u', entry(lookup('call_late', { orderId: 'late' })))))
      return testTrace().toolCalls.map((call) => call.id)
    })
    const second = await inTrial(async () => {
      slots.push(openSlot('u', entry(lookup('call_2', { orderId: '2' }))))
      await late
      return testTrace().toolCalls.map((call) => call.id)
    })
    expect([first, second]).toEqual([['call_1'], ['call_2']])
    // Outside a trial (a hook of the test): every call of the test attempt.
    expect(testTrace().toolCalls.map((call) => call.id)).toEqual(['call_1', 'call_2', 'call_late'])
  })

  test('a call from code started outside the trial (an app server) is the trial\'s while it runs alone', async () => {
    const slots: AppExchangeSlot[] = []
    useSlots(slots)
    // The server's handler runs in the context it was started in: no trial.
    const server = new AsyncResource('app server')
    const serve = (id: string) => server.runInAsyncScope(() => void slots.push(openSlot('u', entry(lookup(id, { orderId: id })))))
    const alone = await inTrial(async () => {
      serve('call_alone')
      return testTrace().toolCalls.map((call) => call.id)
    })
    expect(alone).toEqual(['call_alone'])
    // Two trials at once (concurrent cases): whose the call is cannot be told, so it is neither's.
    let release = () => undefined as void
    const held = new Promise<void>((resolve) => (release = resolve))
    const other = inTrial(() => held.then(() => testTrace().toolCalls.map((call) => call.id)))
    const both = await inTrial(async () => {
      serve('call_both')
      release()
      return testTrace().toolCalls.map((call) => call.id)
    })
    expect([both, await other]).toEqual([[], []])
  })

  test('a trial\'s tool results are its own recordTool calls, not the test\'s', async () => {
    const slots: AppExchangeSlot[] = []
    useSlots(slots, [{ name: 'lookup_order', args: { orderId: '1' }, result: 'an earlier trial\'s' }])
    const trace = await inTrial(async () => {
      slots.push(openSlot('u', entry(lookup('call_1', { orderId: '1' }))))
      const answer = { served: 2 }
      await trackTrialTool('lookup_order', { orderId: '1' }, Promise.resolve(answer))
      // The app changes what it got: the trace keeps what the tool answered.
      answer.served = 99
      await trackTrialTool('lookup_order', { orderId: '9' }, Promise.reject(new RangeError('no such order'))).catch(() => undefined)
      return testTrace()
    })
    expect(trace.toolCalls).toMatchObject([{ id: 'call_1', result: { served: 2 } }])
    const failed = await inTrial(async () => {
      slots.push(openSlot('u', entry(lookup('call_9', { orderId: '9' }))))
      await trackTrialTool('lookup_order', { orderId: '9' }, Promise.reject(new RangeError('no such order'))).catch(() => undefined)
      return testTrace()
    })
    expect(failed.toolCalls).toMatchObject([{ id: 'call_9', error: 'RangeError: no such order' }])
  })
})
