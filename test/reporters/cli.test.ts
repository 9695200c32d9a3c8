import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { run as history, runBaseline } from '../../src/cli/history-command.js'
import { run as report } from '../../src/cli/report-command.js'
import { appendRun } from '../../src/history/history-file.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { historyRun } from './fixtures.js'
import { embeddedData } from './report-page-fixtures.js'
import { ROW_FLAGS } from '../../reporters/report-data.js'

let root: string
let printed: string[]
const print = (line: string) => printed.push(line)
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'history-cli-'))
  printed = []
  const file = join(root, '.evals', 'history.jsonl')
  appendRun(file, historyRun('r1', { rouge: 0.9, bleu: 0.5 }, { git: { branch: 'main', commit: 'abcdef1234' } }))
  appendRun(file, historyRun('r2', { rouge: 0.7, bleu: 0.5 }))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('llm-evals history', () => {
  test('prints a table of recent runs, the pinned baseline marked', async () => {
    expect(await runBaseline(['set', 'r1', '--root', root], print)).toBe(0)
    expect(printed.pop()).toBe('Baseline pinned: r1 (2025-01-01T10:00:00.000Z, abcdef1) in .evals/baseline.json. Commit it so CI compares with it.')
    expect(await history(['--root', root, '--metric', 'rouge'], print)).toBe(0)
    expect(printed).toEqual([
      '   run  time                 branch  commit   scores  failed   mean  rouge  tokens  cost',
      '*  r1   2025-01-01 10:00:00  main    abcdef1       1       0  0.700  0.900       0    $0',
      '   r2   2025-01-02 10:00:00                        1       0  0.600  0.700       0    $0',
    ])
  })

  test('baseline set defaults to the newest run; an unknown run id says how to list runs', async () => {
    await runBaseline(['set', '--root', root], print)
    expect(JSON.parse(readFileSync(join(root, '.evals', 'baseline.json'), 'utf8'))).toMatchObject({ runId: 'r2' })
    await expect(runBaseline(['set', 'nope', '--root', root], print)).rejects.toThrow('[vitest-llm-evals] No run "nope" in .evals/history.jsonl. List runs with `llm-evals history`.')
    await runBaseline(['clear', '--root', root], print)
    expect(existsSync(join(root, '.evals', 'baseline.json'))).toBe(false)
  })

  test('a misspelt baseline command says the one it was meant as', async () => {
    await expect(runBaseline(['sett', '--root', root], print)).rejects.toThrowErrorMatchingInlineSnapshot(`
      [ConfigError: [vitest-llm-evals] Unknown command "baseline sett"; did you mean \`llm-evals baseline set\`?

      Use \`llm-evals baseline set [run-id]\`, \`show\` or \`clear\`.]
    `)
  })
})

describe('llm-evals baseline set', () => {
  test('without a run id, skips a partial merge (a --merge-reports run that lacked shards) and says so; named, it is pinned', async () => {
    appendRun(join(root, '.evals', 'history.jsonl'), historyRun('r3', { rouge: 0.2 }, { partial: { shardCount: 3, missingShards: [3] } }))
    expect(await runBaseline(['set', '--root', root], print)).toBe(0)
    expect(JSON.parse(readFileSync(join(root, '.evals', 'baseline.json'), 'utf8'))).toMatchObject({ runId: 'r2' })
    expect(printed[0]).toBe('Skipped 1 newer partial merge (a `--merge-reports` run that lacked shards): r3. Name one to pin it anyway.')
    printed = []
    expect(await history(['--root', root], print)).toBe(0)
    expect(printed.at(-2)).toMatch(/^~ {2}r3 /)
    // What `~` means is said under the table.
    expect(printed.at(-1)).toBe("~ a partial merge: a `--merge-reports` run that lacked some shards' blob reports (`partial` in the history file), never the default baseline")
    printed = []
    expect(await runBaseline(['set', 'r3', '--root', root], print)).toBe(0)
    expect(JSON.parse(readFileSync(join(root, '.evals', 'baseline.json'), 'utf8'))).toMatchObject({ runId: 'r3' })
    // Pinned by name, it is pinned, and said to be partial.
    expect(printed.at(-1)).toBe('Run r3 is a partial merge (shard 3/3 missing): the suites it lacks are compared with their own previous run.')
  })

  test('without a run id, skips runs without scores (cases awaiting a human label only) and says so', async () => {
    appendRun(join(root, '.evals', 'history.jsonl'), historyRun('r3', {}, { cases: [] }))
    expect(await runBaseline(['set', '--root', root], print)).toBe(0)
    expect(JSON.parse(readFileSync(join(root, '.evals', 'baseline.json'), 'utf8'))).toMatchObject({ runId: 'r2' })
    expect(printed).toEqual([
      'Skipped 1 newer run without scores (its cases await a human label): r3.',
      'Baseline pinned: r2 (2025-01-02T10:00:00.000Z) in .evals/baseline.json. Commit it so CI compares with it.',
    ])
  })

  test('refuses a run without scores, named or the only ones: which run, why, and what to do', async () => {
    const file = join(root, '.evals', 'history.jsonl')
    appendRun(file, historyRun('r3', {}, { cases: [] }))
    await expect(runBaseline(['set', 'r3', '--root', root], print)).rejects.toThrow(
      '[vitest-llm-evals] Run r3 in .evals/history.jsonl has no scores (its cases await a human label), so nothing could be compared with it. Pin a run with scores (see `llm-evals history`), or label the cases first (`llm-evals review`).',
    )
    rmSync(file)
    appendRun(file, historyRun('r3', {}, { cases: [] }))
    await expect(runBaseline(['set', '--root', root], print)).rejects.toThrow('[vitest-llm-evals] No run in .evals/history.jsonl has scores yet (1 run, its cases awaiting a human label). Label them (`llm-evals review`) and run your evals again, then pin.')
    expect(existsSync(join(root, '.evals', 'baseline.json'))).toBe(false)
  })
})

