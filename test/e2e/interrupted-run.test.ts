// A run stopped from outside while it records: Ctrl-C in a terminal sends SIGINT to the whole process group (the
// Vitest worker too), a CI cancel or `kill` SIGTERM. The recordings of the tests that had ended are in the cassette,
// held back by the once-a-second write limit or not, the cassette is valid JSON, and the run still stops.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
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

describe('a run stopped by a signal to its process group', () => {
  let server: ModelServer
  let project: FixtureProject
  beforeEach(async () => {
    server = await startModelServer()
    project = fixture('interrupted')
  })
  afterEach(async () => {
    project.remove()
    await server.close()
  })

  test.each([
    { signal: 'SIGINT' as const, how: 'Ctrl-C', code: 130 },
    { signal: 'SIGTERM' as const, how: 'kill', code: 143 },
  ])('$signal ($how) keeps every recording of the tests that had ended, and the run still ends', async ({ signal, code }) => {
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project.dir], {
      cwd: project.dir,
      env: cleanEnv({ OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: LIVE_OPENAI_KEY }),
      stdio: 'ignore',
      detached: true,
    })
    const pid = child.pid ?? 0
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (exitCode, exitSignal) => done({ code: exitCode, signal: exitSignal })))
    try {
      // The last test began: the five before it have ended, four of them less than a second after the first's write.
      await waitFor(() => existsSync(project.path('.began', 'last')) && server.requests.length >= 6, 30_000, 'the last test')
      process.kill(-pid, signal)
      expect(await closed).toEqual({ code, signal: null })
      await waitFor(() => !groupRuns(pid), 10_000, 'the worker to end')
    } finally {
      if (groupRuns(pid)) process.kill(-pid, 'SIGKILL')
    }
    const stored = JSON.parse(readFileSync(project.path('__cassettes__', 'stopped.test.ts.cassette.json'), 'utf8')) as { entries: { test: string }[] }
    expect(stored.entries.map((entry) => entry.test)).toEqual(['answers 1', 'answers 2', 'answers 3', 'answers 4', 'answers 5'])
  })
})
