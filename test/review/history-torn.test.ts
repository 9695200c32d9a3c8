import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { appendRun, formatRunLine, readHistory } from '../../src/history/history-file.js'
import { historyRun } from '../reporters/fixtures.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('review: a line cut short by a killed in-place append is kept, ended, and the next runs are read', () => {
  dir = mkdtempSync(join(tmpdir(), 'review-torn-'))
  const file = join(dir, 'history.jsonl')
  appendRun(file, historyRun('r1', { rouge: 0.9 }))
  const torn = formatRunLine(historyRun('r2', { rouge: 0.8 }))
  appendFileSync(file, torn.slice(0, Math.floor(torn.length * 0.8)))
  appendRun(file, historyRun('r3', { rouge: 0.7 }))
  appendRun(file, historyRun('r4', { rouge: 0.6 }))
  const warnings: string[] = []
  const runs = readHistory(file, (w) => warnings.push(`${w.line} ${w.message}`))
  expect(runs.map((run) => run.id)).toEqual(['r1', 'r3', 'r4'])
  expect(warnings).toHaveLength(1)
  expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(5)
})
