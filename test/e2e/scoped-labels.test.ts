// Labels scoped by suite, end to end: the same case id in two test files never shares a label; a legacy label
// (no suite) of an id in both applies to neither until it is relabelled; the migration scopes the unambiguous ones.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { run as review } from '../../src/cli/review-command.js'
import { readHistory } from '../../src/history/history-file.js'
import { appendLabel } from '../../src/review/labels-file.js'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

let project: FixtureProject
beforeEach(() => {
  project = fixture('scoped-labels')
})
afterEach(() => project.remove())

const legacy = (caseId: string, label: string) => `${JSON.stringify({ caseId, metric: 'intent', label, at: '2025-01-01T00:00:00Z' })}\n`
/** The latest run's cases as [suite, case id, awaiting a label, pass], in suite and case order (files finish in any order). */
const latestCases = () =>
  (readHistory(project.path('.evals', 'history.jsonl')).at(-1)?.cases ?? [])
    .map((score) => [score.suite, score.caseId, score.awaitingLabel ?? false, score.pass] as const)
    .sort((a, b) => a[0].localeCompare(b[0]) || String(b[1]).localeCompare(String(a[1])))

describe('labels scoped by suite', () => {
  test('a legacy label of a shared case id applies to neither suite; after migrating and relabelling, each suite has its own', async () => {
    expect((await project.run([], cleanEnv())).code).toBe(0)
    // Labels written before labels had a suite: both would say "not a refund", which fails the classifier.
    mkdirSync(project.path('evals'), { recursive: true })
    appendFileSync(project.path('evals', 'labels.jsonl'), legacy('refund-1', 'billing') + legacy('only-a', 'billing'))

    const second = await project.run([], cleanEnv())
    // only-a's legacy label applies (its id is in a.test.ts only) and fails; refund-1's applies to neither suite.
    expect(second.code).toBe(1)
    expect(second.stdout).toMatch(/Tests\s+1 failed \| 3 passed \(4\)/)
    // The run says once which legacy label applies to no case, and how to fix it.
    expect(second.stderr.match(/has no suite/g)).toHaveLength(1)
    expect(second.stderr).toContain('  refund-1 (intent): in a.test.ts > tickets, b.test.ts > tickets\nRun `llm-evals review --migrate-labels`')
    expect(latestCases()).toEqual([
      ['a.test.ts > tickets', 'refund-1', true, true],
      ['a.test.ts > tickets', 'only-a', false, false],
      ['b.test.ts > tickets', 'refund-1', true, true],
      ['b.test.ts > tickets', 'only-b', true, true],
    ])

    const printed: string[] = []
    expect(await review(['--migrate-labels', '--root', project.dir], (line) => printed.push(line))).toBe(0)
    expect(printed.join('\n')).toContain('    only-a (intent), line 2 → a.test.ts > tickets')
    expect(printed.join('\n')).toContain('    refund-1 (intent), line 1: in a.test.ts > tickets, b.test.ts > tickets')
    expect(readFileSync(project.path('evals', 'labels.jsonl'), 'utf8')).toBe(legacy('refund-1', 'billing') + legacy('only-a', 'billing').replace('}\n', ',"suite":"a.test.ts > tickets"}\n'))

    // Relabelled in b.test.ts only, as the review page saves it: a.test.ts's refund-1 still has no label.
    appendLabel(project.path('evals', 'labels.jsonl'), { caseId: 'refund-1', metric: 'intent', label: 'billing', suite: 'b.test.ts > tickets' })
    const third = await project.run([], cleanEnv())
    expect(third.stdout).toMatch(/Tests\s+2 failed \| 2 passed \(4\)/)
    expect(latestCases()).toEqual([
      ['a.test.ts > tickets', 'refund-1', true, true],
      ['a.test.ts > tickets', 'only-a', false, false],
      ['b.test.ts > tickets', 'refund-1', false, false],
      ['b.test.ts > tickets', 'only-b', true, true],
    ])
  })
})
