// Regression: the advice for an unreadable usage-report folder is a shell command with the path
// unquoted. Under a project path with a space, `sudo chown -R "$(id -un)" /srv/ml evals/node_modules/...` chowns
// `/srv/ml` recursively (and a relative path). FileWriteError's advice quotes it (shellQuote); fixPermissions does not.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { shellQuote } from '../../src/cassettes/record-command.js'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0
let base: string
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'rmsg-quote-'))
  chmodSync(base, 0o755)
})
afterEach(() => rmSync(base, { recursive: true, force: true }))

test('the chmod/chown commands quote a folder whose path has a space', () => {
  const root = join(base, 'ml evals')
  const usage = join(root, 'node_modules', '.cache', 'vitest-llm-evals', 'cassette-usage')
  mkdirSync(usage, { recursive: true })
  for (let dir = usage; dir !== base; dir = join(dir, '..')) chmodSync(dir, 0o755)
  chmodSync(usage, 0o700)
  if (!asRoot) chmodSync(usage, 0o000)
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [
    `await import(${url('../support/ts-specifiers.ts')})`,
    `const { readUsageReports } = await import(${url('../../src/cli/usage-reports.ts')})`,
    `try { readUsageReports(${JSON.stringify(root)}); console.log('ok') } catch (error) { console.log(error.name, error.message) }`,
  ].join('\n')
  const output = execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8', cwd: base, ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}) }).trim()
  expect(output).toContain('permission denied')
  expect(output).toContain(`chown -R "$(id -un)" ${shellQuote(usage)}`)
})
