// A note on a human label holding a live key (and a token, and terminal controls): the run still finishes, prints its
// table and writes its reports, none of which holds the key or a raw control character.
import { mkdirSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { cleanEnv, fixture, type FixtureProject } from './run-fixture.js'

// Built at run time: no key-shaped literal in the repository.
const LIVE = `sk-proj-${'LiveNote'.repeat(3)}12`
const GITHUB = `ghp_${'Qm7'.repeat(12)}`

let project: FixtureProject
beforeEach(() => {
  project = fixture('label-notes')
})
afterEach(() => project.remove())

test('a live key in a label note is scrubbed from report.html and summary.json, and the run finishes', async () => {
  mkdirSync(project.path('evals'), { recursive: true })
  const label = { caseId: 'refund-1', metric: 'similarity:rouge-l', label: 'fail', note: `answer quoted ${LIVE} and ${GITHUB} \u001b[2K`, by: 'Ana', at: '2026-12-07T15:00:00.000Z', suite: 'pass.test.ts' }
  writeFileSync(project.path('evals', 'labels.jsonl'), `${JSON.stringify(label)}\n`)
  const result = await project.run([], cleanEnv({ OPENAI_API_KEY: LIVE }))
  expect(result.stderr).not.toContain('SecretLeakError')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('written: .evals/history.jsonl, .evals/report.html, .evals/summary.json')
  expect(result.stdout).toMatch(/LLM evals: 1 score/)
  for (const file of ['report.html', 'summary.json']) {
    const text = project.read('.evals', file)
    expect(text).not.toContain(LIVE)
    expect(text).not.toContain(GITHUB)
    expect(text).not.toContain('\u001b')
  }
  expect(JSON.parse(project.read('.evals', 'summary.json')).agreement.disagreements[0].note).toBe('answer quoted [REDACTED] and [REDACTED] \\u001b[2K')
})
