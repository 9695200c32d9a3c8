import { describe, expect, test } from 'vitest'
import type { CassetteUsageReport } from '../../../src/cassettes/usage-report.js'
import { keptAdvice, keptForProjects, keptNote, ofProjectNotRun, rerunCommand } from '../../../src/cli/kept-projects.js'

const report = (change: Partial<CassetteUsageReport> = {}): CassetteUsageReport => ({
  cassette: '__cassettes__/answer.test.ts.cassette.json', testFile: 'answer.test.ts', mode: 'replay', at: '2026-12-07T10:00:00.000Z',
  complete: true, successful: true, total: 4, used: [], misses: [], ...change,
})

describe('ofProjectNotRun', () => {
  test('a recording of a project the run did not run is one; an untagged one after a run with projects only is one too; one of a project that ran is not', () => {
    const notRun = ofProjectNotRun(report({ projects: [''] }))
    expect([{ project: 'big' }, { project: 'mini' }, {}].map(notRun)).toEqual([true, true, false])
    const projectsRun = ofProjectNotRun(report({ projects: ['mini', 'same'] }))
    // An untagged recording is the config without projects' (''): a run with projects only did not run it.
    expect([{ project: 'big' }, { project: 'mini' }, {}].map(projectsRun)).toEqual([true, false, true])
  })

  test('a report that does not name the projects that ran keeps every tagged recording', () => {
    expect(ofProjectNotRun(report())({ project: 'mini' })).toBe(true)
  })
})

describe('keptNote and keptAdvice', () => {
  test('say how many recordings of which projects were kept, how the run ran the file, and what to run', () => {
    const kept = keptForProjects([{ project: 'big' }, { project: 'big' }], [{ project: 'nightly' }])
    expect(kept).toEqual({ projects: ['big', 'nightly'], entries: 2, tools: 1 })
    if (!kept) return
    expect(keptNote(kept, report({ projects: [''] }))).toBe(
      'kept 2 unused entries and 1 unused tool recording of projects big, nightly: its last run (2026-12-07T10:00:00.000Z, replay) ran the file under the default config, without test.projects, so it cannot tell whether projects big, nightly still need them',
    )
    expect(keptNote(kept, report({ projects: ['mini'], config: 'ci.config.ts' }))).toContain('ran the file under ci.config.ts, with project mini only')
    expect(keptAdvice(kept, report())).toContain('`npx vitest run --config <the config that defines projects big, nightly> answer.test.ts`')
  })

  test('there is nothing to say of no recording', () => {
    expect(keptForProjects([], [])).toBeUndefined()
  })
})

describe('rerunCommand', () => {
  test('names the config the run named, quoted for the shell', () => {
    expect(rerunCommand(report())).toBe('npx vitest run answer.test.ts')
    expect(rerunCommand(report({ config: 'configs/projects.config.ts' }))).toBe('npx vitest run --config configs/projects.config.ts answer.test.ts')
    expect(rerunCommand(report({ config: 'x.ts; rm -rf ~' }))).toBe("npx vitest run --config 'x.ts; rm -rf ~' answer.test.ts")
    expect(rerunCommand(undefined)).toBe('npx vitest run')
  })
})
