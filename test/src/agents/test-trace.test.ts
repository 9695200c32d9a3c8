import { describe, expect, onTestFinished, test } from 'vitest'
import { closeSlot, openSlot, setAppExchangeSource, type AppExchangeSlot } from '../../../src/agents/app-exchanges.js'
import { settledTrace, testTrace } from '../../../src/agents/test-trace.js'
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

function useSlots(slots: AppExchangeSlot[]): void {
  const scope = { test: 'uses slots', repeat: 0, active: true }
  enterTestScope(scope)
  onTestFinished(() => {
    scope.active = false
  })
  setAppExchangeSource({ currentAppExchanges: () => ({ slots, cassetteFile: undefined }) })
}

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
