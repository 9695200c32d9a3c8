// A call a finished test left running (an agent loop past its timeout, a simulated conversation given no signal)
// that arrives while the next test runs is not sent, not recorded under that test, and not in its testTrace().
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

interface Cassette { entries: { test: string; request: { body: { messages?: { content: string }[] } } }[] }

describe('calls a finished test left running', () => {
  const setup = fixtureWithServer('late-calls')
  const cassette = (file: string) => JSON.parse(readFileSync(setup.project.path('__cassettes__', `${file}.cassette.json`), 'utf8')) as Cassette

  test('an agent loop past its timeout: the next test records and traces its own call only', async () => {
    const { project, server } = setup
    const run = await project.run(['late.test.ts'], setup.liveEnv())
    expect(run.output).toContain('B STEPS 1')
    expect(run.output).toMatch(/✓ B/)
    const b = cassette('late.test.ts').entries.filter((entry) => entry.test === 'B')
    expect(b.map((entry) => entry.request.body.messages?.[0]?.content)).toEqual(['mine'])
    // The late calls were answered at once, never sent: the server saw A's calls before its timeout, and B's.
    const sent = server.requests.map((request) => (request.body as { messages: { content: string }[] }).messages[0]?.content)
    expect(sent.filter((content) => content === 'mine')).toHaveLength(1)
    expect(sent.length).toBeLessThanOrEqual(5)
    // The app got an error saying why, and the run said so once.
    expect(run.output).toMatch(/LATE ERRORS \[true\]/)
    const warnings = run.output.split('\n').filter((line) => line.includes('was started by test "A times out, its agent keeps going" but arrived after that test ended'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('while test "B" was running: it was not sent nor recorded')
  })

  test('a simulated conversation given no signal stops at the next test instead of recording into it', async () => {
    const { project } = setup
    setup.server.reset()
    const run = await project.run(['simulated.test.ts'], setup.liveEnv())
    // At most the turn in flight when the test timed out: its app step may run as the next test starts; the
    // simulator's call that follows it is refused, and the conversation stops (it went on for 16 more calls before).
    expect(run.output).toMatch(/APP CALLS DURING LATER [01]\n/)
    expect(run.output).toMatch(/✓ later test/)
    const stored = existsSync(project.path('__cassettes__', 'simulated.test.ts.cassette.json')) ? cassette('simulated.test.ts').entries : []
    expect(stored.filter((entry) => entry.test === 'later test')).toEqual([])
    // When the conversation went on into the next test (an app step ran there), its next simulator call was refused
    // and said so; on a loaded machine the call in flight at the timeout may answer late, and the conversation ends there.
    if (/APP CALLS DURING LATER 1\n/.test(run.output)) expect(run.output).toContain('was started by test "times out mid-conversation" but arrived after that test ended')
  })
  test('a recordTool loop past its timeout: the next test records its own tool call only', async () => {
    const run = await setup.project.run(['late-tool.test.ts'], setup.liveEnv())
    expect(run.output).toMatch(/✓ B/)
    const tools = (JSON.parse(readFileSync(setup.project.path('__cassettes__', 'late-tool.test.ts.cassette.json'), 'utf8')) as { tools: { test: string; args: unknown }[] }).tools
    expect(tools.filter((record) => record.test === 'B').map((record) => record.args)).toEqual([{ q: 'mine' }])
    expect(run.output).toContain('A call of tool search in late-tool.test.ts was started by test "A times out, its tool loop keeps going" but arrived after that test ended, while test "B" was running')
  })

  test('a queue made at module level by an earlier test: the running test\'s own call is recorded under it and replays, with a warning', async () => {
    setup.server.reset()
    for (const content of ['one', 'two']) setup.server.enqueue({ content })
    const recorded = await setup.project.run(['queue.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'record' }))
    expect(recorded.code, recorded.output).toBe(0)
    const b = cassette('queue.test.ts').entries.filter((entry) => entry.test === 'B')
    expect(b.map((entry) => entry.request.body.messages?.[0]?.content)).toEqual(['second'])
    expect(recorded.output).toContain('it is recorded and replayed under "B"')
    expect(recorded.output).toContain('create the queue in the test, or wrap what you queue with `AsyncResource.bind(fn)`')
    const replayed = await setup.project.run(['queue.test.ts'], { ...setup.liveEnv({ LLM_EVALS_CASSETTES: 'replay' }) })
    expect(replayed.code, replayed.output).toBe(0)
    const auto = await setup.project.run(['queue.test.ts'], setup.liveEnv({ LLM_EVALS_CASSETTES: 'auto' }))
    expect(auto.code, auto.output).toBe(0)
  })
})

