// A `record` run stopped in the middle of a test that makes two calls, after the first was recorded: by a signal
// (Ctrl-C in a terminal, `kill`), or cancelled (`--bail`, Ctrl-C in watch mode: the test's signal aborts, it fails,
// and its file ends normally). The test's complete recording from an earlier run must not be replaced by that half (a
// replay would then miss the second call), and a cancelled run says the test was interrupted.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { startModelServer, type ModelServer } from '../support/model-server.js'
import { LIVE_OPENAI_KEY } from './fixture-with-server.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

/** True while a process of the group `pid` leads still runs. */
function groupRuns(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

type Stored = { entries: { test: string; call: number; request: { body: { messages: { content: string }[] } } }[] }

describe('a record run stopped in the middle of a test', () => {
  let server: ModelServer
  let project: FixtureProject
  const cassette = () => JSON.parse(readFileSync(project.path('__cassettes__', 'two-calls.test.ts.cassette.json'), 'utf8')) as Stored
  const asked = (stored: Stored, test: string) => stored.entries.filter((entry) => entry.test === test).map((entry) => entry.request.body.messages[0]?.content)
  beforeEach(async () => {
    server = await startModelServer()
    project = fixture('interrupted-two-calls')
  })
  afterEach(async () => {
    project.remove()
    await server.close()
  })

  test.each([
    { signal: 'SIGINT' as const, how: 'Ctrl-C', pool: 'forks', group: true },
    { signal: 'SIGTERM' as const, how: 'kill', pool: 'threads', group: true },
    { signal: 'SIGTERM' as const, how: 'to Vitest alone', pool: 'forks', group: false },
  ])('$signal ($how, pool $pool) keeps the complete earlier recording of the interrupted test', async ({ signal, pool, group }) => {
    const complete = await project.run([], cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, LLM_EVALS_CASSETTES: 'record' }))
    expect(complete.code, complete.output).toBe(0)
    expect(asked(cassette(), 'two calls')).toEqual(['first of two', 'second of two'])

    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project.dir, `--pool=${pool}`], {
      cwd: project.dir,
      env: cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, LLM_EVALS_CASSETTES: 'record', STALL: '1' }),
      stdio: 'ignore',
      detached: true,
    })
    const pid = child.pid ?? 0
    const closed = new Promise<void>((done) => child.once('close', () => done()))
    try {
      await waitFor(() => existsSync(project.path('.reached', 'first')), 30_000, 'the first call of the test')
      // Past the once-a-second write limit: what the run would save of the test has had time to be written.
      await sleep(1_500)
      process.kill(group ? -pid : pid, signal)
      await closed
      await waitFor(() => !groupRuns(pid), 10_000, 'the worker to end')
    } finally {
      if (groupRuns(pid)) process.kill(-pid, 'SIGKILL')
    }
    const stored = cassette()
    expect(asked(stored, 'two calls')).toEqual(['first of two', 'second of two'])
    expect(asked(stored, 'before')).toEqual(['before'])

    // And a CI replay still finds both calls.
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  }, 90_000)
})

describe('a record run cancelled in the middle of a test (`--bail`, or Ctrl-C in watch mode)', () => {
  let server: ModelServer
  let project: FixtureProject
  const cassette = () => JSON.parse(readFileSync(project.path('__cassettes__', 'two-calls.test.ts.cassette.json'), 'utf8')) as Stored
  const asked = (stored: Stored, test: string) => stored.entries.filter((entry) => entry.test === test).map((entry) => entry.request.body.messages[0]?.content)
  beforeEach(async () => {
    server = await startModelServer()
    project = fixture('interrupted-two-calls')
  })
  afterEach(async () => {
    project.remove()
    await server.close()
  })

  test('keeps the complete earlier recording of the cancelled test, says so, and the replay still finds both calls', async () => {
    const live = (extra: NodeJS.ProcessEnv) => cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY, LLM_EVALS_CASSETTES: 'record', ...extra })
    const complete = await project.run([], live({}))
    expect(complete.code, complete.output).toBe(0)
    expect(asked(cassette(), 'two calls')).toEqual(['first of two', 'second of two'])

    rmSync(project.path('.reached'), { recursive: true, force: true })
    const cancelled = await project.run(['--bail=1', '--maxWorkers=2'], live({ STALL: '1', BAIL: '1' }))
    expect(cancelled.code).not.toBe(0)
    const stored = cassette()
    expect(asked(stored, 'two calls')).toEqual(['first of two', 'second of two'])
    expect(asked(stored, 'before')).toEqual(['before'])
    expect(cancelled.output).toMatch(/Test \\?"two calls\\?" in two-calls.test.ts was interrupted \(the run was cancelled\)/)

    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
  }, 90_000)
})