describe('llm-evals report', () => {
  test('regenerates the HTML report of the newest run, compared with the run before', async () => {
    expect(await report(['--root', root], print)).toBe(0)
    expect(printed).toEqual(['Report written: .evals/report.html (run r2, 2 runs of history)'])
    const html = readFileSync(join(root, '.evals', 'report.html'), 'utf8')
    expect(embeddedData(html).rows[0]?.cells[0]).toMatchObject({ score: 0.7, before: 0.9 })
  })

  test('shows judge-human agreement from the labels file, as the end of a run does', async () => {
    // Case a scored rouge 0.7 and passed; a reviewer failed it: a disagreement.
    appendLabel(join(root, 'evals', 'labels.jsonl'), { caseId: 'a', metric: 'rouge', label: 'fail' })
    expect(await report(['--root', root], print)).toBe(0)
    const html = readFileSync(join(root, '.evals', 'report.html'), 'utf8')
    expect(html).toContain('<table id="agreement">')
    expect(html).toContain('<tr class="disagreement"><td>a</td><td>rouge</td><td>pass</td><td>fail</td>')
    expect((embeddedData(html).rows.find((row) => row.id === 'a')?.flags ?? 0) & ROW_FLAGS.disagree).toBe(ROW_FLAGS.disagree)
  })

  test('--run reports on an older run, compared with the run before it', async () => {
    const file = join(root, '.evals', 'history.jsonl')
    appendRun(file, historyRun('r3', { rouge: 0.8, bleu: 0.5 }))
    expect(await report(['--root', root, '--run', 'r2'], print)).toBe(0)
    expect(printed).toEqual(['Report written: .evals/report.html (run r2, 2 runs of history)'])
    const html = readFileSync(join(root, '.evals', 'report.html'), 'utf8')
    const data = embeddedData(html)
    expect(data.rows.map((row) => [row.id, row.cells.map((cell) => [cell?.score, cell?.before]), row.flags])).toEqual([['a', [[0.7, 0.9], [0.5, 0.5]], ROW_FLAGS.regressed]])
  })

  test('a history of one run says "1 run"', async () => {
    expect(await report(['--root', root, '--run', 'r1'], print)).toBe(0)
    expect(printed).toEqual(['Report written: .evals/report.html (run r1, 1 run of history)'])
  })

  test('a --config that does not exist is a clear error', async () => {
    await expect(report(['--root', root, '--config', 'vitest.config.nope.ts'], print)).rejects.toThrow(`[vitest-llm-evals] --config vitest.config.nope.ts: no such file in ${root}. Give the path of your vitest.config.ts.`)
  })

  test('a missing history is a clear error that says where it looked; an empty one says to run the evals', async () => {
    await expect(report(['--root', join(root, 'empty')], print)).rejects.toThrow(
      `No history file at .evals/history.jsonl (looked at ${join(root, 'empty', '.evals', 'history.jsonl')}): check --file and \`history.file\` in the llmEvals() options`,
    )
    mkdirSync(join(root, 'empty', '.evals'), { recursive: true })
    writeFileSync(join(root, 'empty', '.evals', 'history.jsonl'), '')
    await expect(report(['--root', join(root, 'empty')], print)).rejects.toThrow('No runs in .evals/history.jsonl yet: run your evals with the llmEvals() plugin first.')
  })
})
