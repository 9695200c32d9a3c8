// Review of 36440e6 ("a FIFO history path is a ConfigError, never a hang"): the path is checked with stat, then
// opened. A FIFO put in its place between the two (the check is of the path, not of what is opened) blocked
// the open, and the whole process, until a writer came. Simulated in a child process (a blocked open would block
// the test's thread too) whose `statSync` still reports the regular file that was there at the check.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-fifo-swap-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Runs `call` (an expression using `readHistory`, `appendRun`, `preloadHistory`, `fifo`) in a child whose stat sees a regular file. */
function inChild(call: string): string {
  const fifo = join(dir, 'history.jsonl')
  execFileSync('mkfifo', [fifo])
  const regular = join(dir, 'regular.jsonl')
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [
    `import fs from 'node:fs'; import { syncBuiltinESMExports } from 'node:module'`,
    `fs.writeFileSync(${JSON.stringify(regular)}, '')`,
    `const statSync = fs.statSync; fs.statSync = (path, ...rest) => statSync(path === ${JSON.stringify(fifo)} ? ${JSON.stringify(regular)} : path, ...rest); syncBuiltinESMExports()`,
    `await import(${url('../support/ts-specifiers.ts')})`,
    `const { readHistory, appendRun } = await import(${url('../../src/history/history-file.ts')})`,
    `const { preloadHistory } = await import(${url('../../src/history/history-scan.ts')})`,
    `const { historyRun } = await import(${url('../reporters/fixtures.ts')})`,
    `const fifo = ${JSON.stringify(fifo)}`,
    `try { ${call}; console.log('returned') } catch (error) { console.log(error.message) }`,
  ].join('\n')
  return execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' }).trim()
}

describe('a FIFO swapped in after the check', () => {
  test('preloadHistory returns', () => {
    expect(inChild('preloadHistory(fifo)')).toBe('returned')
  })

  test('readHistory is a ConfigError, not a hang', () => {
    expect(inChild('readHistory(fifo)')).toMatch(/history file .*history\.jsonl is not a regular file \(a FIFO, socket or device\)/)
  })

  test('appendRun is an error, not a hang', () => {
    expect(inChild("appendRun(fifo, historyRun('r1', { rouge: 1 }))")).not.toBe('returned')
  })
})
