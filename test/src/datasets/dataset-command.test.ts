import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { run } from '../../../src/cli/dataset-command.js'
import { caseIdOf } from '../../../src/datasets/case-id.js'
import { noTokens } from '../../../src/history/run-record.js'

let dir: string
let printed: string[]
const print = (line: string) => printed.push(line)
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataset-cli-'))
  printed = []
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const write = (name: string, rows: object[]) => {
  const path = join(dir, name)
  writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n'))
  return path
}

const intents = [
  { id: 'r1', intent: 'refund', text: 'I want my money back' },
  { id: 'r2', intent: 'refund', text: 'i want my  money back' },
  { id: 'r3', intent: 'refund', text: 'Refund the order \u001b[31mnow' },
  { id: 'r4', intent: 'refund', text: 'Please refund me' },
  { id: 's1', intent: 'shipping', text: 'Where is my parcel?' },
]

describe('llm-evals dataset inspect', () => {
  test('prints counts per task and label, warnings and duplicates as a table; control characters are neutralised', async () => {
    const file = write('intents.jsonl', intents)
    const training = write('train.jsonl', [{ text: 'where is my parcel?' }])
    expect(await run(['inspect', file, '--label', 'intent', '--text', 'text', '--against', training], print)).toBe(0)
    expect(printed.join('\n')).toBe(
      [
        `${file}: 5 rows`,
        '  task   rows  labels',
        '  (all)     5  refund 4 · shipping 1',
        '',
        'Warnings (4):',
        '  ! the dataset has 5 examples; at least 30 per task are recommended for evals (a pass rate over 5 cases is known only to about ±44 points)',
        '  ! labels in the dataset are imbalanced: "refund" 4 vs "shipping" 1 (ratio 4.0 > 3); see oversample()',
        '  ! 1 group of exact duplicates',
        '  ! 1 row also in the training set (leakage)',
        '',
        'Exact duplicates (1):',
        '  r1 = r2',
        '',
        'Leakage (1):',
        `  s1 in training set as ${caseIdOf({ text: 'where is my parcel?' })} (1.00)`,
      ].join('\n'),
    )
    expect(printed.join('\n')).not.toContain('\u001b')
  })

  test('--purpose training warns under 1,000 examples per task (the fine-tuning minimum), eval sets under 30; a bad --purpose is a clear error', async () => {
    const file = write('intents.jsonl', intents)
    expect(await run(['inspect', file, '--purpose', 'training'], print)).toBe(0)
    expect(printed).toContain('  ! the dataset has 5 examples; at least 1,000 per task are recommended for training data')
    printed.length = 0
    expect(await run(['inspect', file, '--purpose', 'eval', '--min-per-task', '4'], print)).toBe(0)
    expect(printed.join('\n')).not.toContain('per task are recommended')
    await expect(run(['inspect', file, '--purpose', 'train'], print)).rejects.toThrow('[vitest-llm-evals] --purpose needs eval or training, got "train".')
  })

  test('--strict exits 1 on warnings; --json prints the report', async () => {
    const file = write('intents.jsonl', intents)
    expect(await run(['inspect', file, '--strict', '--min-per-task', '2', '--imbalance-ratio', '10'], print)).toBe(1)
    printed = []
    expect(await run(['inspect', file, '--json', '--label', 'intent'], print)).toBe(0)
    expect(JSON.parse(printed.join('\n'))).toMatchObject({ rows: 5, tasks: [{ task: '(all)', rows: 5, labels: { refund: 4, shipping: 1 } }] })
    await expect(run(['inspect', file, '--near-duplicate', 'high'], print)).rejects.toThrow('--near-duplicate needs a positive number, got "high".')
  })
})

describe('llm-evals dataset export', () => {
  test('writes validated OpenAI examples and refuses to replace a file without --force', async () => {
    const file = write('qa.jsonl', [{ id: 'a', question: 'Q1?', answer: 'A1', docs: ['d1'] }])
    const out = join(dir, 'train.jsonl')
    expect(await run(['export', file, '--format', 'openai', '--input', 'question', '--output', 'answer', '--context', 'docs', '--system', 'Be brief.', '--out', out], print)).toBe(0)
    expect(printed).toEqual([`Wrote 1 openai examples to ${out}.`])
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Context:\n[1] d1\n\nQ1?' }, { role: 'assistant', content: 'A1' }] })
    await expect(run(['export', file, '--format', 'openai', '--input', 'question', '--output', 'answer', '--out', out], print)).rejects.toThrow('already exists; pass overwrite: true (CLI: --force)')
    await expect(run(['export', file, '--format', 'gemini', '--out', out], print)).rejects.toThrow('dataset export needs --format openai or --format anthropic, got "gemini".')
  })

  test('--reviewed turns reviewed failures in the history into Anthropic examples', async () => {
    mkdirSync(join(dir, '.evals'))
    const cases = [{ suite: 's', test: 't', caseId: 'c1', metric: 'label', score: 0, pass: false, trials: 1, input: 'refund me', output: 'shipping', humanLabel: 'refund' }]
    const history = { v: 1, id: 'run-1', time: '2025-01-01T00:00:00.000Z', versions: { node: '22' }, totals: { tests: 1, scores: 1, failedScores: 1, replayed: 0, recorded: 0, tokens: noTokens(), costUsd: 0 }, groups: [], suites: [], cases }
    writeFileSync(join(dir, '.evals', 'history.jsonl'), JSON.stringify(history) + '\n')
    const out = join(dir, 'reviewed.jsonl')
    expect(await run(['export', '--reviewed', '--format', 'anthropic', '--root', dir, '--out', out], print)).toBe(0)
    expect(printed).toEqual([`Wrote 1 anthropic examples from reviewed failures to ${out}.`])
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ messages: [{ role: 'user', content: 'refund me' }, { role: 'assistant', content: 'refund' }] })
    printed = []
    expect(await run(['export', '--reviewed', '--format', 'openai', '--root', dir, '--history', 'none.jsonl', '--out', join(dir, 'empty.jsonl')], print)).toBe(1)
    expect(printed[0]).toContain('No reviewed failures in')
  })

  test('the built bin dispatches `dataset` to this command', () => {
    const bin = resolve(import.meta.dirname, '../../../dist/src/cli/bin.js')
    const result = spawnSync(process.execPath, [bin, 'dataset', 'inspect', write('one.jsonl', intents.slice(0, 1))], { encoding: 'utf8' })
    expect(result.stdout).toContain('one.jsonl: 1 rows')
    expect(result.status).toBe(0)
  })
})

describe('llm-evals dataset: files it cannot read', () => {
  test('a directory is said to be one, not "not found"; invalid rows are not blamed on a schema the command has none of', async () => {
    mkdirSync(join(dir, 'data'))
    await expect(run(['inspect', join(dir, 'data')], print)).rejects.toThrow(/^\[vitest-llm-evals\] Dataset file .*data is a directory \(.*\), not a \.jsonl, \.json or \.csv file: name the file in it, e\.g\. ".*data\/cases\.jsonl"\.$/)
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(bad, '{"id":"a"}\n[1,2]\n')
    const error = await run(['inspect', bad], print).catch((caught: Error) => caught)
    expect((error as Error).message).toMatch(/Dataset .*bad\.jsonl has 1 invalid row \(of 2\):\n.*\nFix these rows in the file\.$/)
    expect((error as Error).message).not.toContain('schema')
  })
})

