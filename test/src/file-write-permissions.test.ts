// The refusals of file-write-errors.test.ts for real: a cassettes folder the user cannot write. As root (where
// permissions block nothing) the write runs in a child process as the unprivileged user `nobody`.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0
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
  root = mkdtempSync(join(tmpdir(), 'write-permissions-'))
  chmodSync(root, 0o755)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Writes `file` with writeFileAtomic in a child (as nobody when this runs as root): `ok`, or the error's class and message. */
function writeInChild(file: string): string {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [
    `await import(${url('../support/ts-specifiers.ts')})`,
    `const { writeFileAtomic } = await import(${url('../../src/atomic-files.ts')})`,
    `try { writeFileAtomic(${JSON.stringify(file)}, '{"new":true}'); console.log('ok') } catch (error) { console.log(error.name, error.message) }`,
  ].join('\n')
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {}
  return execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8', cwd: root, ...user }).trim()
}

describe.skipIf(!canTest)('a cassettes folder the user cannot write', () => {
  test('the write fails with the cassette, the folder and the fix; the old cassette stays and no temporary file is left', () => {
    const folder = join(root, '__cassettes__')
    mkdirSync(folder)
    const cassette = join(folder, 'bot.test.ts.cassette.json')
    writeFileSync(cassette, '{"old":true}')
    chmodSync(cassette, 0o666)
    chmodSync(folder, 0o555)
    const output = writeInChild(cassette)
    expect(output).toMatch(/^FileWriteError \[vitest-llm-evals\] Cannot write the cassette /)
    expect(output).toContain(`${cassette}: permission denied (EACCES) creating a new file in ${folder}.`)
    expect(output).toContain(`\`chmod u+w ${folder}\``)
    expect(output).toContain('cassettes: { dir:')
    chmodSync(folder, 0o755)
    expect(readFileSync(cassette, 'utf8')).toBe('{"old":true}')
    expect(readdirSync(folder)).toEqual(['bot.test.ts.cassette.json'])
  })
})
