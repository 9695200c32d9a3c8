// A test file renamed after it was recorded: its old cassette showed ✓ in `check` for ever and `prune` kept it, while
// the renamed file missed in CI (or recorded everything live again). Now `check` fails on it with the `git mv` that
// makes the renamed file replay again, and `prune` removes it once nothing is to be moved (found by a tester).
import { execFileSync } from 'node:child_process'
import { renameSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { runCheck, type CassettesCommandOptions } from '../../src/cli/cassettes-command.js'
import { runPrune } from '../../src/cli/prune-command.js'
import { fixtureWithServer } from './fixture-with-server.js'
import { cleanEnv, type FixtureProject } from './run-fixture.js'

const OLD = '__cassettes__/old-name.test.ts.cassette.json'
const NEW = '__cassettes__/new-name.test.ts.cassette.json'

describe('a test file renamed after it was recorded', () => {
  const setup = fixtureWithServer('renamed-file')
  const command = async (project: FixtureProject, run: typeof runCheck) => {
    const options: CassettesCommandOptions = { root: project.dir, maxAgeDays: 180, maxEntryBytes: 256 * 1024, strict: false, dryRun: false, env: cleanEnv() }
    const lines: string[] = []
    const code = await run(options, (line) => lines.push(line))
    return { code, output: lines.join('\n') }
  }

  test('check gives the git mv that makes it replay again; prune removes the cassette of a deleted file', async () => {
    const { project } = setup
    const recorded = await project.run([], setup.liveEnv())
    expect(recorded.code, recorded.output).toBe(0)
    renameSync(project.path('old-name.test.ts'), project.path('new-name.test.ts'))
    const missed = await project.run([], cleanEnv({ CI: 'true' }))
    expect(missed.code).toBe(1)

    const checked = await command(project, runCheck)
    expect(checked.code).toBe(1)
    expect(checked.output).toContain(`✗ ${OLD}: 1 entries`)
    const move = `git mv ${OLD} ${NEW}`
    expect(checked.output).toContain(`\`${move}\``)
    // What the advice says, without git: the renamed file replays again.
    execFileSync('git', ['init', '-q'], { cwd: project.dir })
    execFileSync('git', ['add', '-A'], { cwd: project.dir })
    execFileSync('git', move.split(' ').slice(1), { cwd: project.dir })
    const replayed = await project.run([], cleanEnv({ CI: 'true' }))
    expect(replayed.code, replayed.output).toBe(0)
    expect(replayed.output).toContain('cassettes [replay]: 1 replayed, 0 recorded')
    expect((await command(project, runCheck)).code).toBe(0)

    renameSync(project.path('new-name.test.ts'), project.path('deleted.txt'))
    const pruned = await command(project, runPrune)
    expect(pruned.code, pruned.output).toBe(0)
    expect(pruned.output).toContain(`✂ ${NEW}: removed: its test file new-name.test.ts no longer exists`)
    expect(project.exists(NEW)).toBe(false)
  })
})
