// A model call in `beforeAll` belongs to no test: the run's last line must count it when it is replayed, as it
// does when it is recorded (found by a new user: "2 recorded", then "1 replayed").
import { describe, expect, test } from 'vitest'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv } from './run-fixture.js'

describe('model calls made in beforeAll', () => {
  const setup = fixtureWithServer('hook-counts')

  test('are counted when replayed as when recorded', async () => {
    const { project } = setup
    const recorded = await project.run([], setup.liveEnv())
    expect(recorded.code, recorded.output).toBe(0)
    expect(recorded.output).toContain('cassettes [auto]: 0 replayed, 2 recorded')
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 2 replayed, 0 recorded')
  })
})

describe('a file whose only model calls are made at file level (module top level, beforeAll)', () => {
  const setup = fixtureWithServer('hook-only-counts')

  test('has its replay counted in the last line, as its recording is', async () => {
    const { project } = setup
    const recorded = await project.run([], setup.liveEnv())
    expect(recorded.code, recorded.output).toBe(0)
    expect(recorded.output).toContain('cassettes [auto]: 0 replayed, 2 recorded')
    const replay = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)
    expect(replay.output).toContain('cassettes [replay]: 2 replayed, 0 recorded')
  })
})
