// Files meant to be shared (history, report, summary) never hold a live credential, whatever the eval saw.
import { readFileSync } from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import { readableReport } from '../support/report-html.js'
import { cleanEnv, fixture } from './run-fixture.js'

const project = fixture('shared-files')
afterAll(() => project.remove())

test('a live token in an eval input, output and reason is scrubbed from history, report and summary', async () => {
  const token = 'svc-live-token-0123456789abcdef'
  const run = await project.run([], cleanEnv({ SERVICE_TOKEN: token }))
  expect(run.output).toContain('Tests  1 passed')
  for (const file of ['history.jsonl', 'report.html', 'summary.json']) {
    // The report's case data is gzipped: checked decoded, as anyone opening the file could read it.
    const text = readableReport(readFileSync(project.path('.evals', file), 'utf8'))
    expect(text, file).not.toContain(token)
    // Hidden in the worker already (the test's meta is scrubbed at the end of its try), which names the variable.
    expect(text, file).toMatch(/\[REDACTED(?: SERVICE_TOKEN)?\]/)
  }
  expect(run.output).not.toContain(token)
})
