import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test, vi } from 'vitest'
import { run } from '../../../src/cli/review-command.js'
import type { CaseScore } from '../../../src/history/run-record.js'
import { readLabels } from '../../../src/review/labels-file.js'
import { suitesByCase } from '../../../src/review/label-scope.js'
import { migrateLabelsFile, planLabelsMigration } from '../../../src/review/migrate-labels.js'
import { reviewProject, runWith } from './fixtures.js'

const A = 'a.test.ts > refunds'
const B = 'b.test.ts > refunds'

/** `q1` in suites A and B, `q2` in A only, `q3` in B only. */
function cases(): CaseScore[] {
  const base = { metric: 'helpful', score: 1, pass: true, trials: 1 }
  return [
    { ...base, suite: A, test: 'refunds > q1', caseId: 'q1' },
    { ...base, suite: B, test: 'refunds > q1', caseId: 'q1' },
    { ...base, suite: A, test: 'refunds > q2', caseId: 'q2' },
    { ...base, suite: B, test: 'refunds > q3', caseId: 'q3' },
  ]
}

// Legacy lines (no suite) with unknown fields and odd spacing, a scoped line, unreadable lines, a CRLF line, a
// case not in the run, and an empty `suite`: only the legacy lines of q2 and q3 may change, and only by gaining "suite".
const LINES = [
  '{"caseId":"q2","metric":"helpful","label":"fail","at":"2025-01-01T00:00:00Z","future":{"x":[1,2]}}',
  '{"caseId":"q1","metric":"helpful","label":"pass","at":"2025-01-01T00:00:00Z"}',
  '{"caseId":"q1","metric":"helpful","label":"fail","at":"2025-01-02T00:00:00Z","suite":"a.test.ts > refunds"}',
  '<<<<<<< HEAD',
  '{oops',
  '{ "caseId" : "q3", "metric": "tone", "label": 4, "note": "cost $& more", "at": "2025-01-01T00:00:00Z" }  \r',
  '{"caseId":"gone","metric":"helpful","label":"pass","at":"2025-01-01T00:00:00Z"}',
  '{"caseId":"q2","metric":"tone","label":"pass","suite":"","at":"2025-01-01T00:00:00Z"}',
  '',
]
const ORIGINAL = LINES.join('\n')

describe('planLabelsMigration', () => {
  test('adds the suite to legacy lines whose case id is in one suite; every other byte stays as it was', () => {
    const plan = planLabelsMigration(ORIGINAL, suitesByCase(cases()))
    const expected = [...LINES]
    expected[0] = '{"caseId":"q2","metric":"helpful","label":"fail","at":"2025-01-01T00:00:00Z","future":{"x":[1,2]},"suite":"a.test.ts > refunds"}'
    expected[5] = '{ "caseId" : "q3", "metric": "tone", "label": 4, "note": "cost $& more", "at": "2025-01-01T00:00:00Z" ,"suite":"b.test.ts > refunds"}  \r'
    expected[7] = '{"caseId":"q2","metric":"tone","label":"pass","suite":"a.test.ts > refunds","at":"2025-01-01T00:00:00Z"}'
    expect(plan.text).toBe(expected.join('\n'))
    expect(plan.migrated).toEqual([
      { line: 1, caseId: 'q2', metric: 'helpful', suite: A },
      { line: 6, caseId: 'q3', metric: 'tone', suite: B },
      { line: 8, caseId: 'q2', metric: 'tone', suite: A },
    ])
    expect(plan.ambiguous).toEqual([{ line: 2, caseId: 'q1', metric: 'helpful', suites: [A, B] }])
    expect(plan.unknown).toEqual([{ line: 7, caseId: 'gone', metric: 'helpful', suites: [] }])
    // Migrated, the lines read back with their suite and their unknown fields.
    expect(JSON.parse(expected[0] as string)).toMatchObject({ future: { x: [1, 2] }, suite: A })
    expect(JSON.parse(expected[5] as string)).toMatchObject({ note: 'cost $& more', suite: B })
  })
})

function project() {
  const paths = reviewProject([runWith(cases(), 'run-9')])
  mkdirSync(dirname(paths.labelsFile), { recursive: true })
  writeFileSync(paths.labelsFile, ORIGINAL)
  return paths
}

