import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test, vi } from 'vitest'
import { run } from '../../../src/cli/review-command.js'
import { appendLabel } from '../../../src/review/labels-file.js'
import { reviewCases, reviewProject, runWith } from './fixtures.js'

function project() {
  const paths = reviewProject([runWith(reviewCases())])
  for (const [caseId, label] of [['refund', 'pass'], ['hostile', 'fail'], ['late', 'pass'], ['rude', 'fail']] as const) appendLabel(paths.labelsFile, { caseId, metric: 'rubric:helpful', label })
  return paths
}

describe('llm-evals review --agreement', () => {
  test('prints kappa, accuracy with its interval, and the confusion matrix', async () => {
    const { root } = project()
    const lines: string[] = []
    expect(await run(['--agreement', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines.join('\n')).toBe(
      [
        'Judge-human agreement, run run-2:',
        'rubric:helpful: n 4  accuracy 0.750 [0.301, 0.954]  kappa 0.500  failure recall 0.500  false-failure rate 0.000  mcc 0.577',
        '  human fail: grader fail 1, grader pass 1',
        '  human pass: grader fail 0, grader pass 2',
      ].join('\n'),
    )
  })

  test('exits 1 naming the metric when an agreement floor is not met', async () => {
    const { root } = project()
    const lines: string[] = []
    expect(await run(['--agreement', '--root', root, '--min-kappa', '0.6', '--min-failure-recall', '0.8'], (line) => lines.push(line))).toBe(1)
    expect(lines.slice(-2)).toEqual([
      '[vitest-llm-evals] Agreement floor not met: rubric:helpful: kappa 0.500 is below 0.6.',
      '[vitest-llm-evals] Agreement floor not met: rubric:helpful: failure recall 0.500 is below 0.8.',
    ])
    expect(await run(['--agreement', '--root', root, '--min-kappa', '0.5'], () => {})).toBe(0)
  })

  test('says once which legacy labels (no suite) apply to no case, and how to fix it', async () => {
    const { root, labelsFile } = reviewProject([runWith([...reviewCases(), { ...reviewCases()[0]!, suite: 'other.test.ts > other' }])])
    appendLabel(labelsFile, { caseId: 'refund', metric: 'rubric:helpful', label: 'fail' })
    appendLabel(labelsFile, { caseId: 'rude', metric: 'rubric:helpful', label: 'fail' })
    const lines: string[] = []
    expect(await run(['--agreement', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines[0]).toBe(
      '[vitest-llm-evals] 1 label in evals/labels.jsonl has no suite (written before labels were scoped by suite) and its case id is in several suites, so it applies to none of them:\n' +
        '  refund (rubric:helpful): in bot.test.ts > bot, other.test.ts > other\n' +
        'Run `llm-evals review --migrate-labels` to add the suite where a case id is in one suite only, and label these cases again on the review page (or add `"suite"` to their lines by hand).',
    )
    // Only rude's label counts: refund's applies to neither suite.
    expect(lines[1]).toMatch(/^Judge-human agreement, run run-2:\nrubric:helpful: n 1 /)
  })

  test('says what to do when there is no run or a flag is wrong', async () => {
    const { root } = project()
    await expect(run(['--agreement', '--root', root, '--history', 'none.jsonl'], () => {})).rejects.toThrow(`No history file at none.jsonl (looked at ${join(root, 'none.jsonl')}): check --history`)
    await expect(run(['--agreement', '--min-kappa', 'high'], () => {})).rejects.toThrow('--min-kappa needs a number from -1 to 1, got "high".')
  })

  test('serves the page until stopped', async () => {
    const { root } = project()
    const lines: string[] = []
    const stop = new AbortController()
    const running = run(['--root', root, '--port', '0', '--by', 'ana'], (line) => lines.push(line), stop.signal)
    await expect.poll(() => lines.length).toBe(1)
    const url = lines[0]?.match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0] as string
    expect((await fetch(`${url}api/state`)).status).toBe(200)
    stop.abort()
    expect(await running).toBe(0)
  })
})

describe('llm-evals review --export-disagreements', () => {
  test('writes each grader-human disagreement as a JSONL few-shot example', async () => {
    const { root } = project()
    const lines: string[] = []
    expect(await run(['--export-disagreements', 'out/few-shot.jsonl', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines).toEqual(['Wrote 1 disagreement of run run-2 to out/few-shot.jsonl.'])
    // The judge passed "rude" (score 0.7); the reviewer failed it.
    expect(readFileSync(join(root, 'out', 'few-shot.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { suite: 'bot.test.ts > bot', caseId: 'rude', metric: 'rubric:helpful', output: 'Figure it out yourself.', graderLabel: 'pass', humanLabel: 'fail' },
    ])
  })

  test("a note's keys and control characters are scrubbed from the export", async () => {
    const { root, labelsFile } = project()
    appendLabel(labelsFile, { caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: 'rude \u001b[31m' })
    // Hand-added after: the review page would have refused it.
    writeFileSync(labelsFile, `${readFileSync(labelsFile, 'utf8')}${JSON.stringify({ caseId: 'rude', metric: 'rubric:helpful', label: 'fail', note: 'quoted svc-live-export-0123456789 \u001b[31m', at: '2026-12-07T15:00:00.000Z' })}\n`)
    vi.stubEnv('EXPORT_TEST_TOKEN', 'svc-live-export-0123456789')
    try {
      expect(await run(['--export-disagreements', 'few.jsonl', '--root', root], () => {})).toBe(0)
    } finally {
      vi.unstubAllEnvs()
    }
    const text = readFileSync(join(root, 'few.jsonl'), 'utf8')
    expect(JSON.parse(text).note).toBe('quoted [REDACTED] \\u001b[31m')
  })

  test('--metric keeps one metric; nothing to export says how to get labels', async () => {
    const { root } = project()
    const lines: string[] = []
    expect(await run(['--export-disagreements', 'few-shot.jsonl', '--metric', 'tone', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines).toEqual(['Wrote 0 disagreements of run run-2 to few-shot.jsonl (none: label cases with `llm-evals review` first).'])
    expect(readFileSync(join(root, 'few-shot.jsonl'), 'utf8')).toBe('')
  })
})
