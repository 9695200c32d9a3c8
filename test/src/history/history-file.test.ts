import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { appendRun, formatRunLine, readHistory, retentionSlack, type HistoryWarning } from '../../../src/history/history-file.js'
import type { HistoryRun } from '../../../src/history/run-record.js'
import { historyRun } from '../../reporters/fixtures.js'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'history-file-'))
  file = join(dir, 'history.jsonl')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const lines = () => readFileSync(file, 'utf8').split('\n')
const tokens = '{"app":{"input":10,"output":5},"judge":{"input":0,"output":0},"replayed":15,"live":0}'
// Lines as vitest-llm-evals 0.1.0 wrote them: one object per case, `cases` last; its retention rewrote
// lines with `git` after the cases.
const OLD_LINE = `{"v":1,"id":"old-1","time":"2025-01-01T10:00:00.000Z","git":{"commit":"abc1234","branch":"main"},"versions":{"node":"22.0.0"},"totals":{"tests":1,"scores":2,"failedScores":1,"replayed":1,"recorded":0,"tokens":${tokens},"costUsd":0.001},"groups":[{"suite":"bot.test.ts > bot","metric":"rouge","mean":0.9,"passRate":1,"cases":1,"trials":1,"flaky":0},{"suite":"bot.test.ts > bot","metric":"factual","mean":0.2,"passRate":0,"cases":1,"trials":1,"flaky":0}],"suites":[{"suite":"bot.test.ts > bot","tests":1,"tokens":${tokens},"costUsd":0.001,"latencyMs":800}],"cases":[{"suite":"bot.test.ts > bot","test":"bot > refund","caseId":"refund","metric":"rouge","score":0.9,"pass":true,"trials":1,"threshold":0.5,"output":"Refunds take 5 days","outputHash":"sha256:0011223344556677"},{"suite":"bot.test.ts > bot","test":"bot > refund","caseId":"refund","metric":"factual","score":0.2,"pass":false,"trials":1,"threshold":0.5,"reason":"Says 5 days; the policy says 10.","output":"Refunds take 5 days","outputHash":"sha256:0011223344556677"}]}`
const OLD_RETAINED_LINE = `{"v":1,"id":"old-2","time":"2025-01-02T10:00:00.000Z","versions":{"node":"22.0.0"},"totals":{"tests":1,"scores":1,"failedScores":0,"tokens":${tokens},"costUsd":0},"suites":[],"groups":[{"suite":"bot.test.ts > bot","metric":"rouge","mean":0.8,"passRate":1,"cases":1,"trials":1}],"cases":[{"suite":"bot.test.ts > bot","test":"bot > refund","caseId":"refund","metric":"rouge","score":0.8,"pass":true,"trials":1}],"git":{"commit":"def5678","branch":"feature"},"cassetteMode":"replay"}`

describe('history lines of older versions', () => {
  test('are read whole: aggregates, git and per-case scores, also when fields follow the cases', () => {
    writeFileSync(file, `${OLD_LINE}\n${OLD_RETAINED_LINE}\n`)
    const [first, second] = readHistory(file)
    expect(first).toMatchObject({ id: 'old-1', git: { branch: 'main' }, groups: [{ metric: 'rouge', mean: 0.9 }, { metric: 'factual', mean: 0.2 }] })
    expect(first?.cases?.map((score) => [score.metric, score.score, score.reason ?? null])).toEqual([
      ['rouge', 0.9, null],
      ['factual', 0.2, 'Says 5 days; the policy says 10.'],
    ])
    expect(second).toMatchObject({ id: 'old-2', git: { commit: 'def5678', branch: 'feature' }, cassetteMode: 'replay', cases: [{ caseId: 'refund', score: 0.8 }] })
    expect(readHistory(file, undefined, () => false).map((run) => [run.id, run.git?.branch, run.cases])).toEqual([
      ['old-1', 'main', undefined],
      ['old-2', 'feature', undefined],
    ])
  })

  test('are rewritten once as case tables by the next append, and read back the same', () => {
    writeFileSync(file, `${OLD_LINE}\n${OLD_RETAINED_LINE}\n`)
    const before = readHistory(file)
    appendRun(file, historyRun('r3', { rouge: 0.7 }))
    expect(lines().map((line) => [line.includes('"cases":['), line.includes('"caseTable":')])).toEqual([
      [false, true],
      [false, true],
      [false, true],
      [false, false],
    ])
    expect(readHistory(file).slice(0, 2)).toEqual(before)
    // The fields before the cases keep their text; those after them move before the case table.
    expect(lines()[0]?.startsWith(OLD_LINE.slice(0, OLD_LINE.indexOf(',"cases":[')))).toBe(true)
    expect(JSON.parse(lines()[1] ?? '')).toMatchObject({ git: { branch: 'feature' }, cassetteMode: 'replay' })
  })

  test('at most 32 MB of them are rewritten per append, so one run never pays for a whole old file', () => {
    const retention = { caseScores: 1000, caseDetails: 1000 }
    const big = { ...historyRun('r1', { rouge: 0.9 }), cases: [{ suite: 's', test: 't', metric: 'rouge', score: 0.9, pass: true, trials: 1, output: 'x'.repeat(1024 * 1024) }] }
    writeFileSync(file, Array.from({ length: 40 }, (_, index) => `${JSON.stringify({ ...big, id: `old-${index}` })}\n`).join(''))
    const upgraded = () => lines().filter((line) => line.includes('"caseTable":')).length
    appendRun(file, historyRun('r2', { rouge: 0.7 }), retention)
    // Each old line is a little over 1 MiB: 31 of them fit in 32 MiB, plus the new line.
    expect(upgraded()).toBe(31 + 1)
    appendRun(file, historyRun('r3', { rouge: 0.7 }), retention)
    expect(upgraded()).toBe(40 + 2)
    expect(readHistory(file).map((run) => run.cases?.[0]?.output?.length ?? run.cases?.[0]?.score)).toEqual([...Array.from({ length: 40 }, () => 1024 * 1024), 0.7, 0.7])
  })
})