describe('llm-evals review --migrate-labels', () => {
  test('--dry-run prints what would change and writes nothing', async () => {
    const { root, labelsFile } = project()
    const lines: string[] = []
    expect(await run(['--migrate-labels', '--dry-run', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines.join('\n')).toBe(
      [
        'Labels without a suite in evals/labels.jsonl, against run run-9:',
        '  3 legacy labels would get the suite of their case:',
        '    q2 (helpful), line 1 → a.test.ts > refunds',
        '    q3 (tone), line 6 → b.test.ts > refunds',
        '    q2 (tone), line 8 → a.test.ts > refunds',
        '  1 legacy label left as it is: the case id is in several suites, so it applies to none. Label these cases again on the review page (or add "suite" to the line by hand):',
        '    q1 (helpful), line 2: in a.test.ts > refunds, b.test.ts > refunds',
        '  1 legacy label left as it is: the case id is not in this run (run the suites that have it, then migrate again):',
        '    gone (helpful), line 7',
        'Dry run: evals/labels.jsonl was not changed. Run again without --dry-run to write it.',
      ].join('\n'),
    )
    expect(readFileSync(labelsFile, 'utf8')).toBe(ORIGINAL)
  })

  test('rewrites the file, says what it did, and a second run has only the unresolved lines left', async () => {
    const { root, labelsFile } = project()
    const lines: string[] = []
    expect(await run(['--migrate-labels', '--root', root], (line) => lines.push(line))).toBe(0)
    expect(lines.at(-1)).toMatch(/Wrote evals\/labels\.jsonl: 3 lines gained "suite"; every other line is kept as it was\.$/)
    expect(readFileSync(labelsFile, 'utf8')).toBe(planLabelsMigration(ORIGINAL, suitesByCase(cases())).text)
    expect(readLabels(labelsFile).labels.filter((label) => !label.suite).map((label) => label.caseId)).toEqual(['q1', 'gone'])
    const again: string[] = []
    await run(['--migrate-labels', '--root', root], (line) => again.push(line))
    expect(again.join('\n')).toContain('evals/labels.jsonl was not changed.')
  })

  test('says so when there is no labels file, or nothing to migrate; --dry-run alone is a usage error', async () => {
    const { root, labelsFile } = reviewProject([runWith(cases())])
    const lines: string[] = []
    await run(['--migrate-labels', '--root', root], (line) => lines.push(line))
    mkdirSync(dirname(labelsFile), { recursive: true })
    writeFileSync(labelsFile, '{"caseId":"q1","metric":"helpful","label":"pass","at":"2025-01-01T00:00:00Z","suite":"a.test.ts > refunds"}\n')
    await run(['--migrate-labels', '--root', root], (line) => lines.push(line))
    expect(lines).toEqual(['No labels file at evals/labels.jsonl: nothing to migrate.', 'Every label in evals/labels.jsonl has its suite: nothing to migrate.'])
    await expect(run(['--dry-run', '--root', root], () => {})).rejects.toThrow('--dry-run goes with --migrate-labels')
  })

  test('refuses to write a file holding a live credential, leaving it as it was', () => {
    const { labelsFile } = project()
    writeFileSync(labelsFile, `${ORIGINAL}{"caseId":"q2","metric":"x","label":"pass","note":"sk-live-migrate-0123456789","at":"2025-01-01T00:00:00Z"}\n`)
    const before = readFileSync(labelsFile, 'utf8')
    vi.stubEnv('MIGRATE_TEST_API_KEY', 'sk-live-migrate-0123456789')
    try {
      expect(() => migrateLabelsFile(labelsFile, suitesByCase(cases()), { dryRun: false })).toThrow(/MIGRATE_TEST_API_KEY/)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(readFileSync(labelsFile, 'utf8')).toBe(before)
  })

  test('labels appended by other processes during a migration are all kept', async () => {
    const { labelsFile } = project()
    const child = fileURLToPath(new URL('./append-labels.child.ts', import.meta.url))
    const writers = ['w1', 'w2', 'w3'].map(
      (writer) =>
        new Promise<void>((resolve, reject) => {
          const process_ = spawn(process.execPath, [child, labelsFile, writer, '40'], { stdio: ['ignore', 'ignore', 'pipe'] })
          let errors = ''
          process_.stderr.on('data', (chunk) => (errors += chunk))
          process_.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited ${code}: ${errors}`))))
        }),
    )
    // Migrate repeatedly while they append: each rewrite must keep what was appended before it.
    const suites = new Map([...suitesByCase(cases())].concat(['w1', 'w2', 'w3'].flatMap((writer) => Array.from({ length: 40 }, (_, index) => [`${writer}-${index}`, new Set([A])] as [string, Set<string>]))))
    let done = false
    const all = Promise.all(writers).finally(() => (done = true))
    while (!done) {
      migrateLabelsFile(labelsFile, suites, { dryRun: false })
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await all
    migrateLabelsFile(labelsFile, suites, { dryRun: false })
    const { labels, problems } = readLabels(labelsFile)
    expect(problems).toHaveLength(2)
    const appended = labels.filter((label) => /^w\d-/.test(label.caseId))
    expect(appended).toHaveLength(120)
    expect(appended.every((label) => label.suite === A)).toBe(true)
  })
})

describe('a hostile labels line', () => {
  test('with an empty suite and an unknown field nested 100,000 levels deep: the suite is put in place, every other byte kept', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
    const line = `{"caseId":"c","metric":"m","label":"pass","at":"x","suite": "","extra":${deep}}`
    const plan = planLabelsMigration(`${line}\n`, new Map([['c', new Set(['s'])]]))
    expect(plan.migrated).toEqual([{ line: 1, caseId: 'c', metric: 'm', suite: 's' }])
    expect(plan.text).toBe(`${line.replace('"suite": ""', '"suite":"s"')}\n`)
  })
})
