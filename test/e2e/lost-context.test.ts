// Model calls run by a module-level hand-written queue lose their test's async context: they are filed under
// "(file)" and testTrace() misses them. The run must say so, once per file, with the fix (found by a new user).
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'

describe('a model call that lost its test\'s context while tests run', () => {
  const setup = fixtureWithServer('lost-context')

  test('is warned about once per file, naming the file and the fix', async () => {
    const run = await setup.project.run([], setup.liveEnv())
    expect(run.code, run.output).toBe(0)
    const warnings = run.output.split('\n').filter((line) => line.includes("lost its test's context"))
    // Only the queue's file: calls in hooks and in the tests of the other file kept their context.
    expect(warnings, run.output).toHaveLength(1)
    expect(warnings[0]).toContain('A model call (POST ')
    expect(warnings[0]).toContain(' in queue.test.ts lost its test\'s context')
    expect(warnings[0]).toContain('use p-limit (it keeps the context), or wrap what you queue with `AsyncResource.bind(fn)`')
  })
})
