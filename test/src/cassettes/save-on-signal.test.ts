import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, test } from 'vitest'
import { SAVED_ON } from '../../../src/cassettes/save-on-signal.js'

const childScript = fileURLToPath(new URL('./save-on-signal.child.ts', import.meta.url))
let dir: string | undefined
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function runChild(signal: NodeJS.Signals, mode?: string): { log: string; code: number | null; signal: NodeJS.Signals | null } {
  dir = mkdtempSync(join(tmpdir(), 'save-on-signal-'))
  const log = join(dir, 'log')
  const result = spawnSync(process.execPath, [childScript, signal, log, ...(mode ? [mode] : [])], { encoding: 'utf8', timeout: 20_000 })
  let text = ''
  try {
    text = readFileSync(log, 'utf8')
  } catch {
    // Nothing logged.
  }
  return { log: text, code: result.status, signal: result.signal }
}

describe('saveOnSignals', () => {
  test.each(SAVED_ON.map((signal) => [signal]))('saves on %s, then the signal ends the process as it would have without the listener', (signal) => {
    expect(runChild(signal)).toEqual({ log: 'saved\n', code: null, signal })
  })

  test('listens once per process: a second start replaces the save, and the signal still ends the process', () => {
    expect(runChild('SIGINT', 'twice')).toEqual({ log: 'saved\n', code: null, signal: 'SIGINT' })
  })

  test('a save that throws still lets the signal end the process', () => {
    expect(runChild('SIGINT', 'throws')).toEqual({ log: 'saved\n', code: null, signal: 'SIGINT' })
  })

  test("leaves the signal to the user's listener when there is one (Node then does not end the process), and saves again on the next", () => {
    expect(runChild('SIGINT', 'listener')).toEqual({ log: 'saved\nuser\nsaved\nuser\n', code: 7, signal: null })
  })
})