describe('history lines', () => {
  test('hold the aggregates first and the per-case scores as a case table, last', () => {
    const run: HistoryRun = historyRun('r1', { rouge: 0.9, factual: 0.4 }, { git: { branch: 'main' } })
    const line = formatRunLine(run)
    expect(Object.keys(JSON.parse(line))).toEqual(['v', 'id', 'time', 'versions', 'totals', 'groups', 'suites', 'git', 'caseTable'])
    expect(line.startsWith(JSON.stringify({ ...run, cases: undefined }).slice(0, -1))).toBe(true)
    expect(JSON.parse(line).caseTable).toEqual({
      count: 2,
      fields: {
        suite: { same: 'bot.test.ts > bot' },
        test: { same: 'bot > a' },
        caseId: { same: 'a' },
        metric: { values: ['rouge', 'factual'] },
        score: { values: [0.9, 0.4] },
        pass: { same: true },
        trials: { same: 1 },
      },
    })
    appendRun(file, run)
    expect(readHistory(file)).toEqual([run])
  })

  test('when case scores age out, the line becomes its aggregates, byte for byte', () => {
    const retention = { caseScores: 1, caseDetails: 1 }
    appendRun(file, historyRun('r1', { rouge: 0.9 }, { git: { branch: 'main' } }), retention)
    appendRun(file, historyRun('r2', { rouge: 0.8 }), retention)
    const { cases: _cases, ...aggregates } = historyRun('r1', { rouge: 0.9 }, { git: { branch: 'main' } })
    expect(lines()[0]).toBe(JSON.stringify(aggregates))
    expect(lines()[1]).toBe(formatRunLine(historyRun('r2', { rouge: 0.8 })))
  })

  test("a run's per-case part is read only when asked for: a broken one costs its cases, with a warning, not its aggregates", () => {
    const line = formatRunLine(historyRun('r1', { rouge: 0.9, factual: 0.4 })).replace('"count":2', '"count":3')
    writeFileSync(file, `${line}\n`)
    const warnings: HistoryWarning[] = []
    expect(readHistory(file, (warning) => warnings.push(warning), () => false).map((run) => run.groups[0]?.mean)).toEqual([0.9])
    expect(warnings).toEqual([])
    expect(readHistory(file, (warning) => warnings.push(warning)).map((run) => run.cases)).toEqual([undefined])
    expect(warnings).toEqual([{ file, line: 1, message: 'has malformed per-case scores; its aggregates are used, its cases skipped' }])
  })

  test('a torn line is skipped with a warning and kept verbatim by the next append', () => {
    const whole = formatRunLine(historyRun('r1', { rouge: 0.9 }))
    const torn = whole.slice(0, whole.indexOf('"score"') + 5)
    writeFileSync(file, `${whole}\n${torn}\n`)
    const warnings: HistoryWarning[] = []
    expect(readHistory(file, (warning) => warnings.push(warning)).map((run) => run.id)).toEqual(['r1'])
    expect(warnings).toEqual([{ file, line: 2, message: 'not valid JSON (a write cut short: a killed run?); the line is skipped and kept as is' }])
    appendRun(file, historyRun('r3', { rouge: 0.5 }))
    expect(lines().slice(0, 2)).toEqual([whole, torn])
  })
})

