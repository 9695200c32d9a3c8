// A `--project` run with no earlier usage report (a fresh CI checkout: the reports live in node_modules/.cache)
// did not run the other projects' tests: `cassettes check` must not call their recordings unused, nor `prune`
// remove them (every later replay of those projects would then miss).
import { rmSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { runCheck, type CassettesCommandOptions } from '../../src/cli/cassettes-command.js'
import { runPrune } from '../../src/cli/prune-command.js'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

const entries = (project: FixtureProject) =>
  (JSON.parse(project.read('__cassettes__', 'answer.test.ts.cassette.json')) as { entries: { project?: string }[] }).entries

describe('prune after a run of one of two projects, with no earlier report', () => {
  const setup = fixtureWithServer('record-projects')

  test("keeps the recordings of the project that did not run", async () => {
    const { project } = setup
    const record = await project.run([], setup.liveEnv())
    expect(record.code, record.output).toBe(0)
    expect(entries(project).map((entry) => entry.project).sort()).toEqual(['big', 'mini'])
    // A fresh checkout: the cassettes are committed, the usage reports are not.
    rmSync(project.path('node_modules'), { recursive: true, force: true })
    const replay = await project.run(['--project', 'mini'], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)

    const options: CassettesCommandOptions = { root: project.dir, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: cleanEnv() }
    const checked: string[] = []
    await runCheck(options, (line) => checked.push(line))
    expect(checked.join('\n')).not.toMatch(/unused: \d+ (entr|tool)/)
    expect(checked.join('\n')).toContain('project big did not run it')
    await runPrune(options, () => undefined)
    expect(entries(project).map((entry) => entry.project).sort()).toEqual(['big', 'mini'])
    expect((JSON.parse(project.read('__cassettes__', 'answer.test.ts.cassette.json')) as { tools: unknown[] }).tools).toHaveLength(2)
  })
})
