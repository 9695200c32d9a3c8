// The library's matchers used as asymmetric matchers (inside toEqual, objectContaining), with the plugin's
// lazy matchers in real Vitest: a clear ConfigError at the line, never a bare diff, a `.not` that passes every
// time, or a matcher left running after its test (an unhandled error). Needs the build (`npm run build`).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject, type RunResult } from './run-fixture.js'

describe('library matchers used as asymmetric matchers', () => {
  let project: FixtureProject
  let run: RunResult
  beforeAll(async () => {
    project = fixture('asymmetric-matchers')
    run = await project.run(['--reporter=verbose'], cleanEnv({ CI: 'true' }))
  }, 120_000)
  afterAll(() => project?.remove())

  test('each use fails with the ConfigError and the awaited form; the awaited matchers pass', () => {
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Tests\s+3 failed \| 1 passed \(4\)/)
    expect(run.output).toContain('ConfigError: [vitest-llm-evals] expect.toBeSimilarTo(…) cannot be used as an asymmetric matcher')
    expect(run.output).toContain('await expect(value.a).toBeSimilarTo("hello world")')
    expect(run.output).toContain('ConfigError: [vitest-llm-evals] expect.not.toBeSimilarTo(…) cannot be used as an asymmetric matcher')
    expect(run.output).toContain('await expect(value.a).not.toBeSimilarTo("hello world")')
    expect(run.output).toContain('ConfigError: [vitest-llm-evals] expect.toMatchSchema(…) cannot be used as an asymmetric matcher')
    expect(run.output).toContain('✓ asymmetric.test.ts > awaited, as it should be')
  })

  test('no matcher runs in the background: no unhandled error, no score recorded', () => {
    expect(run.output).not.toContain('Unhandled')
    expect(run.output).not.toContain('EnvironmentTeardownError')
    expect(run.output).not.toMatch(/needs a zod schema/)
  })
})
