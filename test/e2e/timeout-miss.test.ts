// A call a describeEval timeout cut off in the recording run was never stored: a replay misses it. The miss must
// say so (raise the timeout), not send the user to record it again, which times out the same way.
import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

describe('a call cut off by a timeout in the recording run', () => {
  const setup = fixtureWithServer('timeout-miss')

  const cases = [
    ["aborted through the task's signal", {}, "the test's time ran out before this call was answered (describeEval's `timeout`, or the test's), and the test's signal aborted it", 'Raise the timeout, then record it: LLM_EVALS_CASSETTES=auto npx vitest run slow.test.ts'],
    ['still unanswered when the test ended', { IGNORE_SIGNAL: '1' }, 'this call was still unanswered when its test ended (the test did not await it, or timed out while ignoring its signal)', 'Await the call in the test (or raise the timeout), then record it: LLM_EVALS_CASSETTES=auto npx vitest run slow.test.ts'],
  ] as const
  for (const [name, extra, why, fix] of cases) {
    test(`replays as a miss that says why (${name})`, async () => {
      const { project, server } = setup
      rmSync(project.path('__cassettes__'), { recursive: true, force: true })
      server.enqueue({ content: 'step one' })
      server.enqueue({ content: 'late answer', delayMs: 1500 })
      const recorded = await project.run([], setup.liveEnv(extra))
      expect(recorded.output).toContain('timed out after 1000 ms')
      const replay = await project.run([], cleanEnv({ CI: 'true', ...extra }))
      expect(replay.output).toContain('No recording for POST')
      expect(replay.output).toMatch(/It was not recorded: in the last run of this file \(\S+, auto\) /)
      expect(replay.output).toContain(why)
      expect(replay.output).toContain(fix)
      expect(replay.output).not.toContain('To record it:')
      // Let the slow reply finish before the next case scripts the server.
      await new Promise((done) => setTimeout(done, 800))
    })
  }
})
