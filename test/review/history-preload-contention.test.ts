// Several processes run the reporter's history I/O on one file at once: preload, read, append (some appends
// rewrite the file). Nothing any of them wrote may be missed or lost.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readHistory } from '../../src/history/history-file.js'

const childScript = fileURLToPath(new URL('./preload-append.child.ts', import.meta.url))
let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-preload-contention-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function run(prefix: string, count: number): Promise<number> {
  const child = spawn(process.execPath, [childScript, file, prefix, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(Number(output.trim())) : reject(new Error(`child ${prefix} exited ${code}`)))))
}

describe('history preload under contention', () => {
  test('four processes preloading, reading and appending 25 runs each: every run is in the file once', async () => {
    const prefixes = ['a', 'b', 'c', 'd']
    await Promise.all(prefixes.map((prefix) => run(prefix, 25)))
    const ids = readHistory(file).map((each) => each.id)
    const expected = prefixes.flatMap((prefix) => Array.from({ length: 25 }, (_, index) => `${prefix}-${index}`))
    expect([...ids].sort()).toEqual([...expected].sort())
  }, 120_000)
})
