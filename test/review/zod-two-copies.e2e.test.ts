// Review of issue 17 (zod loaded on first use by require() of its ES module): a user's test file that imports
// zod itself and hands its schemas to the library's matchers works the same whether Node loads the packages
// (the default) or Vite's module runner does (`server.deps.inline: true`, where the library's zod and the
// user's are two copies). Runs the build (`npm run build` first).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from '../e2e/run-fixture.js'

describe('a user zod schema in the matchers', () => {
  let project: FixtureProject
  beforeAll(() => {
    project = fixture('review-zod-inline')
  })
  afterAll(() => project.remove())

  test.for(['vitest.config.ts', 'vitest.inline.config.ts'])('with %s', async (config) => {
    const run = await project.run(['--config', project.path(config)], cleanEnv())
    expect(run.code, run.output).toBe(0)
    expect(run.output).toContain('2 passed')
    expect(run.output).not.toMatch(/ExperimentalWarning|require\(\) of ES Module/)
  })
})
