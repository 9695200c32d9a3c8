// Calls a test makes after it was cut off (timed out): a concurrent test's (model calls and recordTool tools) are
// refused in every mode, never sent, run nor recorded under "(file)"; a timed-out try's late answer is not stored in
// Vitest's retry; and in replay, where sequential tests are not followed through async context, the miss a late
// call causes in the next test names the test that was cut off.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

interface Cassette {
  entries: { test: string; call: number; request: { body: { messages?: { content: string }[] } } }[]
  tools?: unknown[]
}

describe('calls of a test that was cut off', () => {
  const setup = fixtureWithServer('late-calls')
  const cassette = (file: string) => JSON.parse(readFileSync(setup.project.path('__cassettes__', `${file}.cassette.json`), 'utf8')) as Cassette
  const prompts = (entries: Cassette['entries']) => entries.map((entry) => `${entry.test}: ${entry.request.body.messages?.[0]?.content}`)
  const sent = () => setup.server.requests.map((request) => (request.body as { messages: { content: string }[] }).messages[0]?.content)

  test('test.concurrent: its late model call is not sent and its tool not run, in auto and in CI replay; nothing is filed under "(file)"', async () => {
    const { project } = setup
    setup.server.reset()
    const recorded = await project.run(['concurrent.test.ts'], setup.liveEnv())
    expect(recorded.output).toContain('REFUNDS 0 LATE ERRORS [true,true]')
    expect(sent()).toEqual(['mine'])
    const stored = cassette('concurrent.test.ts')
    expect(prompts(stored.entries)).toEqual(['late > B: mine'])
    expect(stored.tools ?? []).toEqual([])
    const warnings = recorded.output.split('\n').filter((line) => line.includes('[vitest-llm-evals] A model call (POST'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('was started by test "late > A times out" but arrived after that test ended: it was not sent nor recorded')
    expect(recorded.output).not.toContain("lost its test's context")
    expect(recorded.output).toMatch(/Tests +1 failed \| 1 passed/)

    setup.server.reset()
    const replayed = await project.run(['concurrent.test.ts'], setup.liveEnv({ CI: 'true' }))
    expect(replayed.output).toContain('REFUNDS 0 LATE ERRORS [true,true]')
    expect(replayed.output).not.toContain('No recording')
    expect(replayed.output).toMatch(/Tests +1 failed \| 1 passed/)
    expect(sent()).toEqual([])
  })

  test('Vitest retry: the answer of the try that timed out is not stored in the retry\'s recording, and the summary says what it was', async () => {
    const { project } = setup
    setup.server.reset()
    setup.server.enqueue({ content: 'late answer', delayMs: 2600 })
    const recorded = await project.run(['retry.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.code, recorded.output).toBe(0)
    expect(sent()).toEqual(['try 0', 'try 1'])
    expect(prompts(cassette('retry.test.ts').entries)).toEqual(['retried after a timeout: try 1'])
    expect(cassette('retry.test.ts').entries.map((entry) => entry.call)).toEqual([0])
    expect(recorded.output).toMatch(/1 sent live in a failed try \(dropped for the retry's recording\)/)
    const replayed = await project.run(['retry.test.ts'], setup.liveEnv({ CI: 'true' }))
    expect(replayed.code, replayed.output).toBe(0)

    setup.server.reset()
    setup.server.enqueue({ content: 'late answer', delayMs: 2600 })
    const same = await project.run(['retry.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record', PROMPT: 'same' }))
    expect(same.code, same.output).toBe(0)
    expect(prompts(cassette('retry.test.ts').entries)).toEqual(['retried after a timeout: same question'])
    expect(same.output).not.toContain('already recorded by another process')
    expect(same.output).toMatch(/1 sent live in a failed try \(dropped for the retry's recording\)/)
  })

  test('Vitest retry: the result of a tool the try that timed out awaited is not stored beside the retry\'s', async () => {
    const recorded = await setup.project.run(['retry-tool.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.code, recorded.output).toBe(0)
    const tools = (JSON.parse(readFileSync(setup.project.path('__cassettes__', 'retry-tool.test.ts.cassette.json'), 'utf8')) as { tools: { args: unknown }[] }).tools
    expect(tools.map((record) => record.args)).toEqual([{ q: 'try 1' }])
    expect(recorded.output).toMatch(/1 run in a failed try \(dropped for the retry's recording\)/)
  })

  test('sequential, in replay: the next test\'s miss of a late call names the test that was cut off, and the fix', async () => {
    const { project } = setup
    setup.server.reset()
    const recorded = await project.run(['sequential-replay.test.ts'], setup.liveEnv())
    expect(sent()).toEqual(['mine'])
    expect(recorded.output).toContain('was started by test "A times out" but arrived after that test ended, while test "B" was running')
    const replayed = await project.run(['sequential-replay.test.ts'], setup.liveEnv({ CI: 'true' }))
    expect(replayed.output).toContain('No recording for POST')
    expect(replayed.output).toContain('Test "A times out" of this file was cut off (it timed out) before "B" missed: this request may be a call "A times out" left running')
    expect(replayed.output).toContain('pass the test\'s `signal`')
  })

  test('a timed-out test\'s afterEach and the file\'s afterAll call models: sent and recorded, not refused as late calls', async () => {
    const { project } = setup
    setup.server.reset()
    const recorded = await project.run(['after-hooks.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.output).toContain('HOOKS ["ok","ok"]')
    expect(sent()).toEqual(['after each', 'after all'])
  })

  test('describeEval: a case whose trial timed out (its own `timeout`) has its late call refused, never stored under the next case', async () => {
    const { project } = setup
    setup.server.reset()
    await project.run(['trial-timeout.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(sent()).toEqual(['b mine'])
    expect(cassette('trial-timeout.test.ts').entries.map((entry) => entry.request.body.messages?.[0]?.content)).toEqual(['b mine'])
  })
})
