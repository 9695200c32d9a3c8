// A test file run under two configs: one with test.projects (mini, big), the default one without. A run under the
// default config replays only mini's answers; `prune` must not take big's recordings for unused (big's next replay
// would miss them), and its advice must name the config that defines the projects.
import { describe, expect, test } from 'vitest'
import { runCheck, type CassettesCommandOptions } from '../../src/cli/cassettes-command.js'
import { runPrune } from '../../src/cli/prune-command.js'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

const projectsOf = (project: FixtureProject) =>
  (JSON.parse(project.read('__cassettes__', 'answer.test.ts.cassette.json')) as { entries: { project?: string }[] }).entries.map((entry) => entry.project).sort()

describe('prune after a run of the file under a config without its projects', () => {
  const setup = fixtureWithServer('prune-configs')
  const command = async (project: FixtureProject, run: typeof runPrune) => {
    const options: CassettesCommandOptions = { root: project.dir, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: cleanEnv() }
    const lines: string[] = []
    const code = await run(options, (line) => lines.push(line))
    return { code, output: lines.join('\n') }
  }
  const prune = (project: FixtureProject) => command(project, runPrune)

  test('keeps the recordings of the projects that run did not run, says so, and names the config to run', async () => {
    const { project } = setup
    const record = await project.run(['--config', 'projects.config.ts'], setup.liveEnv())
    expect(record.code, record.output).toBe(0)
    expect(projectsOf(project)).toEqual(['big', 'big', 'mini', 'mini'])

    const plain = await project.run([], cleanEnv({ CI: 'true' }))
    expect(plain.code, plain.output).toBe(0)
    const checked = await command(project, runCheck)
    expect(checked.output).not.toMatch(/unused: \d+ entries/)
    expect(checked.output).toContain('kept 2 unused entries of project big: its last run (')
    const pruned = await prune(project)
    expect(pruned.code, pruned.output).toBe(0)
    expect(projectsOf(project)).toEqual(['big', 'big', 'mini', 'mini'])
    expect(pruned.output).toContain('answer.test.ts.cassette.json: 0 unused entries')
    expect(pruned.output).toContain('kept 2 unused entries of project big: its last run (')
    expect(pruned.output).toContain('ran the file under the default config, without test.projects')
    const replay = await project.run(['--config', 'projects.config.ts'], cleanEnv({ CI: 'true' }))
    expect(replay.code, replay.output).toBe(0)

    const some = await project.run(['--config', 'projects.config.ts', '--project', 'mini'], cleanEnv({ CI: 'true' }))
    expect(some.code, some.output).toBe(0)
    const notPruned = await prune(project)
    expect(notPruned.code).toBe(1)
    expect(notPruned.output).toContain('project big did not run it. Run `npx vitest run --config projects.config.ts answer.test.ts` (no --project, -t, .only or .skip)')
    expect(projectsOf(project)).toEqual(['big', 'big', 'mini', 'mini'])
  })
})
