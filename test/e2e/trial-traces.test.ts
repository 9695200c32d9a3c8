// describeEval with `repeats`: each trial's testTrace() holds that trial's calls only (model calls and tool
// results), in the task and in its scorers, with cases running concurrently, a conversation per trial, and an
// app server started in beforeAll; recorded, then replayed offline.
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type RunResult } from './run-fixture.js'

interface Entry {
  test: string
  role: 'app' | 'judge'
  request: { body: { messages: { content: string }[] } }
}

describe('describeEval trials each see their own calls', () => {
  const setup = fixtureWithServer('trial-traces')
  const results = (file: string) => setup.project.read(file).trim().split('\n').sort()
  let recorded: RunResult

  test('every trial passes while recording: one tool call per trial, the kept trace one trial\'s', async () => {
    recorded = await setup.project.run([], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record', RESULTS_FILE: setup.project.path('recorded.jsonl') }))
    expect(recorded.output, recorded.output).toContain('Tests  7 passed')
    expect(recorded.output).not.toContain('flaky')
    const kept = new Map(results('recorded.jsonl').map((line) => {
      const { name, value } = JSON.parse(line) as { name: string; value: unknown }
      return [name, value] as const
    }))
    expect(kept.get('a > kept trace')).toEqual({ steps: 2, toolCalls: [{ name: 'lookup_order', args: { orderId: '123' }, result: expect.objectContaining({ status: 'delivered' }) }] })
    expect(kept.get('c > kept trace')).toMatchObject({ steps: 1, toolCalls: [{ name: 'lookup_order' }] })
    expect(kept.get('a > trials')).toMatchObject({ 'tool-call:lookup_order': { trials: 3, passes: 3, flaky: false }, 'task-completion': { trials: 3 } })
    expect(kept.get('d > evals')).toEqual([0, 1, 2].map((repeat) => ({ metric: 'tool-call:lookup_order', pass: true, repeat })))
    expect(kept.get('e > kept trace')).toMatchObject({ steps: 4, toolCalls: [{ name: 'lookup_order' }, { name: 'lookup_order' }] })
    expect(kept.get('f > trials')).toMatchObject({ 'tool-call:lookup_order': { trials: 3, passes: 3, flaky: false } })
    expect(kept.get('g > kept trace')).toMatchObject({ steps: 2, toolCalls: [{ name: 'lookup_order' }] })
    for (const name of ['a', 'b']) {
      const metrics = ['tool-call:lookup_order', 'tool-calls', 'task-completion']
      expect(kept.get(`${name} > evals`)).toEqual([0, 1, 2].flatMap((repeat) => metrics.map((metric) => ({ metric, pass: true, repeat }))))
    }
  }, 120_000)

  test('the judge of each trial sees that trial\'s one tool call', () => {
    const { entries } = JSON.parse(setup.project.read('__cassettes__', 'trials.test.ts.cassette.json')) as { entries: Entry[] }
    const judged = entries.filter((entry) => entry.role === 'judge')
    expect(judged).toHaveLength(6)
    for (const entry of judged) {
      const prompt = entry.request.body.messages.map((message) => message.content).join('\n')
      expect(prompt.match(/lookup_order/g)).toHaveLength(1)
    }
  })

  test('replay with the endpoint gone gives the same outcome and traces', async () => {
    const replayed = await setup.project.run([], cleanEnv({ CI: 'true', RESULTS_FILE: setup.project.path('replayed.jsonl') }))
    expect(replayed.output, replayed.output).toContain('Tests  7 passed')
    expect(results('replayed.jsonl')).toEqual(results('recorded.jsonl'))
  }, 120_000)
})
