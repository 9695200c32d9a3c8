// A FIFO, socket or device where a cassette, a sidecar file or the labels file should be (a pull request can commit a
// FIFO) blocked the read that opened it, and the worker or command with it, until a writer came. Now it is an error
// naming the file. Run in a child process: a blocked open would block the test's own thread too.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'regular-file-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Runs `call` (an expression using the imported functions and `dir`) in a child process; what it printed, or `timed out`. */
function inChild(call: string): string {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
  const script = [
    `await import(${url('../support/ts-specifiers.ts')})`,
    `const { readCassette, readSidecar } = await import(${url('../../src/cassettes/cassette-file.ts')})`,
    `const { readLabels } = await import(${url('../../src/review/labels-file.ts')})`,
    `const { runCheck } = await import(${url('../../src/cli/cassettes-command.ts')})`,
    `const dir = ${JSON.stringify(dir)}`,
    `try { const result = await ${call}; console.log('returned', result ?? '') } catch (error) { console.log(error.message) }`,
  ].join('\n')
  try {
    return execFileSync(process.execPath, ['--experimental-transform-types', '--no-warnings', '--input-type=module', '-e', script], { timeout: 10_000, encoding: 'utf8' }).trim()
  } catch (error) {
    return (error as { signal?: string }).signal ? 'timed out' : String((error as Error).message)
  }
}

const fifo = (...parts: string[]) => {
  mkdirSync(join(dir, ...parts.slice(0, -1)), { recursive: true })
  execFileSync('mkfifo', [join(dir, ...parts)])
  return join(dir, ...parts)
}

describe('a FIFO in place of a file the library reads', () => {
  test('a cassette: a CassetteError naming it, in the worker and in `cassettes check`', () => {
    const file = fifo('__cassettes__', 'bot.test.ts.cassette.json')
    expect(inChild(`readCassette(${JSON.stringify(file)})`)).toBe(`[vitest-llm-evals] Cannot read cassette ${file}: it is a FIFO, socket or device, not a file. Remove what is there (a cassette is a JSON file), then record it again.`)
    const lines = inChild(`(async () => { const lines = []; await runCheck({ root: dir, maxAgeDays: 180, maxEntryBytes: 262144, strict: false, dryRun: false, env: {} }, (line) => lines.push(line)); return lines.join('\\n') })()`)
    expect(lines).toContain('✗ __cassettes__/bot.test.ts.cassette.json: [vitest-llm-evals] Cannot read cassette')
  })

  test('a sidecar file: replay says which, `cassettes check` skips it', () => {
    mkdirSync(join(dir, '__cassettes__'))
    writeFileSync(join(dir, 'bot.test.ts'), '')
    writeFileSync(join(dir, '__cassettes__', 'bot.test.ts.cassette.json'), JSON.stringify({ version: 1, entries: [] }))
    const sidecar = fifo('__cassettes__', 'bot.test.ts.cassette.files', 'abc.txt')
    expect(inChild(`readSidecar(${JSON.stringify(join(dir, '__cassettes__', 'bot.test.ts.cassette.json'))}, 'abc.txt')`)).toContain(`refers to ${sidecar}, which is a FIFO, socket or device, not a file.`)
    expect(inChild(`runCheck({ root: dir, maxAgeDays: 180, maxEntryBytes: 262144, strict: false, dryRun: false, env: {} }, () => {})`)).toBe('returned 0')
  })

  test('the labels file: a LabelsError naming it', () => {
    const file = fifo('evals', 'labels.jsonl')
    expect(inChild(`readLabels(${JSON.stringify(file)})`)).toContain(`Cannot read the labels file ${file}: it is a FIFO, socket or device, not a file.`)
  })
})
