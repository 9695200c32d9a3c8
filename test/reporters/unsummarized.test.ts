import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import type { TestCase, Vitest } from 'vitest/node'
import { ScoreHistoryReporter } from '../../reporters/score-history-reporter.js'
import { unsummarizedMessage } from '../../reporters/unsummarized.js'

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
  process.exitCode = undefined
})

/** A finished test as Vitest's TestCase shows it to reporters (what the reporter reads of it). */
function testCase(root: string, name: string, meta: () => unknown): TestCase {
  return {
    name,
    fullName: name,
    parent: { type: 'module' },
    module: { moduleId: join(root, 'a.test.ts') },
    project: { name: '' },
    result: () => ({ state: 'passed', errors: [] }),
    diagnostic: () => ({ flaky: false }),
    meta,
  } as unknown as TestCase
}

describe('a finished test the reporter cannot summarise', () => {
  test('is named in an error that fails the run, and the other tests are still written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'llm-evals-unsummarized-'))
    roots.push(root)
    const errors: string[] = []
    const logs: string[] = []
    const vitest = { version: '5.1.2', config: { root, watch: false }, logger: { log: (text: string) => logs.push(text), warn: () => undefined, error: (text: string) => errors.push(text) }, projects: [] } as unknown as Vitest
    const reporter = new ScoreHistoryReporter()
    reporter.onInit(vitest)
    await reporter.onTestRunStart([])
    const evals = [{ metric: 'levenshtein', score: 0.9, pass: true, caseId: 'c1', attempt: { retry: 0, repeat: 0 } }]
    reporter.onTestCaseResult(testCase(root, 'good', () => ({ caseId: 'c1', evals })))
    reporter.onTestCaseResult(
      testCase(root, 'bad', () => {
        throw new TypeError('meta is gone')
      }),
    )
    await reporter.onTestRunEnd([])
    expect(errors).toEqual([unsummarizedMessage([{ test: 'bad', file: 'a.test.ts', error: new TypeError('meta is gone') }])])
    expect(errors[0]).toContain('  - a.test.ts > bad: meta is gone')
    expect(process.exitCode).toBe(1)
    expect(logs.join('\n')).toContain('written: .evals/history.jsonl')
    const line = JSON.parse(readFileSync(join(root, '.evals', 'history.jsonl'), 'utf8').trim()) as { totals: { scores: number } }
    expect(line.totals.scores).toBe(1)
  })

  test('the message names at most ten tests and counts the rest', () => {
    const tests = Array.from({ length: 12 }, (_, index) => ({ test: `t${index}`, file: 'a.test.ts', error: new Error('x') }))
    const message = unsummarizedMessage(tests)
    expect(message).toMatch(/^\[vitest-llm-evals\] 12 tests' results could not be added to the run's scores, so their scores are left out/)
    expect(message).toContain('  - a.test.ts > t9: x\n  … and 2 more\n')
    expect(message).not.toContain('t10')
  })
})