describe('appending', () => {
  const withDetail = (id: string) => historyRun(id, { rouge: 0.9 }, { cases: [{ suite: 's', test: 't', caseId: 'a', metric: 'rouge', score: 0.9, pass: true, trials: 1, output: `output of ${id}` }] })
  const details = () => readHistory(file).map((run) => run.cases?.[0]?.output !== undefined)

  test('adds the line in place: the bytes already there and the file itself stay, no temporary file', () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const before = readFileSync(file)
    const inode = statSync(file).ino
    appendRun(file, historyRun('r2', { rouge: 0.8 }))
    expect(statSync(file).ino).toBe(inode)
    expect(readFileSync(file).subarray(0, before.length).equals(before)).toBe(true)
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2'])
    expect(readdirSync(dir)).toEqual(['history.jsonl'])
  })

  test('a line a killed writer left unended is kept, and the next line starts on a line of its own', () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const torn = formatRunLine(historyRun('r2', { rouge: 0.8 })).slice(0, 40)
    appendFileSync(file, torn)
    appendRun(file, historyRun('r3', { rouge: 0.7 }))
    expect(lines()[1]).toBe(torn)
    const warnings: HistoryWarning[] = []
    expect(readHistory(file, (warning) => warnings.push(warning)).map((run) => run.id)).toEqual(['r1', 'r3'])
    expect(warnings.map((warning) => warning.line)).toEqual([2])
  })

  test('a reader does not read a line another run is still writing (past the last newline), nor warn about it', () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    appendFileSync(file, formatRunLine(historyRun('r2', { rouge: 0.8 })).slice(0, 60))
    const warnings: HistoryWarning[] = []
    expect(readHistory(file, (warning) => warnings.push(warning)).map((run) => run.id)).toEqual(['r1'])
    expect(warnings).toEqual([])
  })

  test('lines a rewrite would keep as they are (a newer format version) do not make every append a rewrite', () => {
    const retention = { caseScores: 200, caseDetails: 4 }
    const newer = formatRunLine(withDetail('future')).replace('{"v":1,', '{"v":99,')
    writeFileSync(file, `${Array.from({ length: 5 }, () => newer).join('\n')}\n`)
    const inode = statSync(file).ino
    appendRun(file, withDetail('r1'), retention)
    appendRun(file, withDetail('r2'), retention)
    // Three v99 lines with detail past the window of 4 (more than its slack of 2): appended in place all the same.
    expect(statSync(file).ino).toBe(inode)
    expect(lines().slice(0, 5)).toEqual(Array.from({ length: 5 }, () => newer))
  })

  test('retention is applied in batches: past the window, at most retentionSlack(window) runs keep their detail, then one rewrite drops it from all', () => {
    const retention = { caseScores: 200, caseDetails: 4 }
    expect(retentionSlack(4)).toBe(2)
    expect(retentionSlack(20)).toBe(10)
    expect(retentionSlack(1)).toBe(0)
    for (let index = 0; index < 6; index++) appendRun(file, withDetail(`r${index}`), retention)
    // 6 runs, window 4: two past it keep their detail (the slack), nothing was rewritten yet.
    expect(details()).toEqual([true, true, true, true, true, true])
    appendRun(file, withDetail('r6'), retention)
    // A third past the window: rewritten, every run past the window trimmed, the newest 4 keep theirs.
    expect(details()).toEqual([false, false, false, true, true, true, true])
    expect(readHistory(file).map((run) => run.cases?.length)).toEqual([1, 1, 1, 1, 1, 1, 1])
  })
})

describe('retention of per-trial results (repeats)', () => {
  // A repeated case scored by a matcher with no reason on a non-text value: its only detail is `trialResults`.
  const withTrials = (id: string) =>
    historyRun(id, { rouge: 0.9 }, { cases: [{ suite: 's', test: 't', caseId: 'a', metric: 'rouge', score: 0.9, pass: true, trials: 2, trialResults: [{ trial: 1, score: 0.9, pass: true }, { trial: 2, score: 0.9, pass: true }] }] })

  test('drops trialResults past the detail window, also when a run has no other detail', () => {
    const retention = { caseScores: 200, caseDetails: 1 }
    for (let index = 0; index < 4; index++) appendRun(file, withTrials(`r${index}`), retention)
    expect(readHistory(file).map((run) => run.cases?.[0]?.trialResults !== undefined)).toEqual([false, false, false, true])
    expect(readHistory(file).map((run) => run.cases?.[0]?.score)).toEqual([0.9, 0.9, 0.9, 0.9])
  })
})

describe('a writer killed during a rewrite', () => {
  test('leaves a temporary copy that the next append removes at once, and a lock it takes over at once', () => {
    appendRun(file, historyRun('r1', { rouge: 0.9 }))
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    const temporary = join(dirname(file), `.${basename(file)}.${gone}.abcd1234.tmp`)
    writeFileSync(temporary, 'x'.repeat(1000))
    writeFileSync(`${file}.lock`, `${gone} ${hostname()} killed`)
    const started = Date.now()
    appendRun(file, historyRun('r2', { rouge: 0.8 }))
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(existsSync(temporary)).toBe(false)
    expect(readHistory(file).map((run) => run.id)).toEqual(['r1', 'r2'])
  })
})
