// Regression: a labels file (or history) that is itself read-only, in a folder the user can
// write. The append opens the file, is refused (EACCES), and the FileWriteError advises `chmod u+w <the folder>`, which
// changes nothing: the file is what is read-only. Runs the append as `nobody` in a child when this runs as root.
import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'

const NOBODY = 65534
const asRoot = process.getuid?.() === 0
let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rmsg-ro-'))
  chmodSync(root, 0o755)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

function inChild(code: string): string {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [`await import(${url('../support/ts-specifiers.ts')})`, code].join('\n')
  const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {}
  return execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8', cwd: root, ...user }).trim()
}

test('a read-only labels file in a writable folder: the advice names the file, not chmod of the folder', () => {
  const folder = join(root, 'evals')
  mkdirSync(folder)
  const file = join(folder, 'labels.jsonl')
  writeFileSync(file, '')
  if (asRoot) {
    chownSync(folder, NOBODY, NOBODY)
    chownSync(file, NOBODY, NOBODY)
  }
  chmodSync(file, 0o444)
  const url = JSON.stringify(new URL('../../src/review/labels-file.ts', import.meta.url).href)
  const output = inChild(
    `const { appendLabel } = await import(${url})\n` +
      `try { appendLabel(${JSON.stringify(file)}, { caseId: 'q1', metric: 'factual', label: 'pass', by: 'ana' }); console.log('ok') } catch (error) { console.log(error.name, error.message) }`,
  )
  expect(output).toMatch(/^FileWriteError/)
  // The folder's advice ends at its closing backtick (the file's path starts with the folder's).
  expect(output).not.toContain(`chmod u+w ${folder}\``)
  expect(output).toContain(`chmod u+w ${file}`)
})
