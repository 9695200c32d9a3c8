// A call a describeEval timeout cut off in the recording run was never stored: a replay misses it. The miss must
// say so (raise the timeout), not send the user to record it again, which times out the same way.
import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

describe('a call cut off by a timeout in the recording run', () => {
  const setup = fixtureWithServer('timeout-miss')

  for (const [name, extra] of [['aborted through the task\'s signal', {}], ['still unanswered when the test ended', { IGNORE_SIGNAL: '1' }]] as const) {
    test(`replays as a miss that says why (${name})`, async () => {
      const { project, server } = setup
      rmSync(project.path('__cassettes__'), { recursive: true, force: true })
      server.enqueue({ content: 'step one' })
      server.enqueue({ content: 'late answer', delayMs: 1500 })
      const recorded = await project.run([], setup.liveEnv(extra))
      expect(recorded.output).toContain('timed out after 1000 ms')
      const replay = await project.run([], cleanEnv({ CI: 'true', ...extra }))
      expect(replay.output).toContain('No recording for POST')
      expect(replay.output).toContain('this call was aborted, or still unanswered when its test ended')
      expect(replay.output).toContain('Raise the timeout, then record it: LLM_EVALS_CASSETTES=auto npx vitest run slow.test.ts')
      expect(replay.output).not.toContain('To record it:')
      // Let the slow reply finish before the next case scripts the server.
      await new Promise((done) => setTimeout(done, 800))
    })
  }
})
