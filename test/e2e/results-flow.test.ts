import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('results-flow')
})
afterEach(() => project.remove())

describe('finished tests reach the main process while the rest run (results-flow.ts)', () => {
  test('a file of 4,000 quick cases sends results before its last case ends, so reporters work beside the tests', async () => {
    const result = await project.run()
    expect(result.code, result.output).toBe(0)
    const arrivals = JSON.parse(project.read('arrivals.json')) as { arrivedAt: number; endedAt: number }[]
    expect(arrivals).toHaveLength(4001)
    const lastEnded = Math.max(...arrivals.map((each) => each.endedAt).filter(Number.isFinite))
    // Without the worker letting its event loop turn, only what fits in the pipe's buffer (~200 cases of 1 KB
    // here; measured 149-276) is handled before the last case ended; with it, nearly all (3,583-3,788).
    const early = arrivals.filter((each) => each.arrivedAt < lastEnded).length
    expect(early, `${early} of ${arrivals.length} results arrived before the last case ended`).toBeGreaterThan(2000)
  }, 60_000)
})
