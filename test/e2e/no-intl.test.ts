// A run's code in either process (the plugin, the reporter writing the history, report and summary, the worker's
// API and matchers) formats no number and compares no text with Intl: a process's first use of Intl loads ICU's
// locale data, ~6 MiB resident in the main process (issue 17's memory target, BENCHMARKS.md). The report page's
// script named its trial-output limit with `toLocaleString('en-US')` when its module loaded. Reads the build.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { intlProbe } from '../support/intl-probe.js'
import { cleanEnv, fixture, repoRoot, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('reporter')
})
afterEach(() => project.remove())

describe('Intl in a run', () => {
  test('is not used by the library in the main process or the workers, across a run and a compared rerun with failures', async () => {
    const probe = intlProbe(project.dir, join(repoRoot, 'dist'))
    const first = await project.run([], cleanEnv(probe.env))
    expect(first.code).toBe(0)
    const second = await project.run([], cleanEnv({ ...probe.env, EVAL_QUALITY: 'bad' }))
    expect(second.stdout).toMatch(/dropped most/)
    expect(project.read('.evals', 'report.html')).toContain('characters of trial outputs')
    expect(probe.calls()).toEqual([])
  })
})
