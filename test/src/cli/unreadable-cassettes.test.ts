// A cassettes folder or a cassette the user cannot read (made by a `sudo` run, copied with another owner) stopped
// `cassettes check` and `prune` with a bare `EACCES: permission denied, scandir '…'`. Now the error names the path,
// says it cannot be read and how to fix it. The commands run in a child process; as root (where `chmod 000` blocks
// nothing) that child runs as the unprivileged user `nobody`, so permissions are enforced there too.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { serializeCassette } from '../../../src/cassettes/cassette-file.js'
import { cassetteOf, entry } from './cassette-cli-fixtures.js'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0
/** As root, whether a child can run as nobody (a container may drop the right to switch users): else the tests are skipped. */
const canTest = !asRoot || (() => {
  try {
    execFileSync(process.execPath, ['-e', ''], { uid: NOBODY, gid: NOBODY, timeout: 10_000 })
    return true
  } catch {
    return false
  }
})()

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'unreadable-cassettes-'))
  mkdirSync(join(root, 'test', '__cassettes__'), { recursive: true })
  writeFileSync(cassetteOf(root), serializeCassette({ version: 1, entries: [entry('asks', 0)] }))
  // The child (run as nobody when this runs as root) must reach everything but what a test makes unreadable.
  for (const dir of [root, join(root, 'test'), join(root, 'test', '__cassettes__')]) chmodSync(dir, 0o755)
  chmodSync(cassetteOf(root), 0o644)
})
afterEach(() => {
  for (const dir of [join(root, 'test'), join(root, 'test', '__cassettes__')]) chmodSync(dir, 0o755)
  rmSync(root, { recursive: true, force: true })
})

/** Runs `command` (`runCheck` or `runPrune`) over `root` in a child process: its lines, exit code, or the error it threw. */
function inChild(command: 'runCheck' | 'runPrune'): string {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [
    `await import(${url('../../support/ts-specifiers.ts')})`,
    `const { runCheck } = await import(${url('../../../src/cli/cassettes-command.ts')})`,
    `const { runPrune } = await import(${url('../../../src/cli/prune-command.ts')})`,
    `const lines = []`,
    `try { const code = await ${command}({ root: ${JSON.stringify(root)}, maxAgeDays: 180, maxEntryBytes: 262144, strict: false, dryRun: false, env: {} }, (line) => lines.push(line)); console.log(lines.join('\\n')); console.log('exit', code) } catch (error) { console.log('threw', error.message) }`,
  ].join('\n')
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {}
  return execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8', cwd: root, ...user }).trim()
}

describe.skipIf(!canTest)('cassettes check and prune over what cannot be read', () => {
  test('a folder that cannot be read: an error naming it, that it cannot be read, and the permissions to fix', () => {
    const folder = join(root, 'test', '__cassettes__')
    chmodSync(folder, 0o000)
    for (const command of ['runCheck', 'runPrune'] as const) {
      const output = inChild(command)
      expect(output).toBe(
        `threw [vitest-llm-evals] Cannot read folder ${folder}: permission denied (EACCES), so the cassettes in it cannot be listed. ` +
          `Give the user running this read access to it (\`chmod u+rx ${folder}\`), or, if another user (a \`sudo\` run, a container) created it, take it back (\`sudo chown -R "$(id -un)" ${folder}\`), then run again.`,
      )
    }
  })

  test('a cassette that cannot be read: check fails on it with the file and the fix, and prune leaves it alone', () => {
    chmodSync(cassetteOf(root), 0o000)
    const checked = inChild('runCheck')
    expect(checked).toContain(`✗ test/__cassettes__/bot.test.ts.cassette.json: [vitest-llm-evals] Cannot read cassette ${cassetteOf(root)}: permission denied (EACCES). Give the user running this read access to it (\`chmod u+r ${cassetteOf(root)}\`)`)
    expect(checked).toMatch(/exit 1$/)
    const pruned = inChild('runPrune')
    expect(pruned).toContain(`✗ test/__cassettes__/bot.test.ts.cassette.json: [vitest-llm-evals] Cannot read cassette ${cassetteOf(root)}: permission denied (EACCES).`)
    expect(pruned).toMatch(/not pruned \(see above\)\.\nexit 1$/)
  })

  test('a usage-report folder that cannot be read: an error naming it and the fix, not a bare EACCES', () => {
    const usage = join(root, 'node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
    mkdirSync(usage, { recursive: true })
    for (const dir of [join(root, 'node_modules'), join(root, 'node_modules', '.cache'), join(root, 'node_modules', '.cache', 'vitest-llm-evals')]) chmodSync(dir, 0o755)
    chmodSync(usage, 0o000)
    try {
      for (const command of ['runCheck', 'runPrune'] as const) {
        const output = inChild(command)
        expect(output).toMatch(/^threw \[vitest-llm-evals\] Cannot read the cassette usage reports in /)
        expect(output).toContain(`${usage}: permission denied (EACCES)`)
        expect(output).toContain(`\`chmod u+rx ${usage}\``)
      }
    } finally {
      chmodSync(usage, 0o755)
    }
  })
})

